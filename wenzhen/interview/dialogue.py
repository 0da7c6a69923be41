"""Dialogue understanding: a whole doctor–patient (or nurse–patient) dialogue → findings with their status.

The dialogue is read as one text by the understanding module, which already lets an answer take its meaning from
the question before it ("有没有发热？" "没有" → fever absent) and treats what the doctor only asks as no finding.
On top of that: every mention is kept with its turn, and a later turn that corrects an earlier one ("其实没发烧")
overrides it; otherwise the most affirmative reading stands, which is the safe side for triage.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..kb import get_kb
from ..kb.base import Text, read_messages
from ..understanding import ClinicalPicture, Finding, derive_from_vitals, measured_findings, understand_with_mentions
from ..understanding.cues import CUE
from ..understanding.text import detect_language, normalize

WORDS = read_messages(Path(__file__).with_name("words.yaml"))
_CORRECTION = re.compile(WORDS["correction"], re.I)
_PATIENT_REFERENCE = re.compile(WORDS["patient_reference"], re.I)
_HEDGE = re.compile(WORDS["hedge"], re.I)
_QUESTION = CUE["question"]
_CLAUSE = re.compile(r"[，,。.;；！!]")
MAX_TURNS = 400
MAX_TURN_CHARS = 2000

Speaker = Literal["doctor", "patient"]


class Utterance(BaseModel):
    """One turn. "doctor" is whoever asks (doctor, nurse, the interview); "patient" whoever answers (patient or family)."""
    model_config = {"extra": "forbid"}
    speaker: Speaker
    text: str = Field(min_length=1, max_length=MAX_TURN_CHARS)


class FindingMention(BaseModel):
    id: str = Field(description="a finding id, or a condition id when kind is condition")
    kind: Literal["finding", "condition"] = "finding"
    name: Text
    status: str
    turn: int = Field(description="index of the utterance it was read from")
    speaker: Speaker
    words: str


class DialogueReading(BaseModel):
    language: Literal["zh", "en"]
    picture: ClinicalPicture
    mentions: list[FindingMention] = Field(description="every reading of a finding, in order of the dialogue")
    text: str = Field(description="the dialogue as one labelled text, as read")
    turn_spans: list[tuple[int, int]] = Field(default_factory=list, description="each utterance's (start, end) in text")

    def turn_at(self, pos: int) -> int:
        """The utterance a position of `text` falls in."""
        return _turn_of(self.turn_spans, pos)


def dialogue_text(turns: list[Utterance], language: str | None = None) -> tuple[str, list[tuple[int, int]], str]:
    """The labelled text ("医生：…\\n患者：…"), each turn's (start, end) in it, and the language."""
    lang = language or detect_language(" ".join(t.text for t in turns))
    labels = WORDS["labels"]["en" if lang == "en" else "zh"]
    sep = ": " if lang == "en" else "："
    parts, spans, pos = [], [], 0
    for t in turns:
        # One line per turn (a newline inside a turn would read as a new turn), normalised here so that the
        # evidence offsets of understand() line up with the turns.
        body = normalize(" ".join(t.text.split()))
        head = normalize(labels[t.speaker] + sep)
        parts.append(head + body)
        spans.append((pos + len(head), pos + len(head) + len(body)))
        pos += len(head) + len(body) + 1
    return "\n".join(parts), spans, lang


def _turn_of(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(spans):
        if pos < b + 1:
            return i
    return len(spans) - 1


def understand_dialogue(turns: list[Utterance], language: str | None = None) -> DialogueReading:
    """Read a dialogue. Raises ValueError for an empty or oversized dialogue."""
    if not turns:
        raise ValueError("the dialogue has no turns")
    if len(turns) > MAX_TURNS:
        raise ValueError(f"the dialogue has {len(turns)} turns; at most {MAX_TURNS} are read")
    text, spans, lang = dialogue_text(turns, language)
    picture, raw_mentions = understand_with_mentions(text)
    mentions = []
    for m in raw_mentions:
        if m.experiencer != "patient":
            continue
        i = _turn_of(spans, m.evidence.start)
        mentions.append(FindingMention(id=m.id, name=m.name, status=m.status, turn=i, speaker=turns[i].speaker,
                                       words=m.evidence.text))
    # Conditions named in the dialogue ("是不是肺炎？" "不是"): kept as mentions of their own kind.
    for d in picture.stated_diagnoses:
        if d.experiencer == "patient":
            i = _turn_of(spans, d.evidence.start)
            mentions.append(FindingMention(id=d.id, kind="condition", name=d.name, status=d.status, turn=i,
                                           speaker=turns[i].speaker, words=d.evidence.text))
    mentions.sort(key=lambda m: m.turn)
    # What a measurement establishes (体温37.8 → fever) is said where the measurement is.
    for fd, met, ev in measured_findings(picture, get_kb()):
        if met and ev.end > ev.start:
            i = _turn_of(spans, ev.start)
            mentions.append(FindingMention(id=fd.id, name=fd.name, status="present", turn=i, speaker=turns[i].speaker,
                                           words=ev.text))
    derive_from_vitals(picture)
    mentions.sort(key=lambda m: m.turn)
    # Allergies and medicines are the patient's words: "对什么药物过敏吗？" asks, it names no allergen.
    picture.allergies = [x for x in picture.allergies if turns[_turn_of(spans, x.evidence.start)].speaker == "patient"]
    picture.medications = [x for x in picture.medications if turns[_turn_of(spans, x.evidence.start)].speaker == "patient"]
    _doctor_statements(picture, mentions, turns)
    _asked_by_the_patient(picture, mentions, turns)
    _apply_corrections(picture, mentions, turns)
    return DialogueReading(language=lang, picture=picture, mentions=mentions, text=text,  # type: ignore[arg-type]
                           turn_spans=spans)


def _asked_by_the_patient(picture: ClinicalPicture, mentions: list[FindingMention], turns: list[Utterance]) -> None:
    """A condition the patient asks about ("这个就是肺炎吗？", "肺炎有啥症状") is a worry, not a diagnosis."""
    asked = False
    for m in mentions:
        if m.kind != "condition" or m.speaker != "patient" or m.status not in ("present", "uncertain"):
            continue
        said = turns[m.turn].text
        at = said.find(m.words)
        clause = _CLAUSE.split(said[at:])[0] if at >= 0 else said
        if _QUESTION.search(clause) or _QUESTION.search(said[max(0, at - 4):at]):
            m.status, asked = "hypothetical", True
    if asked:
        pooled = pooled_status([m for m in mentions if m.kind == "condition"])
        for d in picture.stated_diagnoses:
            if d.experiencer == "patient" and pooled.get(d.id) == "hypothetical":
                d.status = "hypothetical"


def _doctor_statements(picture: ClinicalPicture, mentions: list[FindingMention], turns: list[Utterance]) -> None:
    """A finding read from a doctor's statement (not a question) that neither speaks of the patient nor is free of
    hedges is only mentioned: general advice ("感冒会流鼻涕") or an impression ("像消化不良") is not a finding."""
    demoted = False
    for m in mentions:
        if m.speaker != "doctor" or m.status not in ("present", "uncertain"):
            continue
        said = turns[m.turn].text
        if _QUESTION.search(said) or (_PATIENT_REFERENCE.search(said) and not _HEDGE.search(said)):
            continue
        m.status, demoted = "hypothetical", True
    if not demoted:
        return
    pooled = pooled_status([m for m in mentions if m.kind == "finding"])
    dx_pooled = pooled_status([m for m in mentions if m.kind == "condition"])
    for d in picture.stated_diagnoses:
        if d.experiencer == "patient" and dx_pooled.get(d.id) == "hypothetical":
            d.status = "hypothetical"
    for f in picture.findings:
        if f.experiencer == "patient" and f.implied_by is None and pooled.get(f.id) == "hypothetical":
            f.status = "hypothetical"
            f.cues = f.cues + ["only in the doctor's general words"]


def _apply_corrections(picture: ClinicalPicture, mentions: list[FindingMention], turns: list[Utterance]) -> None:
    """A patient's later turn that corrects an earlier statement sets the finding's status."""
    seen: set[str] = set()
    corrected: dict[str, FindingMention] = {}
    for m in mentions:
        if m.status == "hypothetical" or m.kind != "finding":
            continue
        if m.id in seen and m.speaker == "patient" and _CORRECTION.search(turns[m.turn].text):
            corrected[m.id] = m
        seen.add(m.id)
    by_id: dict[str, Finding] = {f.id: f for f in picture.findings if f.experiencer == "patient"}
    for fid, m in corrected.items():
        f = by_id.get(fid)
        if f is not None and f.status != m.status:
            f.status = m.status  # type: ignore[assignment]
            f.cues = f.cues + ["corrected later in the dialogue"]


def pooled_status(mentions: list[FindingMention]) -> dict[str, str]:
    """Per finding, the most affirmative reading in the dialogue (present > uncertain > absent), or "hypothetical"
    when it was only asked about: how dialogue datasets pool their labels."""
    rank = {"present": 0, "uncertain": 1, "absent": 2, "hypothetical": 3}
    out: dict[str, str] = {}
    for m in mentions:
        if m.id not in out or rank[m.status] < rank[out[m.id]]:
            out[m.id] = m.status
    return out


__all__ = ["Utterance", "FindingMention", "DialogueReading", "understand_dialogue", "dialogue_text", "pooled_status"]
