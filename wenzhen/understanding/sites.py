"""Site-specific findings composed from a complaint word and a body site in one clause.

"Swelling in the left hemi-scrotum", "pain and swelling in several fingers", "右腿又红又肿": the site and the
complaint are apart, in any order, so no list of phrases foresees them. The combinations live in the
knowledge base (kb/data/body_sites.yaml); this module finds the pairs and returns them as lexicon hits,
which are then read for denial, doubt and experiencer like any other finding.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..kb import KnowledgeBase
from .cues import CUE
from .lexicon import Hit
from .text import _CJK

# A different item starts between the two words: a sentence or clause end, or a new denial ("…, no calf pain").
_BREAK_EN, _BREAK_ZH = CUE["site_break_en"], CUE["site_break_zh"]
_JOINER_EN, _JOINER_ZH = CUE["site_joiner_en"], CUE["site_joiner_zh"]
_FILLER = CUE["site_filler"]
_DENIED_BETWEEN_EN = CUE["site_denied_between_en"]
_REACH = 120  # characters around a complaint word searched for its site, before the words between are discounted


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    key: str  # symptom kind or site id
    cjk: bool


@dataclass(frozen=True)
class _Compiled:
    symptoms: re.Pattern
    sites: re.Pattern
    symptom_of: dict[str, str]
    site_of: dict[str, str]
    finding: dict[tuple[str, str], str]
    replaces: dict[str, frozenset[str]]
    gap: dict[str, int]


def _alternation(words: list[str]) -> str:
    """English words whole (not "tender" in "non-tender", not "ear" in "year"); Chinese as written. One
    boundary around all English words keeps the pattern fast."""
    def body(w: str) -> str:
        return re.escape(w).replace(r"\ ", r"[\s-]?")
    by_len = sorted(set(words), key=len, reverse=True)
    en = [body(w) for w in by_len if not _CJK.search(w)]
    zh = [body(w) for w in by_len if _CJK.search(w)]
    parts = ([rf"(?<![\w-])(?:{'|'.join(en)})(?![\w-])"] if en else []) + zh
    return "|".join(parts)


@lru_cache(maxsize=8)
def _compiled(kb: KnowledgeBase) -> _Compiled:
    bs = kb.body_sites
    symptom_of = {_norm(w): k for k, s in bs.symptoms.items() for w in s.words.zh + s.words.en}
    site_of = {_norm(w): k for k, s in bs.sites.items() for w in s.zh + s.en}
    return _Compiled(
        symptoms=re.compile(_alternation(list(symptom_of)), re.I),
        sites=re.compile(_alternation(list(site_of)), re.I),
        symptom_of=symptom_of,
        site_of=site_of,
        finding={(r.site, r.symptom): r.finding for r in bs.findings},
        replaces={k: frozenset(s.replaces) for k, s in bs.symptoms.items()},
        gap=dict(bs.max_gap),
    )


def _norm(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower())


def _words(pattern: re.Pattern, table: dict[str, str], low: str) -> list[_Word]:
    out = []
    for m in pattern.finditer(low):
        key = table.get(_norm(m.group(0)))
        if key:
            out.append(_Word(m.start(), m.end(), key, bool(_CJK.match(m.group(0)))))
    return out


def _joined(low: str, a: _Word, b: _Word, c: _Compiled) -> bool:
    """The two words are in one clause, close enough, with no new item between them. Other complaint words
    and their joiners do not count ("眼睑疼痛、肿胀", "pain, tenderness and swelling of the knee")."""
    lo, hi = (a, b) if a.start < b.start else (b, a)
    between = low[lo.end:hi.start]
    cjk = a.cjk or b.cjk
    if c.sites.search(between):
        return False  # another site is nearer: "右腿疼，左手肿"
    if not cjk and _DENIED_BETWEEN_EN.search(between):
        return False
    rest = (_JOINER_ZH if cjk else _JOINER_EN).sub("", _FILLER.sub("", c.symptoms.sub("", between)))
    if len(rest) > c.gap["zh" if cjk else "en"]:
        return False
    return not (_BREAK_ZH if cjk else _BREAK_EN).search(rest)


def site_hits(low: str, kb: KnowledgeBase) -> tuple[list[Hit], dict[int, frozenset[str]]]:
    """Composed findings as hits over both words, and for each the general findings it replaces
    (keyed by the hit's index): "swelling in the scrotum" is scrotal swelling, not oedema."""
    c = _compiled(kb)
    symptoms = _words(c.symptoms, c.symptom_of, low)
    if not symptoms:
        return [], {}
    sites = _words(c.sites, c.site_of, low)
    hits: list[Hit] = []
    replaced: dict[int, frozenset[str]] = {}
    seen: set[tuple[int, str]] = set()
    starts = [t.start for t in sites]
    for s in symptoms:
        # Only sites close enough to be joined after the words in between are discounted (bounded work on long text).
        lo, hi = bisect_left(starts, s.start - _REACH), bisect_right(starts, s.end + _REACH)
        near = [t for t in sites[lo:hi] if _joined(low, s, t, c)]
        if not near:
            continue
        t = min(near, key=lambda t: min(abs(t.start - s.end), abs(s.start - t.end)))
        for site in [t, *_listed_with(low, t, s, sites)]:
            fid = c.finding.get((site.key, s.key))
            if fid is None:
                continue
            start, end = min(s.start, site.start), max(s.end, site.end)
            if (site.start, fid) in seen:  # "painful, tender and swollen right leg": one pain, one swelling
                continue
            seen.add((site.start, fid))
            replaced[len(hits)] = c.replaces.get(s.key, frozenset())
            hits.append(Hit(start, end, low[start:end], fid))
    return hits, replaced


def _listed_with(low: str, t: _Word, s: _Word, sites: list[_Word]) -> list[_Word]:
    """Sites listed with the nearest one, away from the complaint word: "肩膀和胯骨都疼", "pain in her knees
    and hips" name both. `sites` are in text order."""
    out: list[_Word] = []
    forward = t.start > s.start  # the list runs on after the site when the complaint word comes first
    i = sites.index(t)
    cur = t
    for w in (sites[i + 1:] if forward else reversed(sites[:i])):
        gap = low[cur.end:w.start] if forward else low[w.end:cur.start]
        rest = (_JOINER_ZH if cur.cjk else _JOINER_EN).sub("", _FILLER.sub("", gap))
        if len(gap) > 12 or rest.strip(" ,、") or not gap.strip(" ") and not cur.cjk:
            break
        out.append(w)
        cur = w
    return out
