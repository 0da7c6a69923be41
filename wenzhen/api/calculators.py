"""REST endpoints for calculators, the risk report and health scales.

Each calculator also gets its own typed endpoint, `POST /v1/calculators/{id}`, whose request
schema is generated from the calculator's inputs in the KB, so OpenAPI shows every field,
unit and choice.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from ..calculators import (
    CalculationError,
    CalculationResult,
    CalculatorInfo,
    ConversionResult,
    UnknownCalculator,
    calculate,
    convert,
)
from ..calculators import list_calculators as _list
from ..calculators.render import render_result, render_risk
from ..calculators.risk import RiskReport, assess_risk
from ..kb.calc_loader import default_calculator_kb
from ..scales import ScaleError, ScaleInfo, ScaleResult, UnknownScale, list_scales, score_scale
from ..scales.render import render_scale
from ..types import ComplaintText, no_bool
from .strict import SafeJSONResponse as JSONResponse
from .strict import StrictJSONRoute

router = APIRouter(tags=["calculators"], route_class=StrictJSONRoute)
MAX_INPUTS = 200


class CalculateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    calculator: str = Field(description="calculator id or any of its names (GET /v1/calculators)")
    inputs: dict[str, Any] = Field(description="name: value; values as numbers, yes/no, choice ids, "
                                   "'1.4 mg/dL' strings or [1.4, 'mg/dL'] pairs", max_length=MAX_INPUTS)
    language: Literal["zh", "en"] = "zh"


class CalculationResponse(CalculationResult):
    readable: str


class ProblemResponse(BaseModel):
    error: str
    detail: list[dict] = Field(default_factory=list, description="each problem: input (or item) and reason")
    safety: dict | None = Field(default=None, description="scales: a safety alert that stands even without a score")


class RiskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient: dict[str, Any] = Field(default_factory=dict, max_length=MAX_INPUTS,
                                    description="known values by variable name (any alias, any accepted unit)")
    text: ComplaintText | None = Field(default=None, description="a complaint: findings and vital signs "
                                       "are read from it by the assessment module")
    language: Literal["zh", "en"] = "zh"


class RiskResponse(RiskReport):
    readable: str


def _run(name: str, inputs: dict[str, Any], language: str) -> CalculationResponse | JSONResponse:
    try:
        res = calculate(name, inputs, language=language)
    except UnknownCalculator as e:
        return JSONResponse(status_code=404, content={"error": str(e), "detail": []})
    except CalculationError as e:
        return JSONResponse(status_code=422, content={"error": str(e),
                                                      "detail": [p.model_dump() for p in e.problems]})
    return CalculationResponse(**res.model_dump(), readable=render_result(res))


_ERRORS = {404: {"model": ProblemResponse, "description": "unknown calculator"},
           422: {"model": ProblemResponse, "description": "missing, impossible or unreadable inputs, each named"}}


@router.get("/v1/calculators", response_model=list[CalculatorInfo])
def list_calculators() -> list[CalculatorInfo]:
    """Every calculator with its inputs (kind, unit, accepted units, choices, required)."""
    return _list()


@router.post("/v1/calculate", response_model=CalculationResponse, responses=_ERRORS)
def calculate_any(req: CalculateRequest):
    """Run any calculator by name with free-form inputs."""
    return _run(req.calculator, req.inputs, req.language)


@router.get("/v1/convert", response_model=ConversionResult, responses={422: {"model": ProblemResponse}})
def convert_units(variable: str, value: str, to: str | None = None, language: Literal["zh", "en"] = "zh"):
    """Convert a measurement between units: `?variable=creatinine&value=1.4 mg/dL&to=μmol/L`."""
    try:
        return convert(variable, value, to, language=language)
    except CalculationError as e:
        return JSONResponse(status_code=422, content={"error": str(e), "detail": [p.model_dump() for p in e.problems]})


@router.post("/v1/risk", response_model=RiskResponse, responses={422: {"model": ProblemResponse}})
def risk(req: RiskRequest) -> RiskResponse:
    """Every score the known data allow, grouped by dimension, with what is missing for the others."""
    rep = assess_risk(req.patient, text=req.text, language=req.language)
    return RiskResponse(**rep.model_dump(), readable=render_risk(rep))


def _field_type(var) -> Any:
    if var.kind == "boolean":
        return bool | str | None
    if var.kind == "choice":
        return str | bool | None
    if var.kind == "date":
        return dt.date | str | None
    return Annotated[float | str | list[Any] | None, BeforeValidator(no_bool)]  # 1.4, "1.4 mg/dL" or [1.4, "mg/dL"]


def _describe(var, required: bool, default: Any) -> str:
    parts = [f"{var.label.en}（{var.label.zh}）"]
    if var.unit:
        parts.append(f"unit {var.unit}" + (f"; also {', '.join(u.unit for u in var.units)}" if var.units else ""))
    if var.choices:
        parts.append("one of: " + ", ".join(ch.id for ch in var.choices))
    if var.kind == "boolean":
        parts.append("yes/no; not given = absent")
    if default is not None:
        parts.append(f"default {default}")
    if required:
        parts.append("required")
    return "; ".join(parts)


def _endpoint(cid: str, model: type[BaseModel]):
    def endpoint(body=Body(...)):
        data = body.model_dump(exclude_none=True)
        lang = data.pop("language", "zh")
        return _run(cid, data, lang)

    endpoint.__annotations__ = {"body": model}  # the generated model, not a string (future annotations)
    return endpoint


def _typed_routes() -> None:
    kb = default_calculator_kb()
    for cid, cc in sorted(kb.calculators.items()):
        fields: dict[str, Any] = {}
        for vid in cc.variables:
            var = kb.variables[vid]
            # A bare number is in the canonical unit and must lie within the variable's possible range (enforced by
            # the engine, which also converts "1.4 mg/dL"); JSON Schema applies minimum/maximum to numbers only.
            bounds = {k: b for k, b in (("minimum", var.min), ("maximum", var.max)) if b is not None} \
                if var.kind in ("number", "integer") else {}
            fields[vid] = (_field_type(var), Field(default=None, description=_describe(
                var, vid in cc.required, cc.defaults.get(vid)), json_schema_extra=bounds or None))
        fields["language"] = (Literal["zh", "en"], "zh")
        model = create_model(f"{''.join(p.title() for p in cid.split('_'))}Inputs",
                             __config__=ConfigDict(extra="forbid"), **fields)

        router.add_api_route(f"/v1/calculators/{cid}", _endpoint(cid, model), methods=["POST"], response_model=CalculationResponse,
                             responses=_ERRORS, summary=cc.calc.name.en, description=cc.calc.purpose.en
                             + f"\n\nFormula: {cc.calc.formula_text}\n\nSource: {cc.calc.source}",
                             name=f"calc_{cid}")


@router.get("/v1/calculators/{calculator_id}", response_model=CalculatorInfo, responses={404: {"model": ProblemResponse}})
def calculator_info(calculator_id: str) -> CalculatorInfo:
    kb = default_calculator_kb()
    cc = kb.find_calculator(calculator_id)
    if cc is None:
        raise HTTPException(404, detail=f"unknown calculator {calculator_id!r}")
    return next(i for i in _list(kb) if i.id == cc.calc.id)


class ScaleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(max_length=MAX_INPUTS, description="item id (or the dataset's column name): "
                                    "answer as points, option label, number with unit or clock time")
    language: Literal["zh", "en"] = "zh"


class ScaleResponse(ScaleResult):
    readable: str


@router.get("/v1/scales", response_model=list[ScaleInfo], tags=["scales"])
def scales() -> list[ScaleInfo]:
    """Every health scale with its items and answer options (to build a form)."""
    return list_scales()


@router.post("/v1/scales/{scale}", response_model=ScaleResponse, tags=["scales"],
             responses={404: {"model": ProblemResponse}, 422: {"model": ProblemResponse}})
def score(scale: str, req: ScaleRequest):
    """Score a scale. A PHQ-9 item-9 safety alert is returned even when the answers cannot be scored."""
    try:
        res = score_scale(scale, req.answers, language=req.language)
    except ScaleError as e:
        code = 404 if isinstance(e, UnknownScale) else 422
        return JSONResponse(status_code=code, content={
            "error": str(e), "detail": [p.model_dump(mode="json") for p in e.problems],
            "safety": e.safety.model_dump()})
    return ScaleResponse(**res.model_dump(), readable=render_scale(res))


_typed_routes()
