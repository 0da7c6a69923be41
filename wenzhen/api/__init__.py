"""REST API (OpenAPI generated from the same pydantic models) and the web page."""
from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..assessment import Assessment, AssessRequest, assess_request
from ..assessment.render import render
from ..kb import get_kb
from .security import Security, cors_origins
from .strict import TOO_LARGE, BodyLimit, StrictJSONRoute, too_large_response
from .strict import SafeJSONResponse as JSONResponse

MAX_BODY_BYTES = 256 * 1024  # a complaint is at most 20,000 characters; anything far larger is refused early
MAX_UPLOAD_BYTES = 21 * 1024 * 1024  # report uploads: one 20 MB file plus form fields
STATIC = Path(__file__).with_name("static")
log = logging.getLogger("wenzhen.api")

@asynccontextmanager
async def lifespan(_):
    get_kb()  # validate the knowledge base at start: a broken KB stops the server here, not mid-request
    assess_request(AssessRequest(text="头痛"))  # warm the matchers
    if os.environ.get("WENZHEN_PRELOAD_OCR") == "1":
        # Loading the OCR models imports modules, which holds the interpreter for ~0.1 s: done at start, the
        # first photo does not stall /v1/health and the other requests.
        try:
            from ..reports.ocr import _engine

            _engine()
        except ImportError:  # the OCR extra is not installed: photos are refused with the reason instead
            pass
    yield


# FastAPIOffline: FastAPI with /docs and /redoc served from assets in the package (no CDN, works offline).
app = FastAPIOffline(
    lifespan=lifespan,
    default_response_class=JSONResponse,
    title="wenzhen (问诊)",
    version=__version__,
    description="Deterministic, sourced clinical assessment: findings, triage, department and differential. "
    "Not a substitute for a doctor.\n\n"
    "**Limits** (each refused with a 4xx and the reason): JSON bodies 256 KB, complaint text 20,000 characters; "
    "uploads 84 MB in all, 20 MB per file, 10 files per trends call; a report at most 3,000 lines or rows, 400 "
    "results, 50 PDF pages, 40-megapixel images, 30 MB of unpacked XML per workbook; 30 s per report request "
    "(a 503 with the reason past it). Numbers must be finite and "
    "not true/false. Off loopback every /v1/ call except /v1/health needs an API key (Bearer or X-API-Key).",
)
app.router.route_class = StrictJSONRoute


class AssessResponse(Assessment):
    readable: str


class ErrorResponse(BaseModel):
    error: str
    detail: list[dict] | str | None = None


def _body_limit(path: str) -> int:
    return MAX_UPLOAD_BYTES * 4 if path.startswith("/v1/reports/") else MAX_BODY_BYTES


app.add_middleware(BodyLimit, limit_for=_body_limit)
if cors_origins():  # off unless configured: a browser page elsewhere may not call the API by default
    app.add_middleware(CORSMiddleware, allow_origins=cors_origins(), allow_methods=["GET", "POST"],
                       allow_headers=["authorization", "x-api-key", "content-type"])
app.add_middleware(Security)  # outermost: headers on every response, keys checked before any work


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError):
    details = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":  # the body itself: say what is wrong with it, not where
            reason = (err.get("ctx") or {}).get("error") or "not valid JSON"
            details.append({"field": "body", "reason": f"not valid JSON ({reason})"})
            continue
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
        details.append({"field": loc or "body", "reason": err.get("msg", "invalid").removeprefix("Value error, ")})
    reason = "; ".join(f"{d['field']}: {d['reason']}" for d in details)
    return JSONResponse(status_code=422, content={"error": f"invalid request: {reason}", "detail": details})


@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException):
    if TOO_LARGE in request.scope:
        return too_large_response(*request.scope[TOO_LARGE])
    reason = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 400 and "parsing the body" in reason:
        reason = "the request body is not valid JSON text: send {\"text\": \"...\"} encoded as UTF-8"
    return JSONResponse(status_code=exc.status_code, content={"error": reason}, headers=exc.headers)


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception):  # pragma: no cover - a bug, logged
    log.exception("unexpected error on %s", request.url.path)
    return JSONResponse(status_code=500, content={"error": "internal error; the request was not processed"})


@app.post("/v1/assess", response_model=AssessResponse, responses={413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
async def post_assess(req: AssessRequest) -> Response:
    """Assess a complaint in colloquial Chinese or English (with optional structured vitals)."""
    # Run on the event loop: the engine takes about 2 ms (bounded: 20,000 characters at most), less than a hop to
    # the thread pool and back costs under load; reports and OCR, which can take seconds, go to the pool.
    result = assess_request(req)
    # Serialised once, by pydantic, from models the engine already validated (the schema above documents it).
    body = AssessResponse.model_construct(**dict(result), readable=render(result)).model_dump_json()
    return Response(content=body, media_type="application/json")


@app.get("/v1/health")
def health() -> dict:
    kb = get_kb()
    return {"status": "ok", "version": __version__, "kb_version": kb.version}


@app.get("/v1/kb")
def kb_stats() -> dict:
    """Counts and version of the loaded knowledge base (and the hospital configuration in use)."""
    return get_kb().stats()


@app.get("/v1/departments")
def departments() -> list[dict]:
    kb = get_kb()
    return [d.model_dump() for d in kb.departments.values()]


from .reports import router as reports_router  # noqa: E402  (after app: the router module imports nothing from here)

app.include_router(reports_router)

from .calculators import router as calculators_router  # noqa: E402

app.include_router(calculators_router)

from .medications import router as medications_router  # noqa: E402

app.include_router(medications_router)

from .chat import router as chat_router  # noqa: E402

app.include_router(chat_router)

from .interviews import router as interviews_router  # noqa: E402

app.include_router(interviews_router)

from .records import router as records_router  # noqa: E402

app.include_router(records_router)


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@app.get("/static/common.css", include_in_schema=False)
def common_css() -> Response:
    """The stylesheet both pages share."""
    return Response(_static("common.css"), media_type="text/css")


@app.get("/static/common.js", include_in_schema=False)
def common_js() -> Response:
    """The script helpers the report and medication pages share."""
    return Response(_static("common.js"), media_type="text/javascript")


@app.get("/records", response_class=HTMLResponse, include_in_schema=False)
def records_page() -> str:
    """The doctor's page: a record drafted from the consultation beside its sources, QC defects inline."""
    return _static("records.html")


@app.get("/interview", response_class=HTMLResponse, include_in_schema=False)
def interview_page() -> str:
    """The patient's pre-consultation chat: one question at a time, quick replies, the report at the end."""
    return _static("interview.html")


@app.get("/chat", response_class=HTMLResponse, include_in_schema=False)
def chat_page() -> str:
    return _static("chat.html")


@app.get("/meds", response_class=HTMLResponse, include_in_schema=False)
def meds_page() -> str:
    """Check a prescription or a medicine list."""
    return _static("meds.html")


@app.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_page() -> str:
    """Upload a report (photo, PDF, CSV…) or paste its text, and read the interpretation."""
    return _static("report.html")


@app.get("/", response_class=HTMLResponse, include_in_schema=False)
def page() -> str:
    return _static("index.html")
