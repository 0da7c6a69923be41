"""The calculator engine: input names and units, defaults, errors, expressions, the KB checks."""
import pytest

from wenzhen.calculators import CalculationError, UnknownCalculator, calculate, list_calculators
from wenzhen.kb import KBError
from wenzhen.kb.calc_loader import default_calculator_kb, load_calculator_kb
from wenzhen.kb.expr import ExpressionError, compile_expr


def crcl(**kw):
    base = {"age": 60, "sex": "male", "weight": 70, "height": 175, "creatinine": 1.0}
    base.update(kw)
    return calculate("creatinine_clearance_cockcroft_gault", base)


def test_units_convert_to_the_same_result():
    ref = crcl().value
    assert crcl(creatinine="88.4 μmol/L").value == pytest.approx(ref, rel=1e-4)
    assert crcl(creatinine=[88.4, "umol/L"]).value == pytest.approx(ref, rel=1e-4)
    assert crcl(creatinine={"value": 88.4, "unit": "µmol/l"}).value == pytest.approx(ref, rel=1e-4)
    assert crcl(weight="154.32 lb").value == pytest.approx(ref, rel=1e-3)
    assert crcl(height="1.75 m").value == pytest.approx(ref, rel=1e-6)
    assert crcl(height=[68.9, "in"]).value == pytest.approx(ref, rel=1e-3)


def test_temperature_units_and_misspellings():
    from wenzhen.calculators.engine import coerce
    kb = default_calculator_kb()
    t = kb.variables["temperature"]
    assert coerce(t, [98.6, "degrees fahrenheit"], "en")[0] == pytest.approx(37.0, abs=0.01)
    assert coerce(t, [101.6, "degrees fahreinheit"], "en")[0] == pytest.approx(38.67, abs=0.01)
    assert coerce(t, [37.5, "degrees celsisus"], "en")[0] == pytest.approx(37.5)
    assert coerce(t, "39℃", "zh")[0] == pytest.approx(39)


def test_cockcroft_gault_weight_choice_by_bmi():
    # 87-year-old man, 48 kg, 163 cm (BMI 18.1: actual weight), creatinine 1.4 mg/dL: (140-87)*48/(72*1.4)
    r = crcl(age=87, weight=48, height=163, creatinine=1.4)
    assert r.value == pytest.approx(25.238, abs=0.001)
    # obese: adjusted body weight = IBW + 0.4 (actual - IBW)
    ibw = 50 + 2.3 * (175 / 2.54 - 60)
    r = crcl(weight=120)
    assert r.value == pytest.approx((140 - 60) * (ibw + 0.4 * (120 - ibw)) / 72, rel=1e-3)
    assert any(i.var == "crcl_weight" and i.origin == "derived" for i in r.inputs)


def test_names_aliases_and_unused_inputs():
    r = calculate("Mean Arterial Pressure (MAP)", {"Systolic Blood Pressure": [140, "mm hg"], "低压": 80, "foo": 1})
    assert r.value == pytest.approx(100.0)
    assert r.unused_inputs == ["foo"]
    assert calculate("平均动脉压", {"SBP": 120, "DBP": "9.33 kPa"}).value == pytest.approx(86.66, abs=0.05)


def test_score_items_assumptions_and_language():
    r = calculate("cha2ds2_vasc", {"age": 76, "sex": "女", "高血压": "是"}, language="en")
    assert r.value == 4 and r.interpretation.risk == "high"
    assert any("congestive heart failure" in a for a in r.assumed)
    assert r.language == "en" and "anticoag" in r.interpretation.advice
    r = calculate("cha2ds2_vasc", {"age": 40, "sex": "male"})
    assert r.value == 0 and r.interpretation.risk == "low"


def test_each_problem_is_named():
    with pytest.raises(CalculationError) as e:
        crcl(age=200, weight="70 stone", creatinine="abc", height=None)
    reasons = " ".join(p.reason for p in e.value.problems)
    assert "年龄" in reasons and "不可能" in reasons
    assert "stone" in reasons and "不是数字" in reasons and "身高" in reasons
    with pytest.raises(CalculationError) as e:
        calculate("cha2ds2_vasc", {"sex": "unknown-sex", "age": 70, "chf": "maybe"}, language="en")
    msg = str(e.value)
    assert "choose one of" in msg or "expected yes/no" in msg


def test_unknown_calculator_suggests():
    with pytest.raises(UnknownCalculator) as e:
        calculate("cha2ds2_vas", {})
    assert "cha2ds2_vasc" in e.value.suggestions


def test_dates_and_defaults():
    r = calculate("estimated_due_date", {"LMP": "2024-01-01"})
    assert r.value == "2024-10-07"
    assert any("28" in a for a in r.assumed)
    assert calculate("estimated_due_date", {"LMP": "01/01/2024", "cycle length": 35}).value == "2024-10-14"
    with pytest.raises(CalculationError):
        calculate("estimated_due_date", {"LMP": "2024-02-30"})


def test_expressions_are_whitelisted():
    assert compile_expr("max(a, 2) * 3 if b else 0", {"a", "b"}).evaluate({"a": 1, "b": True}) == 6
    assert compile_expr("a / b", {"a", "b"}).evaluate({"a": 1, "b": 0}) is None
    assert compile_expr("a + 1", {"a"}).evaluate({"a": None}) is None
    for bad in ["__import__('os')", "a.b", "(lambda: 1)()", "[x for x in a]", "open('f')", "c + 1"]:
        with pytest.raises(ExpressionError):
            compile_expr(bad, {"a"})


def test_loader_rejects_bad_files(tmp_path):
    (tmp_path / "variables").mkdir()
    (tmp_path / "variables" / "v.yaml").write_text(
        "variables:\n  - {id: x, label: {zh: x, en: x}, kind: number}\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        "calculators:\n  - id: c\n    name: {zh: c, en: c}\n    kind: formula\n    purpose: {zh: p, en: p}\n"
        "    inputs: [{var: x}]\n    expr: 'x + y'\n    formula_text: f\n    source: a source\n",
        encoding="utf-8")
    with pytest.raises(KBError, match="unknown name 'y'"):
        load_calculator_kb(tmp_path)
    (tmp_path / "c.yaml").write_text(
        "calculators:\n  - id: c\n    name: {zh: c, en: c}\n    kind: formula\n    purpose: {zh: p, en: p}\n"
        "    inputs: [{var: x}]\n    expr: 'x'\n    formula_text: f\n    source: a source\n"
        "    extra_key: 1\n", encoding="utf-8")
    with pytest.raises(KBError, match="extra_key"):
        load_calculator_kb(tmp_path)


def test_catalogue_lists_inputs():
    infos = {i.id: i for i in list_calculators()}
    cg = infos["creatinine_clearance_cockcroft_gault"]
    cr = next(x for x in cg.inputs if x.var == "creatinine")
    assert cr.required and "μmol/L" in cr.units


def test_every_calculator_has_source_interpretation_or_function():
    kb = default_calculator_kb()
    for cc in kb.calculators.values():
        c = cc.calc
        assert len(c.source) > 10, c.id
        assert c.kind == "function" or c.interpretation, f"{c.id}: no interpretation bands"
        for b in c.interpretation:
            assert b.advice.zh and b.advice.en, c.id


def test_generated_catalogue_is_current():
    from pathlib import Path

    from wenzhen.kb.calc_loader import markdown_catalogue
    doc = Path(__file__).resolve().parents[2] / "docs" / "calculators.md"
    assert doc.read_text(encoding="utf-8").strip() == markdown_catalogue(default_calculator_kb()).strip(), \
        "regenerate: python -m wenzhen.kb.calc_loader --markdown > docs/calculators.md"
