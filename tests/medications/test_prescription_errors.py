"""Realistic prescription errors (tests/medications/prescription_errors.yaml): each is caught, and the same
prescription corrected raises no finding of that kind, or only a lesser one. Runs against the shipped drug
knowledge base."""
from pathlib import Path

import pytest
import yaml

from wenzhen.medications import SEVERITY_ORDER, check_medications

CASES = yaml.safe_load(Path(__file__).with_name("prescription_errors.yaml").read_text(encoding="utf-8"))


def _kinds(patient, drugs) -> dict[str, int]:
    res = check_medications(patient, drugs)
    assert not [f for f in res.findings if f.kind == "unknown_drug"], res.findings
    out: dict[str, int] = {}
    for f in res.findings:
        out[f.kind] = max(out.get(f.kind, 0), SEVERITY_ORDER[f.severity])
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_error_is_caught_and_the_corrected_prescription_is_not_flagged(case):
    found = _kinds(case["patient"], case["drugs"])
    for kind in case["expect"]:
        assert found.get(kind, -1) >= SEVERITY_ORDER["moderate"], (kind, found)
    fixed = _kinds(case["fixed"].get("patient", case["patient"]), case["fixed"].get("drugs", case["drugs"]))
    for kind in case["expect"]:
        # gone, or a lesser concern (warfarin with paracetamol is a moderate interaction; bisoprolol a caution in asthma)
        assert fixed.get(kind, -1) < found[kind], (kind, fixed)
