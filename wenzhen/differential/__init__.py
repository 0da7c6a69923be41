"""Differential diagnosis: rank knowledge-base conditions against the findings (SPEC 4).

Score = prevalence prior (shrinking as the picture fills) + ln(age multiplier) + ln(sex multiplier) + Σ weights of present
findings and risk factors − ½ Σ weights of denied findings − 1 for each of the patient's symptoms
and signs the condition does not produce (its leak: conditions that explain more of the picture
rank higher) − a time-course penalty (an acute illness for symptoms that have all lasted over four weeks, a
chronic one for symptoms that all began within three days). A condition is considered when one of its key findings is present, or, at a cost,
when two of its presenting findings are; one supported only by the background (smoking, obesity)
is not offered for a patient with symptoms. Scores become relative probabilities by softmax.
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..kb import KnowledgeBase, get_kb
from ..kb.base import read_messages
from ..kb.schema import ConditionDef, Text, TextList
from ..types import trusted
from ..understanding import ClinicalPicture, Finding, age_band, measured_findings

PREVALENCE_PRIOR = {"very_common": 1.5, "common": 0.5, "uncommon": -0.5, "rare": -1.5}
# The fuller the picture, the less the base rate decides: the prevalence prior keeps its full weight for up to two
# presenting findings (a vague picture: the common disease leads) and loses 15% for each further one, to half.
PRIOR_SHRINK = 0.15
PRIOR_FLOOR = 0.5
UNCERTAIN_FACTOR = 0.5  # "好像有点发烧" counts half
DENIED_FACTOR = 0.5
UNEXPLAINED_WEIGHT = 1.0  # a presenting symptom or sign the condition does not produce counts as moderate evidence against
MAX_LIKELY = 5
MAX_CANT_MISS = 6
CANT_MISS_WINDOW = 6.0  # log-odds below the leading condition
PRESENTING_CATEGORIES = ("symptom", "sign")
NO_KEY_PENALTY = 0.75  # log-odds a condition loses when none of its cardinal (key) findings is present
NO_KEY_MIN_FINDINGS = 2  # presenting findings it needs, without a key finding, to be considered at all
# The time course: an acute illness rarely explains symptoms that have all lasted over four weeks, nor a chronic
# one symptoms that all began within three days.
COURSE_PENALTY = 1.5
LONG_STANDING_HOURS = 4 * 7 * 24
NEW_ONSET_HOURS = 72
URGENCY_WEIGHT = 1.5  # log-odds a can't-miss condition gains per triage level of urgency when choosing which to show


class FindingEvidence(BaseModel):
    id: str
    name: Text
    weight: float
    words: str | None = Field(default=None, description="the patient's words, when mentioned")


class Candidate(BaseModel):
    id: str
    name: Text
    aliases: TextList = Field(default_factory=TextList)
    icd10: str | None
    cant_miss: bool
    typical_urgency: int
    score: float
    probability: float = Field(description="relative likelihood among the conditions considered, not a diagnosis")
    likelihood: Literal["likely", "possible", "less_likely"]
    findings_for: list[FindingEvidence]
    findings_against: list[FindingEvidence]
    ask_about: list[FindingEvidence] = Field(description="unmentioned findings that would most change the ranking")
    tests: list[Text]
    immediate_actions: list[Text]
    differential_points: list[Text]
    departments: list[str]
    self_care_possible: bool
    source: str


class Differential(BaseModel):
    likely: list[Candidate] = Field(description="most likely first")
    cant_miss: list[Candidate] = Field(description="dangerous conditions to exclude, even if less likely")
    considered: int


def _age_band_for(picture: ClinicalPicture) -> str:
    d = picture.demographics
    if d.age_years is not None:
        return age_band(d.age_years)
    if d.age_assumed_band:
        return d.age_assumed_band
    return "adult"


@lru_cache(maxsize=8)
def _key_index(kb: KnowledgeBase) -> dict[str, list[ConditionDef]]:
    """Finding id → conditions for which it is a key finding (only these can be candidates)."""
    index: dict[str, list[ConditionDef]] = {}
    for c in kb.conditions.values():
        keys = [w.id for w in c.findings if w.key]
        # A background (diabetes, smoking) does not make a condition a candidate when it has presenting
        # key findings of its own: "糖尿病多年，突然胸痛" is not diabetic retinopathy.
        presenting = [k for k in keys if k in kb.findings and kb.findings[k].category not in ("history", "risk_factor")]
        for k in presenting or keys:
            index.setdefault(k, []).append(c)
    return index


@lru_cache(maxsize=8)
def _own_findings(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Condition id → the findings it explains: its own, what they imply (knee pain is joint pain) and the
    more specific findings that imply them (its "joint pain" explains "pain in many joints")."""
    implied_by: dict[str, set[str]] = {}
    for f in kb.findings.values():
        for g in f.implies:
            implied_by.setdefault(g, set()).add(f.id)
    out = {}
    for c in kb.conditions.values():
        own = {w.id for w in c.findings}
        out[c.id] = frozenset(own.union(*(kb.findings[x].implies for x in own if x in kb.findings),
                                        *(implied_by.get(x, ()) for x in own)))
    return out


@lru_cache(maxsize=8)
def _presenting_index(kb: KnowledgeBase) -> dict[str, list[ConditionDef]]:
    """Presenting finding id (symptom or sign) → conditions it supports (positive weight)."""
    index: dict[str, list[ConditionDef]] = {}
    for c in kb.conditions.values():
        for w in c.findings:
            if w.weight > 0 and w.id in kb.findings and kb.findings[w.id].category in PRESENTING_CATEGORIES:
                index.setdefault(w.id, []).append(c)
    return index


# A condition the text names (a report's conclusion, a doctor's words) counts as strong evidence for it; not
# overwhelming, since case notes also name past or suspected ones ("after an upper respiratory infection").
STATED_WEIGHT = 4.0


def _course(by_id: dict, presenting: frozenset[str]) -> str | None:
    """"long" when every dated symptom or sign has lasted over four weeks, "new" when all began within three days."""
    hours = [f.duration_hours for fid, f in by_id.items() if fid in presenting and f.duration_hours is not None]
    if not hours:
        return None
    if min(hours) > LONG_STANDING_HOURS:
        return "long"
    if max(hours) <= NEW_ONSET_HOURS:
        return "new"
    return None


def _score(c: ConditionDef, picture: ClinicalPicture, band: str, by_id: dict, history: set[str],
           stated: dict | None = None, presenting: frozenset[str] = frozenset(),
           own: dict[str, frozenset[str]] | None = None, course: str | None = None) -> tuple[float, ConditionDef, list, list] | None:
    """The score, with the evidence as plain tuples (fid, weight, words): only the conditions shown
    become models (_candidate), which keeps a large knowledge base fast."""
    if c.requires_any and not any(x in by_id and by_id[x].affirmed for x in c.requires_any):
        return None  # a pregnancy complication without a pregnancy is not a candidate
    age_mult = c.age_prior.get(band, 1.0)  # type: ignore[arg-type]
    sex = picture.demographics.sex
    sex_mult = c.sex_prior.get(sex, 1.0) if sex else 1.0  # type: ignore[arg-type]
    if age_mult <= 0 or sex_mult <= 0:
        return None
    shrink = max(PRIOR_FLOOR, 1 - PRIOR_SHRINK * max(0, len(presenting) - 2))
    score = PREVALENCE_PRIOR[c.prevalence] * shrink + math.log(age_mult) + math.log(sex_mult)
    pro: list[tuple] = []
    con: list[tuple] = []
    for w in c.findings:
        f = by_id.get(w.id)
        if f is None:
            continue
        if f.affirmed:
            factor = UNCERTAIN_FACTOR if f.status == "uncertain" else 1.0
            score += w.weight * factor
            (pro if w.weight > 0 else con).append((w.id, w.weight, f.evidence.text))
        elif f.status == "absent" and w.weight > 0:
            score -= DENIED_FACTOR * w.weight
            con.append((w.id, w.weight, f.evidence.text))
    if presenting and own is not None:
        score -= (c.unexplained_weight or UNEXPLAINED_WEIGHT) * len(presenting - own[c.id])
    if (course == "long" and c.course == "acute") or (course == "new" and c.course == "chronic"):
        score -= COURSE_PENALTY
        con.append((f"course:{course}", COURSE_PENALTY, None))
    said = (stated or {}).get(c.id)
    if said is not None:
        score += STATED_WEIGHT
        pro.append((f"stated:{c.id}", STATED_WEIGHT, said.evidence.text))
    for w in c.risk_factors:
        if w.id in history:
            score += w.weight
            pro.append((w.id, w.weight, by_id[w.id].evidence.text if w.id in by_id else None))
    return score, c, pro, con


_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))
_NAMED_IN_TEXT = Text(**_MESSAGES["named_in_text"])
_COURSE = {"course:long": Text(**_MESSAGES["course_long"]), "course:new": Text(**_MESSAGES["course_new"])}
_UNNAMED = Text.model_construct(zh="", en="")  # a finding the KB does not name (its loader prevents this)


def _evidence(kb: KnowledgeBase, fid: str, weight: float, words: str | None) -> FindingEvidence:
    # Trusted values from the validated KB: no re-validation on this hot path.
    if fid.startswith("stated:"):
        name = _NAMED_IN_TEXT
    elif fid in _COURSE:
        name = _COURSE[fid]
    else:
        fd = kb.findings.get(fid)
        name = fd.name if fd is not None else _UNNAMED
    return trusted(FindingEvidence, id=fid, name=name, weight=weight, words=words)


def _candidate(kb: KnowledgeBase, by_id: dict, probability: float, score: float, c: ConditionDef, pro: list,
               con: list) -> Candidate:
    # What the patient has not mentioned, the most telling first: only for the conditions shown.
    unmentioned = sorted(((w.id, w.weight) for w in c.findings if w.id not in by_id), key=lambda e: -abs(e[1]))
    return trusted(
        Candidate, id=c.id, name=c.name, aliases=c.aliases,
        icd10=c.icd10, cant_miss=c.cant_miss,
        typical_urgency=c.typical_urgency, score=round(score, 3), probability=probability,
        likelihood="likely" if probability >= 0.4 else "possible" if probability >= 0.12 else "less_likely",
        findings_for=sorted((_evidence(kb, *e) for e in pro), key=lambda e: -e.weight),
        findings_against=[_evidence(kb, *e) for e in con],
        ask_about=[_evidence(kb, fid, wt, None) for fid, wt in unmentioned[:4]],
        tests=c.tests, immediate_actions=c.immediate_actions, differential_points=c.differential_points,
        departments=c.departments, self_care_possible=c.self_care_possible, source=c.source,
    )


def _measured_absent(picture: ClinicalPicture, kb: KnowledgeBase, by_id: dict) -> dict:
    """Findings a measurement rules out (systolic 85 mmHg: no raised blood pressure; 36.8 °C: no fever), counted as
    denied unless the patient's words speak of them (a fever reported for two days stands against one normal
    reading). Not added to the picture: the triage and the findings shown stay what was said and measured."""
    return {fd.id: Finding(id=fd.id, name=fd.name, category=fd.category, status="absent", evidence=ev,
                           implied_by=f"vital:{fd.from_vital.vital}")
            for fd, met, ev in measured_findings(picture, kb) if not met and fd.id not in by_id}


def differential(picture: ClinicalPicture, kb: KnowledgeBase | None = None, max_likely: int = MAX_LIKELY) -> Differential:
    """Rank the conditions that fit the picture (the first max_likely); surface the can't-miss ones."""
    kb = kb or get_kb()

    band = _age_band_for(picture)
    by_id = {f.id: f for f in picture.findings if f.experiencer == "patient"}
    by_id.update(_measured_absent(picture, kb, by_id))
    history = picture.history_ids()
    index = _key_index(kb)
    pool = {c.id: c for fid, f in by_id.items() if f.affirmed for c in index.get(fid, ())}
    # Without any cardinal finding a condition can still fit a picture it explains in several ways
    # (croup told as fever, cough and noisy breathing); it is considered at a cost.
    counts: dict[str, int] = {}
    supports = _presenting_index(kb)
    for fid, f in by_id.items():
        if f.affirmed:
            for c in supports.get(fid, ()):
                counts[c.id] = counts.get(c.id, 0) + 1
    no_key = {cid for cid, n in counts.items() if n >= NO_KEY_MIN_FINDINGS and cid not in pool}
    pool.update({cid: kb.conditions[cid] for cid in no_key})
    # A diagnosis named as the current one counts; a past one ("History: episodes of conjunctivitis") does not.
    stated = {d.id: d for d in picture.stated_diagnoses if d.affirmed and not d.historical and d.id in kb.conditions}
    pool.update({cid: kb.conditions[cid] for cid in stated})
    # The symptoms and signs the patient has: each one a condition does not produce counts against it.
    presenting = frozenset(fid for fid, f in by_id.items() if f.affirmed and fid in kb.findings
                           and kb.findings[fid].category in PRESENTING_CATEGORIES)
    course = _course(by_id, presenting)
    scored = [s for c in pool.values() if (s := _score(c, picture, band, by_id, history, stated, presenting,
                                                                 _own_findings(kb), course)) is not None]
    scored = [(s[0] - NO_KEY_PENALTY, *s[1:]) if s[1].id in no_key and s[1].id not in stated else s for s in scored]
    # The differential explains the complaint: a condition supported only by the background (smoking, obesity)
    # is not offered when the patient presents with symptoms or signs. What happened (a sunburn, a snake bite,
    # a fall) is part of the complaint, not background.
    if presenting:
        events = frozenset(fid for fid, f in by_id.items() if f.affirmed and fid in kb.findings
                           and kb.findings[fid].category == "context")
        scored = [s for s in scored if s[1].id in stated or any(e[0] in presenting or e[0] in events for e in s[2])] or scored
    if not scored:
        return Differential(likely=[], cant_miss=[], considered=0)
    scored.sort(key=lambda s: (-s[0], s[1].id))
    top = scored[0][0]
    z = sum(math.exp(s[0] - top) for s in scored)
    # Danger, not likelihood, decides this list: any can't-miss condition within reach of the leader.
    near = [s for s in scored if s[1].cant_miss and s[0] >= top - CANT_MISS_WINDOW]
    # Danger and plausibility together choose the list (a more urgent condition counts as if more likely),
    # so a long tail of barely-supported level-I conditions cannot crowd out a plausible one; shown most urgent first.
    near = sorted(near, key=lambda s: -(s[0] + URGENCY_WEIGHT * (4 - s[1].typical_urgency)))[:MAX_CANT_MISS]
    near.sort(key=lambda s: (s[1].typical_urgency, -round(s[0], 3)))
    built: dict[str, Candidate] = {}
    for s in scored[:max_likely] + near:  # only what is shown becomes a model and gets its names
        if s[1].id in built:
            continue
        built[s[1].id] = _candidate(kb, by_id, round(math.exp(s[0] - top) / z, 4), *s)
    likely = [built[s[1].id] for s in scored[:max_likely]]
    cant_miss = [built[s[1].id] for s in near]
    return Differential(likely=likely, cant_miss=cant_miss, considered=len(scored))


__all__ = ["differential", "Differential", "Candidate", "FindingEvidence"]
