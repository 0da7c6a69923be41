"""Clinical vignettes written for this project, kept as data (tests/data/vignettes.yaml): the expected
condition must be in the top 3 and the triage level inside the case's bounds, from both sides."""
from pathlib import Path

import pytest
import yaml

from wenzhen.assessment import assess

VIGNETTES = yaml.safe_load((Path(__file__).parents[1] / "data" / "vignettes.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", VIGNETTES, ids=lambda c: c["text"][:18])
def test_vignette(case):
    a = assess(case["text"])
    if case.get("condition"):
        assert case["condition"] in [c.id for c in a.differential.likely[:3]], [c.id for c in a.differential.likely[:3]]
    assert case["min_level"] <= a.triage.triage_level <= case["max_level"], [r.id for r in a.triage.rules_fired]


@pytest.mark.parametrize("forced", [1, 4])
def test_an_engine_that_gives_everyone_one_level_fails_many_cases(forced):
    failing = [c for c in VIGNETTES if not c["min_level"] <= forced <= c["max_level"]]
    assert len(failing) >= 0.3 * len(VIGNETTES)


def test_the_data_is_well_formed():
    for c in VIGNETTES:
        assert set(c) <= {"text", "condition", "min_level", "max_level", "group"}
        assert 1 <= c["min_level"] <= c["max_level"] <= 4 and c["text"].strip()


def test_abbreviations_are_not_pluralised():
    from wenzhen.understanding import understand

    assert not [f for f in understand("my ear has been ringing, it has been weeks").findings if f.id == "headache"]
