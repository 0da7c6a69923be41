"""Schema of the drug knowledge base (wenzhen/kb/data/drugs/): medicines common in China with what a prescription
check needs — names and brands, ATC code, classes, dosing limits, renal/hepatic adjustment, pregnancy, lactation,
contraindicated conditions, older adults — and the curated interaction table. Every fact carries its source."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .schema import ID_PATTERN, NamedTerm, Strict, Text

Action = Literal["avoid", "reduce_dose", "caution", "monitor"]


class AdultDose(Strict):
    single_mg: tuple[float, float] | None = Field(default=None, description="usual single dose range, mg")
    max_single_mg: float | None = None
    max_daily_mg: float | None = Field(default=None, description="maximum total per 24 h, mg (all products together)")
    otc_max_daily_mg: float | None = Field(default=None, description="the lower OTC label maximum, when it differs")
    usual_frequency: str | None = Field(default=None, description="qd, bid, tid, q6h … as on the label")


class ChildDose(Strict):
    mg_per_kg: tuple[float, float] | None = Field(default=None, description="usual single dose range, mg/kg")
    max_mg_per_kg_day: float | None = None
    max_single_mg: float | None = Field(default=None, description="never more per dose than an adult's")
    min_age_years: float | None = Field(default=None, description="not for children younger than this")
    usual_frequency: str | None = None


class RenalRule(Strict):
    egfr_below: float = Field(description="applies when eGFR (or CrCl), mL/min/1.73m², is under this")
    action: Action
    note: Text


class HepaticRule(Strict):
    child_pugh: Literal["A", "B", "C"] = Field(description="applies from this Child-Pugh class up")
    action: Action
    note: Text


class ConditionRule(Strict):
    condition: str = Field(description="a condition id of drugs/conditions.yaml")
    action: Action
    note: Text


class Pregnancy(Strict):
    action: Action | Literal["compatible"]
    trimesters: list[Literal[1, 2, 3]] = Field(default_factory=list, description="when only some trimesters")
    note: Text


class Lactation(Strict):
    action: Action | Literal["compatible"]
    note: Text


class Ingredient(Strict):
    drug: str = Field(description="a single-ingredient drug id")
    mg: float = Field(gt=0, description="per tablet, capsule, sachet or the unit the label doses in")


class DrugDef(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text = Field(description="generic name; for a combination product, its generic name")
    brands: list[str] = Field(default_factory=list, description="common brand names in China")
    aliases: list[str] = Field(default_factory=list, description="other names and spellings, any language")
    atc: str | None = Field(default=None, pattern=r"^[A-Z]\d{2}[A-Z]{0,2}\d{0,2}$")
    classes: list[str] = Field(default_factory=list, description="class ids of drugs/classes.yaml (nsaid, "
                               "penicillin…): duplicate therapy, allergy and interaction rules use them")
    otc: bool = False
    essential: bool = Field(default=False, description="on the national essential medicines list (2018)")
    forms: list[str] = Field(default_factory=list, description="forms and strengths as sold")
    ingredients: list[Ingredient] = Field(default_factory=list, description="combination products only")
    unit_mg: float | None = Field(default=None, description="mg in one tablet/capsule of the usual form: a dose "
                                  "given as one tablet is this many mg")
    indications: Text | None = None
    adult: AdultDose | None = None
    child: ChildDose | None = None
    renal: list[RenalRule] = Field(default_factory=list)
    hepatic: list[HepaticRule] = Field(default_factory=list)
    conditions: list[ConditionRule] = Field(default_factory=list, description="contraindications and cautions")
    pregnancy: Pregnancy | None = None
    lactation: Lactation | None = None
    elderly: Text | None = Field(default=None, description="Beers 2023 / Chinese criteria of potentially inappropriate medication: the note for age ≥ 65")
    elderly_severity: Literal["major", "moderate", "minor", "info"] = Field(
        default="moderate", description="how much the older-adult note weighs: info for advice that reassures (a preferred choice)")
    serious_adverse: Text | None = None
    source: str = Field(min_length=3)
    review: bool = Field(default=True, description="written from the cited sources, not yet checked by a pharmacist")

    @model_validator(mode="after")
    def _combination(self):
        if self.ingredients and (self.adult and self.adult.max_daily_mg):
            raise ValueError(f"{self.id}: a combination product's limits are its ingredients'")
        return self


class DrugClass(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    duplicate: bool = Field(default=False, description="two drugs of this class together are duplicate therapy")
    cross_reactive: list[str] = Field(default_factory=list, description="classes an allergy to this one may extend to")
    cross_note: Text | None = None
    source: str = Field(min_length=3)


class ClassMembers(Strict):
    """Members of a class listed in one table rather than on each drug: pharmacokinetic and effect classes (CYP3A4
    substrates, QT-prolonging, nephrotoxic) come from one reference list each, so they are kept and cited together."""
    id: str = Field(description="a class id (classes*.yaml)")
    members: list[str] = Field(min_length=1, description="drug ids")
    source: str = Field(min_length=3)
    review: bool = True


class DrugCondition(NamedTerm):
    """A condition that drug rules name (contraindications, cautions)."""


class Interaction(Strict):
    a: str = Field(description="a drug id or class id")
    b: str = Field(description="a drug id or class id")
    severity: Literal["contraindicated", "major", "moderate", "minor"]
    mechanism: Text
    management: Text
    source: str = Field(min_length=3)
    review: bool = True


class SelfCareOption(Strict):
    """One over-the-counter medicine a self-care plan may suggest; its dose comes from the drug's own entry."""
    drug: str = Field(description="a drug id of the drug knowledge base (an OTC product)")
    use_for: Text = Field(description="the symptom it is for (fever or pain)")
    min_age_years: float | None = Field(default=None, description="not below this age, beyond the drug's own limit")
    max_age_years: float | None = None
    liquid_mg_per_ml: float | None = Field(default=None, description="for children: the liquid's strength, to say mL")
    liquid_name: Text | None = Field(default=None, description="which liquid (paracetamol suspension 32 mg/mL)")
    dose_text: Text | None = Field(default=None, description="how to take it, for products not dosed in mg (ORS)")
    adult_single_mg: tuple[float, float] | None = Field(default=None, description="the OTC label's adult dose when it "
                                                        "is lower than the drug's usual range (paracetamol 0.5 g)")
    max_days: int = Field(ge=1, le=14, description="stop and see a doctor if still needed after this many days")
    note: Text | None = None


class SelfCarePlan(Strict):
    """What a patient with a self-limiting condition can do at home: measures, OTC options, when to stop and see a
    doctor. Only ever offered at triage level IV, and every option passes the medication checks for the patient."""
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    conditions: list[str] = Field(min_length=1, description="condition ids (conditions/*.yaml) this plan serves")
    measures: list[Text] = Field(min_length=1, description="what to do without medicines")
    options: list[SelfCareOption] = Field(default_factory=list)
    see_doctor_if: list[Text] = Field(min_length=1, description="when to stop self-care and see a doctor")
    source: str = Field(min_length=3)
    review: bool = True
