"""Every condition's own textbook presentation, built from the KB: must rank it in the top 3 and
triage it at least as urgently as its `typical_urgency`.

The text joins the first Chinese (or English) surface form of the condition's key findings and
strongest other findings, with an age from its age prior and a sex from its sex prior. It is
written with the lexicon, so it tests the ranking and the rules, not understanding.

    python -m benchmarks.textbook [--misses]
"""
from __future__ import annotations

import json
import sys

from wenzhen.assessment import assess
from wenzhen.kb import get_kb

_BAND_AGE = {"infant": 0.5, "child": 6, "adolescent": 15, "adult": 40, "elderly": 75}
MAX_FINDINGS = 5


def presentation(cond, kb, lang: str) -> tuple[str, float, str | None]:
    positive = sorted((w for w in cond.findings if w.weight > 0), key=lambda w: (not w.key, -w.weight))[:MAX_FINDINGS]
    ids = [w.id for w in positive]
    if cond.requires_any and not set(ids) & set(cond.requires_any):
        ids = [cond.requires_any[0]] + ids[:MAX_FINDINGS - 1]  # its prerequisite (a pregnancy) is part of the picture
    words = [(kb.findings[i].zh[0] if lang == "zh" else kb.findings[i].en[0]) for i in ids]
    band = max(_BAND_AGE, key=lambda b: cond.age_prior.get(b, 1.0))
    sex = None
    if cond.sex_prior:
        sex = max(("female", "male"), key=lambda s: cond.sex_prior.get(s, 1.0))
    return ("，".join(words) if lang == "zh" else ", ".join(words)), _BAND_AGE[band], sex


def run(show_misses: bool = False) -> dict:
    kb = get_kb()
    out = {}
    for lang in ("zh", "en"):
        n = top3 = top1 = urgent_ok = 0
        for cond in kb.conditions.values():
            text, age, sex = presentation(cond, kb, lang)
            a = assess(text, age=age, sex=sex, language=lang)
            ids = [c.id for c in a.differential.likely]
            n += 1
            top1 += ids[:1] == [cond.id]
            top3 += cond.id in ids[:3]
            ok = a.triage.triage_level <= cond.typical_urgency
            urgent_ok += ok
            if show_misses and (cond.id not in ids[:3] or not ok):
                print(f"{lang} {cond.id} U{cond.typical_urgency}->L{a.triage.triage_level} top3={ids[:3]} | {text}", file=sys.stderr)
        out[lang] = {"conditions": n, "top1": top1 / n, "top3": top3 / n, "urgency_reached": urgent_ok / n}
    return out


if __name__ == "__main__":
    print(json.dumps(run("--misses" in sys.argv), indent=1))
