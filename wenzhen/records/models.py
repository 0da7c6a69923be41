"""A medical record as wenzhen drafts and checks it: the sections of 《病历书写基本规范》 by their Chinese names (the
names are data: kb/data/records/sections.yaml), the diagnoses with ICD-10 codes, the prescriptions, and the times of
the documents a quality check holds to deadlines."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

RecordKind = Literal["outpatient", "admission"]


class Diagnosis(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    icd10: str | None = Field(default=None, max_length=32, description="national clinical edition 2.0 code, e.g. J18.900")


class Document(BaseModel):
    """One dated document of an inpatient stay (入院记录, 首次病程记录, 上级医师首次查房记录, 抢救记录, 出院记录)."""
    type: str = Field(min_length=1, max_length=40)
    written_at: datetime | None = None


class Patient(BaseModel):
    age: float | None = Field(default=None, ge=0, le=125)
    sex: Literal["female", "male"] | None = None


class SourceLink(BaseModel):
    """Where a drafted sentence came from: the utterances of the consultation it rests on."""
    section: str
    sentence: str
    utterances: list[int] = Field(default_factory=list)


class MedicalRecord(BaseModel):
    model_config = {"extra": "forbid"}
    id: str = Field(default="", max_length=100)
    kind: RecordKind = "outpatient"
    department: str | None = Field(default=None, max_length=100)
    doctor: str | None = Field(default=None, max_length=100)
    patient: Patient = Field(default_factory=Patient)
    sections: dict[str, str] = Field(default_factory=dict, description="section name (in Chinese: chief complaint, history, …) → its text")
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    prescriptions: list[str] = Field(default_factory=list, description="medicines ordered, as written (amoxicillin 0.5g tid)")
    admitted_at: datetime | None = None
    events: dict[str, datetime] = Field(default_factory=dict, description="other dated events (a rescue's end)")
    documents: list[Document] = Field(default_factory=list)
    sources: list[SourceLink] = Field(default_factory=list, description="for drafts: each sentence's utterances")
    missing: list[str] = Field(default_factory=list, description="for drafts: sections the sources say nothing about")
