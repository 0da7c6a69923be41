"""Critical care, sepsis, pneumonia, GI bleeding, liver and comorbidity calculators: hand-worked examples."""
import pytest

from wenzhen.calculators import CalculationError, calculate


def value(name, inputs, **kw):
    return calculate(name, inputs, language="en", **kw).value


# ---------------------------------------------------------------- Child-Pugh
def test_child_pugh_class_b_worked_example():
    # bilirubin 2.5 (2) + albumin 3.0 (2) + INR 1.5 (1) + slight ascites (2) + no encephalopathy (1) = 8, class B
    r = calculate("child_pugh", {"bilirubin": 2.5, "albumin": 3.0, "inr": 1.5, "ascites": "slight",
                                 "hepatic_encephalopathy": "none"}, language="en")
    assert r.value == 8
    assert "class B" in r.interpretation.label


def test_child_pugh_si_units_and_defaults():
    # bilirubin 60 μmol/L = 3.5 mg/dL (3); albumin 25 g/L = 2.5 g/dL (3); INR 2.5 (3); ascites/HE not given -> 1 + 1
    r = calculate("Child-Pugh Score for Cirrhosis Mortality",
                  {"Bilirubin": [60, "µmol/L"], "Albumin": [25, "g/L"], "international normalized ratio": 2.5},
                  language="en")
    assert r.value == 11
    assert r.interpretation.risk == "very_high"
    assert r.assumed  # the defaults are said


def test_child_pugh_missing_required():
    with pytest.raises(CalculationError):
        calculate("child_pugh", {"bilirubin": 1.0, "albumin": 4.0})


# ---------------------------------------------------------------- GCS
def test_gcs_components_and_medcalc_phrases():
    assert value("gcs", {"Best eye response": "eye opening to verbal command",
                         "Best verbal response": "confused",
                         "Best motor response": "withdrawal from pain"}) == 3 + 4 + 4
    assert value("Glasgow Coma Score (GCS)", {"gcs_eye": "spontaneous", "gcs_verbal": "oriented",
                                              "gcs_motor": "obeys"}) == 15
    r = calculate("gcs", {"gcs_eye": "none", "gcs_verbal": "none", "gcs_motor": "extension"}, language="en")
    assert r.value == 4 and r.interpretation.risk == "critical"


def test_gcs_unknown_choice_and_missing():
    with pytest.raises(CalculationError):
        calculate("gcs", {"gcs_eye": "blinks twice", "gcs_verbal": "oriented", "gcs_motor": "obeys"})
    with pytest.raises(CalculationError):
        calculate("gcs", {"gcs_eye": "spontaneous"})


# ---------------------------------------------------------------- Glasgow-Blatchford
def test_gbs_worked_example_mg_dl():
    # man: BUN 30 mg/dL (4) + Hb 11 (3) + SBP 95 (2) + pulse 105 (1) + melaena (1) = 11
    assert value("glasgow_blatchford", {"bun": 30, "hemoglobin": 11, "sex": "male", "sbp": 95,
                                        "heart_rate": 105, "melena": True}) == 11


def test_gbs_urea_mmol_and_female_bands():
    # woman: urea 9 mmol/L = 25.2 mg/dL BUN (3) + Hb 11.5 (1) + SBP 120 (0) + syncope 2 + cardiac failure 2 = 8
    assert value("GBS", {"Blood Urea Nitrogen (BUN)": [9, "mmol/L"], "Hemoglobin": [115, "g/L"], "sex": "Female",
                         "Systolic Blood Pressure": 120, "Recent syncope": True,
                         "Cardiac failure present": True}) == 8
    # boundary: man with Hb 13.0 scores 0 for haemoglobin (band 1 is 12 to <13)
    assert value("glasgow_blatchford", {"bun": 10, "hemoglobin": 13.0, "sex": "male", "sbp": 130}) == 0


def test_gbs_missing_sex():
    with pytest.raises(CalculationError):
        calculate("glasgow_blatchford", {"bun": 30, "hemoglobin": 11, "sbp": 95})


# ---------------------------------------------------------------- APACHE II
BASE_APACHE = {"age": 70, "temperature": 39.5, "sbp": 90, "dbp": 50, "heart_rate": 125, "respiratory_rate": 30,
               "fio2": 40, "pao2": 58, "ph": 7.28, "sodium": 150, "potassium": 3.2, "creatinine": 1.6,
               "hematocrit": 48, "wbc": 18, "gcs": 13}


def test_apache_ii_worked_example():
    # temp 3 + MAP 63.3 → 2 + HR 2 + RR 1 + PaO2 58 (FiO2 <50%) 3 + pH 2 + Na 1 + K 1 + Cr 2 + Hct 1 + WBC 1
    # + GCS 15−13 = 2 + age 70 → 5 = 26
    assert value("apache_ii", BASE_APACHE) == 26
    # acute renal failure doubles creatinine points; immunocompromised nonoperative adds 5
    assert value("APACHE II Score", {**BASE_APACHE, "acute_renal_failure": True,
                                     "severe_organ_insufficiency": True, "admission_type": "nonoperative"}) == 33
    assert value("apache_ii", {**BASE_APACHE, "severe_organ_insufficiency": True,
                               "Surgery Type": "Elective"}) == 28


def test_apache_ii_aa_gradient_and_units():
    # FiO2 60%: A-a gradient used (given directly 400 → 3 instead of PaO2 points)
    inputs = {**BASE_APACHE, "fio2": 60, "A-a gradient": 400}
    assert value("apache_ii", inputs) == 26
    # A-a gradient derived: 0.6 × 713 − 40/0.8 − 70 = 307.8 → 2
    inputs = {**BASE_APACHE, "fio2": 60, "pao2": 70, "paco2": 40}
    assert value("apache_ii", inputs) == 25
    # °F and μmol/L: 103.1 °F = 39.5 °C, 141 μmol/L ≈ 1.6 mg/dL
    inputs = {**BASE_APACHE, "temperature": [103.1, "°F"], "creatinine": [141, "µmol/L"]}
    assert value("apache_ii", inputs) == 26


def test_apache_ii_impossible_value():
    with pytest.raises(CalculationError):
        calculate("apache_ii", {**BASE_APACHE, "ph": 9.5})


# ---------------------------------------------------------------- PSI
def test_psi_worked_example():
    # woman 80 → 70, nursing home 10, CHF 10, RR 32 → 20, BUN 35 → 20, pH 7.30 → 30: 160 (class V)
    r = calculate("psi_port", {"age": 80, "sex": "female", "nursing_home_resident": True, "chf": True,
                               "respiratory_rate": 32, "bun": 35, "ph": 7.30, "temperature": 37, "sbp": 120,
                               "heart_rate": 90, "sodium": 138, "glucose": 120, "hematocrit": 38, "pao2": 75},
                  language="en")
    assert r.value == 160
    assert "class V" in r.interpretation.label


def test_psi_units():
    # man 50; temperature 104 °F = 40 °C → 15; glucose 15 mmol/L = 270 mg/dL → 10
    assert value("PSI Score: Pneumonia Severity Index for CAP",
                 {"age": 50, "sex": "male", "Temperature": [104, "degrees fahrenheit"],
                  "Glucose": [15, "mmol/L"]}) == 75


def test_psi_missing_age():
    with pytest.raises(CalculationError):
        calculate("psi_port", {"sex": "male"})


# ---------------------------------------------------------------- Charlson
def test_charlson_worked_example():
    # age 65 → 2, MI 1, diabetes with end-organ damage 2, metastatic tumour 6, moderate-severe liver 3 = 14
    assert value("charlson", {"age": 65, "myocardial_infarction_history": True,
                              "diabetes_severity": "end-organ damage", "solid_tumor": "metastatic",
                              "liver_disease_severity": "moderate to severe"}) == 14


def test_charlson_medcalc_names():
    assert value("Charlson Comorbidity Index (CCI)",
                 {"age": [45, "years"], "Cerebrovascular Accident": True, "Transient Ischemic Attacks History": True,
                  "Moderate to severe Chronic Kidney Disease": "Severe", "Solid tumor": "Localized",
                  "Liver disease severity": "Mild", "AIDS": True}) == 1 + 2 + 2 + 1 + 6


def test_charlson_missing_age():
    with pytest.raises(CalculationError):
        calculate("charlson", {"dementia": True})


# ---------------------------------------------------------------- SOFA
def test_sofa_worked_example():
    # PaO2 80 / FiO2 0.5 = 160 ventilated → 3; platelets 80 → 2; bilirubin 2.5 → 2; noradrenaline 0.05 → 3;
    # GCS 12 → 2; creatinine 2.2 → 2 = 14
    assert value("sofa", {"pao2": 80, "fio2": 50, "mechanical_ventilation": True, "platelets": 80,
                          "bilirubin": 2.5, "norepinephrine_dose": [0.05, "mcg/kg/min"], "gcs": 12,
                          "creatinine": 2.2}) == 14


def test_sofa_unventilated_cap_units_and_urine():
    # PaO2/FiO2 160 without ventilation scores 2; platelets 150000/µL → 0; bilirubin 35 μmol/L = 2.05 mg/dL → 2;
    # MAP 63 → 1; urine output 150 mL/day → 4 even with normal creatinine
    assert value("Sequential Organ Failure Assessment (SOFA) Score",
                 {"pao2": 80, "fio2": 50, "Platelet count": [150000, "µL"], "Bilirubin": [35, "µmol/L"],
                  "sbp": 85, "dbp": 52, "gcs": 15, "creatinine": 0.9, "Urine Output": [150, "mL/day"]}) == 9


def test_sofa_bad_unit():
    with pytest.raises(CalculationError):
        calculate("sofa", {"pao2": 80, "fio2": 50, "dopamine_dose": [5, "mg/h"]})


# ---------------------------------------------------------------- CURB-65
def test_curb65_worked_example():
    # confusion 1 + urea 8 mmol/L (22.4 mg/dL) 1 + RR 32 1 + DBP 55 1 + age 70 1 = 5
    r = calculate("curb_65", {"confusion": True, "bun": [8, "mmol/L"], "respiratory_rate": 32, "sbp": 110,
                              "dbp": 55, "age": 70}, language="en")
    assert r.value == 5 and r.interpretation.risk == "high"
    assert value("CURB-65 Score for Pneumonia Severity", {"age": 40, "bun": 15, "respiratory_rate": 18,
                                                         "sbp": 120, "dbp": 80}) == 0


def test_curb65_missing_age():
    with pytest.raises(CalculationError):
        calculate("curb_65", {"bun": 15})


# ---------------------------------------------------------------- SIRS
def test_sirs_count():
    # 101.3 °F = 38.5 °C (1) + HR 110 (1) + RR 18 with PaCO2 30 (1) + WBC 3000/µL (1) = 4
    assert value("SIRS Criteria", {"temperature": [101.3, "°F"], "heart_rate": 110, "respiratory_rate": 18,
                                   "paco2": 30, "wbc": [3000, "/µL"]}) == 4
    assert value("sirs", {"temperature": 37, "heart_rate": 80, "respiratory_rate": 16, "paco2": 40, "wbc": 8,
                          "band_neutrophils": 12}) == 1


def test_sirs_impossible_temperature():
    with pytest.raises(CalculationError):
        calculate("sirs", {"temperature": [60, "°C"]})


# ---------------------------------------------------------------- NEWS2
def test_news2_worked_example():
    # RR 24 (2) + SpO2 93 scale 1 (2) + air (0) + SBP 105 (1) + pulse 115 (2) + alert (0) + 38.5 °C (1) = 8
    r = calculate("news2", {"respiratory_rate": 24, "spo2": 93, "sbp": 105, "heart_rate": 115, "acvpu": "alert",
                            "temperature": 38.5}, language="en")
    assert r.value == 8 and r.interpretation.risk == "critical"


def test_news2_single_parameter_3_and_scale_2():
    # only RR 26 scores (3): total 3 but a single red parameter → urgent review
    r = calculate("news2", {"respiratory_rate": 26, "spo2": 97, "sbp": 130, "heart_rate": 80, "acvpu": "A",
                            "temperature": 37}, language="en")
    assert r.value == 3 and r.interpretation.risk == "moderate"
    # scale 2: SpO2 89% on air scores 0; on oxygen SpO2 97% scores 3 (+2 for oxygen)
    base = {"respiratory_rate": 16, "sbp": 130, "heart_rate": 80, "acvpu": "alert", "temperature": 37,
            "hypercapnic_respiratory_failure": True}
    assert value("news2", {**base, "spo2": 89}) == 0
    assert value("news2", {**base, "spo2": 97, "supplemental_oxygen": True}) == 5


def test_news2_bad_consciousness():
    with pytest.raises(CalculationError):
        calculate("news2", {"acvpu": "sleepy-ish"})


# ---------------------------------------------------------------- qSOFA
def test_qsofa():
    assert value("qsofa", {"respiratory_rate": 24, "sbp": 95, "gcs": 14}) == 3
    assert value("qSOFA", {"respiratory_rate": 18, "sbp": 120, "confusion": False, "gcs": 15}) == 0


def test_qsofa_impossible_gcs():
    with pytest.raises(CalculationError):
        calculate("qsofa", {"gcs": 2})


# ---------------------------------------------------------------- MEWS
def test_mews_worked_example():
    # SBP 85 (1) + HR 115 (2) + RR 22 (2) + 38.6 °C (2) + responds to voice (1) = 8
    r = calculate("mews", {"sbp": 85, "heart_rate": 115, "respiratory_rate": 22, "temperature": 38.6,
                           "acvpu": "voice"}, language="en")
    assert r.value == 8 and r.interpretation.risk == "high"
    assert value("mews", {"sbp": 120, "heart_rate": 80, "respiratory_rate": 12, "temperature": [98.6, "°F"],
                          "acvpu": "alert"}) == 0


def test_mews_bad_unit():
    with pytest.raises(CalculationError):
        calculate("mews", {"sbp": [120, "bar"]})


# ---------------------------------------------------------------- PEWS
def test_pews_worked_example():
    # irritable 2 + pale 1 + recession 2 + quarter-hourly nebulisers 2 = 7
    r = calculate("pews", {"pews_behaviour": "irritable", "pews_cardiovascular": "pale",
                           "pews_respiratory": "moderate", "quarter_hourly_nebuliser": True}, language="en")
    assert r.value == 7 and r.interpretation.risk == "critical"
    r = calculate("pews", {"pews_behaviour": "playing", "pews_cardiovascular": "normal",
                           "pews_respiratory": "severe"}, language="en")
    assert r.value == 3 and r.interpretation.risk == "critical"  # a single category scoring 3


def test_pews_missing_category():
    with pytest.raises(CalculationError):
        calculate("pews", {"pews_behaviour": "playing"})
