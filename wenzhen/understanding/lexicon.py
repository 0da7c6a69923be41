"""Compiled matchers over the knowledge base and the language cues (built once, reused)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import ahocorasick

try:  # the regular-expression parser: public in name only since 3.11 (re._parser), sre_parse before
    from re import _parser as _sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]

from ..kb import KnowledgeBase, get_kb
from ..kb.base import read_messages

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int  # exclusive
    key: str  # the surface form (lower case)
    value: Any


def _is_ascii_word(s: str) -> bool:
    return all(ord(c) < 128 for c in s)


class Matcher:
    """Leftmost-longest, non-overlapping dictionary matching (Aho–Corasick).

    English (ASCII) forms must sit on word boundaries; Chinese forms match anywhere.
    """

    def __init__(self, entries: Iterable[tuple[str, Any]]):
        self._auto = ahocorasick.Automaton()
        n = 0
        for form, value in entries:
            key = form.strip().lower()
            if not key:
                continue
            existing = self._auto.get(key, None)
            if existing is not None:
                continue  # the first meaning of a form wins (explicit forms come before derived plurals)
            self._auto.add_word(key, (key, value))
            n += 1
        self.size = n
        if n:
            self._auto.make_automaton()

    def all_hits(self, lowered: str) -> list[Hit]:
        if not self.size:
            return []
        hits = []
        for end_idx, (key, value) in self._auto.iter(lowered):
            start = end_idx - len(key) + 1
            end = end_idx + 1
            if _is_ascii_word(key):
                before = lowered[start - 1] if start > 0 else " "
                after = lowered[end] if end < len(lowered) else " "
                if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum()):
                    continue
            hits.append(Hit(start, end, key, value))
        return hits

    def find(self, lowered: str, extra: list[Hit] | None = None,
             specific: dict[str, frozenset[str]] | None = None) -> list[Hit]:
        return leftmost_longest(self.all_hits(lowered) + (extra or []), specific)


def leftmost_longest(hits: list[Hit], specific: dict[str, frozenset[str]] | None = None) -> list[Hit]:
    """Keep non-overlapping hits, preferring the earliest start, then the longest. With `specific` (finding id →
    the findings it implies), an overlapping hit of a more specific finding is kept too: 还吐血 is vomiting
    blood, not 还吐 (vomiting) with the blood lost."""
    out: list[Hit] = []
    last_end = -1
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if h.start >= last_end:
            out.append(h)
            last_end = h.end
        elif specific and out and h.end > out[-1].end and out[-1].value in specific.get(h.value, ()):
            out.append(h)
            last_end = h.end
        elif specific and out and (h.start, h.end) == (out[-1].start, out[-1].end) and out[-1].value in specific.get(h.value, ()):
            out[-1] = h  # the same words read two ways: the specific reading (menstrual pain, not lower abdominal pain)
    return out


_NEGATOR = re.compile(r"[不没無无未別别]")
# Negators inside a lookaround ("(?!不疼)") exclude text; they do not make the pattern one that names a negation.
_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]*\)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]")


def _script(pattern: str) -> str | None:
    """'cjk' or 'latin' when every literal letter of the pattern is of that script, else None."""
    bare = re.sub(r"\\.|\(\?(?:<?[=!]|:)|\[\^?", "", pattern.lower())  # escapes, group openers, class openers
    cjk, latin = bool(_CJK.search(bare)), bool(_LATIN.search(bare))
    return "cjk" if cjk and not latin else "latin" if latin and not cjk else None


_NEGATING_LITERAL = re.compile(r"[\u4e00-\u9fff]*[不没無无未別别][\u4e00-\u9fff]*")
# English negators: "diarrhoea … (?:blood)" must not read "diarrhoea, no blood" as bloody diarrhoea.
_NEGATOR_EN = re.compile(r"\b(?:no|not|without|denies|denied|nor|never|none)\b|n't\b", re.I)


def _alternatives(node) -> frozenset[str] | None:
    """Words one of which a regex node must match, when it must match one of a few known ones."""
    op, av = node
    if op is _sre.IN and av and all(o is _sre.LITERAL for o, _ in av):
        return frozenset(chr(a) for _, a in av)
    if op is _sre.SUBPATTERN:
        groups = _required(av[-1])
        return max(groups, key=_selectivity) if groups else None
    if op is _sre.BRANCH:  # each branch must contribute one of its own words
        each = [_required(b) for b in av[1]]
        return frozenset().union(*(max(g, key=_selectivity) for g in each)) if all(each) else None
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
        groups = _required(av[2])
        return max(groups, key=_selectivity) if groups else None
    return None


def _required(seq) -> list[frozenset[str]]:
    """Sets of words (lower case) of which the text must contain at least one each for the pattern to match;
    consecutive literal characters make one word."""
    groups, run = [], ""
    for node in seq:
        if node[0] is _sre.LITERAL:
            run += chr(node[1])
            continue
        if run:
            groups.append(frozenset({run}))
            run = ""
        g = _alternatives(node)
        if g:
            groups.append(g)
    if run:
        groups.append(frozenset({run}))
    # The text is lower case; a word whose lower case changes its length is left out (no certain test for it).
    return [frozenset(w.lower() for w in g) for g in groups if all(len(w.lower()) == len(w) for w in g)]


def _selectivity(group: frozenset[str]) -> float:
    """Longer and fewer words rule more text out."""
    return min(len(w) for w in group) / len(group)


def prefilter(pattern: str) -> tuple[frozenset[str], ...]:
    """A cheap necessary condition for `pattern` (compiled case-insensitive) to match lower-case text: sets of
    words of which the text must contain one each, the most selective first. Skipping the hundreds of patterns
    that cannot match saves most of the matching time. Empty when unsure: the pattern then always runs."""
    try:
        groups = _required(_sre.parse(pattern, re.I))
    except Exception:  # noqa: BLE001 - an unusual construct: no prefilter, the pattern simply always runs
        return ()
    return tuple(sorted(set(groups), key=_selectivity, reverse=True))[:4]


class PatternMatcher:
    """Regular-expression surface forms (case-insensitive) for phrasings too varied to list."""

    def __init__(self, entries: Iterable[tuple[str, Any]], idioms: Iterable[str] = ()):
        # A pattern may not swallow a negator it does not name itself: "脖子[^，]{0,3}硬" in 脖子不硬,
        # "咽东西…(?:不下去|困难)" in 咽东西不困难, "身上…起…疙瘩" in 身上没起疙瘩. Its own negating words
        # (不下去) and idioms with a negator that negate nothing (差不多, 不停) are masked first.
        self._idioms = sorted(set(idioms), key=len, reverse=True)
        self._patterns = []
        self._checks: list[tuple[frozenset[str], ...]] = []  # further words each needs in the text
        self._by_word: dict[str, list[int]] = {}  # a word → the patterns that need it (or one of its alternatives)
        self._always: list[int] = []
        for p, v in entries:
            rx = re.compile(p, re.I)
            own = tuple(sorted(set(_NEGATING_LITERAL.findall(_LOOKAROUND.sub("", p))), key=len, reverse=True))
            # A pattern that names an English negation itself ("rings don't fit") may contain one.
            own_en = bool(_NEGATOR_EN.search(re.sub(r"\\[a-zA-Z]", " ", _LOOKAROUND.sub("", p))))
            self._patterns.append((rx, v, own, _script(p), "f" if "f" in rx.groupindex else 0, own_en))
            needs = prefilter(p)
            self._checks.append(needs[1:])
            for w in needs[0] if needs else ():  # indexed by its most selective words
                self._by_word.setdefault(w, []).append(len(self._patterns) - 1)
            if not needs:
                self._always.append(len(self._patterns) - 1)
        self._words = ahocorasick.Automaton()  # every needed word: one pass finds those the text contains
        for w in {w for groups in self._checks for g in groups for w in g} | set(self._by_word):
            self._words.add_word(w, w)
        if len(self._words):
            self._words.make_automaton()

    def _swallows_negator(self, words: str, own: tuple[str, ...], own_en: bool = True) -> bool:
        if not own_en and _NEGATOR_EN.search(words):
            return True
        if not _NEGATOR.search(words):
            return False
        for w in (*own, *self._idioms):
            if w in words:
                words = words.replace(w, "#" * len(w))
        return bool(_NEGATOR.search(words))

    def all_hits(self, lowered: str) -> list[Hit]:
        # Only the patterns whose needed words are all in the text run (`prefilter`); of those without such
        # words, a Chinese-only pattern cannot match text without Chinese, nor a Latin-only one text without letters.
        scripts = {"cjk"} if _CJK.search(lowered) else set()
        if _LATIN.search(lowered):
            scripts.add("latin")
        words = {w for _, w in self._words.iter(lowered)} if len(self._words) else set()
        candidates = set(self._always)
        for w in words:
            candidates.update(self._by_word.get(w, ()))
        runs = [self._patterns[i] for i in sorted(candidates) if all(not g.isdisjoint(words) for g in self._checks[i])]
        # A finding's words never run across a line break (one chat turn per line).
        # A pattern may name the finding's own words as group "f" ("大便里没有(?P<f>血)"): the words around
        # it only anchor the match, so a negator before the group still reads as a denial.
        return [Hit(m.start(g), m.end(g), m.group(g), v) for pat, v, own, script, g, own_en in runs
                if script is None or script in scripts for m in pat.finditer(lowered)
                if m.end(g) > m.start(g) and "\n" not in m.group(0) and not self._swallows_negator(m.group(g), own, own_en)]


@dataclass
class Lexicons:
    findings: Matcher
    finding_patterns: PatternMatcher
    context: Matcher
    persons: Matcher
    sex: Matcher
    onset: Matcher
    severity: Matcher
    durations: dict[str, float]
    duration_words: Matcher
    medications: Matcher
    allergens: Matcher
    diagnoses: Matcher
    raw: dict[str, Any]


def _english_plurals(form: str) -> list[str]:
    """'headache' → 'headaches', 'rash' → 'rashes': plural complaints match their singular form."""
    last = form.split()[-1] if form.split() else ""
    if len(last) < 4 or not last.isalpha():
        return []  # abbreviations ("ha" → "has") and odd forms are never pluralised
    if form.endswith(("s", "x", "ch", "sh")):
        return [form + "es"] if not form.endswith("s") else []
    if form.endswith("y") and len(form) > 1 and form[-2] not in "aeiou":
        return [form[:-1] + "ies"]
    return [form + "s"]


def _load_language() -> dict[str, Any]:
    return read_messages(LEXICON_PATH)  # cached and shared: read-only


def build_lexicons(kb: KnowledgeBase) -> Lexicons:
    lang = _load_language()
    finding_entries, plurals = [], []
    for f in kb.findings.values():
        for form in f.zh + f.zh_hant + f.en:
            finding_entries.append((form, f.id))
        plurals.extend((p, f.id) for form in f.en for p in _english_plurals(form))
    finding_entries += plurals  # after every explicit form, so an explicit form always keeps its meaning
    persons = []
    for p in lang["persons"]:
        for form in p["forms"]:
            persons.append((form, (p["relation"], p["sex"])))
    sex = [(w, s) for s, words in lang["sex_words"].items() for w in words]
    onset = [(w, k) for k, words in lang["onset"].items() for w in words]
    severity = [(w, k) for k, words in lang["severity"].items() for w in words]
    meds = []
    for m in kb.medications.values():
        for form in [m.name.zh, m.name.en, *m.aliases]:
            meds.append((form, m.id))
    allergens = []
    for a in kb.allergens.values():
        for form in [a.name.zh, a.name.en, *a.aliases]:
            allergens.append((form, a.id))
    # Condition names ("主动脉夹层", "ectopic pregnancy") as a report or a doctor states them. A name that
    # is also a finding's form (哮喘, 高血压: a known disease) stays a finding; short names are left out.
    finding_forms = {form.lower() for form, _ in finding_entries} | {w.lower() for w in lang["diagnosis_forms_not_stated"]}
    diagnoses = []
    named: dict[str, set[str]] = {}
    for c in kb.conditions.values():
        for form in {c.name.zh, c.name.en, *c.aliases.zh, *c.aliases.en}:
            low = form.lower()
            if low in finding_forms or len(low) < (2 if _CJK.search(low) else 5):
                continue
            diagnoses.append((form, c.id))
            named.setdefault(low, set()).add(c.id)
    # "异位妊娠（宫外孕）" is also said as 异位妊娠 or 宫外孕: each part of a name with a bracket names the condition,
    # unless the part is a finding's form or names another condition too.
    # The bracket's own words only when they are a disease's name (宫外孕, 哮吼), not a qualifier (儿童, 疑似, 出血).
    endings = tuple(lang["bracket_name_endings"])
    parts: dict[str, set[str]] = {}
    for c in kb.conditions.values():
        for form in (c.name.zh, *c.aliases.zh):
            m = re.match(r"^(.*?)[（(](.*?)[）)](.*)$", form)
            if not m:
                continue
            outside, inside = (m.group(1) + m.group(3)).strip(), m.group(2).strip()
            for part in (outside, inside if inside.endswith(endings) else ""):
                if len(part) >= 2 and part.lower() not in finding_forms:
                    parts.setdefault(part.lower(), set()).add(c.id)
    for part, ids in parts.items():
        if len(ids) == 1 and (part not in named or named[part] == ids):
            diagnoses.append((part, next(iter(ids))))
    return Lexicons(
        findings=Matcher(finding_entries),
        finding_patterns=PatternMatcher(((p, f.id) for f in kb.findings.values() for p in f.patterns), lang["negator_idioms"]),
        context=Matcher((r.literal, r) for r in kb.context_rules),
        persons=Matcher(persons),
        sex=Matcher(sex),
        onset=Matcher(onset),
        severity=Matcher(severity),
        durations={k.lower(): float(v) for k, v in lang["duration_units"].items()},
        duration_words=Matcher((k, float(v)) for k, v in lang["duration_words"].items()),
        medications=Matcher(meds),
        allergens=Matcher(allergens),
        diagnoses=Matcher(diagnoses),
        raw=lang,
    )


@lru_cache(maxsize=4)
def get_lexicons(hospital_config: str | None = None) -> Lexicons:
    return build_lexicons(get_kb(hospital_config))
