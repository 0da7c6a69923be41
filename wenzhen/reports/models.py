"""Models of report interpretation, shared by the Python API, the REST schema and the CLI's JSON."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from wenzhen.kb.lab_schema import Urgency

Flag = Literal["normal", "high", "low", "critical_high", "critical_low", "positive", "negative", "abnormal", "unknown"]
Language = Literal["zh", "en"]


class ReportReadError(ValueError):
    """The input could not be read as a report; the message says what and why."""


class RawResult(BaseModel):
    """One result row as read from the input, before normalisation."""

    name: str
    value_text: str
    unit: str | None = None
    interval_text: str | None = None
    flag_text: str | None = None
    line: str = Field("", description="the text the row was read from")
    confidence: float | None = Field(None, description="OCR confidence of the value, 0–1")
    item_id: str | None = Field(None, description="set when the reader already knows the item (FHIR, LOINC)")
    candidates: list[str] = Field(default_factory=list, description="every item the printed name may stand for, "
                                  "the default first; resolved from the panel (reports/panels.py)")
    section: str | None = Field(None, description="report category of the heading or specimen line above the row")
    near_name: bool = Field(False, description="the name matched an item's only with one character different")
    by_interval: bool = Field(False, description="the name was not legible on the photo: the item is the only one "
                              "whose reference interval, unit and name length fit the row (reports/panels.py)")
    unit_as_printed: str | None = Field(None, description="a photo's unit read with a letter lost or changed (g/l "
                                        "for μg/L): `unit` is then the item's own, and this what was read")
    doubtful: bool = Field(False, description="the result may have been lost by OCR (what was read may be the "
                           "reference)")
    qualified: bool | None = Field(None, description="the report prints the word the item's meaning needs (fasting); "
                                   "None for items that need none")


class PatientContext(BaseModel):
    sex: Literal["male", "female"] | None = None
    age_years: float | None = Field(None, ge=0, le=130)
    medications: list[str] = Field(default_factory=list, description="names of current medicines, any language")
    pregnant: bool | None = None


class ParsedReport(BaseModel):
    results: list[RawResult] = Field(default_factory=list)
    text_lines: list[str] = Field(default_factory=list, description="lines that are not results (headings, conclusions)")
    patient: PatientContext = Field(default_factory=PatientContext)
    date: str | None = None
    source_format: str = "text"
    warnings: list[str] = Field(default_factory=list)


class Interval(BaseModel):
    low: float | None = None
    high: float | None = None
    text: str = Field(description="as shown to the reader, e.g. 3.5–9.5")
    origin: Literal["report", "standard", "guideline", "expected"] = Field(
        description="report: printed on the report; standard: WS/T etc.; guideline: decision limits")
    source: str = ""
    population: str = Field("", description="e.g. 男 20–59岁")


class ItemExplanation(BaseModel):
    meaning: str
    causes: str = ""
    advice: str = ""
    urgency: Urgency = "recheck"
    departments: list[str] = Field(default_factory=list)


class InterpretedItem(BaseModel):
    item_id: str | None = Field(description="None when the name was not recognised")
    code: str | None = None
    loinc: str | None = None
    name: str = Field(description="standard name in the output language")
    printed_name: str
    categories: list[str] = Field(default_factory=list)
    value: float | None = Field(None, description="in the printed unit")
    value_text: str
    comparator: Literal["<", ">", "<=", ">="] | None = None
    qualitative: str | None = Field(None, description="negative / trace / positive / 1+ … for qualitative results")
    unit: str | None = Field(None, description="printed unit")
    canonical_value: float | None = None
    canonical_unit: str | None = None
    interval: Interval | None = None
    flag: Flag = "unknown"
    critical: bool = False
    guideline_band: str | None = Field(None, description="e.g. 边缘升高 (中国成人血脂异常防治指南)")
    report_flag: str | None = Field(None, description="the arrow or letter printed on the report")
    explanation: ItemExplanation | None = None
    notes: list[str] = Field(default_factory=list)
    line: str = ""
    confidence: float | None = None


class PatternFinding(BaseModel):
    id: str
    name: str
    explanation: str
    items: list[str]
    urgency: Urgency
    departments: list[str] = Field(default_factory=list)
    source: str


class MedicationNoteOut(BaseModel):
    id: str
    item: str
    medication: str
    note: str
    source: str


class DerivedValue(BaseModel):
    id: str
    name: str
    value: float
    unit: str
    flag: Flag
    band: str | None = None
    formula: str
    source: str
    inputs: dict[str, float | str]


class ImagingConclusion(BaseModel):
    kind: Literal["system", "finding"]
    id: str
    name: str
    grade: str | None = None
    size_mm: float | None = None
    text: str = Field(description="the sentence it was read from")
    meaning: str
    advice: str
    urgency: Urgency
    departments: list[str] = Field(default_factory=list)
    negated: bool = False
    source: str


class ReportInterpretation(BaseModel):
    language: Language
    patient: PatientContext
    date: str | None = None
    source_format: str
    items: list[InterpretedItem]
    abnormal: list[str] = Field(description="printed names of abnormal items, most urgent first")
    critical: list[str] = Field(default_factory=list)
    derived: list[DerivedValue] = Field(default_factory=list)
    patterns: list[PatternFinding] = Field(default_factory=list)
    medication_notes: list[MedicationNoteOut] = Field(default_factory=list)
    imaging: list[ImagingConclusion] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list, description="report categories present")
    urgency: Urgency
    departments: list[str] = Field(default_factory=list)
    summary: str
    next_steps: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    disclaimer: str
    kb_version: str


class TrendPoint(BaseModel):
    date: str | None
    value: float | None
    value_text: str
    flag: Flag


class ItemTrend(BaseModel):
    item_id: str
    name: str
    unit: str | None
    points: list[TrendPoint]
    direction: Literal["rising", "falling", "stable", "mixed", "single"]
    change_percent: float | None = None
    persistent_abnormal: bool = False
    comment: str


class TrendAlert(BaseModel):
    id: str
    name: str
    explanation: str
    urgency: str
    departments: list[str] = Field(default_factory=list)
    earlier: TrendPoint
    later: TrendPoint
    source: str


class TrendReport(BaseModel):
    language: Language
    reports: int
    trends: list[ItemTrend]
    alerts: list[TrendAlert] = Field(default_factory=list, description="changes that mean something (acute kidney injury)")
    summary: str
