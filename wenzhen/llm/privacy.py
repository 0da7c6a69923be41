"""Personal identifiers are replaced before any text leaves the machine and put back in the answer: names (jieba's
person-name tags and the name after 姓名/患者), 18-digit resident ID numbers with a valid check digit, mobile and
landline numbers, addresses, and record numbers (住院号, 病历号 …). Placeholders look like [姓名1] / [NAME1]."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..kb.base import read_messages

_W = read_messages(Path(__file__).with_name("privacy_words.yaml"))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_RESIDENT_ID = re.compile(r"(?<![0-9])([1-9]\d{16}[\dXx])(?![0-9])")
_LABELLED_ID = re.compile(rf"((?:{'|'.join(map(re.escape, _W['id_labels']))})\s*[:：]?\s*)(\d{{15}}(?:\d{{2}}[\dXx])?)", re.I)
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0\d{2,3}[- ]\d{7,8})(?![0-9])")
_RECORD = re.compile(rf"((?:{'|'.join(map(re.escape, _W['record_labels']))})\s*[:：]?\s*)([A-Za-z0-9-]{{4,20}})", re.I)
_NAMED = re.compile(rf"((?:{'|'.join(map(re.escape, _W['name_labels']))})\s*[:：]?\s*)([A-Z][a-z]+(?: [A-Z][a-z]+)?)")
_RELATED_ZH = re.compile(rf"(?:{'|'.join(map(re.escape, _W['relation_words']['zh'] + _W['name_labels']))})\s*[:：]?\s*(?P<n>[{_W['surnames']}][\u4e00-\u9fff]{{1,2}})")
_RELATED_EN = re.compile(rf"\b(?:{'|'.join(map(re.escape, _W['relation_words']['en']))})\s+(?P<n>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)")
_ADDRESS = re.compile(rf"[\u4e00-\u9fff]{{2,12}}(?:{'|'.join(map(re.escape, _W['address_ends']))})(?:[\u4e00-\u9fff\d-]{{0,16}}(?:{'|'.join(map(re.escape, _W['address_units']))}))?")


def valid_resident_id(s: str) -> bool:
    """GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    if len(s) != 18 or not s[:17].isdigit():
        return False
    return _ID_CHECK[sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS)) % 11] == s[17].upper()


@dataclass
class Redaction:
    """Placeholder → original, and how many of each kind were replaced (what the call log records)."""

    mapping: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def placeholder(self, kind: str, original: str, lang: str) -> str:
        for ph, orig in self.mapping.items():
            if orig == original and ph.startswith(f"[{_W['labels'][kind][lang]}"):
                return ph
        self.counts[kind] = self.counts.get(kind, 0) + 1
        ph = f"[{_W['labels'][kind][lang]}{self.counts[kind]}]"
        self.mapping[ph] = original
        return ph

    def restore(self, text: str) -> str:
        for ph, orig in self.mapping.items():
            text = text.replace(ph, orig)
        return text


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)  # no banner on stderr
    jieba.initialize()
    return jieba


NAME_MAX_FREQ = 100  # jieba dictionary frequency: names are rare words (张建华: 2), common words are not (高血压: 876)


def _person_names(text: str) -> set[str]:
    """Chinese person names: a word of 2–3 characters that starts with a common surname and is rare or unknown to
    jieba's dictionary (its HMM joins unknown names), or a surname followed by a 1–2 character given name jieba cut
    apart (王 秀英); never a word the lexicon reads as a symptom, disease or medicine. jieba's segmentation, not its
    part-of-speech tagger: the tagger costs ~3 ms a message, segmentation ~0.2 ms."""
    jb = _jieba()
    words = [w for w in jb.cut(text) if w.strip()]
    freq = jb.dt.FREQ
    out: set[str] = set()
    for i, w in enumerate(words):
        cand = None
        if 2 <= len(w) <= 3 and w[0] in _W["surnames"] and _CJK_ONLY.fullmatch(w) and freq.get(w, 0) < NAME_MAX_FREQ:
            cand = w
        elif len(w) == 1 and w in _W["surnames"] and i + 1 < len(words):
            nxt = words[i + 1]
            if 1 <= len(nxt) <= 2 and _CJK_ONLY.fullmatch(nxt) and freq.get(w + nxt, 0) < NAME_MAX_FREQ \
                    and not set(nxt) & set(_W["not_given_names"]):
                cand = w + nxt
        if cand and cand not in _W["not_names"] and _not_clinical(cand):
            out.add(cand)
    return out


_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def _not_clinical(word: str) -> bool:
    """A would-be name that the lexicon reads as a symptom or disease (我爸爸高血压) is not a name."""
    from ..understanding import understand

    pic = understand(word)
    return not pic.findings and not pic.stated_diagnoses and not pic.medications


def _related_names(text: str, red: Redaction, label: str) -> str:
    """"我妈妈王秀英" → a name; "我老公李刚胸痛": 李刚, not 李刚胸 — a third character that starts a symptom is not
    part of the name; "我爸爸高血压" is no name at all."""
    from ..understanding import understand

    out, last = [], 0
    for m in _RELATED_ZH.finditer(text):
        n = m.group("n")
        if len(n) == 3 and any(f.evidence.start == 0 for f in understand(text[m.start("n") + 2:m.start("n") + 8]).findings):
            n = n[:2]
        if not _not_clinical(n):
            continue
        out.append(text[last:m.start("n")])
        out.append(red.placeholder("name", n, label))
        last = m.start("n") + len(n)
    out.append(text[last:])
    return "".join(out)


def redact(text: str, red: Redaction | None = None, lang: str = "zh") -> tuple[str, Redaction]:
    """`text` with identifiers replaced; the same Redaction across a conversation keeps placeholders stable."""
    red = red or Redaction()
    label = "zh" if lang != "en" else "en"

    def sub(kind, pattern, group=1, check=None):
        nonlocal text

        def repl(m):
            val = m.group(group)
            if check and not check(val):
                return m.group(0)
            return m.group(0).replace(val, red.placeholder(kind, val, label))
        text = pattern.sub(repl, text)

    sub("id_number", _LABELLED_ID, group=2)
    sub("id_number", _RESIDENT_ID, check=valid_resident_id)
    sub("record", _RECORD, group=2)
    sub("phone", _MOBILE)
    sub("phone", _LANDLINE)
    sub("name", _NAMED, group=2)
    text = _related_names(text, red, label)
    sub("name", _RELATED_EN, group="n", check=_not_clinical)
    sub("address", _ADDRESS, group=0)
    for ph, orig in list(red.mapping.items()):  # every later mention of a value already found
        if len(orig) >= 2:
            text = text.replace(orig, ph)
    if re.search(r"[\u4e00-\u9fff]", text):
        for n in sorted(_person_names(text), key=len, reverse=True):
            text = text.replace(n, red.placeholder("name", n, label))
    return text, red
