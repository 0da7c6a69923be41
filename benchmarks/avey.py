"""Differential diagnosis on avey-dev (200 physician-written vignettes with their correct diagnosis).

Each vignette is given three ways: the English case (demographics, complaints, presentation, the findings it
says are absent, history), its Chinese case summary, and a Chinese retelling in a patient's words. The
diagnosis is matched to a KB condition through its name and aliases or the synonym table
(benchmarks/avey_synonyms.yaml), never per vignette. Coverage: the diagnosis is a condition of the KB.
    python -m benchmarks.avey
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from wenzhen.assessment import assess
from wenzhen.kb import get_kb

from .common import Skip, dataset

SYNONYMS = Path(__file__).with_name("avey_synonyms.yaml")


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def condition_for(name: str, kb=None) -> str | None:
    kb = kb or get_kb()
    table = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or {}
    if name in table:
        return table[name] if table[name] in kb.conditions else None
    by_name = {_norm(n): c.id for c in kb.conditions.values() for n in [c.name.en, *c.aliases.en]}
    return by_name.get(_norm(name))


def english_case(e: dict) -> str:
    parts = [e["demographics"] + ".", e["chief_complaints"] + ".", e["presentation"], e.get("absent_findings") or ""]
    if (e.get("physical_history") or "").strip() not in ("", "-"):
        parts.append("History: " + e["physical_history"])
    return " ".join(p for p in parts if p)


def run() -> dict:
    root = dataset("avey-dev")
    en = [json.loads(line) for line in open(root / "vignettes.jsonl", encoding="utf-8")]
    zh = [json.loads(line) for line in open(root / "vignettes_zh.jsonl", encoding="utf-8")]
    kb = get_kb()
    targets = [condition_for(e["correct_diagnosis"], kb) for e in en]
    out = {"n": len(en), "coverage": sum(t is not None for t in targets) / len(en)}
    for key, texts in (("en_case", [english_case(e) for e in en]), ("zh_case", [z["clinical_zh"] for z in zh]),
                       ("zh_patient", [z["patient_zh"] for z in zh])):
        ranks = []
        for text, target in zip(texts, targets):
            ids = [c.id for c in assess(text).differential.likely]
            ranks.append(ids.index(target) + 1 if target in ids else None)
        out[key] = {f"top{k}": sum(r is not None and r <= k for r in ranks) / len(ranks) for k in (1, 3, 5)}
        covered = [r for r, t in zip(ranks, targets) if t is not None]
        out[key]["top3_of_covered"] = sum(r is not None and r <= 3 for r in covered) / max(1, len(covered))
    return out


if __name__ == "__main__":
    try:
        print(json.dumps(run(), indent=2))
    except Skip as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
