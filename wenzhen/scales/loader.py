"""Load and check the scale KB (`wenzhen/kb/data/scales/*.yaml`, one scale a file).

Checked at load, with the file named in every error: the schema; unique ids, names and
answer spellings; every step, total and condition refers to a known item or an earlier
step; every band table covers its input's whole range exactly once (no gap, no overlap);
the interpretation bands cover the total's range exactly once.
`python -m wenzhen.scales.loader` lints the files.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from wenzhen.kb.base import DATA_DIR, KBError, add_name, normalise_key, read_yaml
from wenzhen.kb.scale_schema import Bounds, Item, Option, Scale, Step

SCALE_DIR = DATA_DIR / "scales"


@dataclass(frozen=True)
class Domain:
    lo: float
    hi: float
    integer: bool


@dataclass
class CompiledScale:
    scale: Scale
    path: Path
    items: dict[str, Item]
    options: dict[str, list[Option]]  # item id -> its options (choice items)
    answer_names: dict[str, dict[str, float]]  # item id -> normalised spelling -> value
    keys: dict[str, str]  # normalised item key or alias -> item id
    steps: dict[str, Step]
    domains: dict[str, Domain]  # item/step id -> range of its value

    @property
    def id(self) -> str:
        return self.scale.id

    @property
    def alert_items(self) -> frozenset[str]:
        """Items whose unreadable answer raises a safety alert (PHQ-9 item 9)."""
        return frozenset(ref for s in self.scale.safety for ref in s.alert_when_unreadable)


@dataclass
class ScaleKB:
    scales: dict[str, CompiledScale] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # normalised name/alias -> scale id

    def find(self, name: str) -> CompiledScale | None:
        sid = self.names.get(normalise_key(name))
        return self.scales.get(sid) if sid else None


def _test_points(bounds: list[Bounds], d: Domain) -> list[float]:
    if d.integer:
        return [float(x) for x in range(math.ceil(d.lo), math.floor(d.hi) + 1)]
    edges = sorted({v for b in bounds for v in (b.ge, b.gt, b.le, b.lt, b.eq) if v is not None})
    pts = {d.lo} | ({d.hi} if math.isfinite(d.hi) else set())
    for e in edges:
        pts |= {e - 1e-6, e, e + 1e-6}
    pts |= {(a + b) / 2 for a, b in zip(edges, edges[1:])}
    if edges and not math.isfinite(d.hi):
        pts.add(edges[-1] + 1000.0)
    return sorted(p for p in pts if d.lo <= p <= d.hi)


def _check_cover(bounds: list[Bounds], d: Domain, where: str) -> None:
    for x in _test_points(bounds, d):
        n = sum(b.contains(x) for b in bounds)
        if n != 1:
            raise KBError(f"{where}: value {x:g} falls in {n} bands (each value of {d.lo:g}–{d.hi:g} needs exactly one)")


def _item_domain(it: Item, options: list[Option]) -> Domain:
    if it.kind == "choice":
        vals = [o.value for o in options]
        return Domain(min(vals), max(vals), all(float(v).is_integer() for v in vals))
    if it.kind == "number":
        return Domain(float(it.min), float(it.max), it.integer)  # type: ignore[arg-type]
    if it.kind == "time":
        return Domain(0.0, 24.0, False)
    return Domain(0.0, 0.0, False)


def compile_scale(sc: Scale, path: Path) -> CompiledScale:
    where = f"{path}: {sc.id}"
    items: dict[str, Item] = {}
    options: dict[str, list[Option]] = {}
    answer_names: dict[str, dict[str, float]] = {}
    keys: dict[str, str] = {}
    for it in sc.items:
        if it.id in items:
            raise KBError(f"{where}: item {it.id} defined twice")
        items[it.id] = it
        for a in [it.id, *it.aliases]:
            add_name(keys, a, it.id, f"{where}: item {it.id}")
        if it.kind == "choice":
            if it.option_set is not None and it.option_set not in sc.option_sets:
                raise KBError(f"{where}: item {it.id}: unknown option_set {it.option_set!r}")
            opts = it.options or sc.option_sets[it.option_set]  # type: ignore[index]
            if len({o.value for o in opts}) != len(opts):
                raise KBError(f"{where}: item {it.id}: two options with the same value")
            options[it.id] = opts
            names: dict[str, float] = {}
            for o in opts:
                for a in [o.label.zh, o.label.en, *o.aliases]:
                    add_name(names, a, o.value, f"{where}: item {it.id} option {o.value:g}")
            answer_names[it.id] = names
    domains = {i: _item_domain(it, options.get(i, [])) for i, it in items.items()}
    steps: dict[str, Step] = {}
    for st in sc.steps:
        sw = f"{where}: step {st.id}"
        if st.id in steps or st.id in items or st.id == "total":
            raise KBError(f"{sw}: id already used")
        for ref in st.of:
            if ref not in domains:
                raise KBError(f"{sw}: unknown input {ref!r} (items, or steps defined before this one)")
            if ref in items and items[ref].kind == "text":
                raise KBError(f"{sw}: text item {ref} cannot be scored")
            if ref in items and not items[ref].scored:
                raise KBError(f"{sw}: item {ref} is marked unscored")
        ins = [domains[r] for r in st.of]
        if st.combine == "hours_between":
            if any(items.get(r) is None or items[r].kind != "time" for r in st.of):
                raise KBError(f"{sw}: hours_between needs two time items")
            d = Domain(0.0, 24.0, False)
        elif st.combine == "percent":
            d = Domain(0.0, math.inf, False)
        elif st.combine == "sum":
            d = Domain(sum(x.lo for x in ins), sum(x.hi for x in ins), all(x.integer for x in ins))
        else:
            if st.of[0] in items and items[st.of[0]].kind == "time":
                raise KBError(f"{sw}: a clock time cannot be a value; use hours_between")
            d = ins[0]
        if st.bands:
            _check_cover(list(st.bands), d, sw)
            scores = [b.score for b in st.bands]
            d = Domain(float(min(scores)), float(max(scores)), True)
        steps[st.id] = st
        domains[st.id] = d
    for ref in sc.total.of:
        if ref not in domains:
            raise KBError(f"{where}: total: unknown input {ref!r}")
    lo = sum(domains[r].lo for r in sc.total.of)
    hi = sum(domains[r].hi for r in sc.total.of)
    if (lo, hi) != (sc.total.min, sc.total.max):
        raise KBError(f"{where}: total range is {lo:g}–{hi:g}, the file says {sc.total.min:g}–{sc.total.max:g}")
    total_d = Domain(lo, hi, all(domains[r].integer for r in sc.total.of))
    domains["total"] = total_d
    _check_cover(list(sc.interpretation), total_d, f"{where}: interpretation")
    conds = [(f"override {o.id}", c) for o in sc.overrides for c in [*o.when, *o.when_any]]
    conds += [(f"advice {a.id}", c) for a in sc.advice for c in [*a.when, *a.when_any]]
    conds += [(f"safety {s.id}", c) for s in sc.safety for c in s.when_any]
    for ctx, c in conds:
        if c.of not in domains:
            raise KBError(f"{where}: {ctx}: condition on unknown {c.of!r}")
    for s in sc.safety:
        for ref in s.alert_when_unreadable:
            if ref not in items:
                raise KBError(f"{where}: safety {s.id}: unknown item {ref!r}")
    for kind, ids in (("advice", [a.id for a in sc.advice]), ("cutoff", [c.id for c in sc.cutoffs]),
                      ("safety", [s.id for s in sc.safety]), ("override", [o.id for o in sc.overrides])):
        if len(set(ids)) != len(ids):
            raise KBError(f"{where}: duplicate {kind} id")
    return CompiledScale(sc, path, items, options, answer_names, keys, steps, domains)


def load_scales(directory: str | Path | None = None) -> ScaleKB:
    base = Path(directory) if directory else SCALE_DIR
    kb = ScaleKB()
    paths = sorted(base.glob("*.yaml"))
    if not paths:
        raise KBError(f"{base}: no scale files")
    for path in paths:
        data = read_yaml(path)
        try:
            sc = Scale.model_validate(data)
        except ValidationError as e:
            raise KBError(f"{path}: {e}") from e
        if sc.id in kb.scales:
            raise KBError(f"{path}: scale {sc.id} defined twice")
        kb.scales[sc.id] = compile_scale(sc, path)
        for a in [sc.id, sc.abbreviation, sc.name.zh, sc.name.en, *sc.aliases]:
            add_name(kb.names, a, sc.id, f"{path}: scale {sc.id}")
    return kb


@lru_cache(maxsize=1)
def default_scales() -> ScaleKB:
    return load_scales()


def main(argv: list[str] | None = None) -> int:
    try:
        kb = load_scales()
    except KBError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"ok: {len(kb.scales)} scales: " + ", ".join(kb.scales))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
