"""Deterministic guardrails on every model output, each firing by name so that the call log records it:

- refuse requests for harm or outside medicine (before any model call); self-harm gets the crisis lines;
- the triage level and disposition are the engine's: sentences that play down urgency at levels I–III are removed;
  a model that argues for more urgency raises the disposition, never lowers it;
- every red flag, critical value and the engine's what-to-do-now appear in the final text (added when missing);
- every medicine and dose is checked for this patient (medications.guardrail.screen_text), failing ones removed;
- findings a model adds are kept only when their words occur in the input (grounding)."""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field

from ..kb.base import read_messages

_W = read_messages(Path(__file__).with_name("guardrail_words.yaml"))
_M = read_messages(Path(__file__).with_name("messages.yaml"))
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?\n]*")
_HARM = [re.compile(p, re.I) for p in _W["harm_patterns"]]
_SELF_HARM = [re.compile(p, re.I) for p in _W["self_harm_patterns"]]


class Guarded(BaseModel):
    text: str
    fired: list[str] = Field(default_factory=list, description="names of the guardrails that changed something")
    raised_to: str | None = Field(default=None, description="the disposition the model's urgency raised it to")
    removed: list[str] = Field(default_factory=list, description="sentences removed, each with its reason")


def _has(text: str, words: list[str]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


def check_request(text: str, lang: str) -> str | None:
    """A refusal for requests for harm or outside medicine; None for a medical question."""
    words = _W["harm"]["zh"] + _W["harm"]["en"]
    if _has(text, words) or any(p.search(text) for p in _HARM):
        selfharm = _has(text, _W["self_harm"]["zh"] + _W["self_harm"]["en"]) or any(p.search(text) for p in _SELF_HARM)
        return _M["refuse_self_harm" if selfharm else "refuse_harm"][lang]
    if _has(text, _W["off_topic"]["zh"] + _W["off_topic"]["en"]):
        return _M["refuse_off_topic"][lang]
    return None


def scrub_foreign_identifiers(answer: str, source: str) -> tuple[str, int]:
    """ID and phone numbers in a model's answer that the patient never wrote are masked: a model must not put
    someone else's identifiers (or invented ones) in front of the reader."""
    from .privacy import _LANDLINE, _MOBILE, _RESIDENT_ID

    digits = re.sub(r"\D", "", source)
    n = 0

    def mask(m):
        nonlocal n
        if re.sub(r"\D", "", m.group(0)) in digits:
            return m.group(0)
        n += 1
        return "***"
    for pattern in (_RESIDENT_ID, _MOBILE, _LANDLINE):
        answer = pattern.sub(mask, answer)
    return answer, n


def guard_answer(answer: str, assessment, lang: str, *, patient=None, taking=None) -> Guarded:
    """The model's answer made safe against the engine's assessment (wenzhen.assessment.Assessment)."""
    from ..medications.guardrail import screen_text

    fired: list[str] = []
    removed: list[str] = []
    answer, foreign = scrub_foreign_identifiers(answer, assessment.understanding.text)
    if foreign:
        fired.append("foreign_identifier_masked")
    tri = assessment.triage
    level = tri.triage_level
    # 1. Urgency: never lowered.
    kept = []
    for s in _SENTENCE.findall(answer):
        if level <= 3 and _has(s, _W["downplay"]["zh"] + _W["downplay"]["en"]):
            removed.append(s.strip() + " — " + _M["why_downplay"][lang])
            continue
        kept.append(s)
    if len(kept) != len(_SENTENCE.findall(answer)):
        fired.append("urgency_not_lowered")
    text = "".join(kept)
    raised = None
    if level >= 3 and _has(text, _W["escalate"]["zh"] + _W["escalate"]["en"]):
        raised = "emergency_now"
        fired.append("urgency_raised_by_model")
    # 2. Medicines: at levels I–III none but the engine's own advice (a patient waiting for 120 takes nothing a
    # model suggests); at level IV each checked for this patient.
    if level <= 3:
        from ..medications.guardrail import find_mentions

        advised = {m.drug for line in assessment.advice.what_to_do_now for m in find_mentions(line)}
        kept = []
        for s in _SENTENCE.findall(text):
            ms = [m for m in find_mentions(s) if m.drug not in advised and not _negated_in(s, m)]
            if ms:
                removed.append(s.strip() + " — " + _M["why_no_medicine"][lang])
                continue
            kept.append(s)
        if len(kept) != len(_SENTENCE.findall(text)):
            fired.append("medication_removed")
        text = "".join(kept)
    if patient is not None:
        screened = screen_text(text, patient, taking=taking or [], language=lang)
        if screened.removed:
            fired.append("medication_removed")
            removed += [r.sentence + " — " + r.reason for r in screened.removed]
        text = screened.text
    # 3. The engine's triage, red flags and what to do now must be in the final text.
    must = [_M["triage_line"][lang].format(level=_pick(tri.level_name, lang), disposition=_pick(tri.disposition_text, lang))]
    if raised:
        must.append(_M["raised_line"][lang])
    must += [_pick(r.reason, lang) for r in tri.rules_fired if r.level == level][:5]
    must += list(assessment.advice.what_to_do_now)
    missing = [m for m in must if m not in text]
    if missing:
        fired.append("required_content_added")
        text = text.rstrip() + "\n\n" + _M["engine_block"][lang] + "\n" + "\n".join(f"- {m}" for m in missing)
    return Guarded(text=text.strip(), fired=fired, raised_to=raised, removed=removed)


def grounded(evidence: str, source: str) -> bool:
    """A finding a model adds stands only on words that occur in the input."""
    e = re.sub(r"\s+", "", evidence or "")
    return bool(e) and e in re.sub(r"\s+", "", source)


def _pick(t, lang):
    return t.en if lang == "en" else t.zh


def guard_text(answer: str, required: list[str], lang: str, *, urgent: bool = False, patient=None) -> Guarded:
    """The same guardrails for the explanation of a result that is not an assessment: no playing down when the
    result is urgent, medicines checked for the patient, and the required lines (critical values) present."""
    from ..medications.guardrail import screen_text

    fired, removed, kept = [], [], []
    for s in _SENTENCE.findall(answer):
        if urgent and _has(s, _W["downplay"]["zh"] + _W["downplay"]["en"]):
            removed.append(s.strip() + " — " + _M["why_downplay"][lang])
            continue
        kept.append(s)
    if removed:
        fired.append("urgency_not_lowered")
    text = "".join(kept)
    screened = screen_text(text, patient or {}, language=lang)
    if screened.removed:
        fired.append("medication_removed")
        removed += [r.sentence + " — " + r.reason for r in screened.removed]
    text = screened.text
    missing = [r for r in required if r and r not in text]
    if missing:
        fired.append("required_content_added")
        text = text.rstrip() + "\n\n" + _M["engine_block"][lang] + "\n" + "\n".join(f"- {m}" for m in missing)
    return Guarded(text=text.strip(), fired=fired, removed=removed)


def _negated_in(sentence: str, mention) -> bool:
    from ..medications.guardrail import _negated

    return _negated(sentence, mention.start)
