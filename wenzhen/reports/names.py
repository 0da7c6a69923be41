"""Find lab-item names in a line: Chinese names, abbreviations and English names, via Aho–Corasick."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from wenzhen.kb.lab_loader import LabKnowledgeBase, normalise_name
from wenzhen.understanding.lexicon import Hit, leftmost_longest

_SKIP = set(" \t-_·•()（）[]【】:：")
_CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZY_MIN_CHARS = 2  # two-character names (肌酐, 尿素) are matched too, but only with a unit that agrees (panels.py)
FUZZY_UNIT_REQUIRED_BELOW = 3
_SPACE_DIGIT = re.compile(r"\s[\d.]")


@dataclass(frozen=True)
class NameHit:
    item_id: str  # the default reading
    start: int  # in the original line
    end: int  # exclusive, in the original line
    text: str
    candidates: tuple[str, ...] = ()  # every item printed under this name (GLU: blood or urine glucose)


class NameIndex:
    """Every printed name → the items it may stand for, the default first. A name shared by several items (GLU,
    pH, 白细胞, PCT) is resolved later from the report's panel, the row's unit and value (reports/panels.py)."""

    def __init__(self, kb: LabKnowledgeBase):
        self.automaton = ahocorasick.Automaton()
        self.exact: dict[str, tuple[str, ...]] = {}
        self.worded = frozenset(it.id for it in kb.items.values() if it.normal_results)  # results in words (黄色)
        for it in kb.items.values():
            for n in {it.code, it.name.zh, it.name.en, *it.aliases}:
                key = normalise_name(n)
                if key and it.id not in self.exact.get(key, ()):
                    self.exact[key] = (*self.exact.get(key, ()), it.id)  # the first item loaded is the default
        for key, ids in self.exact.items():
            self.automaton.add_word(key, (ids, len(key), _is_ascii_code(key)))
        self.automaton.make_automaton()
        # Chinese names with one character blanked: a name OCR misread by one character (中性粮细胞, 尿素氨) is
        # found when exactly one item fits.
        self.one_off: dict[str, set[str]] = {}
        for key, ids in self.exact.items():
            if len(key) >= FUZZY_MIN_CHARS and _CJK.search(key):
                for i in range(len(key)):
                    self.one_off.setdefault(key[:i] + "?" + key[i + 1:], set()).update(ids)

    def nearly(self, name: str) -> tuple[str, ...]:
        """The items whose Chinese name differs from `name` by a single character (台细胞: 白细胞 and 红细胞)."""
        key = normalise_name(name)
        if len(key) < FUZZY_MIN_CHARS or not _CJK.search(key) or key in self.exact:
            return ()
        found: set[str] = set()
        for i in range(len(key)):
            found |= self.one_off.get(key[:i] + "?" + key[i + 1:], set())
        return tuple(sorted(found))

    def candidates(self, name: str) -> tuple[str, ...]:
        """The items a whole cell (table column) may name, the default first; () when none."""
        key = normalise_name(name)
        if key in self.exact:
            return self.exact[key]
        hits = self.find(name)
        return hits[0].candidates if hits else ()

    def lookup(self, name: str) -> str | None:
        """The default item a whole cell names."""
        ids = self.candidates(name)
        return ids[0] if ids else None

    def find(self, line: str) -> list[NameHit]:
        """Leftmost-longest, non-overlapping name occurrences in `line`."""
        norm_chars: list[str] = []
        pos: list[int] = []
        line = unicodedata.normalize("NFKC", line)  # callers pass NFKC text; positions refer to it
        for i, ch in enumerate(line):
            if ch in _SKIP:
                continue
            norm_chars.append(ch.lower())
            pos.append(i)
        norm = "".join(norm_chars)
        cands = []
        for end, (ids, length, ascii_code) in self.automaton.iter(norm):
            start = end - length + 1
            o_start, o_end = pos[start], pos[end] + 1
            if ascii_code and not _word_bounded(line, o_start, o_end):
                continue
            if not ascii_code and _inside_cjk_word(line, o_end):
                continue
            if _SPACE_DIGIT.search(line, o_start, o_end):  # "T 3.9" is T then a value, not T3
                continue
            cands.append(Hit(o_start, o_end, line[o_start:o_end], ids))
        return [NameHit(h.value[0], h.start, h.end, h.key, h.value) for h in leftmost_longest(cands)]


_CJK_SUFFIXES = ("测定", "定量", "浓度", "含量", "总数", "计数", "检测", "值", "数", "试验", "测试")


def _inside_cjk_word(line: str, end: int) -> bool:
    """血小板 in 血小板分布宽度 is another item: a Chinese name must not run on into more Chinese."""
    if end >= len(line) or not ("\u4e00" <= line[end] <= "\u9fff"):
        return False
    return not line.startswith(_CJK_SUFFIXES, end)


def _is_ascii_code(key: str) -> bool:
    return key.isascii()


def _word_bounded(line: str, start: int, end: int) -> bool:
    """ASCII names (K, ALT, pH) must not sit inside a longer Latin word or number."""
    before = line[start - 1] if start > 0 else " "
    after = line[end] if end < len(line) else " "
    if before.isascii() and before.isalnum() or after.isascii() and after.isalpha():
        return False
    if after == "/" or (end - start <= 2 and "\u4e00" <= after <= "\u9fff"):  # mg/L is a unit; K值 is not potassium
        return False
    return True


@lru_cache(maxsize=4)
def name_index(kb: LabKnowledgeBase) -> NameIndex:
    return NameIndex(kb)
