"""What to do now: from the triage decision first, then the leading condition when it agrees.

Every sentence passes two checks before it is shown: home-care advice (rest, fluids, a painkiller)
is never given at level I–II, and a sentence naming a drug is withheld, with the reason, when what
the patient said (allergy, anticoagulant, bleeding, suspected dissection, pregnancy, age) rules it out.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from ..differential import Differential
from ..kb import KnowledgeBase
from ..kb.schema import DrugCaution, Text, TriageRule
from ..triage import TriageResult
from ..understanding import ClinicalPicture

MAX_ACTIONS = 6


class WithheldAdvice(BaseModel):
    text: str
    reason: str


@lru_cache(maxsize=4)
def _rules_by_id(kb: KnowledgeBase) -> dict[str, TriageRule]:
    return {r.id: r for r in kb.triage_rules}


def _condition_agrees(typical_urgency: int, level: int) -> bool:
    """The leading condition's own advice fits only a triage level close to its usual urgency.

    Carbon monoxide at level II with migraine leading must not say "rest in a dark room";
    a level-IV complaint must not borrow "call 120" from a condition the rules did not confirm.
    """
    return abs(typical_urgency - level) <= 1


def _drug_ruled_out(d: DrugCaution, picture: ClinicalPicture, age: float | None) -> bool:
    # A past bleed or a known allergy counts as much as a current one here.
    said = {f.id for f in picture.findings if f.status in ("present", "uncertain") and f.experiencer == "patient"}
    if said & set(d.findings):
        return True
    if {a.allergen_id for a in picture.allergies if a.allergen_id} & set(d.allergens):
        return True
    if any(m.id in d.medications or m.drug_class in d.drug_classes for m in picture.medications):
        return True
    if d.pregnant and picture.pregnancy is not None and picture.pregnancy.status == "pregnant":
        return True
    return d.max_age is not None and age is not None and age < d.max_age


def _medication_check(picture: ClinicalPicture, drug: str, lang: str) -> list:
    """Findings of major severity or worse that involve `drug`, for this patient and what they already take."""
    from ..kb.base import KBError
    from ..medications import SEVERITY_ORDER, check_medications, facts_from_picture

    try:
        patient, taking = facts_from_picture(picture)
        res = check_medications(patient, [drug, *taking], language=lang)
    except (KBError, ValueError):  # no drug knowledge base, or facts it cannot take: the caution rules above stand
        return []
    return [f for f in res.findings if drug in f.drugs and SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["major"]]


def plan_actions(picture: ClinicalPicture, tri: TriageResult, dif: Differential, kb: KnowledgeBase,
                 lang: str, age: float | None, messages: dict) -> tuple[list[str], list[WithheldAdvice]]:
    """The ordered what-to-do-now list and the advice withheld from it, with reasons."""
    rules = _rules_by_id(kb)
    candidates: list[Text] = [tri.disposition_text]
    decided = [rules[r.id] for r in tri.rules_fired if r.level == tri.triage_level and r.id in rules]
    for fired in tri.rules_fired:
        rule = rules.get(fired.id)
        if rule is not None:
            candidates += rule.actions
    top = dif.likely[0] if dif.likely else None
    if top is not None and _condition_agrees(top.typical_urgency, tri.triage_level):
        # An emergency decided by a rule with its own actions speaks for itself: a guessed diagnosis
        # adds its advice only when the rule names it (chest pain → ACS: aspirin; anaphylaxis → not
        # asthma's "use your reliever inhaler").
        acting = [r for r in decided if r.actions]
        if not acting or tri.triage_level > kb.advice_safety.home_care_max_level_urgent \
                or any(top.id in r.conditions for r in acting):
            candidates += top.immediate_actions

    safety = kb.advice_safety
    urgent = tri.triage_level <= safety.home_care_max_level_urgent
    shown: list[str] = []
    withheld: list[WithheldAdvice] = []
    for t in candidates:
        text = t.pick(lang)
        if text in shown or any(w.text == text for w in withheld):
            continue
        low = text.lower()
        named = [d for d in safety.drugs if any(w in low for w in d.words)]
        blocked = next((d for d in named if _drug_ruled_out(d, picture, age)), None)
        if blocked is not None:
            withheld.append(WithheldAdvice(text=text, reason=blocked.reason.pick(lang)))
            continue
        # The same checks as a prescription: what the patient takes, is allergic to or has (warfarin and aspirin).
        found = next((f for d in named if d.drug for f in _medication_check(picture, d.drug, lang)), None)
        if found is not None:
            withheld.append(WithheldAdvice(text=text, reason=f"{found.message} {found.what_to_do}"))
            continue
        if urgent and t is not tri.disposition_text and any(w in low for w in safety.home_care_words):
            withheld.append(WithheldAdvice(text=text, reason=messages["urgent_no_home_care"][lang]))
            continue
        shown.append(text)
    return _say_call_120_once(shown, messages["call_120_opening"][lang])[:MAX_ACTIONS], withheld


def _say_call_120_once(actions: list[str], opening: str) -> list[str]:
    """'Call 120' once: the first action that opens with it stands for the bare line; later ones keep the rest."""
    pattern = re.compile(opening, re.I)
    opened = [i for i, a in enumerate(actions) if pattern.match(a) and pattern.sub("", a, count=1)]
    if not opened:
        return actions
    out: list[str] = []
    for i, a in enumerate(actions):
        rest = pattern.sub("", a, count=1) if pattern.match(a) else None
        if rest is None or i == opened[0]:
            out.append(a)
        elif rest and i > opened[0]:
            out.append(rest[0].upper() + rest[1:])
        # a bare "call 120" line, or one before the first full one, is said by the first full one
    return out


__all__ = ["plan_actions", "WithheldAdvice"]
