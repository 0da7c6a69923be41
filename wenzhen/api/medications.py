"""REST endpoints of the medication check: POST /v1/medications/check, GET /v1/medications/{name}."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from ..kb.drug_schema import DrugDef
from ..medications import CheckRequest, MedicationCheck, PatientFacts, check_medications, drug_info
from ..medications.render import render_check
from ..medications.selfcare import SelfCareGuidance, render_self_care, self_care_for_assessment
from ..types import ComplaintText
from .strict import StrictJSONRoute

router = APIRouter(prefix="/v1/medications", tags=["medications"], route_class=StrictJSONRoute)


class CheckResponse(MedicationCheck):
    readable: str


@router.post("/check", response_model=CheckResponse, responses={422: {"description": "invalid request, with the reason"}})
def check(req: CheckRequest) -> CheckResponse:
    """Check a medicine list (generic names, brands, combination products; optional dose and frequency) for one
    patient: allergies, duplicate ingredients and therapy, daily and weight-based doses, interactions, conditions,
    kidney and liver function, pregnancy, breastfeeding, children's ages and older adults."""
    res = check_medications(req.patient, req.drugs, language=req.language, complaint=req.complaint)
    return CheckResponse(**res.model_dump(), readable=render_check(res))


class SelfCareRequest(BaseModel):
    model_config = {"extra": "forbid"}
    complaint: ComplaintText = Field(description="what the patient says, Chinese or English")
    patient: PatientFacts = Field(default_factory=PatientFacts, description="facts that override the complaint's")
    language: Literal["auto", "zh", "en"] = "auto"


class SelfCareResponse(SelfCareGuidance):
    triage_level: int
    readable: str


@router.post("/self-care", response_model=SelfCareResponse,
             responses={422: {"description": "invalid request, with the reason"}})
def self_care(req: SelfCareRequest) -> SelfCareResponse:
    """What can be done at home for a self-limiting complaint: measures, over-the-counter medicines dosed for this
    age and weight and checked against what the patient said, and when to see a doctor. The complaint is assessed
    first; at triage levels I–III no self-medication is offered."""
    from ..assessment import AssessRequest, assess_request

    a = assess_request(AssessRequest(text=req.complaint, age=req.patient.age, sex=req.patient.sex, language=req.language))
    g = self_care_for_assessment(a, req.patient)
    return SelfCareResponse(**g.model_dump(), triage_level=a.triage.triage_level, readable=render_self_care(g))


@router.get("/{name}", response_model=DrugDef, responses={404: {"description": "not in the drug knowledge base"}})
def info(name: str) -> DrugDef:
    """A drug's entry by any of its names (generic, brand, alias; Chinese or English)."""
    d = drug_info(name)
    if d is None:
        raise HTTPException(404, detail=f"{name!r} is not in the drug knowledge base")
    return d
