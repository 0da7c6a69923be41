"""Public models of the health scales: results, the catalogue, errors."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..kb.base import Text

Language = Literal["zh", "en"]


class Problem(BaseModel):
    item: str = Field(description="item id (or the key as given, when it names no item)")
    given: Any = Field(default=None, description="the answer as given (None when missing)")
    reason: str


class Safety(BaseModel):
    alert: bool = False
    message: str | None = None
    rules: list[str] = Field(default_factory=list, description="ids of the safety rules that fired")
    source: str | None = None


class ScaleError(ValueError):
    """Answers that cannot be scored: every missing or invalid answer is named with its reason.

    `safety` is set when a safety rule fired on the answers that could be read (e.g. PHQ-9 item 9):
    the alert must still be shown even though no score could be given."""

    def __init__(self, scale: str, problems: list[Problem], language: Language = "zh",
                 safety: Safety | None = None):
        self.scale = scale
        self.problems = problems
        self.language = language
        self.safety = safety or Safety()
        head = "无法计分" if language == "zh" else "cannot score"
        sep = "；" if language == "zh" else "; "
        msg = f"{scale}: {head}: " + sep.join(f"{p.item}: {p.reason}" for p in problems)
        if self.safety.alert and self.safety.message:
            msg = f"{self.safety.message}\n{msg}"
        super().__init__(msg)


class UnknownScale(ScaleError, LookupError):
    def __init__(self, name: str, known: list[str], language: Language = "zh"):
        self.name = name
        self.known = known
        reason = (f"未知量表，可用：{', '.join(known)}" if language == "zh"
                  else f"unknown scale; known: {', '.join(known)}")
        super().__init__(str(name), [Problem(item="scale", given=name, reason=reason)], language)


class Answer(BaseModel):
    item: str
    value: float | str | None = Field(description="points (choice), number, 'HH:MM' (time) or text")
    label: str | None = Field(default=None, description="the chosen option's label")
    given: Any = None


class ComponentScore(BaseModel):
    id: str
    name: str
    score: float | int | None = Field(description="None when it could not be computed")
    max: float | int | None = None
    reason: str | None = Field(default=None, description="why it could not be computed")
    rule: str | None = None
    details: dict[str, float | int | None] = Field(
        default_factory=dict, description="intermediate values (e.g. sleep efficiency %)")


class Interpretation(BaseModel):
    risk: str = Field(description="normal/low/moderate/high/very_high/critical")
    label: str
    source: str
    override: str | None = Field(default=None, description="the override rule that raised the band, if any")
    band: str | None = Field(default=None, description="the total's own band label (differs when overridden)")


class CutoffResult(BaseModel):
    id: str
    label: str
    threshold: str = Field(description="e.g. '> 7'")
    positive: bool | None = Field(description="total at/above the cut-off; None when no total")
    meaning: str
    source: str


class Advice(BaseModel):
    id: str
    text: str
    source: str


class ScaleResult(BaseModel):
    scale: str
    abbreviation: str
    name: str
    language: Language
    total: float | int | None = Field(description="None when it could not be computed (see total_reason)")
    total_min: float | int
    total_max: float | int
    total_reason: str | None = None
    complete: bool = Field(description="every scored item was answered")
    components: list[ComponentScore] = Field(default_factory=list)
    interpretation: Interpretation | None = None
    cutoffs: list[CutoffResult] = Field(default_factory=list)
    advice: list[Advice] = Field(default_factory=list)
    safety: Safety = Field(default_factory=Safety)
    answers: list[Answer] = Field(default_factory=list)
    missing: list[Problem] = Field(default_factory=list, description="scored items not answered")
    invalid: list[Problem] = Field(default_factory=list, description="always empty: invalid answers raise ScaleError")
    unused: list[str] = Field(default_factory=list, description="given keys that name no item of this scale")
    notes: list[str] = Field(default_factory=list)
    scoring: str
    caveat: str | None = None
    source: str


class OptionInfo(BaseModel):
    value: float | int
    label: Text


class ItemInfo(BaseModel):
    id: str
    aliases: list[str]
    text: Text
    kind: str
    options: list[OptionInfo] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    unit: Text | None = None
    scored: bool
    note: Text | None = None


class BandInfo(BaseModel):
    range: str
    risk: str
    label: Text
    source: str


class ScaleInfo(BaseModel):
    id: str
    abbreviation: str
    name: Text
    aliases: list[str]
    purpose: Text
    timeframe: Text
    instructions: Text | None = None
    items: list[ItemInfo]
    components: list[str] = Field(default_factory=list)
    total_min: float | int
    total_max: float | int
    bands: list[BandInfo]
    has_safety_rule: bool
    scoring: Text
    copyright: str | None = None
    source: str
