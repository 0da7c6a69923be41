"""REST endpoints of medical records: POST /v1/records/draft, POST /v1/records/qc."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field, model_validator

from ..interview.store import UnknownInterview
from ..records import Draft, DraftRequest, MedicalRecord, QCResult, draft_record, qc_record, record_from_text
from .strict import StrictJSONRoute

router = APIRouter(prefix="/v1/records", tags=["records"], route_class=StrictJSONRoute)


@router.post("/draft", response_model=Draft, responses={404: {"description": "unknown interview"}, 422: {"description": "invalid request"}})
def draft(req: DraftRequest) -> Draft:
    """Draft an outpatient or admission record from a consultation dialogue and/or a pre-consultation interview:
    every sentence with the utterances it came from, missing sections listed, the engine's differential apart."""
    state = None
    if req.interview_id:
        from .interviews import service
        try:
            state, _ = service().state(req.interview_id)
        except UnknownInterview:
            raise HTTPException(404, "no interview with this id") from None
    if not req.dialogue and state is None:
        raise HTTPException(422, "give the dialogue (a list of {speaker, text}) or an interview_id")
    try:
        d = draft_record(req.dialogue, state, kind=req.kind, patient=req.patient, department=req.department,
                         doctor=req.doctor, language=req.language)
    except ValueError as e:
        raise HTTPException(422, str(e)) from None
    from ..llm.config import load_config
    from ..records.polish import polish

    cfg = load_config()  # with a model configured, sections are reworded where the wording stays grounded
    return polish(d, cfg, d.language)[0] if cfg else d


class QCRequest(BaseModel):
    model_config = {"extra": "forbid"}
    record: MedicalRecord | None = Field(default=None, description="the record as JSON")
    text: str | None = Field(default=None, max_length=50_000, description="or as text with its section headings (in Chinese, one per line)")
    composition: dict | None = Field(default=None, description="or as a FHIR Composition (its sections' titles and text)")

    @model_validator(mode="after")
    def _one(self):
        if sum(x is not None for x in (self.record, self.text, self.composition)) != 1:
            raise ValueError("give exactly one of record, text or composition")
        if self.composition is not None and self.composition.get("resourceType") != "Composition":
            raise ValueError("composition must be a FHIR Composition resource")
        return self


@router.post("/qc", response_model=QCResult, responses={422: {"description": "invalid request"}})
def qc(req: QCRequest) -> QCResult:
    """Check a record against the hospital's QC rules: score, grade (甲/乙/丙) and each defect with its rule, place,
    source and a suggested fix."""
    if req.record is not None:
        record = req.record
    elif req.composition is not None:
        from ..records.batch import record_from_composition
        record = record_from_composition(req.composition)
    else:
        record = record_from_text(req.text or "")
    return qc_record(record)
