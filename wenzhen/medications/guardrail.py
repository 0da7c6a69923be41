"""The guardrail the LLM layer calls on every answer a model writes: each medicine (and dose, and how often) the
text suggests is found and checked for this patient with check_medications — allergy, what they already take,
anticoagulants, pregnancy, age, kidney and liver function, maximum single and daily doses. A sentence suggesting a
medicine with a major or contraindicated finding is removed and replaced by a note saying why; sentences telling
the reader not to take a medicine are kept. Deterministic, and fast enough for every call."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ahocorasick
from pydantic import BaseModel, Field

from ..kb.base import normalise_key
from ..kb.drug_loader import DrugKnowledgeBase, default_drug_kb
from ..understanding.lexicon import Hit, leftmost_longest
from . import _MSG, _TIMES, _WORDS, SEVERITY_ORDER, DrugOrder, MedFinding, PatientFacts, check_medications

_SENTENCE = re.compile(r"[^。！？!?\n；;]+[。！？!?\n；;]*|[^。！？!?\n；;]+$")
_UNITS = sorted([*_WORDS["mass_units"], *_WORDS["unit_words"], "ml", "mL"], key=len, reverse=True)
_DOSE = re.compile(rf"(\d+(?:\.\d+)?)\s*(?:{'|'.join(map(re.escape, _UNITS))})(?![a-zA-Z])", re.I)
_FREQ_KEYS = sorted((normalise_key(k).replace(" ", "") for k in _WORDS["frequency"]), key=len, reverse=True)
_NEGATION = [w.lower() for w in _WORDS["negation_words"]]
DOSE_WINDOW = 16  # characters after a name where its dose may stand ("布洛芬每次400mg")
MIN_ASCII_NAME = 4  # shorter Latin names (ASA, INH) are too ambiguous in free text


class DrugMention(BaseModel):
    drug: str = Field(description="drug id")
    text: str = Field(description="the words as written")
    start: int
    end: int
    dose: str | None = None
    frequency: str | None = None
    negated: bool = Field(False, description="the sentence tells the reader not to take it")


class RemovedAdvice(BaseModel):
    sentence: str
    reason: str
    finding: MedFinding


class ScreenedText(BaseModel):
    text: str = Field(description="the text with unsafe medicine advice replaced by a note")
    mentions: list[DrugMention]
    removed: list[RemovedAdvice]
    cautions: list[MedFinding] = Field(default_factory=list, description="moderate findings on suggested medicines")


@lru_cache(maxsize=2)
def _automaton(kb: DrugKnowledgeBase):
    a = ahocorasick.Automaton()
    for d in kb.drugs.values():
        for n in {d.name.zh, d.name.en, *d.brands, *d.aliases}:
            key = unicodedata.normalize("NFKC", n).lower().strip()
            if not key or (key.isascii() and len(key) < MIN_ASCII_NAME) or len(key) < 2:
                continue
            if key not in a:
                a.add_word(key, (d.id, len(key)))
    a.make_automaton()
    return a


def find_mentions(text: str, kb: DrugKnowledgeBase | None = None) -> list[DrugMention]:
    """Every medicine named in `text` (generic, brand, alias; leftmost-longest), with a dose and frequency written
    right after it."""
    kb = kb or default_drug_kb()
    low = unicodedata.normalize("NFKC", text).lower()
    if len(low) != len(text):  # NFKC changed lengths (rare ligatures): positions must stay the text's own
        low = text.lower()
    hits = []
    for end, (drug_id, n) in _automaton(kb).iter(low):
        start = end - n + 1
        key = low[start:end + 1]
        if key.isascii() and ((start > 0 and low[start - 1].isalnum()) or (end + 1 < len(low) and low[end + 1].isalpha())):
            continue  # "asa" inside "Nasal"
        hits.append(Hit(start, end + 1, key, drug_id))
    out: list[DrugMention] = []
    for h in leftmost_longest(hits):
        start, end, drug_id = h.start, h.end, h.value
        window = text[end:end + DOSE_WINDOW]
        dm = _DOSE.search(window)
        dose = dm.group(0) if dm and not re.search(r"[。！？!?\n；;]", window[:dm.start()]) else None
        out.append(DrugMention(drug=drug_id, text=text[start:end], start=start, end=end, dose=dose,
                               frequency=_frequency(text[end:end + DOSE_WINDOW + 12])))
    return out


def _frequency(window: str) -> str | None:
    """How often, written in the words after a name (up to the end of its sentence)."""
    clause = re.split(r"[。！？!?\n；;]", window, maxsplit=1)[0] if window else ""
    key = normalise_key(clause).replace(" ", "")
    for k in _FREQ_KEYS:
        if k and k in key:
            return k
    m = _TIMES.search(clause)
    return m.group(0) if m else None


def _negated(sentence: str, start_in_sentence: int) -> bool:
    before = sentence[:start_in_sentence].lower()
    return any(w in before for w in _NEGATION)


def screen_text(text: str, patient: PatientFacts | dict | None = None, *, taking: list[str | DrugOrder | dict] | None = None,
                language: str = "zh", kb: DrugKnowledgeBase | None = None) -> ScreenedText:
    """Check every medicine a (model-written) text suggests for this patient; remove the sentences that suggest one
    with a major or contraindicated finding, each replaced by a note with the reason."""
    kb = kb or default_drug_kb()
    lang = "en" if language == "en" else "zh"
    M = _MSG[lang]
    p = patient if isinstance(patient, PatientFacts) else PatientFacts.model_validate(patient or {})
    mentions: list[DrugMention] = []
    removed: list[RemovedAdvice] = []
    cautions: list[MedFinding] = []
    kept: list[str] = []
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        here = find_mentions(sentence, kb)
        for m in here:
            m.negated = _negated(sentence, m.start)
            m.start += sm.start()
            m.end += sm.start()
        mentions += here
        suggested = [m for m in here if not m.negated]
        if not suggested:
            kept.append(sentence)
            continue
        orders = [{"name": m.drug, **({"dose": m.dose} if m.dose else {}), **({"frequency": m.frequency} if m.frequency else {})}
                  for m in suggested]
        res = check_medications(p, [*orders, *(taking or [])], language=lang, kb=kb)
        ids = {m.drug for m in suggested}
        for m in suggested:
            d = kb.drugs.get(m.drug)
            ids |= {i.drug for i in d.ingredients} if d else set()
        mine = [f for f in res.findings if ids & set(f.drugs)]
        serious = [f for f in mine if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["major"]]
        if serious:
            f = serious[0]
            removed.append(RemovedAdvice(sentence=sentence.strip(), reason=f.message, finding=f))
            kept.append(M["guardrail_removed"].format(reason=f.message) + ("\n" if sentence.endswith("\n") else ""))
            continue
        cautions += [f for f in mine if f.severity == "moderate"]
        kept.append(sentence)
    return ScreenedText(text="".join(kept), mentions=mentions, removed=removed, cautions=cautions)


__all__ = ["screen_text", "find_mentions", "ScreenedText", "DrugMention", "RemovedAdvice"]
