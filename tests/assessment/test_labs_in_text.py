"""Lab values quoted in a complaint become findings through the report module's intervals."""
from wenzhen.assessment import assess


def _lab_findings(a):
    return {f.id for f in a.understanding.findings if (f.implied_by or "").startswith("lab:")}


def test_case_summary_labs_become_findings():
    a = assess("患者女，5岁，腹泻5天后面色差。血常规：WBC 16.2×10^9/L，Hb 82g/L，PLT 40×10^9/L")
    assert {"leukocytosis", "low_hemoglobin", "low_platelets"} <= _lab_findings(a)


def test_english_labs_use_the_intervals():
    a = assess("A 45-year-old man with fever for 3 days. WBC 15×10⁹/L, Hb 145 g/L.")
    ids = _lab_findings(a)
    assert "leukocytosis" in ids and "low_hemoglobin" not in ids  # Hb 145 is normal for a man


def test_critical_value_escalates_and_normal_values_do_not():
    crit = assess("化验结果：血钠 116 mmol/L，人有点乏力")
    assert "critical_lab_value" in {f.id for f in crit.understanding.findings}
    assert crit.triage.triage_level <= 2
    normal = assess("体检报告：血钠 140 mmol/L，血红蛋白 135 g/L，白细胞 6.5，没有不舒服")
    assert not _lab_findings(normal) and normal.triage.triage_level == 4


def test_glucose_from_a_report_line_reaches_the_glucose_rule():
    a = assess("家里老人出冷汗，社区测血糖 2.6 mmol/L")
    assert a.understanding.vitals.glucose_mmol == 2.6
    assert a.triage.triage_level == 1


def test_child_with_bloody_diarrhoea_and_anaemia_is_emergent_but_plain_diarrhoea_is_not():
    assert assess("孩子3岁，拉肚子带血好几天了，今天脸色发白，Hb 78 g/L").triage.triage_level <= 2
    assert assess("孩子3岁，拉肚子两天，能吃能喝，精神好").triage.triage_level >= 3

