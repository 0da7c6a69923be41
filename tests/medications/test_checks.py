"""The checks' logic on a small test knowledge base (tests/medications/kb): each check fires on the case it is for
and stays silent on the same list without the problem."""
from pathlib import Path

import pytest
from pydantic import ValidationError

from wenzhen.kb.drug_loader import load_drug_kb
from wenzhen.medications import check_medications

KB = load_drug_kb(Path(__file__).with_name("kb"))


def kinds(patient, drugs, **kw):
    res = check_medications(patient, drugs, kb=KB, **kw)
    return {(f.kind, f.severity) for f in res.findings}, res


def test_a_clean_list_for_a_healthy_adult_raises_nothing():
    found, res = kinds({"age": 35}, [{"name": "布洛芬", "dose": "200mg", "frequency": "tid"}, "阿莫西林"])
    assert found == set() and res.findings == []


def test_allergy_to_a_class_and_cross_reactivity():
    found, _ = kinds({"allergies": ["青霉素"]}, ["阿莫仙", "头孢呋辛"])
    assert ("allergy", "contraindicated") in found and ("cross_allergy", "major") in found
    assert kinds({"allergies": ["花粉"]}, ["阿莫仙", "头孢呋辛"])[0] == set()


def test_the_same_ingredient_in_two_products_and_its_daily_total():
    found, res = kinds({}, [{"name": "泰诺", "dose": "2片", "frequency": "q6h"},
                            {"name": "泰诺林", "dose": "2片", "frequency": "tid"}])
    assert ("duplicate_ingredient", "major") in found and ("daily_dose", "major") in found
    total = next(f for f in res.findings if f.kind == "daily_dose")
    assert "5600" in total.message  # 2 × 325 × 4 + 2 × 500 × 3
    found, _ = kinds({}, [{"name": "泰诺林", "dose": "1片", "frequency": "tid"}])
    assert found == set()


def test_a_single_dose_above_the_maximum():
    assert ("single_dose", "major") in kinds({}, [{"name": "布洛芬", "dose": "1 g", "frequency": "bid"}])[0]
    assert kinds({}, [{"name": "布洛芬", "dose": "0.4 g", "frequency": "tid"}])[0] == set()


def test_a_childs_dose_by_weight_and_the_youngest_age():
    found, _ = kinds({"age": 4, "weight_kg": 16}, [{"name": "美林", "dose": "300 mg", "frequency": "q6h"}])
    assert ("child_dose", "major") in found and ("daily_dose", "major") in found
    assert kinds({"age": 4, "weight_kg": 16}, [{"name": "美林", "dose": "150 mg", "frequency": "tid"}])[0] == set()
    assert ("child_age", "major") in kinds({"age": 8}, ["泰诺"])[0]
    assert ("child_age", "major") not in kinds({"age": 30}, ["泰诺"])[0]


def test_an_interaction_by_class():
    found, res = kinds({}, ["华法林", "芬必得"])
    assert ("interaction", "major") in found
    assert kinds({}, ["华法林", "泰诺林"])[0] == set()


def test_conditions_kidneys_liver_pregnancy_breastfeeding_and_older_age():
    assert ("condition", "major") in kinds({"conditions": ["十二指肠溃疡出血史"]}, ["布洛芬"])[0]
    assert ("renal", "major") in kinds({"egfr": 25}, ["布洛芬"])[0]
    assert ("renal", "major") not in kinds({"egfr": 75}, ["布洛芬"])[0]
    assert ("hepatic", "moderate") in kinds({"child_pugh": "C"}, ["华法林"])[0]
    assert ("hepatic", "moderate") not in kinds({"child_pugh": "A"}, ["华法林"])[0]
    assert ("pregnancy", "major") in kinds({"pregnant": True}, ["华法林"])[0]
    assert ("pregnancy", "major") in kinds({"pregnant": True, "trimester": 3}, ["布洛芬"])[0]
    assert kinds({"pregnant": True, "trimester": 1}, ["布洛芬"])[0] == set()  # only the third trimester is named
    assert kinds({"breastfeeding": True}, ["布洛芬"])[0] == set() == kinds({"breastfeeding": True}, ["华法林"])[0]
    assert ("lactation", "moderate") in kinds({"breastfeeding": True}, ["泰诺"])[0]
    assert ("elderly", "moderate") in kinds({"age": 78}, ["布洛芬"])[0]
    assert ("elderly", "moderate") not in kinds({"age": 50}, ["布洛芬"])[0]


def test_names_forms_unknown_drugs_and_bad_input():
    _, res = kinds({}, ["布洛芬缓释胶囊", "Advil", "不存在的药"])
    assert [d.id for d in res.drugs] == ["ibuprofen", "ibuprofen", None]
    assert [f.kind for f in res.findings] == ["unknown_drug"] and "不存在的药" in res.findings[0].message
    for patient, drugs in [({"age": -1}, ["布洛芬"]), ({"age": True}, ["布洛芬"]), ({}, []), ({"weight_kg": 1e9}, ["x"])]:
        with pytest.raises(ValidationError):
            check_medications(patient, drugs, kb=KB)


def test_english_output():
    _, res = kinds({"allergies": ["penicillin"]}, ["amoxicillin"], language="en")
    assert res.language == "en" and "allergic" in res.findings[0].message


def test_facts_and_current_medicines_come_from_a_complaint():
    # "I take warfarin and I'm allergic to penicillin": both reach the check
    res = check_medications({}, ["布洛芬", "阿莫西林"], kb=KB, complaint="我75岁，一直在吃华法林，对青霉素过敏，最近膝盖疼")
    found = {(f.kind, f.severity) for f in res.findings}
    assert ("interaction", "major") in found and ("allergy", "contraindicated") in found and ("elderly", "moderate") in found
    assert "warfarin" in [d.id for d in res.drugs]


def test_class_members_listed_in_a_table_count_like_classes_on_the_drug(tmp_path):
    import shutil

    from wenzhen.kb.base import KBError

    kb_dir = tmp_path / "kb"
    shutil.copytree(Path(__file__).with_name("kb"), kb_dir)
    (kb_dir / "classes_extra.yaml").write_text(
        "- {id: test_inhibitor, name: {zh: 测试抑制剂, en: test inhibitors}, source: test}\n", encoding="utf-8")
    (kb_dir / "members_extra.yaml").write_text(
        "- {id: test_inhibitor, members: [amoxicillin], source: test}\n", encoding="utf-8")
    (kb_dir / "interactions_extra.yaml").write_text(
        "- {a: test_inhibitor, b: warfarin, severity: major, mechanism: {zh: 机制, en: mechanism},"
        " management: {zh: 处理, en: management}, source: test}\n", encoding="utf-8")
    kb = load_drug_kb(kb_dir)
    assert "test_inhibitor" in kb.drugs["amoxicillin"].classes
    found = {(f.kind, f.severity) for f in check_medications({}, ["阿莫西林", "华法林"], kb=kb).findings}
    assert ("interaction", "major") in found
    assert not check_medications({}, ["头孢呋辛", "华法林"], kb=kb).findings
    (kb_dir / "members_extra.yaml").write_text("- {id: test_inhibitor, members: [no_such_drug], source: test}\n",
                                               encoding="utf-8")
    with pytest.raises(KBError, match="no_such_drug"):
        load_drug_kb(kb_dir)


def test_a_curated_drug_rule_speaks_for_its_pair_over_a_class_effect():
    """ACE inhibitor + spironolactone is planned heart-failure treatment (moderate, monitor potassium); the generic
    potassium-raising class rule must not outrank it, and still covers pairs without their own rule."""
    from wenzhen.kb.drug_loader import default_drug_kb

    kb = default_drug_kb()

    def severities(a, b):
        res = check_medications({"age": 60}, [a, b], kb=kb)
        return {f.severity for f in res.findings if f.kind == "interaction"}

    assert severities("依那普利", "螺内酯") == {"moderate"}
    assert severities("氯化钾", "螺内酯") and "minor" not in severities("氯化钾", "螺内酯")
    assert severities("氟伏沙明", "替扎尼定") == {"contraindicated"}  # CYP1A2: a specific, severe rule
    assert severities("氨氯地平", "缬沙坦") == set()  # two blood-pressure drugs together are not a finding


def test_qt_risk_in_the_shipped_table_by_known_and_possible_risk():
    """Drugs with a known risk of torsades (donepezil, cilostazol) join the QT class: with haloperidol, a major
    interaction. Drugs with a possible risk (venlafaxine, lithium …) are moderate beside a known one, and silent
    beside each other or beside drugs that do not touch the QT interval."""
    def qt(*drugs):
        res = check_medications({}, list(drugs))
        return {f.severity for f in res.findings if f.kind == "interaction" and "QT" in f.message}
    assert qt("多奈哌齐", "氟哌啶醇") == {"major"}
    assert qt("文拉法辛", "克拉霉素") >= {"moderate"}
    assert qt("文拉法辛", "氨氯地平") == set()
    assert qt("法莫替丁", "他莫昔芬") == set()  # two possible risks: not flagged as a pair
    lithium = check_medications({}, ["碳酸锂", "舍曲林"])
    assert any(f.kind == "interaction" and "5-羟色胺" in f.message for f in lithium.findings)


def test_medicines_named_the_way_patients_name_them():
    """'在打胰岛素', '吃短效避孕药', '钙尔奇': no product named, yet the class's interactions and contraindications
    apply (levofloxacin's glucose swings with insulin, rifampicin's failed contraception); no product's dose is
    assumed, and an unknown word is still reported as unknown."""
    def found(patient, *drugs):
        return {(f.kind, f.severity) for f in check_medications(patient, list(drugs)).findings}
    assert ("interaction", "moderate") in found({}, "左氧氟沙星", "胰岛素")
    assert ("interaction", "major") in found({}, "利福平", "口服避孕药")
    assert ("pregnancy", "major") in found({"pregnant": True}, "短效避孕药")
    assert ("interaction", "moderate") in found({}, "多西环素", "钙尔奇")
    assert found({}, "胰岛素", "氨氯地平") == set()
    assert found({}, "胰岛素", {"name": "胰岛素", "dose": "40 U"}) <= {("duplicate_ingredient", "major"),
                                                                    ("duplicate_class", "moderate")}
    assert ("unknown_drug", "info") in found({}, "避孕神药")


def _interactions(*drugs: str) -> list:
    return [f for f in check_medications({}, list(drugs)).findings if f.kind == "interaction"]


def test_leflunomide_and_methotrexate_with_drugs_whose_label_warns_of_liver_injury():
    """The leflunomide and methotrexate labels warn about other potentially hepatotoxic drugs: an NSAID, a statin or
    a macrolide beside either is a moderate interaction about the liver; a drug without a liver warning is not."""
    for pair in (["来氟米特", "布洛芬"], ["来氟米特", "阿奇霉素"], ["甲氨蝶呤", "非诺贝特"], ["来氟米特", "卡托普利"]):
        found = _interactions(*pair)
        assert any(f.severity == "moderate" and "肝" in f.message for f in found), pair
    assert _interactions("来氟米特", "氨氯地平") == []
    assert _interactions("布洛芬", "阿托伐他汀") == []  # two liver warnings alone are not a pair


def test_tamoxifen_with_moderate_cyp2d6_inhibitors_and_not_with_venlafaxine():
    assert any("CYP2D6" in f.message for f in _interactions("他莫昔芬", "度洛西汀"))
    assert not any("CYP2D6" in f.message for f in _interactions("他莫昔芬", "文拉法辛"))


def test_mifepristone_inhibits_cyp3a4_and_prolongs_qt():
    assert any(f.severity == "moderate" for f in _interactions("米非司酮", "辛伐他汀"))
    assert any("QT" in f.message for f in _interactions("米非司酮", "左氧氟沙星"))
    assert _interactions("米非司酮", "对乙酰氨基酚") == []


def test_label_interactions_of_tricyclics_potassium_citrate_and_intravenous_magnesium():
    assert _interactions("阿米替林", "去氧肾上腺素")
    assert _interactions("枸橼酸钾", "奥氮平")
    assert _interactions("硫酸镁", "庆大霉素")
    assert _interactions("阿米替林", "氨溴索") == []
    assert _interactions("枸橼酸钾", "氨氯地平") == []
