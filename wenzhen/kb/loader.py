"""Load and validate the knowledge base at start. Any error names the file and the entry."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .base import DATA_DIR, KBError, digest, index_by_id, load_dir, load_list, load_one, read_yaml
from .schema import (
    AdviceSafety,
    AllergenDef,
    BodySites,
    ConditionDef,
    ContextRule,
    DepartmentDef,
    DoctorDef,
    FindingDef,
    HospitalConfig,
    MedicationDef,
    NationalCodeTable,
    TriagePolicy,
    TriageRule,
)


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
    body_sites: BodySites
    national_codes: NationalCodeTable
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
            "conditions_awaiting_review": sum(c.review for c in self.conditions.values()),
            "findings_awaiting_review": sum(f.review for f in self.findings.values()),
            "departments": len(self.departments),
            "doctors": len(self.doctors),
            "triage_rules": len(self.triage_rules),
            "context_rules": len(self.context_rules),
            "medications": len(self.medications),
            "allergens": len(self.allergens),
            "hospital": self.hospital,
        }


def _data(name: str) -> Path:
    return DATA_DIR / name


def load_hospital_config(path: str | os.PathLike[str]) -> HospitalConfig:
    """Read a hospital's departments and doctors (YAML); raises KBError with the reason."""
    p = Path(path)
    if not p.is_file():
        raise KBError(f"hospital configuration not found: {p}")
    try:
        return HospitalConfig.model_validate(read_yaml(p))
    except ValidationError as e:
        raise KBError(f"{p}: {e}") from e


def _check_references(kb: KnowledgeBase) -> None:
    problems: list[str] = []
    fids = kb.findings
    for f in fids.values():
        problems += [f"finding {f.id}: implies unknown finding {x}" for x in f.implies if x not in fids]
        if f.from_duration is not None and f.from_duration.finding not in fids:
            problems.append(f"finding {f.id}: from_duration names unknown finding {f.from_duration.finding}")
    problems += [f"national code for unknown condition {x}" for x in kb.national_codes.codes if x not in kb.conditions]
    for c in kb.conditions.values():
        for wf in c.findings + c.risk_factors:
            if wf.id not in fids:
                problems.append(f"condition {c.id}: unknown finding {wf.id}")
        problems += [f"condition {c.id}: requires unknown finding {x}" for x in c.requires_any if x not in fids]
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
    bs = kb.body_sites
    for r in bs.findings:
        problems += [f"body sites: unknown {what} {x}" for what, x, known in (("finding", r.finding, fids), ("site", r.site, bs.sites),
                                                                          ("symptom", r.symptom, bs.symptoms)) if x not in known]
    problems += [f"body sites: unknown finding {x}" for s in bs.symptoms.values() for x in s.replaces if x not in fids]
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
    findings = index_by_id(load_dir(_data("findings"), FindingDef, files), "finding")
    conditions = index_by_id(load_dir(_data("conditions"), ConditionDef, files), "condition")
    default_depts = index_by_id(load_list(_data("departments.yaml"), DepartmentDef, files), "department")
    triage_rules = load_dir(_data("triage"), TriageRule, files)
    index_by_id(triage_rules, "triage rule")
    context_rules = load_list(_data("context_rules.yaml"), ContextRule, files)
    triage_policy = load_one(_data("triage_policy.yaml"), TriagePolicy, files)
    medications = index_by_id(load_list(_data("medications.yaml"), MedicationDef, files), "medication")
    allergens = index_by_id(load_list(_data("allergens.yaml"), AllergenDef, files), "allergen")
    advice_safety = load_one(_data("advice_safety.yaml"), AdviceSafety, files)
    body_sites = load_one(_data("body_sites.yaml"), BodySites, files)
    national_codes = load_one(_data("coding/icd10_national_clinical.yaml"), NationalCodeTable, files)

    hospital, departments, doctors = "default", dict(default_depts), []
    cfg_path = hospital_config or os.environ.get("WENZHEN_HOSPITAL_CONFIG")
    if cfg_path:
        cfg = load_hospital_config(cfg_path)
        hospital, departments, doctors = cfg.hospital, index_by_id(cfg.departments, "department"), cfg.doctors
        files.append(Path(cfg_path))

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
        body_sites=body_sites,
        national_codes=national_codes,
        version=digest(files),
        files=[str(p) for p in files],
    )
    _check_references(kb)
    return kb


@lru_cache(maxsize=4)
def get_kb(hospital_config: str | None = None) -> KnowledgeBase:
    """The validated knowledge base, loaded once per configuration."""
    return load_kb(hospital_config)
