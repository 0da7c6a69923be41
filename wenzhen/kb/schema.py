"""Schema of the knowledge base. Every fact carries a `source`; unknown keys are rejected."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from .base import Strict, Text, TextList  # noqa: F401  (Text is part of this schema's public names)

ID_PATTERN = r"^[a-z][a-z0-9_]*$"

FindingCategory = Literal[
    "symptom",  # what the patient feels
    "sign",  # what can be seen or measured
    "history",  # a known disease or past event (高血压, 糖尿病, 手术史)
    "risk_factor",  # exposure or state that changes risk (吸烟, 长途飞行, 妊娠)
    "context",  # circumstance of the complaint (外伤, 进食后)
]

System = Literal[
    "general", "cardiovascular", "respiratory", "gastrointestinal", "hepatobiliary",
    "renal_urinary", "neurological", "psychiatric", "musculoskeletal", "skin", "ent",
    "eye", "endocrine", "hematologic", "reproductive_female", "reproductive_male",
    "obstetric", "pediatric", "trauma", "toxicology", "infectious", "dental",
]

AgeBand = Literal["infant", "child", "adolescent", "adult", "elderly"]
Sex = Literal["female", "male"]


VitalName = Literal["hr", "sbp", "dbp", "rr", "temp_c", "spo2", "gcs", "pain_score", "glucose_mmol", "potassium_mmol", "shock_index",
                    "gestational_weeks"]


class VitalCriterion(Strict):
    vital: VitalName
    op: Literal["<", "<=", ">", ">="]
    value: float


class DurationCriterion(Strict):
    """How long another finding must have lasted to establish this one (腹泻超过4周 → 慢性腹泻)."""
    finding: str
    min_hours: float = Field(gt=0)


LabFlag = Literal["high", "low", "critical_high", "critical_low", "positive"]


class LabCriterion(Strict):
    """Lab results quoted in the complaint that establish a finding (Hb 86 g/L → low haemoglobin).

    Flags come from the report module's reference intervals for the patient's age and sex.
    """

    items: list[str] = Field(default_factory=list, description="lab item ids (wenzhen/kb/data/labs/items); empty = any item")
    flags: list[LabFlag] = Field(min_length=1)


class FindingDef(Strict):
    """A symptom, sign, history item or risk factor, with the words people use for it."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    category: FindingCategory
    system: System
    zh: list[str] = Field(min_length=1, description="Simplified Chinese surface forms, colloquial included")
    zh_hant: list[str] = Field(default_factory=list, description="Traditional Chinese forms (tools: add-traditional)")
    en: list[str] = Field(min_length=1, description="English surface forms, lower case")
    patterns: list[str] = Field(default_factory=list, description="regular expressions for phrasings too varied to list (左边手脚没力气)")
    implies: list[str] = Field(default_factory=list, description="other findings this one entails (上吐下泻 → vomiting, diarrhea)")
    from_vital: VitalCriterion | None = Field(default=None, description="a measurement that establishes it (体温≥37.3°C → 发热)")
    from_lab: LabCriterion | None = Field(default=None, description="lab results that establish it (WBC 15×10⁹/L → 白细胞升高)")
    from_duration: DurationCriterion | None = Field(
        default=None, description="another finding lasting at least this long establishes it (diarrhoea for 6 weeks → chronic diarrhoea)")
    gives_way: bool = Field(default=False, description="its words yield to any other finding read from overlapping words "
                            "(a medicine taken, beside an overdose or a reaction named in the same words)")
    from_medication: bool = Field(default=False, description="any medicine the text says is taken establishes it (amoxicillin named → took a medicine)")
    self_report_min_age: float | None = Field(default=None, ge=0, le=18, description="a sensation only the patient can "
                                              "tell (a headache, nausea): a parent is not asked about it for a child younger "
                                              "than this, who cannot say it")
    source: str = Field(min_length=3)
    review: bool = Field(default=False, description="written from the cited sources but not yet checked by a clinician")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        import re

        for p in v:
            try:
                re.compile(p)
            except re.error as e:
                raise ValueError(f"pattern {p!r} is not a valid regular expression: {e}") from e
        return v

    @field_validator("en")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        bad = [s for s in v if s != s.lower()]
        if bad:
            raise ValueError(f"English surface forms must be lower case: {bad}")
        return v


class WeightedFinding(Strict):
    id: str = Field(pattern=ID_PATTERN)
    # Evidence strength in log-odds units: ~0.5 weak, 1 moderate, 2 strong, 3+ near-pathognomonic;
    # negative values argue against the condition.
    weight: float = Field(ge=-5, le=5)
    key: bool = Field(default=False, description="cardinal finding: at least one key finding must be present")


class ConditionDef(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    aliases: TextList = Field(default_factory=TextList)
    icd10: str | None = None
    system: System
    cant_miss: bool = Field(description="dangerous if missed: surfaced even when not the most likely")
    typical_urgency: Literal[1, 2, 3, 4] = Field(description="usual triage level when suspected (1 濒危 … 4 非急症)")
    prevalence: Literal["very_common", "common", "uncommon", "rare"]
    course: Literal["acute", "chronic", "any"] = Field(
        default="any", description="time course at presentation: acute (days; unlikely when every symptom has lasted over "
        "4 weeks), chronic (weeks to years; unlikely when every symptom began within 3 days), or any (either, episodic)")
    age_prior: dict[AgeBand, float] = Field(default_factory=dict, description="multiplier by age band; 0 excludes")
    sex_prior: dict[Sex, float] = Field(default_factory=dict, description="multiplier by sex; 0 excludes")
    findings: list[WeightedFinding] = Field(min_length=2)
    risk_factors: list[WeightedFinding] = Field(default_factory=list)
    departments: list[str] = Field(min_length=1, description="department ids, most fitting first")
    tests: list[Text] = Field(min_length=1)
    immediate_actions: list[Text] = Field(min_length=1)
    differential_points: list[Text] = Field(default_factory=list)
    requires_any: list[str] = Field(default_factory=list, description="finding ids of which one must be present for the "
                                    "condition to be considered at all (a pregnancy complication needs a pregnancy)")
    self_care_possible: bool = Field(default=False, description="mild cases may be managed at home")
    unexplained_weight: float | None = Field(default=None, gt=0, description="log-odds lost for each of the patient's "
                                             "symptoms and signs the condition does not produce, when not the usual 1.0: a "
                                             "diagnosis made only without a focus (fever without localising symptoms) loses more")
    source: str = Field(min_length=3)
    review: bool = Field(default=False, description="written from the cited sources but not yet checked by a clinician")


class DepartmentDef(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    aliases: list[str] = Field(default_factory=list)
    parent: str | None = Field(default=None, description="where to send patients if this department is absent")
    covers: list[str] = Field(default_factory=list, description="default department ids this one stands in for")
    min_age: float | None = None
    max_age: float | None = None
    sex: Sex | None = None
    emergency: bool = False
    systems: list[System] = Field(default_factory=list, description="body systems it sees when no condition points elsewhere")
    description: Text | None = None
    source: str = Field(min_length=3)


class ShiftDef(Strict):
    weekday: int = Field(ge=1, le=7, description="1 = Monday")
    start: str = Field(pattern=r"^\d{2}:\d{2}$")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")


class DoctorDef(Strict):
    id: str
    name: str
    department: str
    title: str = ""
    specialties: list[str] = Field(default_factory=list, description="condition ids or free-text interests")
    schedule: list[ShiftDef] = Field(default_factory=list)


class HospitalConfig(Strict):
    hospital: str = "default"
    departments: list[DepartmentDef] = Field(min_length=1)
    doctors: list[DoctorDef] = Field(default_factory=list)


TriageLevel = Literal[1, 2, 3, 4]
Disposition = Literal["call_120", "emergency_now", "doctor_24h", "outpatient", "self_care"]


class TriageRule(Strict):
    """A red flag or vital-sign criterion. All conditions given must hold for it to fire."""

    id: str = Field(pattern=ID_PATTERN)
    level: TriageLevel
    disposition: Disposition | None = None
    all_findings: list[str] = Field(default_factory=list)
    any_findings: list[str] = Field(default_factory=list)
    any_findings_2: list[str] = Field(default_factory=list, description="a second any-of group that must also hold")
    unless_denied: list[str] = Field(default_factory=list, description="does not fire when the patient denies all of these (烫伤 but 没起泡)")
    unless_present: list[str] = Field(
        default_factory=list, description="does not fire when any of these explains the picture (drooling while teething)")
    acute_within_hours: float | None = Field(
        default=None, description="KTAS-style onset modifier: does not fire when every finding it rests on has lasted longer")
    vital: VitalCriterion | None = None
    vitals_all: list[VitalCriterion] = Field(default_factory=list, description="further measurements that must all hold")
    consciousness: list[Literal["A", "V", "P", "U"]] = Field(default_factory=list, description="AVPU levels that fire")
    min_age: float | None = None
    max_age: float | None = None
    sex: Sex | None = None
    pregnant: bool | None = None
    min_severity: Literal["moderate", "severe"] | None = None
    onset_sudden: bool | None = None
    department: str | None = None
    reason: Text
    actions: list[Text] = Field(default_factory=list, description="what to do now when this rule decides the level (first in the advice)")
    conditions: list[str] = Field(default_factory=list, description="conditions this rule is a red flag of: their own actions may follow the rule's")
    source: str = Field(min_length=3)
    review: bool = Field(default=False, description="the source or threshold awaits a clinician's check against the document")


class DrugCaution(Strict):
    """A drug that advice may name, and when it must not be suggested to this patient."""

    id: str = Field(pattern=ID_PATTERN)
    words: list[str] = Field(min_length=1, description="how advice sentences name it (any language, lower case for English)")
    allergens: list[str] = Field(default_factory=list, description="allergen ids that rule it out (cross-reactivity included)")
    drug_classes: list[str] = Field(default_factory=list, description="medication classes taken that rule it out")
    medications: list[str] = Field(default_factory=list, description="medication ids taken that rule it out")
    findings: list[str] = Field(default_factory=list, description="affirmed findings that rule it out (bleeding, suspected dissection)")
    pregnant: bool = Field(default=False, description="ruled out in pregnancy")
    max_age: float | None = Field(default=None, description="ruled out below this age in years")
    reason: Text
    source: str = Field(min_length=3)
    drug: str | None = Field(default=None, description="the drug knowledge base's id it stands for: the advice also "
                             "passes the medication check (allergy, interactions with what the patient takes, conditions)")


class AdviceSafety(Strict):
    """Checks applied to every piece of advice before it is shown."""

    drugs: list[DrugCaution]
    home_care_words: list[str] = Field(min_length=1, description="markers of home-care advice, never shown at level I–II")
    home_care_max_level_urgent: TriageLevel = Field(description="home-care advice is withheld at this level and more urgent")
    source: str = Field(min_length=3)


class Words(Strict):
    """Words in each language (Chinese matched as written; English as whole words, any case)."""

    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class SiteSymptom(Strict):
    """A kind of complaint that takes a body site: pain, swelling, a lump, itching, redness, discharge."""

    words: Words
    replaces: list[str] = Field(default_factory=list, description="general findings the site-specific one replaces "
                                                                  "when read from the same words (swelling → edema)")


class SiteFinding(Strict):
    site: str
    symptom: str
    finding: str


# A code of the national clinical edition: category, subcategory, extension; a dagger code may carry its asterisk code.
NATIONAL_CODE = re.compile(r"^[A-Z]\d{2}(\.[0-9x]{1,3}(x\d{3})?)?\*?(\+[A-Z]\d{2}(\.[0-9x]{1,3}(x\d{3})?)?\*?)?$")


class NationalCode(Strict):
    code: str = Field(pattern=NATIONAL_CODE.pattern,
                      description="e.g. J18.900, I10.x00x002, or a dagger and asterisk pair (B02.202+G53.0*)")
    name: str = Field(min_length=1, description="the name the national list gives the code")
    review: bool = False


class NationalCodeTable(Strict):
    """Each condition's code in 疾病分类与代码（国家临床版2.0）: the code a record's diagnosis carries."""
    source: str = Field(min_length=3)
    codes: dict[str, NationalCode]


class BodySites(Strict):
    """A complaint word and a body site near each other in one clause name a site-specific finding
    ("swelling in the left hemi-scrotum" → scrotal swelling; "右腿又红又肿" → one-sided leg swelling)."""

    symptoms: dict[str, SiteSymptom]
    sites: dict[str, Words]
    findings: list[SiteFinding] = Field(min_length=1)
    max_gap: dict[Literal["zh", "en"], int] = Field(description="characters allowed between the site and the complaint word")
    source: str = Field(min_length=3)


class ContextRule(Strict):
    """ConText-style modifier (medspaCy): a cue, what it means, which way it reaches."""

    literal: str
    category: Literal["NEGATED", "POSSIBLE", "HISTORICAL", "OTHER_EXPERIENCER", "HYPOTHETICAL", "PSEUDO", "TERMINATE"]
    direction: Literal["forward", "backward", "bidirectional", "terminate", "pseudo"]
    max_scope: int = Field(default=12, ge=1, le=80, description="characters the cue reaches")


class MedicationDef(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    aliases: list[str] = Field(default_factory=list, description="brand and common names, any language")
    drug_class: str
    drug_class_zh: str
    source: str = Field(min_length=3)


class NamedTerm(Strict):
    """A term known by its names, with its source (an allergen, a condition a drug rule names)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    aliases: list[str] = Field(default_factory=list)
    source: str = Field(min_length=3)


class AllergenDef(NamedTerm):
    pass


class LeadingConditionEscalation(Strict):
    """A condition that clearly leads the differential, with several of its findings, is seen as urgently as it
    usually needs to be, even if it is not a can't-miss one (a knocked-out tooth, a flare of colitis): never
    lowers the level, and never above `max_level` (more urgent levels stay with rules and can't-miss patterns)."""

    min_probability: float = Field(ge=0, le=1)
    min_findings: int = Field(ge=2)
    max_level: TriageLevel


class SelfCarePolicy(Strict):
    """When a level-4 complaint may be looked after at home (otherwise: outpatient)."""

    min_age: float
    max_age: float
    max_duration_hours: float
    min_top_probability: float = Field(ge=0, le=1, description="the benign condition must lead this clearly")
    max_cant_miss_probability: float = Field(ge=0, le=1, description="no can't-miss condition at or above this")
    min_supporting_findings: int = Field(ge=1, description="findings the patient reported that support the leading condition")
    single_key_finding_weight: float | None = Field(
        default=None, description="one reported key finding at least this specific (weight) may stand in for the count above")
    min_denials_for_single_finding: int | None = Field(
        default=None, description="one supporting finding is enough when the patient also denied at least this many "
                                  "(拉了三回，没发烧，没吐，大便没血: the danger signs were checked)")
    benign_probability_pooled: bool = Field(
        default=False, description="min_top_probability is met by the self-limiting conditions together (cold or "
                                   "allergic rhinitis), provided the leading one is self-limiting too")
    blocking_history: list[str] = Field(description="history/risk findings that rule self-care out")
    blocking_findings: list[str] = Field(default_factory=list, description="reported findings that need a clinician (bleeding, bites)")
    blocking_findings_on_medication: list[str] = Field(
        default_factory=list, description="reported findings that need a clinician when the patient takes a medicine (a rash on amoxicillin)")
    max_pain_score: float | None = Field(default=None, description="a pain score at or above this needs a clinician")
    max_temperature_c: float | None = Field(default=None, description="a measured temperature at or above this needs a clinician")
    child_max_age: float | None = Field(default=None, description="up to this age, child_blocking_findings also rule self-care out")
    child_blocking_findings: list[str] = Field(default_factory=list)
    self_report_unknown_age_as_adult: bool = Field(
        default=False, description="someone writing about themselves with no age given is taken as an adult")
    source: str = Field(min_length=3)


class DangerWords(Strict):
    """Words that mean danger even when nothing else in the complaint was understood."""

    words: list[str] = Field(min_length=1, description="lower case; matched anywhere in the normalised text")
    negators: list[str] = Field(default_factory=list, description="a word just after one of these is denied, not an "
                                "alarm (no bleeding)")
    questions: list[str] = Field(default_factory=list, description="… unless they are part of one of these questions "
                                 "(is there any bleeding?)")
    negated_gap: list[str] = Field(default_factory=list, description="words that may stand between a negator and the "
                                   "word it denies (no active bleeding)")
    level: TriageLevel
    disposition: Disposition
    reason: Text
    source: str = Field(min_length=3)


class EarlyWarningBand(Strict):
    min_score: float
    level: TriageLevel
    disposition: Disposition


class EarlyWarningPolicy(Strict):
    """An aggregate early-warning score over the measured vital signs (clinical summaries give several)."""

    calculator: str = Field(description="calculator id in the calculator KB (news2)")
    min_measurements: int = Field(ge=2, description="measured vital signs needed before the score is used")
    min_age: float
    bands: list[EarlyWarningBand] = Field(min_length=1, description="most urgent first")
    reason: Text
    source: str = Field(min_length=3)


class PainScoreBands(Strict):
    """Where a pain score (0–10) makes a finding's severity moderate or severe, for rules with min_severity."""

    severe: float = Field(ge=0, le=10)
    moderate: float = Field(ge=0, le=10)
    source: str = Field(min_length=3)


class UnknownAgePolicy(Strict):
    """Which age-bounded rules still fire when no age is given (escalate when unsure)."""

    adult_rules_up_to_min_age: float = Field(ge=0, description="rules whose min_age is at most this still fire")
    rules_reaching_age: float = Field(ge=0, description="rules whose max_age is at least this (they include adults) still fire")
    adult_rules_up_to_min_age_by_subject: dict[str, float] = Field(
        default_factory=dict, description="the same bound for a relative the writer names (a parent of an adult writer "
        "is middle-aged or older): subject relation → min_age bound")


class TriagePolicy(Strict):
    level_names: dict[TriageLevel, Text]
    disposition_text: dict[Disposition, Text]
    pain_score_bands: PainScoreBands
    assumed_age_by_band: dict[Literal["infant", "child", "adolescent", "adult", "elderly"], float] = Field(
        description="the age used for rules when only a word like 宝宝 or 老人 says who it is")
    unknown_age: UnknownAgePolicy
    avpu_from_gcs: dict[Literal["A", "V", "P"], float] = Field(description="the lowest GCS of each AVPU band; below P is U")
    default_level: TriageLevel
    unrecognised_danger: DangerWords
    default_disposition: dict[int, Disposition]
    diagnosis_escalation_min_probability: float = Field(ge=0, le=1)
    diagnosis_escalation_min_findings: int = Field(ge=1, description="supporting findings the pattern needs")
    diagnosis_escalation_max_level: TriageLevel = Field(description="a suspected can't-miss condition raises the level to at most this")
    strong_pattern_min_findings: int = Field(ge=2, description="supporting findings that make a can't-miss pattern strong")
    strong_pattern_min_findings_emergency: int | None = Field(
        default=None, ge=2, description="fewer supporting findings suffice for a condition whose typical urgency is I–II")
    strong_pattern_min_probability: float = Field(ge=0, le=1, description="a strong pattern must also lead this clearly")
    strong_pattern_max_level: TriageLevel = Field(description="a strong can't-miss pattern raises the level up to this (and its typical urgency)")
    self_care: SelfCarePolicy
    leading_condition_escalation: LeadingConditionEscalation | None = None
    early_warning: EarlyWarningPolicy | None = None
    stated_diagnosis_max_level: TriageLevel | None = Field(
        default=None, description="a condition the text names (report, doctor) raises the level to its typical urgency, up to this")
    source: str = Field(min_length=3)
