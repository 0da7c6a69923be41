"""Drug–drug interactions against DDInter (evaluation only: the KB is written from labels and guidelines, never from
DDInter). Every pair of single-ingredient drugs of the KB that both appear in DDInter (English names mapped through
the DrugBank open vocabulary) is checked with `check_medications`; reported: recall of DDInter's Major pairs (and
Moderate), and the share of the pairs we flag that DDInter lists with no known interaction. A pair counts as flagged
when the check warns about the two together (an interaction, or duplicate therapy of one class). Also the speed of a
10-drug check for a patient with 5 conditions.

    python -m benchmarks.ddinter
"""
from __future__ import annotations

import csv
import statistics
import time
from itertools import combinations

from wenzhen.kb.drug_loader import default_drug_kb
from wenzhen.medications import check_medications

from .common import dataset


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


def _vocabulary() -> dict[str, str]:
    """Any DrugBank name or synonym → its common name (normalised)."""
    out: dict[str, str] = {}
    with open(dataset("drugbank-vocabulary") / "drugbank_vocabulary.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            common = _norm(row["Common name"])
            for n in [row["Common name"], *(row.get("Synonyms") or "").split(" | ")]:
                if n.strip():
                    out.setdefault(_norm(n), common)
    return out


def _ddinter() -> tuple[dict[frozenset, str], set[str]]:
    pairs: dict[frozenset, str] = {}
    names: set[str] = set()
    rank = {"Major": 3, "Moderate": 2, "Minor": 1, "Unknown": 0}
    for path in sorted(dataset("ddinter").glob("*.csv")):
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                a, b = _norm(row["Drug_A"]), _norm(row["Drug_B"])
                names |= {a, b}
                key = frozenset((a, b))
                if rank.get(row["Level"], 0) >= rank.get(pairs.get(key, "Unknown"), -1):
                    pairs[key] = row["Level"]
    return pairs, names


def run() -> dict:
    kb = default_drug_kb()
    vocab = _vocabulary()
    pairs, dd_names = _ddinter()
    mapped: dict[str, str] = {}
    for d in kb.drugs.values():
        if d.ingredients:
            continue
        for n in (d.name.en, *d.aliases, d.id.replace("_", " ")):
            key = vocab.get(_norm(n), _norm(n))
            if key in dd_names:
                mapped[d.id] = key
                break
    by_level: dict[str, list[int]] = {}
    flagged_unlisted = flagged = unlisted = 0
    misses: list[str] = []
    for a, b in combinations(sorted(mapped), 2):
        res = check_medications({}, [kb.drugs[a].name.zh, kb.drugs[b].name.zh])
        # the pair is flagged when the user is warned about the two together: an interaction, or duplicate therapy
        # (two anticoagulants, two NSAIDs)
        hit = any(f.kind in ("interaction", "duplicate_class") for f in res.findings)
        level = pairs.get(frozenset((mapped[a], mapped[b])))
        if level is None:
            unlisted += 1
            flagged_unlisted += hit
        else:
            by_level.setdefault(level, []).append(hit)
            if level == "Major" and not hit and len(misses) < 25:
                misses.append(f"{a}+{b}")
        flagged += hit
    # Speed: 10 drugs, a patient with 5 conditions and the usual facts.
    names = [d.name.zh for d in list(kb.drugs.values())[:10]]
    patient = {"age": 72, "weight_kg": 60, "egfr": 40, "allergies": ["青霉素"],
               "conditions": ["高血压", "糖尿病", "冠心病", "慢性肾病", "胃溃疡"]}
    for _ in range(50):
        check_medications(patient, names)
    lat = []
    for _ in range(300):
        t = time.perf_counter()
        check_medications(patient, names)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    levels = {k: {"pairs": len(v), "flagged": sum(v), "recall": round(sum(v) / len(v), 4) if v else None}
              for k, v in sorted(by_level.items())}
    return {"kb_drugs": len(kb.drugs), "kb_interactions": len(kb.interactions), "mapped_to_ddinter": len(mapped),
            "pairs_checked": len(list(combinations(mapped, 2))), "by_level": levels,
            "flagged": flagged, "flagged_not_in_ddinter": flagged_unlisted, "pairs_not_in_ddinter": unlisted,
            "share_flagged_not_in_ddinter": round(flagged_unlisted / flagged, 4) if flagged else None,
            "major_misses": misses,
            "speed_10_drugs_5_conditions": {"p50_ms": round(statistics.median(lat), 3), "p99_ms": round(lat[int(len(lat) * 0.99) - 1], 3)}}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=1))
