"""Speed of the multi-dimensional risk report for a patient with 30 known values (one core).

    python -m benchmarks.risk
"""
from __future__ import annotations

import json
import statistics

from wenzhen.calculators import calculate
from wenzhen.calculators.risk import assess_risk

from .speed import _latencies, _pct, _pin_one_core

# An ICU-style patient written for this benchmark: vital signs, blood gas, chemistry, history.
PATIENT_30 = {
    "age": 68, "sex": "male", "weight": [176, "lb"], "height": [170, "cm"], "heart_rate": 112,
    "respiratory_rate": 26, "sbp": 92, "dbp": 54, "temperature": [38.9, "°C"], "spo2": 91, "gcs": 13,
    "fio2": 40, "pao2": [68, "mmHg"], "ph": 7.31, "creatinine": [168, "μmol/L"], "bun": [11.2, "mmol/L"],
    "sodium": 133, "potassium": 4.9, "glucose": [11.8, "mmol/L"], "wbc": 15.2, "platelets": 96,
    "bilirubin": [34, "μmol/L"], "albumin": [28, "g/L"], "inr": 1.4, "hemoglobin": [105, "g/L"],
    "hematocrit": 32, "hypertension": True, "diabetes": True, "copd": True, "confusion": True,
}


def run(n: int = 2000) -> dict:
    pinned = _pin_one_core()
    assert len(PATIENT_30) == 30
    rep = assess_risk(PATIENT_30)
    times = _latencies(assess_risk, PATIENT_30, n)
    args = {"age": 68, "sex": "male", "weight": 80, "height": 170, "creatinine": 1.9}
    one = _latencies(lambda a: calculate("creatinine_clearance_cockcroft_gault", a), args, n)
    return {
        "cpu": pinned, "values": len(PATIENT_30),
        "scores_computed": sum(len(d.scores) for d in rep.dimensions),
        "scores_listed_missing": sum(len(d.not_computed) for d in rep.dimensions),
        "dimensions": [d.id for d in rep.dimensions], "alerts": [a.calculator for a in rep.alerts],
        "risk_p50_ms": round(_pct(times, 0.5), 3), "risk_p99_ms": round(_pct(times, 0.99), 3),
        "risk_mean_ms": round(statistics.mean(times), 3), "one_calculator_p50_ms": round(_pct(one, 0.5), 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
