"""Maintenance commands for the knowledge base.

  python -m wenzhen.kb.tools check [CONFIG]   validate every domain (same as `wenzhen kb check`) and print counts
  python -m wenzhen.kb.tools add-traditional  fill zh_hant of every finding from zh (OpenCC s2t)
  python -m wenzhen.kb.tools lint FILE...     schema-check single files (before moving them into data/)
  python -m wenzhen.kb.tools add-forms PATCH  merge surface forms ({id: {zh, en, patterns}}) into the findings files
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from .base import DATA_DIR, KBError
from .loader import load_kb


def _dump(items: list) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    def rep_list(dumper, data):
        flow = all(isinstance(x, (str, int, float)) for x in data)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    def rep_dict(dumper, data):
        # A bilingual text ({zh, en}) stays on one line, as authors write it: name: {zh: 胸痛, en: chest pain}
        flow = set(data) == {"zh", "en"} and all(isinstance(v, str) and len(v) < 60 or isinstance(v, list) for v in data.values())
        return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow or None)

    Dumper.add_representer(list, rep_list)
    Dumper.add_representer(dict, rep_dict)
    return yaml.dump(items, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=200)


def _rewrite_findings(edit) -> int:
    """Apply edit(item) -> bool to every finding, rewriting the files it changed; returns the count."""
    changed = 0
    for path in sorted((DATA_DIR / "findings").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
        items = yaml.safe_load(text) or []
        n = sum(bool(edit(it)) for it in items)
        if n:
            path.write_text(header + _dump(items), encoding="utf-8")
            changed += n
    return changed


def add_forms(patch_path: Path) -> int:
    """Merge new surface forms and patterns into existing findings (duplicates skipped)."""
    patch = yaml.safe_load(patch_path.read_text(encoding="utf-8")) or {}

    def edit(it: dict) -> bool:
        add = patch.pop(it["id"], None)
        if not add:
            return False
        for key in ("zh", "en", "patterns"):
            cur = it.setdefault(key, [])
            cur += [s for s in add.get(key, []) if s not in cur]
        return True

    changed = _rewrite_findings(edit)
    for fid in patch:
        print(f"unknown finding id: {fid}", file=sys.stderr)
    print(f"updated {changed} findings")
    return 1 if patch else 0


def add_traditional() -> int:
    import opencc

    s2t = opencc.OpenCC("s2t")

    def edit(it: dict) -> bool:
        hant = list(dict.fromkeys(t for t in (s2t.convert(x) for x in it.get("zh", [])) if t not in it.get("zh", [])))
        if hant == it.get("zh_hant", []):
            return False
        it.pop("zh_hant", None)
        ordered = {}
        for k, v in it.items():
            ordered[k] = v
            if k == "zh" and hant:
                ordered["zh_hant"] = hant
        it.clear()
        it.update(ordered)
        return True

    print(f"updated {_rewrite_findings(edit)} findings")
    return 0


_MODELS = {
    "findings": "FindingDef",
    "conditions": "ConditionDef",
    "triage": "TriageRule",
    "medications.yaml": "MedicationDef",
    "allergens.yaml": "AllergenDef",
    "departments.yaml": "DepartmentDef",
    "context_rules.yaml": "ContextRule",
}


def lint(paths: list[Path]) -> int:
    """Validate files against the schema their folder or name implies (or --as KIND)."""
    from . import schema
    from .base import parse_list, read_yaml

    status = 0
    for path in paths:
        kind = path.name if path.name in _MODELS else path.parent.name
        model_name = _MODELS.get(kind)
        if model_name is None:
            print(f"{path}: cannot tell the kind; put it under findings/, conditions/ or triage/", file=sys.stderr)
            status = 1
            continue
        try:
            n = len(parse_list(path, getattr(schema, model_name), read_yaml(path)))
            print(f"{path}: {n} valid {model_name}")
        except KBError as e:
            print(f"{path}: INVALID: {e}", file=sys.stderr)
            status = 1
    return status


def _unknown_lab_items(kb) -> list[str]:
    """`from_lab` items checked against the report module's lab KB (a separate knowledge base)."""
    from .lab_loader import default_lab_kb

    items = default_lab_kb().items
    return [f"{f.id}: {x}" for f in kb.findings.values() if f.from_lab for x in f.from_lab.items if x not in items]


def check_all(hospital_config: str | None = None, out=sys.stdout) -> int:
    """Validate every domain of the knowledge base (clinical, lab and imaging, calculators, scales, drugs) and
    their cross-references; print the counts. Returns 0 when all are valid."""
    from ..scales.loader import load_scales
    from .calc_loader import load_calculator_kb
    from .drug_loader import load_drug_kb
    from .lab_loader import load_lab_kb

    counts: dict = {}
    problems: list[str] = []
    try:
        kb = load_kb(hospital_config)
        counts["clinical"] = kb.stats()
        problems += [f"finding names a lab item the report KB lacks: {x}" for x in _unknown_lab_items(kb)]
    except KBError as e:
        problems.append(f"clinical: {e}")
    for name, load in (("labs", load_lab_kb), ("calculators", load_calculator_kb), ("scales", load_scales),
                       ("drugs", load_drug_kb)):
        try:
            loaded = load()
            counts[name] = {k: len(v) for k, v in vars(loaded).items() if isinstance(v, (dict, list))}
        except (KBError, ValueError) as e:
            problems.append(f"{name}: {e}")
    if problems:
        print("INVALID:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(json.dumps(counts, ensure_ascii=False, indent=2), file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cmd = argv[0] if argv else "check"
    if cmd == "add-traditional":
        return add_traditional()
    if cmd == "add-forms" and len(argv) == 2:
        return add_forms(Path(argv[1]))
    if cmd == "lint":
        return lint([Path(a) for a in argv[1:]])
    if cmd == "check":
        return check_all(argv[1] if len(argv) > 1 else None)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
