"""wenzhen's deterministic capabilities as tools: one table used both for the model's function calling and for the
MCP server (`wenzhen mcp`). Each tool takes JSON arguments and returns JSON; a bad argument gives {"error": …}."""
from __future__ import annotations

import json
from collections.abc import Callable

from pydantic import ValidationError


def _assess(text: str, age: float | None = None, sex: str | None = None, language: str = "auto") -> dict:
    from ..assessment import AssessRequest, assess_request

    a = assess_request(AssessRequest(text=text, age=age, sex=sex, language=language))
    return {"triage_level": a.triage.triage_level, "level": a.triage.level_name.model_dump(),
            "disposition": a.triage.disposition_text.model_dump(),
            "reasons": [r.reason.model_dump() for r in a.triage.rules_fired],
            "department": a.department.department.name.model_dump(),
            "likely": [{"id": c.id, "name": c.name.model_dump(), "likelihood": c.likelihood} for c in a.differential.likely],
            "cant_miss": [c.name.model_dump() for c in a.differential.cant_miss],
            "what_to_do_now": a.advice.what_to_do_now, "seek_care_if": a.advice.seek_care_if}


def _report(text: str, sex: str | None = None, age: float | None = None) -> dict:
    from ..kb.lab_loader import default_lab_kb
    from ..reports import interpret_report, parse_text

    kb = default_lab_kb()
    parsed = parse_text(text, kb)
    if sex:
        parsed.patient.sex = sex
    if age is not None:
        parsed.patient.age_years = age
    r = interpret_report(parsed, kb=kb)
    return {"summary": r.summary, "urgency": r.urgency, "departments": r.departments,
            "critical": [it.name + " " + it.value_text for it in r.items if it.critical],
            "abnormal": [f"{it.name} {it.value_text} {it.flag}" for it in r.items if it.flag not in ("normal", "unknown")],
            "patterns": [p.name for p in r.patterns], "next_steps": r.next_steps}


def _meds(drugs: list, patient: dict | None = None, language: str = "zh") -> dict:
    from ..medications import check_medications

    res = check_medications(patient or {}, drugs, language=language)
    return {"summary": res.summary, "findings": [{"severity": f.severity, "message": f.message, "what_to_do": f.what_to_do}
                                                 for f in res.findings]}


def _calc(calculator: str, inputs: dict, language: str = "zh") -> dict:
    from ..calculators import calculate

    return calculate(calculator, inputs, language=language).model_dump(mode="json")


def _scale(scale: str, answers: dict, language: str = "zh") -> dict:
    from ..scales import score_scale

    return score_scale(scale, answers, language=language).model_dump(mode="json")


def _convert(variable: str, value: float | str, to_unit: str | None = None) -> dict:
    from ..calculators import convert

    return convert(variable, value, to_unit).model_dump(mode="json")


def _risk(inputs: dict, language: str = "zh") -> dict:
    from ..calculators.risk import assess_risk

    return assess_risk(inputs, language=language).model_dump(mode="json")


# name → (function, description, JSON schema of the arguments)
TOOLS: dict[str, tuple[Callable, str, dict]] = {
    "assess": (_assess, "Triage, department and differential for a complaint in Chinese or English (the engine's "
               "result is authoritative).", {"type": "object", "properties": {
                   "text": {"type": "string"}, "age": {"type": "number"}, "sex": {"type": "string", "enum": ["male", "female"]},
                   "language": {"type": "string", "enum": ["auto", "zh", "en"]}}, "required": ["text"]}),
    "interpret_report": (_report, "Interpret a lab report pasted as text: abnormal and critical values, patterns, "
                         "urgency, next steps.", {"type": "object", "properties": {
                             "text": {"type": "string"}, "sex": {"type": "string", "enum": ["male", "female"]},
                             "age": {"type": "number"}}, "required": ["text"]}),
    "check_medications": (_meds, "Check a medicine list for one patient: allergies, interactions, doses, conditions, "
                          "kidneys, liver, pregnancy, age.", {"type": "object", "properties": {
                              "drugs": {"type": "array", "items": {"type": "string"}},
                              "patient": {"type": "object", "description": "age, sex, weight_kg, egfr, child_pugh, "
                                          "pregnant, breastfeeding, allergies, conditions"},
                              "language": {"type": "string", "enum": ["zh", "en"]}}, "required": ["drugs"]}),
    "calculate": (_calc, "Run a clinical calculator by id (cha2ds2_vasc, egfr_ckd_epi_2021, bmi, curb_65 …) with its "
                  "inputs.", {"type": "object", "properties": {
                      "calculator": {"type": "string"}, "inputs": {"type": "object"},
                      "language": {"type": "string", "enum": ["zh", "en"]}}, "required": ["calculator", "inputs"]}),
    "risk_report": (_risk, "A multi-dimensional risk report from a person's measurements and history.",
                    {"type": "object", "properties": {"inputs": {"type": "object"},
                                                      "language": {"type": "string", "enum": ["zh", "en"]}},
                     "required": ["inputs"]}),
    "score_scale": (_scale, "Score a health scale (psqi, isi, ess, stop_bang, phq9, gad7) from its answers.",
                    {"type": "object", "properties": {"scale": {"type": "string"}, "answers": {"type": "object"},
                                                      "language": {"type": "string", "enum": ["zh", "en"]}},
                     "required": ["scale", "answers"]}),
    "convert_unit": (_convert, "Convert a measurement between units (creatinine 1.4 mg/dL → μmol/L).",
                     {"type": "object", "properties": {"variable": {"type": "string"}, "value": {"type": ["number", "string"]},
                                                       "to_unit": {"type": "string"}}, "required": ["variable", "value"]}),
}


def openai_tools() -> list[dict]:
    """The tools in the OpenAI function-calling format."""
    return [{"type": "function", "function": {"name": n, "description": d, "parameters": schema}}
            for n, (_, d, schema) in TOOLS.items()]


def call_tool(name: str, arguments: str | dict) -> dict:
    """Run a tool; errors (unknown tool, bad JSON, invalid arguments) come back as {"error": reason}."""
    if name not in TOOLS:
        return {"error": f"unknown tool {name!r}; available: {', '.join(TOOLS)}"}
    try:
        args = json.loads(arguments) if isinstance(arguments, str) else dict(arguments or {})
        return TOOLS[name][0](**args)
    except (json.JSONDecodeError, TypeError, ValueError, ValidationError, KeyError) as e:
        return {"error": f"{name}: {type(e).__name__}: {e}"}
