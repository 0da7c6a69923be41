"""Self-care guidance for self-limiting conditions: what can be done at home, which over-the-counter medicine at
what dose for this age and weight, for how long, and when to stop and see a doctor.

Never at triage levels I–III (the assessment's own advice stands there), and every medicine is put through
check_medications for this patient (allergies, what they already take, conditions, kidneys, pregnancy, age)
before it is offered: an option with a major or contraindicated finding is not offered, with the reason."""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..kb.base import DATA_DIR, KBError, load_list, pick, read_messages
from ..kb.drug_loader import DrugKnowledgeBase, default_drug_kb
from ..kb.drug_schema import DrugDef, SelfCareOption, SelfCarePlan
from . import SEVERITY_ORDER, DrugOrder, PatientFacts, check_medications, facts_from_picture

SELF_CARE_DIR = DATA_DIR / "selfcare"
SELF_CARE_LEVEL = 4  # the only triage level at which self-medication is suggested
CHILD_DOSING_AGE = 12  # OTC labels dose by weight below 12 years
_MSG = read_messages(Path(__file__).with_name("selfcare_messages.yaml"))


class SuggestedMedicine(BaseModel):
    drug: str = Field(description="drug id")
    name: str
    use_for: str
    how_to_take: str = Field(description="dose for this patient, how often, the 24-hour maximum")
    max_days: int
    cautions: list[str] = Field(default_factory=list, description="moderate findings of the medication check, notes")


class UnsuitableMedicine(BaseModel):
    drug: str
    name: str
    reason: str


class SelfCareGuidance(BaseModel):
    language: Literal["zh", "en"]
    offered: bool = Field(description="false when self-care does not apply (triage level I–III, no plan)")
    reason: str = Field(default="", description="why nothing is offered")
    plan: str | None = Field(default=None, description="plan id")
    title: str = ""
    measures: list[str] = Field(default_factory=list)
    medicines: list[SuggestedMedicine] = Field(default_factory=list)
    not_for_you: list[UnsuitableMedicine] = Field(default_factory=list)
    see_doctor_if: list[str] = Field(default_factory=list)
    disclaimer: str = ""
    source: str = ""


@lru_cache(maxsize=2)
def load_self_care_plans(directory: Path = SELF_CARE_DIR, drug_kb: DrugKnowledgeBase | None = None) -> tuple[SelfCarePlan, ...]:
    """Plans of every YAML file in `directory`; every option must name an OTC drug of the drug knowledge base."""
    kb = drug_kb or default_drug_kb()
    plans = [p for path in sorted(directory.glob("*.yaml")) for p in load_list(path, SelfCarePlan, [])]
    problems = []
    seen: set[str] = set()
    for p in plans:
        if p.id in seen:
            problems.append(f"duplicate plan id {p.id}")
        seen.add(p.id)
        for o in p.options:
            d = kb.drugs.get(o.drug)
            if d is None:
                problems.append(f"plan {p.id}: {o.drug} is not a drug")
            elif not d.otc:
                problems.append(f"plan {p.id}: {o.drug} is not an over-the-counter medicine")
    if problems:
        raise KBError("self-care plans are inconsistent:\n  " + "\n  ".join(problems))
    return tuple(plans)


def plan_for(conditions: list[str], plans: tuple[SelfCarePlan, ...] | None = None) -> SelfCarePlan | None:
    """The plan of the first condition (most likely first) that has one."""
    plans = plans or load_self_care_plans()
    for c in conditions:
        for p in plans:
            if c in p.conditions:
                return p
    return None


def _round_ml(x: float) -> float:
    return math.floor(x * 2 + 1e-9) / 2  # half-millilitre steps, rounded down: a dosing syringe's marks


def _how_to_take(o: SelfCareOption, d: DrugDef, p: PatientFacts, lang: str) -> tuple[str | None, float | None, str]:
    """(dose text, mg per dose to check, why not) for this patient; dose text None when it cannot be given."""
    M = _MSG[lang]
    name = pick(d.name, lang)
    min_age = max([a for a in (o.min_age_years, d.child.min_age_years if d.child else None) if a is not None], default=None)
    if p.age is not None and min_age is not None and p.age < min_age:
        return None, None, M["too_young"].format(drug=name, age=min_age)
    if p.age is not None and o.max_age_years is not None and p.age >= o.max_age_years:
        return None, None, M["too_old"].format(drug=name, age=o.max_age_years)
    freq_code = None
    child = p.age is not None and p.age < CHILD_DOSING_AGE
    if o.dose_text is not None:
        text = pick(o.dose_text, lang)
        return text + M["sep"] + M["max_days"].format(days=o.max_days), None, ""
    if child:
        c = d.child
        if c is None or c.mg_per_kg is None:
            return None, None, M["child_no_dose"].format(drug=name)
        freq_code = c.usual_frequency
        if p.weight_kg is None:
            text = M["dose_child_no_weight"].format(lo=c.mg_per_kg[0], hi=c.mg_per_kg[1])
            return text + M["sep"] + M["max_days"].format(days=o.max_days), None, ""
        cap = min([x for x in (c.max_single_mg, d.adult.max_single_mg if d.adult else None) if x], default=None)
        lo, hi = (round(c.mg_per_kg[0] * p.weight_kg), round(c.mg_per_kg[1] * p.weight_kg))
        if cap:
            lo, hi = min(lo, cap), min(hi, cap)
        text = M["dose_child"].format(lo=lo, hi=hi, kg=p.weight_kg)
        if o.liquid_mg_per_ml and o.liquid_name:
            text += M["dose_child_liquid"].format(lo_ml=_round_ml(lo / o.liquid_mg_per_ml), hi_ml=_round_ml(hi / o.liquid_mg_per_ml),
                                                  liquid=pick(o.liquid_name, lang))
        daily = c.max_mg_per_kg_day * p.weight_kg if c.max_mg_per_kg_day else None
        adult_daily = d.adult and (d.adult.otc_max_daily_mg or d.adult.max_daily_mg)
        if daily and adult_daily:
            daily = min(daily, adult_daily)
        mg = hi
    else:
        a = d.adult
        if a is None or a.single_mg is None:
            return None, None, M["child_no_dose"].format(drug=name) if child else ""
        freq_code = a.usual_frequency
        lo, hi = o.adult_single_mg or a.single_mg
        daily = a.otc_max_daily_mg or a.max_daily_mg
        if daily:
            hi = min(hi, daily)
        text = M["dose_adult_one" if lo == hi else "dose_adult"].format(lo=lo, hi=hi)
        mg = hi
    freqs = M["frequencies"]
    if freq_code:
        text += M["frequency"].format(freq=freqs.get(freq_code, freq_code))
    if daily:
        text += M["max_daily"].format(max=round(daily))
    return text + M["end"] + M["max_days"].format(days=o.max_days), mg, ""


def self_care_guidance(conditions: list[str], patient: PatientFacts | dict | None = None, *,
                       taking: list[str | DrugOrder | dict] | None = None, triage_level: int | None = None,
                       level_name: str = "", disposition: str = "", language: str = "zh",
                       condition_names: dict[str, str] | None = None) -> SelfCareGuidance:
    """Self-care for the first of `conditions` (condition ids, most likely first) that has a plan. `triage_level`
    below IV refuses it. `taking`: what the patient already takes (checked together with each suggestion)."""
    lang = "en" if language == "en" else "zh"
    M = _MSG[lang]
    p = patient if isinstance(patient, PatientFacts) else PatientFacts.model_validate(patient or {})
    if triage_level is not None and triage_level < SELF_CARE_LEVEL:
        return SelfCareGuidance(language=lang, offered=False, reason=M["refused_level"].format(
            level=level_name or triage_level, disposition=disposition.rstrip(M["end"] + ". ")))
    if not conditions:
        return SelfCareGuidance(language=lang, offered=False, reason=M["not_recognised"])
    plan = plan_for(conditions)
    if plan is None:
        shown = (condition_names or {}).get(conditions[0], conditions[0])
        return SelfCareGuidance(language=lang, offered=False, reason=M["no_plan"].format(condition=shown))
    kb = default_drug_kb()
    out = SelfCareGuidance(language=lang, offered=True, plan=plan.id, title=M["header"].format(name=pick(plan.name, lang)),
                           measures=[pick(m, lang) for m in plan.measures],
                           see_doctor_if=[pick(s, lang) for s in plan.see_doctor_if], disclaimer=M["disclaimer"],
                           source=plan.source)
    for o in plan.options:
        d = kb.drugs[o.drug]
        name = pick(d.name, lang)
        text, mg, why = _how_to_take(o, d, p, lang)
        if text is None:
            out.not_for_you.append(UnsuitableMedicine(drug=d.id, name=name, reason=why))
            continue
        order = {"name": d.id, "dose": f"{mg:g} mg"} if mg else d.id
        check = check_medications(p, [order, *(taking or [])], language=lang, kb=kb)
        ids = {d.id, *(i.drug for i in d.ingredients)}
        mine = [f for f in check.findings if ids & set(f.drugs)]
        serious = [f for f in mine if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["major"]]
        if serious:
            out.not_for_you.append(UnsuitableMedicine(drug=d.id, name=name, reason=M["stopped_by_check"].format(
                message=serious[0].message, what_to_do=serious[0].what_to_do)))
            continue
        cautions = [f.message for f in mine if f.severity in ("moderate", "minor") and f.kind != "unknown_drug"]
        if o.note:
            cautions.append(pick(o.note, lang))
        out.medicines.append(SuggestedMedicine(drug=d.id, name=name, use_for=pick(o.use_for, lang), how_to_take=text,
                                               max_days=o.max_days, cautions=cautions))
    return out


def self_care_for_assessment(assessment, patient: PatientFacts | dict | None = None) -> SelfCareGuidance:
    """Self-care for an assessment (wenzhen.assessment.Assessment): its triage level decides whether any is given,
    its likely conditions which plan, and what the patient said (age, weight, allergies, conditions, pregnancy,
    medicines) goes into the checks, after the facts given in `patient`."""
    lang = assessment.language
    tri = assessment.triage
    given = patient if isinstance(patient, PatientFacts) else PatientFacts.model_validate(patient or {})
    patient, taking = facts_from_picture(assessment.understanding, given)
    names = {c.id: pick(c.name, lang) for c in assessment.differential.likely}
    # Only conditions ranked above any that usually needs a doctor (urgency I–III) may lead to self-care:
    # "period pain" read as possible appendicitis first gets no painkiller advice.
    likely: list[str] = []
    for c in assessment.differential.likely:
        if c.typical_urgency < SELF_CARE_LEVEL and tri.triage_level >= SELF_CARE_LEVEL:
            if not likely:
                return SelfCareGuidance(language=lang, offered=False,
                                        reason=_MSG[lang]["leading_needs_doctor"].format(condition=names[c.id]))
            break
        likely.append(c.id)
    return self_care_guidance(likely, patient, taking=taking, triage_level=tri.triage_level,
                              level_name=pick(tri.level_name, lang), disposition=pick(tri.disposition_text, lang),
                              language=lang, condition_names=names)


def render_self_care(g: SelfCareGuidance) -> str:
    """Readable text of the guidance (the CLI and the `readable` field of the API)."""
    M = _MSG[g.language]
    if not g.offered:
        return g.reason
    lines = [g.title, *(f"- {m}" for m in g.measures)]
    if g.medicines:
        lines.append(M["medicines"])
        for m in g.medicines:
            lines.append(M["medicine_line"].format(name=m.name, use=m.use_for, how=m.how_to_take))
            lines += [f"    {c}" for c in m.cautions]
    if g.not_for_you:
        lines.append(M["not_for_you"])
        lines += [f"- {m.reason}" for m in g.not_for_you]
    lines.append(M["see_doctor"])
    lines += [f"- {s}" for s in g.see_doctor_if]
    lines.append(g.disclaimer)
    return "\n".join(lines)


__all__ = ["render_self_care", "self_care_guidance", "self_care_for_assessment", "load_self_care_plans", "plan_for", "SelfCareGuidance",
           "SuggestedMedicine", "UnsuitableMedicine"]
