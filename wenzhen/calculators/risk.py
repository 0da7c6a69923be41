"""The multi-dimensional risk report: every score a patient's known data allow, by dimension.

Inputs are read once (any variable name or alias, any accepted unit), optionally merged with
what the assessment module understood from a complaint (age, sex, vital signs, findings such
as 高血压/咯血/黑便 linked to calculator variables in the KB). A score is computed when its
required inputs are known and enough of its other inputs were given; otherwise it is listed
with what is missing. Yes/no items not given count as absent, so such scores are minimums.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, Field

from wenzhen.kb.base import Text, pick, read_messages
from wenzhen.kb.calc_loader import CalculatorKB, CompiledCalculator, default_calculator_kb, normalise_key
from wenzhen.kb.calc_schema import RISK_ORDER
from wenzhen.types import clean_text

from .engine import _label, _run, read_inputs
from .models import CalculationError, InputValue, Language, Problem

_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))

# Report order and names of the dimensions (the nine first).
DIMENSIONS: dict[str, Text] = {k: Text(**v) for k, v in _MESSAGES["dimensions"].items()}  # report order
# A score whose other inputs are mostly unknown says little: below this share of known inputs it is
# shown only when its minimum is already in a moderate or worse band, else listed as missing data.
MIN_GIVEN_SHARE = 1 / 3


class RiskScore(BaseModel):
    calculator: str
    name: str
    value: float | int | str | None
    display: str
    risk: str | None = None
    label: str | None = None
    advice: str | None = None
    minimum: bool = Field(description="yes/no items not given were counted as absent: the true score may be higher")
    not_given: list[str] = Field(default_factory=list, description="inputs counted as absent or not assessed")
    source: str


class MissingScore(BaseModel):
    calculator: str
    name: str
    missing: list[str] = Field(description="what to add to compute it")
    known_inputs: int = Field(default=0, description="how many of its inputs are already known")


class RiskDimension(BaseModel):
    id: str
    name: str
    highest_risk: str | None = None
    scores: list[RiskScore] = Field(default_factory=list)
    not_computed: list[MissingScore] = Field(default_factory=list)


class RiskReport(BaseModel):
    language: Language
    dimensions: list[RiskDimension]
    alerts: list[RiskScore] = Field(default_factory=list, description="scores in a high or worse band")
    inputs: list[InputValue] = Field(default_factory=list, description="what was read, in canonical units")
    from_complaint: list[str] = Field(default_factory=list, description="inputs taken from the complaint text")
    unused_inputs: list[str] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list, description="inputs that could not be read (skipped)")
    summary: str
    elapsed_ms: float


_TEXT = _MESSAGES["risk_summary"]


def _from_assessment(assessment, kb: CalculatorKB) -> dict[str, Any]:
    """Variables from an Assessment: demographics, vital signs, linked findings present in the patient."""
    u = assessment.understanding
    out: dict[str, Any] = {}
    if u.demographics.age_years is not None:
        out["age"] = u.demographics.age_years
    if u.demographics.sex:
        out["sex"] = u.demographics.sex
    v = u.vitals
    for field, var, unit in (("sbp", "sbp", "mmHg"), ("dbp", "dbp", "mmHg"), ("hr", "heart_rate", None),
                             ("rr", "respiratory_rate", None), ("temp_c", "temperature", "°C"),
                             ("spo2", "spo2", "%"), ("gcs", "gcs", None), ("glucose_mmol", "glucose", "mmol/L")):
        x = getattr(v, field, None)
        if x is not None and var in kb.variables:
            out[var] = [x, unit] if unit else x
    present = {f.id for f in u.findings if f.status == "present" and f.experiencer == "patient"}
    past = {f.id for f in u.findings if f.status == "present" and f.experiencer == "patient" and f.historical}
    for link in kb.finding_links:
        if link.finding in present and (link.historical_ok or link.finding not in past):
            out.setdefault(link.var, link.value)
    return out


def _known(cc: CompiledCalculator, env: dict[str, Any]) -> set[str]:
    """Variables given or derivable from what was given."""
    known = {v for v in cc.variables if env.get(v) is not None}
    for d, e in cc.derived:
        if all(n in known for n in e.names):
            known.add(d.id)
    return known


def assess_risk(patient: Mapping[str, Any] | None = None, *, text: str | None = None, assessment=None,
                language: Language = "zh", kb: CalculatorKB | None = None) -> RiskReport:
    """Every applicable score for a patient. `patient` maps variable names (any alias) to values;
    `text` (a complaint) or an existing `assessment` adds what the assessment module understood."""
    t0 = time.perf_counter()
    kb = kb or default_calculator_kb()
    lang: Language = "en" if language == "en" else "zh"
    values: dict[str, Any] = dict(patient or {})
    for key in ("text", "complaint", "主诉"):
        if isinstance(values.get(key), str) and text is None:
            text = values.pop(key)
        else:
            values.pop(key, None)
    from_complaint: list[str] = []
    if text is not None and assessment is None:
        text = clean_text(text)  # ValueError with the reason: blank, control characters only, binary
        from wenzhen.assessment import assess
        assessment = assess(text, language=lang)
    if assessment is not None:
        extra = _from_assessment(assessment, kb)
        given = {kb.variable_names.get(normalise_key(k)) for k in values}
        for k, v in extra.items():
            if k not in given:
                values[k] = v
                from_complaint.append(k)
    env, records, unused, _, problems = read_inputs(None, values, kb, lang)
    dims: dict[str, RiskDimension] = {}
    for did, name in DIMENSIONS.items():
        dims[did] = RiskDimension(id=did, name=pick(name, lang))
    alerts: list[RiskScore] = []
    for cc in kb.calculators.values():
        c = cc.calc
        targets = [d for d in c.dimensions if d in dims]
        if not targets:
            continue
        name = pick(c.name, lang)
        if c.report_when and not any(env.get(v) for v in c.report_when):
            continue  # not this patient's clinical setting (e.g. no atrial fibrillation known)
        if cc.report_if is not None and cc.report_if.evaluate(env) is False:
            continue  # e.g. a children's score for an adult
        known = _known(cc, env)
        missing = [v for v in cc.required if v not in known and v not in cc.defaults]
        own_inputs = [v for v in cc.variables if v not in cc.required]
        sparse = bool(own_inputs) and sum(v in known for v in own_inputs) < MIN_GIVEN_SHARE * len(own_inputs)
        if missing:
            labels = [_label(kb.variables[v], lang) if v in kb.variables else v for v in missing]
            for d in targets:
                dims[d].not_computed.append(MissingScore(calculator=c.id, name=name, missing=labels,
                                                         known_inputs=len(known)))
            continue
        local = {v: env.get(v) for v in cc.variables}
        try:
            res = _run(cc, kb, local, [], [], [], [], lang)
        except CalculationError as e:
            labels = [p.reason for p in e.problems]
            for d in targets:
                dims[d].not_computed.append(MissingScore(calculator=c.id, name=name, missing=labels))
            continue
        interp = res.interpretation
        if sparse and not (interp and RISK_ORDER.get(interp.risk, 0) >= RISK_ORDER["moderate"]):
            # a minimum from sparse data is only informative when it is already raised
            labels = [_label(kb.variables[v], lang) for v in own_inputs if v not in known][:8]
            for d in targets:
                dims[d].not_computed.append(MissingScore(calculator=c.id, name=name, missing=labels,
                                                         known_inputs=len(known)))
            continue
        not_given = [a.split("：")[0].split(":")[0] for a in res.assumed] + res.not_assessed
        minimum = c.kind == "score" and bool(not_given)
        score = RiskScore(calculator=c.id, name=name, value=res.value,
                          display=("≥ " + res.display) if minimum else res.display,
                          risk=interp.risk if interp else None, label=interp.label if interp else None,
                          advice=interp.advice if interp else None,
                          minimum=minimum, not_given=not_given, source=c.source)
        for d in targets:
            dims[d].scores.append(score)
        if interp and RISK_ORDER.get(interp.risk, 0) >= RISK_ORDER["high"]:
            alerts.append(score)
    out_dims = []
    for d in dims.values():
        if not d.scores and not d.not_computed:
            continue
        d.not_computed.sort(key=lambda m: (len(m.missing), -m.known_inputs))
        risks = [s.risk for s in d.scores if s.risk]
        d.highest_risk = max(risks, key=lambda r: RISK_ORDER.get(r, 0)) if risks else None
        out_dims.append(d)
    alerts.sort(key=lambda s: -RISK_ORDER.get(s.risk or "info", 0))
    txt = _TEXT[lang]
    n = sum(len(d.scores) for d in dims.values())
    if n == 0:
        summary = txt["none"]
    elif alerts:
        seen: list[str] = []
        for a in alerts:
            part = txt["score_part"].format(name=a.name, display=a.display, label=a.label)
            if part not in seen:
                seen.append(part)
        summary = txt["computed"].format(n=n) + " " + txt["alerts"].format(x=txt["sep"].join(seen))
    else:
        summary = txt["ok"].format(n=n)
    return RiskReport(language=lang, dimensions=out_dims, alerts=alerts, inputs=records,
                      from_complaint=from_complaint, unused_inputs=unused, problems=problems, summary=summary,
                      elapsed_ms=round((time.perf_counter() - t0) * 1000, 3))
