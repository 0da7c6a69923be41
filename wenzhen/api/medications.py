"""REST endpoints of the medication check: POST /v1/medications/check, GET /v1/medications/{name}."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException

from ..kb.drug_schema import DrugDef
from ..medications import CheckRequest, MedicationCheck, check_medications, drug_info
from ..medications.render import render_check
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


@router.get("/{name}", response_model=DrugDef, responses={404: {"description": "not in the drug knowledge base"}})
def info(name: str) -> DrugDef:
    """A drug's entry by any of its names (generic, brand, alias; Chinese or English)."""
    d = drug_info(name)
    if d is None:
        raise HTTPException(404, detail=f"{name!r} is not in the drug knowledge base")
    return d
