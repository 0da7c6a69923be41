"""KTAS triage agreement (Moon et al., PLoS ONE 2019): 1,267 Korean ED visits.

Input given to wenzhen: the English chief complaint, age, sex, vital signs, AVPU mental
state and the numeric pain score — nothing else (no diagnosis, no disposition).
Mapping of the 4-level Chinese scale to KTAS: I→1, II→2, III→3, IV→4, and IV whose
disposition is self-care → 5.
    python -m benchmarks.ktas
"""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter

from wenzhen.assessment import AssessRequest, VitalsInput, assess_request

from .common import Skip, dataset

MENTAL_TO_AVPU = {"1": "A", "2": "V", "3": "P", "4": "U"}


def _num(s: str) -> float | None:
    s = (s or "").strip().replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def load_rows() -> list[dict]:
    path = dataset("ktas") / "data.csv"
    with open(path, encoding="latin-1", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def request_for(row: dict) -> AssessRequest:
    vitals = {}
    for key, name in (("SBP", "sbp"), ("DBP", "dbp"), ("HR", "hr"), ("RR", "rr"), ("BT", "temp_c"), ("Saturation", "spo2")):
        v = _num(row.get(key, ""))
        if v is not None:
            vitals[name] = v
    pain = _num(row.get("NRS_pain", ""))
    if pain is not None and row.get("Pain") == "1":
        vitals["pain_score"] = pain
    try:
        vi = VitalsInput(**vitals)
    except ValueError:  # an implausible recorded value: drop the ones that fail
        ok = {}
        for k, v in vitals.items():
            try:
                VitalsInput(**{k: v})
                ok[k] = v
            except ValueError:
                pass
        vi = VitalsInput(**ok)
    return AssessRequest(
        text=row["Chief_complain"].strip() or "unknown",
        age=_num(row["Age"]),
        sex="female" if row["Sex"] == "1" else "male",
        vitals=vi,
        consciousness=MENTAL_TO_AVPU.get(row["Mental"]),
        language="en",
    )


def quadratic_kappa(a: list[int], b: list[int], k: int = 5) -> float:
    n = len(a)
    obs = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b):
        obs[x - 1][y - 1] += 1
    ha, hb = Counter(a), Counter(b)
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            exp = ha[i + 1] * hb[j + 1] / n
            num += w * obs[i][j]
            den += w * exp
    return 1 - num / den if den else 1.0


def agreement(pred: list[int], gold: list[int]) -> dict:
    n = len(gold)
    under = [p > g for p, g in zip(pred, gold)]
    over = [p < g for p, g in zip(pred, gold)]
    hi = [i for i, g in enumerate(gold) if g <= 2]
    return {
        "n": n,
        "exact": sum(p == g for p, g in zip(pred, gold)) / n,
        "within_one": sum(abs(p - g) <= 1 for p, g in zip(pred, gold)) / n,
        "under_triage": sum(under) / n,
        "over_triage": sum(over) / n,
        "under_triage_levels_1_2": sum(under[i] for i in hi) / len(hi),
        "n_levels_1_2": len(hi),
        "quadratic_kappa": quadratic_kappa(pred, gold),
    }


def run() -> dict:
    rows = load_rows()
    gold = [int(r["KTAS_expert"]) for r in rows]
    nurse = [int(r["KTAS_RN"]) for r in rows]
    results = [assess_request(request_for(r)).triage for r in rows]
    pred = [t.ktas_equivalent for t in results]
    confusion = Counter(zip(gold, pred))
    # How much of the over-triage the measurement criteria alone decide (vital signs, pain score, AVPU: the
    # consensus's own thresholds), and the agreement if those cases had matched the experts.
    by_measurement = [p < g and all(f.kind == "vital_sign" for f in t.rules_fired if f.level == t.triage_level)
                      and any(f.level == t.triage_level for f in t.rules_fired)
                      for t, p, g in zip(results, pred, gold)]
    if_agreed = [g if m else p for m, p, g in zip(by_measurement, pred, gold)]
    return {
        "over_triaged_by_measurement_criteria_alone": sum(by_measurement),
        "quadratic_kappa_if_those_agreed": quadratic_kappa(if_agreed, gold),
        "wenzhen": agreement(pred, gold),
        "nurses": agreement(nurse, gold),
        "confusion_expert_by_wenzhen": {f"{g}->{p}": c for (g, p), c in sorted(confusion.items())},
    }


if __name__ == "__main__":
    try:
        print(json.dumps(run(), indent=2))
    except Skip as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
