"""Load and check the drug knowledge base: drugs (every *.yaml of data/drugs/ except the tables below), classes
(classes*.yaml), class members listed by table (members*.yaml), conditions and interactions (interactions*.yaml). `python -m wenzhen.kb.drug_loader` lints it and prints counts."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .base import DATA_DIR, KBError, digest, load_list, normalise_key
from .drug_schema import ClassMembers, DrugClass, DrugCondition, DrugDef, Interaction

DRUG_DIR = DATA_DIR / "drugs"
TABLE_PREFIXES = ("classes", "members", "conditions", "interactions")


@dataclass(eq=False)  # compared and cached by identity: one loaded knowledge base
class DrugKnowledgeBase:
    drugs: dict[str, DrugDef]
    classes: dict[str, DrugClass]
    conditions: dict[str, DrugCondition]
    interactions: list[Interaction]
    version: str
    names: dict[str, str] = field(default_factory=dict)  # normalised name, brand or alias → drug id
    condition_names: dict[str, str] = field(default_factory=dict)

    def find(self, name: str) -> DrugDef | None:
        """A drug by id, generic name, brand or alias (Chinese or English, any case)."""
        key = normalise_key(name)
        drug_id = self.names.get(key)
        return self.drugs.get(drug_id) if drug_id else None

    def stats(self) -> dict:
        return {"drugs": len(self.drugs), "combination_products": sum(bool(d.ingredients) for d in self.drugs.values()),
                "classes": len(self.classes), "conditions": len(self.conditions),
                "interactions": len(self.interactions), "version": self.version}


def load_drug_kb(directory: Path = DRUG_DIR) -> DrugKnowledgeBase:
    files: list[Path] = []
    drugs: dict[str, DrugDef] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name.startswith(TABLE_PREFIXES):
            continue
        for d in load_list(path, DrugDef, files):
            if d.id in drugs:
                raise KBError(f"{path}: duplicate drug id {d.id}")
            drugs[d.id] = d
    classes: dict[str, DrugClass] = {}
    for path in sorted(directory.glob("classes*.yaml")):
        for c in load_list(path, DrugClass, files):
            if c.id in classes:
                raise KBError(f"{path}: duplicate class id {c.id}")
            classes[c.id] = c
    conditions = {c.id: c for c in load_list(directory / "conditions.yaml", DrugCondition, files)}
    interactions = [x for path in sorted(directory.glob("interactions*.yaml")) for x in load_list(path, Interaction, files)]
    memberships = [m for path in sorted(directory.glob("members*.yaml")) for m in load_list(path, ClassMembers, files)]
    problems = _add_members(drugs, classes, memberships)
    kb = DrugKnowledgeBase(drugs, classes, conditions, interactions, digest(files))
    _check_and_index(kb, problems)
    return kb


def _add_members(drugs: dict[str, DrugDef], classes: dict[str, DrugClass], memberships: list[ClassMembers]) -> list[str]:
    """Put each table-listed member's class on the drug, so every check sees one list of classes per drug."""
    problems: list[str] = []
    extra: dict[str, list[str]] = {}
    for m in memberships:
        if m.id not in classes:
            problems.append(f"members of {m.id}: not a class")
            continue
        for drug_id in m.members:
            if drug_id not in drugs:
                problems.append(f"members of {m.id}: {drug_id} is not a drug")
            else:
                extra.setdefault(drug_id, []).append(m.id)
    for drug_id, more in extra.items():
        d = drugs[drug_id]
        drugs[drug_id] = d.model_copy(update={"classes": list(dict.fromkeys([*d.classes, *more]))})
    return problems


def _check_and_index(kb: DrugKnowledgeBase, problems: list[str]) -> None:
    for d in kb.drugs.values():
        problems += [f"drug {d.id}: unknown class {c}" for c in d.classes if c not in kb.classes]
        problems += [f"drug {d.id}: unknown condition {r.condition}" for r in d.conditions if r.condition not in kb.conditions]
        problems += [f"drug {d.id}: ingredient {i.drug} is not a drug of the knowledge base"
                     for i in d.ingredients if i.drug not in kb.drugs]
        for n in (d.id, d.name.zh, d.name.en, *d.brands, *d.aliases):
            key = normalise_key(n)
            if key in kb.names and kb.names[key] != d.id:
                problems.append(f"name {n!r} used by both {kb.names[key]} and {d.id}")
            kb.names.setdefault(key, d.id)
    for c in kb.classes.values():
        problems += [f"class {c.id}: unknown cross-reactive class {x}" for x in c.cross_reactive if x not in kb.classes]
    for x in kb.interactions:
        for side in (x.a, x.b):
            if side not in kb.drugs and side not in kb.classes:
                problems.append(f"interaction {x.a}+{x.b}: {side} is neither a drug nor a class")
    for c in kb.conditions.values():
        for n in (c.id, c.name.zh, c.name.en, *c.aliases):
            kb.condition_names.setdefault(normalise_key(n), c.id)
    if problems:
        raise KBError("drug knowledge base is inconsistent:\n  " + "\n  ".join(problems[:200]))


@lru_cache(maxsize=1)
def default_drug_kb() -> DrugKnowledgeBase:
    return load_drug_kb()


if __name__ == "__main__":
    try:
        kb = load_drug_kb(Path(sys.argv[1]) if len(sys.argv) > 1 else DRUG_DIR)
    except KBError as e:
        print(e, file=sys.stderr)
        raise SystemExit(1)
    print(kb.stats())
