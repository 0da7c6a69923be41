"""Interpretation: intervals by sex and age, flags, critical values, patterns, drugs, eGFR, summary."""
import pytest

from wenzhen.kb.lab_loader import default_lab_kb
from wenzhen.reports import PatientContext, compare_reports, egfr_ckd_epi_2021, interpret_text


def _item(r, item_id):
    return next(it for it in r.items if it.item_id == item_id)


def test_report_interval_takes_precedence():
    r = interpret_text("性别：男 年龄：45岁\n血红蛋白 125 g/L 120-160")
    it = _item(r, "hgb")
    assert it.flag == "normal" and it.interval.origin == "report"


def test_standard_interval_by_sex_when_report_has_none():
    male = interpret_text("血红蛋白 125 g/L", PatientContext(sex="male", age_years=40))
    female = interpret_text("血红蛋白 125 g/L", PatientContext(sex="female", age_years=40))
    assert _item(male, "hgb").flag == "low" and _item(female, "hgb").flag == "normal"
    assert "WS/T 405" in _item(male, "hgb").interval.source


def test_age_band_of_creatinine():
    young = interpret_text("肌酐 105 μmol/L", PatientContext(sex="male", age_years=40))
    old = interpret_text("肌酐 105 μmol/L", PatientContext(sex="male", age_years=70))
    assert _item(young, "crea").flag == "high" and _item(old, "crea").flag == "normal"


def test_unknown_sex_uses_the_widest_interval_and_says_so():
    r = interpret_text("血红蛋白 120 g/L", language="en")
    it = _item(r, "hgb")
    assert it.flag == "normal" and any("sex unknown" in n for n in it.notes)


def test_unit_conversion_glucose_and_creatinine():
    r = interpret_text("空腹血糖 GLU 126 mg/dL\n肌酐 1.0 mg/dL", PatientContext(sex="male", age_years=50))
    glu = _item(r, "glucose_fasting")
    assert glu.canonical_value == pytest.approx(126 * 0.0555, rel=1e-3) and glu.flag == "high"
    assert _item(r, "crea").canonical_value == pytest.approx(88.4)


def test_critical_values_escalate_to_emergency():
    r = interpret_text("血钾 K 6.8 mmol/L 3.5-5.3\n血小板 PLT 15 10^9/L 125-350")
    assert _item(r, "k").flag == "critical_high" and _item(r, "plt").flag == "critical_low"
    assert r.urgency == "emergency" and "急诊" in r.summary and set(r.critical) == {"血钾 K", "血小板 PLT"}


def test_troponin_above_reference_is_critical():
    r = interpret_text("高敏肌钙蛋白T hs-cTnT 48 ng/L 0-14")
    assert r.items[0].critical and r.urgency == "emergency"


def test_hospital_can_replace_critical_table(tmp_path):
    f = tmp_path / "crit.yaml"
    f.write_text("- {item: k, high: 5.5, source: 某医院危急值制度 2025}\n", encoding="utf-8")
    from wenzhen.kb.lab_loader import load_lab_kb
    from wenzhen.reports import interpret_report, parse_text

    kb = load_lab_kb(f)
    r = interpret_report(parse_text("钾 5.8 mmol/L", kb), kb=kb)
    assert r.items[0].critical and len(kb.critical) == 1


def test_qualitative_results():
    r = interpret_text("尿蛋白 PRO ++ 阴性\n尿糖 - 阴性\n尿潜血 ± 阴性")
    assert [it.flag for it in r.items] == ["positive", "normal", "positive"]
    assert r.items[0].qualitative == "2+"


def test_guideline_band_for_lipids():
    r = interpret_text("总胆固醇 5.8 mmol/L\n甘油三酯 1.2 mmol/L")
    tc = _item(r, "tc")
    assert tc.flag == "high" and tc.interval.origin == "guideline" and "血脂" in tc.guideline_band


def test_patterns_iron_deficiency_and_liver():
    r = interpret_text("性别：女 年龄：35岁\n血红蛋白 92 g/L\n平均红细胞体积 71 fL\n谷丙转氨酶 120 U/L\n谷草转氨酶 90 U/L")
    ids = {p.id for p in r.patterns}
    assert {"iron_deficiency_pattern", "hepatocellular_injury"} <= ids


def test_medication_notes_need_the_drug():
    text = "钾 5.6 mmol/L 3.5-5.3\n谷丙转氨酶 ALT 130 U/L 9-50"
    none = interpret_text(text)
    some = interpret_text(text, PatientContext(medications=["缬沙坦", "阿托伐他汀"]))
    assert none.medication_notes == []
    assert {n.id for n in some.medication_notes} >= {"potassium_high_raas", "alt_statin"}


def test_egfr_ckd_epi_2021():
    # Worked value: 60-year-old woman, creatinine 1.0 mg/dL -> about 64 mL/min/1.73m2 (CKD-EPI 2021)
    assert egfr_ckd_epi_2021(88.4, 60, "female") == pytest.approx(64.0, abs=1.0)
    r = interpret_text("性别：男 年龄：70岁\n肌酐 180 μmol/L")
    assert r.derived and r.derived[0].id == "egfr" and r.derived[0].flag == "low"


def test_egfr_needs_age_and_sex():
    r = interpret_text("肌酐 180 μmol/L")
    assert not r.derived and any("eGFR" in w for w in r.warnings)


def test_child_without_child_interval_is_told():
    r = interpret_text("谷丙转氨酶 30 U/L", PatientContext(sex="male", age_years=8))
    assert any("儿童" in n for n in r.items[0].notes)


def test_implausible_value_is_not_interpreted_silently():
    r = interpret_text("血红蛋白 1300 g/L", PatientContext(sex="male", age_years=40))
    assert r.items[0].flag == "unknown" and r.warnings


def test_all_normal_summary_and_english():
    r = interpret_text("WBC 6.0 10^9/L 3.5-9.5\nHGB 140 g/L 130-175")
    assert r.language == "en" and "within" in r.summary and r.urgency == "recheck"


def test_empty_text_is_an_error():
    from wenzhen.reports import ReportReadError

    with pytest.raises(ReportReadError):
        interpret_text("   ")


def test_trends_across_reports():
    a = interpret_text("采样时间：2025-01-05\n空腹血糖 6.5 mmol/L\n肌酐 80 μmol/L")
    b = interpret_text("采样时间：2025-07-05\n空腹血糖 7.4 mmol/L\n肌酐 81 μmol/L")
    t = compare_reports([b, a])
    glu = next(x for x in t.trends if x.item_id == "glucose_fasting")
    assert glu.direction == "rising" and glu.persistent_abnormal and glu.points[0].date == "2025-01-05"
    assert next(x for x in t.trends if x.item_id == "crea").direction == "stable"


def test_kb_counts():
    kb = default_lab_kb()
    s = kb.stats()
    assert s["report_categories"] >= 50 and s["lab_items"] >= 150
    assert all(kb.items_of(c) for c in ("blood_routine", "urine_routine", "liver_function", "kidney_function", "lipids",
                                         "thyroid_function", "hepatitis_b", "tumor_markers", "coagulation", "blood_gas"))
