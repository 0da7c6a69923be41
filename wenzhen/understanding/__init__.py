"""Clinical understanding: colloquial Chinese or English text → structured findings (SPEC 1)."""
from .extract import add_derived_finding, age_band, derive_from_vitals, measured_findings, understand, understand_with_mentions
from .models import (
    Allergy,
    ClinicalPicture,
    Demographics,
    Evidence,
    Finding,
    Medication,
    Pregnancy,
    VitalSigns,
)

__all__ = [
    "understand", "understand_with_mentions", "derive_from_vitals", "measured_findings", "add_derived_finding", "age_band", "ClinicalPicture", "Finding", "Evidence", "VitalSigns", "Demographics",
    "Medication", "Allergy", "Pregnancy",
]
