"""Schema of the report knowledge base (lab items, report categories, imaging conclusions).

Kept apart from the assessment schema so that `assess` never pays for loading it.
Every fact carries a `source`; unknown keys are rejected.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .schema import ID_PATTERN, Strict, Text

Sex = Literal["male", "female"]

# How soon an abnormal result should be acted on (patient-facing wording in messages).
Urgency = Literal[
    "emergency",  # go to the emergency department now (critical values)
    "prompt",  # see a doctor within a few days
    "routine",  # bring it to the next clinic visit / check-up
    "recheck",  # usually harmless: recheck at the next test
]
URGENCY_ORDER = {"recheck": 0, "routine": 1, "prompt": 2, "emergency": 3}


class UnitConversion(Strict):
    """value_in_canonical_unit = value * factor (molar mass conversions etc.)."""

    unit: str = Field(description="spelling as printed, e.g. mg/dL; normalised by the unit parser")
    factor: float = Field(gt=0)
    source: str = Field(min_length=3)


class ReferenceInterval(Strict):
    """A reference interval for one population: ages in years, max_age exclusive."""

    sex: Sex | None = None
    min_age: float | None = Field(default=None, ge=0)
    max_age: float | None = Field(default=None, gt=0)
    low: float | None = None
    high: float | None = None
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _bounds(self):
        if self.low is None and self.high is None:
            raise ValueError("a reference interval needs low or high")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("low > high")
        return self


class DecisionBand(Strict):
    """A guideline decision band [low, high): e.g. FPG 6.1–<7.0 = impaired fasting glucose."""

    low: float | None = None
    high: float | None = None
    flag: Literal["normal", "borderline", "high", "low"]
    label: Text


class DecisionLimits(Strict):
    bands: list[DecisionBand] = Field(min_length=2)
    source: str = Field(min_length=3)


class Explanation(Strict):
    """What an abnormal direction means, in plain words, and what to do."""

    causes: Text
    advice: Text
    urgency: Urgency
    departments: list[str] = Field(default_factory=list, description="ids from departments.yaml")


class Qualifier(Strict):
    """An item whose meaning needs a word the report may not print: a fasting cut-off applies to a fasting sample."""

    words: list[str] = Field(min_length=1, description="any of these in the row's name or the report's other lines")
    otherwise_name: Text = Field(description="the name shown when none of the words is printed")
    otherwise_high: Explanation | None = Field(default=None, description="the advice for a high value then")
    source: str = Field(min_length=3)


class LabItem(Strict):
    id: str = Field(pattern=ID_PATTERN)
    code: str = Field(description="the abbreviation printed on Chinese reports, e.g. WBC, ALT, HbA1c")
    loinc: str | None = Field(default=None, pattern=r"^\d{1,6}-\d$")
    name: Text
    aliases: list[str] = Field(default_factory=list, description="other names and abbreviations, any language")
    categories: list[str] = Field(min_length=1, description="report category ids")
    kind: Literal["quantitative", "qualitative"] = "quantitative"
    unit: str | None = Field(default=None, description="canonical unit; None for qualitative and ratios")
    conversions: list[UnitConversion] = Field(default_factory=list)
    reference: list[ReferenceInterval] = Field(default_factory=list)
    decision_limits: DecisionLimits | None = None
    expected: Literal["negative", "positive"] | None = Field(
        default=None, description="qualitative items: the normal result")
    normal_results: list[str] = Field(default_factory=list, description="qualitative items reported in words "
                                      "(colour, clarity, consistency): the words that are normal; any other word is abnormal")
    plausible: tuple[float, float] | None = Field(
        default=None, description="physically possible range in the canonical unit; outside → likely misread")
    meaning: Text = Field(description="what the item measures, one plain sentence")
    high: Explanation | None = None
    low: Explanation | None = None
    positive: Explanation | None = Field(default=None, description="qualitative items: an abnormal result")
    source: str = Field(min_length=3)
    review: bool = Field(default=False, description="written from the cited sources but not yet checked by a clinician")
    qualifier: Qualifier | None = Field(default=None, description="a word the item's decision limits need "
                                        "(without it: another name, no guideline band, the advice in otherwise_high)")

    @model_validator(mode="after")
    def _consistent(self):
        if self.kind == "qualitative" and self.expected is None:
            raise ValueError(f"{self.id}: qualitative items need `expected`")
        if self.kind == "quantitative" and not (self.reference or self.decision_limits):
            raise ValueError(f"{self.id}: quantitative items need a reference interval or decision limits")
        return self


class CriticalLimit(Strict):
    """A critical value (危急值): value < low or value > high must be acted on at once."""

    item: str
    low: float | None = None
    high: float | None = None
    positive: bool = Field(default=False, description="qualitative: any positive result is critical")
    above_reference: bool = Field(default=False, description="critical whenever above the interval in use (troponin)")
    min_age: float | None = None
    max_age: float | None = None
    note: Text | None = None
    source: str = Field(min_length=3)


class ReportCategory(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    aliases: list[str] = Field(default_factory=list, description="headings printed on reports")
    specimens: list[str] = Field(default_factory=list, description="words naming this panel's specimen, on a "
                                 "specimen line or in a row's name (urine, microscopy)")
    kind: Literal["lab", "imaging"] = "lab"
    description: Text
    source: str = Field(min_length=3)


class ItemCondition(Strict):
    item: str = Field(description="a lab item id, or a value the report derives (egfr, corrected_sodium, "
                      "effective_osmolality)")
    flag: Literal["high", "low", "abnormal", "positive", "normal"] | None = None
    above: float | None = Field(default=None, description="met when the value (canonical unit) is at least this")
    below: float | None = Field(default=None, description="met when the value (canonical unit) is under this")
    results: list[str] = Field(default_factory=list, description="met when the result is one of these words (a colour)")

    @model_validator(mode="after")
    def _something(self):
        if self.flag is None and self.above is None and self.below is None and not self.results:
            raise ValueError(f"condition on {self.item}: give a flag, above or below")
        return self


class LabPattern(Strict):
    """A pattern across items, e.g. low Hb + low MCV → iron-deficiency pattern."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    all_of: list[ItemCondition] = Field(default_factory=list)
    any_of: list[ItemCondition] = Field(default_factory=list)
    none_of: list[ItemCondition] = Field(default_factory=list)
    explanation: Text
    urgency: Urgency
    departments: list[str] = Field(default_factory=list)
    source: str = Field(min_length=3)
    review: bool = Field(default=False, description="written from the cited sources but not yet checked by a clinician")

    @model_validator(mode="after")
    def _needs_a_condition(self):
        if not (self.all_of or self.any_of):
            raise ValueError(f"{self.id}: a pattern needs all_of or any_of")
        return self


class TrendRule(Strict):
    """A change between two reports of one person that means something a single report cannot show (creatinine up
    by 26.5 μmol/L within 48 h: acute kidney injury, not chronic kidney disease)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    item: str = Field(description="a lab item id")
    within_hours: float = Field(gt=0, description="the two results at most this far apart")
    rise_at_least: float | None = Field(default=None, description="later − earlier ≥ this (canonical unit)")
    ratio_at_least: float | None = Field(default=None, description="later / earlier ≥ this")
    explanation: Text
    urgency: Urgency
    departments: list[str] = Field(default_factory=list)
    source: str = Field(min_length=3)
    review: bool = False

    @model_validator(mode="after")
    def _needs_a_change(self):
        if self.rise_at_least is None and self.ratio_at_least is None:
            raise ValueError(f"{self.id}: give rise_at_least or ratio_at_least")
        return self


class MedicationNote(Strict):
    """An item that bears on a common drug (e.g. potassium and ACE inhibitors)."""

    id: str = Field(pattern=ID_PATTERN)
    item: str
    flags: list[Literal["high", "low", "positive", "any"]] = Field(min_length=1)
    drug_classes: list[str] = Field(default_factory=list, description="drug_class values of medications.yaml")
    medications: list[str] = Field(default_factory=list, description="medication ids")
    note: Text
    source: str = Field(min_length=3)


class ImagingGrade(Strict):
    grade: str = Field(description="as printed: 0, 1, 2, 3, 4A, 4B, 4C, 5, 6")
    meaning: Text
    advice: Text
    urgency: Urgency


class ImagingSystem(Strict):
    """A reporting system such as BI-RADS, TI-RADS or Lung-RADS."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    pattern: str = Field(description="regex with one group capturing the grade, e.g. BI-?RADS\\s*([0-6][abcABC]?)")
    category: str
    departments: list[str] = Field(default_factory=list)
    grades: list[ImagingGrade] = Field(min_length=2)
    source: str = Field(min_length=3)


class SizeRule(Strict):
    """What a finding of at least this size calls for (nodule and polyp follow-up)."""

    min_mm: float = Field(ge=0)
    urgency: Urgency
    advice: Text


class ImagingFinding(Strict):
    """A finding named in an imaging conclusion (脂肪肝, 肝囊肿, 甲状腺结节 …)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    terms: list[str] = Field(min_length=1, description="words that name it in a conclusion (zh and en)")
    category: str
    size_rule: list[SizeRule] = Field(default_factory=list, description="the largest matching min_mm applies")
    meaning: Text
    advice: Text
    urgency: Urgency
    departments: list[str] = Field(default_factory=list)
    source: str = Field(min_length=3)


class LabPolicy(Strict):
    """Settings of report interpretation that are medical facts (labs/policy.yaml)."""

    adult_age_years: float = Field(ge=0, description="from this age adult reference intervals and eGFR apply")
    max_plausible_age_years: float = Field(gt=0, description="an age above this, read from a complaint, is not used")
    source: str = Field(min_length=3)
