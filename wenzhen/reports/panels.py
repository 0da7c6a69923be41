"""Read each row in its panel's context. One printed name can stand for several items — GLU is plasma glucose on
a chemistry report and urine glucose on a urinalysis, WBC a blood count or white cells per high-power field, PCT
procalcitonin or plateletcrit, FBG fasting glucose or fibrinogen — so a name found in several items is resolved
from, in order of weight: a specimen word in the row's own name (白细胞(镜检), 尿蛋白), the heading or specimen
line above the row (尿常规, 标本：尿液), the printed unit, whether the result is a number or a dipstick grade, the
other items of the report, and only then the default reading. A row whose printed unit cannot belong to the item
its name suggests is reported as unknown rather than guessed (RDW-SD in fL is not RDW-CV in %)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import ahocorasick

from wenzhen.kb.base import read_messages
from wenzhen.kb.lab_loader import LabKnowledgeBase, normalise_name
from wenzhen.kb.lab_schema import LabItem
from wenzhen.kb.units import parse_unit, try_parse_unit

from .models import ParsedReport, RawResult
from .names import FUZZY_UNIT_REQUIRED_BELOW

# Weights of the evidence for one reading over another (log-odds-like points; only their order matters much).
NAME_SPECIMEN = 4.0  # the row's own name says the specimen
SECTION = 3.0  # the heading or specimen line above the row names the panel
UNIT_FITS, UNIT_DOES_NOT_FIT = 2.0, -4.0
RESULT_KIND_FITS, RESULT_KIND_DOES_NOT_FIT = 2.0, -2.0
OUTSIDE_POSSIBLE_RANGE = -3.0
REPORT_PANEL = 1.0  # other rows of the report belong to the panel
READING = read_messages(Path(__file__).with_name("messages.yaml"))["reading"]
_SPECIMEN_LINE = re.compile(rf"(?:{'|'.join(map(re.escape, READING['specimen_labels']))})\s*[:：]?\s*(\S{{1,12}})", re.I)
_NUMBER = re.compile(r"^[<>≤≥]?=?\s*[-+]?\d+(?:\.\d+)?$")
# A grade or a word ("2+", "±", "-", "阴性", "negative"), not a number: a dipstick or other qualitative result.
_GRADE = re.compile(r"^(?:\d\+|\+\d|[^\d\s]{1,8})(?:\s*[(（]?[^\d\s]{0,4}[)）]?)?\s*\*?$")


class PanelIndex:
    """Headings and specimen words of every panel, for the lines around the results."""

    def __init__(self, kb: LabKnowledgeBase):
        item_names = {normalise_name(n) for it in kb.items.values() for n in (it.code, it.name.zh, it.name.en, *it.aliases)}
        self.headings = ahocorasick.Automaton()
        for c in kb.categories.values():
            if c.kind != "lab":
                continue
            for n in (c.name.zh, c.name.en, *c.aliases):
                key = normalise_name(n)
                # A heading that is also an item's name (葡萄糖) says nothing about the panel.
                if len(key) >= 2 and key not in item_names:
                    self.headings.add_word(key, (len(key), c.id))
        self.headings.make_automaton()
        # items read as numbers against a reference interval (a row identified by its interval)
        self.quantitative = [it for it in kb.items.values() if it.kind == "quantitative" and (it.reference or it.decision_limits)]
        self.specimen_words: list[tuple[str, str]] = sorted(
            ((w.lower(), c.id) for c in kb.categories.values() for w in c.specimens), key=lambda x: -len(x[0]))

    def heading(self, line: str) -> str | None:
        """The panel a non-result line announces: a heading (尿液分析报告单) or a specimen line (标本：尿液)."""
        if m := _SPECIMEN_LINE.search(line):
            word = m.group(1).lower()
            for w, cid in self.specimen_words:
                if word.startswith(w):
                    return cid
        key = normalise_name(line)
        if not key or len(key) > 40:  # a sentence (a conclusion) is not a heading
            return None
        best = max(self.headings.iter(key), key=lambda h: h[1][0], default=None)
        return best[1][1] if best else None

    def name_specimens(self, printed: str) -> set[str]:
        """Panels whose specimen the row's own name names (尿蛋白, 白细胞(镜检), 脑脊液氯化物)."""
        low = printed.lower()
        return {cid for w, cid in self.specimen_words if w in low}


@lru_cache(maxsize=4)
def panel_index(kb: LabKnowledgeBase) -> PanelIndex:
    return PanelIndex(kb)


def unit_fits(item: LabItem, printed: str | None) -> bool | None:
    """Whether a printed unit can be this item's (its unit or a conversion); None when it cannot be told (no
    unit printed, an unknown spelling, or an item without a unit)."""
    if not printed or item.unit is None:
        return None
    parsed = try_parse_unit(printed)
    if parsed is None:
        return None
    units = {parse_unit(item.unit)[0], *(parse_unit(c.unit)[0] for c in item.conversions)}
    return parsed[0] in units


def _result_kind(value_text: str) -> str | None:
    t = value_text.strip()
    if _NUMBER.match(t):
        return "quantitative"
    if _GRADE.match(t.replace(" ", "")):
        return "qualitative"
    return None


def _value(value_text: str) -> float | None:
    m = re.search(r"[-+]?\d+(?:\.\d+)?", value_text)
    return float(m.group(0)) if m and _NUMBER.match(value_text.strip()) else None


def _score(item: LabItem, row: RawResult, named: set[str], panels: dict[str, int], rank: int) -> float:
    cats = set(item.categories)
    score = -0.01 * rank  # the default reading wins ties
    if cats & named:
        score += NAME_SPECIMEN
    if row.section and row.section in cats:
        score += SECTION
    fits = unit_fits(item, row.unit)
    if fits is not None:
        score += UNIT_FITS if fits else UNIT_DOES_NOT_FIT
    kind = _result_kind(row.value_text)
    if kind is not None:
        # Specific gravity and urine pH are numbers on a dipstick panel: a number fits any quantitative item.
        score += RESULT_KIND_FITS if kind == item.kind else RESULT_KIND_DOES_NOT_FIT
    v = _value(row.value_text)
    if v is not None and item.plausible and fits is not False and not (item.plausible[0] <= v <= item.plausible[1]):
        score += OUTSIDE_POSSIBLE_RANGE
    if not row.section:  # under a heading, the heading speaks for the row, not the report's other panels
        score += REPORT_PANEL * min(3, max((panels.get(c, 0) for c in cats), default=0))
    return score


NUMBER = r"[-+]?\d+(?:\.\d+)?"
# Between an interval's bounds: separators as printed, and as OCR reads a printed "--" or "~" (~~, ~-, -=, .-) on a
# photo, or a word (至). The report readers (parse.py) split rows with it.
INTERVAL_SEP = r"(?:[-~～–—－=]{1,3}|\.[-~=]|" + "|".join(map(re.escape, READING["interval_words"])) + ")"
PRINTED_RANGE = re.compile(rf"^\s*({NUMBER})\s*{INTERVAL_SEP}\s*({NUMBER})\s*$")  # a whole interval cell
INTERVAL_TOLERANCE = 0.005  # relative: 137.0 printed for 137


def _same(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= INTERVAL_TOLERANCE * max(abs(a), abs(b), 1e-9)


def _units(item: LabItem) -> list[str]:
    """The item's units, its own and those it converts from, lower-cased."""
    return [u.lower() for u in (item.unit or "", *(c.unit for c in item.conversions))]


def _one_character_off(item: LabItem, printed: str | None) -> bool:
    """A unit one letter away from the item's (nmol/L for mmol/L: m and n are confused on a photo)."""
    p = (printed or "").lower()
    return any(len(u) == len(p) and sum(a != b for a, b in zip(u, p)) == 1 for u in _units(item))


def _unit_misread(item: LabItem, printed: str | None) -> bool:
    """A photo's unit that is the item's own with one letter changed (nmol/L for mmol/L) or its small prefix
    letter lost (g/l for μg/L, the μ too faint to read)."""
    p = (printed or "").lower()
    if not p:
        return False
    return _one_character_off(item, printed) or any(u[:1] in READING["unit_prefixes"] and u[1:] == p
                                                    for u in _units(item) if u)


def _printed_range(r: RawResult) -> tuple[float, float] | None:
    m = PRINTED_RANGE.match(r.interval_text or "")
    return (float(m.group(1)), float(m.group(2))) if m else None


def _interval_is_items(printed: tuple[float, float] | None, item: LabItem) -> bool:
    """The printed interval is one of the item's (or none is printed: nothing contradicts the name)."""
    if printed is None:
        return True
    # its reference intervals, or the normal band of its decision limits (fasting glucose 3.9–6.1)
    bounds = [(ri.low, ri.high) for ri in item.reference]
    if item.decision_limits:
        bounds += [(b.low, b.high) for b in item.decision_limits.bands if b.flag == "normal"]
    return any(lo is not None and hi is not None and _same(lo, printed[0]) and _same(hi, printed[1]) for lo, hi in bounds)


def _glued_name(r: RawResult) -> str | None:
    """The name as printed when the name found is only the end of a longer word (血纤蛋白 read for 血红蛋白 holds
    蛋白; 尿素氯 for 尿素氮 holds 氯): the word, else None."""
    at = r.line.find(r.name)
    if at <= 0 or not _CJK.match(r.line[at - 1]):
        return None
    start = at
    while start > 0 and _CJK.match(r.line[start - 1]):
        start -= 1
    return r.line[start:at] + r.name


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _identify_by_interval(r: RawResult, idx: PanelIndex, kb: LabKnowledgeBase, printed_name: str | None = None) -> None:
    """A row whose name the photo did not give legibly (钾 in a faint dot-matrix print read as 佛): the item is
    the one whose reference interval is the printed one, whose unit fits, and whose name has as many characters
    with at most half of them different (or the name is unreadable altogether). Only a single such item counts,
    and the reading says so: a critical potassium must not be lost to one faint character."""
    printed, v = _printed_range(r), _value(r.value_text)
    if printed is None or v is None or any(w in r.name for w in READING["ratio_signs"]):
        return
    name = normalise_name(printed_name or r.name)
    unreadable = r.name == READING["unreadable_name"]
    fits = []
    for item in idx.quantitative:
        if (unit_fits(item, r.unit) is False and not _one_character_off(item, r.unit)) or \
                (item.plausible and not item.plausible[0] <= v <= item.plausible[1]):
            continue
        if not _interval_is_items(printed, item):
            continue
        names = {normalise_name(n) for n in (item.name.zh, *item.aliases)}
        if unreadable or any(len(n) == len(name) and sum(a != b for a, b in zip(n, name)) <= max(1, len(n) // 2) for n in names):
            fits.append(item)
    if len(fits) == 1:
        r.item_id, r.by_interval = fits[0].id, True
        r.name = printed_name or r.name
        if unit_fits(fits[0], r.unit) is False:  # nmol/L beside urea's own interval: the m was read as n
            r.unit = fits[0].unit


def resolve_panels(parsed: ParsedReport, kb: LabKnowledgeBase) -> ParsedReport:
    """Choose, for every row whose name several items share, the item its panel, unit and result say; mark rows
    whose printed unit cannot be the named item's as unknown. Rows a reader identified by code (FHIR, LOINC:
    no candidates) are kept as they are."""
    idx = panel_index(kb)
    panels: dict[str, int] = {}
    for r in parsed.results:  # rows with one possible reading say which panels the report holds
        if len(r.candidates) == 1 and r.candidates[0] in kb.items:
            for c in kb.items[r.candidates[0]].categories:
                panels[c] = panels.get(c, 0) + 1
        if r.section:
            panels[r.section] = panels.get(r.section, 0) + 1
    for r in parsed.results:
        if not r.candidates:
            continue
        items = [kb.items[i] for i in r.candidates if i in kb.items]
        if not items:
            continue
        if r.near_name and (len(items) > 1 or len(normalise_name(r.name)) < FUZZY_UNIT_REQUIRED_BELOW):
            # a misread name that fits several items, or a short one (肌野: 肌酐? 肌红?): only a printed unit that
            # fits exactly one of them decides
            fitting = [it for it in items if unit_fits(it, r.unit)]
            r.item_id = fitting[0].id if len(fitting) == 1 else None
            continue
        named = idx.name_specimens(r.name)
        best = max(items, key=lambda it: _score(it, r, named, panels, r.candidates.index(it.id)))
        r.item_id = best.id
        if unit_fits(best, r.unit) is False:
            if parsed.source_format == "image" and _unit_misread(best, r.unit):
                # a legible name with its unit misread: a critical troponin must not be lost to a faint μ
                r.unit_as_printed, r.unit = r.unit, best.unit
            else:
                r.item_id = None  # its unit says it is another item the knowledge base does not hold
    if parsed.source_format == "image":
        for r in parsed.results:
            # Unnamed rows; and, when the printed interval is none of the item's, one-character names, the most
            # confusable on a photo (钠 read as 钢, then as 铜), and names found at the end of a misread word.
            if r.item_id is None:
                _identify_by_interval(r, idx, kb)
            elif r.item_id in kb.items and not _interval_is_items(_printed_range(r), kb.items[r.item_id]):
                glued = _glued_name(r)
                if glued or len(normalise_name(r.name)) == 1:
                    _identify_by_interval(r, idx, kb, glued)
    context = " ".join(parsed.text_lines).lower()
    for r in parsed.results:
        q = kb.items[r.item_id].qualifier if r.item_id in kb.items else None
        if q is not None:  # "空腹血糖", or "标本：空腹静脉血" above the table
            r.qualified = any(w.lower() in r.name.lower() or w.lower() in context for w in q.words)
    return parsed


__all__ = ["resolve_panels", "panel_index", "unit_fits"]
