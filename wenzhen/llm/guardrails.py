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

from ..kb.base import pick, read_messages

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


def _drop(text: str, unsafe, why: str, lang: str, removed: list[str]) -> tuple[str, bool]:
    """The text without the sentences `unsafe(sentence)` flags, each recorded in `removed` with its reason."""
    kept, dropped = [], False
    for s in _SENTENCE.findall(text):
        if unsafe(s):
            removed.append(s.strip() + " — " + _M[why][lang])
            dropped = True
        else:
            kept.append(s)
    return "".join(kept), dropped


def _downplays(sentence: str) -> bool:
    return _has(sentence, _W["downplay"]["zh"] + _W["downplay"]["en"])


def _screen(text: str, patient, taking, lang: str, removed: list[str]) -> tuple[str, bool]:
    """Every medicine and dose in the text checked for this patient (medications.guardrail.screen_text)."""
    from ..medications.guardrail import screen_text

    screened = screen_text(text, patient, taking=taking or [], language=lang)
    removed += [r.sentence + " — " + r.reason for r in screened.removed]
    return screened.text, bool(screened.removed)


def _require(text: str, required: list[str], lang: str) -> tuple[str, bool]:
    """The text with the required lines it lacks added under the engine's heading."""
    missing = [r for r in required if r and r not in text]
    if not missing:
        return text, False
    return text.rstrip() + "\n\n" + _M["engine_block"][lang] + "\n" + "\n".join(f"- {m}" for m in missing), True


def guard_answer(answer: str, assessment, lang: str, *, patient=None, taking=None) -> Guarded:
    """The model's answer made safe against the engine's assessment (wenzhen.assessment.Assessment)."""
    from ..medications.guardrail import _negated, find_mentions

    fired: list[str] = []
    removed: list[str] = []
    text, foreign = scrub_foreign_identifiers(answer, assessment.understanding.text)
    if foreign:
        fired.append("foreign_identifier_masked")
    tri = assessment.triage
    level = tri.triage_level
    # 1. Urgency: never lowered.
    text, dropped = _drop(text, lambda s: level <= 3 and _downplays(s), "why_downplay", lang, removed)
    if dropped:
        fired.append("urgency_not_lowered")
    raised = None
    if level >= 3 and _has(text, _W["escalate"]["zh"] + _W["escalate"]["en"]):
        raised = "emergency_now"
        fired.append("urgency_raised_by_model")
    # 2. Medicines: at levels I–III none but the engine's own advice (a patient waiting for 120 takes nothing a
    # model suggests); at level IV each checked for this patient.
    if level <= 3:
        advised = {m.drug for line in assessment.advice.what_to_do_now for m in find_mentions(line)}
        text, dropped = _drop(text, lambda s: any(m.drug not in advised and not _negated(s, m.start) for m in find_mentions(s)),
                              "why_no_medicine", lang, removed)
        if dropped:
            fired.append("medication_removed")
    if patient is not None:
        text, dropped = _screen(text, patient, taking, lang, removed)
        if dropped:
            fired.append("medication_removed")
    # 3. The engine's triage, red flags and what to do now must be in the final text.
    must = [_M["triage_line"][lang].format(level=pick(tri.level_name, lang), disposition=pick(tri.disposition_text, lang))]
    if raised:
        must.append(_M["raised_line"][lang])
    must += [pick(r.reason, lang) for r in tri.rules_fired if r.level == level][:5]
    must += list(assessment.advice.what_to_do_now)
    text, added = _require(text, must, lang)
    if added:
        fired.append("required_content_added")
    return Guarded(text=text.strip(), fired=fired, raised_to=raised, removed=removed)


def guard_text(answer: str, required: list[str], lang: str, *, urgent: bool = False, patient=None) -> Guarded:
    """The same guardrails for the explanation of a result that is not an assessment: no playing down when the
    result is urgent, medicines checked for the patient, and the required lines (critical values) present."""
    fired: list[str] = []
    removed: list[str] = []
    text, dropped = _drop(answer, lambda s: urgent and _downplays(s), "why_downplay", lang, removed)
    if dropped:
        fired.append("urgency_not_lowered")
    text, dropped = _screen(text, patient or {}, None, lang, removed)
    if dropped:
        fired.append("medication_removed")
    text, added = _require(text, required, lang)
    if added:
        fired.append("required_content_added")
    return Guarded(text=text.strip(), fired=fired, removed=removed)


def grounded(evidence: str, source: str) -> bool:
    """A finding a model adds stands only on words that occur in the input."""
    e = re.sub(r"\s+", "", evidence or "")
    return bool(e) and e in re.sub(r"\s+", "", source)
