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
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from wenzhen.assessment import assess
from wenzhen.kb import get_kb

from .common import Skip, dataset

SYNONYMS = Path(__file__).with_name("avey_synonyms.yaml")


def _norm(s: str) -> str:
    """Comparable spelling: case, punctuation, possessives and British spellings (anaemia, oesophagus) folded."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()  # Guillain-Barré → Guillain-Barre
    s = re.sub(r"'s\b", "", s.lower())
    s = re.sub(r"ae", "e", s)
    s = re.sub(r"our\b", "or", s)  # labour, tumour
    s = re.sub(r"(?<=[a-z])oe|\boe", "e", s)
    s = re.sub(r"(?<=[a-z]{3})is(?=e\b|ed\b|ing\b|ation)", "iz", s)  # necrotising → necrotizing
    return re.sub(r"[^a-z0-9]", "", s)


def _name_keys(name: str) -> set[str]:
    """A KB name and the plain names inside it: "acute cystitis (lower urinary tract infection)" also answers to
    "acute cystitis"; "acute cholecystitis or biliary colic" to either; "(including …)" adds nothing."""
    keys = {name, re.sub(r"\s*\([^)]*\)", "", name)}
    for part in re.findall(r"\(([^)]*)\)", name):
        if not re.match(r"(?:including|incl\.|e\.g\.|with|without|not|mostly|usually|any|all)\b", part.strip(), re.I):
            keys.update(x for x in re.split(r",|;|/| or ", part) if len(x.strip()) > 3)
    base = re.sub(r"\s*\([^)]*\)", "", name)
    keys.update(x for x in re.split(r" / | or |/", base) if len(x.strip()) > 3)
    # Qualifiers a diagnosis list leaves out ("suspected endometrial cancer", "age-related cataract"); a bare name
    # that two conditions share ("acute"/"chronic bronchitis") matches neither (see _by_name).
    keys.update(re.sub(r"^(?:suspected|acute|age-related|uncomplicated|simple|uncontrolled|decompensated|recurrent)\s+", "", k)
                for k in list(keys))
    keys.update(re.sub(r"\s+in (?:children|adults|infants|the elderly)$", "", k) for k in list(keys))
    return {_norm(k) for k in keys if _norm(k)}


@lru_cache(maxsize=4)
def _by_name(kb) -> dict[str, str | None]:
    """Normalised name → condition id; a name two conditions share means neither (None)."""
    out: dict[str, str | None] = {}
    exact = {_norm(n): c.id for c in kb.conditions.values() for n in [c.name.en, *c.aliases.en]}
    for c in kb.conditions.values():
        for n in [c.name.en, *c.aliases.en]:
            for k in _name_keys(n):
                out[k] = c.id if out.get(k, c.id) == c.id else None
    out.update(exact)  # a condition's own full name or alias always wins
    return out


def condition_for(name: str, kb=None) -> str | None:
    kb = kb or get_kb()
    table = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or {}
    if name in table:
        return table[name] if table[name] in kb.conditions else None
    by_name = _by_name(kb)
    found = by_name.get(_norm(name))
    if found is None:  # "Acute Sinusitis" is the KB's "sinusitis" when no other sinusitis competes
        bare = re.sub(r"^(?:acute|suspected|simple|uncomplicated)\s+", "", name.strip(), flags=re.I)
        found = by_name.get(_norm(bare)) if bare != name.strip() else None
    return found


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
