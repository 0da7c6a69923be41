"""REST endpoints for report interpretation: file upload, pasted text, trends, FHIR."""
from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, Field, ValidationError

from ..budget import BudgetExceeded, deadline_in, within
from ..kb.lab_loader import default_lab_kb
from ..reports import (
    PatientContext,
    ReportInterpretation,
    ReportReadError,
    TrendReport,
    compare_reports,
    interpret_bytes,
    interpret_text,
    to_fhir_bundle,
)
from ..reports.parse import MAX_BYTES, MAX_TEXT_CHARS
from ..reports.render import render, render_trends
from .strict import StrictJSONRoute

MAX_FILES = 10
# Seconds a report request may take from arrival, queueing included; past it the answer is a 503 with the reason.
TIME_BUDGET_S = 30.0
_limiter: anyio.CapacityLimiter | None = None


def _workers() -> anyio.CapacityLimiter:
    """Reports are read in threads, at most one per core at a time: more would only share the same cores."""
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(max(1, os.cpu_count() or 1))
    return _limiter


async def _off_loop(fn, *args):
    """Run CPU-heavy work in a worker thread under the request's time budget (set at arrival)."""
    deadline = deadline_in(TIME_BUDGET_S)
    try:
        return await anyio.to_thread.run_sync(partial(_budgeted, deadline, fn, *args), limiter=_workers())
    except BudgetExceeded as e:
        raise HTTPException(503, detail=f"{e}; try again, or send a smaller report (fewer pages, a smaller photo)",
                            headers={"Retry-After": "10"}) from e


def _budgeted(deadline, fn, *args):
    with within(deadline):
        return fn(*args)


_BUSY = {"description": f"not read within the time budget ({TIME_BUDGET_S:g} s per report, queueing included), with "
                        "the reason and Retry-After"}
router = APIRouter(prefix="/v1/reports", tags=["reports"], route_class=StrictJSONRoute)


class ReportResponse(ReportInterpretation):
    readable: str
    fhir: dict | None = Field(None, description="FHIR R4B Bundle of Observations (when include_fhir=true)")


class TrendsResponse(BaseModel):
    reports: list[ReportResponse]
    trends: TrendReport
    readable: str


class ReportTextRequest(BaseModel):
    model_config = {"extra": "forbid"}
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="the report as text (pasted or exported)")
    patient: PatientContext | None = None
    language: Literal["auto", "zh", "en"] = "auto"
    include_fhir: bool = False


def _patient(sex: str | None, age: float | None, medications: str | None) -> PatientContext:
    try:
        meds = [m.strip() for m in (medications or "").replace("，", ",").split(",") if m.strip()]
        return PatientContext(sex=sex or None, age_years=age, medications=meds)
    except ValidationError as e:
        raise HTTPException(422, detail="; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())) from e


def _respond(interp, include_fhir) -> ReportResponse:
    return ReportResponse(**interp.model_dump(), readable=render(interp),
                          fhir=to_fhir_bundle(interp, default_lab_kb()) if include_fhir else None)


async def _read_upload(f: UploadFile) -> bytes:
    data = await f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise HTTPException(413, detail=f"{f.filename}: larger than {MAX_BYTES // 1024 // 1024} MB")
    return data


@router.post("/interpret", response_model=ReportResponse,
             responses={413: {"description": "file too large"}, 422: {"description": "unreadable report, with the reason"},
                        503: _BUSY})
async def interpret_upload(
    file: Annotated[UploadFile, File(description="PDF, photo (JPG/PNG), CSV, Excel, JSON/FHIR or text")],
    sex: Annotated[Literal["male", "female"] | None, Form()] = None,
    age: Annotated[float | None, Form(ge=0, le=130)] = None,
    medications: Annotated[str | None, Form(description="current medicines, comma-separated")] = None,
    language: Annotated[Literal["auto", "zh", "en"], Form()] = "auto",
    include_fhir: Annotated[bool, Form()] = False,
) -> ReportResponse:
    """Interpret one uploaded report: every item with its interval and flag, explanations, summary."""
    data = await _read_upload(file)
    patient = _patient(sex, age, medications)
    try:
        # Reading, interpreting and serialising all run off the event loop: /v1/health stays responsive.
        return await _off_loop(_interpret_upload, data, file.filename, patient, language, include_fhir)
    except ReportReadError as e:
        raise HTTPException(422, detail=f"{file.filename or 'upload'}: {e}") from e


def _interpret_upload(data: bytes, filename: str | None, patient, language: str, include_fhir: bool) -> ReportResponse:
    return _respond(interpret_bytes(data, filename, patient, language), include_fhir)


@router.post("/interpret-text", response_model=ReportResponse, responses={422: {"description": "unreadable report"}, 503: _BUSY})
async def interpret_pasted(req: ReportTextRequest) -> ReportResponse:
    """Interpret a report given as text (copied from a report or a hospital app)."""
    try:
        return await _off_loop(_interpret_pasted, req)
    except ReportReadError as e:
        raise HTTPException(422, detail=str(e)) from e


def _interpret_pasted(req: ReportTextRequest) -> ReportResponse:
    return _respond(interpret_text(req.text, req.patient or PatientContext(), req.language), req.include_fhir)


@router.post("/trends", response_model=TrendsResponse, responses={422: {"description": "unreadable report"}, 503: _BUSY})
async def trends(
    files: Annotated[list[UploadFile], File(description="2–10 reports of the same person")],
    sex: Annotated[Literal["male", "female"] | None, Form()] = None,
    age: Annotated[float | None, Form(ge=0, le=130)] = None,
    language: Annotated[Literal["auto", "zh", "en"], Form()] = "auto",
) -> TrendsResponse:
    """Interpret several reports of one person and compare the repeated items."""
    if not 2 <= len(files) <= MAX_FILES:
        raise HTTPException(422, detail=f"give 2 to {MAX_FILES} reports, got {len(files)}")
    patient = _patient(sex, age, None)
    out = []
    for f in files:
        data = await _read_upload(f)
        try:
            out.append(await _off_loop(_interpret_upload, data, f.filename, patient, language, False))
        except ReportReadError as e:
            raise HTTPException(422, detail=f"{f.filename or 'upload'}: {e}") from e
    return await _off_loop(_trends, out)


def _trends(out: list[ReportResponse]) -> TrendsResponse:
    t = compare_reports(out, out[0].language)
    return TrendsResponse(reports=out, trends=t, readable=render_trends(t))


@router.get("/categories")
def categories() -> list[dict]:
    """The report categories the knowledge base covers, with their items."""
    kb = default_lab_kb()
    return [{**c.model_dump(), "items": [{"id": i.id, "code": i.code, "name": i.name.model_dump(),
                                          "loinc": i.loinc, "unit": i.unit} for i in kb.items_of(c.id)]}
            for c in kb.categories.values()]


@router.get("/critical-values")
def critical_values() -> dict:
    """The critical-value (危急值) table in use (replaceable by a hospital's file)."""
    kb = default_lab_kb()
    return {"source_file": Path(kb.critical_source).name, "limits": [c.model_dump() for c in kb.critical]}
