"""Advice from the whole report: the same item is advised differently when other items change the picture.
Each case pairs a report where an item's own advice stands with one where another item must change it."""
import re

from wenzhen.reports import interpret_text
from wenzhen.reports.models import PatientContext

MAN_70 = PatientContext(age_years=70, sex="male")
FLUIDS = re.compile(r"多喝水|多饮水|补水|drink (?:more|plenty)", re.I)


def _rep(text: str, patient: PatientContext = MAN_70):
    return interpret_text(text, patient)


def _advice(rep, item_id: str) -> str:
    it = next(i for i in rep.items if i.item_id == item_id)
    return it.explanation.advice if it.explanation else ""


def test_raised_urea_alone_keeps_its_own_advice_but_not_beside_a_low_sodium():
    alone = _rep("尿素 UREA 9.5 mmol/L 3.1-8.0")
    assert alone.urgency != "emergency" and _advice(alone, "urea")
    with_low_na = _rep("尿素 UREA 12 mmol/L 3.1-8.0\n钠 Na 128 mmol/L 137-147")
    assert "hyponatraemia_with_raised_urea_or_creatinine" in {p.id for p in with_low_na.patterns}
    assert not any(FLUIDS.search(_advice(with_low_na, i)) for i in ("urea", "na"))


def test_kidney_failure_with_a_critical_sodium_is_one_emergency_with_no_wait_and_recheck():
    rep = _rep("肌酐 CREA 560 μmol/L 57-111\n尿素 UREA 28 mmol/L 3.1-8.0\n钠 Na 118 mmol/L 137-147")
    assert rep.urgency == "emergency" and rep.departments[0] == "急诊科"
    assert {"kidney_failure_range", "hyponatraemia_with_raised_urea_or_creatinine"} <= {p.id for p in rep.patterns}
    for i in ("crea", "urea", "na"):
        advice = _advice(rep, i)
        assert not FLUIDS.search(advice) and "复查" not in advice.replace("不必另行等待复查", "")


def test_a_critical_potassium_says_what_to_do_now_and_nothing_reassuring():
    rep = _rep("钾 K 6.8 mmol/L 3.5-5.3")
    assert rep.urgency == "emergency"
    assert "采血" not in _advice(rep, "k") and "急诊" in _advice(rep, "k")
    mild = _rep("钾 K 5.5 mmol/L 3.5-5.3")  # a mild rise may well be the sample: its own advice says so
    assert mild.urgency != "emergency" and "采血" in _advice(mild, "k")


def test_very_high_glucose_with_acidosis_is_ketoacidosis_not_a_diabetes_cut_off():
    rep = _rep("葡萄糖 GLU 28 mmol/L 3.9-6.1\n钠 Na 128 mmol/L 137-147\n碳酸氢根 HCO3- 12 mmol/L 22-27")
    assert "hyperglycaemia_with_acidosis" in {p.id for p in rep.patterns} and rep.urgency == "emergency"
    glucose = next(i for i in rep.items if i.item_id == "glucose_fasting")
    assert glucose.guideline_band is None and "OGTT" not in _advice(rep, "glucose_fasting")
    corrected = {d.id: d.value for d in rep.derived}["corrected_sodium"]
    assert 134 < corrected < 135  # 128 + 1.6 × (28 × 18 − 100) / 100
    # a fasting glucose of 7.4 alone is the diabetes cut-off, with its band and no emergency
    fpg = _rep("空腹血糖 GLU 7.4 mmol/L 3.9-6.1")
    assert fpg.urgency != "emergency" and fpg.items[0].guideline_band


def test_glucose_over_33_with_high_osmolality_is_the_hyperosmolar_state():
    rep = _rep("葡萄糖 GLU 38 mmol/L 3.9-6.1\n钠 Na 150 mmol/L 137-147")
    assert "hyperosmolar_hyperglycaemia" in {p.id for p in rep.patterns}
    assert {d.id: d.value for d in rep.derived}["effective_osmolality"] == 338


def test_agranulocytosis_goes_to_the_emergency_department_a_mild_leukopenia_does_not():
    rep = _rep("白细胞 WBC 0.8 10^9/L 3.5-9.5\n中性粒细胞绝对值 NEUT# 0.2 10^9/L 1.8-6.3")
    assert "agranulocytosis_fever_risk" in {p.id for p in rep.patterns}
    assert rep.urgency == "emergency" and rep.departments[0] == "急诊科"
    mild = _rep("白细胞 WBC 3.1 10^9/L 3.5-9.5\n中性粒细胞绝对值 NEUT# 1.6 10^9/L 1.8-6.3")
    assert mild.urgency != "emergency" and "急诊科" not in mild.departments and not mild.patterns


def test_anaemia_with_a_very_high_inr_is_a_bleeding_pattern():
    rep = _rep("血红蛋白 HGB 58 g/L 130-175\n国际标准化比值 INR 5.2 0.8-1.2")
    assert "anaemia_with_overanticoagulation" in {p.id for p in rep.patterns}
    assert "anaemia_with_overanticoagulation" not in {p.id for p in _rep(
        "血红蛋白 HGB 110 g/L 130-175\n国际标准化比值 INR 1.1 0.8-1.2").patterns}


def test_high_potassium_phosphate_and_urate_together_suggest_tumour_lysis():
    rep = _rep("钾 K 5.8 mmol/L 3.5-5.3\n磷 PHOS 2.1 mmol/L 0.85-1.51\n尿酸 UA 620 μmol/L 208-428")
    assert "tumour_lysis_possible" in {p.id for p in rep.patterns} and rep.urgency == "emergency"


def test_a_report_that_is_not_an_emergency_never_sends_to_the_emergency_department_within_days():
    rep = _rep("钾 K 5.6 mmol/L 3.5-5.3\n肌酐 CREA 150 μmol/L 57-111")  # a pattern listing nephrology and emergency
    assert rep.urgency != "emergency"
    assert "急诊科" not in rep.departments and "急诊" not in rep.summary


def test_the_report_page_colours_follow_the_assessment_scale():
    """One scale in common.css: report urgency shares its rule with the triage level it means (within days is
    level III's amber, not the orange of "call 120"); no page defines colours of its own."""
    from pathlib import Path

    import wenzhen.api as api

    static = Path(api.__file__).with_name("static")
    css = (static / "common.css").read_text(encoding="utf-8")
    assert re.search(r"\.l1, \.u-emergency \{ background: var\(--urg-1\)", css)
    assert re.search(r"\.l3, \.u-prompt \{ background: var\(--urg-3\)", css)
    assert re.search(r"\.l4, \.u-routine \{ background: var\(--urg-4\)", css)
    assert re.search(r"\.l2 \{ background: var\(--urg-2\)", css) and "u-prompt { background: var(--urg-2)" not in css
    for page in ("index.html", "report.html", "meds.html"):
        html = (static / page).read_text(encoding="utf-8")
        assert not re.search(r"\.(l[1-4]|u-\w+|s-\w+)[^{]*\{[^}]*(background|border-left)", html), page


def test_a_fasting_cut_off_needs_a_fasting_sample():
    plain = _rep("葡萄糖 GLU 6.5 mmol/L 3.9-6.1").items[0]
    assert plain.guideline_band is None and "OGTT" not in plain.explanation.advice and "空腹" in plain.name
    fasting = _rep("空腹血糖 GLU 6.5 mmol/L 3.9-6.1").items[0]
    assert fasting.guideline_band and fasting.name == "空腹血糖"
    said_above = _rep("标本：空腹静脉血\n葡萄糖 GLU 7.4 mmol/L").items[0]  # the specimen line says it
    assert said_above.guideline_band and said_above.name == "空腹血糖"


def test_marked_thyrotoxicosis_names_thyroid_storm_and_its_warning_signs():
    from wenzhen.reports import interpret_text

    severe = interpret_text("促甲状腺激素 TSH <0.005 mIU/L 0.27-4.20\n游离甲状腺素 FT4 68.3 pmol/L 12.0-22.0")
    mild = interpret_text("促甲状腺激素 TSH 0.05 mIU/L 0.27-4.20\n游离甲状腺素 FT4 25.0 pmol/L 12.0-22.0")
    ids = {p.id for p in severe.patterns}
    assert "marked_thyrotoxicosis" in ids
    text = next(p for p in severe.patterns if p.id == "marked_thyrotoxicosis").explanation
    assert "甲状腺危象" in text and "120" in text
    assert "marked_thyrotoxicosis" not in {p.id for p in mild.patterns}
    assert "hyperthyroid_pattern" in {p.id for p in mild.patterns}


def test_two_reports_tell_acute_kidney_injury_from_a_slow_rise():
    """KDIGO: creatinine up ≥26.5 μmol/L within 48 h, or to ≥1.5× within 7 days, is acute kidney injury (go today);
    the same rise over six months is not."""
    from wenzhen.reports.trends import compare_reports

    first = _rep("采样时间：2025-06-01\n肌酐 CREA 88 umol/L 57-111")
    next_day = _rep("采样时间：2025-06-02\n肌酐 CREA 130 umol/L 57-111")
    a_week = _rep("采样时间：2025-06-06\n肌酐 CREA 140 umol/L 57-111")
    months = _rep("采样时间：2025-12-02\n肌酐 CREA 140 umol/L 57-111")
    fast = compare_reports([next_day, first])  # any order: sorted by date
    assert [a.id for a in fast.alerts] == ["aki_creatinine_rise_48h"] and fast.alerts[0].urgency == "emergency"
    assert "急性肾损伤" in fast.summary.split("比较了")[0]
    assert [a.id for a in compare_reports([first, a_week]).alerts] == ["aki_creatinine_ratio_7d"]
    assert compare_reports([first, months]).alerts == []
    undated = compare_reports([_rep("肌酐 CREA 88 umol/L 57-111"), _rep("肌酐 CREA 300 umol/L 57-111")])
    assert undated.alerts == []  # without dates the interval is unknown: no claim either way
