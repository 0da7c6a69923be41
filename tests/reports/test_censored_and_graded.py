"""Censored results ("<0.005", ">20.00"), dipstick grades with the marks laboratories print beside them, and
values no body can have: each gets the flag it supports, and no confident flag when it could be a misreading."""
import pytest

from wenzhen.reports import interpret_bytes, interpret_text


def _one(text: str):
    items = interpret_text(text).items
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize("line, flag", [
    ("促甲状腺激素 TSH <0.005 mIU/L 0.27-4.2", "low"),  # certainly below the interval
    ("促甲状腺激素 TSH >20.00 mIU/L 0.27-4.2", "high"),
    ("TSH <0.005", "low"),  # against the standard interval when none is printed
    ("TSH <0.5 mIU/L 0.27-4.2", "unknown"),  # 0.1 or 0.4: it cannot be told
    ("C反应蛋白 CRP <5 mg/L 0-10", "normal"),  # anything under 5 is within 0–10
    ("降钙素原 PCT <0.05 ng/mL <0.05", "normal"),
])
def test_a_censored_result_is_flagged_only_as_far_as_it_is_known(line, flag):
    assert _one(line).flag == flag


def test_a_grade_followed_by_its_word_is_positive_not_the_reference():
    it = _one("隐血 ERY 2+ 阳性")
    assert it.flag == "positive"


def test_a_star_beside_a_grade_in_a_table_cell_is_a_mark_not_part_of_it():
    rep = interpret_bytes("项目,结果,单位,参考范围\n尿蛋白,2+ *,,阴性\n尿糖,-,,阴性\n".encode(), "r.csv")
    assert [(i.item_id, i.flag) for i in rep.items] == [("urine_protein", "positive"), ("urine_glucose", "normal")]


def test_an_impossible_value_carries_no_flag_and_no_critical():
    # OCR read "0.69↓" as "↑690": HDL cholesterol cannot be 690 mmol/L
    it = _one("高密度脂蛋白胆固醇 HDL-C ↑690 mmol/L 1.04-1.55")
    assert it.flag == "unknown" and not it.critical and it.notes
    # ... while a real extreme value keeps its flag (potassium 6.8 is critical, not "impossible")
    k = _one("钾 K 6.8 mmol/L 3.5-5.3")
    assert k.critical and k.flag == "critical_high"


@pytest.mark.parametrize("line, value, interval, critical", [
    ("TG 甘油三酯 <1.70 1.53 mmol/L", "1.53", "<1.70", False),  # interval printed before the result
    ("TBIL 总胆红素 <26.0 504.6 μmol/L", "504.6", "<26.0", True),  # ... a critical value must not hide behind it
    ("甘油三酯 1.53 mmol/L <1.70", "1.53", "<1.70", False),
    ("降钙素原 PCT <0.05 ng/mL <0.05", "<0.05", "<0.05", False),  # a censored result with a censored interval
])
def test_the_result_is_the_plain_number_when_the_interval_comes_first(line, value, interval, critical):
    it = _one(line)
    assert (it.value_text, it.interval.text, it.critical) == (value, interval, critical)


def test_a_hyphen_in_a_name_is_not_a_negative_result():
    # OCR reads γ-谷氨酰转移酶 as "Y-谷氨酰转移酶"; the hyphen left after the code is not the result "-"
    items = interpret_text("2  GGT  Y-谷氨酰转移酶  10-60  21  U/L").items
    assert [(i.item_id, i.value_text) for i in items] == [("ggt", "21")]
    assert _one("蛋白质 PRO -").flag == "normal"  # while a lone "-" is a negative grade


@pytest.mark.parametrize("line, value", [
    ("白细胞  参考范围3.50-9.50×10^9/L  11.00 ↑", "11.00"),  # app layout: interval and unit before the result
    ("血小板计数  参考范围 125-350 10*9/L  306", "306"),  # the 9 of 10*9/L is not a platelet count of 9
    ("红细胞计数  参考范围4.30-5.80×10^12/L  4.78", "4.78"),
])
def test_the_exponent_of_a_unit_is_never_the_result(line, value):
    it = _one(line)
    assert it.value_text == value and not it.critical


def test_on_a_photo_a_grade_row_that_lost_its_result_is_not_read_as_negative():
    from wenzhen.kb.lab_loader import default_lab_kb
    from wenzhen.reports.interpret import interpret_report
    from wenzhen.reports.parse import _doubt_lone_grades, parse_text

    kb = default_lab_kb()
    # OCR lost the "+" of 酮体 and read its reference 阴性 as the result; the other rows show value and reference
    parsed = parse_text("尿常规\n蛋白质 PRO - 阴性\n葡萄糖 GLU 2+ 阴性\n酮体 KET 阴性\n隐血 BLD - 阴性", kb, source_format="image")
    _doubt_lone_grades(parsed)
    flags = {i.item_id: i.flag for i in interpret_report(parsed, kb=kb).items}
    assert flags == {"urine_protein": "normal", "urine_glucose": "positive", "urine_ketones": "unknown",
                     "urine_occult_blood": "normal"}
    # text typed or exported with one grade per row is read as it stands
    assert {i.item_id: i.flag for i in interpret_text("酮体 KET 阴性\n蛋白质 PRO 阴性").items} == {
        "urine_ketones": "normal", "urine_protein": "normal"}
