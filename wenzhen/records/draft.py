"""The record drafted from the consultation (门诊病历 / 入院记录 per 《病历书写基本规范》), deterministic from the
structured findings of the dialogue: every sentence links to the utterances it came from, nothing is stated that
they do not say, and a section they say nothing about is listed as missing, never invented. Diagnoses are the ones
the doctor stated (with ICD-10 codes); the engine's differential is offered apart, as suggestions, not written in."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..interview.dialogue import FindingMention, Utterance, understand_dialogue
from ..interview.engine import InterviewState, _chief
from ..interview.report import _duration
from ..kb import get_kb
from ..kb.base import pick, read_messages
from ..understanding.cues import CUE
from .models import Diagnosis, MedicalRecord, Patient, RecordKind, SourceLink
from .qc import _finding_ids

MSG = read_messages(Path(__file__).with_name("messages.yaml"))
REPORT = read_messages(Path(__file__).parent.parent / "interview" / "messages.yaml")["report"]
_PLAN = re.compile(MSG["plan_cues"], re.I)
_DIAGNOSIS = re.compile(MSG["diagnosis_cues"], re.I)
_TEST = re.compile(MSG["test_names"])
_TEST_RESULT = re.compile(MSG["test_results"], re.I)
_TEST_ORDER = re.compile(MSG["test_orders"], re.I)
PRESENTING = ("symptom", "sign")
HABIT_IDS_CATEGORY = "risk_factor"


class DraftRequest(BaseModel):
    model_config = {"extra": "forbid"}
    dialogue: list[Utterance] = Field(default_factory=list, description="the consultation, turn by turn")
    interview_id: str | None = Field(default=None, description="a pre-consultation interview to start from")
    kind: RecordKind = "outpatient"
    patient: Patient = Field(default_factory=Patient)
    department: str | None = None
    doctor: str | None = None
    language: Literal["auto", "zh", "en"] = "auto"


class Draft(BaseModel):
    language: Literal["zh", "en"]
    record: MedicalRecord
    text: str = Field(description="the record as text, section by section")
    suggested_diagnoses: list[Diagnosis] = Field(default_factory=list, description="the engine's differential, for the "
                                                 "doctor to consider; not written into the record")
    supported_share: float = Field(description="share of the draft's sentences that link to a source utterance")
    worded_by: str | None = Field(default=None, description="the language model that reworded sections, if any")
    wording_refused: dict[str, str] = Field(default_factory=dict, description="sections that kept the draft's words, and why")


def _names(ms: list, lang: str) -> str:
    return REPORT[lang]["list"].join(dict.fromkeys(pick(m.name, lang) for m in ms))


def _turns(ms: list[FindingMention]) -> list[int]:
    return sorted({m.turn for m in ms})


def _test_results(text: str) -> list[str]:
    """Clauses that report a test with its result ("血常规白细胞有点高"), not questions or orders."""
    out = []
    for clause in re.split(r"(?<=[。！？!?；;\n])|(?<=[.?!] )", text):
        c = clause.strip()
        if c and _TEST.search(c) and _TEST_RESULT.search(c) and not _TEST_ORDER.search(c) and not _QUESTION.search(c):
            out.append(c)
    return out


def national_code(condition_id: str) -> str | None:
    """The condition's code in the national clinical edition 2.0 (国家临床版2.0), the code a record carries."""
    code = get_kb().national_codes.codes.get(condition_id)
    return code.code if code else None


def draft_record(turns: list[Utterance] | None = None, state: InterviewState | None = None, *, kind: RecordKind = "outpatient",
                 patient: Patient | None = None, department: str | None = None, doctor: str | None = None,
                 language: str = "auto") -> Draft:
    """A record from a consultation dialogue, a pre-consultation interview, or both (the interview first).
    Raises ValueError when there is nothing to draft from."""
    all_turns: list[Utterance] = []
    if state is not None:
        all_turns += state.utterances()
    all_turns += list(turns or [])
    if not all_turns:
        raise ValueError("give a dialogue or an interview to draft from")
    kb = get_kb()
    reading = understand_dialogue(all_turns, None if language == "auto" else language)
    lang = reading.language
    p = reading.picture
    S = MSG["sentences"][lang]
    names = MSG["sections"]
    sections: dict[str, list[tuple[str, list[int]]]] = {}

    def say(key: str, sentence: str, utterances: list[int]) -> None:
        sections.setdefault(names[key], []).append((sentence, utterances))

    mine = [m for m in reading.mentions if m.kind == "finding" and m.status != "hypothetical"]
    latest = {f.id: f for f in p.findings if f.experiencer == "patient"}

    def mentions_of(fid: str) -> list[FindingMention]:
        return [m for m in mine if m.id == fid]

    def with_status(status: str, categories: tuple[str, ...]) -> list:
        return [f for f in latest.values() if f.status == status and f.category in categories and mentions_of(f.id)]

    # 主诉 and 现病史: the chief symptoms with their duration, then what comes with them and what was denied.
    chief_ids = [c for c in _chief(reading, kb) if kb.findings[c].category in PRESENTING]
    present = [f for f in with_status("present", PRESENTING) if not f.historical]
    chief = [latest[c] for c in chief_ids if c in latest and latest[c].status in ("present", "uncertain")] or present[:1]
    hours = max((f.duration_hours for f in chief if f.duration_hours is not None), default=None)
    dur = _duration(hours, lang)
    chief_sources = _turns([m for f in chief for m in mentions_of(f.id)])
    if chief:
        cc = REPORT[lang]["list"].join(pick(f.name, lang) for f in chief)
        cc = (cc + (REPORT[lang]["chief_join"] + dur if dur else ""))[:20] if lang == "zh" else cc + (f", {dur}" if dur else "")
        say("chief_complaint", cc, chief_sources)
        subject = REPORT[lang]["subject"]["child" if p.demographics.subject == "child" else "self"]
        onset = next((f.onset for f in chief if f.onset), None)
        say("present_illness", S["onset"].format(subject=subject, since=REPORT[lang]["since"].format(duration=dur) if dur else "",
                                                  onset=REPORT[lang]["onset"][onset] if onset else "",
                                                  names=_names(chief, lang)).replace("  ", " "), chief_sources)
    others = [f for f in present if f not in chief]
    for status, key in (("present", "with"), ("uncertain", "unsure"), ("absent", "denies")):
        fs = others if status == "present" else with_status(status, PRESENTING)
        if fs:
            say("present_illness", S[key].format(names=_names(fs, lang)), _turns([m for f in fs for m in mentions_of(f.id)]))
    meds = [m for m in p.medications]
    if meds:
        say("present_illness", S["took"].format(names=_names(meds, lang)),
            sorted({reading.turn_at(m.evidence.start) for m in meds}))

    # 既往史, 个人史, 家族史, 过敏史, 婚育史.
    hist = with_status("present", ("history",)) + [f for f in present if f.historical]
    if hist:
        say("past_history", S["has_history"].format(names=_names(hist, lang)), _turns([m for f in hist for m in mentions_of(f.id)]))
    denied_hist = with_status("absent", ("history",))
    if denied_hist:
        say("past_history", S["denies_history"].format(names=_names(denied_hist, lang)),
            _turns([m for f in denied_hist for m in mentions_of(f.id)]))
    habits = with_status("present", (HABIT_IDS_CATEGORY,))
    if habits:
        say("personal_history", S["habits"].format(names=_names(habits, lang)), _turns([m for f in habits for m in mentions_of(f.id)]))
    no_habits = with_status("absent", (HABIT_IDS_CATEGORY,))
    if no_habits:
        say("personal_history", S["denies_habits"].format(names=_names(no_habits, lang)),
            _turns([m for f in no_habits for m in mentions_of(f.id)]))
    family = [f for f in p.findings if f.experiencer == "other" and f.status == "present"]
    if family:
        say("family_history", S["family"].format(names=_names(family, lang)),
            sorted({reading.turn_at(f.evidence.start) for f in family}))
    if p.allergies:
        say("allergy_history", S["allergy"].format(names=REPORT[lang]["list"].join(dict.fromkeys(a.name for a in p.allergies))),
            sorted({reading.turn_at(a.evidence.start) for a in p.allergies}))
    elif p.no_known_allergies:
        at = _find_turn(all_turns, _NO_ALLERGY)
        say("allergy_history", S["no_allergy"], [at] if at is not None else [])
    if p.pregnancy is not None and p.pregnancy.status == "pregnant":
        weeks = p.pregnancy.gestational_weeks
        sentence = S["pregnant"].format(weeks=f"{weeks:g}") if weeks else S["pregnant_no_weeks"]
        say("menstrual_history" if kind == "admission" else "past_history", sentence,
            [reading.turn_at(p.pregnancy.evidence.start)])

    # 体格检查: what was measured in the consultation.
    items, where = [], set()
    labels = MSG["vital_labels"][lang]
    for name, label in labels.items():
        v = getattr(p.vitals, name, None)
        ev = p.vitals.evidence.get(name)
        if v is not None and ev is not None and ev.end > ev.start:
            items.append(label.format(v=v))
            where.add(reading.turn_at(ev.start))
    if items:
        say("examination", S["vitals"].format(items=" ".join(items).replace(" /", "/")), sorted(where))

    # 辅助检查: a result told in the consultation, quoted as said (never a test only ordered or asked about).
    for i, t in enumerate(all_turns):
        for clause in _test_results(t.text):
            say("tests", S["quote"].format(text=clause), [i])

    # 初步诊断: what the doctor stated, coded; 处理意见: the doctor's advice as said.
    # A condition the doctor names in a statement of diagnosis ("考虑是…"), not in a question or general advice.
    dx_mentions = [m for m in reading.mentions if m.kind == "condition" and m.speaker == "doctor" and m.status != "absent"
                   and _DIAGNOSIS.search(all_turns[m.turn].text) and not _QUESTION.search(all_turns[m.turn].text)]
    diagnoses: list[Diagnosis] = []
    for cid in dict.fromkeys(m.id for m in dx_mentions):
        c = kb.conditions[cid]
        code = national_code(cid)
        diagnoses.append(Diagnosis(name=pick(c.name, lang), icd10=code))
        say("diagnosis", pick(c.name, lang) + (f" ({code})" if code else ""), _turns([m for m in dx_mentions if m.id == cid]))
    # A symptom the doctor gives as the diagnosis ("考虑是消化不良"): the words after the cue, in the same clause.
    if not diagnoses:
        for i, t in enumerate(all_turns):
            cue = _DIAGNOSIS.search(t.text) if t.speaker == "doctor" and not _QUESTION.search(t.text) else None
            if cue is None:
                continue
            clause = re.split(r"[，,。.;；！!]", t.text[cue.end():])[0]
            for fid in sorted(_finding_ids(clause, PRESENTING)):
                name = pick(kb.findings[fid].name, lang)
                if name not in {d.name for d in diagnoses}:
                    diagnoses.append(Diagnosis(name=name))
                    say("diagnosis", name, [i])
    for i, t in enumerate(all_turns):
        if t.speaker == "doctor" and _PLAN.search(t.text) and not _QUESTION.search(t.text):
            say("plan", S["quote"].format(text=t.text.strip()), [i])

    record_sections = {k: ("" if lang == "zh" else " ").join(s for s, _ in v) for k, v in sections.items()}
    wanted = _wanted_sections(kind, p, patient)
    missing = [s for s in wanted if s not in record_sections]
    sources = [SourceLink(section=k, sentence=s, utterances=u) for k, v in sections.items() for s, u in v]
    record = MedicalRecord(kind=kind, department=department, doctor=doctor,
                           patient=patient or Patient(age=p.demographics.age_years, sex=p.demographics.sex),
                           sections=record_sections, diagnoses=diagnoses, sources=sources, missing=missing)
    from ..assessment import AssessRequest, assess_picture

    a = assess_picture(p, AssessRequest(text=reading.text[:20_000], language=lang))
    suggestions = [Diagnosis(name=pick(c.name, lang), icd10=national_code(c.id)) for c in a.differential.likely[:3]]
    supported = sum(1 for s in sources if s.utterances) / len(sources) if sources else 1.0
    return Draft(language=lang, record=record, text=render_record(record, lang), suggested_diagnoses=suggestions,
                 supported_share=round(supported, 4))


_QUESTION = CUE["question"]
_NO_ALLERGY = CUE["no_allergy"]


def _find_turn(turns: list[Utterance], pattern: re.Pattern) -> int | None:
    return next((i for i, t in enumerate(turns) if pattern.search(t.text)), None)


def _wanted_sections(kind: str, p, patient: Patient | None) -> list[str]:
    from .qc import load_rules

    names = list(load_rules().policy.sections[kind])
    sex = (patient.sex if patient else None) or p.demographics.sex
    if sex == "male":
        names = [n for n in names if n != MSG["sections"]["menstrual_history"]]
    return names


def render_record(record: MedicalRecord, lang: str = "zh") -> str:
    sep = "：" if lang == "zh" else ": "
    miss = MSG["missing"][lang]
    from .qc import load_rules

    order = load_rules().policy.sections[record.kind]
    names = list(order) + [k for k in record.sections if k not in order]
    lines = []
    for name in names:
        text = record.sections.get(name)
        if text:
            lines.append(f"{name}{sep}{text}")
        elif name in record.missing:
            lines.append(f"{name}{sep}{miss}")
    return "\n".join(lines)
