"""Lab results quoted in a complaint ("Hb 86 g/L", "白细胞15×10^9/L") become findings.

The report module reads the values and flags them against its reference intervals for the
patient's age and sex; each finding's `from_lab` criterion (in the KB) says which flags
establish it. Glucose and potassium also fill the measurements the triage rules read.
"""
from __future__ import annotations

import re

from ..kb import KnowledgeBase
from ..kb.lab_loader import default_lab_kb
from ..reports.interpret import interpret_results
from ..reports.models import InterpretedItem, PatientContext
from ..understanding import ClinicalPicture, Evidence, add_derived_finding

# A lab value needs a number; most complaints have none worth reading as a report.
_HAS_NUMBER = re.compile(r"\d")
# Report items that are measurements the triage rules read directly.
_MEASUREMENT_OF_ITEM = {"glucose_fasting": "glucose_mmol", "glucose_2h": "glucose_mmol", "k": "potassium_mmol"}


def _lab_items(text: str, picture: ClinicalPicture) -> list[InterpretedItem]:
    d = picture.demographics
    limit = default_lab_kb().policy.max_plausible_age_years
    patient = PatientContext(sex=d.sex, age_years=d.age_years if d.age_years is not None and d.age_years <= limit else None)
    try:
        items = interpret_results(text, patient, picture.language)
    except ValueError:  # nothing in it reads as a result
        return []
    return [i for i in items if i.item_id and i.flag not in ("unknown", "normal", "negative")]


def _evidence(text: str, item: InterpretedItem) -> Evidence:
    words = f"{item.printed_name} {item.value_text}".strip()
    start = text.find(item.printed_name) if item.printed_name else -1
    if start < 0:
        return Evidence(text=words, start=0, end=0)
    end = text.find(item.value_text, start)
    end = end + len(item.value_text) if end >= 0 else start + len(item.printed_name)
    return Evidence(text=text[start:end], start=start, end=end)


def derive_from_labs(picture: ClinicalPicture, text: str, kb: KnowledgeBase) -> ClinicalPicture:
    """Add the findings and measurements that lab values in the text establish."""
    if not _HAS_NUMBER.search(text):
        return picture
    items = _lab_items(text, picture)
    if not items:
        return picture
    for item in items:
        vital = _MEASUREMENT_OF_ITEM.get(item.item_id or "")
        if vital and getattr(picture.vitals, vital) is None and item.canonical_value is not None:
            setattr(picture.vitals, vital, item.canonical_value)
            picture.vitals.evidence[vital] = _evidence(text, item)
    have = {f.id for f in picture.findings if f.experiencer == "patient" and f.status != "absent"}
    for fd in kb.findings.values():
        crit = fd.from_lab
        if crit is None or fd.id in have:
            continue
        hit = next((i for i in items if (not crit.items or i.item_id in crit.items) and i.flag in crit.flags), None)
        if hit is None:
            continue
        add_derived_finding(picture, fd, _evidence(text, hit), f"lab:{hit.item_id}")
    return picture
