"""Schema of the record quality-control rules (kb/data/records/): the rule kinds are code, their parameters,
deductions, wording and sources are data a hospital can edit."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Strict, Text
from .schema import ID_PATTERN

RuleKind = Literal[
    "required_section",       # the section is missing or empty
    "max_chars",              # the section is longer than max_chars (主诉 ≤ 20)
    "symptom_and_duration",   # the section names no symptom or no duration (主诉 = 症状 + 持续时间)
    "diagnosis_for_symptom",  # 主诉 names a diagnosis where the history tells of symptoms (诊断代替症状)
    "chief_in_history",       # a symptom of 主诉 does not appear in 现病史
    "sex_specific",           # words that belong to the other sex (月经 in a man's record)
    "age_specific",           # words impossible at this age
    "laterality",             # a body part on the left in one section and on the right in another
    "diagnosis_supported",    # a diagnosis none of whose findings appears in the record
    "diagnosis_coded",        # a diagnosis without a valid ICD-10 code
    "allergy_vs_prescription",  # a medicine prescribed that the recorded allergy rules out
    "deadline",               # a document written later than allowed after its event
    "placeholder",            # template text left in (XXX, 待补充, 同上)
]


class QCRule(Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: RuleKind
    record_kinds: list[Literal["outpatient", "admission"]] = Field(default_factory=list, description="empty = all")
    section: str | None = Field(default=None, description="the section it checks (a name of sections.yaml)")
    sections: list[str] = Field(default_factory=list, description="sections it reads (laterality, support, placeholders)")
    max_chars: int | None = Field(default=None, ge=1)
    document: str | None = Field(default=None, description="deadline: the document type (the admission record, …)")
    after_event: str | None = Field(default=None, description="deadline: admission, discharge, or an events key")
    within_hours: float | None = Field(default=None, gt=0)
    points: float = Field(ge=0, le=100, description="deducted from 100 for each defect")
    veto: bool = Field(default=False, description="a single-item veto: the record cannot rank above the lowest grade")
    severity: Literal["major", "minor"] = "minor"
    message: Text
    fix: Text
    source: str = Field(min_length=3)
    review: bool = True


class Grade(Strict):
    grade: str
    min_score: float = Field(ge=0, le=100)


class AgeTerm(Strict):
    term: str
    min_age: float | None = None
    max_age: float | None = None


class QCPolicy(Strict):
    """Grades, section names and the word lists the rules read."""
    grades: list[Grade] = Field(min_length=1, description="highest first")
    sections: dict[Literal["outpatient", "admission"], list[str]]
    section_aliases: dict[str, list[str]] = Field(default_factory=dict, description="other headings for a section")
    sex_terms: dict[Literal["female", "male"], list[str]]
    age_terms: list[AgeTerm] = Field(default_factory=list)
    past_sections: list[str] = Field(default_factory=list, description="past history: there only a minimum age applies "
                                     "(neonatal jaundice is history at any age; prostate enlargement at 25 is not)")
    chief_diagnosis_allowed: list[str] = Field(default_factory=list, description="words that allow a diagnosis in the chief "
                                               "complaint (admitted for planned treatment: chemotherapy, follow-up)")
    sides: dict[Literal["left", "right"], list[str]]
    sites: list[str] = Field(min_length=1, description="body parts that have a side")
    site_suffixes: list[str] = Field(default_factory=list, description="endings that name the same site (knee joint = knee)")
    placeholders: list[str] = Field(default_factory=list, description="one-character ones count only as a whole section")
    normal_after_site: str = Field(description="words after a sided site that describe it as normal (not a side of the illness)")
    symptom_markers: str = Field(description="characters or words that make a complaint a symptom when the lexicon misses it")
    diagnosis_section: str = Field(description="the section that holds the diagnoses when they are not listed apart")
    duration_pattern: str = Field(description="how a duration is written (3 days, 2 hours, half a year)")
    source: str = Field(min_length=3)
