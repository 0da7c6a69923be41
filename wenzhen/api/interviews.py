"""REST endpoints of the pre-consultation interview: POST /v1/interviews, POST /v1/interviews/{id}/answers,
POST /v1/interviews/{id}/stop, GET /v1/interviews/{id}, GET /v1/interviews/{id}/report."""
from __future__ import annotations

import threading
from typing import Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from ..interview.engine import InterviewEnded, InterviewStep, StartRequest
from ..interview.report import PreconsultationReport, render_report, report_fhir
from ..interview.service import InterviewService
from ..interview.store import StaleInterview, UnknownInterview
from .strict import StrictJSONRoute

router = APIRouter(prefix="/v1/interviews", tags=["interview"], route_class=StrictJSONRoute)
InterviewId = Path(pattern=r"^[0-9a-f]{32}$", description="the id POST /v1/interviews returned")

_service: InterviewService | None = None
_lock = threading.Lock()


def service() -> InterviewService:
    """One service per process, on $WENZHEN_DATABASE_URL or the default SQLite file (opened on first use)."""
    global _service
    if _service is None:
        with _lock:
            if _service is None:
                _service = InterviewService()
    return _service


def set_service(s: InterviewService | None) -> None:
    """Use another service (tests, an embedding application)."""
    global _service
    _service = s


class AnswerRequest(BaseModel):
    model_config = {"extra": "forbid"}
    text: str = Field(min_length=1, max_length=2000, description="the patient's answer, in their own words")


class InterviewView(InterviewStep):
    transcript: list[dict] = Field(default_factory=list)


class ReportResponse(PreconsultationReport):
    readable: str
    fhir: dict | None = Field(default=None, description="FHIR R4B Bundle (QuestionnaireResponse + Composition), when asked")


def _errors(fn, *args):
    try:
        return fn(*args)
    except UnknownInterview:
        raise HTTPException(404, "no interview with this id") from None
    except InterviewEnded as e:
        raise HTTPException(409, str(e)) from None
    except StaleInterview:
        raise HTTPException(409, "another answer to this interview was saved first; reload it and answer again") from None
    except ValueError as e:
        raise HTTPException(422, str(e)) from None


@router.post("", status_code=201, response_model=InterviewStep,
             responses={422: {"description": "invalid request, with the reason"}})
def create(req: StartRequest) -> InterviewStep:
    """Start an interview with the patient's first words: returns its id and the first question, or at once the
    emergency advice when what they said is already an emergency."""
    _, step = _errors(service().start, req)
    return step


@router.post("/{interview_id}/answers", response_model=InterviewStep,
             responses={404: {"description": "unknown interview"}, 409: {"description": "ended, or answered concurrently"}})
def post_answer(req: AnswerRequest, interview_id: str = InterviewId) -> InterviewStep:
    """Answer the pending question: returns the next question, or the end with the advice."""
    if not req.text.strip():
        raise HTTPException(422, "the answer is empty")
    return _errors(service().answer, interview_id, req.text)


@router.post("/{interview_id}/stop", response_model=InterviewStep, responses={404: {"description": "unknown interview"}})
def post_stop(interview_id: str = InterviewId) -> InterviewStep:
    """End the interview now: the advice from what is known."""
    return _errors(service().stop, interview_id)


@router.get("/{interview_id}", response_model=InterviewView, responses={404: {"description": "unknown interview"}})
def get_interview(interview_id: str = InterviewId) -> InterviewView:
    """Where the interview stands (the pending question or its end) and the dialogue so far: a page reloads from it."""
    step = _errors(service().current, interview_id)
    state, _ = _errors(service().state, interview_id)
    return InterviewView(**step.model_dump(), transcript=[{"speaker": t.speaker, "text": t.text} for t in state.turns])


@router.get("/{interview_id}/report", response_model=ReportResponse, responses={404: {"description": "unknown interview"}})
def get_report(interview_id: str = InterviewId, format: Literal["json", "text"] = Query("json"),
               include_fhir: bool = Query(False, description="add the FHIR R4B Bundle")):
    """The pre-consultation report for the doctor (also while the interview is still open)."""
    report = _errors(service().report, interview_id)
    if format == "text":
        return PlainTextResponse(render_report(report))
    fhir = None
    if include_fhir:
        state, _ = _errors(service().state, interview_id)
        fhir = report_fhir(report, state)
    return ReportResponse(**report.model_dump(), readable=render_report(report), fhir=fhir)
