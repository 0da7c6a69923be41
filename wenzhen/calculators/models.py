"""Public models of the calculators: results, input values, errors, the catalogue."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..kb.base import Text

Language = Literal["zh", "en"]


class Problem(BaseModel):
    input: str = Field(description="the input as given, or the variable id when it was missing")
    var: str | None = Field(default=None, description="the variable it was read as")
    reason: str


class CalculationError(ValueError):
    """Inputs that cannot give a result: missing, impossible or unreadable (each one named)."""

    def __init__(self, calculator: str, problems: list[Problem]):
        self.calculator = calculator
        self.problems = problems
        super().__init__(f"{calculator}: " + "; ".join(f"{p.input}: {p.reason}" for p in problems))


class UnknownCalculator(LookupError):
    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" (did you mean: {', '.join(suggestions)})" if suggestions else ""
        super().__init__(f"unknown calculator {name!r}{hint}")


class InputValue(BaseModel):
    var: str
    label: str
    value: Any = Field(description="in the variable's canonical unit (dates ISO)")
    unit: str | None = None
    given: str | None = Field(default=None, description="as given, when converted or renamed")
    origin: Literal["given", "default", "assumed_absent", "derived"] = "given"


class ItemScore(BaseModel):
    id: str
    label: str
    points: float | None = Field(description="None when the item could not be assessed")
    applies: bool = True


class Interpretation(BaseModel):
    risk: str = Field(description="normal/low/moderate/high/very_high/critical/info")
    label: str
    advice: str


class CalculationResult(BaseModel):
    calculator: str
    name: str
    kind: str
    value: float | int | str | None
    display: str = Field(description="value with unit, as a person would read it")
    unit: str | None = None
    components: dict[str, Any] = Field(default_factory=dict, description="parts of a compound result")
    interpretation: Interpretation | None = None
    items: list[ItemScore] = Field(default_factory=list, description="points per item (scores)")
    inputs: list[InputValue] = Field(default_factory=list)
    assumed: list[str] = Field(default_factory=list, description="inputs not given and assumed absent/default")
    not_assessed: list[str] = Field(default_factory=list, description="items without data: the score is a minimum")
    complete: bool = True
    unused_inputs: list[str] = Field(default_factory=list, description="given names this calculator does not use")
    notes: list[str] = Field(default_factory=list)
    formula: str
    source: str
    caveat: str | None = None
    language: Language = "zh"


class InputSpec(BaseModel):
    var: str
    label: Text
    kind: str
    required: bool
    default: Any = None
    unit: str | None = None
    units: list[str] = Field(default_factory=list, description="other accepted units")
    choices: list[str] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None


class CalculatorInfo(BaseModel):
    id: str
    name: Text
    aliases: list[str]
    kind: str
    dimensions: list[str]
    purpose: Text
    inputs: list[InputSpec]
    result_unit: str | None
    formula: str
    source: str
