"""Department and doctor routing over the hospital's own list (SPEC 3).

The knowledge base speaks of default department ids; a hospital's YAML may rename, merge or
drop them: a department `covers` default ids, and a missing one falls back along `parent`.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from ..differential import Differential
from ..kb import KnowledgeBase, get_kb
from ..kb.base import fill, read_messages
from ..kb.schema import DepartmentDef, Text
from ..triage import TriageResult, patient_age
from ..understanding import ClinicalPicture

URGENT = ("call_120", "emergency_now")

_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))


class DoctorSuggestion(BaseModel):
    id: str
    name: str
    title: str
    matched_specialties: list[str]
    on_duty_now: bool
    next_shift: str | None


class DepartmentRef(BaseModel):
    id: str
    name: Text


class DepartmentChoice(BaseModel):
    department: DepartmentRef
    reason: Text
    alternatives: list[DepartmentRef] = Field(default_factory=list)
    doctors: list[DoctorSuggestion] = Field(default_factory=list)
    hospital: str


def _ref(d: DepartmentDef) -> DepartmentRef:
    return DepartmentRef(id=d.id, name=d.name)


def _fits(d: DepartmentDef, age: float | None, sex: str | None) -> bool:
    if age is not None and ((d.min_age is not None and age < d.min_age) or (d.max_age is not None and age >= d.max_age)):
        return False
    return not (d.sex and sex and d.sex != sex)


def _in_family(kb: KnowledgeBase, dept_id: str, ancestor: str) -> bool:
    seen = set()
    cur: str | None = dept_id
    while cur and cur not in seen:
        if cur == ancestor:
            return True
        seen.add(cur)
        cur = kb.default_departments[cur].parent if cur in kb.default_departments else None
    return False


def _resolve(kb: KnowledgeBase, default_id: str, age: float | None, sex: str | None) -> DepartmentDef | None:
    """The hospital department that serves a default department id (self, a `covers`, or a parent)."""
    seen = set()
    cur: str | None = default_id
    while cur and cur not in seen:
        seen.add(cur)
        own = kb.departments.get(cur)
        if own is not None and _fits(own, age, sex):
            return own
        covering = [d for d in kb.departments.values() if cur in d.covers and _fits(d, age, sex)]
        if covering:
            return covering[0]
        cur = kb.default_departments[cur].parent if cur in kb.default_departments else None
    return None


def _adjust_for_patient(kb: KnowledgeBase, dept_id: str, age: float | None, urgent: bool) -> str:
    """Children with medical problems go to paediatrics; urgent children to paediatric emergency."""
    child_limit = kb.default_departments["pediatrics"].max_age if "pediatrics" in kb.default_departments else None
    if age is None or child_limit is None or age >= child_limit:
        return dept_id
    if urgent and kb.default_departments.get(dept_id, None) and kb.default_departments[dept_id].emergency:
        return "pediatric_emergency"
    if _in_family(kb, dept_id, "internal_medicine") or dept_id == "internal_medicine":
        neonatal = kb.default_departments.get("neonatology")
        return "neonatology" if neonatal is not None and neonatal.max_age is not None and age < neonatal.max_age else "pediatrics"
    return dept_id


def _doctors(kb: KnowledgeBase, dept: DepartmentDef, wanted: list[str], now: datetime) -> list[DoctorSuggestion]:
    out = []
    weekday, hhmm = now.isoweekday(), now.strftime("%H:%M")
    for doc in kb.doctors:
        if doc.department != dept.id:
            continue
        matched = [s for s in doc.specialties if s in wanted]
        on_duty = any(s.weekday == weekday and s.start <= hhmm < s.end for s in doc.schedule)
        upcoming = sorted(
            ((s.weekday - weekday) % 7, s.start, s) for s in doc.schedule
            if (s.weekday - weekday) % 7 > 0 or s.start > hhmm
        )
        nxt = None
        if upcoming:
            s = upcoming[0][2]
            days = _MESSAGES["weekdays"]
            nxt = f"{days['zh'][s.weekday - 1]}/{days['en'][s.weekday - 1]} {s.start}-{s.end}"
        out.append(DoctorSuggestion(id=doc.id, name=doc.name, title=doc.title, matched_specialties=matched,
                                    on_duty_now=on_duty, next_shift=nxt))
    out.sort(key=lambda d: (-len(d.matched_specialties), not d.on_duty_now, d.name))
    return out[:5]


def route(picture: ClinicalPicture, triage: TriageResult, differential: Differential,
          kb: KnowledgeBase | None = None, now: datetime | None = None) -> DepartmentChoice:
    kb = kb or get_kb()
    now = now or datetime.now()
    age, _ = patient_age(picture, kb)
    sex = picture.demographics.sex
    urgent = triage.disposition in URGENT
    candidates: list[tuple[str, Text]] = []

    if urgent:
        ruled = [r for r in triage.rules_fired if r.department and r.level == triage.triage_level]
        for r in ruled:
            dep = kb.default_departments.get(r.department)
            if dep and dep.emergency:
                candidates.append((r.department, fill(_MESSAGES["urgent_rule"], reason=r.reason)))
        candidates.append(("emergency", fill(_MESSAGES["emergency_level"], level=triage.level_name)))
    for cand in differential.likely[:3]:
        for d in cand.departments:
            candidates.append((d, fill(_MESSAGES["likely_condition"], name=cand.name)))
    for r in triage.rules_fired:
        if r.department:
            candidates.append((r.department, Text(zh=r.reason.zh, en=r.reason.en)))
    first = next((f for f in picture.findings if f.affirmed and f.category in ("symptom", "sign")), None)
    if first is not None:
        system = kb.findings[first.id].system
        for d in kb.default_departments.values():
            if system in d.systems:
                candidates.append((d.id, fill(_MESSAGES["main_symptom"], name=first.name)))
    candidates.append(("general_practice", Text(**_MESSAGES["general_practice"])))

    chosen: list[tuple[DepartmentDef, Text]] = []
    for dept_id, why in candidates:
        adjusted = _adjust_for_patient(kb, dept_id, age, urgent)
        dept = _resolve(kb, adjusted, age, sex) or _resolve(kb, dept_id, age, sex)
        if dept is not None and all(dept.id != c.id for c, _ in chosen):
            chosen.append((dept, why))
    if not chosen:  # a hospital list with nothing that fits: its first department
        d = next(iter(kb.departments.values()))
        chosen.append((d, Text(**_MESSAGES["no_better_match"])))
    dept, why = chosen[0]
    wanted = [c.id for c in differential.likely[:3]]
    return DepartmentChoice(
        department=_ref(dept), reason=why, alternatives=[_ref(d) for d, _ in chosen[1:4]],
        doctors=_doctors(kb, dept, wanted, now), hospital=kb.hospital,
    )


__all__ = ["route", "DepartmentChoice", "DoctorSuggestion", "DepartmentRef"]
