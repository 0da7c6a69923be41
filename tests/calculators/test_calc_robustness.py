"""No input crashes a calculator: junk gives CalculationError, plausible values give a result or a reason."""
import datetime as dt
import random

import pytest

from wenzhen.calculators import CalculationError, calculate, list_calculators
from wenzhen.calculators.risk import assess_risk

JUNK = [None, "", "abc", -1, 0, 1e9, True, [], [1], {"value": "x"}, "1.4 stone", float("nan"), "2024-13-45",
        [5, "mg/dL", 3], {"a": 1}, "yes", "∞", "１２"]


def _plausible(spec, rnd):
    if spec.kind == "boolean":
        return rnd.random() < 0.5
    if spec.kind == "choice":
        return rnd.choice(spec.choices)
    if spec.kind == "date":
        return (dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 300))).isoformat()
    lo = spec.min if spec.min is not None else 0
    hi = spec.max if spec.max is not None else 200
    x = rnd.uniform(lo, hi) if rnd.random() < 0.7 else rnd.choice([lo, hi])
    return round(x) if spec.kind == "integer" else x


@pytest.mark.parametrize("info", list_calculators(), ids=lambda i: i.id)
def test_no_crash(info):
    rnd = random.Random(info.id)
    for _ in range(15):
        junk = {s.var: rnd.choice(JUNK) for s in info.inputs if rnd.random() < 0.7}
        try:
            calculate(info.id, junk)
        except CalculationError as e:
            assert e.problems and all(p.reason for p in e.problems)
        plausible = {s.var: _plausible(s, rnd) for s in info.inputs}
        try:
            r = calculate(info.id, plausible, language=rnd.choice(["zh", "en"]))
            assert r.display and r.source
        except CalculationError as e:
            assert e.problems


def test_risk_report_never_crashes_on_junk():
    rnd = random.Random(3)
    names = ["age", "sex", "sbp", "heart_rate", "creatinine", "gcs", "fio2", "chf", "temperature", "date", "x"]
    for _ in range(200):
        rep = assess_risk({n: rnd.choice(JUNK) for n in names if rnd.random() < 0.6})
        assert rep.summary
