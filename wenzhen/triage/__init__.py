"""Triage: red-flag rules and vital-sign criteria → level on the Chinese 4-level scale (SPEC 2).

Deterministic and conservative: the most urgent rule that fires decides; a likely can't-miss
condition can raise the level but nothing lowers it.
"""
from __future__ import annotations

import operator
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..differential import Differential
from ..kb import KnowledgeBase, get_kb
from ..kb.base import fill, read_messages
from ..kb.schema import Text, TriageRule
from ..understanding import ClinicalPicture, age_band

_DISPOSITION_ORDER = ["call_120", "emergency_now", "doctor_24h", "outpatient", "self_care"]
_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))


_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_SEVERITY_RANK = {"mild": 1, "moderate": 2, "severe": 3}

Disposition = Literal["call_120", "emergency_now", "doctor_24h", "outpatient", "self_care"]


class FiredRule(BaseModel):
    id: str
    level: int
    reason: Text
    source: str
    disposition: Disposition | None = None
    department: str | None = None
    evidence: list[str] = Field(default_factory=list, description="the words or measurements that made it fire")
    kind: Literal["red_flag", "vital_sign", "suspected_condition"] = "red_flag"


class TriageResult(BaseModel):
    triage_level: Literal[1, 2, 3, 4]
    level_name: Text
    disposition: Disposition
    disposition_text: Text
    rules_fired: list[FiredRule]
    ktas_equivalent: Literal[1, 2, 3, 4, 5] = Field(description="I→1, II→2, III→3, IV→4, IV with self-care→5")
    notes: list[Text] = Field(default_factory=list, description="assumptions and what would change the advice")


def _severity(f, pain_score: float | None, bands) -> int:
    if f.severity:
        return _SEVERITY_RANK[f.severity]
    if pain_score is not None:
        return 3 if pain_score >= bands.severe else 2 if pain_score >= bands.moderate else 1
    return 0


# Measurements the early-warning score reads, by the calculator's variable names.
_WARNING_INPUTS = {"rr": "respiratory_rate", "spo2": "spo2", "sbp": "sbp", "hr": "heart_rate", "temp_c": "temperature"}


def _early_warning(picture: ClinicalPicture, pol, age: float | None) -> FiredRule | None:
    """NEWS2 over the measured vital signs, when there are enough of them."""
    if pol is None:
        return None
    # Unknown age with no word for a child: assessed as an adult, as the rules are.
    if (age is None and picture.demographics.age_assumed_band is not None) or (age is not None and age < pol.min_age):
        return None
    v = picture.vitals
    inputs: dict = {name: getattr(v, k) for k, name in _WARNING_INPUTS.items() if getattr(v, k) is not None}
    confused = any(f.id == "confusion" and f.affirmed for f in picture.findings)
    # The level of consciousness is one of the score's parameters, observed or described.
    if len(inputs) + (picture.consciousness is not None or confused) < pol.min_measurements:
        return None
    from ..calculators.engine import calculate  # the calculator KB loads only when a summary has vitals

    if picture.consciousness is not None:
        inputs["acvpu"] = {"A": "alert", "V": "voice", "P": "pain", "U": "unresponsive"}[picture.consciousness]
    inputs["confusion"] = confused
    try:
        score = calculate(pol.calculator, inputs).value
    except ValueError:
        return None
    band = next((b for b in pol.bands if score is not None and score >= b.min_score), None)
    if band is None:
        return None
    ev = [picture.vitals.evidence[k].text for k in _WARNING_INPUTS if k in picture.vitals.evidence]
    reason = Text(zh=pol.reason.zh.format(score=score), en=pol.reason.en.format(score=score))
    return FiredRule(id=f"{pol.calculator}_{band.min_score:g}_or_more", level=band.level, reason=reason, source=pol.source,
                     disposition=band.disposition, kind="vital_sign", evidence=ev[:5])


def _gate(rule: TriageRule) -> frozenset[str] | None:
    """Findings of which at least one must be affirmed for the rule to fire (None: no finding needed)."""
    if rule.all_findings:
        return frozenset(rule.all_findings[:1])
    if rule.any_findings:
        return frozenset(rule.any_findings)
    if rule.any_findings_2:
        return frozenset(rule.any_findings_2)
    return None


@lru_cache(maxsize=8)
def _rule_index(kb: KnowledgeBase) -> tuple[list[int], dict[str, list[int]]]:
    """Rules needing no finding, and for each finding the rules it can open (built once per KB)."""
    always: list[int] = []
    by_finding: dict[str, list[int]] = {}
    for i, r in enumerate(kb.triage_rules):
        gate = _gate(r)
        if gate is None:
            always.append(i)
        else:
            for fid in gate:
                by_finding.setdefault(fid, []).append(i)
    return always, by_finding


def _candidate_rules(kb: KnowledgeBase, affirmed: dict) -> list[TriageRule]:
    """The rules that can fire given the affirmed findings, in KB order (an index instead of trying all)."""
    always, by_finding = _rule_index(kb)
    picked = set(always)
    for fid in affirmed:
        picked.update(by_finding.get(fid, ()))
    return [kb.triage_rules[i] for i in sorted(picked)]


def _stated(picture: ClinicalPicture, policy, kb: KnowledgeBase) -> list[FiredRule]:
    """A named, present condition (a report's conclusion, what a doctor said) at its typical urgency."""
    if policy.stated_diagnosis_max_level is None:
        return []
    out = []
    for d in picture.stated_diagnoses:
        c = kb.conditions.get(d.id)
        if c is None or not d.affirmed or c.typical_urgency > policy.stated_diagnosis_max_level:
            continue
        level = policy.stated_diagnosis_max_level
        out.append(FiredRule(
            id=f"stated_{c.id}", level=level, kind="suspected_condition",
            reason=fill(_MESSAGES["stated_reason"], name=c.name),
            source=c.source, disposition="emergency_now",
            department=c.departments[0], evidence=[d.evidence.text]))
    return out


def _rule_fires(rule: TriageRule, picture: ClinicalPicture, affirmed: dict, age: float | None, policy) -> list[str] | None:
    """The evidence words if the rule fires, else None."""
    evidence: list[str] = []
    if rule.all_findings:
        if not all(x in affirmed for x in rule.all_findings):
            return None
        evidence += [affirmed[x].evidence.text for x in rule.all_findings]
    for group in (rule.any_findings, rule.any_findings_2):
        if group:
            hit = [x for x in group if x in affirmed]
            if not hit:
                return None
            evidence += [affirmed[x].evidence.text for x in hit]
    if rule.unless_present and any(f in affirmed for f in rule.unless_present):
        return None
    if rule.unless_denied and set(rule.unless_denied) <= picture.denied_ids():
        return None
    if rule.acute_within_hours is not None:
        basis = [affirmed[x] for x in rule.all_findings + rule.any_findings + rule.any_findings_2 if x in affirmed]
        if basis and all(f.duration_hours is not None and f.duration_hours > rule.acute_within_hours for f in basis):
            return None
    for crit in ([rule.vital] if rule.vital is not None else []) + rule.vitals_all:
        value = getattr(picture.vitals, crit.vital)
        if value is None or not _OPS[crit.op](value, crit.value):
            return None
        ev = picture.vitals.evidence.get(crit.vital)
        evidence.append(ev.text if ev else f"{crit.vital}={value:g}")
    if rule.consciousness:
        if picture.consciousness not in rule.consciousness:
            return None
        evidence.append(f"AVPU={picture.consciousness}")
    if rule.min_age is not None or rule.max_age is not None:
        if age is None:
            # Unknown age: keep adult rules (escalate when unsure), skip age-specific ones.
            unknown = policy.unknown_age
            bound = unknown.adult_rules_up_to_min_age_by_subject.get(picture.demographics.subject or "",
                                                                     unknown.adult_rules_up_to_min_age)
            if (rule.max_age is not None and rule.max_age < unknown.rules_reaching_age) or (rule.min_age or 0) > bound:
                return None
        else:
            if rule.min_age is not None and age < rule.min_age:
                return None
            if rule.max_age is not None and age >= rule.max_age:
                return None
    if rule.sex is not None and picture.demographics.sex not in (None, rule.sex):
        return None
    if rule.pregnant is not None:
        pregnant = picture.pregnancy is not None and picture.pregnancy.status == "pregnant"
        if pregnant != rule.pregnant:
            return None
    involved = [affirmed[x] for x in rule.all_findings + rule.any_findings + rule.any_findings_2 if x in affirmed]
    if rule.min_severity is not None:
        need = _SEVERITY_RANK[rule.min_severity]
        if not any(_severity(f, picture.vitals.pain_score, policy.pain_score_bands) >= need for f in involved):
            return None
    if rule.onset_sudden and not any(f.onset == "sudden" for f in involved):
        return None
    return list(dict.fromkeys(evidence))


def patient_age(picture: ClinicalPicture, kb: KnowledgeBase | None = None) -> tuple[float | None, bool]:
    """Age in years for rule checks, and whether it was assumed from words like 宝宝."""
    d = picture.demographics
    if d.age_years is not None:
        return d.age_years, False
    if d.age_assumed_band:
        return (kb or get_kb()).triage_policy.assumed_age_by_band[d.age_assumed_band], True
    return None, False


def _self_care_ok(picture: ClinicalPicture, differential: Differential | None, kb: KnowledgeBase,
                  age: float | None, fired: list[FiredRule]) -> bool:
    pol = kb.triage_policy.self_care
    if fired or differential is None or not differential.likely:
        return False
    top = differential.likely[0]
    # Self-care only when a benign, self-limiting condition clearly leads and nothing dangerous is close.
    benign = sum(c.probability for c in differential.likely if c.self_care_possible) if pol.benign_probability_pooled \
        else top.probability
    if not top.self_care_possible or benign < pol.min_top_probability:
        return False
    # Only what the patient said counts here: a measurement-derived finding (血压 → 血压升高) needs a doctor.
    said = {f.id for f in picture.findings if f.affirmed and not (f.implied_by or "").startswith("vital:")}
    support = [e for e in top.findings_for if e.id in said and e.weight > 0]
    keys = {w.id for w in kb.conditions[top.id].findings if w.key} if top.id in kb.conditions else set()
    specific = pol.single_key_finding_weight is not None and any(
        e.id in keys and e.weight >= pol.single_key_finding_weight for e in support)
    checked = pol.min_denials_for_single_finding is not None and support and \
        len(picture.denied_ids()) >= pol.min_denials_for_single_finding
    if len(support) < pol.min_supporting_findings and not specific and not checked:
        return False
    if any((f.implied_by or "").startswith("vital:") for f in picture.findings if f.affirmed):
        return False
    if any(c.cant_miss and c.probability >= pol.max_cant_miss_probability for c in differential.likely):
        return False
    d = picture.demographics
    if age is None and pol.self_report_unknown_age_as_adult and d.subject == "self" and d.age_assumed_band is None:
        age = pol.min_age  # only an adult types about themselves this way; the bounds below still hold
    if age is None or not (pol.min_age <= age <= pol.max_age):
        return False
    if picture.history_ids() & set(pol.blocking_history):
        return False
    if said & set(pol.blocking_findings):
        return False
    if picture.medications and said & set(pol.blocking_findings_on_medication):
        return False
    if pol.child_max_age is not None and age <= pol.child_max_age and said & set(pol.child_blocking_findings):
        return False
    t = picture.vitals.temp_c
    if pol.max_temperature_c is not None and t is not None and t >= pol.max_temperature_c:
        return False
    pain = picture.vitals.pain_score
    if pol.max_pain_score is not None and pain is not None and pain >= pol.max_pain_score:
        return False
    if picture.pregnancy and picture.pregnancy.status == "pregnant":
        return False
    durations = [f.duration_hours for f in picture.findings if f.affirmed and f.duration_hours is not None
                 and f.category in ("symptom", "sign")]
    return all(d <= pol.max_duration_hours for d in durations)


def _denied(before: str, danger) -> bool:
    """"没出血", "无活动性出血": the danger word is denied, not an alarm; "有没有出血" only asks."""
    for gap in danger.negated_gap:
        if before.endswith(gap):
            before = before[:-len(gap)]
            break
    return before.endswith(tuple(danger.negators)) and not before.endswith(tuple(danger.questions))


def triage(picture: ClinicalPicture, differential: Differential | None = None,
           kb: KnowledgeBase | None = None) -> TriageResult:
    kb = kb or get_kb()
    policy = kb.triage_policy
    affirmed = {f.id: f for f in picture.findings if f.affirmed}
    age, assumed = patient_age(picture, kb)
    fired: list[FiredRule] = []
    for rule in _candidate_rules(kb, affirmed):
        ev = _rule_fires(rule, picture, affirmed, age, policy)
        if ev is None:
            continue
        fired.append(FiredRule(
            id=rule.id, level=rule.level, reason=Text(zh=rule.reason.zh, en=rule.reason.en), source=rule.source,
            disposition=rule.disposition, department=rule.department, evidence=ev,
            kind="vital_sign" if (rule.vital is not None or rule.vitals_all or rule.consciousness)
            and not (rule.any_findings or rule.all_findings) else "red_flag",
        ))
    if not fired and not any(f.category in ("symptom", "sign", "context") for f in affirmed.values()):
        # Not understood, but a danger word (倒了, 吞了, collapsed): never an outpatient booking.
        danger = policy.unrecognised_danger
        low = picture.text.lower()
        # Words read as part of a finding, even a denied one ("无阴道流血"), were understood: they are not alarms.
        spans = [(f.evidence.start, f.evidence.end) for f in picture.findings if f.evidence.end > f.evidence.start]
        said = [w for w in danger.words
                if any(not any(a <= m.start() and m.end() <= b for a, b in spans)
                       and not _denied(low[:m.start()], danger)
                       for m in (re.finditer(rf"\b{re.escape(w)}\b", low) if w.isascii() else re.finditer(re.escape(w), low)))]
        if said:
            fired.append(FiredRule(id="unrecognised_danger_words", level=danger.level, reason=danger.reason,
                                   source=danger.source, disposition=danger.disposition, evidence=said[:4]))
    warning = _early_warning(picture, policy.early_warning, age)
    if warning is not None:
        fired.append(warning)
    fired += _stated(picture, policy, kb)
    level = min([r.level for r in fired], default=policy.default_level)

    # A likely can't-miss condition lifts the level (never lowers it).
    if differential is not None:
        for cand in differential.likely[:3]:
            # A pattern (two or more supporting findings), not one symptom: single red flags are rules' job.
            # ... and one of its cardinal (key) findings among them: a look-alike without one is a weak hypothesis.
            keys = {w.id for w in kb.conditions[cand.id].findings if w.key} if cand.id in kb.conditions else set()
            supporting = [e for e in cand.findings_for if e.words and e.weight > 0]
            if not any(e.id in keys or e.id.startswith("stated:") for e in supporting):
                continue
            # Look-alike dangers share the probability (bacterial, TB and fungal meningitis): what counts is
            # the chance that one of this urgency is going on, not how a large KB splits it.
            pooled = sum(c.probability for c in differential.likely if c.cant_miss and c.typical_urgency <= cand.typical_urgency)
            if (cand.cant_miss and pooled >= policy.diagnosis_escalation_min_probability
                    and len(supporting) >= policy.diagnosis_escalation_min_findings):
                needed = policy.strong_pattern_min_findings
                if cand.typical_urgency <= 2 and policy.strong_pattern_min_findings_emergency is not None:
                    needed = policy.strong_pattern_min_findings_emergency
                strong = len(supporting) >= needed and cand.probability >= policy.strong_pattern_min_probability
                cap = policy.strong_pattern_max_level if strong else policy.diagnosis_escalation_max_level
                target = max(cand.typical_urgency, cap)
                if target < level:
                    fired.append(FiredRule(
                        id=f"suspected_{cand.id}", level=target, kind="suspected_condition",
                        reason=fill(_MESSAGES["suspected_reason"], name=cand.name),
                        source=cand.source, disposition="emergency_now" if target <= 2 else "doctor_24h" if target == 3 else None,
                        department=cand.departments[0], evidence=[e.words for e in cand.findings_for if e.words][:4],
                    ))
                    level = min(level, target)

    lead = policy.leading_condition_escalation
    if differential is not None and lead is not None and differential.likely:
        top = differential.likely[0]
        supporting = [e for e in top.findings_for if e.words and e.weight > 0]
        target = max(top.typical_urgency, lead.max_level)
        if target < level and top.probability >= lead.min_probability and len(supporting) >= lead.min_findings:
            fired.append(FiredRule(
                id=f"likely_{top.id}", level=target, kind="suspected_condition",
                reason=fill(_MESSAGES["likely_reason"], name=top.name),
                source=top.source, disposition="doctor_24h", department=top.departments[0],
                evidence=[e.words for e in supporting][:4]))
            level = target

    top_rules = [r for r in fired if r.level == level]
    dispositions = [r.disposition for r in top_rules if r.disposition]
    disposition = min(dispositions, key=_DISPOSITION_ORDER.index) if dispositions else policy.default_disposition[level]
    if level == 4 and _self_care_ok(picture, differential, kb, age, fired):
        disposition = "self_care"

    notes: list[Text] = []
    if age is None:
        notes.append(Text(**_MESSAGES["age_not_given"]))
    elif assumed:
        notes.append(fill(_MESSAGES["age_assumed"], band=Text(**_MESSAGES["age_bands"][age_band(age)])))
    if not affirmed and not fired:
        notes.append(Text(**_MESSAGES["nothing_recognised"]))
    ktas = level if level < 4 else (5 if disposition == "self_care" else 4)
    fired.sort(key=lambda r: (r.level, _DISPOSITION_ORDER.index(r.disposition) if r.disposition else 9))
    return TriageResult(
        triage_level=level,  # type: ignore[arg-type]
        level_name=policy.level_names[level],
        disposition=disposition,  # type: ignore[arg-type]
        disposition_text=policy.disposition_text[disposition],
        rules_fired=fired,
        ktas_equivalent=ktas,  # type: ignore[arg-type]
        notes=notes,
    )


__all__ = ["triage", "TriageResult", "FiredRule", "patient_age"]
