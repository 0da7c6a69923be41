"""The pre-consultation report (预问诊报告) for the doctor: 主诉, 现病史, 既往史, 用药史, 过敏史, the triage with its
reasons, the department, the differential and the questions that remain; as JSON, text, and FHIR R4B
(QuestionnaireResponse + Composition). Everything in it is read from the dialogue; what was not said is "not given",
never guessed."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..kb import KnowledgeBase, get_kb
from ..kb.base import pick
from ..understanding import ClinicalPicture, Finding
from .engine import MSG, PRESENTING, InterviewState, TriageSummary, _assess, _chief, triage_summary

MAX_CHIEF_CHARS = 20
LOINC = "http://loinc.org"
# LOINC section codes of a history-and-physical note.
SECTION_CODES = {
    "chief_complaint": ("10154-3", "Chief complaint Narrative - Reported"),
    "present_illness": ("10164-2", "History of Present illness Narrative"),
    "past_history": ("11348-0", "History of Past illness Narrative"),
    "medication_history": ("10160-0", "History of Medication use Narrative"),
    "allergy_history": ("48765-2", "Allergies and adverse reactions Document"),
}


class DifferentialEntry(BaseModel):
    name: str
    icd10: str | None
    likelihood: str
    cant_miss: bool


class TranscriptLine(BaseModel):
    speaker: Literal["doctor", "patient"]
    text: str


class PreconsultationReport(BaseModel):
    interview_id: str | None = None
    language: Literal["zh", "en"]
    status: Literal["open", "ended"]
    chief_complaint: str = Field(description="main symptom + duration, at most 20 characters")
    present_illness: str
    past_history: str
    medication_history: str
    allergy_history: str
    triage: TriageSummary
    differential: list[DifferentialEntry]
    open_questions: list[str] = Field(description="what the doctor may still want to ask")
    findings_present: list[str]
    findings_absent: list[str]
    findings_uncertain: list[str]
    transcript: list[TranscriptLine]
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


def _duration(hours: float | None, lang: str) -> str | None:
    if hours is None:
        return None
    u = MSG["report"][lang]["units"]
    for limit, div, unit in ((24, 1, "hour"), (24 * 14, 24, "day"), (24 * 60, 24 * 7, "week"), (24 * 365, 24 * 30, "month")):
        if hours < limit:
            return f"{max(1, round(hours / div)):g}{u[unit]}"
    return f"{round(hours / (24 * 365)):g}{u['year']}"


def _names(fs: list[Finding], lang: str) -> str:
    return MSG["report"][lang]["list"].join(dict.fromkeys(pick(f.name, lang) for f in fs))


def _sentence(answer: str, lang: str) -> str:
    """The patient's own answer as a sentence of the record."""
    return answer.rstrip("。.") + ("。" if lang == "zh" else ".")


def _answers(state: InterviewState) -> list[tuple[Any, str]]:
    """(question, the patient's answer) for each question answered."""
    return [(q, said) for _, q, said in state.exchanges() if said is not None]


def build_report(state: InterviewState, interview_id: str | None = None, kb: KnowledgeBase | None = None) -> PreconsultationReport:
    kb = kb or get_kb()
    lang = state.language
    m = MSG["report"][lang]
    reading, a = _assess(state, kb)
    p: ClinicalPicture = reading.picture
    mine = [f for f in p.findings if f.experiencer == "patient"]
    present = [f for f in mine if f.status == "present" and f.category in PRESENTING and not f.historical]
    uncertain = [f for f in mine if f.status == "uncertain" and f.category in PRESENTING]
    absent = [f for f in mine if f.status == "absent" and f.category in PRESENTING]
    chief_ids = [c for c in _chief(reading, kb) if kb.findings[c].category in PRESENTING] or [f.id for f in present[:1]]
    chief = [f for f in present + uncertain if f.id in chief_ids]
    others = [f for f in present if f.id not in chief_ids]
    hours = max((f.duration_hours for f in chief if f.duration_hours is not None), default=None)
    dur = _duration(hours, lang)

    # 主诉: the chief symptoms and how long, within 20 characters.
    chief_text = ""
    for f in chief:
        name = pick(f.name, lang)
        candidate = (chief_text + m["list"] + name) if chief_text else name
        if len(candidate + (dur or "")) > MAX_CHIEF_CHARS:
            break
        chief_text = candidate
    joined = chief_text + (m["chief_join"] + dur if dur else "")
    chief_complaint = joined if chief_text else (pick(present[0].name, lang) if present else "")
    chief_complaint = chief_complaint[:MAX_CHIEF_CHARS]

    # 现病史: how it began, what comes with it, what was denied, and the descriptive answers.
    subject = m["subject"]["child" if p.demographics.subject == "child" else "self" if p.demographics.subject == "self" else "other"]
    hpi = []
    if chief:
        onset = next((f.onset for f in chief if f.onset), None)
        hpi.append(m["appeared"].format(subject=subject, since=m["since"].format(duration=dur) if dur else "",
                                        onset=m["onset"][onset] if onset else "", names=_names(chief, lang)).replace("  ", " "))
        if not dur:
            hpi[-1] = hpi[-1].rstrip("。.") + m["not_asked_duration"] + ("。" if lang == "zh" else ".")
    if others:
        hpi.append(m["with"].format(names=_names(others, lang)))
    if uncertain:
        hpi.append(m["unsure"].format(names=_names(uncertain, lang)))
    if absent:
        hpi.append(m["denies"].format(names=_names(absent, lang)))
    labels = MSG["slot_labels"][lang]
    answers = _answers(state)
    for q, ans in answers:
        if q.slot == "duration" and dur:
            continue  # already in the opening sentence
        if not q.about and q.slot not in ("history", "medications", "allergies", "pregnancy"):
            hpi.append(m["answered"].format(label=labels.get(q.slot, q.slot), answer=ans.rstrip("。.")))
    if p.vitals.temp_c is not None:
        hpi.append(m["temperature"].format(t=p.vitals.temp_c))

    def answered(slot: str) -> str | None:
        # a question about a finding (过敏体质吗？) is reported with the findings, not as the slot's answer
        return next((ans for q, ans in answers if q.slot == slot and not q.about), None)

    history = [f for f in mine if f.category in ("history", "risk_factor") and f.status in ("present", "uncertain")]
    denied_history = [f for f in mine if f.category == "history" and f.status == "absent"]
    past = []
    if history:
        past.append(m["has_history"].format(names=_names(history, lang)))
    if denied_history:
        past.append(m["denies_history"].format(names=_names(denied_history, lang)))
    if not past and answered("history"):
        past.append(_sentence(answered("history"), lang))
    meds = m["list"].join(dict.fromkeys(pick(x.name, lang) for x in p.medications))
    if not meds and answered("medications"):
        meds = _sentence(answered("medications"), lang)
    if p.allergies:
        allergy = m["allergy"].format(names=m["list"].join(dict.fromkeys(x.name for x in p.allergies)))
    elif p.no_known_allergies:
        allergy = m["no_allergy"]
    elif answered("allergies"):
        allergy = _sentence(answered("allergies"), lang)
    else:
        allergy = m["not_given"]

    dif = a.differential
    entries = [DifferentialEntry(name=pick(c.name, lang), icd10=c.icd10, likelihood=m["likelihood"][c.likelihood],
                                 cant_miss=c.cant_miss) for c in dif.likely[:4]]
    entries += [DifferentialEntry(name=pick(c.name, lang), icd10=c.icd10, likelihood=m["cant_miss"], cant_miss=True)
                for c in dif.cant_miss if c.id not in {x.id for x in dif.likely[:4]}][:3]
    settled = {f.id for f in mine if f.status != "hypothetical"}
    remaining = [pick(e.name, lang) for c in dif.likely[:3] for e in c.ask_about if e.id not in settled]
    return PreconsultationReport(
        interview_id=interview_id, language=lang, status=state.status, chief_complaint=chief_complaint,
        present_illness="".join(hpi) if lang == "zh" else " ".join(hpi),
        past_history="".join(past) if past else m["not_given"],
        medication_history=meds or m["not_given"], allergy_history=allergy,
        triage=triage_summary(a, lang), differential=entries, open_questions=list(dict.fromkeys(remaining))[:6],
        findings_present=[pick(f.name, lang) for f in present], findings_absent=[pick(f.name, lang) for f in absent],
        findings_uncertain=[pick(f.name, lang) for f in uncertain],
        transcript=[TranscriptLine(speaker=t.speaker, text=t.text) for t in state.turns],
    )


def render_report(r: PreconsultationReport) -> str:
    m = MSG["report"][r.language]
    s = m["sections"]
    sep = "：" if r.language == "zh" else ": "
    lines = [m["title"], "",
             f"{s['chief_complaint']}{sep}{r.chief_complaint}",
             f"{s['present_illness']}{sep}{r.present_illness}",
             f"{s['past_history']}{sep}{r.past_history}",
             f"{s['medication_history']}{sep}{r.medication_history}",
             f"{s['allergy_history']}{sep}{r.allergy_history}",
             f"{s['triage']}{sep}{m['level'].format(level=r.triage.level_name, disposition=r.triage.disposition)}"
             + (f" — {m['list'].join(r.triage.reasons)}" if r.triage.reasons else ""),
             f"{s['department']}{sep}{r.triage.department}",
             f"{s['differential']}{sep}" + m["list"].join(
                 f"{d.name}{f' ({d.icd10})' if d.icd10 else ''} [{d.likelihood}]" for d in r.differential)]
    if r.open_questions:
        lines.append(f"{s['open_questions']}{sep}{m['list'].join(r.open_questions)}")
    lines += ["", s["transcript"] + sep.strip()]
    lines += [f"  {m['speakers'][t.speaker]}{sep}{t.text}" for t in r.transcript]
    return "\n".join(lines)


def _div(text: str) -> str:
    from html import escape
    return f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>'


def report_fhir(r: PreconsultationReport, state: InterviewState, patient_ref: str | None = None) -> dict[str, Any]:
    """A FHIR R4B collection Bundle: the interview as a QuestionnaireResponse and the report as a Composition."""
    from fhir.resources.R4B.bundle import Bundle

    now = r.created_at.isoformat()
    qr_id, comp_id = str(uuid.uuid4()), str(uuid.uuid4())
    items = []
    for i, q, said in state.exchanges():
        item: dict[str, Any] = {"linkId": f"{i}:{q.id}", "text": q.text}
        if said is not None:
            item["answer"] = [{"valueString": said}]
        items.append(item)
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": qr_id,
        "status": "completed" if r.status == "ended" else "in-progress", "authored": now,
        "item": [{"linkId": "complaint", "text": MSG["report"][r.language]["sections"]["chief_complaint"],
                  "answer": [{"valueString": state.turns[0].text}]}] + items,
    }
    s = MSG["report"][r.language]["sections"]
    sections = []
    for key, (code, display) in SECTION_CODES.items():
        sections.append({"title": s[key], "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                         "text": {"status": "generated", "div": _div(getattr(r, key))}})
    sections.append({"title": s["triage"], "text": {"status": "generated", "div": _div(
        f"{r.triage.level_name} ({r.triage.disposition}); {s['department']}: {r.triage.department}; "
        + "; ".join(r.triage.reasons))}})
    sections.append({"title": s["differential"], "text": {"status": "generated", "div": _div(
        "; ".join(f"{d.name} {d.icd10 or ''} [{d.likelihood}]".strip() for d in r.differential))}})
    comp: dict[str, Any] = {
        "resourceType": "Composition", "id": comp_id, "status": "preliminary",
        "type": {"coding": [{"system": LOINC, "code": "34117-2", "display": "History and physical note"}]},
        "date": now, "title": MSG["report"][r.language]["title"],
        "author": [{"display": "wenzhen pre-consultation interview"}],
        "section": sections,
    }
    if patient_ref:
        qr["subject"] = {"reference": patient_ref}
        comp["subject"] = {"reference": patient_ref}
    bundle = {"resourceType": "Bundle", "type": "collection", "timestamp": now,
              "entry": [{"fullUrl": f"urn:uuid:{comp_id}", "resource": comp}, {"fullUrl": f"urn:uuid:{qr_id}", "resource": qr}]}
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)
