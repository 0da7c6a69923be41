"""Text normalisation, language detection and Chinese numerals."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUM_CHARS = "零〇一二两俩三四五六七八九十百千万"
# A number written in digits or Chinese numerals ("39.5", "三十九", "一百二").
# Bounded repeats: an unbounded \d+ backtracks quadratically on long digit runs.
NUM = rf"(?:\d{{1,6}}(?:\.\d{{1,3}})?|[{CN_NUM_CHARS}]{{1,8}})"

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def cn2num(s: str) -> float | None:
    """Parse '39', '39.5', '三十九', '十五', '一百二' (=120), '两' → number; None if not a number."""
    s = s.strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    if any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    total, section, digit, last_unit = 0, 0, None, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total = (total + section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    if digit is not None:
        # 一百二 means 120 and 三千五 3500: a trailing digit counts in the next smaller unit.
        if last_unit in (100, 1000) and len(s) >= 2 and s[-2] in _CN_UNITS:
            digit *= last_unit // 10
        section += digit
    return float(total + section)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


_CJK_PAUSE = re.compile(r"(?<=[\u4e00-\u9fff])(?:\.{2,}|…+|⋯+)(?=[\u4e00-\u9fff])")


def normalize(text: str) -> str:
    """Full-width → half-width (NFKC), Traditional → Simplified, unify dashes and spaces.

    Lower case is applied by the matchers, not here, so evidence keeps the user's casing.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u3000", " ").replace("～", "~").replace("—", "-").replace("－", "-")
    if _CJK.search(text):
        text = _t2s().convert(text)
        # A breathless "喘……说不了……整句话": the pauses are not boundaries between words.
        text = _CJK_PAUSE.sub("", text)
    return text


def detect_language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return "zh" if cjk >= max(2, words) or (cjk and words == 0) else "en"
