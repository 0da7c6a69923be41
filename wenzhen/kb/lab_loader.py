"""Load and validate the report knowledge base (data/labs/). Errors name the file and entry.

  python -m wenzhen.kb.lab_loader            validate and print counts
  python -m wenzhen.kb.lab_loader FILE...    schema-check single item/imaging files
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from .base import DATA_DIR, KBError, digest, load_dir, load_list, parse_list, parse_one, read_yaml
from .lab_schema import (
    CriticalLimit,
    ImagingFinding,
    ImagingSystem,
    LabItem,
    LabPattern,
    LabPolicy,
    MedicationNote,
    ReportCategory,
    TrendRule,
)

LAB_DIR = DATA_DIR / "labs"
# Values a report's interpretation computes from its items (reports/interpret.py), usable in patterns.
DERIVED_VALUES = ("egfr", "corrected_sodium", "effective_osmolality")
M = TypeVar("M", bound=BaseModel)


@dataclass(eq=False)
class LabKnowledgeBase:
    items: dict[str, LabItem]
    categories: dict[str, ReportCategory]
    critical: list[CriticalLimit]
    critical_source: str
    patterns: list[LabPattern]
    medication_notes: list[MedicationNote]
    trend_rules: list[TrendRule]
    imaging_systems: list[ImagingSystem]
    imaging_findings: list[ImagingFinding]
    policy: LabPolicy
    version: str
    files: list[str] = field(default_factory=list)

    def items_of(self, category: str) -> list[LabItem]:
        return [it for it in self.items.values() if category in it.categories]

    def stats(self) -> dict[str, Any]:
        lab_cats = [c for c in self.categories.values() if c.kind == "lab"]
        return {
            "version": self.version,
            "lab_items": len(self.items),
            "names_and_aliases": sum(2 + len(i.aliases) for i in self.items.values()),
            "report_categories": len(self.categories),
            "lab_categories_with_items": sum(bool(self.items_of(c.id)) for c in lab_cats),
            "imaging_categories": len(self.categories) - len(lab_cats),
            "critical_limits": len(self.critical),
            "patterns": len(self.patterns),
            "medication_notes": len(self.medication_notes),
            "imaging_systems": len(self.imaging_systems),
            "imaging_findings": len(self.imaging_findings),
        }


def _check(kb: LabKnowledgeBase, departments: set[str], drug_classes: set[str], medications: set[str]) -> None:
    from .units import UnitError, parse_unit

    problems: list[str] = []
    names: dict[str, LabItem] = {}
    for it in kb.items.values():
        for c in it.categories:
            if c not in kb.categories:
                problems.append(f"item {it.id}: unknown category {c}")
        for ex in (it.high, it.low, it.positive):
            for d in ex.departments if ex else []:
                if d not in departments:
                    problems.append(f"item {it.id}: unknown department {d}")
        for u in [it.unit] + [c.unit for c in it.conversions]:
            if u:
                try:
                    parse_unit(u)
                except UnitError as e:
                    problems.append(f"item {it.id}: {e}")
        # A name printed for several items (GLU: blood or urine glucose) is read from the report's panel, unit and
        # result (reports/panels.py), so items sharing a name must differ in one of them, or reading is arbitrary.
        for n in [it.code, it.name.zh, it.name.en, *it.aliases]:
            key = normalise_name(n)
            other = names.get(key)
            if other is not None and other.id != it.id and set(other.categories) & set(it.categories) \
                    and (other.kind, other.unit) == (it.kind, it.unit):
                problems.append(f"name {n!r} used by both {other.id} and {it.id}, in the same panel")
            names.setdefault(key, it)
    for cl in kb.critical:
        if cl.item not in kb.items:
            problems.append(f"critical value: unknown item {cl.item}")
    for p in kb.patterns:
        for cond in p.all_of + p.any_of + p.none_of:
            if cond.item not in kb.items and cond.item not in DERIVED_VALUES:
                problems.append(f"pattern {p.id}: unknown item {cond.item}")
        problems += [f"pattern {p.id}: unknown department {d}" for d in p.departments if d not in departments]
    for t in kb.trend_rules:
        if t.item not in kb.items:
            problems.append(f"trend rule {t.id}: unknown item {t.item}")
        problems += [f"trend rule {t.id}: unknown department {d}" for d in t.departments if d not in departments]
    for n in kb.medication_notes:
        if n.item not in kb.items:
            problems.append(f"medication note {n.id}: unknown item {n.item}")
        problems += [f"medication note {n.id}: unknown drug class {c}" for c in n.drug_classes if c not in drug_classes]
        problems += [f"medication note {n.id}: unknown medication {m}" for m in n.medications if m not in medications]
        if not (n.drug_classes or n.medications):
            problems.append(f"medication note {n.id}: names no drug")
    for s in kb.imaging_systems:
        try:
            if re.compile(s.pattern).groups < 1:
                problems.append(f"imaging system {s.id}: pattern needs a group for the grade")
        except re.error as e:
            problems.append(f"imaging system {s.id}: bad pattern: {e}")
        problems += [f"imaging system {s.id}: unknown department {d}" for d in s.departments if d not in departments]
        if s.category not in kb.categories:
            problems.append(f"imaging system {s.id}: unknown category {s.category}")
    for f in kb.imaging_findings:
        if f.category not in kb.categories:
            problems.append(f"imaging finding {f.id}: unknown category {f.category}")
        problems += [f"imaging finding {f.id}: unknown department {d}" for d in f.departments if d not in departments]
    if problems:
        raise KBError("report knowledge base is inconsistent:\n  " + "\n  ".join(problems[:300]))


_NAME_STRIP = re.compile(r"[\s\-_·•()（）\[\]【】:：]+")


def normalise_name(name: str) -> str:
    """Key for matching item names: case, width, spaces and brackets do not matter."""
    import unicodedata

    return _NAME_STRIP.sub("", unicodedata.normalize("NFKC", name)).lower()


def load_lab_kb(critical_values: str | os.PathLike[str] | None = None) -> LabKnowledgeBase:
    """Load data/labs; `critical_values` (or $WENZHEN_CRITICAL_VALUES) replaces the default 危急值 table."""
    from .loader import get_kb

    files: list[Path] = []
    items = {}
    for it in load_dir(LAB_DIR / "items", LabItem, files):
        if it.id in items:
            raise KBError(f"duplicate lab item id: {it.id}")
        items[it.id] = it
    categories = {c.id: c for c in load_list(LAB_DIR / "categories.yaml", ReportCategory, files)}
    crit_path = Path(critical_values or os.environ.get("WENZHEN_CRITICAL_VALUES") or LAB_DIR / "critical_values.yaml")
    if not crit_path.is_file():
        raise KBError(f"critical-value table not found: {crit_path}")
    critical = load_list(crit_path, CriticalLimit, files)
    kb = LabKnowledgeBase(
        items=items,
        categories=categories,
        critical=critical,
        critical_source=str(crit_path),
        patterns=load_list(LAB_DIR / "patterns.yaml", LabPattern, files),
        medication_notes=load_list(LAB_DIR / "medication_notes.yaml", MedicationNote, files),
        trend_rules=load_list(LAB_DIR / "trend_rules.yaml", TrendRule, files),
        imaging_systems=_imaging(files, ImagingSystem, "systems"),
        imaging_findings=_imaging(files, ImagingFinding, "findings"),
        policy=_policy(files),
        version="",
        files=[str(p) for p in files],
    )
    kb.version = digest(files)
    main_kb = get_kb()  # cached: the main KB is validated once per process
    _check(
        kb,
        set(main_kb.default_departments),
        {m.drug_class for m in main_kb.medications.values()},
        set(main_kb.medications),
    )
    return kb


def _policy(files: list[Path]) -> LabPolicy:
    path = LAB_DIR / "policy.yaml"
    files.append(path)
    return parse_one(path, LabPolicy, read_yaml(path))


def _imaging(files: list[Path], model: type[M], key: str) -> list[M]:
    """imaging/*.yaml files hold {systems: [...], findings: [...]}."""
    out: list[M] = []
    for path in sorted((LAB_DIR / "imaging").glob("*.yaml")):
        data = read_yaml(path) or {}
        if not isinstance(data, dict) or set(data) - {"systems", "findings"}:
            raise KBError(f"{path}: expected a mapping with keys systems and findings")
        if path not in files:
            files.append(path)
        out.extend(parse_list(path, model, data.get(key) or []))
    return out


@lru_cache(maxsize=4)
def default_lab_kb(critical_values: str | None = None) -> LabKnowledgeBase:
    return load_lab_kb(critical_values)


def _lint(paths: list[str]) -> int:
    """Schema-check item files (lists of LabItem) or imaging files (systems/findings)."""
    bad = 0
    for p in map(Path, paths):
        try:
            data = read_yaml(p)
            if isinstance(data, dict):
                parse_list(p, ImagingSystem, data.get("systems") or [])
                parse_list(p, ImagingFinding, data.get("findings") or [])
            else:
                parse_list(p, LabItem, data)
            print(f"{p}: ok")
        except KBError as e:
            bad += 1
            print(e)
    return 1 if bad else 0


def markdown_catalogue(kb: LabKnowledgeBase) -> str:
    """docs/report-categories.md: every category with its items, and the imaging conclusions."""
    out = ["# Report categories", "",
           "Generated by `python -m wenzhen.kb.lab_loader --markdown > docs/report-categories.md`; do not edit by hand.", "",
           f"{len(kb.categories)} categories, {len(kb.items)} lab items, {len(kb.imaging_systems)} imaging grading systems, "
           f"{len(kb.imaging_findings)} imaging findings, {len(kb.critical)} default critical values, "
           f"{len(kb.patterns)} cross-item patterns, {len(kb.medication_notes)} medication notes.", "",
           "| category | 中文 | items / conclusions |", "|---|---|---|"]
    for c in kb.categories.values():
        if c.kind == "lab":
            names = ", ".join(f"{i.name.zh} {i.code}" for i in kb.items_of(c.id))
        else:
            names = ", ".join([s.name for s in kb.imaging_systems if s.category == c.id]
                              + [f.name.zh for f in kb.imaging_findings if f.category == c.id])
        out.append(f"| {c.name.en} | {c.name.zh} | {names or '—'} |")
    out += ["", "## Critical values (default table, replaceable)", "", "| item | below | above | source |", "|---|---|---|---|"]
    for cl in kb.critical:
        it = kb.items[cl.item]
        hi = "above reference" if cl.above_reference else ("positive" if cl.positive else (cl.high if cl.high is not None else ""))
        out.append(f"| {it.name.zh} {it.code} ({it.unit or ''}) | {'' if cl.low is None else cl.low} | {hi} | {cl.source} |")
    out += ["", "## Patterns across items", ""]
    out += [f"- **{p.name.zh}** ({p.name.en}): " + " + ".join(f"{c.item} {c.flag}" for c in p.all_of)
            + (" + any of " + "/".join(f"{c.item} {c.flag}" for c in p.any_of) if p.any_of else "") + f" — {p.source}"
            for p in kb.patterns]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import json

    if sys.argv[1:] == ["--markdown"]:
        print(markdown_catalogue(load_lab_kb()), end="")
        sys.exit(0)
    if len(sys.argv) > 1:
        sys.exit(_lint(sys.argv[1:]))
    try:
        print(json.dumps(load_lab_kb().stats(), ensure_ascii=False, indent=1))
    except KBError as e:
        print(e)
        sys.exit(1)
