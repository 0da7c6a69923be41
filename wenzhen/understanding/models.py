"""What the understanding module returns: structured findings tied to the words they came from."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..kb.base import Text

Status = Literal["present", "absent", "uncertain", "hypothetical"]
Experiencer = Literal["patient", "other"]
Relation = Literal["self", "child", "parent", "spouse", "grandparent", "sibling", "other"]
AVPU = Literal["A", "V", "P", "U"]


def avpu_from_gcs(gcs: float, kb=None) -> str:
    """AVPU band of a Glasgow Coma Scale score (the bands are the triage policy's `avpu_from_gcs`)."""
    from ..kb import get_kb

    bands = (kb or get_kb()).triage_policy.avpu_from_gcs
    for level in ("A", "V", "P"):
        if gcs >= bands[level]:
            return level
    return "U"


class Evidence(BaseModel):
    """The words in the (normalised) input a fact was read from."""

    text: str
    start: int
    end: int


class Finding(BaseModel):
    id: str
    name: Text
    category: str
    status: Status = "present"
    experiencer: Experiencer = "patient"
    historical: bool = False
    onset: Literal["sudden", "gradual"] | None = None
    duration_hours: float | None = None
    duration_text: str | None = None
    severity: Literal["mild", "moderate", "severe"] | None = None
    cues: list[str] = Field(default_factory=list, description="context cues that changed status, experiencer or time")
    evidence: Evidence
    implied_by: str | None = None

    @property
    def affirmed(self) -> bool:
        """Present now in the patient (uncertain counts: when unsure, escalate)."""
        # A past episode of a symptom is not a current one; a known disease stays known (既往高血压).
        past = self.historical and self.category in ("symptom", "sign", "context")
        return self.status in ("present", "uncertain") and self.experiencer == "patient" and not past


class VitalSigns(BaseModel):
    sbp: float | None = Field(default=None, description="systolic blood pressure, mmHg")
    dbp: float | None = Field(default=None, description="diastolic blood pressure, mmHg")
    hr: float | None = Field(default=None, description="heart rate, /min")
    rr: float | None = Field(default=None, description="respiratory rate, /min")
    temp_c: float | None = Field(default=None, description="body temperature, °C")
    spo2: float | None = Field(default=None, description="oxygen saturation, %")
    gcs: float | None = Field(default=None, description="Glasgow Coma Scale, 3–15")
    pain_score: float | None = Field(default=None, description="numeric rating scale, 0–10")
    glucose_mmol: float | None = Field(default=None, description="blood glucose, mmol/L")
    potassium_mmol: float | None = Field(default=None, description="serum potassium, mmol/L (a lab value quoted in the text)")
    shock_index: float | None = Field(default=None, description="heart rate / systolic pressure, derived when both are known")
    gestational_weeks: float | None = Field(default=None, description="weeks of pregnancy, from the pregnancy read in the text")
    weight_kg: float | None = Field(default=None, description="body weight, kg (children's doses are by weight)")
    evidence: dict[str, Evidence] = Field(default_factory=dict)


class Demographics(BaseModel):
    age_years: float | None = None
    age_text: str | None = None
    age_assumed_band: Literal["infant", "child", "adolescent", "adult", "elderly"] | None = Field(
        default=None, description="used when the age is not given but the words imply a band (宝宝 → infant)"
    )
    sex: Literal["female", "male"] | None = None
    subject: Relation = "self"
    subject_text: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Medication(BaseModel):
    id: str
    name: Text
    drug_class: str
    evidence: Evidence


class Allergy(BaseModel):
    allergen_id: str | None
    name: str
    evidence: Evidence


class Pregnancy(BaseModel):
    status: Literal["pregnant", "not_pregnant"]
    gestational_weeks: float | None = None
    evidence: Evidence


class ClinicalPicture(BaseModel):
    """Everything read from one complaint."""

    text: str = Field(description="the normalised text the evidence offsets refer to")
    language: Literal["zh", "en"]
    findings: list[Finding] = Field(default_factory=list)
    vitals: VitalSigns = Field(default_factory=VitalSigns)
    demographics: Demographics = Field(default_factory=Demographics)
    medications: list[Medication] = Field(default_factory=list)
    allergies: list[Allergy] = Field(default_factory=list)
    no_known_allergies: bool = False
    pregnancy: Pregnancy | None = None
    consciousness: AVPU | None = None
    stated_diagnoses: list[Finding] = Field(
        default_factory=list, description="conditions the text names (a report's conclusion, what a doctor said); id = condition id")
    notes: list[str] = Field(default_factory=list, description="what could not be read, in plain words")

    def affirmed_ids(self) -> set[str]:
        return {f.id for f in self.findings if f.affirmed}

    def denied_ids(self) -> set[str]:
        return {f.id for f in self.findings if f.status == "absent" and f.experiencer == "patient"}

    def history_ids(self) -> set[str]:
        """Known diseases and risk factors of the patient (history items are history by nature)."""
        return {
            f.id
            for f in self.findings
            if f.experiencer == "patient" and f.status in ("present", "uncertain")
            and (f.category in ("history", "risk_factor") or f.historical)
        }
