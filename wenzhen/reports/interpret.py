"""Interpret a parsed report: normalise items and units, choose intervals, flag, explain, summarise."""
from __future__ import annotations

import re
from pathlib import Path

from wenzhen.kb import get_kb
from wenzhen.kb.base import pick, read_messages
from wenzhen.kb.lab_loader import LabKnowledgeBase, default_lab_kb
from wenzhen.kb.lab_schema import URGENCY_ORDER, DecisionLimits, LabItem, ReferenceInterval
from wenzhen.kb.units import parse_unit, try_parse_unit

from .imaging import read_imaging
from .models import (
    DerivedValue,
    InterpretedItem,
    Interval,
    ItemExplanation,
    Language,
    MedicationNoteOut,
    ParsedReport,
    PatientContext,
    PatternFinding,
    RawResult,
    ReportInterpretation,
)
from .panels import PRINTED_RANGE, READING
from .parse import parse_bytes, parse_text

ABNORMAL = {"high", "low", "critical_high", "critical_low", "positive", "abnormal"}
_QUAL_MAP = [
    (re.compile(r"^(阴性|未检出|neg(ative)?|non-?reactive|-|—|\(-\)|阴性\(-\)|正常|normal)$", re.I), "negative"),
    (re.compile(r"^(±|\+-|微量|trace|弱阳性|weakly positive|少量)$", re.I), "trace"),
    (re.compile(r"^(阳性|检出|pos(itive)?|reactive|异常|\+{1,4}|[1-4]\+|阳性\(\+\))$", re.I), "positive"),
]
_CMP = re.compile(r"^\s*(<=|>=|≤|≥|<|>|小于|大于|低于|高于)\s*([-+]?\d+(?:\.\d+)?)\s*$")


def _direction(value: float, comparator: str | None, lo: float | None, hi: float | None) -> str:
    """low / high / normal against [lo, hi], or unknown when a censored result ("<0.5", ">20") could fall on either
    side. "<0.005" below an interval starting at 0.27 is certainly low; "<0.5" may be 0.1 or 0.4."""
    if comparator in ("<", "<="):
        if lo is not None and value <= lo:
            return "low"
        return "normal" if hi is not None and value <= hi and (lo is None or lo <= 0) else "unknown"
    if comparator in (">", ">="):
        if hi is not None and value >= hi:
            return "high"
        return "normal" if lo is not None and value >= lo and hi is None else "unknown"
    return "low" if lo is not None and value < lo else "high" if hi is not None and value > hi else "normal"


def _qualitative(text: str) -> str | None:
    # "2+ *", "阳性↑": the marks a laboratory prints beside an abnormal grade are not part of it
    t = text.strip().replace(" ", "").rstrip("*↑↓")
    for rx, label in _QUAL_MAP:
        if rx.match(t):
            if label == "positive" and re.match(r"^(\+{1,4}|[1-4]\+)$", t):
                return f"{t.count('+')}+" if t.startswith("+") else t
            return label
    return None


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _printed_direction(raw: RawResult) -> str | None:
    """high / low from the mark the laboratory printed beside the result (↑, 偏高, H as a cell of its own …)."""
    t = (raw.flag_text or "").strip()
    if t in _PRINTED_HIGH:
        return "high"
    if t in _PRINTED_LOW:
        return "low"
    if (t in _LETTER_HIGH or t in _LETTER_LOW) and re.search(rf"(?:^|\s{{2}}){re.escape(t)}(?:\s{{2}}|$)", raw.line):
        return "high" if t in _LETTER_HIGH else "low"
    return None


def report_interval(text: str | None) -> tuple[float | None, float | None, str | None] | None:
    """'3.5-9.5' → (3.5, 9.5); '<5.2' → (None, 5.2); '阴性' → (None, None, 'negative')."""
    if not text:
        return None
    t = text.strip()
    if m := PRINTED_RANGE.match(t):  # the readers' own separators: a photo's "130~-175" too
        lo, hi = float(m.group(1)), float(m.group(2))
        return (lo, hi, None) if lo <= hi else None
    if m := _CMP.match(t):
        op, v = m.group(1), float(m.group(2))
        return (None, v, None) if op in ("<", "<=", "≤", "小于", "低于") else (v, None, None)
    q = _qualitative(t)
    if q in ("negative", "positive"):
        return None, None, q
    return None


def select_reference(item: LabItem, patient: PatientContext,
                     kb: LabKnowledgeBase | None = None) -> tuple[ReferenceInterval | None, str]:
    """The interval for this patient, and a note when it is an approximation."""
    kb = kb or default_lab_kb()
    adult = kb.policy.adult_age_years
    age = patient.age_years
    note = ""
    cands = item.reference
    if not cands:
        return None, ""
    if age is None:
        age_ok = [r for r in cands if r.min_age is None or r.min_age <= adult] or cands
        age_ok = [r for r in age_ok if (r.max_age is None or r.max_age > adult)] or age_ok
        note = "age unknown: adult interval"
    else:
        age_ok = [r for r in cands if (r.min_age is None or r.min_age <= age) and (r.max_age is None or age < r.max_age)]
        if not age_ok:
            adult_only = [r for r in cands if r.max_age is None]
            if adult_only and age < adult:
                age_ok, note = adult_only, "no children's interval in the knowledge base: adult interval"
            elif age >= adult:
                # outside the standard's age bands (e.g. ≥80): use the nearest band
                age_ok = sorted(cands, key=lambda r: abs((r.max_age or 200) - age))[:2]
                note = "age outside the standard's bands: nearest band"
            else:
                age_ok = cands
        elif age < adult and not any(r.max_age is not None and r.max_age <= adult for r in age_ok):
            note = "no children's interval in the knowledge base: adult interval"
    if patient.sex:
        sexed = [r for r in age_ok if r.sex in (None, patient.sex)]
        if sexed:
            return sexed[0], note
    sexes = {r.sex for r in age_ok}
    if len(age_ok) > 1 and sexes >= {"male", "female"}:
        lo = [r.low for r in age_ok if r.low is not None]
        hi = [r.high for r in age_ok if r.high is not None]
        merged = ReferenceInterval(low=min(lo) if lo else None, high=max(hi) if hi else None, source=age_ok[0].source)
        return merged, (note + "; " if note else "") + "sex unknown: widest of the male and female intervals"
    return age_ok[0], note


def _band(limits: DecisionLimits, value: float):
    for b in limits.bands:
        if (b.low is None or value >= b.low) and (b.high is None or value < b.high):
            return b
    return None


def _band_direction(limits: DecisionLimits, band) -> str:
    if band.flag in ("high", "low", "normal"):
        return band.flag
    normal = [b for b in limits.bands if b.flag == "normal"]
    if normal and band.low is not None and normal[0].high is not None and band.low >= normal[0].high:
        return "high"
    return "low" if normal else "high"


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}"


def _interval_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{_fmt(lo)}–{_fmt(hi)}"
    if hi is not None:
        return f"<{_fmt(hi)}" if lo is None else ""
    return f">{_fmt(lo)}"


def _population(r: ReferenceInterval, lang: Language) -> str:
    parts = []
    if r.sex:
        parts.append(_msg(lang, "sex")[r.sex])
    if r.min_age is not None or r.max_age is not None:
        lo, hi = _fmt(r.min_age) or "0", _fmt(r.max_age)
        parts.append(_msg(lang, "age_range" if hi else "age_from").format(lo=lo, hi=hi))
    return " ".join(parts)


class _Converter:
    """Values between the printed unit and the item's canonical unit."""

    def __init__(self, item: LabItem | None, printed: str | None):
        self.factor: float | None = None
        self.note: tuple = ()
        if item is None or item.unit is None:
            self.factor = 1.0 if item is not None else None
            return
        canon_unit, _ = parse_unit(item.unit)
        if not printed:
            self.factor = 1.0
            self.note = ("no_unit", item.unit)
            return
        parsed = try_parse_unit(printed)
        if parsed is None:
            self.factor = 1.0
            self.note = ("unit_unknown", printed, item.unit)
            return
        u, f = parsed
        if u == canon_unit:
            self.factor = f
            return
        for conv in item.conversions:
            cu, cf = parse_unit(conv.unit)
            if cu == u:
                self.factor = f / cf * conv.factor
                return
        self.note = ("unit_mismatch", printed, item.unit)


_NOTES = {
    "zh": {"no_unit": "未读到单位，按{}解读", "unit_unknown": "单位“{}”无法识别，按{}解读",
           "unit_mismatch": "单位{}无法换算为{}，未用标准参考区间判断", "implausible": "数值超出可能范围，请对照原报告核对",
           "age unknown: adult interval": "年龄未知，采用成人参考区间",
           "no children's interval in the knowledge base: adult interval": "知识库暂无该年龄段儿童参考区间，采用成人参考区间，仅供参考",
           "age outside the standard's bands: nearest band": "年龄超出标准分组，采用最接近年龄组的参考区间",
           "sex unknown: widest of the male and female intervals": "性别未知，采用男女参考区间的并集（可能漏判），请补充性别"},
    "en": {"no_unit": "no unit read: taken as {}", "unit_unknown": "unit {!r} not recognised: taken as {}",
           "unit_mismatch": "unit {} cannot be converted to {}: the standard interval was not applied",
           "implausible": "value outside the possible range: check it against the paper report",
           "age unknown: adult interval": "age unknown: adult interval",
           "no children's interval in the knowledge base: adult interval": "no children's interval in the knowledge base for this age: adult interval, for orientation only",
           "age outside the standard's bands: nearest band": "age outside the standard's bands: nearest band",
           "sex unknown: widest of the male and female intervals": "sex unknown: widest of the male and female intervals (may miss an abnormal value); give the sex"},
}


def _explanation(item: LabItem, flag: str, lang: Language, critical: bool) -> ItemExplanation | None:
    meaning = pick(item.meaning, lang)
    ex = {"high": item.high, "critical_high": item.high, "low": item.low, "critical_low": item.low,
          "positive": item.positive, "negative": item.positive, "abnormal": item.positive}.get(flag)
    if ex is None:
        if flag in ABNORMAL or flag == "negative":
            return ItemExplanation(meaning=meaning, urgency="emergency" if critical else "routine",
                                   advice=_msg(lang, "ask_doctor"), departments=["general_practice"])
        return ItemExplanation(meaning=meaning)
    urgency = "emergency" if critical else ex.urgency
    advice = pick(ex.advice, lang)
    if critical:
        advice = _msg(lang, "critical_advice") + advice
    return ItemExplanation(meaning=meaning, causes=pick(ex.causes, lang),
                           advice=advice, urgency=urgency,
                           departments=(["emergency"] if critical else []) + list(ex.departments))


_ALL_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))
_MESSAGES = _ALL_MESSAGES["interpret"]
_SOURCES = _ALL_MESSAGES["sources"]
_PRINTED_HIGH = frozenset(READING["printed_high"])
_PRINTED_LOW = frozenset(READING["printed_low"])
_LETTER_HIGH = frozenset(READING["printed_letter_high"])
_LETTER_LOW = frozenset(READING["printed_letter_low"])


def _msg(lang: Language, key: str):
    return _MESSAGES[lang][key]


def _critical(kb: LabKnowledgeBase, item_id: str, value: float | None, qual: str | None, age: float | None,
              flag: str = "unknown") -> str | None:
    for c in kb.critical:
        if c.item != item_id:
            continue
        if c.min_age is not None and (age is None or age < c.min_age):
            continue
        if c.max_age is not None and (age is None or age >= c.max_age):
            continue
        if c.positive and qual not in (None, "negative"):
            return "critical_high"
        if c.above_reference and flag == "high":
            return "critical_high"
        if value is None:
            continue
        if c.low is not None and value < c.low:
            return "critical_low"
        if c.high is not None and value > c.high:
            return "critical_high"
    return None


def interpret_item(raw: RawResult, kb: LabKnowledgeBase, patient: PatientContext, lang: Language) -> InterpretedItem:
    item = kb.items.get(raw.item_id) if raw.item_id else None
    notes: list[str] = []
    value_text = raw.value_text.strip()
    comparator = None
    if m := re.match(r"^(<=|>=|<|>)\s*(.+)$", value_text):
        comparator, value_text = m.group(1), m.group(2)
    value = _float(value_text)
    qual = None if value is not None else _qualitative(value_text)
    described = None  # a result in words (黄色, 浑浊): normal when the item lists it as normal, else abnormal
    if item and item.normal_results and value is None and value_text:
        word = value_text.strip().rstrip("*↑↓").strip()
        if word in item.normal_results or qual == "negative":
            described = "normal"
        elif qual is None or word not in ("", "-"):
            described = "abnormal"
    conv = _Converter(item, raw.unit) if item else None
    canonical = value * conv.factor if (conv and conv.factor is not None and value is not None) else None
    if conv and conv.note:
        notes.append(_NOTES[lang][conv.note[0]].format(*conv.note[1:]))
    implausible = bool(item and canonical is not None and item.plausible
                       and not (item.plausible[0] <= canonical <= item.plausible[1]))
    if implausible:
        notes.append(_NOTES[lang]["implausible"])
        canonical = None
    flag = "unknown"
    interval: Interval | None = None
    band_label = None
    printed = report_interval(raw.interval_text)
    if described is not None:
        flag = described
        interval = Interval(text=_msg(lang, "sep").join(item.normal_results[:3]), origin="expected",
                            source=item.source)
    elif value is not None and printed and printed[2] is None:
        lo, hi, _ = printed
        interval = Interval(low=lo, high=hi, text=raw.interval_text.strip(), origin="report",
                            source=_msg(lang, "interval_report"))
        flag = _direction(value, comparator, lo, hi)
        marked = _printed_direction(raw)
        if flag == "normal" and marked and item and item.kind == "quantitative":
            # The laboratory marked it high or low, yet it reads inside the interval as read: the photo lost a
            # decimal point of the interval (3.50-950) or misread a digit (183 as 163). The laboratory's mark stands.
            flag = marked
            notes.append(_msg(lang, "mark_against_interval"))
        if item and item.kind == "qualitative" and flag == "high":
            flag = "positive"
    elif qual is not None:
        said = printed[2] if printed and printed[2] else None
        if said == "positive" and qual != "negative" and (item is None or item.expected == "negative"):
            # "隐血 ERY 2+ 阳性": 阳性 restates the result; it is not a reference under which 2+ would be normal
            said = None
        expected = said or (item.expected if item else None) or "negative"
        interval = Interval(text=_msg(lang, "qualitative").get(expected, expected),
                            origin="report" if printed else "expected",
                            source=_msg(lang, "interval_report") if printed else (item.source if item else ""))
        is_pos = qual != "negative"
        if expected == "negative":
            flag = "positive" if is_pos else "normal"
        else:
            flag = "normal" if is_pos else "negative"
        if qual == "trace" and flag == "positive":
            notes.append(_msg(lang, "trace"))
    elif item and canonical is not None:
        ref, ref_note = select_reference(item, patient, kb)
        if ref_note:
            notes.append("; ".join(_NOTES[lang][k] for k in ref_note.split("; ")))
        if ref is not None:
            interval = Interval(low=ref.low, high=ref.high, text=_interval_text(ref.low, ref.high) + (f" {item.unit}" if item.unit else ""),
                                origin="standard", source=ref.source, population=_population(ref, lang))
            flag = _direction(canonical, comparator, ref.low, ref.high)
        elif item.decision_limits:
            b = _band(item.decision_limits, canonical)
            if b:
                flag = _band_direction(item.decision_limits, b)
                normal = [x for x in item.decision_limits.bands if x.flag == "normal"]
                if normal:
                    interval = Interval(low=normal[0].low, high=normal[0].high,
                                        text=_interval_text(normal[0].low, normal[0].high) + (f" {item.unit}" if item.unit else ""),
                                        origin="guideline", source=item.decision_limits.source)
    unqualified = bool(item and item.qualifier and raw.qualified is False)
    if item and item.decision_limits and canonical is not None and not unqualified:
        b = _band(item.decision_limits, canonical)
        if b:
            band_label = f"{pick(b.label, lang)} ({item.decision_limits.source})"
    if implausible:
        flag = "unknown"  # a value no body can have was misread (OCR "0.69↓" as "↑690"): no confident flag
    if raw.doubtful:
        flag = "unknown"  # OCR may have lost the result and read the reference: a lost "+" must not pass as negative
        notes.append(_msg(lang, "result_in_doubt"))
    critical = False
    if item and not implausible:
        c = _critical(kb, item.id, canonical, qual, patient.age_years, flag)
        if c:
            flag, critical = c, True
    if raw.near_name and item and not raw.by_interval:
        notes.append(_msg(lang, "near_name").format(printed=raw.name, name=pick(item.name, lang)))
    if raw.by_interval and item:
        notes.append(_msg(lang, "by_interval").format(printed=raw.name, name=pick(item.name, lang)))
    if raw.unit_as_printed and item:
        notes.append(_msg(lang, "unit_misread").format(printed=raw.unit_as_printed, unit=raw.unit))
    if raw.confidence is not None and raw.confidence < 0.85:
        notes.append(("OCR confidence %.0f%%: check this value against the paper report" if lang == "en"
                      else "拍照识别置信度%.0f%%，请对照原报告核对该数值") % (raw.confidence * 100))
    explanation = _explanation(item, flag, lang, critical) if item else None
    if unqualified and explanation and flag in ("high", "critical_high") and item.qualifier.otherwise_high:
        # Not said to be fasting: no fasting cut-off, and the advice for a glucose of unknown timing.
        alt = item.qualifier.otherwise_high
        explanation = explanation.model_copy(update={
            "causes": pick(alt.causes, lang), "advice": pick(alt.advice, lang) if not critical else explanation.advice,
            "urgency": "emergency" if critical else alt.urgency,
            "departments": (["emergency"] if critical else []) + list(alt.departments)})
    if explanation and flag in ("normal", "unknown"):
        explanation = ItemExplanation(meaning=explanation.meaning)
    return InterpretedItem(
        item_id=item.id if item else None, code=item.code if item else None, loinc=item.loinc if item else None,
        name=pick(item.qualifier.otherwise_name if unqualified else item.name, lang) if item else raw.name,
        printed_name=raw.name,
        categories=list(item.categories) if item else [], value=value, value_text=raw.value_text,
        comparator=comparator, qualitative=qual, unit=raw.unit, canonical_value=canonical,
        canonical_unit=item.unit if item else None, interval=interval, flag=flag, critical=critical,
        guideline_band=band_label, report_flag=raw.flag_text, explanation=explanation, notes=notes,
        line=raw.line, confidence=raw.confidence)


def _cond_met(facts: dict[str, tuple[str, float | None, str]], cond) -> bool:
    """`facts`: item or derived id → (flag, value in the canonical unit, result as printed)."""
    if cond.item not in facts:
        return False
    f, value, printed = facts[cond.item]
    if cond.results and printed.strip().rstrip("*↑↓").strip() not in cond.results:
        return False
    if cond.flag is not None and not {
            "high": f in ("high", "critical_high"), "low": f in ("low", "critical_low"),
            "abnormal": f in ABNORMAL or f == "negative", "positive": f == "positive", "normal": f == "normal"}[cond.flag]:
        return False
    if cond.above is not None and (value is None or value < cond.above):
        return False
    if cond.below is not None and (value is None or value >= cond.below):
        return False
    return True


def _facts(items: dict[str, InterpretedItem], derived: list[DerivedValue]) -> dict[str, tuple[str, float | None, str]]:
    facts = {k: (it.flag, it.canonical_value, it.value_text) for k, it in items.items()}
    for d in derived:
        facts.setdefault(d.id, (d.flag, d.value, f"{d.value:g}"))
    return facts


def _patterns(kb: LabKnowledgeBase, items: dict[str, InterpretedItem], lang: Language,
              derived: list[DerivedValue] = ()) -> list[PatternFinding]:
    facts = _facts(items, list(derived))
    out = []
    for p in kb.patterns:
        if not all(_cond_met(facts, c) for c in p.all_of):
            continue
        if p.any_of and not any(_cond_met(facts, c) for c in p.any_of):
            continue
        if any(_cond_met(facts, c) for c in p.none_of):
            continue
        used = [c.item for c in p.all_of + p.any_of if c.item in facts and _cond_met(facts, c)]
        out.append(PatternFinding(id=p.id, name=pick(p.name, lang),
                                  explanation=pick(p.explanation, lang),
                                  items=used, urgency=p.urgency, departments=list(p.departments), source=p.source))
    return out


def resolve_medications(names: list[str]) -> list[tuple[str, str, str]]:
    """Names → (medication id, drug class, display name) via the medication list of the main KB."""
    kb = get_kb()
    out = []
    for raw in names:
        n = raw.strip().lower()
        if not n:
            continue
        for m in kb.medications.values():
            forms = [m.id, m.name.zh, m.name.en, *m.aliases]
            if any(f.lower() == n or (len(f) >= 2 and f.lower() in n) for f in forms):
                out.append((m.id, m.drug_class, raw.strip()))
                break
    return out


def _medication_notes(kb: LabKnowledgeBase, items: dict[str, InterpretedItem], patient: PatientContext,
                      lang: Language) -> list[MedicationNoteOut]:
    meds = resolve_medications(patient.medications)
    if not meds:
        return []
    out = []
    for note in kb.medication_notes:
        it = items.get(note.item)
        if it is None:
            continue
        f = it.flag
        wanted = ("any" in note.flags or ("high" in note.flags and f in ("high", "critical_high"))
                  or ("low" in note.flags and f in ("low", "critical_low")) or ("positive" in note.flags and f == "positive"))
        if not wanted:
            continue
        for mid, cls, shown in meds:
            if mid in note.medications or cls in note.drug_classes:
                out.append(MedicationNoteOut(id=note.id, item=it.name, medication=shown,
                                             note=pick(note.note, lang), source=note.source))
                break
    return out


# eGFR: CKD-EPI 2021 creatinine equation (race-free), as recommended by KDIGO 2024 and
# 中国慢性肾脏病早期评价与管理指南(2023). Creatinine in mg/dL = μmol/L / 88.4.
EGFR_SOURCE = "CKD-EPI 2021 (Inker LA et al. NEJM 2021;385:1737-49); KDIGO 2024 CKD guideline"
MARKED_HYPERGLYCAEMIA = 11.1  # mmol/L: from here on, corrected sodium and effective osmolality are shown
KATZ_FACTOR = 1.6  # mmol/L of sodium per 100 mg/dL of glucose above 100
GLUCOSE_MG_PER_MMOL = 18.016
HYPEROSMOLAR = 320  # mOsm/kg: the hyperosmolar hyperglycaemic state's threshold


def egfr_ckd_epi_2021(creatinine_umol: float, age: float, sex: str) -> float:
    """eGFR (CKD-EPI 2021, mL/min/1.73 m²) from the calculator KB, the one place the formula lives."""
    from wenzhen.calculators import calculate

    inputs = {"age": age, "sex": sex, "creatinine": f"{creatinine_umol} μmol/L"}
    return float(calculate("egfr_ckd_epi_2021", inputs, "en").value)


def _find_item(kb: LabKnowledgeBase, loinc: str, codes: tuple[str, ...]) -> str | None:
    for it in kb.items.values():
        if it.loinc == loinc:
            return it.id
    for it in kb.items.values():
        if it.code.upper() in codes:
            return it.id
    return None


def _derived(kb: LabKnowledgeBase, items: dict[str, InterpretedItem], patient: PatientContext, lang: Language,
             warnings: list[str]) -> list[DerivedValue]:
    out = []
    crea = _find_item(kb, "2160-0", ("CREA", "CR", "SCR"))
    egfr = _find_item(kb, "98979-8", ("EGFR",))
    if crea and crea in items and items[crea].canonical_value is not None and not (egfr and egfr in items):
        if patient.age_years is None or patient.sex is None:
            warnings.append("eGFR needs age and sex: give them to compute it" if lang == "en"
                            else "计算eGFR需要年龄和性别，请补充")
        elif patient.age_years >= kb.policy.adult_age_years:
            v = round(egfr_ckd_epi_2021(items[crea].canonical_value, patient.age_years, patient.sex), 1)
            flag, band = "normal", None
            item = kb.items.get(egfr) if egfr else None
            if item and item.decision_limits:
                b = _band(item.decision_limits, v)
                if b:
                    flag = _band_direction(item.decision_limits, b)
                    band = pick(b.label, lang)
            else:
                flag = "low" if v < 60 else "normal"
            out.append(DerivedValue(
                id="egfr", name=_msg(lang, "egfr_name"), value=v,
                unit="mL/min/1.73m2", flag=flag, band=band,
                formula="142 × min(Scr/κ,1)^α × max(Scr/κ,1)^-1.200 × 0.9938^age × (1.012 if female)",
                source=EGFR_SOURCE,
                inputs={"creatinine_umol_per_l": items[crea].canonical_value, "age": patient.age_years, "sex": patient.sex}))
    glucose = next((items[g] for g in ("glucose_fasting", "glucose_2h") if g in items
                    and items[g].canonical_value is not None), None)
    na = items.get("na")
    if glucose and na and na.canonical_value is not None and glucose.canonical_value >= MARKED_HYPERGLYCAEMIA:
        g, n = glucose.canonical_value, na.canonical_value
        # Glucose draws water out of cells and dilutes sodium: what the sodium would be at a normal glucose.
        corrected = round(n + KATZ_FACTOR * (g * GLUCOSE_MG_PER_MMOL - 100) / 100, 1)
        out.append(DerivedValue(
            id="corrected_sodium", name=_msg(lang, "corrected_sodium"), value=corrected, unit="mmol/L",
            flag="low" if corrected < 135 else "high" if corrected > 145 else "normal",
            formula="Na + 1.6 × (glucose mg/dL − 100) / 100", source=_SOURCES["corrected_sodium"],
            inputs={"sodium_mmol_per_l": n, "glucose_mmol_per_l": g}))
        osm = round(2 * n + g, 1)
        out.append(DerivedValue(
            id="effective_osmolality", name=_msg(lang, "effective_osmolality"), value=osm, unit="mOsm/kg",
            flag="high" if osm >= HYPEROSMOLAR else "normal",
            band=_msg(lang, "hyperosmolar") if osm >= HYPEROSMOLAR else None,
            formula="2 × Na + glucose (mmol/L)", source=_SOURCES["effective_osmolality"],
            inputs={"sodium_mmol_per_l": n, "glucose_mmol_per_l": g}))
    return out


def _dept_names(ids: list[str], lang: Language) -> list[str]:
    kb = get_kb()
    out = []
    for d in ids:
        dep = kb.default_departments.get(d)
        name = (pick(dep.name, lang)) if dep else d
        if name not in out:
            out.append(name)
    return out


def _patient_for(parsed: ParsedReport, patient: PatientContext | None) -> PatientContext:
    """The report header's patient, overridden by what the caller knows."""
    p = parsed.patient.model_copy()
    if patient is not None:
        for k, v in patient.model_dump(exclude_unset=True).items():
            if v not in (None, []):
                setattr(p, k, v)
    return p


def interpret_report(parsed: ParsedReport, patient: PatientContext | None = None, language: Language = "zh",
                     kb: LabKnowledgeBase | None = None) -> ReportInterpretation:
    """Interpret a parsed report. `patient` overrides what the report's header says."""
    kb = kb or default_lab_kb()
    lang = language
    p = _patient_for(parsed, patient)
    warnings = list(parsed.warnings)
    items = [interpret_item(r, kb, p, lang) for r in parsed.results]
    by_id: dict[str, InterpretedItem] = {}
    for it in items:
        if it.item_id and it.item_id not in by_id:
            by_id[it.item_id] = it
    for it in items:
        for n in it.notes:
            if n.startswith(tuple(_NOTES[lang][k].split("{")[0] for k in ("unit_unknown", "unit_mismatch", "implausible"))):
                warnings.append(_msg(lang, "unit_issue").format(name=it.printed_name, note=n))
    derived = _derived(kb, by_id, p, lang, warnings)
    patterns = _patterns(kb, by_id, lang, derived)
    med_notes = _medication_notes(kb, by_id, p, lang)
    imaging = read_imaging(parsed.text_lines, kb, lang)

    abnormal_items = [it for it in items if it.flag in ABNORMAL or (it.flag == "negative" and it.interval and it.interval.origin != "report" and it.explanation and it.explanation.causes)]
    abnormal_items.sort(key=lambda it: (-URGENCY_ORDER[it.explanation.urgency] if it.explanation else 0, not it.critical))
    urgencies = [it.explanation.urgency for it in abnormal_items if it.explanation]
    urgencies += [x.urgency for x in patterns] + [x.urgency for x in imaging if not x.negated]
    urgencies += ["routine" for d in derived if d.flag != "normal"]
    urgency = max(urgencies, key=URGENCY_ORDER.get) if urgencies else "recheck"
    _advise_from_the_whole_report(items, patterns, urgency, lang)
    dept_ids: list[str] = []
    ranked = sorted(
        [(it.explanation.urgency, it.explanation.departments) for it in abnormal_items if it.explanation]
        + [(x.urgency, x.departments) for x in patterns] + [(x.urgency, x.departments) for x in imaging if not x.negated],
        key=lambda t: -URGENCY_ORDER[t[0]])
    for _, ds in ranked:
        for d in ds:
            if d not in dept_ids:
                dept_ids.append(d)
    if not dept_ids and abnormal_items:
        dept_ids = ["general_practice"]
    # One place to go, consistent with the urgency: the emergency department first when it is an emergency, and
    # never "the emergency department within days".
    if urgency == "emergency":
        dept_ids = ["emergency"] + [d for d in dept_ids if d != "emergency"]
    else:
        dept_ids = [d for d in dept_ids if d != "emergency"] or (["general_practice"] if abnormal_items else [])
    cats: list[str] = []
    for it in items:
        for c in it.categories:
            if c not in cats:
                cats.append(c)
    for x in imaging:
        cat = _imaging_category(kb, x.id)
        if cat and cat not in cats:
            cats.append(cat)
    summary, next_steps = _summary(items, abnormal_items, derived, patterns, imaging, urgency, dept_ids, lang)
    return ReportInterpretation(
        language=lang, patient=p, date=parsed.date, source_format=parsed.source_format, items=items,
        abnormal=[it.printed_name for it in abnormal_items], critical=[it.printed_name for it in items if it.critical],
        derived=derived, patterns=patterns, medication_notes=med_notes, imaging=imaging, categories=cats,
        urgency=urgency, departments=_dept_names(dept_ids, lang), summary=summary, next_steps=next_steps,
        warnings=warnings, disclaimer=_msg(lang, "disclaimer"), kb_version=kb.version)


def _advise_from_the_whole_report(items: list[InterpretedItem], patterns: list[PatternFinding], urgency: str,
                                  lang: Language) -> None:
    """Item advice that other items contradict gives way. A critical value says only what to do now (no "may be
    a sampling artefact, recheck" beside it); an item that is part of a pattern points to the pattern (no "drink
    more water" for a raised urea beside a low sodium); in an emergency, no other item asks to wait and recheck."""
    pattern_of: dict[str, PatternFinding] = {}
    for p in sorted(patterns, key=lambda p: -URGENCY_ORDER[p.urgency]):
        for i in p.items:
            pattern_of.setdefault(i, p)
    for it in items:
        ex = it.explanation
        if ex is None or not ex.advice:
            continue
        if it.critical:
            it.explanation = ex.model_copy(update={"advice": _msg(lang, "critical_advice").strip()})
            it.guideline_band = None  # "meets the diabetes cut-off" says nothing useful beside a critical glucose
            continue
        p = pattern_of.get(it.item_id or "")
        if p is not None and URGENCY_ORDER[p.urgency] >= URGENCY_ORDER[ex.urgency] \
                and (urgency != "emergency" or p.urgency == "emergency"):
            it.explanation = ex.model_copy(update={"advice": _msg(lang, "see_pattern").format(name=p.name),
                                                   "urgency": p.urgency})
        elif urgency == "emergency" and URGENCY_ORDER[ex.urgency] < URGENCY_ORDER["emergency"]:
            it.explanation = ex.model_copy(update={"advice": _msg(lang, "with_the_emergency")})


def _imaging_category(kb: LabKnowledgeBase, xid: str) -> str | None:
    for s in kb.imaging_systems:
        if s.id == xid:
            return s.category
    for f in kb.imaging_findings:
        if f.id == xid:
            return f.category
    return None


def _summary(items, abnormal, derived, patterns, imaging, urgency, dept_ids, lang):
    M = _MESSAGES[lang]
    sep = M["sep"]
    parts: list[str] = []
    if not items and not imaging:
        parts.append(M["no_items"])
    elif not abnormal and items:
        parts.append(M["all_normal"].format(n=len(items)))
    elif abnormal:
        names = sep.join(M["flag_after_name"].format(name=it.printed_name, flag=M["flags"][it.flag]) for it in abnormal[:8])
        parts.append(M["abnormal"].format(n=len(items), k=len(abnormal), names=names + ("…" if len(abnormal) > 8 else "")))
    crit = [it.printed_name for it in items if it.critical]
    if crit:
        parts.insert(0, M["critical"].format(names=sep.join(crit)))
    for d in derived:
        if d.flag != "normal":
            text = f"{d.name} {d.value:g} {d.unit}"
            parts.append(M["sentence"].format(text=M["with_band"].format(text=text, band=d.band) if d.band else text))
    if patterns:
        parts.append(M["patterns"].format(names=sep.join(p.name for p in patterns)))
    shown = [x for x in imaging if not x.negated]
    if shown:
        parts.append(M["imaging"].format(names=sep.join(x.name + (f" {x.grade}" if x.grade else "") for x in shown)))
    unrec = [it.printed_name for it in items if not it.item_id]
    if unrec:
        parts.append(M["unrecognised"].format(n=len(unrec), names=sep.join(unrec[:6])))
    dept = sep.join(_dept_names(dept_ids[:2], lang)) or M["default_department"]
    if abnormal or shown or any(d.flag != "normal" for d in derived):
        parts.append(M["urgency"][urgency].format(dept=dept))
    next_steps = []
    for it in abnormal[:8]:
        if it.explanation and it.explanation.advice:
            iv = it.interval.text if it.interval else "—"
            next_steps.append(M["recheck_line"].format(name=it.name, flag=M["flags"][it.flag], value=it.value_text,
                                                       unit=it.unit or "", interval=iv, advice=it.explanation.advice))
    for x in shown[:5]:
        next_steps.append(f"{x.name}{' ' + x.grade if x.grade else ''}: {x.advice}")
    next_steps.append(M["when"])
    return M["joiner"].join(parts), next_steps


# ---------------------------------------------------------------- convenience entry points
def interpret_results(text: str, patient: PatientContext | None = None, language: Language = "zh") -> list[InterpretedItem]:
    """Only the results in a text, each judged against its interval (no imaging, patterns or summary).

    For lab values quoted in a complaint ("Hb 86 g/L"): cheap enough to run on every complaint.
    """
    kb = default_lab_kb()
    if not text or not text.strip():
        return []
    parsed = parse_text(text, kb)
    p = _patient_for(parsed, patient)
    return [interpret_item(r, kb, p, language) for r in parsed.results]


def interpret_parsed(parsed: ParsedReport, patient: PatientContext | None = None, language: str | None = None,
                     kb: LabKnowledgeBase | None = None) -> ReportInterpretation:
    """The one pipeline after reading: language (given, or "auto"/None: the report's own) → interpretation."""
    kb = kb or default_lab_kb()
    lang = report_language(parsed) if language in (None, "auto") else language
    return interpret_report(parsed, patient, lang, kb)


def interpret_text(text: str, patient: PatientContext | None = None, language: str | None = None,
                   kb: LabKnowledgeBase | None = None) -> ReportInterpretation:
    kb = kb or default_lab_kb()
    if not text or not text.strip():
        from .models import ReportReadError

        raise ReportReadError("the report text is empty")
    return interpret_parsed(parse_text(text, kb), patient, language, kb)


def interpret_bytes(data: bytes, filename: str | None = None, patient: PatientContext | None = None,
                    language: str | None = None, kb: LabKnowledgeBase | None = None) -> ReportInterpretation:
    """Any supported file (PDF, photo, CSV, Excel, JSON/FHIR, text): read, then interpret_parsed."""
    kb = kb or default_lab_kb()
    return interpret_parsed(parse_bytes(data, kb, filename), patient, language, kb)


def interpret_file(path: str | Path, patient: PatientContext | None = None,
                   language: str | None = None, kb: LabKnowledgeBase | None = None) -> ReportInterpretation:
    p = Path(path)
    if not p.is_file():
        from .models import ReportReadError

        raise ReportReadError(f"file not found: {p}")
    return interpret_bytes(p.read_bytes(), p.name, patient, language, kb)


def report_language(parsed: ParsedReport) -> Language:
    """Language of a parsed report, from its item names and other lines."""
    return detect_language(" ".join([r.name for r in parsed.results] + parsed.text_lines))


def detect_language(text: str) -> Language:
    # Not understanding.text.detect_language: reports are dense with Latin codes and units
    # (血钾 K 6.8 mmol/L), so a few Chinese characters must be enough to answer in Chinese.
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "zh" if cjk * 3 >= latin * 0.5 or cjk >= 4 else "en"
