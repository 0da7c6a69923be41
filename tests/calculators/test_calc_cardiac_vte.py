"""Cardiac, VTE, bleeding and bedside scores: hand-worked examples from the published rules,
unit conversions and impossible/missing inputs."""
import math

import pytest

from wenzhen.calculators import CalculationError, calculate


def calc(name, **kw):
    return calculate(name, kw, language="en")


# ---------------------------------------------------------------- pulmonary embolism
def test_wells_pe_worked_example():
    # HR 110 (1.5) + prior DVT (1.5) + haemoptysis (1) = 4.0 -> "PE unlikely" on the two-tier rule
    r = calc("wells_pe", heart_rate=110, prior_dvt=True, hemoptysis=True)
    assert r.value == 4.0
    assert r.interpretation.risk == "moderate"
    # + clinical signs of DVT (3) = 7.0 -> high probability
    r = calc("wells_pe", heart_rate=110, prior_dvt=True, hemoptysis=True, dvt_signs=True)
    assert r.value == 7.0 and r.interpretation.risk == "very_high"
    # prior PE and prior DVT are one item; immobilisation and surgery are one item
    assert calc("wells_pe", prior_pe=True, prior_dvt=True, immobilization_3d=True, recent_surgery=True).value == 3.0
    # HR exactly 100 does not count (>100)
    assert calc("wells_pe", heart_rate=100).value == 0


def test_wells_pe_medcalc_names():
    r = calculate("Wells' Criteria for Pulmonary Embolism", {
        "Heart Rate or Pulse": [120.0, "beats per minute"], "Pulmonary Embolism is #1 diagnosis OR equally likely": True,
        "Malignancy with treatment within 6 months or palliative": True}, language="en")
    assert r.value == 5.5 and not r.unused_inputs


def test_wells_pe_impossible_heart_rate():
    with pytest.raises(CalculationError):
        calc("wells_pe", heart_rate=400)


def test_perc():
    # age 55 and hormone use -> 2 criteria met
    r = calc("perc", age=55, heart_rate=90, spo2=97, hormone_use=True)
    assert r.value == 2 and r.interpretation.risk == "moderate"
    r = calc("perc", age=30, heart_rate=80, spo2=98)
    assert r.value == 0 and r.interpretation.risk == "low"
    # 612 months = 51 years -> age criterion met; SpO2 94% -> met
    assert calc("perc", age="612 months", heart_rate=80, spo2=94).value == 2
    with pytest.raises(CalculationError):
        calc("perc", age=30, heart_rate=80, spo2=150)


def test_spesi():
    # age 82 (1) + HR 115 (1) + SBP 95 (1) + SpO2 92 (0) = 3
    r = calc("spesi", age=82, heart_rate=115, sbp=95, spo2=92)
    assert r.value == 3 and r.interpretation.risk == "high"
    assert calc("spesi", age=60, heart_rate=80, sbp=120, spo2=97).interpretation.risk == "low"
    assert calc("spesi", age=60, heart_rate=80, sbp=120, spo2=97, copd=True).value == 1
    with pytest.raises(CalculationError):
        calc("spesi", age=60, heart_rate=80, spo2=97)  # SBP required


# ---------------------------------------------------------------- DVT and VTE prophylaxis
def test_wells_dvt():
    # cancer 1 + calf swelling 1 + pitting oedema 1 − alternative diagnosis 2 = 1
    r = calc("wells_dvt", active_cancer=True, calf_swelling_3cm=True, pitting_edema_symptomatic_leg=True,
             alternative_diagnosis_dvt=True)
    assert r.value == 1 and r.interpretation.risk == "moderate"
    r = calc("wells_dvt", alternative_diagnosis_dvt=True)
    assert r.value == -2 and r.interpretation.risk == "low"
    # bedridden and major surgery together are one point
    assert calc("wells_dvt", bedridden_3d=True, major_surgery_12wk=True, entire_leg_swollen=True).value == 2
    with pytest.raises(CalculationError):
        calc("wells_dvt", active_cancer="maybe")


def test_caprini():
    # 65-year-old woman: age 2 + laparoscopic >45 min 2 + BMI 28 1 + oral contraceptive 1 = 6 (high)
    r = calc("caprini", age=65, sex="female", caprini_surgery_type="laparoscopic", bmi=28, hormone_use=True)
    assert r.value == 6 and r.interpretation.risk == "high"
    # the same man: the hormone item applies to women only
    assert calc("caprini", age=65, sex="male", caprini_surgery_type="laparoscopic", bmi=28, hormone_use=True).value == 5
    # elective knee replacement 5 + age 76 3 + bed >72 h 2 + prior DVT and PE (one item) 3 = 13
    r = calc("caprini", age=76, sex="male", caprini_surgery_type="knee replacement",
             mobility_status="confined to bed >72 hours", prior_dvt=True, prior_pe=True)
    assert r.value == 13
    assert calc("caprini", age=30, sex="male", caprini_surgery_type="none").interpretation.label.startswith("very low")
    with pytest.raises(CalculationError):
        calc("caprini", age=65, sex="female", caprini_surgery_type="banana")


def test_padua():
    # cancer 3 + bed rest ≥3 d 3 + age 75 1 + heart failure 1 = 8
    r = calc("padua", age=75, active_cancer=True, immobilization_3d=True, chf=True)
    assert r.value == 8 and r.interpretation.risk == "high"
    # obesity from weight and height: 95 kg, 170 cm -> BMI 32.9 -> 1
    assert calc("padua", age=50, weight=95, height=170).value == 1
    assert calc("padua", age=50, weight="209.4 lb", height="1.70 m").value == 1
    assert calc("padua", age=50, hormone_use=True).interpretation.risk == "low"
    with pytest.raises(CalculationError):
        calc("padua", age=50, bmi=500)


# ---------------------------------------------------------------- cardiac
def test_rcri():
    # elevated-risk surgery + insulin + creatinine 2.5 mg/dL = 3 (class IV)
    r = calc("rcri", elevated_risk_surgery=True, insulin_treatment=True, creatinine=2.5)
    assert r.value == 3 and r.interpretation.risk == "high"
    assert calc("rcri", elevated_risk_surgery=True, insulin_treatment=True, creatinine="221 μmol/L").value == 3
    assert calc("rcri", elevated_risk_surgery=True, insulin_treatment=True, creatinine="150 umol/L").value == 2
    # a prior TIA counts as cerebrovascular disease
    assert calc("rcri", tia_history=True, creatinine=1.0).value == 1
    with pytest.raises(CalculationError):
        calc("rcri", creatinine="abc")


def test_heart_score():
    # history moderate 1 + ECG non-specific 1 + age 60 1 + HTN and smoker (1–2 factors) 1 + troponin normal 0 = 4
    kw = dict(heart_history="Moderately suspicious", heart_ecg="Non-specific repolarization disturbance", age=60,
              hypertension=True, smoker=True, troponin_level="less than or equal to normal limit")
    r = calc("heart_score", **kw)
    assert r.value == 4 and r.interpretation.risk == "moderate"
    # known atherosclerotic disease (prior MI) makes the risk-factor item 2
    assert calc("heart_score", **kw, myocardial_infarction_history=True).value == 5
    # three risk factors also make it 2
    assert calc("heart_score", **kw, obesity=True).value == 5
    r = calc("heart_score", heart_history="highly", heart_ecg="st_deviation", age=70, atherosclerotic_disease=True,
             troponin_level="greater than three times normal limit")
    assert r.value == 10 and r.interpretation.risk == "high"
    with pytest.raises(CalculationError):
        calc("heart_score", heart_history="very", age=50)


def _framingham_by_hand(age, male, tc, hdl, sbp, treated, smoker):
    la = math.log(age)
    if male:
        s = (52.00961 * la + 20.014077 * math.log(tc) - 0.905964 * math.log(hdl) + 1.305784 * math.log(sbp)
             + 0.241549 * treated + 12.096316 * smoker - 4.605038 * la * math.log(tc)
             - 2.84367 * math.log(min(age, 70)) * smoker - 2.93323 * la * la - 172.300168)
        return 100 * (1 - 0.9402 ** math.exp(s))
    s = (31.764001 * la + 22.465206 * math.log(tc) - 1.187731 * math.log(hdl) + 2.552905 * math.log(sbp)
         + 0.420251 * treated + 13.07543 * smoker - 5.060998 * la * math.log(tc)
         - 2.996945 * math.log(min(age, 78)) * smoker - 146.5933061)
    return 100 * (1 - 0.98767 ** math.exp(s))


def test_framingham_hard_chd():
    # 54-year-old male smoker, TC 235, HDL 26, SBP 139 untreated: ATP III points table gives 16 points (~25%)
    r = calc("framingham_hard_chd", age=54, sex="male", smoker=True, total_cholesterol=235, hdl=26, sbp=139)
    assert r.value == pytest.approx(_framingham_by_hand(54, True, 235, 26, 139, 0, 1), abs=0.05)
    assert 20 < r.value < 35 and r.interpretation.risk == "high"
    # same in mmol/L
    r2 = calc("framingham_hard_chd", age=54, sex="male", smoker=True, total_cholesterol="6.077 mmol/L",
              hdl="0.672 mmol/L", sbp=139)
    assert r2.value == pytest.approx(r.value, abs=0.2)
    # 60-year-old woman, treated SBP 150, TC 200, HDL 50, non-smoker
    r = calc("framingham_hard_chd", age=60, sex="female", total_cholesterol=200, hdl=50, sbp=150, bp_treated=True)
    assert r.value == pytest.approx(_framingham_by_hand(60, False, 200, 50, 150, 1, 0), abs=0.05)
    # male smokers over 70: the age×smoking term uses ln(70)
    old = calc("framingham_hard_chd", age=75, sex="male", smoker=True, total_cholesterol=200, hdl=45, sbp=130)
    assert old.value == pytest.approx(_framingham_by_hand(75, True, 200, 45, 130, 0, 1), abs=0.05)
    with pytest.raises(CalculationError):
        calc("framingham_hard_chd", age=54, sex="male", total_cholesterol=235, sbp=139)


def test_grace():
    # age 65 (58) + HR 95 (15) + SBP 130 (34) + Cr 1.0 (7) + Killip I (0) + ST deviation (28) + enzymes (14) = 156
    r = calc("grace_in_hospital", age=65, heart_rate=95, sbp=130, creatinine=1.0, killip_class="I",
             st_deviation=True, elevated_cardiac_markers=True)
    assert r.value == 156 and r.interpretation.risk == "high"
    # Killip given as a number; creatinine in μmol/L (88.4 = 1.0 mg/dL)
    r = calc("grace_in_hospital", age=45, heart_rate=60, sbp=150, creatinine="88.4 umol/L", killip_class="2")
    assert r.value == 25 + 3 + 24 + 7 + 20 and r.interpretation.risk == "low"
    with pytest.raises(CalculationError):
        calc("grace_in_hospital", age=65, heart_rate=95, sbp=130, creatinine=1.0)


def test_timi_ua_nstemi():
    # age 70 1 + three risk factors 1 + aspirin 1 + ST deviation 1 = 4
    r = calc("timi_ua_nstemi", age=70, hypertension=True, diabetes=True, smoker=True, aspirin_7d=True, st_deviation=True)
    assert r.value == 4 and r.interpretation.risk == "moderate"
    # two risk factors do not count
    assert calc("timi_ua_nstemi", age=50, hypertension=True, diabetes=True).value == 0
    with pytest.raises(CalculationError):
        calc("timi_ua_nstemi", age=-5)


def test_timi_stemi():
    r = calc("timi_stemi", age=76, diabetes=True, sbp=95, heart_rate=110, killip_class="Killip II", weight=60,
             anterior_ste_or_lbbb=True, time_to_treatment_over_4h=True)
    assert r.value == 14 and r.interpretation.risk == "critical"
    r = calc("timi_stemi", age=50, sbp=130, heart_rate=80, killip_class="I", weight="176 lb")
    assert r.value == 0
    assert calc("timi_stemi", age=50, sbp=130, heart_rate=80, killip_class="I", weight="140 lb").value == 1
    with pytest.raises(CalculationError):
        calc("timi_stemi", age=50, sbp=130, heart_rate=80)


def test_has_bled():
    # age 70 1 + (uncontrolled) hypertension 1 = 2; + 10 drinks/week 1 = 3
    r = calculate("HAS-BLED", {"age": 70, "Hypertension history": True}, language="en")
    assert r.value == 2 and r.interpretation.risk == "moderate"
    r = calc("has_bled", age=70, uncontrolled_hypertension=True, alcohol_drinks_per_week=10)
    assert r.value == 3 and r.interpretation.risk == "high"
    assert calc("has_bled", age=65, alcohol_drinks_per_week=7).value == 0  # >65 and ≥8 are strict
    with pytest.raises(CalculationError):
        calc("has_bled", age=70, alcohol_drinks_per_week=-1)


# ---------------------------------------------------------------- bedside scores
def test_centor_mcisaac():
    # age 10 (+1) + exudate + fever 38.5 + no cough = 4
    r = calc("centor_mcisaac", age=10, tonsillar_exudate=True, temperature=38.5, cough_absent=True)
    assert r.value == 4 and r.interpretation.risk == "high"
    assert calc("centor_mcisaac", age=10, tonsillar_exudate=True, temperature="101.3 °F", cough_absent=True).value == 4
    # 100.4 °F is exactly 38.0 °C: not >38
    assert calc("centor_mcisaac", age=30, temperature=[100.4, "degrees fahrenheit"]).value == 0
    # age ≥45 scores −1
    assert calc("centor_mcisaac", age=50, tender_anterior_nodes=True).value == 0
    with pytest.raises(CalculationError):
        calc("centor_mcisaac", temperature=38.5)


def test_feverpain():
    r = calc("feverpain", fever_24h=True, purulent_tonsils=True, symptom_onset_3d=True,
             severe_tonsil_inflammation=True, no_cough_or_coryza=True)
    assert r.value == 5 and r.interpretation.risk == "high"
    assert calc("feverpain", fever_24h=True, symptom_onset_3d=True).interpretation.risk == "moderate"
    with pytest.raises(CalculationError):
        calc("feverpain", fever_24h="perhaps")


def test_abcd2():
    # age 65 1 + BP 150/85 1 + unilateral weakness 2 + 45 min 1 + diabetes 1 = 6
    kw = dict(age=65, sbp=150, dbp=85, tia_clinical_features="unilateral weakness", diabetes=True)
    r = calc("abcd2", **kw, tia_duration=45)
    assert r.value == 6 and r.interpretation.risk == "very_high"
    assert calc("abcd2", **kw, tia_duration="1.5 h").value == 7
    assert calc("abcd2", age=40, sbp=120, dbp=92, tia_clinical_features="speech disturbance", tia_duration=5).value == 2
    with pytest.raises(CalculationError):
        calc("abcd2", **kw)


def test_alvarado():
    # migration 1 + nausea 1 + RLQ tenderness 2 + temp 37.5 1 + WBC 12 2 = 7
    kw = dict(pain_migration_rlq=True, nausea_vomiting=True, rlq_tenderness=True, temperature=37.5)
    r = calc("alvarado", **kw, wbc=12)
    assert r.value == 7 and r.interpretation.risk == "high"
    assert calc("alvarado", **kw, wbc="12000 /uL").value == 7
    assert calc("alvarado", **kw, wbc=12, neutrophil_percent=80, anorexia=True, rebound_tenderness=True).value == 10
    with pytest.raises(CalculationError):
        calc("alvarado", **kw, neutrophil_percent=120)


def test_braden():
    six = ["braden_sensory", "braden_moisture", "braden_activity", "braden_mobility", "braden_nutrition",
           "braden_friction"]
    r = calc("braden", **{k: "2" for k in six})
    assert r.value == 12 and r.interpretation.risk == "high"
    r = calc("braden", braden_sensory="slightly limited", braden_moisture="occasionally moist",
             braden_activity="walks occasionally", braden_mobility="slightly limited", braden_nutrition="adequate",
             braden_friction="potential problem")
    assert r.value == 17 and r.interpretation.risk == "low"
    assert calc("braden", **{k: "1" for k in six}).interpretation.risk == "very_high"
    with pytest.raises(CalculationError):
        calc("braden", **{k: "2" for k in six[:5]})


def test_morse_fall():
    # fall history 25 + secondary diagnosis 15 + cane 15 + IV 20 + weak gait 10 + oriented 0 = 85
    r = calc("morse_fall", fall_history_3m=True, secondary_diagnosis=True, ambulatory_aid="cane", iv_access=True,
             gait="weak", fall_mental_status="oriented to own ability")
    assert r.value == 85 and r.interpretation.risk == "high"
    assert calc("morse_fall", ambulatory_aid="none", gait="normal", fall_mental_status="oriented").value == 0
    assert calc("morse_fall", secondary_diagnosis=True, ambulatory_aid="none", gait="normal",
                fall_mental_status="forgets limitations").interpretation.risk == "moderate"
    with pytest.raises(CalculationError):
        calc("morse_fall", ambulatory_aid="none", fall_mental_status="oriented")
