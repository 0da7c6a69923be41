"""Medication safety checks: `check_medications(patient, drugs)` reads a medicine list (generic names, brands,
combination products, with or without dose and frequency) against the patient's facts and reports, each with its
severity, what to do and its source: allergies and cross-reactivity, the same ingredient in several products,
duplicate therapy, total daily dose of each ingredient, single and weight-based doses, interactions, contraindicated
conditions, kidney and liver function, pregnancy, breastfeeding, children's ages and older adults. Deterministic:
the facts are in wenzhen/kb/data/drugs/ (drug_schema.py)."""
from __future__ import annotations

import re
import time
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ..kb.base import normalise_key, pick, read_messages
from ..kb.drug_loader import DrugKnowledgeBase, default_drug_kb
from ..kb.drug_schema import DrugDef
from ..types import ComplaintText, bounded

Severity = Literal["contraindicated", "major", "moderate", "minor", "info"]
SEVERITY_ORDER = {"contraindicated": 4, "major": 3, "moderate": 2, "minor": 1, "info": 0}
_ACTION_SEVERITY = {"avoid": "major", "reduce_dose": "moderate", "caution": "moderate", "monitor": "minor"}
ELDERLY_AGE = 65
ADULT_AGE = 18
MAX_DRUGS = 50

_WORDS = read_messages(Path(__file__).with_name("words.yaml"))
_MSG = read_messages(Path(__file__).with_name("messages.yaml"))


class PatientFacts(BaseModel):
    model_config = {"extra": "forbid"}
    age: bounded(0, 125) | None = Field(default=None, description="years")  # type: ignore[valid-type]
    sex: Literal["female", "male"] | None = None
    weight_kg: bounded(0.3, 400) | None = None  # type: ignore[valid-type]
    egfr: bounded(0, 200) | None = Field(default=None, description="mL/min/1.73m² (or creatinine clearance)")  # type: ignore[valid-type]
    child_pugh: Literal["A", "B", "C"] | None = None
    pregnant: bool | None = None
    trimester: Literal[1, 2, 3] | None = None
    breastfeeding: bool | None = None
    allergies: list[str] = Field(default_factory=list, max_length=30, description="drug or class names (penicillin, sulfa)")
    conditions: list[str] = Field(default_factory=list, max_length=30, description="diagnoses, any wording (peptic ulcer, asthma)")


DrugName = Annotated[str, Field(min_length=1, max_length=100)]


class DrugOrder(BaseModel):
    model_config = {"extra": "forbid"}
    name: str = Field(min_length=1, max_length=100, description="generic, brand or product name, Chinese or English")
    dose: str | None = Field(default=None, max_length=40, description="per dose: '3 mg', '0.5 g', '2 tablets'")
    frequency: str | None = Field(default=None, max_length=40, description="qd, bid, tid, q8h, '3 times a day' …")


class CheckRequest(BaseModel):
    model_config = {"extra": "forbid"}
    patient: PatientFacts = Field(default_factory=PatientFacts)
    drugs: list[DrugName | DrugOrder] = Field(min_length=1, max_length=MAX_DRUGS,
                                              description="names, or {name, dose, frequency}")
    complaint: ComplaintText | None = Field(default=None, description="optional: patient facts read from a complaint")
    language: Literal["zh", "en"] = "zh"


class ResolvedDrug(BaseModel):
    input: str
    id: str | None
    name: str | None
    ingredients: list[str] = Field(default_factory=list, description="ingredient ids (the drug itself if single)")
    mg_per_dose: dict[str, float] = Field(default_factory=dict, description="ingredient → mg per dose, when known")
    doses_per_day: float | None = None


class MedFinding(BaseModel):
    kind: Literal["unknown_drug", "allergy", "cross_allergy", "duplicate_ingredient", "duplicate_class", "daily_dose",
                  "single_dose", "child_dose", "child_age", "interaction", "renal", "hepatic", "condition", "pregnancy",
                  "lactation", "elderly"]
    severity: Severity
    drugs: list[str] = Field(description="drug ids involved")
    message: str
    what_to_do: str
    source: str = ""


class MedicationCheck(BaseModel):
    language: Literal["zh", "en"]
    drugs: list[ResolvedDrug]
    findings: list[MedFinding] = Field(description="most severe first")
    summary: str
    kb_version: str
    elapsed_ms: float


# ---------------------------------------------------------------- reading the list
# Read once: dosage-form words longest first, frequency words by their key, allergy class words longest first.
_FORM_SUFFIXES = sorted(_WORDS["form_suffixes"], key=len, reverse=True)
_FREQUENCY = {normalise_key(k).replace(" ", ""): v for k, v in _WORDS["frequency"].items()}
_ALLERGY_CLASSES = sorted(_WORDS["allergy_classes"].items(), key=lambda kv: -len(kv[0]))


def find_drug(name: str, kb: DrugKnowledgeBase | None = None) -> DrugDef | None:
    """A drug by generic name, brand or alias; dosage-form words are ignored (nifedipine CR tablets → nifedipine)."""
    kb = kb or default_drug_kb()
    d = kb.find(name)
    if d is not None:
        return d
    text = re.sub(r"\s+", "", name)
    for suffix in _FORM_SUFFIXES:
        if text.lower().endswith(suffix.lower()) and len(text) > len(suffix):
            d = kb.find(text[: -len(suffix)])
            if d is not None:
                return d
    return None


_MG = {k.lower(): float(v) for k, v in _WORDS["mass_units"].items()}
_AMOUNT = re.compile(rf"([\d.]+)\s*({'|'.join(sorted(map(re.escape, _MG), key=len, reverse=True))})?", re.I)
_TIMES = re.compile(rf"(\d+)\s*(?:{'|'.join(map(re.escape, _WORDS['times_words']))})")


def _per_dose(drug: DrugDef, dose: str | None, kb: DrugKnowledgeBase) -> dict[str, float]:
    """Ingredient → mg in one dose: '3 mg', '0.5 g', or a count of tablets ('2 tablets') of the product."""
    if not dose:
        return {}
    m = _AMOUNT.search(dose.replace(",", "."))
    if not m:
        return {}
    try:
        amount = float(m.group(1))
    except ValueError:
        return {}
    unit = (m.group(2) or "").lower()
    counted = any(w in dose.lower() for w in _WORDS["unit_words"])
    if unit in _MG and not counted:
        if drug.ingredients:
            return {}  # a combination product is dosed in tablets, not in mg of one ingredient
        return {drug.id: amount * _MG[unit]}
    if counted or not unit:
        if drug.ingredients:
            return {i.drug: i.mg * amount for i in drug.ingredients}
        if drug.unit_mg:
            return {drug.id: drug.unit_mg * amount}
    return {}


def _doses_per_day(frequency: str | None) -> float | None:
    if not frequency:
        return None
    key = normalise_key(frequency).replace(" ", "")
    if key in _FREQUENCY:
        return float(_FREQUENCY[key])
    m = _TIMES.search(frequency)
    if m:
        return float(m.group(1))
    m = re.search(r"q\s*(\d+)\s*h", frequency, re.I)
    if m and int(m.group(1)) > 0:
        return 24 / int(m.group(1))
    return None


def _resolve(order: str | DrugOrder, kb: DrugKnowledgeBase) -> tuple[ResolvedDrug, DrugDef | None]:
    o = DrugOrder(name=order) if isinstance(order, str) else order
    d = find_drug(o.name, kb)
    if d is None:
        return ResolvedDrug(input=o.name, id=None, name=None), None
    return ResolvedDrug(input=o.name, id=d.id, name=d.name.zh, ingredients=[i.drug for i in d.ingredients] or [d.id],
                        mg_per_dose=_per_dose(d, o.dose, kb), doses_per_day=_doses_per_day(o.frequency)), d


def _conditions(texts: list[str], kb: DrugKnowledgeBase) -> set[str]:
    """Condition ids named in the patient's list (any wording that contains a known name)."""
    out: set[str] = set()
    names = _condition_names(kb)
    for t in texts:
        key = normalise_key(t)
        for name, cid in names:
            if name and name in key:
                out.add(cid)
    return out


def _allergies(texts: list[str], kb: DrugKnowledgeBase) -> dict[str, str]:
    """Drug or class id → the allergy as the patient said it."""
    out: dict[str, str] = {}
    for t in texts:
        d = find_drug(t, kb)
        if d is not None:
            out[d.id] = t
            out.update({c: t for c in d.classes if c.endswith("_class")})  # aspirin → the aspirin class too
            continue
        key = normalise_key(t)
        for word, cid in _ALLERGY_CLASSES:
            if normalise_key(word) in key:
                out[cid] = t
                break
        for cid, zh, en in _class_keys(kb):
            if zh in key or en == key:
                out.setdefault(cid, t)
    return out


# ---------------------------------------------------------------- the checks
@lru_cache(maxsize=4)
def _condition_names(kb: DrugKnowledgeBase) -> list[tuple[str, str]]:
    """Condition names and aliases (normalised) → condition id, the longest first."""
    return sorted(kb.condition_names.items(), key=lambda kv: -len(kv[0]))


@lru_cache(maxsize=4)
def _class_keys(kb: DrugKnowledgeBase) -> list[tuple[str, str, str]]:
    """Each class with the keys an allergy may name it by (青霉素类 → 青霉素)."""
    return [(c.id, normalise_key(c.name.zh.removesuffix(_WORDS["class_suffix"])), normalise_key(c.name.en))
            for c in kb.classes.values()]


def _classes_of(drug_id: str, kb: DrugKnowledgeBase) -> set[str]:
    d = kb.drugs.get(drug_id)
    return set(d.classes) if d else set()


def _with_ingredients(d: DrugDef, r: ResolvedDrug, kb: DrugKnowledgeBase) -> list[DrugDef]:
    """The product and its ingredients, each once: rules are on either."""
    out = {d.id: d}
    for i in r.ingredients:
        if i in kb.drugs:
            out.setdefault(i, kb.drugs[i])
    return list(out.values())


@lru_cache(maxsize=4)
def _interaction_index(kb: DrugKnowledgeBase) -> dict[str, list]:
    idx: dict[str, list] = {}
    for x in kb.interactions:
        idx.setdefault(x.a, []).append(x)
        idx.setdefault(x.b, []).append(x)
    return idx


def facts_from_complaint(text: str, patient: PatientFacts) -> tuple[PatientFacts, list[str]]:
    """Fill what the patient did not give in fields from what a complaint says (age, sex, pregnancy, allergies, known
    diseases), through the understanding module; also the medicines it says the patient takes."""
    from ..understanding import understand

    return facts_from_picture(understand(text), patient)


def facts_from_picture(pic, patient: PatientFacts | None = None) -> tuple[PatientFacts, list[str]]:
    """The same from an understood complaint (a ClinicalPicture)."""
    from ..kb import get_kb

    patient = patient or PatientFacts()
    kb = get_kb()
    d = pic.demographics
    update: dict = {}
    if patient.age is None and d.age_years is not None:
        update["age"] = d.age_years
    if patient.sex is None and d.sex:
        update["sex"] = d.sex
    if patient.weight_kg is None and pic.vitals.weight_kg is not None:
        update["weight_kg"] = pic.vitals.weight_kg
    if patient.pregnant is None and pic.pregnancy is not None:
        update["pregnant"] = pic.pregnancy.status == "pregnant"
    update["allergies"] = [*patient.allergies, *(a.name for a in pic.allergies)]
    history = [pick(kb.findings[f].name, "zh") for f in pic.history_ids() if f in kb.findings]
    update["conditions"] = [*patient.conditions, *history]
    return patient.model_copy(update=update), [m.name.zh for m in pic.medications]


def check_medications(patient: PatientFacts | dict | None, drugs: list[str | DrugOrder | dict], language: str = "zh",
                      kb: DrugKnowledgeBase | None = None, complaint: str | None = None) -> MedicationCheck:
    """Check a medicine list for one patient (facts given, or read from `complaint`, which may also name medicines
    the patient already takes). Raises pydantic.ValidationError (a ValueError) on bad input."""
    t0 = time.perf_counter()
    kb = kb or default_drug_kb()
    req = CheckRequest.model_validate({"patient": patient or {}, "drugs": drugs, "complaint": complaint,
                                       "language": "en" if language == "en" else "zh"})
    p, orders, lang = req.patient, list(req.drugs), req.language
    if req.complaint:
        p, taking = facts_from_complaint(req.complaint, p)
        listed = {o if isinstance(o, str) else o.name for o in orders}
        orders += [m for m in taking if m not in listed]
    M = _MSG[lang]
    resolved: list[tuple[ResolvedDrug, DrugDef | None]] = [_resolve(o, kb) for o in orders]
    findings: list[MedFinding] = []

    def name(drug_id: str) -> str:
        d = kb.drugs.get(drug_id)
        return pick(d.name, lang) if d else drug_id

    def add(kind, severity, ids, message, what, source=""):
        findings.append(MedFinding(kind=kind, severity=severity, drugs=list(dict.fromkeys(ids)), message=message,
                                   what_to_do=what, source=source))

    for r, d in resolved:
        if d is None:
            add("unknown_drug", "info", [], M["unknown_drug"].format(name=r.input), M["unknown_drug_do"])
    known = [(r, d) for r, d in resolved if d is not None]

    # Allergies and cross-reactivity (the product and each ingredient, with their classes).
    allergic = _allergies(p.allergies, kb)
    for r, d in known:
        for iid in dict.fromkeys([d.id, *r.ingredients]):
            ids_and_classes = {iid} | _classes_of(iid, kb) | set(d.classes)
            hit = next((a for a in ids_and_classes if a in allergic), None)
            if hit:
                add("allergy", "contraindicated", [d.id], M["allergy"].format(drug=pick(d.name, lang), allergen=allergic[hit]),
                    M["allergy_do"], d.source)
                break
            cross = next(((a, c) for a in allergic for c in ids_and_classes
                          if c in kb.classes and a in kb.classes[c].cross_reactive), None)
            if cross:
                klass = kb.classes[cross[0]]
                note = pick(klass.cross_note, lang) if klass.cross_note else ""
                add("cross_allergy", "major", [d.id], M["cross_allergy"].format(
                    drug=pick(d.name, lang), allergen=allergic[cross[0]], note=note), M["cross_allergy_do"], klass.source)
                break

    # The same ingredient in several products; duplicate therapy by class.
    by_ingredient: dict[str, list[DrugDef]] = {}
    for r, d in known:
        for iid in r.ingredients:
            by_ingredient.setdefault(iid, []).append(d)
    for iid, products in by_ingredient.items():
        if len({x.id for x in products}) > 1:
            add("duplicate_ingredient", "major", [x.id for x in products], M["duplicate_ingredient"].format(
                ingredient=name(iid), products=M["join"].join(dict.fromkeys(pick(x.name, lang) for x in products))),
                M["duplicate_ingredient_do"].format(ingredient=name(iid)), kb.drugs[iid].source if iid in kb.drugs else "")
    by_class: dict[str, set[str]] = {}
    for iid in by_ingredient:
        for c in _classes_of(iid, kb):
            if c in kb.classes and kb.classes[c].duplicate:
                by_class.setdefault(c, set()).add(iid)
    for c, ids in by_class.items():
        if len(ids) > 1:
            add("duplicate_class", "moderate", sorted(ids), M["duplicate_class"].format(
                drugs=M["join"].join(name(i) for i in sorted(ids)), klass=pick(kb.classes[c].name, lang)),
                M["duplicate_class_do"], kb.classes[c].source)

    # Doses: single, total daily per ingredient (all products together), children by weight and age.
    child = p.age is not None and p.age < ADULT_AGE
    totals: dict[str, float] = {}
    sources_of: dict[str, list[str]] = {}
    for r, d in known:
        for iid, mg in r.mg_per_dose.items():
            ing = kb.drugs.get(iid)
            if ing is None:
                continue
            limit = (ing.child.max_single_mg if child and ing.child else None) or (ing.adult.max_single_mg if ing.adult else None)
            if limit and mg > limit * 1.0001:
                add("single_dose", "major", [d.id], M["single_dose"].format(drug=pick(d.name, lang), dose=mg, limit=limit),
                    M["single_dose_do"], ing.source)
            if child and p.weight_kg and ing.child and ing.child.mg_per_kg:
                per_kg = mg / p.weight_kg
                lo, hi = ing.child.mg_per_kg
                if per_kg > hi * 1.25:  # a quarter above the usual range: more than rounding to a tablet
                    add("child_dose", "major", [d.id], M["child_dose"].format(drug=pick(d.name, lang), per_kg=per_kg, lo=lo, hi=hi),
                        M["child_dose_do"], ing.source)
            if r.doses_per_day:
                totals[iid] = totals.get(iid, 0.0) + mg * r.doses_per_day
                sources_of.setdefault(iid, []).append(pick(d.name, lang))
    for iid, total in totals.items():
        ing = kb.drugs[iid]
        products = M["join"].join(dict.fromkeys(sources_of[iid]))
        if child and p.weight_kg and ing.child and ing.child.max_mg_per_kg_day:
            if total / p.weight_kg > ing.child.max_mg_per_kg_day * 1.0001:
                add("daily_dose", "major", [iid], M["child_daily"].format(
                    ingredient=pick(ing.name, lang), per_kg=total / p.weight_kg, limit=ing.child.max_mg_per_kg_day),
                    M["child_dose_do"], ing.source)
            continue
        adult = ing.adult
        if adult and adult.max_daily_mg and total > adult.max_daily_mg * 1.0001:
            add("daily_dose", "major", [iid], M["daily_dose"].format(ingredient=pick(ing.name, lang), total=total,
                limit=adult.max_daily_mg, products=products), M["daily_dose_do"], ing.source)
        elif adult and adult.otc_max_daily_mg and total > adult.otc_max_daily_mg * 1.0001:
            add("daily_dose", "moderate", [iid], M["daily_dose_otc"].format(ingredient=pick(ing.name, lang), total=total,
                limit=adult.otc_max_daily_mg), M["ask_prescriber"], ing.source)
    for r, d in known:
        for x in _with_ingredients(d, r, kb):
            if p.age is not None and x.child and x.child.min_age_years and p.age < x.child.min_age_years:
                add("child_age", "major", [d.id], M["child_age"].format(drug=pick(d.name, lang), age=x.child.min_age_years),
                    M["child_age_do"], x.source)
                break

    # Interactions between every two ingredients of different products (drug or class rules).
    idx = _interaction_index(kb)
    owners: dict[str, str] = {}
    for r, d in known:
        for iid in r.ingredients:
            owners.setdefault(iid, d.id)
    tags = {i: {i} | _classes_of(i, kb) for i in owners}  # a rule names a drug or one of its classes
    for i, j in combinations(sorted(owners), 2):
        if owners[i] == owners[j]:
            continue  # the ingredients of one product are meant together
        ti, tj = tags[i], tags[j]
        hits = [x for k in ti for x in idx.get(k, ())
                if (x.a in ti and x.b in tj) or (x.a in tj and x.b in ti)]
        if hits:
            # A curated drug–drug entry speaks for the pair (ACE inhibitor + spironolactone is planned heart-failure
            # treatment, not the class's generic warning); otherwise the most severe rule, so that a milder rule for
            # one drug never hides a class's serious effect; among equally severe, the more specific.
            x = max(hits, key=lambda h: ((h.a in kb.drugs) and (h.b in kb.drugs), SEVERITY_ORDER[h.severity],
                                         (h.a in kb.drugs) + (h.b in kb.drugs)))
            add("interaction", x.severity, [owners[i], owners[j]], M["interaction"].format(
                a=name(i), b=name(j), mechanism=pick(x.mechanism, lang)), pick(x.management, lang), x.source)

    # The patient: conditions, kidney, liver, pregnancy, breastfeeding, older age (product and ingredient rules).
    conds = _conditions(p.conditions, kb)
    for r, d in known:
        rules_of = _with_ingredients(d, r, kb)
        seen: set[tuple] = set()
        for x in rules_of:
            for rule in x.conditions:
                if rule.condition in conds and ("condition", rule.condition) not in seen:
                    seen.add(("condition", rule.condition))
                    add("condition", _ACTION_SEVERITY[rule.action], [d.id], M["condition"].format(
                        drug=pick(d.name, lang), condition=pick(kb.conditions[rule.condition].name, lang),
                        note=pick(rule.note, lang)), M["ask_prescriber"], x.source)
            if p.egfr is not None:
                rule = min((rr for rr in x.renal if p.egfr < rr.egfr_below), key=lambda rr: rr.egfr_below, default=None)
                if rule and ("renal",) not in seen:
                    seen.add(("renal",))
                    add("renal", _ACTION_SEVERITY[rule.action], [d.id], M["renal"].format(
                        drug=pick(d.name, lang), egfr=p.egfr, note=pick(rule.note, lang)), M["ask_prescriber"], x.source)
            if p.child_pugh is not None:
                rule = max((h for h in x.hepatic if h.child_pugh <= p.child_pugh), key=lambda h: h.child_pugh, default=None)
                if rule and ("hepatic",) not in seen:
                    seen.add(("hepatic",))
                    add("hepatic", _ACTION_SEVERITY[rule.action], [d.id], M["hepatic"].format(
                        drug=pick(d.name, lang), cls=p.child_pugh, note=pick(rule.note, lang)), M["ask_prescriber"], x.source)
            if p.pregnant and x.pregnancy and x.pregnancy.action != "compatible" and ("pregnancy",) not in seen and (
                    not x.pregnancy.trimesters or p.trimester is None or p.trimester in x.pregnancy.trimesters):
                seen.add(("pregnancy",))
                add("pregnancy", _ACTION_SEVERITY[x.pregnancy.action], [d.id], M["pregnancy"].format(
                    drug=pick(d.name, lang), note=pick(x.pregnancy.note, lang)), M["ask_prescriber"], x.source)
            if p.breastfeeding and x.lactation and x.lactation.action != "compatible" and ("lactation",) not in seen:
                seen.add(("lactation",))
                add("lactation", _ACTION_SEVERITY[x.lactation.action], [d.id], M["lactation"].format(
                    drug=pick(d.name, lang), note=pick(x.lactation.note, lang)), M["ask_prescriber"], x.source)
            if p.age is not None and p.age >= ELDERLY_AGE and x.elderly and ("elderly",) not in seen:
                seen.add(("elderly",))
                add("elderly", x.elderly_severity, [d.id], M["elderly"].format(drug=pick(d.name, lang), note=pick(x.elderly, lang)),
                    M["ask_prescriber"], x.source)

    # A product listed twice gives its warnings once.
    findings = list({(f.kind, tuple(f.drugs), f.message): f for f in findings}.values())
    findings.sort(key=lambda f: -SEVERITY_ORDER[f.severity])
    serious = sum(SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["major"] for f in findings)
    real = [f for f in findings if f.severity != "info"]  # tips and unknown names are shown, not counted as problems
    summary = (M["summary_some"].format(n=len(orders), k=len(real), serious=serious) if real
               else M["summary_none"].format(n=len(orders)))
    return MedicationCheck(language=lang, drugs=[r for r, _ in resolved], findings=findings, summary=summary,
                           kb_version=kb.version, elapsed_ms=round((time.perf_counter() - t0) * 1000, 3))


def drug_info(name: str, kb: DrugKnowledgeBase | None = None) -> DrugDef | None:
    """The knowledge base's entry for a drug by any of its names."""
    return find_drug(name, kb)


__all__ = ["check_medications", "drug_info", "find_drug", "PatientFacts", "DrugOrder", "CheckRequest", "MedicationCheck",
           "MedFinding", "ResolvedDrug"]
