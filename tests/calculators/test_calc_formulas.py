"""Formula calculators (helper A): hand-worked examples from the published formulas, unit
conversions and refusal of missing or impossible inputs."""
from __future__ import annotations

import math

import pytest

from wenzhen.calculators import CalculationError, calculate


def calc(cid, inputs, lang="en"):
    return calculate(cid, inputs, language=lang)


def approx(x, rel=1e-3):
    return pytest.approx(x, rel=rel)


# ------------------------------------------------------------------ kidney
def test_ckd_epi_2021_female_low_creatinine():
    # 142 × (0.6/0.7)^−0.241 × 0.9938^50 × 1.012 (Inker 2021)
    r = calc("egfr_ckd_epi_2021", {"age": 50, "sex": "female", "creatinine": [0.6, "mg/dL"]})
    assert r.value == approx(109.3, 1e-3)
    assert r.interpretation.risk == "normal"


def test_ckd_epi_2021_male_umol_and_band():
    # 88.4 μmol/L = 1.0 mg/dL; 142 × (1/0.9)^−1.200 × 0.9938^60 = 86.2 → G2
    r = calc("egfr_ckd_epi_2021", {"age": 60, "sex": "male", "creatinine": "88.4 μmol/L"})
    assert r.value == approx(86.2, 2e-3)
    assert r.interpretation.label.startswith("G2")


def test_ckd_epi_missing_creatinine():
    with pytest.raises(CalculationError):
        calc("egfr_ckd_epi_2021", {"age": 60, "sex": "male"})


def test_mdrd_race_and_sex_coefficients():
    assert calc("mdrd_gfr", {"age": 60, "sex": "male", "creatinine": 1.0}).value == approx(76.2, 2e-3)
    r = calc("MDRD GFR Equation", {"age": 60, "sex": "female", "creatinine": 1.0, "Race": "Black"})
    assert r.value == approx(76.22 * 0.742 * 1.212, 2e-3)
    r = calc("mdrd_gfr", {"age": 60, "sex": "female", "creatinine": 1.0, "Race": "White"})
    assert r.value == approx(76.22 * 0.742, 2e-3)


def test_mdrd_impossible_creatinine():
    with pytest.raises(CalculationError):
        calc("mdrd_gfr", {"age": 60, "sex": "male", "creatinine": [100, "mg/dL"]})


def test_fena_prerenal_and_units():
    r = calc("fena", {"creatinine": 2.0, "sodium": 140, "urine_sodium": 40, "urine_creatinine": 100})
    assert r.value == approx(2 * 40 / (140 * 100) * 100)
    assert r.interpretation.risk == "moderate" and "prerenal" in r.interpretation.label
    # both creatinines in μmol/L give the same ratio
    r2 = calc("fena", {"creatinine": "176.8 umol/L", "sodium": 140, "urine sodium": 40, "urine creatinine": "8840 μmol/L"})
    assert r2.value == approx(r.value, 2e-3)
    with pytest.raises(CalculationError):
        calc("fena", {"creatinine": 2.0, "sodium": 140, "urine_sodium": 40})


# ------------------------------------------------------------------ electrolytes and acid–base
def test_corrected_calcium_conventional_and_si():
    assert calc("calcium_corrected", {"calcium": 8.0, "albumin": 2.0}).value == approx(9.6)
    # 2.0 mmol/L = 8.016 mg/dL; 20 g/L = 2.0 g/dL
    assert calc("calcium_corrected", {"calcium": "2.0 mmol/L", "albumin": "20 g/L"}).value == approx(9.616, 2e-3)
    with pytest.raises(CalculationError):
        calc("calcium_corrected", {"calcium": 8.0})


def test_sodium_correction_katz():
    r = calc("sodium_corrected_hyperglycemia", {"sodium": 130, "glucose": 600})
    assert r.value == approx(138.0)
    r = calc("Sodium Correction for Hyperglycemia", {"Sodium": 130, "Glucose": "33.3 mmol/L"})
    assert r.value == approx(130 + 0.016 * (33.3 * 18.0156 - 100), 1e-3)
    with pytest.raises(CalculationError):
        calc("sodium_corrected_hyperglycemia", {"sodium": 130, "glucose": "600 mg/L/s"})


def test_serum_osmolality():
    assert calc("serum_osmolality", {"sodium": 140, "bun": 14, "glucose": 90}).value == approx(290.0)
    r = calc("serum_osmolality", {"sodium": 140, "bun": "5 mmol/L", "glucose": "5 mmol/L"})
    assert r.value == approx(280 + 5 * 2.8014 / 2.8 + 5 * 18.0156 / 18, 1e-3)
    assert calc("serum_osmolality", {"sodium": 160, "bun": 60, "glucose": 900}).interpretation.risk == "high"


def test_free_water_deficit_by_age_and_sex():
    assert calc("free_water_deficit", {"age": 40, "sex": "male", "weight": 70, "sodium": 154}).value == approx(4.2)
    r = calc("free_water_deficit", {"age": 70, "sex": "female", "weight": 50, "sodium": 150})
    assert r.value == approx(0.45 * 50 * (150 / 140 - 1), 1e-3)
    # a child: 0.6 regardless of sex; age in months and weight in lb
    r = calc("free_water_deficit", {"age": "24 months", "sex": "female", "weight": "22.05 lb", "sodium": 154})
    assert r.value == approx(0.6 * 10.0 * 0.1, 2e-3)
    assert r.interpretation.risk == "moderate"
    assert calc("free_water_deficit", {"age": 40, "sex": "male", "weight": 70, "sodium": 130}).interpretation.risk == "moderate"


def test_anion_gap_family():
    e = {"sodium": 140, "chloride": 100, "bicarbonate": 12}
    assert calc("anion_gap", e).value == approx(28)
    assert calc("anion_gap", e).interpretation.risk == "high"
    assert calc("delta_gap", e).value == approx(16)
    assert calc("delta_ratio", e).value == approx(16 / 12)
    e_alb = {**e, "albumin": "20 g/L"}
    assert calc("albumin_corrected_anion_gap", e_alb).value == approx(33)
    assert calc("albumin_corrected_delta_gap", e_alb).value == approx(21)
    assert calc("albumin_corrected_delta_ratio", e_alb).value == approx(21 / 12)
    normal = {"sodium": 140, "chloride": 104, "bicarbonate": 24}
    assert calc("anion_gap", normal).interpretation.risk == "normal"


def test_delta_ratio_without_acidosis_is_flagged_and_division_by_zero_refused():
    r = calc("delta_ratio", {"sodium": 140, "chloride": 95, "bicarbonate": 28})
    assert r.interpretation.risk == "info"
    with pytest.raises(CalculationError):
        calc("delta_ratio", {"sodium": 140, "chloride": 100, "bicarbonate": 24})


def test_albumin_impossible():
    with pytest.raises(CalculationError):
        calc("albumin_corrected_anion_gap", {"sodium": 140, "chloride": 100, "bicarbonate": 12, "albumin": "17 g/dL"})


# ------------------------------------------------------------------ metabolic and lipids
def test_homa_ir_units():
    assert calc("homa_ir", {"glucose": 100, "insulin": 10}).value == approx(2.47, 2e-3)
    r = calc("homa_ir", {"glucose": "5.55 mmol/L", "insulin": "60 pmol/L"})
    assert r.value == approx(2.47, 3e-3)
    assert calc("homa_ir", {"glucose": 100, "insulin": 15}).interpretation.risk == "moderate"
    with pytest.raises(CalculationError):
        calc("homa_ir", {"glucose": 100})


def test_ldl_friedewald_units_and_tg_limit():
    assert calc("ldl_friedewald", {"total_cholesterol": 200, "hdl": 50, "triglycerides": 150}).value == approx(120)
    r = calc("ldl_friedewald", {"total_cholesterol": "5.17 mmol/L", "hdl": "1.29 mmol/L", "triglycerides": "1.69 mmol/L"})
    assert r.value == approx(120.1, 2e-3)
    r = calc("ldl_friedewald", {"total_cholesterol": 300, "hdl": 40, "triglycerides": 500})
    assert r.interpretation.risk == "info"  # formula not valid at TG ≥400 mg/dL
    with pytest.raises(CalculationError):
        calc("ldl_friedewald", {"total_cholesterol": 200, "hdl": 50})


def test_hba1c_eag():
    r = calc("hba1c_eag", {"hba1c": 7})
    assert r.value == approx(8.5, 1e-2)  # ADAG: 28.7 × 7 − 46.7 = 154 mg/dL = 8.6 mmol/L
    assert calc("hba1c_eag", {"HbA1c": "53 mmol/mol"}).value == approx(8.5, 1e-2)
    assert calc("hba1c_eag", {"hba1c": 5.2}).interpretation.risk == "normal"
    with pytest.raises(CalculationError):
        calc("hba1c_eag", {"hba1c": 40})


# ------------------------------------------------------------------ liver
def test_fib4_and_platelet_units():
    r = calc("fib4", {"age": 50, "ast": 40, "alt": 36, "platelets": 200})
    assert r.value == approx(50 * 40 / (200 * 6))
    assert r.interpretation.risk == "moderate"
    assert calc("fib4", {"age": 50, "ast": 40, "alt": 36, "platelets": [200000, "/μL"]}).value == approx(r.value)
    with pytest.raises(CalculationError):
        calc("fib4", {"age": 50, "ast": 40, "alt": 36})


def test_meld_na_unos_rounding():
    # MELD(i) = 0.957 ln1.5 + 0.378 ln2 + 1.120 ln1.5 + 0.643 = 1.747 → 1.7 → 17;
    # MELD-Na = 17 + 1.32×7 − 0.033×17×7 = 22.3 → 22
    r = calc("meld_na", {"creatinine": 1.5, "bilirubin": 2.0, "inr": 1.5, "sodium": 130})
    assert r.value == 22
    assert r.interpretation.risk == "high"
    # dialysis twice in the past week sets creatinine to 4.0: MELD(i) = 0.957 ln4 + 0.378 ln2 + 1.12 ln1.5 + 0.643
    r = calc("meld_na", {"creatinine": 1.5, "bilirubin": 2.0, "inr": 1.5, "sodium": 137,
                         "Dialysis at least twice in the past week": True})
    assert r.value == round(round(0.957 * math.log(4) + 0.378 * math.log(2) + 1.12 * math.log(1.5) + 0.643, 1) * 10)
    # values below 1 are set to 1 and sodium above 137 to 137: MELD(i) = 0.643 → 6
    assert calc("meld_na", {"creatinine": 0.5, "bilirubin": 0.5, "inr": 0.9, "sodium": 145}).value == 6
    with pytest.raises(CalculationError):
        calc("meld_na", {"creatinine": 1.5, "bilirubin": 2.0, "inr": 1.5})


def test_meld_3():
    # female, bili 2.0, Na 130, INR 1.5, Cr 1.5, albumin 2.5 (Kim 2021 formula by hand = 24.4 → 24)
    r = calc("meld_3", {"sex": "female", "bilirubin": 2.0, "sodium": 130, "inr": 1.5, "creatinine": 1.5, "albumin": 2.5})
    assert r.value == 24
    male = calc("meld_3", {"sex": "male", "bilirubin": 2.0, "sodium": 130, "inr": 1.5, "creatinine": 1.5, "albumin": 2.5})
    assert male.value == 23  # 24.38 − 1.33 = 23.05
    with pytest.raises(CalculationError):
        calc("meld_3", {"sex": "female", "bilirubin": 2.0, "sodium": 130, "inr": 1.5, "creatinine": 1.5})


# ------------------------------------------------------------------ body size and fluids
def test_bmi_chinese_bands_and_units():
    r = calc("bmi", {"weight": 70, "height": 175}, "zh")
    assert r.value == approx(22.9, 1e-3) and r.interpretation.risk == "normal"
    r = calc("bmi", {"weight": "176.4 lb", "height": "5 ft"})
    assert r.value == approx(80.0 / 1.524 ** 2, 2e-3)
    assert calc("bmi", {"weight": 73.5, "height": 175}).interpretation.label.startswith("overweight")  # 24.0 (China)
    assert calc("bmi", {"weight": 86, "height": 175}).interpretation.label.startswith("obese")  # 28.1
    with pytest.raises(CalculationError):
        calc("bmi", {"weight": 70, "height": 5})


def test_ideal_and_adjusted_body_weight():
    assert calc("ideal_body_weight", {"sex": "male", "height": 180}).value == approx(75.0, 1e-3)
    ibw_f = 45.5 + 2.3 * (165 / 2.54 - 60)
    r = calc("adjusted_body_weight", {"sex": "female", "height": 165, "weight": 90})
    assert r.value == approx(ibw_f + 0.4 * (90 - ibw_f), 1e-3)
    with pytest.raises(CalculationError):
        calc("ideal_body_weight", {"height": 180})


def test_bsa_target_weight_maintenance_fluids():
    assert calc("bsa_mosteller", {"height": 180, "weight": 80}).value == approx(2.0)
    assert calc("target_weight", {"Body Mass Index (BMI)": [22, "kg/m^2"], "height": "1.70 m"}).value == approx(63.58, 1e-3)
    assert calc("maintenance_fluids", {"weight": 8}).value == approx(32)
    assert calc("maintenance_fluids", {"weight": 15}).value == approx(50)
    assert calc("maintenance_fluids", {"weight": "25000 g"}).value == approx(65)
    with pytest.raises(CalculationError):
        calc("maintenance_fluids", {"weight": "25 stone"})


# ------------------------------------------------------------------ ECG
@pytest.mark.parametrize("cid,expected", [
    ("qtc_bazett", 489.9), ("qtc_fridericia", 457.9), ("qtc_framingham", 451.3),
    ("qtc_hodges", 452.5), ("qtc_rautaharju", 466.7)])
def test_qtc_formulas_at_90_bpm(cid, expected):
    assert calc(cid, {"QT interval": [400, "msec"], "heart_rate": 90}).value == approx(expected, 5e-4)
    # at 60/min every correction leaves QT unchanged; QT may be given in seconds
    assert calc(cid, {"qt_interval": "0.4 s", "heart_rate": 60}).value == approx(400)


def test_qtc_bands_and_missing():
    assert calc("qtc_bazett", {"qt_interval": 380, "heart_rate": 60}).interpretation.risk == "normal"
    assert calc("qtc_bazett", {"qt_interval": 520, "heart_rate": 60}).interpretation.risk == "very_high"
    with pytest.raises(CalculationError):
        calc("qtc_bazett", {"qt_interval": 400})


# ------------------------------------------------------------------ obstetrics
def test_due_date_and_conception_with_cycle_length():
    assert calc("estimated_due_date", {"last_menstrual_period": "2024-01-01"}).value == "2024-10-07"
    assert calc("estimated_due_date", {"last_menstrual_period": "2024-01-01", "cycle_length": 35}).value == "2024-10-14"
    assert calc("conception_date", {"last_menstrual_period": "2024-01-01"}).value == "2024-01-15"
    assert calc("conception_date", {"last_menstrual_period": "2024-01-01", "cycle_length": 35}).value == "2024-01-22"
    with pytest.raises(CalculationError):
        calc("conception_date", {"cycle_length": 28})


def test_gestational_age():
    r = calc("gestational_age", {"last_menstrual_period": "2024-01-01", "current_date": "2024-03-01"}, "zh")
    assert r.components["weeks"] == 8 and r.components["days"] == 4
    assert r.display == "孕8周4天"
    r = calc("gestational_age", {"Last menstrual date": "01/01/2024", "Current Date": "10/10/2024"})
    assert (r.components["weeks"], r.components["days"]) == (40, 3)
    assert r.interpretation.label.startswith("term")
    with pytest.raises(CalculationError):
        calc("gestational_age", {"last_menstrual_period": "2024-03-01", "current_date": "2024-01-01"})


# ------------------------------------------------------------------ medication
def test_steroid_conversion():
    r = calc("Steroid Conversion Calculator", {"steroid_from": "PredniSONE PO", "steroid_dose": [50, "mg"],
                                               "steroid_to": "Dexamethasone PO"})
    assert r.value == approx(7.5)
    r = calc("steroid_conversion", {"steroid_from": "氢化可的松", "steroid_dose": "100 mg", "steroid_to": "甲泼尼龙"})
    assert r.value == approx(20)
    with pytest.raises(CalculationError):
        calc("steroid_conversion", {"steroid_from": "prednisone", "steroid_dose": 50, "steroid_to": "aspirin"})


def test_mme_daily():
    r = calc("mme_daily", {"OxyCODONE Dose": [10, "mg"], "OxyCODONE Dose Per Day": [4, "per day"]})
    assert r.value == approx(60)
    assert r.interpretation.risk == "moderate"
    r = calc("mme_daily", {"fentanyl_patch_rate": "25 mcg/hr", "Morphine Dose": [30, "mg"],
                           "Morphine Dose Per Day": [2, "per day"], "FentaNYL buccal Dose": [100, "µg"],
                           "FentaNYL buccal Dose Per Day": [2, "per day"]})
    assert r.value == approx(25 * 2.4 + 60 + 200 * 0.13)
    assert r.interpretation.risk == "high"
    with pytest.raises(CalculationError):  # a dose without how often it is taken
        calc("mme_daily", {"Morphine Dose": [30, "mg"]})
    with pytest.raises(CalculationError):  # a patch strength is μg/h, not mg
        calc("mme_daily", {"FentANYL patch Dose": [50, "mg"]})
    with pytest.raises(CalculationError):
        calc("mme_daily", {})
