"""Score a health scale from the KB: read every answer, run the scoring steps, interpret, advise.

Python holds only the arithmetic of the step kinds (value, sum, hours between two clock
times, percentage) and the band lookup; everything a table can say is in the YAML.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Mapping

from wenzhen.kb.base import normalise_key, pick, read_messages
from wenzhen.kb.calc_schema import RISK_ORDER
from wenzhen.kb.scale_schema import Condition, Item

from .loader import CompiledScale, ScaleKB, default_scales
from .models import (
    Advice,
    Answer,
    BandInfo,
    ComponentScore,
    CutoffResult,
    Interpretation,
    ItemInfo,
    Language,
    OptionInfo,
    Problem,
    Safety,
    ScaleError,
    ScaleInfo,
    ScaleResult,
    UnknownScale,
)

_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))

_MSG = _MESSAGES["engine"]
_MISSING = {"", "na", "nan", "n/a", "null", "未答", "缺失", "未作答", "—", "-"}
_NUM_UNIT = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*?)\s*$")
_HMS = re.compile(r"^(\d{1,2})\s*[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2}(?:\.\d+)?))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.I)
_H_AMPM = re.compile(r"^(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)$", re.I)
_ZH_TIME = re.compile(r"^(上午|早上|早晨|清晨|凌晨|中午|下午|傍晚|晚上|夜里|夜间|半夜)?\s*(\d{1,2})\s*[点時时]"
                      r"(?:\s*(半)|\s*(\d{1,2})\s*分?)?(?:钟)?$")


def _t(lang: Language, key: str, **kw) -> str:
    return _MSG[lang][key].format(**kw)


def _is_missing(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and unicodedata.normalize("NFKC", raw).strip().lower() in _MISSING


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _options_text(cs: CompiledScale, item: Item, lang: Language) -> str:
    return ", ".join(f"{_fmt(o.value)}={pick(o.label, lang)}" for o in cs.options[item.id])


def _parse_choice(cs: CompiledScale, item: Item, raw: Any, lang: Language) -> tuple[float, str]:
    opts = cs.options[item.id]
    values = {o.value: o for o in opts}
    value: float | None = None
    if isinstance(raw, bool):
        if set(values) == {0.0, 1.0}:
            value = 1.0 if raw else 0.0
    elif isinstance(raw, (int, float)):
        if math.isfinite(raw) and float(raw) in values:
            value = float(raw)
    elif isinstance(raw, str):
        key = normalise_key(raw)
        m = _NUM_UNIT.match(raw)
        if m and not m.group(2):
            v = float(m.group(1))
            value = v if v in values else None
        elif key in cs.answer_names[item.id]:
            value = cs.answer_names[item.id][key]
    if value is None:
        raise ValueError(_t(lang, "choice", g=raw, ok=_options_text(cs, item, lang)))
    o = values[value]
    return value, (pick(o.label, lang))


def _parse_number(item: Item, raw: Any, lang: Language) -> float:
    unit = (pick(item.unit, lang)) or ""
    if isinstance(raw, bool):
        raise ValueError(_t(lang, "number", unit=unit))
    if isinstance(raw, (int, float)):
        x = float(raw)
    elif isinstance(raw, str):
        m = _NUM_UNIT.match(unicodedata.normalize("NFKC", raw))
        if not m:
            raise ValueError(_t(lang, "number", unit=unit))
        x, u = float(m.group(1)), m.group(2)
        ok = {normalise_key(s) for s in [*item.unit_spellings, item.unit.zh or "", item.unit.en or ""]} - {""}
        if u and normalise_key(u) not in ok:
            raise ValueError(_t(lang, "unit", u=u, ok=", ".join(item.unit_spellings or [unit])))
    else:
        raise ValueError(_t(lang, "number", unit=unit))
    if not math.isfinite(x) or x < item.min or x > item.max:  # type: ignore[operator]
        raise ValueError(_t(lang, "range", lo=item.min, hi=item.max, unit=unit))
    if item.integer and not x.is_integer():
        raise ValueError(_t(lang, "integer"))
    return x


def parse_clock(raw: Any) -> float | None:
    """A clock time as hours since midnight (22:30 → 22.5), or None when unreadable.

    Accepts datetime.time/datetime, "22:30", "22:30:00", "10:30 pm", "10pm", "22点30分", "晚上10点半"."""
    if isinstance(raw, (dt.time, dt.datetime)):
        return raw.hour + raw.minute / 60 + raw.second / 3600
    if not isinstance(raw, str):
        return None
    s = unicodedata.normalize("NFKC", raw).strip().lower()
    h = m = 0
    sec = 0.0
    ampm = None
    if mt := _HMS.match(s):
        h, m = int(mt.group(1)), int(mt.group(2))
        sec = float(mt.group(3) or 0)
        ampm = mt.group(4)
    elif mt := _H_AMPM.match(s):
        h, ampm = int(mt.group(1)), mt.group(2)
    elif mt := _ZH_TIME.match(s):
        word, h = mt.group(1), int(mt.group(2))
        m = 30 if mt.group(3) else int(mt.group(4) or 0)
        if word in ("下午", "傍晚") and h < 12:
            h += 12
        elif word == "晚上" and 5 <= h < 12:
            h += 12
        elif word == "中午" and h < 6:
            h += 12
        elif word in ("晚上", "凌晨", "夜里", "夜间", "半夜") and h == 12:
            h = 0
    else:
        return None
    if ampm:
        if h < 1 or h > 12:
            return None
        pm = ampm.startswith("p")
        h = (h % 12) + (12 if pm else 0)
    if h == 24 and m == 0 and sec == 0:
        h = 0
    if not (0 <= h < 24 and 0 <= m < 60 and 0 <= sec < 60):
        return None
    return h + m / 60 + sec / 3600


def _clock_text(hours: float) -> str:
    total = round(hours * 3600)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def _parse(cs: CompiledScale, item: Item, raw: Any, lang: Language) -> tuple[float | str, str | None]:
    if item.kind == "choice":
        return _parse_choice(cs, item, raw, lang)
    if item.kind == "number":
        return _parse_number(item, raw, lang), None
    if item.kind == "time":
        h = parse_clock(raw)
        if h is None:
            raise ValueError(_t(lang, "time"))
        return h, None
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        return str(raw), None
    raise ValueError(_t(lang, "text"))


def _holds(c: Condition, env: dict[str, float | None]) -> bool:
    v = env.get(c.of)
    if c.missing:
        return v is None
    return v is not None and c.contains(v)


def _rule_fires(when: list[Condition], when_any: list[Condition], env: dict[str, float | None]) -> bool:
    return all(_holds(c, env) for c in when) and (not when_any or any(_holds(c, env) for c in when_any))


def find_scale(name: str, kb: ScaleKB | None = None, language: Language = "zh") -> CompiledScale:
    kb = kb or default_scales()
    cs = kb.find(str(name))
    if cs is None:
        raise UnknownScale(str(name), sorted(kb.scales), language)
    return cs


def _safety(cs: CompiledScale, env: dict[str, float | None], unreadable: set[str], lang: Language) -> Safety:
    fired = [s for s in cs.scale.safety
             if any(_holds(c, env) for c in s.when_any) or unreadable & set(s.alert_when_unreadable)]
    if not fired:
        return Safety()
    msg = "\n".join(pick(s.message, lang) for s in fired)
    return Safety(alert=True, message=msg, rules=[s.id for s in fired], source="; ".join(s.source for s in fired))


def score_scale(name: str, answers: Mapping[str, Any], language: Language = "zh", *,
                allow_missing: bool | None = None, kb: ScaleKB | None = None) -> ScaleResult:
    """Score one scale. Answers are keyed by item id (or an item alias); values are points,
    option labels (zh/en), numbers (with an optional unit) or clock times.

    Raises ScaleError naming every invalid answer, and every missing scored answer unless the
    scale (or `allow_missing`) allows partial scoring, in which case the parts that need a
    missing answer are not computable (None, with the reason)."""
    lang: Language = "en" if language == "en" else "zh"
    cs = find_scale(name, kb, lang)
    sc = cs.scale
    if not isinstance(answers, Mapping):
        raise ScaleError(sc.id, [Problem(item="answers", given=type(answers).__name__,
                                         reason=_t(lang, "mapping"))],
                         lang)
    partial = (sc.missing == "partial") if allow_missing is None else allow_missing
    env: dict[str, float | None] = {}
    parsed: dict[str, Answer] = {}
    invalid: list[Problem] = []
    unreadable: set[str] = set()
    unused: list[str] = []
    alert_items = cs.alert_items
    for key, raw in answers.items():
        iid = cs.keys.get(normalise_key(key))
        if iid is None:
            unused.append(str(key))
            continue
        if _is_missing(raw):
            if raw is not None and iid in alert_items:
                unreadable.add(iid)  # "NaN" for PHQ-9 item 9: not asked is not "no" — the alert stands
            continue
        item = cs.items[iid]
        try:
            value, label = _parse(cs, item, raw, lang)
        except ValueError as e:
            invalid.append(Problem(item=iid, given=raw, reason=str(e)))
            unreadable.add(iid)
            continue
        if iid in parsed and parsed[iid].value != (value if item.kind != "time" else _clock_text(value)):  # type: ignore[arg-type]
            invalid.append(Problem(item=iid, given=raw, reason=_t(lang, "twice")))
            unreadable.add(iid)
            continue
        shown = _clock_text(value) if item.kind == "time" else (_num(value) if isinstance(value, float) else value)
        parsed[iid] = Answer(item=iid, value=shown, label=label, given=raw)
        if item.kind != "text":
            env[iid] = value  # type: ignore[assignment]
    scored = [i for i, it in cs.items.items() if it.scored and it.kind != "text"]
    missing = [Problem(item=i, reason=_t(lang, "missing")) for i in scored if i not in env and i not in unreadable]
    for i in scored:
        env.setdefault(i, None)
    safety = _safety(cs, env, unreadable, lang)
    if invalid or (missing and not partial) or not any(env.get(i) is not None for i in scored):
        problems = invalid + ([] if partial and not invalid and any(env.get(i) is not None for i in scored)
                              else missing)
        if not problems:
            problems = [Problem(item="answers", reason=_t(lang, "nothing"))]
        raise ScaleError(sc.id, problems, lang, safety)

    reasons: dict[str, str] = {}
    notes: list[str] = []
    details_of: dict[str, dict[str, float | int | None]] = {}
    label = (lambda x: pick(x.name, lang))
    lacking: dict[str, list[str]] = {}  # step id -> the unanswered items that made it not computable
    for st in sc.steps:
        vals = [env.get(r) for r in st.of]
        why = [r for r, v in zip(st.of, vals) if v is None]
        leaves: list[str] = []
        for r in why:
            for x in lacking.get(r, [r] if r in cs.items else []):
                if x not in leaves:
                    leaves.append(x)
        value: float | None = None
        if st.missing == "all" and len(why) < len(st.of):
            value = float(sum(v for v in vals if v is not None))
        elif why:
            lacking[st.id] = leaves
            inherited = [reasons[r] for r in why if r in reasons and not lacking.get(r)]
            if inherited:
                reasons[st.id] = inherited[0]
            else:
                reasons[st.id] = _t(lang, "all_missing" if st.missing == "all" else "needs", x=", ".join(leaves))
        elif st.combine == "value":
            value = float(vals[0])  # type: ignore[arg-type]
        elif st.combine == "sum":
            value = float(sum(vals))  # type: ignore[arg-type]
        elif st.combine == "hours_between":
            value = (vals[1] - vals[0]) % 24.0  # type: ignore[operator]
        elif st.combine == "percent":
            a, b = vals
            if b == 0:
                reasons[st.id] = _t(lang, "zero_tib")
            else:
                value = a / b * 100.0  # type: ignore[operator]
                if value > 100:
                    notes.append(_t(lang, "over_100", a=round(a, 2), b=round(b, 2)))  # type: ignore[arg-type]
        if value is not None:
            value = round(value, 6)  # no float noise at a band edge (85.00000000001)
            if st.bands:
                value = float(next(b for b in st.bands if b.contains(value)).score)
            else:
                value = round(value, st.decimals)
        env[st.id] = value
        det: dict[str, float | int | None] = {}  # intermediate values shown with the component they feed
        for r in st.of:
            if r in cs.steps and not cs.steps[r].component:
                det.update(details_of.get(r, {}))
                det[r] = None if env.get(r) is None else _num(env[r])  # type: ignore[arg-type]
        details_of[st.id] = det
    comps = []
    for st in sc.steps:
        if st.component:
            comps.append(ComponentScore(
                id=st.id, name=label(st), score=None if env[st.id] is None else _num(env[st.id]),  # type: ignore[arg-type]
                max=_num(cs.domains[st.id].hi), reason=reasons.get(st.id) if env[st.id] is None else None,
                rule=pick(st.rule, lang), details=details_of.get(st.id, {})))
    tvals = [env.get(r) for r in sc.total.of]
    total: float | None = None
    total_reason = None
    if any(v is None for v in tvals):
        total_reason = _t(lang, "total_missing", x=", ".join(r for r, v in zip(sc.total.of, tvals) if v is None))
    else:
        total = float(sum(tvals))  # type: ignore[arg-type]
    env["total"] = total
    interp = None
    if total is not None:
        band = next(b for b in sc.interpretation if b.contains(total))
        interp = Interpretation(risk=band.risk, label=pick(band.label, lang),
                                source=band.source, band=pick(band.label, lang))
        for o in sc.overrides:
            if _rule_fires(o.when, o.when_any, env) and RISK_ORDER[o.risk] > RISK_ORDER[interp.risk]:
                interp = Interpretation(risk=o.risk, label=pick(o.label, lang),
                                        source=o.source, override=o.id, band=interp.label)
    cutoffs = []
    for c in sc.cutoffs:
        thr = c.gt if c.gt is not None else c.ge
        pos = None if total is None else (total > c.gt if c.gt is not None else total >= c.ge)  # type: ignore[operator]
        cutoffs.append(CutoffResult(id=c.id, label=pick(c.label, lang),
                                    threshold=f"{'>' if c.gt is not None else '≥'} {_fmt(thr)}",  # type: ignore[arg-type]
                                    positive=pos, meaning=pick(c.meaning, lang),
                                    source=c.source))
    advice = [Advice(id=f"safety_{rid}", text=txt, source=src) for rid, txt, src in
              [(s.id, pick(s.message, lang), s.source)
               for s in sc.safety if s.id in safety.rules]]
    advice += [Advice(id=a.id, text=pick(a.text, lang), source=a.source)
               for a in sc.advice if _rule_fires(a.when, a.when_any, env)]
    return ScaleResult(
        scale=sc.id, abbreviation=sc.abbreviation, name=pick(sc.name, lang), language=lang,
        total=None if total is None else _num(total), total_min=_num(sc.total.min), total_max=_num(sc.total.max),
        total_reason=total_reason, complete=not missing, components=comps, interpretation=interp, cutoffs=cutoffs,
        advice=advice, safety=safety, answers=[parsed[i] for i in cs.items if i in parsed], missing=missing,
        unused=unused, notes=notes, scoring=pick(sc.scoring, lang),
        caveat=pick(sc.caveat, lang), source=sc.source)


def list_scales(kb: ScaleKB | None = None) -> list[ScaleInfo]:
    kb = kb or default_scales()
    out = []
    for cs in kb.scales.values():
        sc = cs.scale
        items = [ItemInfo(
            id=it.id, aliases=it.aliases, text=it.text, kind=it.kind,
            options=[OptionInfo(value=_num(o.value), label=o.label)
                     for o in cs.options.get(it.id, [])],
            min=it.min, max=it.max, unit=it.unit, scored=it.scored,
            note=it.note) for it in sc.items]
        bands = [BandInfo(range=b.describe(), risk=b.risk, label=b.label, source=b.source)
                 for b in sc.interpretation]
        out.append(ScaleInfo(
            id=sc.id, abbreviation=sc.abbreviation, name=sc.name, aliases=sc.aliases,
            purpose=sc.purpose, timeframe=sc.timeframe, instructions=sc.instructions,
            items=items, components=[s.id for s in sc.steps if s.component], total_min=_num(sc.total.min),
            total_max=_num(sc.total.max), bands=bands, has_safety_rule=bool(sc.safety), scoring=sc.scoring,
            copyright=sc.copyright, source=sc.source))
    return out
