"""The KB's intervals and decision limits must match the verified table exactly.

Reads ../shared/reference/reference-intervals.md when present (else the copy in tests/data),
parses every row, and checks the interval the interpreter selects for each sex and age band.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from wenzhen.kb.lab_loader import default_lab_kb
from wenzhen.kb.units import parse_unit
from wenzhen.reports.interpret import _band, select_reference
from wenzhen.reports.models import PatientContext
from wenzhen.reports.names import name_index

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("WENZHEN_REFERENCE", ROOT.parent / "shared" / "reference" / "reference-intervals.md"))
TABLE = SHARED if SHARED.is_file() else ROOT / "tests" / "data" / "reference-intervals.md"
_NUM = r"\d+(?:\.\d+)?"


def _rows(section: str) -> list[list[str]]:
    text = TABLE.read_text(encoding="utf-8")
    part = text.split(section, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in part.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[0] not in ("item", "part"):
                rows.append(cells)
    return rows


def _expand(interval: str) -> list[tuple[str | None, float | None, float | None, float, float]]:
    """'M 20–59 y 3.1–8.0, 60–79 y 3.6–9.5; F …' → [(sex, age_lo, age_hi, low, high)]."""
    out = []
    for group in interval.split(";"):
        group = group.strip()
        sex = None
        if m := re.match(r"^([MF])\s+(.*)$", group):
            sex = {"M": "male", "F": "female"}[m.group(1)]
            group = m.group(2)
        for band in group.split(","):
            band = band.strip()
            if m := re.fullmatch(rf"(?:(?:F\s+)?(\d+)–(\d+) y\s+)?({_NUM})–({_NUM})", band):
                a_lo, a_hi = (float(m.group(1)), float(m.group(2))) if m.group(1) else (None, None)
                out.append((sex, a_lo, a_hi, float(m.group(3)), float(m.group(4))))
            else:
                raise AssertionError(f"cannot read interval {band!r} in {interval!r}")
    return out


def _item(code: str, name: str):
    kb = default_lab_kb()
    idx = name_index(kb)
    item_id = idx.lookup(code) or idx.lookup(re.sub(r"\s*\(.*\)$", "", name))
    assert item_id, f"no item for {code} / {name}"
    return kb.items[item_id]


def _cases():
    cases = []
    for cells in _rows("## WS/T 405-2012"):
        name, code, unit, interval = cells
        cases.append(("WS/T 405", name, code, unit, interval))
    for cells in _rows("## WS/T 404"):
        part, name, code, unit, interval = cells
        cases.append((f"WS/T {part}", name, code, unit, interval))
    return cases


def test_table_found_and_complete():
    assert TABLE.is_file()
    assert len(_cases()) >= 38


@pytest.mark.parametrize("standard,name,code,unit,interval", _cases(), ids=[c[2] for c in _cases()])
def test_reference_interval_matches(standard, name, code, unit, interval):
    item = _item(code, name)
    if unit not in ("–", "-"):
        assert parse_unit(item.unit) == parse_unit(unit.replace("10^", "10^")), f"{code}: unit {item.unit} vs {unit}"
    for sex, a_lo, a_hi, low, high in _expand(interval):
        ages = [a_lo, a_hi - 0.5, (a_lo + a_hi) / 2] if a_lo is not None else [20, 45, 79]
        sexes = [sex] if sex else ["male", "female"]
        for s in sexes:
            for age in ages:
                ref, _ = select_reference(item, PatientContext(sex=s, age_years=age))
                assert ref is not None, f"{code} {s} {age}: no interval"
                assert (ref.low, ref.high) == (low, high), f"{code} {s} {age}y: KB {ref.low}–{ref.high}, table {low}–{high}"
                assert standard.split()[1].split(".")[0] in ref.source.replace(" ", "") or "WS/T" in ref.source, ref.source


# Decision limits: (table item prefix, probes value -> expected guideline flag).
DECISION_PROBES = {
    "空腹血糖": ("glucose_fasting", {3.8: "low", 3.9: "normal", 6.09: "normal", 6.1: "borderline", 6.99: "borderline", 7.0: "high"}),
    "糖化血红蛋白": ("hba1c", {6.4: "normal", 6.5: "high", 9.0: "high"}),
    "总胆固醇": ("tc", {5.19: "normal", 5.2: "borderline", 6.19: "borderline", 6.2: "high"}),
    "低密度脂蛋白胆固醇": ("ldl_c", {3.39: "normal", 3.4: "borderline", 4.09: "borderline", 4.1: "high"}),
    "高密度脂蛋白胆固醇": ("hdl_c", {0.99: "low", 1.0: "normal", 1.5: "normal"}),
    "甘油三酯": ("tg", {1.69: "normal", 1.7: "borderline", 2.29: "borderline", 2.3: "high"}),
    "血尿酸": ("ua", {420: "normal", 420.5: "high"}),
}


def test_every_decision_row_is_probed():
    rows = _rows("## Decision limits")
    assert len(rows) == len(DECISION_PROBES)
    for cells in rows:
        assert any(cells[0].startswith(k) for k in DECISION_PROBES), cells[0]


@pytest.mark.parametrize("label", list(DECISION_PROBES))
def test_decision_limits_match(label):
    item_id, probes = DECISION_PROBES[label]
    item = default_lab_kb().items[item_id]
    assert item.decision_limits, f"{item_id} has no decision limits"
    row = next(c for c in _rows("## Decision limits") if c[0].startswith(label))
    assert row[3].split("(")[0].strip()[:6] in item.decision_limits.source, (row[3], item.decision_limits.source)
    for value, expected in probes.items():
        band = _band(item.decision_limits, value)
        assert band is not None, f"{item_id} {value}: no band"
        assert band.flag == expected, f"{item_id} {value}: {band.flag}, expected {expected}"
