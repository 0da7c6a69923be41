"""Load and validate the knowledge base at start. Any error names the file and the entry."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .schema import (
    AdviceSafety,
    AllergenDef,
    ConditionDef,
    ContextRule,
    DepartmentDef,
    DoctorDef,
    FindingDef,
    HospitalConfig,
    MedicationDef,
    TriagePolicy,
    TriageRule,
)

DATA_DIR = Path(__file__).parent / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster start
M = TypeVar("M", bound=BaseModel)


class KBError(ValueError):
    """The knowledge base (or a hospital's configuration) is invalid."""


@dataclass(eq=False)  # identity: caches key on the loaded instance
class KnowledgeBase:
    findings: dict[str, FindingDef]
    conditions: dict[str, ConditionDef]
    departments: dict[str, DepartmentDef]
    default_departments: dict[str, DepartmentDef]
    doctors: list[DoctorDef]
    hospital: str
    triage_rules: list[TriageRule]
    triage_policy: TriagePolicy
    context_rules: list[ContextRule]
    medications: dict[str, MedicationDef]
    allergens: dict[str, AllergenDef]
    advice_safety: AdviceSafety
    version: str
    files: list[str] = field(default_factory=list)

    def stats(self) -> dict[str, Any]:
        zh = sum(len(f.zh) for f in self.findings.values())
        hant = sum(len(f.zh_hant) for f in self.findings.values())
        en = sum(len(f.en) for f in self.findings.values())
        return {
            "version": self.version,
            "findings": len(self.findings),
            "surface_forms": {"zh_hans": zh, "zh_hant": hant, "en": en, "total": zh + hant + en},
            "conditions": len(self.conditions),
            "cant_miss_conditions": sum(c.cant_miss for c in self.conditions.values()),
            "departments": len(self.departments),
            "doctors": len(self.doctors),
            "triage_rules": len(self.triage_rules),
            "context_rules": len(self.context_rules),
            "medications": len(self.medications),
            "allergens": len(self.allergens),
            "hospital": self.hospital,
        }


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as e:
        raise KBError(f"{path}: not valid YAML: {e}") from e


def _parse_list(path: Path, model: type[M], items: Any) -> list[M]:
    if not isinstance(items, list):
        raise KBError(f"{path}: expected a list of entries, got {type(items).__name__}")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(model.model_validate(item))
        except ValidationError as e:
            ident = item.get("id") or item.get("literal") or item.get("item") if isinstance(item, dict) else None
            raise KBError(f"{path}: entry {i} ({ident}): {e}") from e
    return out


def _load_dir(sub: str, model: type[M], files: list[Path]) -> list[M]:
    out: list[M] = []
    for path in sorted((DATA_DIR / sub).glob("*.yaml")):
        files.append(path)
        out.extend(_parse_list(path, model, _read_yaml(path)))
    return out


def _load_file(name: str, model: type[M], files: list[Path]) -> list[M]:
    path = DATA_DIR / name
    files.append(path)
    return _parse_list(path, model, _read_yaml(path))


def _load_one(name: str, model: type[M], files: list[Path]) -> M:
    """A file that holds one object (a policy), not a list of entries."""
    path = DATA_DIR / name
    files.append(path)
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as e:
        raise KBError(f"{path}: {e}") from e


def _index(items: list[M], what: str) -> dict[str, M]:
    out: dict[str, M] = {}
    for it in items:
        key = it.id  # type: ignore[attr-defined]
        if key in out:
            raise KBError(f"duplicate {what} id: {key}")
        out[key] = it
    return out


def load_hospital_config(path: str | os.PathLike[str]) -> HospitalConfig:
    """Read a hospital's departments and doctors (YAML); raises KBError with the reason."""
    p = Path(path)
    if not p.is_file():
        raise KBError(f"hospital configuration not found: {p}")
    try:
        return HospitalConfig.model_validate(_read_yaml(p))
    except ValidationError as e:
        raise KBError(f"{p}: {e}") from e


def _check_references(kb: KnowledgeBase) -> None:
    problems: list[str] = []
    fids = kb.findings
    for f in fids.values():
        problems += [f"finding {f.id}: implies unknown finding {x}" for x in f.implies if x not in fids]
    for c in kb.conditions.values():
        for wf in c.findings + c.risk_factors:
            if wf.id not in fids:
                problems.append(f"condition {c.id}: unknown finding {wf.id}")
        if not any(w.key for w in c.findings):
            problems.append(f"condition {c.id}: no key finding")
        for d in c.departments:
            if d not in kb.default_departments:
                problems.append(f"condition {c.id}: unknown department {d}")
    for r in kb.triage_rules:
        for x in r.all_findings + r.any_findings + r.any_findings_2 + r.unless_denied + r.unless_present:
            if x not in fids:
                problems.append(f"triage rule {r.id}: unknown finding {x}")
        problems += [f"triage rule {r.id}: unknown condition {x}" for x in r.conditions if x not in kb.conditions]
        if r.department and r.department not in kb.default_departments:
            problems.append(f"triage rule {r.id}: unknown department {r.department}")
        if not (r.all_findings or r.any_findings or r.vital or r.vitals_all or r.consciousness):
            problems.append(f"triage rule {r.id}: has no condition")
    classes = {m.drug_class for m in kb.medications.values()}
    for d in kb.advice_safety.drugs:
        problems += [f"advice safety {d.id}: unknown allergen {x}" for x in d.allergens if x not in kb.allergens]
        problems += [f"advice safety {d.id}: unknown medication {x}" for x in d.medications if x not in kb.medications]
        problems += [f"advice safety {d.id}: unknown finding {x}" for x in d.findings if x not in fids]
        problems += [f"advice safety {d.id}: unknown drug class {x}" for x in d.drug_classes if x not in classes]
    sc = kb.triage_policy.self_care
    problems += [f"triage policy: unknown finding {x}" for x in sc.blocking_history + sc.blocking_findings + sc.child_blocking_findings
                 if x not in fids]
    for d in kb.default_departments.values():
        if d.parent and d.parent not in kb.default_departments:
            problems.append(f"department {d.id}: unknown parent {d.parent}")
    for doc in kb.doctors:
        if doc.department not in kb.departments:
            problems.append(f"doctor {doc.id}: unknown department {doc.department}")
    # One surface form must mean one finding, or matching becomes arbitrary.
    seen: dict[str, str] = {}
    for f in fids.values():
        for s in f.zh + f.zh_hant + f.en:
            key = s.lower()
            if key in seen and seen[key] != f.id:
                problems.append(f"surface form {s!r} used by both {seen[key]} and {f.id}")
            seen[key] = f.id
    if problems:
        raise KBError("knowledge base is inconsistent:\n  " + "\n  ".join(problems[:300]))


def load_kb(hospital_config: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    files: list[Path] = []
    findings = _index(_load_dir("findings", FindingDef, files), "finding")
    conditions = _index(_load_dir("conditions", ConditionDef, files), "condition")
    default_depts = _index(_load_file("departments.yaml", DepartmentDef, files), "department")
    triage_rules = _load_dir("triage", TriageRule, files)
    _index(triage_rules, "triage rule")
    context_rules = _load_file("context_rules.yaml", ContextRule, files)
    triage_policy = _load_one("triage_policy.yaml", TriagePolicy, files)
    medications = _index(_load_file("medications.yaml", MedicationDef, files), "medication")
    allergens = _index(_load_file("allergens.yaml", AllergenDef, files), "allergen")
    advice_safety = _load_one("advice_safety.yaml", AdviceSafety, files)

    hospital, departments, doctors = "default", dict(default_depts), []
    cfg_path = hospital_config or os.environ.get("WENZHEN_HOSPITAL_CONFIG")
    if cfg_path:
        cfg = load_hospital_config(cfg_path)
        hospital, departments, doctors = cfg.hospital, _index(cfg.departments, "department"), cfg.doctors
        files.append(Path(cfg_path))

    digest = hashlib.sha256()
    for p in files:
        digest.update(p.read_bytes())
    kb = KnowledgeBase(
        findings=findings,
        conditions=conditions,
        departments=departments,
        default_departments=default_depts,
        doctors=doctors,
        hospital=hospital,
        triage_rules=triage_rules,
        triage_policy=triage_policy,
        context_rules=context_rules,
        medications=medications,
        allergens=allergens,
        advice_safety=advice_safety,
        version=digest.hexdigest()[:12],
        files=[str(p) for p in files],
    )
    _check_references(kb)
    return kb


@lru_cache(maxsize=4)
def get_kb(hospital_config: str | None = None) -> KnowledgeBase:
    """The validated knowledge base, loaded once per configuration."""
    return load_kb(hospital_config)
