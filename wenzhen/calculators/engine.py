"""Run a calculator from the KB: read and convert inputs, derive, score or compute, interpret."""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable, Mapping

from pydantic import BaseModel

from wenzhen.kb.base import pick, read_messages
from wenzhen.kb.calc_loader import CalculatorKB, CompiledCalculator, default_calculator_kb, normalise_key
from wenzhen.kb.calc_schema import Variable

from .models import (
    CalculationError,
    CalculationResult,
    CalculatorInfo,
    InputSpec,
    InputValue,
    Interpretation,
    ItemScore,
    Language,
    Problem,
    UnknownCalculator,
)

_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))

# Named functions for calculators an expression cannot express (registered by functions.py).
FUNCTIONS: dict[str, Callable[[dict[str, Any], CompiledCalculator, Language], dict[str, Any]]] = {}

_MSG = _MESSAGES["engine"]
_UNIT_ZH = {"points": "分", "point": "分", "criteria": "项", "days": "天", "years": "岁"}
_TRUE = {"true", "yes", "y", "1", "是", "有", "阳性", "present", "positive", "+", "on", "checked"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "阴性", "absent", "negative", "-", "off", "none"}
_UNKNOWN = {"unknown", "notmentioned", "notmentinoed", "notreported", "na", "n/a", "nan", "未知", "不详", "不清楚", ""}
_NUM_UNIT = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def _label(v: Variable, lang: Language) -> str:
    return pick(v.label, lang)


def normalise_unit(unit: str) -> str:
    """Unit spelling for comparison; temperature words and their common misspellings folded."""
    u = unicodedata.normalize("NFKC", str(unit)).lower().replace("μ", "u").replace("µ", "u")
    u = u.replace("℃", "c").replace("℉", "f").replace("°", "")
    u = re.sub(r"\bdeg(?:ree)?s?\b", "", u)
    u = re.sub(r"\bcel\w*|\bcentigrade\b", "c", u)
    u = re.sub(r"\bfah\w*", "f", u)
    u = re.sub(r"\bmcg\b|\bmcg(?=/)", "ug", u)
    return re.sub(r"[\s_]+", "", u)


_UnitTable = dict[str, tuple[float, float, str | None]]  # normalised spelling -> (factor, offset, source)
_UNIT_TABLES: dict[int, tuple[Variable, _UnitTable]] = {}


def _unit_table(v: Variable) -> _UnitTable:
    """Every spelling of every unit of a variable, built once per Variable object."""
    hit = _UNIT_TABLES.get(id(v))
    if hit is not None and hit[0] is v:  # the id of a discarded KB's variable may be reused
        return hit[1]
    table: _UnitTable = {}
    if v.unit:
        for s in [v.unit, *v.unit_spellings]:
            table[normalise_unit(s)] = (1.0, 0.0, None)
    for u in v.units:
        for s in [u.unit, *u.spellings]:
            table.setdefault(normalise_unit(s), (u.factor, u.offset, u.source))
    _UNIT_TABLES[id(v)] = (v, table)
    return table


def _split(raw: Any) -> tuple[Any, str | None]:
    """(value, unit) of 1.4, "1.4 mg/dL", [1.4, "mg/dL"] or {"value": 1.4, "unit": "mg/dL"}."""
    unit: str | None = None
    value: Any = raw
    if isinstance(raw, Mapping):
        value, unit = raw.get("value"), raw.get("unit")
    elif isinstance(raw, (list, tuple)):
        value, unit = (raw[0] if raw else None), (raw[1] if len(raw) > 1 else None)
    if isinstance(value, str):
        m = _NUM_UNIT.match(unicodedata.normalize("NFKC", value))
        if m:
            value, unit = m.group(1), unit or (m.group(2) or None)
        else:
            value = _NOT_A_NUMBER
    return value, unit


_NOT_A_NUMBER = object()


def _parse_date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    s = unicodedata.normalize("NFKC", str(raw)).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s)
        if not m:
            return None
        a, b, y = map(int, m.groups())
        mo, d = (a, b) if a <= 12 else (b, a)  # US month/day unless the first part cannot be a month
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def coerce(v: Variable, raw: Any, lang: Language) -> tuple[Any, str | None]:
    """(canonical value or None when unknown, note) for one input; raises ValueError with a reason."""
    msg = _MSG[lang]
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None, None
    if isinstance(raw, str) and normalise_key(raw) in _UNKNOWN:
        return None, None
    if v.kind == "boolean":
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, (int, float)) and raw in (0, 1):
            return bool(raw), None
        key = unicodedata.normalize("NFKC", str(raw)).strip().lower()
        if key in _TRUE:
            return True, None
        if key in _FALSE:
            return False, None
        raise ValueError(msg["bool"])
    if v.kind == "choice":
        if isinstance(raw, bool) and v.yes_no_choices:
            return v.yes_no_choices[0 if raw else 1], None
        key = normalise_key(raw)
        for ch in v.choices:
            if key in {normalise_key(a) for a in [ch.id, ch.label.en, ch.label.zh, *ch.aliases]}:
                return ch.id, None
        if v.yes_no_choices and str(raw).strip().lower() in _TRUE | _FALSE:
            return v.yes_no_choices[0 if str(raw).strip().lower() in _TRUE else 1], None
        raise ValueError(msg["choice"].format(ok=", ".join(ch.id for ch in v.choices)))
    if v.kind == "date":
        d = _parse_date(raw)
        if d is None:
            raise ValueError(msg["date"])
        return d, None
    # number / integer
    if isinstance(raw, (list, tuple)) and not raw:
        return None, None
    value, unit = _split(raw)
    if value is _NOT_A_NUMBER or isinstance(value, bool):
        raise ValueError(msg["number"])
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(msg["number"]) from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError(msg["number"])
    note = None
    if unit:
        table = _unit_table(v)
        key = normalise_unit(unit)
        if key not in table:
            if v.unit is None and not v.units:
                table = {key: (1.0, 0.0, None)}  # unitless variable (a count, a score): the unit is a label
            else:
                ok = ", ".join([v.unit or ""] + [u.unit for u in v.units])
                raise ValueError(msg["unit"].format(u=unit, ok=ok))
        factor, offset, _ = table[key]
        x = x * factor + offset
    elif v.units and v.note_missing_unit:
        note = msg["no_unit"].format(x=_label(v, lang), u=v.unit)
    if not math.isfinite(x) or abs(x) > 1e12:  # 1.8e308 is impossible, not an overflow in round() below
        raise ValueError(msg["impossible"].format(lo=_fmt(v.min), hi=_fmt(v.max), unit=v.unit or ""))
    if x != 0:  # unit factors leave binary noise (600 months = 49.99999998 years): 10 significant digits
        x = round(x, 9 - int(math.floor(math.log10(abs(x)))))
    if (v.min is not None and x < v.min) or (v.max is not None and x > v.max):
        raise ValueError(msg["impossible"].format(lo=_fmt(v.min), hi=_fmt(v.max), unit=v.unit or ""))
    if v.kind == "integer":
        if abs(x - round(x)) > 1e-9:
            raise ValueError(msg["integer"])
        return int(round(x)), note
    return x, note


def _fmt(x: Any, decimals: int = 2) -> str:
    if x is None:
        return "?"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, float):
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        return f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return str(x)


def _in_bounds(x: float, b) -> bool:
    return not ((b.ge is not None and x < b.ge) or (b.gt is not None and x <= b.gt)
                or (b.le is not None and x > b.le) or (b.lt is not None and x >= b.lt))


def get_calculator(name: str, kb: CalculatorKB | None = None) -> CompiledCalculator:
    kb = kb or default_calculator_kb()
    cc = kb.find_calculator(name)
    if cc is None:
        names = list(kb.calculators)
        close = difflib.get_close_matches(normalise_key(name), names, n=3, cutoff=0.5)
        raise UnknownCalculator(name, close)
    return cc


def read_inputs(cc: CompiledCalculator | None, inputs: Mapping[str, Any], kb: CalculatorKB, lang: Language,
                ) -> tuple[dict[str, Any], list[InputValue], list[str], list[str], list[Problem]]:
    """Canonical values by variable id, their records, unused names, notes and problems.

    With a calculator, its own input names count and only its variables are read; without one
    (the risk report) every KB variable is read."""
    env: dict[str, Any] = {}
    records: list[InputValue] = []
    unused: list[str] = []
    notes: list[str] = []
    problems: list[Problem] = []
    derived_ids = {d.id for d, _ in cc.derived} if cc else set()
    for name, raw in inputs.items():
        key = normalise_key(name)
        vid = (cc.accepts.get(key) if cc else None) or kb.variable_names.get(key)
        if vid is None or (cc is not None and vid not in cc.variables and vid not in derived_ids):
            unused.append(str(name))
            continue
        var = kb.variables.get(vid)
        if var is None:  # a derived value given directly, e.g. MAP
            try:
                value = float(raw[0] if isinstance(raw, (list, tuple)) else raw)
            except (TypeError, ValueError, IndexError):
                problems.append(Problem(input=str(name), reason=_MSG[lang]["number"]))
                continue
            env[vid] = value
            records.append(InputValue(var=vid, label=vid, value=value, given=None))
            continue
        try:
            value, note = coerce(var, raw, lang)
        except ValueError as e:
            problems.append(Problem(input=str(name), var=vid, reason=f"{_label(var, lang)}: {e}"))
            continue
        if value is None:
            continue
        if note:
            notes.append(note)
        if env.get(vid) is not None and env[vid] != value:
            if var.kind == "boolean":  # two names for one yes/no fact disagree: yes wins (conservative)
                value = True
                notes.append(_MSG[lang]["conflict_yes"].format(x=_label(var, lang)))
            else:
                problems.append(Problem(input=str(name), var=vid, reason=_MSG[lang]["conflict"].format(
                    x=_label(var, lang), a=_fmt(env[vid]), b=_fmt(value))))
                continue
        env[vid] = value
        given = None if (isinstance(raw, (bool, int, float)) and str(name) == vid) else f"{name}={_given(raw)}"
        records.append(InputValue(var=vid, label=_label(var, lang),
                                  value=value.isoformat() if isinstance(value, dt.date) else value,
                                  unit=var.unit, given=given))
    return env, records, unused, notes, problems


def _given(raw: Any) -> str:
    if isinstance(raw, (list, tuple)):
        return " ".join(str(x) for x in raw)
    if isinstance(raw, Mapping):
        return f"{raw.get('value')} {raw.get('unit') or ''}".strip()
    return str(raw)


def calculate(name: str, inputs: Mapping[str, Any], language: Language = "zh",
              kb: CalculatorKB | None = None) -> CalculationResult:
    """Run one calculator. Raises UnknownCalculator or CalculationError (naming each bad input)."""
    kb = kb or default_calculator_kb()
    cc = get_calculator(name, kb)
    lang: Language = "en" if language == "en" else "zh"
    env, records, unused, notes, problems = read_inputs(cc, inputs, kb, lang)
    return _run(cc, kb, env, records, unused, notes, problems, lang)


def _run(cc: CompiledCalculator, kb: CalculatorKB, env: dict[str, Any], records: list[InputValue],
         unused: list[str], notes: list[str], problems: list[Problem], lang: Language) -> CalculationResult:
    c = cc.calc
    msg = _MSG[lang]
    assumed: list[str] = []
    for vid in cc.variables:  # fill defaults, then booleans as absent; numbers stay unknown
        if env.get(vid) is not None:
            continue
        var = kb.variables[vid]
        if vid in cc.defaults:
            env[vid] = coerce(var, cc.defaults[vid], lang)[0]
            assumed.append(msg["default"].format(x=_label(var, lang), v=_fmt(env[vid])))
            records.append(InputValue(var=vid, label=_label(var, lang), value=env[vid], unit=var.unit,
                                      origin="default"))
        elif var.kind == "boolean" and vid not in cc.required:
            env[vid] = False
            assumed.append(msg["assumed_absent"].format(x=_label(var, lang)))
        else:
            env[vid] = None
    for d, e in cc.derived:
        if env.get(d.id) is None:
            val = e.evaluate(env)
            env[d.id] = val
            if val is not None:
                records.append(InputValue(var=d.id, label=pick(d.label, lang),
                                          value=round(val, 4) if isinstance(val, float) else val, unit=d.unit,
                                          origin="derived"))
    bad = {p.var for p in problems if p.var}
    missing = [v for v in cc.required if env.get(v) is None and v not in bad]
    for v in missing:
        var = kb.variables.get(v)
        label = _label(var, lang) if var else v
        problems.append(Problem(input=v, var=v, reason=f"{label}: {msg['missing']}"))
    if problems:
        raise CalculationError(c.id, problems)
    items: list[ItemScore] = []
    not_assessed: list[str] = []
    value: Any
    display_extra: dict[str, Any] = {}
    if c.kind == "score":
        total = 0.0
        for ci in cc.items:
            label = pick(ci.item.label, lang)
            pts = _score_item(ci, env)
            if pts == "n/a":
                items.append(ItemScore(id=ci.item.id, label=label, points=0, applies=False))
                continue
            if isinstance(pts, tuple):  # a true case after undecidable ones: at least these points
                pts = pts[0]
                not_assessed.append(f"{label} (≥{_fmt(pts)})")
            elif pts is None:
                not_assessed.append(label)
            items.append(ItemScore(id=ci.item.id, label=label, points=pts))
            total += pts or 0
        value = int(total) if float(total).is_integer() else round(total, c.decimals)
    elif c.kind == "function":
        out = FUNCTIONS[c.function](env, cc, lang)
        value = out["value"]
        display_extra = out
        notes.extend(out.get("notes", []))
    else:
        value = cc.expr.evaluate(env)
        if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
            raise CalculationError(c.id, [Problem(input=c.id, reason=msg["result"])])
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float):
        value = round(value, c.decimals)
    interp = _interpret(cc, value, env, lang)
    if not_assessed:
        notes.append(msg["not_assessed"].format(x=msg["list_sep"].join(not_assessed)))
    unit = c.result_unit
    if lang == "zh" and unit in _UNIT_ZH:
        unit = _UNIT_ZH[unit]
    display = display_extra.get("display") or (f"{_fmt(value, c.decimals)} {unit}".strip() if unit else _fmt(value, c.decimals))
    return CalculationResult(
        calculator=c.id, name=pick(c.name, lang), kind=c.kind, value=value,
        display=display, unit=unit, components=display_extra.get("components", {}), interpretation=interp,
        items=items, inputs=records, assumed=assumed, not_assessed=not_assessed, complete=not not_assessed,
        unused_inputs=unused, notes=notes, formula=c.formula_text, source=c.source,
        caveat=pick(c.caveat, lang), language=lang)


def _score_item(ci, env: dict[str, Any]):
    """Points of one item; None when its data are missing; 'n/a' when its `when` is false."""
    it = ci.item
    if ci.when is not None:
        w = ci.when.evaluate(env)
        if w is None:
            return None
        if not w:
            return "n/a"
    if it.bands:
        x = env.get(it.var)
        if x is None:
            return None
        for b in it.bands:
            if _in_bounds(x, b):
                return b.points
        return 0.0
    if it.choices:
        x = env.get(it.var)
        return None if x is None else it.choices.get(x, 0.0)
    if it.var is not None and it.points is not None:
        x = env.get(it.var)
        return None if x is None else (it.points if x else 0.0)
    if it.if_ is not None:
        r = ci.test.evaluate(env)
        return None if r is None else (it.points if r else 0.0)
    if it.points_expr is not None:
        r = ci.test.evaluate(env)
        return None if r is None else float(r)
    unknown = False
    for expr, pts in ci.cases:
        r = expr.evaluate(env)
        if r is None:
            unknown = True  # an earlier case we cannot decide could outrank a later true one
            continue
        if r:
            return (pts, "minimum") if unknown else pts
    return None if unknown else 0.0


def _interpret(cc: CompiledCalculator, value: Any, env: dict[str, Any], lang: Language) -> Interpretation | None:
    if not isinstance(value, (int, float)):
        value = env.get("_interpret_value")
        if value is None:
            return None
    for b, cond in cc.bands:
        if not _in_bounds(value, b):
            continue
        if cond is not None and not cond.evaluate(env):
            continue
        return Interpretation(risk=b.risk, label=pick(b.label, lang),
                              advice=pick(b.advice, lang))
    return None


def list_calculators(kb: CalculatorKB | None = None) -> list[CalculatorInfo]:
    kb = kb or default_calculator_kb()
    out = []
    for cc in kb.calculators.values():
        c = cc.calc
        specs = []
        for vid in cc.variables:
            v = kb.variables[vid]
            specs.append(InputSpec(var=vid, label=v.label, kind=v.kind,
                                   required=vid in cc.required, default=cc.defaults.get(vid), unit=v.unit,
                                   units=[u.unit for u in v.units], choices=[ch.id for ch in v.choices],
                                   min=v.min, max=v.max))
        out.append(CalculatorInfo(id=c.id, name=c.name, aliases=c.aliases, kind=c.kind,
                                  dimensions=list(c.dimensions), purpose=c.purpose,
                                  inputs=specs, result_unit=c.result_unit, formula=c.formula_text, source=c.source))
    return sorted(out, key=lambda x: x.id)


class ConversionResult(BaseModel):
    var: str
    label: str
    value: float
    unit: str
    given: str
    canonical_value: float
    canonical_unit: str | None
    source: str | None = None


def convert(variable: str, value: Any, to_unit: str | None = None, language: Language = "zh",
            kb: CalculatorKB | None = None) -> ConversionResult:
    """Convert a measurement between the units the KB knows for it (creatinine 1.4 mg/dL → μmol/L).

    Raises CalculationError naming the problem (unknown variable or unit, impossible value)."""
    kb = kb or default_calculator_kb()
    lang: Language = "en" if language == "en" else "zh"
    vid = kb.variable_names.get(normalise_key(variable))
    var = kb.variables.get(vid) if vid else None
    if var is None or var.kind not in ("number", "integer"):
        raise CalculationError("convert", [Problem(input=str(variable), reason=(
            _MSG[lang]["not_convertible"]))])
    try:
        x, _ = coerce(var, value, lang)
    except ValueError as e:
        raise CalculationError("convert", [Problem(input=str(variable), var=vid, reason=str(e))]) from None
    if x is None:
        raise CalculationError("convert", [Problem(input=str(variable), var=vid, reason=_MSG[lang]["number"])])
    target = to_unit or var.unit
    table = _unit_table(var)
    key = normalise_unit(target or "")
    if key not in table:
        ok = ", ".join([var.unit or ""] + [u.unit for u in var.units])
        raise CalculationError("convert", [Problem(input=str(target), var=vid, reason=_MSG[lang]["unit"].format(
            u=target, ok=ok))])
    factor, offset, src = table[key]
    out = (x - offset) / factor
    if src is None:  # converting into the canonical unit: the source is the given unit's
        given_unit = _split(value)[1]
        src = table.get(normalise_unit(given_unit), (None, None, None))[2] if given_unit else None
    return ConversionResult(var=vid, label=_label(var, lang), value=round(out, 6), unit=target,
                            given=_given(value), canonical_value=x, canonical_unit=var.unit, source=src)
