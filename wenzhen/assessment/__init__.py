"""The main job: a complaint in, findings + triage + department + differential out (SPEC 1–4).

    >>> from wenzhen.assessment import assess
    >>> a = assess("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时")
    >>> a.triage.triage_level
    2
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from wenzhen.kb.base import pick

from .. import __version__
from ..differential import Differential, differential
from ..kb import KnowledgeBase, get_kb
from ..kb.base import read_messages
from ..kb.limits import measurement_limits
from ..routing import DepartmentChoice, route
from ..triage import TriageResult, patient_age, triage
from ..types import ComplaintText, bounded
from ..understanding import ClinicalPicture, VitalSigns, derive_from_vitals, understand
from ..understanding.models import Evidence, avpu_from_gcs
from .advice import WithheldAdvice, plan_actions
from .labs import derive_from_labs

MESSAGES_PATH = Path(__file__).with_name("messages.yaml")


_VITAL_DOC = {"sbp": "systolic pressure, mmHg", "dbp": "diastolic pressure, mmHg", "hr": "heart rate, /min",
              "rr": "respiratory rate, /min", "temp_c": "temperature, °C", "spo2": "oxygen saturation, %",
              "gcs": "Glasgow Coma Scale", "pain_score": "pain score 0–10", "glucose_mmol": "glucose, mmol/L",
              "potassium_mmol": "potassium, mmol/L"}
# Measurements given as fields (they take precedence over values read from the text); the limits are the
# same table the text reader uses (kb/data/measurement_limits.yaml).
VitalsInput = create_model(
    "VitalsInput", __config__=ConfigDict(extra="forbid"),
    **{name: (bounded(lo, hi) | None, Field(default=None, description=_VITAL_DOC.get(name)))
       for name, (lo, hi) in measurement_limits().items()},
)


class AssessRequest(BaseModel):
    model_config = {"extra": "forbid"}
    text: ComplaintText
    age: bounded(0, 125) | None = Field(default=None, description="years; overrides the text")  # type: ignore[valid-type]
    sex: Literal["female", "male"] | None = None
    vitals: VitalsInput | None = None
    consciousness: Literal["A", "V", "P", "U"] | None = Field(default=None, description="AVPU")
    language: Literal["auto", "zh", "en"] = "auto"

    def vitals_given(self) -> set[str]:
        return set(self.vitals.model_dump(exclude_none=True)) if self.vitals else set()


class Advice(BaseModel):
    language: Literal["zh", "en"]
    summary: str
    what_to_do_now: list[str]
    withheld: list[WithheldAdvice] = Field(default_factory=list, description="advice not shown to this patient, and why")
    seek_care_if: list[str]
    disclaimer: str


class Assessment(BaseModel):
    recognised: bool = Field(description="whether any symptom, sign or measurement was understood")
    language: Literal["zh", "en"]
    understanding: ClinicalPicture
    triage: TriageResult
    department: DepartmentChoice
    differential: Differential
    advice: Advice
    kb_version: str
    engine_version: str = __version__
    elapsed_ms: float


def messages() -> dict:
    """The assessment's interface wording (messages.yaml), read once; treat it as read-only."""
    return read_messages(MESSAGES_PATH)


def _apply_overrides(picture: ClinicalPicture, req: AssessRequest, kb: KnowledgeBase | None = None) -> None:
    d = picture.demographics
    if req.age is not None:
        d.age_years, d.age_text, d.age_assumed_band = req.age, f"{req.age:g} (given)", None
    if req.sex is not None:
        d.sex = req.sex
    if req.vitals is not None:
        for name, value in req.vitals.model_dump(exclude_none=True).items():
            setattr(picture.vitals, name, value)
            picture.vitals.evidence[name] = Evidence(text=f"{name}={value:g} (given)", start=0, end=0)
    if req.consciousness is not None:
        picture.consciousness = req.consciousness
    elif picture.vitals.gcs is not None and (picture.consciousness is None or "gcs" in req.vitals_given()):
        picture.consciousness = avpu_from_gcs(picture.vitals.gcs, kb)


def _advice(picture: ClinicalPicture, tri: TriageResult, dif: Differential, dept: DepartmentChoice, lang: str,
            recognised: bool, kb: KnowledgeBase) -> Advice:
    msg = messages()
    dname = pick(dept.department.name, lang)
    if not recognised:
        summary = msg["not_recognised"][lang]
    else:
        summary = msg["summary"][lang].format(level=pick(tri.level_name, lang), disposition=pick(tri.disposition_text, lang),
                                              department=dname)
        top = msg["render"][lang]["list"].join(pick(c.name, lang) for c in dif.likely[:3])
        if top:
            summary += msg["summary_conditions"][lang].format(top=top)
    actions, withheld = plan_actions(picture, tri, dif, kb, lang, patient_age(picture, kb)[0], msg)
    return Advice(
        language=lang,  # type: ignore[arg-type]
        summary=summary,
        what_to_do_now=actions,
        withheld=withheld,
        seek_care_if=[x[lang] for x in msg["seek_care_if"]],
        disclaimer=msg["disclaimer"][lang],
    )


def assess_request(req: AssessRequest, kb: KnowledgeBase | None = None) -> Assessment:
    t0 = time.perf_counter()
    kb = kb or get_kb()
    picture = understand(req.text, kb)
    return assess_picture(picture, req, kb, t0)


def assess_picture(picture: ClinicalPicture, req: AssessRequest, kb: KnowledgeBase | None = None,
                   t0: float | None = None) -> Assessment:
    """The assessment of an understood picture (understand() of req.text, possibly with findings added from
    elsewhere, such as the LLM layer's grounded extraction)."""
    t0 = time.perf_counter() if t0 is None else t0
    kb = kb or get_kb()
    _apply_overrides(picture, req, kb)
    derive_from_labs(picture, req.text, kb)
    derive_from_vitals(picture, kb)
    dif = differential(picture, kb)
    tri = triage(picture, dif, kb)
    dept = route(picture, tri, dif, kb)
    lang = picture.language if req.language == "auto" else req.language
    v: VitalSigns = picture.vitals
    recognised = bool(picture.findings) or any(d.affirmed for d in picture.stated_diagnoses) or any(
        getattr(v, k) is not None for k in ("sbp", "hr", "rr", "temp_c", "spo2", "gcs", "glucose_mmol", "potassium_mmol")
    ) or picture.consciousness is not None
    advice = _advice(picture, tri, dif, dept, lang, recognised, kb)
    return Assessment(
        recognised=recognised, language=lang, understanding=picture, triage=tri, department=dept,  # type: ignore[arg-type]
        differential=dif, advice=advice, kb_version=kb.version,
        elapsed_ms=round((time.perf_counter() - t0) * 1000, 3),
    )


def assess(text: str, *, age: float | None = None, sex: str | None = None, vitals: dict | None = None,
           consciousness: str | None = None, language: str = "auto", kb: KnowledgeBase | None = None) -> Assessment:
    """Assess a complaint. Raises pydantic.ValidationError (a ValueError) with the reason on bad input."""
    req = AssessRequest(text=text, age=age, sex=sex, vitals=VitalsInput(**vitals) if vitals else None,
                        consciousness=consciousness, language=language)
    return assess_request(req, kb)


__all__ = ["assess", "assess_request", "assess_picture", "AssessRequest", "VitalsInput", "Assessment", "Advice"]
