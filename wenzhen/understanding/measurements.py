"""Vital signs, ages and durations written in free text, Chinese or English."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..kb.base import read_messages
from ..kb.limits import measurement_limits
from .models import Evidence, VitalSigns
from .text import NUM, cn2num

MAX_MENTIONS = 40  # a complaint never holds more ages or durations; bounds the work on pathological input
_SEP = r"(?:[\s:=：是为约大概左右测量得有到了达~]|\b(?:of|is|was|at|about|around|up to|reading|reads|says|said|shows|showed|came up as|only)\b){0,6}"

# Plausible ranges: anything outside is ignored as a misreading rather than trusted.
PLAUSIBLE = measurement_limits()  # one table with the request models' limits

_BP = [
    re.compile(rf"(?:血压|bp|b/p|blood pressure|nibp){_SEP}(?P<s>{NUM})\s*(?:/|／|比|over)\s*(?P<d>{NUM})", re.I),
    re.compile(rf"高压{_SEP}(?P<s>{NUM})[^\d{{}}]{{0,6}}?低压{_SEP}(?P<d>{NUM})"),
    re.compile(r"(?<![\d.])(?P<s>\d{2,3})\s*/\s*(?P<d>\d{2,3})\s*mm\s*hg", re.I),
]
_BP_CONTEXT = re.compile(r"血压|高压|bp\b|blood pressure", re.I)
_BP_BARE = re.compile(r"(?<![\d./])(?P<s>\d{2,3})\s*[/／]\s*(?P<d>\d{2,3})(?![\d./])")
_BP_WORDS = read_messages(Path(__file__).with_name("bp_words.yaml"))
_BP_LEAD = f"(?:{'|'.join(map(re.escape, _BP_WORDS['lead']))})*"
_SBP_ONLY = re.compile(rf"(?:收缩压|高压|sbp|systolic){_BP_LEAD}{_SEP}(?P<v>{NUM})", re.I)
# One number for the blood pressure is the upper one (bp_words.yaml).
_SBP_LONE = re.compile(
    "".join(f"(?<!{re.escape(w)})" for w in _BP_WORDS["label_not_after"])
    + f"(?:{'|'.join(map(re.escape, _BP_WORDS['label']))}){_BP_LEAD}{_SEP}(?P<v>{NUM})\\s*"
    + f"(?!\\s*(?:\\d|{'|'.join(map(re.escape, _BP_WORDS['not_followed_by']))}))", re.I)
_TEMP = re.compile(
    rf"(?:体温|发烧|发热|高烧|低烧|烧到|烧了|烧|temp(?:erature)?|fever|\bt\b|\bt(?=\d{{2}}(?:\.\d)?\b)|腋温|耳温|肛温){_SEP}"
    rf"(?P<v>{NUM})\s*(?P<u>度|°c|°f|℃|℉|c\b|f\b|degrees?(?: ?[cf]\b)?)?\s*(?P<frac>[一二三四五六七八九\d](?![\d.]))?",
    re.I,
)
_TEMP_BARE = re.compile(r"(?<![\d.])(?P<v>\d{2,3}(?:\.\d)?)\s*(?P<u>°c|°f|℃|℉)", re.I)
# "量了38.3度" with no word for temperature: only a body-temperature range reads as one.
_TEMP_BARE_DU = re.compile(r"(?<![\d.])(?P<v>(?:3[4-9]|4[0-2])(?:\.\d)?)\s*(?P<u>度)(?P<frac>[一二三四五六七八九\d](?![\d.]))?(?!角|的角|的?高温|的?天|的?气温|的?室温|的?太阳)")
# "腋下量了38.3": a value just after 量/测 in the body-temperature range, with no unit.
_TEMP_MEASURED = re.compile(
    r"(?:量|测|量出来|测出来)(?:了)?(?:一下|下)?(?:是|有|才)?\s*(?P<v>(?:3[4-9]|4[0-2])(?:\.\d)?)(?![\d.])"
    r"(?!\s*(?:次|kg|公斤|斤|mmhg|/|岁|天|周|个月|分钟|小时|cm|厘米|毫米|mm|%))", re.I)
# "心跳快到150", "数了一下180多", "摸脉搏才三十几下": a count within a few words of the pulse.
_HR_LOOSE = re.compile(
    r"(?:心跳|脉搏|心率|脉)(?:[^。;；\d一二三四五六七八九十]|一分钟|一下){0,10}?"
    r"(?P<v>\d{2,3}|[一二两三]?百[零一二三四五六七八九十]{0,3}|[一二三四五六七八九]?十[一二三四五六七八九]?)(?P<approx>几|多)?"
    r"(?:下|次|来下)?(?![\d./%]|\s*(?:天|年|岁|个|分钟|小时|周|月|斤|公斤|kg|度|℃|mmhg))")
# A one-character Chinese numeral is never a pulse ("心跳一下一下的", "心跳一分钟180下").
_NUM_NOT_ONE_CHAR = NUM.replace("]{1,8}", "]{2,8}")
_HR = re.compile(rf"(?:心室率|心率|脉搏|心跳|脉率|hr|heart rate|pulse|\bp\b){_SEP}(?P<v>{_NUM_NOT_ONE_CHAR})(?![a-z])(?!\s*(?:分钟|分|秒))", re.I)
# "R 1st MTPJ" is the right first toe joint, not a breathing rate: a number followed by letters is not a rate.
_RR = re.compile(rf"(?:呼吸频率|呼吸|\brr\b|resp(?:iratory)? rate|\br\b){_SEP}(?P<v>{NUM})(?![a-z\d.])\s*(?:次|/min|bpm|breaths)?", re.I)
_SPO2 = re.compile(rf"(?:血氧饱和度|氧饱和度|指脉氧|脉氧|经皮血氧|血氧|氧饱|spo2|spo₂|sao2|o2 sat(?:uration)?|sats?|saturation|oxygen){_SEP}(?P<v>{NUM})\s*%?", re.I)
_GLU = re.compile(
    rf"(?:血糖|指尖血糖|glucose|blood sugar|sugar level|sugar reading|sugars?|\bbm\b|\bbg\b|\bbs\b){_SEP}(?P<v>{NUM})\s*(?P<u>mmol/l|mmol|mg/dl|mg)?", re.I
)
# "血钾 6.9mmol/L", "K 7.1", "K+ 6.8": a bare K needs a decimal value so "5K run" is not potassium.
_K = re.compile(rf"(?:血钾|血清钾|钾离子|钾|potassium|serum k\+?){_SEP}(?P<v>{NUM})|(?<![a-z])k\+?\s*[:=]?\s*(?P<v2>\d\.\d{{1,2}})(?!\d)", re.I)
_WEIGHT_WORDS = read_messages(Path(__file__).with_name("weight_words.yaml"))
_WEIGHT_UNITS = {k.lower(): float(v) for k, v in _WEIGHT_WORDS["units_kg"].items()}
_WEIGHT = re.compile(
    rf"(?:{'|'.join(map(re.escape, _WEIGHT_WORDS['labels']))}){_SEP}(?:{'|'.join(map(re.escape, _WEIGHT_WORDS['approx']))})?"
    rf"\s*(?P<v>{NUM})\s*(?P<u>{'|'.join(map(re.escape, sorted(_WEIGHT_UNITS, key=len, reverse=True)))})(?![a-z])", re.I)
_GCS = re.compile(rf"(?:gcs|格拉斯哥评分|昏迷评分){_SEP}(?P<v>\d{{1,2}})", re.I)
_PAIN = re.compile(
    rf"(?:疼痛评分|疼痛程度|nrs|pain score|pain scale|pain severity(?: is)?|pain(?: is| at| of)?|疼|痛){_SEP}(?P<v>\d{{1,2}})\s*(?:/\s*10|分|out of 10)",
    re.I,
)


@dataclass
class Span:
    start: int
    end: int


def _num(s: str | None) -> float | None:
    return cn2num(s) if s else None


def _ok(name: str, v: float | None) -> bool:
    lo, hi = PLAUSIBLE[name]
    return v is not None and lo <= v <= hi


def extract_vitals(text: str) -> tuple[VitalSigns, list[Span]]:
    """Return the vital signs and the spans they occupy (so they are not read as durations)."""
    v = VitalSigns()
    spans: list[Span] = []

    def put(name: str, value: float | None, m: re.Match[str]) -> None:
        if getattr(v, name) is None and _ok(name, value):
            setattr(v, name, round(value, 1))
            raw = m.group(0)
            v.evidence[name] = Evidence(text=raw.strip(), start=m.start(), end=m.start() + len(raw.rstrip()))
            spans.append(Span(m.start(), m.end()))

    for pat in _BP:
        for m in pat.finditer(text):
            s, d = _num(m.group("s")), _num(m.group("d"))
            if s is not None and d is not None and s > d:
                put("sbp", s, m)
                put("dbp", d, m)
    if v.sbp is None and _BP_CONTEXT.search(text):
        # "血压一直很高，今天量了200/120": a lone reading in a text that speaks of blood pressure.
        for m in _BP_BARE.finditer(text):
            s, d = _num(m.group("s")), _num(m.group("d"))
            if s is not None and d is not None and 70 <= s <= 280 and 30 <= d <= 160 and s > d:
                put("sbp", s, m)
                put("dbp", d, m)
                break
    for m in _SBP_ONLY.finditer(text):
        put("sbp", _num(m.group("v")), m)
    if v.sbp is None:
        for m in _SBP_LONE.finditer(text):
            put("sbp", _num(m.group("v")), m)
    for m in list(_TEMP.finditer(text)) + list(_TEMP_BARE.finditer(text)) + list(_TEMP_BARE_DU.finditer(text)) + list(_TEMP_MEASURED.finditer(text)):
        t = _num(m.group("v"))
        if t is None:
            continue
        unit = (m.groupdict().get("u") or "").lower()
        frac = m.groupdict().get("frac")
        if frac and "." not in m.group("v") and unit == "度":
            t += (_num(frac) or 0) / 10  # 39度5 = 39.5 °C
        if "f" in unit or "℉" in unit or (not unit and 90 <= t <= 110):
            t = (t - 32) * 5 / 9
        put("temp_c", t, m)
    for m in _HR.finditer(text):
        put("hr", _num(m.group("v")), m)
    for m in _HR_LOOSE.finditer(text):
        n = _num(m.group("v"))
        if n is not None and m.group("approx") == "几" and n % 10 == 0:
            n += 5  # 三十几 ≈ 35
        put("hr", n, m)
    for m in _RR.finditer(text):
        put("rr", _num(m.group("v")), m)
    for m in _SPO2.finditer(text):
        put("spo2", _num(m.group("v")), m)
    for m in _GLU.finditer(text):
        g = _num(m.group("v"))
        unit = (m.groupdict().get("u") or "").lower()
        if g is not None and (unit.startswith("mg") or (not unit and g > 40)):
            g = g / 18.0  # mg/dL → mmol/L
        put("glucose_mmol", g, m)
    for m in _K.finditer(text):
        put("potassium_mmol", _num(m.group("v") or m.group("v2")), m)
    for m in _GCS.finditer(text):
        put("gcs", _num(m.group("v")), m)
    for m in _WEIGHT.finditer(text):
        w = _num(m.group("v"))
        put("weight_kg", None if w is None else w * _WEIGHT_UNITS[m.group("u").lower()], m)
    for m in _PAIN.finditer(text):
        put("pain_score", _num(m.group("v")), m)
    return v, spans


# ---------------------------------------------------------------- age
_AGE_ZH = re.compile(rf"(?P<n>{NUM})\s*(?P<more>多|来)?\s*(?:周)?岁(?P<half>半)?")
# "三个月大", not "这两天大便发黑" (大便, 大量, 大概 start a new word).
_AGE_MONTH_ZH = re.compile(rf"(?<!这)(?<!那)(?<!前)(?<!近)(?P<n>{NUM}|半)\s*(?P<more>多)?\s*(?:(?P<half>个半)|个(?P<more2>多)?)?(?P<u>月|周|天)(?P<big>大(?![便量概汗口片块小声部多家都])|龄)")
# "宝宝8个月", "孩子才两个月", but not "生完孩子一周" (the mother, a week after giving birth) nor
# "孩子高烧三天" (a duration: only a few filler words may stand between the child and the age).
_AGE_MONTH_CHILD_ZH = re.compile(rf"(?<!生完)(?<!生了)(?<!刚生)(?:宝宝|婴儿|孩子|小孩|儿子|女儿|娃|新生儿|宝贝|患儿(?:男|女)?[，,]?|男婴|女婴)(?:今年|现在|目前|才|刚刚|刚|已经|满|出生|生下来|是|都|快|还|不到|大概|大约|差不多|有|只有|将近|接近|约|就){{0,3}}\s*(?P<n>{NUM}|半)\s*(?P<more>多)?\s*(?:(?P<half>个半)|个(?P<more2>多)?)?(?P<u>月|周|天(?=大|龄|的|[，,。;；!?\s]|$))(?!前|了)")
_AGE_MONTH_BEFORE_CHILD_ZH = re.compile(rf"(?P<n>{NUM}|半)\s*(?P<more>多)?\s*(?:(?P<half>个半)|个(?P<more2>多)?)?(?P<u>月|周|天)(?:大)?的?(?:宝宝|婴儿|孩子|小孩|儿子|女儿|娃|宝贝|新生儿)")
_AGE_BORN_ZH = re.compile(rf"(?:出生|生下来|生出来|落地|降生)(?:后|了)?\s*(?:才|刚|刚刚|满|第)?\s*(?P<n>{NUM})\s*(?:来|多)?\s*(?P<u>天|周|个月)")
_AGE_WORDS = {k: float(v) for k, v in read_messages(Path(__file__).with_name("age_words.yaml"))["words"].items()}
_AGE_WORD = re.compile("|".join(sorted(map(re.escape, _AGE_WORDS), key=len, reverse=True)))
_AGE_EN = re.compile(
    r"(?P<n>\d{1,3}(?:\.\d)?)[\s-]*(?P<u>years?|yrs?|months?|mos?|weeks?|wks?|days?)[\s-]*old|"
    r"(?:aged?|age of)\s*(?P<n2>\d{1,3})|(?P<n3>\d{1,3})\s*(?:yo|y/o|y\.o\.)(?![a-z])|"
    r"(?:i am|i'm|im|is|he's|she's)\s+(?P<n4>\d{1,3})(?=\s*(?:$|[,.;!]|and|years|yrs|with|now))|"
    # "she's 5 months, hot to touch", "baby is 8 months": an age in months, weeks or days without "old"
    r"(?:he's|she's|who's|baby's|(?:baby|son|daughter|he|she|child|boy|girl|kid|toddler|infant|grandson|granddaughter) is)"
    r"\s+(?P<n5>\d{1,2}(?:\.\d)?)\s*(?P<u5>months?|mos?|weeks?|wks?|days?)(?=\s*(?:$|[,.;!]|and|now))",
    re.I,
)
_AGE_SEX_COMPACT = re.compile(r"(?<![\w.])(?P<n>\d{1,3})\s*(?:y|yo|岁)?\s*(?P<s>[MF])(?![\w])|(?<![\w])(?P<s2>[MF])\s*/\s*(?P<n2>\d{1,3})(?![\w])")
_EN_UNIT_YEARS = {"y": 1, "m": 1 / 12, "w": 1 / 52, "d": 1 / 365}
_ZH_UNIT_YEARS = {"月": 1 / 12, "个月": 1 / 12, "周": 1 / 52, "天": 1 / 365}


@dataclass
class AgeMention:
    years: float
    text: str
    start: int
    end: int
    sex: str | None = None


def extract_ages(text: str) -> list[AgeMention]:
    out: list[AgeMention] = []

    def add(years: float | None, m: re.Match[str], sex: str | None = None) -> None:
        if years is None or not (0 <= years <= 120) or len(out) >= MAX_MENTIONS:
            return
        if any(a.start < m.end() and m.start() < a.end for a in out):
            return
        out.append(AgeMention(round(years, 2), m.group(0), m.start(), m.end(), sex))

    for m in _AGE_ZH.finditer(text):
        n = _num(m.group("n"))
        if n is None:
            continue
        if m.group("more"):
            n += 5 if n >= 20 else 0.5
        if m.group("half"):
            n += 0.5
        add(n, m)
    for pat in (_AGE_MONTH_ZH, _AGE_MONTH_CHILD_ZH, _AGE_MONTH_BEFORE_CHILD_ZH, _AGE_BORN_ZH):
        for m in pat.finditer(text):
            raw = m.group("n")
            n = 0.5 if raw == "半" else _num(raw)
            if n is None:
                continue
            if any(m.groupdict().get(g) for g in ("more", "more2", "half")):  # 两个多月, 一个半月
                n += 0.5
            add(n * _ZH_UNIT_YEARS[m.group("u")], m)
    if not out:
        for m in _AGE_WORD.finditer(text):
            add(_AGE_WORDS[m.group(0)], m)
    for m in _AGE_EN.finditer(text):
        if m.group("n"):
            add(float(m.group("n")) * _EN_UNIT_YEARS[m.group("u")[0].lower()], m)
        elif m.group("n5"):
            add(float(m.group("n5")) * _EN_UNIT_YEARS[m.group("u5")[0].lower()], m)
        else:
            raw = m.group("n2") or m.group("n3") or m.group("n4")
            add(float(raw), m)
    for m in _AGE_SEX_COMPACT.finditer(text):
        raw = m.group("n") or m.group("n2")
        s = (m.group("s") or m.group("s2")).upper()
        add(float(raw), m, "male" if s == "M" else "female")
    return sorted(out, key=lambda a: a.start)


# ---------------------------------------------------------------- durations
_DUR_ZH = re.compile(
    rf"(?P<n>{NUM}|半|几|数)\s*(?P<more>多|余|来)?\s*(?P<half>个半)?\s*"
    r"(?P<u>个小时|个钟头|小时|钟头|分钟|个星期|个礼拜|星期|礼拜|个月|天|日|周|月|年|秒)"
    r"(?P<more2>多|余)?(?P<ago>前|以前|之前)?"
)
_DUR_EN = re.compile(
    r"(?P<n>\d{1,6}(?:\.\d{1,3})?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several|couple of)(?:\s+|-)"  # "3 days", "a 4-month history"
    r"(?P<u>seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?)\b(?!-old)(?P<ago>\s+ago)?",
    re.I,
)
_GESTATION_AFTER = re.compile(r"\s*(?:pregnant|of (?:pregnancy|gestation)|gestation|'s gestation|into (?:the |her )?pregnancy)", re.I)
_EN_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "few": 3, "several": 3, "couple of": 2}


@dataclass
class DurationMention:
    hours: float
    text: str
    start: int
    end: int


def extract_durations(text: str, units: dict[str, float], taken: list[Span]) -> list[DurationMention]:
    out: list[DurationMention] = []

    def free(s: int, e: int) -> bool:
        if len(out) >= MAX_MENTIONS:
            return False
        return not any(t.start < e and s < t.end for t in taken)

    for m in _DUR_ZH.finditer(text):
        if not free(m.start(), m.end()):
            continue
        raw = m.group("n")
        n = {"半": 0.5, "几": 3, "数": 3}.get(raw) or _num(raw)
        if n is None:
            continue
        if m.group("half"):
            n += 0.5
        unit = m.group("u")
        if unit == "周" and m.start() > 0 and text[m.start() - 1] in "孕":
            continue  # 孕28周 is gestational age
        if unit in ("日", "月") and m.group("n") and m.group("n").isdigit() and not m.group("more"):
            # '3月5日' is a date, '3月' alone is ambiguous: only accept 个月 for months.
            if unit == "月":
                continue
        out.append(DurationMention(n * units[unit], m.group(0), m.start(), m.end()))
    for m in _DUR_EN.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if _GESTATION_AFTER.match(text, m.end()):
            continue  # "8 weeks pregnant", "32 weeks of gestation" is gestational age
        raw = m.group("n").lower()
        n = _EN_WORDS.get(raw) or float(raw)
        unit = m.group("u").lower().rstrip("s")
        hours = units.get(unit) or units.get(unit[:3]) or units.get(unit[:1])
        if hours:
            out.append(DurationMention(n * hours, m.group(0), m.start(), m.end()))
    return sorted(out, key=lambda d: d.start)


_PREG_WEEKS = re.compile(rf"(?:孕|怀孕|妊娠)\s*(?P<n>{NUM})\s*(?P<more>多|\+\d)?\s*(?P<u>周|个多?月)|(?P<n2>\d{{1,2}})\s*weeks?\s*pregnant", re.I)


def extract_gestation(text: str) -> tuple[float, re.Match[str]] | None:
    m = _PREG_WEEKS.search(text)
    if not m:
        return None
    if m.group("n2"):
        return float(m.group("n2")), m
    n = _num(m.group("n"))
    if n is None:
        return None
    weeks = n if m.group("u") == "周" else n * 4.3
    return round(weeks, 1), m
