from pathlib import Path

import pytest

from wenzhen.kb import KBError, get_kb, load_hospital_config, load_kb
from wenzhen.kb.schema import FindingDef, TriageRule


def test_kb_loads_and_meets_issue_sizes():
    s = get_kb().stats()
    assert s["findings"] >= 400
    assert s["surface_forms"]["total"] >= 3000
    assert s["surface_forms"]["zh_hant"] > 0 and s["surface_forms"]["en"] > 0
    assert s["conditions"] >= 150
    assert s["departments"] >= 30
    assert s["triage_rules"] >= 80


def test_every_fact_has_a_source():
    kb = get_kb()
    for coll in (kb.findings.values(), kb.conditions.values(), kb.default_departments.values(), kb.triage_rules,
                 kb.medications.values(), kb.allergens.values()):
        for item in coll:
            assert item.source.strip(), item


def test_unknown_keys_are_rejected():
    with pytest.raises(ValueError, match="Extra inputs"):
        FindingDef.model_validate({"id": "x", "name": {"zh": "x", "en": "x"}, "category": "symptom", "system": "general",
                                   "zh": ["x"], "en": ["x"], "source": "abc", "colour": "red"})


def test_triage_rule_requires_reason_and_source():
    with pytest.raises(ValueError):
        TriageRule.model_validate({"id": "r", "level": 2, "any_findings": ["fever"], "reason": {"zh": "发热", "en": "fever"}})


def test_bad_hospital_config_is_reported(tmp_path: Path):
    p = tmp_path / "h.yaml"
    p.write_text("hospital: x\ndepartments: []\n", encoding="utf-8")
    with pytest.raises(KBError, match="departments"):
        load_hospital_config(p)
    with pytest.raises(KBError, match="not found"):
        load_hospital_config(tmp_path / "missing.yaml")


def test_doctor_in_unknown_department_is_rejected(tmp_path: Path):
    p = tmp_path / "h.yaml"
    p.write_text(
        "hospital: 测试医院\n"
        "departments:\n  - {id: er, name: {zh: 急诊, en: ER}, covers: [emergency], source: hospital list}\n"
        "doctors:\n  - {id: d1, name: 张医生, department: cardiology}\n", encoding="utf-8")
    with pytest.raises(KBError, match="unknown department cardiology"):
        load_kb(p)


def test_conditions_reference_known_findings_and_departments():
    kb = get_kb()
    for c in kb.conditions.values():
        assert any(w.key for w in c.findings), c.id
        assert all(w.id in kb.findings for w in c.findings + c.risk_factors), c.id
        assert all(d in kb.default_departments for d in c.departments), c.id


def test_every_from_lab_item_exists_in_the_report_kb():
    from types import SimpleNamespace

    from wenzhen.kb import get_kb
    from wenzhen.kb.tools import _unknown_lab_items

    assert _unknown_lab_items(get_kb()) == []
    fake = SimpleNamespace(findings={"x": SimpleNamespace(id="x", from_lab=SimpleNamespace(items=["no_such_item"]))})
    assert _unknown_lab_items(fake) == ["x: no_such_item"]


def test_parsed_yaml_is_cached_by_content_and_a_change_is_seen(tmp_path, monkeypatch):
    from wenzhen.kb.base import read_yaml

    monkeypatch.setenv("WENZHEN_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "x.yaml"
    f.write_text("- {id: a, level: 1}\n", encoding="utf-8")
    assert read_yaml(f) == [{"id": "a", "level": 1}]
    assert read_yaml(f) == [{"id": "a", "level": 1}]  # from the cache
    assert list((tmp_path / "cache").glob("*.marshal"))
    f.write_text("- {id: b, level: 2}\n", encoding="utf-8")
    assert read_yaml(f) == [{"id": "b", "level": 2}]
    f.write_text("- {id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KBError, match="not valid YAML"):
        read_yaml(f)
