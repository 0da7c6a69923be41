"""The pre-consultation interview: after each answer, read the whole dialogue, assess it, and either stop (a red
flag, or nothing left worth asking) or choose the next question.

The next question, in this order:
1. a finding that would make a more urgent triage rule fire, when the rule is already half met (chest pain: ask
   about sweating and breathlessness) — danger first;
2. how long it has lasted, when nobody has said;
3. the question with the largest expected information gain over the engine's own differential (the template's
   questions for the complaint compete with the findings that separate the leading conditions, the template's
   with a small bonus because clinicians chose them); asked while one of them could change the leading condition
   or gains enough, up to a limit;
4. the template's descriptive questions (onset, character…), a few;
5. the general questions (past illnesses, medicines, allergies, pregnancy; for children weight), unless known.
A question about something the patient already said is never asked.
"""
from __future__ import annotations

import math
import re
import time
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..assessment import Assessment, AssessRequest, assess_picture
from ..differential import DENIED_FACTOR, UNEXPLAINED_WEIGHT, _own_findings, differential
from ..kb import KnowledgeBase, get_kb
from ..kb.base import pick, read_messages
from ..kb.interview_schema import InterviewTemplate, TemplateQuestion
from ..types import ComplaintText
from ..understanding import ClinicalPicture, age_band, understand
from ..understanding.cues import CUE
from ..understanding.text import detect_language
from .dialogue import MAX_TURN_CHARS, WORDS, DialogueReading, Utterance, dialogue_text, understand_dialogue
from .templates import question_for_finding, templates

MSG = read_messages(Path(__file__).with_name("messages.yaml"))
ANSWER_YES = CUE["answer_yes"]

MAX_QUESTIONS = 20  # a hard limit on one interview
MAX_COMPLAINT_QUESTIONS = 8  # about the complaint itself; the general questions (history, medicines…) come after
MAX_FINDING_QUESTIONS = 8  # questions about findings (information gain, danger, the template's red flags)
MAX_SCREENING = 3  # questions asked for the danger they could reveal even when a yes is unlikely
DANGER_LIKELY = 0.2  # beyond MAX_SCREENING, danger counts only when a yes is at least this likely
MAX_DESCRIPTIVE = 2  # onset, character… beyond the duration
WHICH_SUFFIX = ":which"  # the follow-up to a bare yes to a checklist
MAX_CHECKLIST = 5  # findings asked about in one question ("还有下面这些情况吗？"), the patient naming those present
MIN_GAIN_BITS = 0.08  # below this a question that cannot change the leading condition is not worth asking
TEMPLATE_BONUS_BITS = 0.1
TOP_CANDIDATES = 10
DANGER_BITS_PER_LEVEL = 1.0  # a question that could raise the triage by one level is worth this × P(yes)
DANGER_FLOOR = 0.1
# P(the finding is present | condition): from how strongly the knowledge base weighs it for the condition.
P_KEY, P_STRONG, P_WEAK, P_BACKGROUND = 0.85, 0.6, 0.4, 0.05
PRESENTING = ("symptom", "sign")
# What a patient or parent can be asked in the knowledge base's own words: symptoms. Examination signs, known
# illnesses and circumstances carry clinical names ("免疫抑制", "高原"): the templates ask about them in plain words
# where they matter.
ASKABLE_CATEGORIES = ("symptom",)

GENERAL_SLOTS = ("history", "medications", "allergies", "pregnancy", "child")
EndReason = Literal["red_flag", "enough", "limit", "stopped"]


class Question(BaseModel):
    id: str
    slot: str
    text: str
    options: list[str] = Field(default_factory=list, description="quick replies")
    about: list[str] = Field(default_factory=list, description="finding ids the answer settles")
    checklist: bool = Field(default=False, description="asks about several findings at once; the answer names those present")
    why: str | None = None
    source: str = Field(description="template:<id>, triage or differential")
    phrased_by: str | None = Field(default=None, description="the language model that worded it, when one did")
    purpose: Literal["danger", "information", "routine"] = Field(
        default="routine", description="why this question was chosen: the danger it could reveal, what it tells apart, or routine")


class Turn(BaseModel):
    speaker: Literal["doctor", "patient"]
    text: str
    question: Question | None = None
    at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


class InterviewState(BaseModel):
    """Everything an interview needs to go on: the dialogue so far. All else is derived from it."""
    language: Literal["zh", "en"]
    age: float | None = Field(default=None, ge=0, le=125)
    sex: Literal["female", "male"] | None = None
    turns: list[Turn] = Field(default_factory=list)
    status: Literal["open", "ended"] = "open"
    end_reason: EndReason | None = None

    def asked(self) -> list[Question]:
        return [t.question for t in self.turns if t.question is not None]

    def exchanges(self) -> list[tuple[int, Question, str | None]]:
        """(turn index, question, the patient's answer or None) for each question asked."""
        out = []
        for i, t in enumerate(self.turns):
            if t.question is not None:
                nxt = self.turns[i + 1] if i + 1 < len(self.turns) else None
                out.append((i, t.question, nxt.text if nxt is not None and nxt.speaker == "patient" else None))
        return out

    def utterances(self) -> list[Utterance]:
        return [Utterance(speaker=t.speaker, text=t.text) for t in self.turns]

    def unclear_checklists(self) -> list[int]:
        """Turn indices of bare yeses ("有") to a checklist that is not about danger signs: some of its findings are
        present, but which is not said. They are read as unknown, and "which of them?" is asked."""
        out = []
        for i, q, said in self.exchanges():
            if q.checklist and q.slot != "red_flags" and said is not None and _bare_yes(said, tuple(q.about)):
                out.append(i + 1)
        return out


class TriageSummary(BaseModel):
    triage_level: int
    level_name: str
    disposition: str
    reasons: list[str]
    department: str


class InterviewStep(BaseModel):
    interview_id: str | None = None
    status: Literal["open", "ended"]
    end_reason: EndReason | None = None
    question: Question | None = None
    message: str | None = Field(default=None, description="why it ended and the advice, when it ends")
    what_to_do_now: list[str] = Field(default_factory=list)
    triage: TriageSummary
    questions_asked: int
    elapsed_ms: float = 0.0


class StartRequest(BaseModel):
    model_config = {"extra": "forbid"}
    complaint: ComplaintText = Field(min_length=1, max_length=MAX_TURN_CHARS)
    age: float | None = Field(default=None, ge=0, le=125)
    sex: Literal["female", "male"] | None = None
    language: Literal["auto", "zh", "en"] = "auto"


class InterviewEnded(ValueError):
    """An answer to an interview that has already ended."""


ATTRIBUTE_SLOTS = ("duration", "onset", "severity")


def _descriptive_answers(state: InterviewState, reading: DialogueReading, kb: KnowledgeBase) -> None:
    """Answers to "how long / how did it start / how bad" do not name the complaint ("昨天开始"): read each with the
    chief complaint's name in front of it and give the complaint what it says."""
    chief = [f for f in reading.picture.findings if f.id in _chief(reading, kb) and f.experiencer == "patient"]
    if not chief:
        return
    name = pick(kb.findings[chief[0].id].name, state.language)
    for _, q, said_text in state.exchanges():
        if said_text is None or q.slot not in ATTRIBUTE_SLOTS:
            continue
        said = next((f for f in understand(f"{name} {said_text}", kb).findings if f.id == chief[0].id), None)
        if said is None:
            continue
        for f in chief:
            for attr in ("duration_hours", "duration_text", "onset", "severity"):
                if getattr(f, attr) is None and getattr(said, attr) is not None:
                    setattr(f, attr, getattr(said, attr))


def _assess(state: InterviewState, kb: KnowledgeBase) -> tuple[DialogueReading, Assessment]:
    turns = state.utterances()
    for i in state.unclear_checklists():
        turns[i] = Utterance(speaker="patient", text=WORDS["unclear_which"][state.language])
    reading = understand_dialogue(turns, state.language)
    _descriptive_answers(state, reading, kb)
    req = AssessRequest(text=reading.text[:20_000], age=state.age, sex=state.sex, language=state.language)
    return reading, assess_picture(reading.picture, req, kb)


def start(complaint: str, *, age: float | None = None, sex: str | None = None, language: str = "auto",
          kb: KnowledgeBase | None = None, llm=None) -> tuple[InterviewState, InterviewStep]:
    """Open an interview with the patient's first words. Raises ValueError (pydantic) on bad input."""
    req = StartRequest(complaint=complaint, age=age, sex=sex, language=language)
    if not req.complaint.strip():
        raise ValueError("the complaint is empty")
    lang = detect_language(req.complaint) if req.language == "auto" else req.language
    state = InterviewState(language=lang, age=req.age, sex=req.sex, turns=[Turn(speaker="patient", text=req.complaint)])
    return state, advance(state, kb, llm)


def answer(state: InterviewState, text: str, kb: KnowledgeBase | None = None, llm=None) -> InterviewStep:
    """The patient's answer to the pending question; returns the next step. Raises InterviewEnded, ValueError."""
    if state.status == "ended":
        raise InterviewEnded("this interview has ended; start a new one")
    text = " ".join(str(text).split())
    if not text:
        raise ValueError("the answer is empty")
    if len(text) > MAX_TURN_CHARS:
        raise ValueError(f"the answer is longer than {MAX_TURN_CHARS} characters")
    state.turns.append(Turn(speaker="patient", text=text))
    return advance(state, kb, llm)


def stop(state: InterviewState, kb: KnowledgeBase | None = None) -> InterviewStep:
    """The patient ends the interview early: the advice from what is known."""
    if state.status == "open":
        state.status, state.end_reason = "ended", "stopped"
    return advance(state, kb)


def advance(state: InterviewState, kb: KnowledgeBase | None = None, llm=None) -> InterviewStep:
    """Assess the dialogue so far; end it or append the next question (worded by the language model `llm`, an
    LLMConfig, when one is given and its wording passes the checks of phrasing.py)."""
    t0 = time.perf_counter()
    kb = kb or get_kb()
    reading, a = _assess(state, kb)
    lang = state.language
    asked = state.asked()
    q = None
    if state.status == "open":
        if _red_flag(a):
            state.status, state.end_reason = "ended", "red_flag"
        else:
            q = next_question(state, reading, a, kb)
            if q is not None and lang == "en" and _subject(reading.picture) == "child":
                q = _to_the_parent(q)
            if q is None:
                state.status, state.end_reason = "ended", "limit" if len(asked) >= MAX_QUESTIONS else "enough"
            else:
                if llm is not None:
                    from .phrasing import phrase
                    q = phrase(q, state.turns[0].text, lang, llm)
                state.turns.append(Turn(speaker="doctor", text=q.text, question=q))
    message = None
    todo: list[str] = []
    if state.status == "ended":
        message = MSG["ended"][state.end_reason or "enough"][lang] + " " + a.advice.summary
        todo = a.advice.what_to_do_now
    return InterviewStep(status=state.status, end_reason=state.end_reason, question=q, message=message,
                         what_to_do_now=todo, triage=triage_summary(a, lang), questions_asked=len(state.asked()),
                         elapsed_ms=round((time.perf_counter() - t0) * 1000, 3))


def triage_summary(a: Assessment, lang: str) -> TriageSummary:
    t = a.triage
    return TriageSummary(triage_level=t.triage_level, level_name=pick(t.level_name, lang), disposition=t.disposition,
                         reasons=[pick(r.reason, lang) for r in t.rules_fired],
                         department=pick(a.department.department.name, lang))


def _red_flag(a: Assessment) -> bool:
    """Level I or II: the interview stops at once and the emergency advice is shown."""
    return a.triage.triage_level <= 2


# --- choosing the next question ---------------------------------------------------------------------------------

def _known_facts(p: ClinicalPicture, state: InterviewState) -> set[str]:
    known = set()
    presenting = [f for f in p.findings if f.affirmed and f.category in PRESENTING]
    if any(f.duration_hours is not None or f.duration_text for f in presenting):
        known.add("duration")
    if any(f.onset for f in presenting):
        known.add("onset")
    if any(f.severity for f in presenting) or p.vitals.pain_score is not None:
        known.add("severity")
    if p.demographics.age_years is not None or state.age is not None:
        known.add("age")
    if p.demographics.sex or state.sex:
        known.add("sex")
    if p.vitals.weight_kg is not None:
        known.add("weight")
    if p.vitals.temp_c is not None:
        known.add("temperature")
    if p.allergies or p.no_known_allergies:
        known.add("allergies")
    if p.medications:
        known.add("medications")
    if p.history_ids():
        known.add("history")
    if p.pregnancy is not None:
        known.add("pregnancy")
    return known


def _age(p: ClinicalPicture, state: InterviewState) -> float | None:
    return state.age if state.age is not None else p.demographics.age_years


def _band(p: ClinicalPicture, state: InterviewState) -> str:
    age = _age(p, state)
    if age is not None:
        return age_band(age)
    return p.demographics.age_assumed_band or "adult"


def _chief(reading: DialogueReading, kb: KnowledgeBase) -> list[str]:
    """The chief complaint's findings: those the patient's first words affirm, presenting ones first."""
    first = [m.id for m in reading.mentions if m.kind == "finding" and m.turn == 0 and m.status in ("present", "uncertain")]
    return sorted(dict.fromkeys(first), key=lambda f: kb.findings[f].category not in PRESENTING)


def _applicable(t: InterviewTemplate, band: str) -> bool:
    return not t.ages or band in t.ages


def _fits(q: TemplateQuestion, p: ClinicalPicture, state: InterviewState, kb: KnowledgeBase | None = None) -> bool:
    sex = state.sex or p.demographics.sex
    age = _age(p, state)
    if age is None and p.demographics.age_assumed_band:
        # "孩子" with no age: not asked whether she could be pregnant (the policy's assumed age for the band).
        age = (kb or get_kb()).triage_policy.assumed_age_by_band.get(p.demographics.age_assumed_band)
    if q.sex and sex and q.sex != sex:
        return False
    if q.min_age_years is not None and age is not None and age < q.min_age_years:
        return False
    if q.max_age_years is not None and age is not None and age > q.max_age_years:
        return False
    return True


def next_question(state: InterviewState, reading: DialogueReading, a: Assessment,
                  kb: KnowledgeBase | None = None) -> Question | None:
    kb = kb or get_kb()
    asked = state.asked()
    if len(asked) >= MAX_QUESTIONS:
        return None
    p = reading.picture
    lang = state.language
    band = _band(p, state)
    settled = {f.id for f in p.findings if f.experiencer == "patient" and f.status != "hypothetical"}
    asked_ids = {q.id for q in asked}
    # A checklist answered by a bare yes ("有"): asked at once which of them ("是哪几种？"); its findings stay
    # open until then. After the follow-up, whatever its answer, they count as asked.
    unclear_turns = set(state.unclear_checklists())
    followed = {q.id.removesuffix(WHICH_SUFFIX) for q in asked if q.id.endswith(WHICH_SUFFIX)}
    pending = [state.turns[i - 1].question for i in sorted(unclear_turns)
               if not state.turns[i - 1].question.id.endswith(WHICH_SUFFIX) and state.turns[i - 1].question.id not in followed]
    asked_about = {f for i, q, _ in state.exchanges() if i + 1 not in unclear_turns or q.id in followed
                   or q.id.endswith(WHICH_SUFFIX) for f in q.about}
    if pending:
        left = [f for f in pending[-1].about if f not in settled]
        if left:
            return _which_question(pending[-1], left, p, lang, kb)
    known = _known_facts(p, state)
    chief = _chief(reading, kb)
    all_t = templates(kb)
    complaint_t = [t for t in all_t.values() if t.complaints and _applicable(t, band) and set(t.complaints) & set(chief)]
    complaint_t.sort(key=lambda t: min(chief.index(c) for c in t.complaints if c in chief))
    general_t = [t for t in all_t.values() if not t.complaints and _applicable(t, band)]

    general_t.sort(key=lambda t: not t.ages)  # the children's questions before the general ones

    # Sensations a child this young cannot tell (a headache, nausea): a parent is not asked about them.
    age = _age(p, state)
    too_young = {f for f, min_age in _self_reported(kb).items() if age is not None and age < min_age}

    def open_q(q: TemplateQuestion) -> bool:
        return (q.id not in asked_ids and not set(q.skip_if) & known and _fits(q, p, state)
                and not (q.about and all(f in settled or f in asked_about or f in too_young for f in q.about)))

    # The general questions (history, medicines, allergies, a child's danger signs) are never cut by the limit: the
    # complaint's questions stop early enough to leave room for them.
    general_left = sum(1 for t in general_t for q in t.questions if open_q(q))
    complaint_phase = (sum(1 for q in asked if not q.source.startswith("template:general")
                           and q.slot not in GENERAL_SLOTS) < MAX_COMPLAINT_QUESTIONS
                       and len(asked) + general_left < MAX_QUESTIONS)
    # 1. A child's age, when the parent has not said it: it moves the triage (a fever under 3 months) and the
    # questions that follow, so it comes before them. general_t holds the children's template only for a child.
    if "age" not in known:
        q = next((q for t in general_t if t.ages for q in t.questions if "age" in q.skip_if and open_q(q)), None)
        if q is not None:
            return _from_template(q, general_t, lang)
    # 2. How long.
    if "duration" not in known and not any(q.slot == "duration" for q in asked):
        q = next((q for t in complaint_t for q in t.questions if q.slot == "duration" and open_q(q)), None)
        return _from_template(q, complaint_t, lang) if q else _fallback_duration(lang)
    # 2b. The danger signs every sick child is checked for (IMCI), together, right after the age and the duration.
    q = next((q for t in general_t if t.ages for q in t.questions if q.slot == "red_flags" and open_q(q)), None)
    if q is not None:
        return _from_template(q, general_t, lang).model_copy(update={"purpose": "danger", "why": MSG["why"]["triage"][lang]})
    # 3a. The complaint's associated symptoms, as the template lists them, in one question (what is already known left out).
    if complaint_phase:
        for t in complaint_t:
            for q in t.questions:
                if not q.checklist or q.slot == "red_flags" or q.id in asked_ids or not _fits(q, p, state):
                    continue
                left = [f for f in q.about if f not in settled and f not in asked_about and f not in too_young]
                if len(left) == len(q.about):
                    return _from_template(q, complaint_t, lang).model_copy(update={"purpose": "information"})
                if len(left) >= 2:
                    # the template's own plain words for each item (流鼻涕, 烦躁不安), when its options list them in order
                    items = q.options[1:-1]
                    labels = {f: pick(o, lang) for f, o in zip(q.about, items)} if len(items) == len(q.about) else None
                    return _checklist_question(left, p, lang, kb, a, labels).model_copy(update={"id": q.id, "source": f"template:{t.id}"})
    # 3. The most informative question.
    n_info = sum(1 for q in asked if q.source == "differential" or (q.about and q.source.startswith("template")))
    if n_info < MAX_FINDING_QUESTIONS and complaint_phase:
        openers = _triage_openers(p, a, kb, settled | asked_about | too_young)
        screened = sum(1 for q in asked if q.purpose == "danger" and not q.checklist)  # the danger-sign list is routine
        ranked = _most_informative(p, a, kb, settled | asked_about | too_young, complaint_t, open_q, openers,
                                   screened < MAX_SCREENING)
        if ranked:
            _, kind, item, purpose = ranked[0]
            if purpose == "information":
                listed = _checklist_items(ranked, p, lang, kb)
                if len(listed) >= 2:
                    return _checklist_question(listed, p, lang, kb, a)
            if kind == "template":
                q = _from_template(item, complaint_t, lang)
                why = MSG["why"]["triage"][lang] if purpose == "danger" else _why(item.about[0], a, kb, lang) or q.why
                return q.model_copy(update={"purpose": purpose, "why": why})
            q = _finding_question(item, p, lang, kb, "differential", a)
            if q is not None:
                update = {"purpose": purpose} | ({"why": MSG["why"]["triage"][lang]} if purpose == "danger" else {})
                return q.model_copy(update=update)
    # 4. A few descriptive questions about the complaint.
    n_desc = sum(1 for q in asked if not q.about and q.source.startswith("template")
                 and q.slot != "duration" and q.slot not in GENERAL_SLOTS)
    if n_desc < MAX_DESCRIPTIVE and complaint_phase:
        for t in complaint_t:
            for q in t.questions:
                if not q.about and q.slot != "duration" and open_q(q):
                    return _from_template(q, complaint_t, lang)
    # 5. The general questions.
    for t in general_t:
        for q in t.questions:
            if open_q(q):
                return _from_template(q, general_t, lang)
    return None


_CHILD_REWRITES_EN = [(re.compile(a), b) for a, b in WORDS["child_rewrites_en"]]


def _to_the_parent(q: Question) -> Question:
    """An English question written to the patient, asked of the child ("Are you…" → "Is your child…"), when it
    still reads back as asking about the same findings."""
    for pattern, repl in _CHILD_REWRITES_EN:
        text = pattern.sub(repl, q.text, count=1)
        if text != q.text:
            return q.model_copy(update={"text": text}) if _reads_back(text, tuple(q.about)) else q
    return q


def _reads_back(text: str, about: tuple[str, ...]) -> bool:
    return set(about) <= denied_by_no(text, "en")


@lru_cache(maxsize=4)
def _self_reported(kb: KnowledgeBase) -> dict[str, float]:
    """Finding id → the age from which a child can tell it."""
    return {f.id: f.self_report_min_age for f in kb.findings.values() if f.self_report_min_age is not None}


def _from_template(q: TemplateQuestion, ts: list[InterviewTemplate], lang: str) -> Question:
    tid = next((t.id for t in ts if q in t.questions), "general")
    return Question(id=q.id, slot=q.slot, text=pick(q.ask, lang), options=[pick(o, lang) for o in q.options],
                    about=list(q.about), checklist=q.checklist, why=MSG["why"]["template"][lang], source=f"template:{tid}")


@lru_cache(maxsize=1024)
def _bare_yes(said: str, about: tuple[str, ...]) -> bool:
    """A yes that names none of the findings asked about ("有", "yes")."""
    if not ANSWER_YES.match(said):
        return False
    named = {f.id for f in understand(said).findings}
    return not named & set(about)


def _checklist_items(ranked: list, p: ClinicalPicture, lang: str, kb: KnowledgeBase) -> list[str]:
    """The findings worth asking together: the leading information questions about one symptom each, in order of
    their gain, up to MAX_CHECKLIST."""
    out: list[str] = []
    for n, (score, kind, item, purpose) in enumerate(ranked):
        if score < MIN_GAIN_BITS:
            break
        fid = item if kind == "finding" else (item.about[0] if len(item.about) == 1 and item.slot != "red_flags" else None)
        listable = purpose == "information" and fid is not None and kb.findings[fid].category in ASKABLE_CATEGORIES
        if n == 0 and not listable:
            return []  # the best question is one of its own (a red flag, a template's): asked alone, first
        if not listable or fid in out:
            continue  # danger questions are asked on their own
        out.append(fid)
        if len(out) == MAX_CHECKLIST:
            break
    return _readable_checklist(tuple(out), _subject(p), lang, kb) if len(out) >= 2 else out


def _readable_checklist(fids: tuple[str, ...], subject: str, lang: str, kb: KnowledgeBase) -> list[str]:
    """The findings a checklist question is read back as asking about: "没有" must deny each of them."""
    names = MSG["list"][lang].join(pick(kb.findings[f].name, lang) for f in fids)
    denied = denied_by_no(MSG["checklist"][subject][lang].format(names=names), lang)
    return [f for f in fids if f in denied]


def _which_question(q: Question, fids: list[str], p: ClinicalPicture, lang: str, kb: KnowledgeBase) -> Question:
    """After a bare yes to a checklist: which of them?"""
    names = [pick(kb.findings[f].name, lang) for f in fids]
    text = MSG["which"][lang].format(names=MSG["list"][lang].join(names))
    return Question(id=q.id + WHICH_SUFFIX, slot="associated", text=text, options=[*names, MSG["yes_no_options"][lang][-1]],
                    about=fids, checklist=True, why=q.why, source=q.source, purpose=q.purpose)


def _checklist_question(fids: list[str], p: ClinicalPicture, lang: str, kb: KnowledgeBase, a: Assessment,
                        labels: dict[str, str] | None = None) -> Question:
    """Several findings in one question, each named by `labels` (a template's plain words) or its KB name."""
    names = [(labels or {}).get(f) or pick(kb.findings[f].name, lang) for f in fids]
    # a quick reply starts with a capital ("Runny nose"); inside the English sentence it does not
    in_text = [n[:1].lower() + n[1:] if lang == "en" and n[1:2].islower() else n for n in names]
    text = MSG["checklist"][_subject(p)][lang].format(names=MSG["list"][lang].join(in_text))
    options = [MSG["checklist_none"][lang], *names, MSG["yes_no_options"][lang][-1]]
    return Question(id="checklist:" + "+".join(fids), slot="associated", text=text, options=options, about=fids,
                    checklist=True, why=_why(fids[0], a, kb, lang), source="differential", purpose="information")


def _fallback_duration(lang: str) -> Question:
    m = MSG["fallback_duration"]
    return Question(id="duration", slot="duration", text=m["ask"][lang], options=[o[lang] for o in m["options"]],
                    why=MSG["why"]["template"][lang], source="template:general")


def _subject(p: ClinicalPicture) -> str:
    s = p.demographics.subject
    return "self" if s == "self" else "child" if s == "child" else "other"


def _own_words(fid: str, p: ClinicalPicture, lang: str, kb: KnowledgeBase) -> str:
    """A question about a finding no template asks about, phrased from its name ("孩子有没有咳嗽？")."""
    return MSG["ask_finding"][_subject(p)][lang].format(name=pick(kb.findings[fid].name, lang))


def _finding_question(fid: str, p: ClinicalPicture, lang: str, kb: KnowledgeBase, source: str,
                      a: Assessment | None = None) -> Question | None:
    own = question_for_finding(kb).get(fid)
    if own is not None:
        tid, tq = own
        text, options = pick(tq.ask, lang), [pick(o, lang) for o in tq.options] or MSG["yes_no_options"][lang]
    else:
        text = _own_words(fid, p, lang, kb)
        if not _askable(fid, text, lang):
            return None
        options = MSG["yes_no_options"][lang]
    why = MSG["why"]["triage"][lang] if source == "triage" else _why(fid, a, kb, lang)
    return Question(id=f"finding:{fid}", slot="red_flags" if source == "triage" else "associated", text=text,
                    options=list(options), about=[fid], why=why, source=source)


def _why(fid: str, a: Assessment | None, kb: KnowledgeBase, lang: str) -> str | None:
    if a is None:
        return None
    names = [pick(c.name, lang) for c in a.differential.likely[:3]
             if any(w.id == fid for w in kb.conditions[c.id].findings)]
    if len(names) >= 2:
        return MSG["why"]["differential"][lang].format(a=names[0], b=names[1])
    if names:
        return MSG["why"]["differential_one"][lang].format(a=names[0])
    return None


@lru_cache(maxsize=4096)
def denied_by_no(question: str, lang: str) -> frozenset[str]:
    """The findings a question is read back as asking about: those a plain "没有" / "No." to it denies."""
    turns = [Utterance(speaker="doctor", text=question), Utterance(speaker="patient", text=WORDS["probe_no"][lang])]
    return frozenset(f.id for f in understand(dialogue_text(turns, lang)[0]).findings if f.status == "absent")


def _askable(fid: str, text: str, lang: str) -> bool:
    """A question we phrase ourselves must be read back as asking about its finding: "没有" → absent."""
    return fid in denied_by_no(text, lang)


@lru_cache(maxsize=4)
def _urgent_rules(kb: KnowledgeBase) -> list:
    """Rules that rest on findings alone (no measurement, consciousness or severity needed)."""
    return [r for r in kb.triage_rules
            if r.vital is None and not r.vitals_all and not r.consciousness and r.min_severity is None
            and r.onset_sudden is None and r.pregnant is None and (r.all_findings or r.any_findings)]


def _triage_openers(p: ClinicalPicture, a: Assessment, kb: KnowledgeBase, settled: set[str]) -> dict[str, int]:
    """Findings that would make a more urgent rule fire (its other groups already hold, the rule opened by a finding
    the patient has), with the number of triage levels each would gain."""
    level = a.triage.triage_level
    affirmed = p.affirmed_ids()
    age = p.demographics.age_years
    sex = p.demographics.sex
    out: dict[str, int] = {}
    for r in _urgent_rules(kb):
        if r.level >= level:
            continue
        if (r.min_age is not None and (age is None or age < r.min_age)) or (r.max_age is not None and (age is None or age > r.max_age)):
            continue
        if r.sex and r.sex != sex:
            continue  # unknown sex: the general questions ask about pregnancy where it matters
        groups = [[f] for f in r.all_findings] + [g for g in (r.any_findings, r.any_findings_2) if g]
        met = [g for g in groups if set(g) & affirmed]
        missing = [g for g in groups if not set(g) & affirmed]
        if len(missing) != 1 or not met:
            continue
        if r.unless_present and set(r.unless_present) & affirmed:
            continue
        for fid in missing[0]:
            if fid not in settled and fid in kb.findings:
                out[fid] = max(out.get(fid, 0), level - r.level)
    return out


def _entropy(scores: list[float]) -> float:
    top = max(scores)
    ex = [math.exp(s - top) for s in scores]
    z = sum(ex)
    return -sum((e / z) * math.log2(e / z) for e in ex if e > 0)


def _most_informative(p: ClinicalPicture, a: Assessment, kb: KnowledgeBase, settled: set[str],
                      complaint_t: list[InterviewTemplate], open_q, openers: dict[str, int],
                      screen: bool = True) -> list[tuple[float, str, object, str]]:
    """The finding (or template question) worth most: its expected information gain over the differential's
    leading conditions, plus a bonus for a clinician-chosen question of the complaint's template, plus the danger
    it could reveal (triage levels gained × how likely a yes is), with the others worth asking, best first:
    (score, kind, item, purpose). Empty when no question could change the leader, raise the triage, or gain enough."""
    # Deeper than the five shown: a condition just below them (a cold, behind bronchitis and tuberculosis) is what a
    # telling question may bring up.
    deep = differential(a.understanding, kb, max_likely=TOP_CANDIDATES)
    cands = list({c.id: c for c in deep.likely + a.differential.cant_miss}.values())
    if len(cands) < 2:
        pool_t = [q for t in complaint_t for q in t.questions if q.about and open_q(q)]
        return [(0.0, "template", pool_t[0], "danger" if pool_t[0].slot == "red_flags" else "information")] if pool_t else []
    scores = [c.score for c in cands]
    conds = [kb.conditions[c.id] for c in cands]
    weights = [{w.id: w for w in c.findings} for c in conds]
    risks = [{w.id: w for w in c.risk_factors} for c in conds]
    own = _own_findings(kb)
    top = max(scores)
    probs = [math.exp(s - top) for s in scores]
    z = sum(probs)
    probs = [x / z for x in probs]
    h0 = _entropy(scores)
    leader = scores.index(top)

    def gain(fids: list[str]) -> tuple[float, float, bool]:
        yes = list(scores)
        no = list(scores)
        p_yes_c = []
        for i, c in enumerate(conds):
            q = P_BACKGROUND
            for fid in fids:
                w = weights[i].get(fid) or risks[i].get(fid)
                if w is not None:
                    yes[i] += w.weight
                    if w.weight > 0:
                        no[i] -= DENIED_FACTOR * w.weight
                        q = max(q, P_KEY if w.key else P_STRONG if w.weight >= 2 else P_WEAK)
                elif fid in kb.findings and kb.findings[fid].category in PRESENTING and fid not in own[c.id]:
                    yes[i] -= c.unexplained_weight or UNEXPLAINED_WEIGHT
            p_yes_c.append(q)
        p_yes = sum(pc * qc for pc, qc in zip(probs, p_yes_c))
        g = h0 - p_yes * _entropy(yes) - (1 - p_yes) * _entropy(no)
        flips = yes.index(max(yes)) != leader or no.index(max(no)) != leader
        levels = max((openers.get(f, 0) for f in fids), default=0)
        danger = 0.0
        if levels and (screen or p_yes >= DANGER_LIKELY):
            danger = DANGER_BITS_PER_LEVEL * levels * max(p_yes, DANGER_FLOOR)
            flips = True  # a yes would change the triage
        return g, danger, flips

    options: list[tuple[float, bool, str, object, str]] = []
    for t in complaint_t:
        for q in t.questions:
            if q.about and open_q(q):
                g, danger, flips = gain(q.about)
                # The template's red flags are clinicians' screening questions for this complaint.
                if q.slot == "red_flags" and (screen or danger):
                    danger += TEMPLATE_BONUS_BITS
                    flips = True
                options.append((g + danger, flips, "template", q, "danger" if danger > g else "information"))
    in_templates = {f for t in complaint_t for q in t.questions for f in q.about}
    seen = set(in_templates)
    # Findings for and against the leading conditions (a fever argues against allergic rhinitis: a telling question).
    pool = [w.id for c in conds for w in sorted(c.findings, key=lambda w: -abs(w.weight)) if w.weight != 0]
    pool += [w.id for c in conds for w in c.risk_factors if w.weight > 0]
    # Findings that could raise the triage are asked only when a leading condition has them: symptoms the patient
    # can tell (not examination signs or history, which the template asks where they matter).
    pool += [f for f in openers if f in set(pool)]
    for fid in pool:
        if fid in settled or fid in seen or fid not in kb.findings or kb.findings[fid].category not in ASKABLE_CATEGORIES:
            continue
        seen.add(fid)
        g, danger, flips = gain([fid])
        options.append((g + danger, flips, "finding", fid, "danger" if danger > g else "information"))
    options = [o for o in options if o[1] or o[0] >= MIN_GAIN_BITS]
    options.sort(key=lambda o: (-o[0], str(o[3] if o[2] == "finding" else o[3].id)))
    out = []
    for g, flips, kind, item, purpose in options:
        if kind == "template" or item in question_for_finding(kb) or _askable(item, _own_words(item, p, a.language, kb), a.language):
            out.append((g, kind, item, purpose))
            if len(out) > 2 * MAX_CHECKLIST:
                break
    return out
