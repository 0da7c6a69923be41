"""Schema of the interview's question templates (kb/data/interview/*.yaml): what a good triage nurse asks about a
complaint, in order, with quick replies. Questions about findings name them (`about`) so the answer is read by the
understanding module like any dialogue turn; the engine adds questions of its own from the differential."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .base import Strict, Text
from .schema import ID_PATTERN, AgeBand, Sex

Slot = Literal[
    "onset", "duration", "site", "character", "radiation", "timing", "severity", "aggravating", "relieving",
    "associated", "red_flags", "exposure", "history", "medications", "allergies", "pregnancy", "child",
]
# Facts of the picture that make a question unnecessary when already known.
KnownFact = Literal["onset", "duration", "severity", "site", "age", "sex", "weight", "temperature", "allergies",
                    "medications", "history", "pregnancy"]


class TemplateQuestion(Strict):
    id: str = Field(pattern=ID_PATTERN)
    slot: Slot
    ask: Text = Field(description="the question, plain and kind; one thing at a time")
    options: list[Text] = Field(default_factory=list, max_length=10, description="quick replies")
    about: list[str] = Field(default_factory=list, description="finding ids the answer settles (present/absent); the "
                             "question names each in words the understanding module reads")
    skip_if: list[KnownFact] = Field(default_factory=list, description="known facts that make the question unnecessary")
    checklist: bool = Field(default=False, description="asks about several findings at once (IMCI's general danger "
                            "signs): the answer names those present, or says none; a bare yes to danger signs counts "
                            "as all of them")
    sex: Sex | None = Field(default=None, description="only for this sex (pregnancy: female)")
    min_age_years: float | None = None
    max_age_years: float | None = None


    @field_validator("checklist")
    @classmethod
    def _several(cls, v: bool, info) -> bool:
        if v and len(info.data.get("about") or []) < 2:
            raise ValueError("a checklist asks about at least two findings")
        return v


class InterviewTemplate(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    complaints: list[str] = Field(default_factory=list, description="finding ids of the chief complaint this template "
                                  "serves; empty = every complaint (general questions, asked last)")
    ages: list[AgeBand] = Field(default_factory=list, description="age bands it serves; empty = all")
    source: str = Field(min_length=3)
    review: bool = True
    questions: list[TemplateQuestion] = Field(min_length=1)

    @field_validator("questions")
    @classmethod
    def _unique(cls, v: list[TemplateQuestion]) -> list[TemplateQuestion]:
        ids = [q.id for q in v]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate question ids: {sorted(dup)}")
        return v
