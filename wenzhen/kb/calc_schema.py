"""Schema of the calculator knowledge base: patient variables, calculators, interpretation bands.

A calculator is data: its inputs (variables shared by all calculators), its points table
or its formula as a small arithmetic expression, its interpretation bands and its source.
Only what an expression cannot say well (dates, drug tables summed over many inputs) is a
named Python function in `wenzhen.calculators.functions`. Unknown keys are rejected.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .schema import ID_PATTERN, Strict, Text

VariableKind = Literal["number", "integer", "boolean", "choice", "date"]
Risk = Literal["normal", "low", "moderate", "high", "very_high", "critical", "info"]
RISK_ORDER = {"info": 0, "normal": 0, "low": 1, "moderate": 2, "high": 3, "very_high": 4, "critical": 5}
Dimension = Literal[
    "deterioration", "sepsis", "cardiac", "vte", "bleeding", "falls", "pressure_injury", "renal", "liver",
    "respiratory", "neurology", "stroke", "metabolic", "infection", "surgery", "obstetrics", "medication",
    "anthropometry", "acid_base", "electrolytes", "comorbidity", "gastrointestinal",
]


class UnitDef(Strict):
    """Another unit a variable may arrive in: value_in_canonical = value * factor + offset."""

    unit: str = Field(description="the usual spelling, e.g. mg/dL")
    factor: float = Field(gt=0)
    offset: float = 0.0
    spellings: list[str] = Field(default_factory=list, description="other spellings, compared without case/spaces")
    source: str = Field(min_length=3)


class Choice(Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: Text
    aliases: list[str] = Field(default_factory=list)


class Variable(Strict):
    """A patient fact any calculator may use, in one canonical unit."""

    id: str = Field(pattern=ID_PATTERN)
    label: Text
    kind: VariableKind
    unit: str | None = Field(default=None, description="canonical unit of number/integer variables")
    unit_spellings: list[str] = Field(default_factory=list, description="spellings of the canonical unit")
    units: list[UnitDef] = Field(default_factory=list)
    note_missing_unit: bool = Field(default=True, description="say which unit was assumed when none is given")
    min: float | None = Field(default=None, description="below this the value is impossible")
    max: float | None = Field(default=None, description="above this the value is impossible")
    choices: list[Choice] = Field(default_factory=list)
    yes_no_choices: tuple[str, str] | None = Field(
        default=None, description="(choice for yes/true, choice for no/false) when a yes/no answer is given")
    aliases: list[str] = Field(default_factory=list, description="other names: abbreviations, Chinese, phrasing")
    source: str | None = None

    @model_validator(mode="after")
    def _kind_fields(self):
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"{self.id}: a choice variable needs choices")
        if self.kind != "choice" and self.choices:
            raise ValueError(f"{self.id}: choices on a {self.kind} variable")
        if self.units and self.unit is None:
            raise ValueError(f"{self.id}: units without a canonical unit")
        return self


class Derived(Strict):
    """A value computed from variables (MAP from SBP/DBP), usable by any calculator."""

    id: str = Field(pattern=ID_PATTERN)
    label: Text
    unit: str | None = None
    expr: str
    source: str = Field(min_length=3)


class Case(Strict):
    if_: str = Field(alias="if", description="expression over variables")
    points: float


class Band(Strict):
    """A numeric band; bounds are optional and combine (ge/gt lower, le/lt upper)."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    points: float


class ScoreItem(Strict):
    """One line of a points table. Exactly one of: var+points (yes/no), var+bands, var+choices,
    if+points, cases (the first true case counts), or points_expr."""

    id: str = Field(pattern=ID_PATTERN)
    label: Text
    when: str | None = Field(default=None, description="the item applies only when this is true")
    var: str | None = None
    points: float | None = None
    if_: str | None = Field(default=None, alias="if")
    bands: list[Band] = Field(default_factory=list)
    choices: dict[str, float] = Field(default_factory=dict)
    cases: list[Case] = Field(default_factory=list)
    points_expr: str | None = None

    @model_validator(mode="after")
    def _one_form(self):
        forms = [self.var is not None and self.points is not None and not (self.bands or self.choices),
                 bool(self.bands), bool(self.choices), self.if_ is not None, bool(self.cases),
                 self.points_expr is not None]
        if sum(forms) != 1:
            raise ValueError(f"item {self.id}: give exactly one scoring form")
        if (self.bands or self.choices) and self.var is None:
            raise ValueError(f"item {self.id}: bands/choices need var")
        if self.if_ is not None and self.points is None:
            raise ValueError(f"item {self.id}: if needs points")
        return self


class Input(Strict):
    var: str = Field(description="a variable or derived id")
    required: bool = Field(default=False, description="no result without it")
    default: Any = Field(default=None, description="value assumed when not given (said in the result)")
    aliases: list[str] = Field(default_factory=list, description="names for this input in this calculator only")
    note: Text | None = None


class InterpretationBand(Strict):
    """What a result means; bounds as in Band, optional `if` (e.g. by sex)."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    if_: str | None = Field(default=None, alias="if")
    risk: Risk
    label: Text
    advice: Text


class Calculator(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    aliases: list[str] = Field(default_factory=list, description="other names, incl. MedCalc-Bench's")
    kind: Literal["score", "formula", "conversion", "function"]
    dimensions: list[Dimension] = Field(default_factory=list, description="risk report groups")
    report_when: list[str] = Field(
        default_factory=list, description="yes/no variables: the risk report shows this score only when one is "
        "true (its clinical setting, e.g. atrial_fibrillation); calculate() ignores it")
    report_if: str | None = Field(default=None, description="expression: the risk report skips this score when it "
                                  "is false (e.g. 'age < 16' for a children's score); unknown counts as true")
    purpose: Text
    inputs: list[Input]
    derived: list[Derived] = Field(default_factory=list, description="values local to this calculator")
    items: list[ScoreItem] = Field(default_factory=list, description="points table (kind score)")
    expr: str | None = Field(default=None, description="result expression (kind formula/conversion)")
    function: str | None = Field(default=None, description="named function (kind function)")
    constants: dict[str, Any] = Field(default_factory=dict, description="tables a function reads")
    result_unit: str | None = None
    decimals: int = Field(default=1, ge=0, le=6)
    interpretation: list[InterpretationBand] = Field(default_factory=list)
    formula_text: str = Field(description="the formula or table in words, shown with the result")
    source: str = Field(min_length=5)
    caveat: Text | None = None

    @model_validator(mode="after")
    def _kind_body(self):
        if self.kind == "score" and not self.items:
            raise ValueError(f"{self.id}: a score needs items")
        if self.kind in ("formula", "conversion") and not self.expr:
            raise ValueError(f"{self.id}: a formula needs expr")
        if self.kind == "function" and not self.function:
            raise ValueError(f"{self.id}: kind function needs function")
        return self


class FindingLink(Strict):
    """A finding understood from a complaint (assessment) that sets a variable."""

    finding: str = Field(pattern=ID_PATTERN, description="finding id of wenzhen/kb/data/findings")
    var: str = Field(pattern=ID_PATTERN)
    value: Any = True
    historical_ok: bool = Field(default=True, description="a past finding (history of …) also counts")


class VariablesFile(Strict):
    variables: list[Variable] = Field(default_factory=list)
    derived: list[Derived] = Field(default_factory=list)
    finding_links: list[FindingLink] = Field(default_factory=list)


class CalculatorsFile(Strict):
    calculators: list[Calculator]
