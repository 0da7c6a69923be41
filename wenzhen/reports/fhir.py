"""FHIR R4B: read Observation / Bundle / DiagnosticReport input, write results as a Bundle of Observations.

Built and validated with fhir.resources (R4B models), codes in LOINC where the KB has one.
"""
from __future__ import annotations

import uuid
from typing import Any

from wenzhen.kb.lab_loader import LabKnowledgeBase

from .models import ParsedReport, PatientContext, RawResult, ReportInterpretation, ReportReadError
from .names import name_index

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
INTERP = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
_FLAG_CODES = {
    "high": ("H", "High"), "low": ("L", "Low"), "critical_high": ("HH", "Critical high"),
    "critical_low": ("LL", "Critical low"), "normal": ("N", "Normal"), "positive": ("POS", "Positive"), "abnormal": ("A", "Abnormal"),
    "negative": ("NEG", "Negative"),
}
_UCUM = {"10^9/L": "10*9/L", "10^12/L": "10*12/L", "μmol/L": "umol/L", "μg/L": "ug/L", "mIU/L": "m[IU]/L",
         "U/L": "U/L", "mL/min/1.73m2": "mL/min/{1.73_m2}", "/HPF": "/[HPF]", "/μL": "/uL", "ratio": "{ratio}"}


def parse_fhir(obj: dict[str, Any], kb: LabKnowledgeBase) -> ParsedReport:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.observation import Observation

    try:
        rtype = obj.get("resourceType")
        if rtype == "Bundle":
            bundle = Bundle.model_validate(obj)
            resources = [e.resource for e in bundle.entry or [] if e.resource is not None]
        elif rtype == "Observation":
            resources = [Observation.model_validate(obj)]
        else:  # DiagnosticReport with contained Observations
            from fhir.resources.R4B.diagnosticreport import DiagnosticReport

            resources = list(DiagnosticReport.model_validate(obj).contained or [])
    except ValueError as e:
        raise ReportReadError(f"invalid FHIR {obj.get('resourceType')}: {str(e)[:500]}") from e
    index = name_index(kb)
    by_loinc = {it.loinc: it.id for it in kb.items.values() if it.loinc}
    results: list[RawResult] = []
    patient = PatientContext()
    date = None
    for r in resources:
        rt = r.get_resource_type() if hasattr(r, "get_resource_type") else type(r).__name__
        if rt == "Patient":
            g = getattr(r, "gender", None)
            patient.sex = g if g in ("male", "female") else None
            continue
        if rt != "Observation":
            continue
        item_id = None
        name = (r.code.text if r.code else None) or ""
        for c in (r.code.coding or []) if r.code else []:
            if c.system == LOINC and c.code in by_loinc:
                item_id = by_loinc[c.code]
            name = name or c.display or c.code or ""
        item_id = item_id or (index.lookup(name) if name else None)
        value_text, unit = None, None
        if r.valueQuantity is not None:
            q = r.valueQuantity
            value_text = f"{q.comparator or ''}{q.value}" if q.value is not None else None
            unit = q.unit or q.code
        elif r.valueString is not None:
            value_text = r.valueString
        elif r.valueCodeableConcept is not None:
            value_text = r.valueCodeableConcept.text or next(
                (c.display or c.code for c in r.valueCodeableConcept.coding or []), None)
        if value_text is None:
            continue
        interval = None
        for rr in r.referenceRange or []:
            if rr.text:
                interval = rr.text
            elif rr.low is not None or rr.high is not None:
                lo = rr.low.value if rr.low is not None else None
                hi = rr.high.value if rr.high is not None else None
                interval = f"{lo}-{hi}" if lo is not None and hi is not None else (f"<{hi}" if hi is not None else f">{lo}")
            break
        if date is None and r.effectiveDateTime:
            date = str(r.effectiveDateTime)[:10]
        results.append(RawResult(name=name or (item_id or "?"), value_text=str(value_text), unit=unit,
                                 interval_text=interval, line=f"Observation {r.id or ''}".strip(), item_id=item_id))
    if not results:
        raise ReportReadError("the FHIR input holds no Observation with a value")
    return ParsedReport(results=results, patient=patient, date=date, source_format="fhir")


def to_fhir_bundle(interp: ReportInterpretation, kb: LabKnowledgeBase, patient_ref: str | None = None) -> dict[str, Any]:
    """A collection Bundle: one Observation per result, interpretation codes H/L/HH/LL/POS/NEG."""
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.observation import Observation

    entries = []
    for it in interp.items:
        item = kb.items.get(it.item_id) if it.item_id else None
        coding = []
        if item and item.loinc:
            coding.append({"system": LOINC, "code": item.loinc, "display": item.name.en})
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": str(uuid.uuid4()),
            "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "laboratory"}]}],
            "code": {"coding": coding, "text": it.printed_name} if coding else {"text": it.printed_name},
        }
        if patient_ref:
            obs["subject"] = {"reference": patient_ref}
        if interp.date:
            obs["effectiveDateTime"] = interp.date
        if it.value is not None:
            q: dict[str, Any] = {"value": it.value}
            if it.comparator:
                q["comparator"] = it.comparator
            unit = it.unit or it.canonical_unit
            if unit:
                q["unit"] = unit
                if it.canonical_unit and (not it.unit or it.unit == it.canonical_unit) and it.canonical_unit in _UCUM:
                    q.update(system=UCUM, code=_UCUM[it.canonical_unit])
            obs["valueQuantity"] = q
        else:
            obs["valueString"] = it.value_text
        if it.flag in _FLAG_CODES:
            code, display = _FLAG_CODES[it.flag]
            obs["interpretation"] = [{"coding": [{"system": INTERP, "code": code, "display": display}]}]
        if it.interval:
            rr: dict[str, Any] = {"text": f"{it.interval.text} ({it.interval.source})".strip()}
            if it.interval.low is not None:
                rr["low"] = {"value": it.interval.low}
            if it.interval.high is not None:
                rr["high"] = {"value": it.interval.high}
            obs["referenceRange"] = [rr]
        if it.explanation and it.explanation.advice:
            obs["note"] = [{"text": it.explanation.advice}]
        entries.append({"fullUrl": f"urn:uuid:{obs['id']}", "resource": Observation.model_validate(obs)})
    bundle = Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
    import json

    return json.loads(bundle.model_dump_json(exclude_none=True))
