"""Load and validate the calculator KB: variables, derived values, calculators.

Everything is checked at load: schema, unique ids and aliases, every expression parsed
against the names it may use, every band and choice pointing at a known choice.
`python -m wenzhen.kb.calc_loader [--markdown]` lints the files or prints the catalogue.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .base import DATA_DIR, KBError, add_name, normalise_key, parse_one, read_yaml
from .calc_schema import (
    Calculator,
    CalculatorsFile,
    Derived,
    FindingLink,
    InterpretationBand,
    ScoreItem,
    Variable,
    VariablesFile,
)
from .expr import Expr, ExpressionError, compile_expr

CALC_DIR = DATA_DIR / "calculators"


@dataclass
class CompiledItem:
    item: ScoreItem
    when: Expr | None
    test: Expr | None  # if / points_expr
    cases: list[tuple[Expr, float]]
    names: frozenset[str]


@dataclass
class CompiledCalculator:
    calc: Calculator
    accepts: dict[str, str]  # normalised input name -> variable id (calculator aliases first)
    variables: list[str]  # variables this calculator reads (inputs + sources of derived)
    required: list[str]
    defaults: dict[str, object]
    derived: list[tuple[Derived, Expr]]
    items: list[CompiledItem]
    expr: Expr | None
    bands: list[tuple[InterpretationBand, Expr | None]]
    report_if: Expr | None = None


@dataclass
class CalculatorKB:
    variables: dict[str, Variable]
    derived: dict[str, Derived]
    calculators: dict[str, CompiledCalculator]
    variable_names: dict[str, str] = field(default_factory=dict)  # normalised alias -> variable id
    calculator_names: dict[str, str] = field(default_factory=dict)
    finding_links: list[FindingLink] = field(default_factory=list)
    derived_exprs: dict[str, Expr] = field(default_factory=dict)  # compiled once, shared by calculators
    files: list[Path] = field(default_factory=list)

    def find_calculator(self, name: str) -> CompiledCalculator | None:
        cid = self.calculator_names.get(normalise_key(name))
        return self.calculators.get(cid) if cid else None


def _compile(text: str, known: set[str], where: str) -> Expr:
    try:
        return compile_expr(text, known)
    except ExpressionError as e:
        raise KBError(f"{where}: {e}") from e


def _compile_calculator(c: Calculator, kb: CalculatorKB, where: str) -> CompiledCalculator:
    variables: list[str] = []
    accepts: dict[str, str] = {}
    derived: list[tuple[Derived, Expr]] = []
    known: set[str] = set()

    every_name = set(kb.variables) | set(kb.derived)

    def use_var(vid: str, ctx: str) -> None:
        if vid not in every_name:
            raise KBError(f"{where}: {ctx}: unknown variable {vid!r}")
        if vid in kb.variables:
            if vid not in variables:
                variables.append(vid)
            known.add(vid)
        if vid in kb.derived and vid not in {x[0].id for x in derived}:  # computed when not given
            expr = kb.derived_exprs[vid]
            for n in sorted(expr.names - known):
                use_var(n, ctx)
            derived.append((kb.derived[vid], expr))
            known.add(vid)

    def names_in(text: str | None, ctx: str) -> Expr | None:
        """Compile once against every name; pull in the variables and derived values it uses."""
        if text is None:
            return None
        expr = _compile(text, known | every_name, f"{where}: {ctx}")
        for n in sorted(expr.names - known):  # earlier local derived values are already known
            use_var(n, ctx)
        return expr

    for inp in c.inputs:
        use_var(inp.var, f"input {inp.var}")
        for a in inp.aliases:
            add_name(accepts, a, inp.var, f"{where}: input {inp.var}")
    for d in c.derived:
        derived.append((d, names_in(d.expr, f"derived {d.id}")))
        known.add(d.id)

    items: list[CompiledItem] = []
    for it in c.items:
        ctx = f"item {it.id}"
        when = names_in(it.when, ctx)
        test = names_in(it.if_ if it.if_ is not None else it.points_expr, ctx)
        cases = [(names_in(cs.if_, ctx), cs.points) for cs in it.cases]
        names: set[str] = set()
        for e in [when, test, *[x[0] for x in cases]]:
            if e is not None:
                names |= e.names
        if it.var is not None:
            if it.var not in known:
                use_var(it.var, ctx)
            names.add(it.var)
            var = kb.variables.get(it.var)
            if it.choices:
                if var is None or var.kind != "choice":
                    raise KBError(f"{where}: {ctx}: choices on non-choice {it.var}")
                bad = set(it.choices) - {ch.id for ch in var.choices}
                if bad:
                    raise KBError(f"{where}: {ctx}: unknown choices {sorted(bad)} of {it.var}")
            elif it.points is not None and var is not None and var.kind != "boolean":
                raise KBError(f"{where}: {ctx}: var+points needs a boolean variable, {it.var} is {var.kind}")
        items.append(CompiledItem(it, when, test, cases, frozenset(names)))
    expr = names_in(c.expr, "expr")
    report_if = names_in(c.report_if, "report_if")
    bands = [(b, names_in(b.if_, "interpretation")) for b in c.interpretation]
    for vid in variables:
        v = kb.variables[vid]
        for a in [v.id, v.label.en, v.label.zh, *v.aliases]:
            accepts.setdefault(normalise_key(a), vid)
    for d, _ in derived:  # a derived value may also be given directly when it is a variable
        accepts.setdefault(normalise_key(d.id), d.id)
    for vid in c.report_when:
        if kb.variables.get(vid) is None or kb.variables[vid].kind != "boolean":
            raise KBError(f"{where}: report_when {vid!r} must be a yes/no variable")
    required = [i.var for i in c.inputs if i.required]
    defaults = {i.var: i.default for i in c.inputs if i.default is not None}
    return CompiledCalculator(c, accepts, variables, required, defaults, derived, items, expr, bands, report_if)


def load_calculator_kb(directory: str | Path | None = None) -> CalculatorKB:
    base = Path(directory) if directory else CALC_DIR
    kb = CalculatorKB({}, {}, {})
    for path in sorted((base / "variables").glob("*.yaml")):
        kb.files.append(path)
        vf = parse_one(path, VariablesFile, read_yaml(path) or {})
        for v in vf.variables:
            if v.id in kb.variables:
                raise KBError(f"{path}: variable {v.id} defined twice")
            kb.variables[v.id] = v
            for a in [v.id, v.label.en, v.label.zh, *v.aliases]:
                add_name(kb.variable_names, a, v.id, f"{path}: variable {v.id}")
            for ch in v.choices:
                seen: dict[str, str] = {}
                for a in [ch.id, ch.label.en, ch.label.zh, *ch.aliases]:
                    add_name(seen, a, ch.id, f"{path}: {v.id} choice {ch.id}")
            if v.yes_no_choices and not set(v.yes_no_choices) <= {ch.id for ch in v.choices}:
                raise KBError(f"{path}: {v.id}: yes_no_choices must be choice ids")
        kb.finding_links.extend(vf.finding_links)
        for d in vf.derived:
            if d.id in kb.derived:
                raise KBError(f"{path}: derived {d.id} defined twice")
            kb.derived[d.id] = d
    for link in kb.finding_links:
        if link.var not in kb.variables:
            raise KBError(f"finding link {link.finding}: unknown variable {link.var!r}")
    for d in kb.derived.values():
        kb.derived_exprs[d.id] = _compile(d.expr, set(kb.variables) | set(kb.derived), f"derived {d.id}")
    for path in sorted(base.glob("*.yaml")):
        kb.files.append(path)
        cf = parse_one(path, CalculatorsFile, read_yaml(path) or {})
        for c in cf.calculators:
            if c.id in kb.calculators:
                raise KBError(f"{path}: calculator {c.id} defined twice")
            kb.calculators[c.id] = _compile_calculator(c, kb, f"{path}: {c.id}")
            for a in [c.id, c.name.en, c.name.zh, *c.aliases]:
                add_name(kb.calculator_names, a, c.id, f"{path}: calculator {c.id}")
    return kb


@lru_cache(maxsize=1)
def default_calculator_kb() -> CalculatorKB:
    return load_calculator_kb()


def markdown_catalogue(kb: CalculatorKB) -> str:
    lines = ["# Calculators", "", "Generated by `python -m wenzhen.kb.calc_loader --markdown`; do not edit.", "",
             "| id | name | 中文名 | kind | inputs | source |", "|---|---|---|---|---|---|"]
    for cc in sorted(kb.calculators.values(), key=lambda x: x.calc.id):
        c = cc.calc
        ins = ", ".join(("**" + v + "**") if v in cc.required else v for v in cc.variables)
        lines.append(f"| `{c.id}` | {c.name.en} | {c.name.zh} | {c.kind} | {ins} | {c.source} |")
    lines += ["", "**bold** = required; other inputs are optional (yes/no items count as absent when not given).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        kb = load_calculator_kb()
    except KBError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if "--markdown" in argv:
        print(markdown_catalogue(kb))
    else:
        print(f"ok: {len(kb.variables)} variables, {len(kb.derived)} derived, {len(kb.calculators)} calculators")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
