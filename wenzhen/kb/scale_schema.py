"""Schema of the health-scale knowledge base (PSQI, ISI, ESS, STOP-BANG, PHQ-9, GAD-7 …).

A scale is data: its items and answer options (zh + en), its scoring as a list of steps
(an item's value, a sum, hours between two clock times, a percentage — each optionally
banded into points by a table), the total, interpretation bands, cut-offs, personalised
advice rules and safety rules, each with its source. Python keeps only the arithmetic of
the four step kinds. Unknown keys are rejected; cross-references are checked by
`wenzhen.scales.loader` when the files are loaded.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .calc_schema import Risk
from .schema import ID_PATTERN, Strict, Text

ItemKind = Literal["choice", "number", "time", "text"]
Combine = Literal["value", "sum", "hours_between", "percent"]


class Bounds(Strict):
    """Optional numeric bounds that combine (ge/gt lower, le/lt upper, eq exact)."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    eq: float | None = None

    def contains(self, x: float) -> bool:
        return ((self.ge is None or x >= self.ge) and (self.gt is None or x > self.gt)
                and (self.le is None or x <= self.le) and (self.lt is None or x < self.lt)
                and (self.eq is None or x == self.eq))

    def describe(self) -> str:
        parts = [f"{op} {v:g}" for op, v in (("≥", self.ge), (">", self.gt), ("≤", self.le), ("<", self.lt),
                                              ("=", self.eq)) if v is not None]
        return " and ".join(parts) or "any"

    @model_validator(mode="after")
    def _some_bound(self):
        if self.ge is not None and self.gt is not None:
            raise ValueError("give ge or gt, not both")
        if self.le is not None and self.lt is not None:
            raise ValueError("give le or lt, not both")
        return self


class Option(Strict):
    value: float = Field(description="points of this answer")
    label: Text
    aliases: list[str] = Field(default_factory=list, description="other spellings people use for this answer")


class Item(Strict):
    id: str = Field(pattern=ID_PATTERN)
    aliases: list[str] = Field(default_factory=list, description="other keys for this item (dataset columns, q1 …)")
    text: Text
    kind: ItemKind = "choice"
    options: list[Option] = Field(default_factory=list)
    option_set: str | None = Field(default=None, description="a named option list of this scale")
    min: float | None = None
    max: float | None = None
    integer: bool = Field(default=False, description="number items: whole numbers only")
    unit: Text | None = None
    unit_spellings: list[str] = Field(default_factory=list, description="unit words accepted after a number")
    scored: bool = Field(default=True, description="unscored items are optional and never enter the score")
    note: Text | None = None

    @model_validator(mode="after")
    def _kind_fields(self):
        has_options = bool(self.options) or self.option_set is not None
        if self.kind == "choice" and not has_options:
            raise ValueError(f"{self.id}: a choice item needs options or option_set")
        if self.options and self.option_set:
            raise ValueError(f"{self.id}: give options or option_set, not both")
        if self.kind != "choice" and has_options:
            raise ValueError(f"{self.id}: options on a {self.kind} item")
        if self.kind == "number" and (self.min is None or self.max is None):
            raise ValueError(f"{self.id}: a number item needs min and max")
        return self


class ScoreBand(Bounds):
    score: int = Field(ge=0)


class Step(Strict):
    """One scoring step: combine its inputs (items or earlier steps), then band into points."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text | None = None
    of: list[str] = Field(min_length=1)
    combine: Combine = "value"
    missing: Literal["any", "all"] = Field(
        default="any", description="any: not computable when any input is missing; all: only when all are "
        "(the others are summed)")
    bands: list[ScoreBand] = Field(default_factory=list)
    component: bool = Field(default=False, description="reported as a component/subscale")
    decimals: int = Field(default=2, ge=0, le=6, description="rounding of a non-banded value")
    rule: Text | None = Field(default=None, description="the rule in words, shown with the component")
    source: str | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.combine == "value" and len(self.of) != 1:
            raise ValueError(f"{self.id}: combine value takes exactly one input")
        if self.combine in ("hours_between", "percent") and len(self.of) != 2:
            raise ValueError(f"{self.id}: combine {self.combine} takes two inputs")
        if self.missing == "all" and self.combine != "sum":
            raise ValueError(f"{self.id}: missing 'all' only makes sense for a sum")
        if self.component and self.name is None:
            raise ValueError(f"{self.id}: a component needs a name in both languages")
        return self


class Total(Strict):
    of: list[str] = Field(min_length=1)
    min: float
    max: float


class Condition(Bounds):
    """Holds when the value of `of` is known and within the bounds (or, with missing: true, when unknown)."""

    of: str = Field(description="'total', an item id or a step id")
    missing: bool = Field(default=False, description="holds when the value could not be computed")


class InterpretationBand(Bounds):
    risk: Risk
    label: Text
    source: str = Field(min_length=3)


class Override(Strict):
    """Raises the interpretation when all conditions hold (e.g. STOP-BANG: STOP ≥2 plus male)."""

    id: str = Field(pattern=ID_PATTERN)
    when: list[Condition] = Field(min_length=1)
    when_any: list[Condition] = Field(default_factory=list)
    risk: Risk
    label: Text
    source: str = Field(min_length=3)


class Cutoff(Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: Text
    ge: float | None = None
    gt: float | None = None
    meaning: Text = Field(description="what a total at or above the cut-off suggests")
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _one(self):
        if (self.ge is None) == (self.gt is None):
            raise ValueError(f"cutoff {self.id}: give exactly one of ge/gt")
        return self


class AdviceRule(Strict):
    """Advice shown when every `when` condition holds and (if given) any `when_any` condition holds."""

    id: str = Field(pattern=ID_PATTERN)
    when: list[Condition] = Field(default_factory=list)
    when_any: list[Condition] = Field(default_factory=list)
    text: Text
    source: str = Field(min_length=3)


class SafetyRule(Strict):
    """An alert raised regardless of the total when any condition holds.

    Conservative: an answer to an item in `alert_when_unreadable` that is given but cannot be read
    also raises the alert (and missing answers never clear it)."""

    id: str = Field(pattern=ID_PATTERN)
    when_any: list[Condition] = Field(min_length=1)
    alert_when_unreadable: list[str] = Field(default_factory=list)
    message: Text
    source: str = Field(min_length=3)


class Scale(Strict):
    id: str = Field(pattern=ID_PATTERN)
    abbreviation: str
    name: Text
    aliases: list[str] = Field(default_factory=list)
    purpose: Text
    timeframe: Text
    instructions: Text | None = None
    missing: Literal["error", "partial"] = Field(
        default="error", description="error: any missing scored item is an error; partial: parts that need it "
        "are not computable (reason given)")
    option_sets: dict[str, list[Option]] = Field(default_factory=dict)
    items: list[Item] = Field(min_length=1)
    steps: list[Step] = Field(default_factory=list)
    total: Total
    interpretation: list[InterpretationBand] = Field(min_length=1)
    overrides: list[Override] = Field(default_factory=list)
    cutoffs: list[Cutoff] = Field(default_factory=list)
    advice: list[AdviceRule] = Field(min_length=1)
    safety: list[SafetyRule] = Field(default_factory=list)
    scoring: Text = Field(description="how the total is formed, in words")
    caveat: Text | None = None
    copyright: str | None = Field(default=None, description="whose instrument it is and the terms of use")
    source: str = Field(min_length=5)
