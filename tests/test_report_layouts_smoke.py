"""Smoke test of benchmarks/report_layouts.py: reports with ground truth, the text path, one rendering (no OCR)."""
from __future__ import annotations

import random

import pytest

from benchmarks.report_layouts import (
    DEGRADATION_NAMES,
    LAYOUTS,
    PAGE,
    make_report,
    report_text,
    score,
)
from benchmarks.synthetic_reports import cjk_font_path
from wenzhen.kb.lab_loader import default_lab_kb
from wenzhen.reports import interpret_report, parse_text

FLAGS = {"normal", "high", "low", "critical_high", "critical_low", "positive", "negative"}


@pytest.fixture(scope="module")
def kb():
    return default_lab_kb()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_report_has_ground_truth_and_parses_as_text(kb, layout):
    report = make_report(kb, layout, random.Random(f"layouts-{layout}-clean-0"))
    rows = report.rows
    assert len(rows) >= 15
    assert len({r.item_id for r in rows}) == len(rows)  # matching is by item_id
    for r in rows:
        assert r.item_id in kb.items, r.item_id
        assert r.name and r.value_text and r.interval
        assert r.expected_flag in FLAGS
        assert r.critical == r.expected_flag.startswith("critical")
        assert bool(r.flag) == (r.expected_flag not in ("normal", "negative")), r
    parsed = parse_text(report_text(report), kb)
    assert len(parsed.results) >= 10
    tally, _ = score(report, interpret_report(parsed, kb=kb).items, layout)
    assert tally.items == len(rows) and tally.found >= len(rows) // 2


def test_reports_are_deterministic_and_carry_critical_rows(kb):
    a = make_report(kb, "standard_lis", random.Random("layouts-standard_lis-clean-0"))
    b = make_report(kb, "standard_lis", random.Random("layouts-standard_lis-clean-0"))
    assert [(r.item_id, r.value_text) for r in a.rows] == [(r.item_id, r.value_text) for r in b.rows]
    crit = sum(r.critical for L in LAYOUTS for r in make_report(kb, L, random.Random(f"layouts-{L}-clean-1")).rows)
    assert crit >= len(LAYOUTS)  # about one quantitative row in eight
    assert "desk_photo" in DEGRADATION_NAMES and "clean" in DEGRADATION_NAMES


@pytest.mark.skipif(cjk_font_path() is None, reason="no CJK font")
def test_rendering_is_a4_sized(kb):
    report = make_report(kb, "checkup_grid", random.Random("layouts-checkup_grid-clean-0"))
    img = LAYOUTS["checkup_grid"](report, random.Random(0))
    assert abs(img.size[0] - PAGE[0]) < 100 and abs(img.size[1] - PAGE[1]) < 150
