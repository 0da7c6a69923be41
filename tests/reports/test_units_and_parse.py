"""Units, names and the line reader: the layouts Chinese reports really print."""
import pytest

from wenzhen.kb.lab_loader import default_lab_kb
from wenzhen.kb.units import UnitError, parse_unit
from wenzhen.reports.parse import parse_segment, parse_text


@pytest.mark.parametrize("spelling,canonical,factor", [
    ("×10^9/L", "10^9/L", 1), ("10*9/L", "10^9/L", 1), ("10~9/L", "10^9/L", 1), ("10E9/L", "10^9/L", 1),
    ("10⁹/L", "10^9/L", 1), ("G/L", "10^9/L", 1), ("10^3/uL", "10^9/L", 1), ("x10^12/L", "10^12/L", 1),
    ("T/L", "10^12/L", 1), ("umol/L", "μmol/L", 1), ("µmol/L", "μmol/L", 1), ("μmol/l", "μmol/L", 1),
    ("mg/dL", "mg/L", 10), ("g/dl", "g/L", 10), ("IU/L", "U/L", 1), ("uIU/mL", "mIU/L", 1),
    ("ng/mL", "μg/L", 1), ("pg/mL", "ng/L", 1), ("ｍｍｏｌ／Ｌ", "mmol/L", 1), ("秒", "s", 1), ("个/HP", "/HPF", 1),
])
def test_unit_spellings(spelling, canonical, factor):
    assert parse_unit(spelling) == (canonical, factor)


def test_unknown_unit_is_an_error():
    with pytest.raises(UnitError):
        parse_unit("furlongs")
    with pytest.raises(UnitError):
        parse_unit("")


def _one(line, **kw):
    p = parse_text(line, default_lab_kb())
    assert len(p.results) == 1, (line, p.results)
    return p.results[0]


@pytest.mark.parametrize("line,item,value,unit,interval,flag", [
    ("白细胞计数 WBC 12.5 ↑ ×10^9/L 3.5-9.5", "wbc", "12.5", "×10^9/L", "3.5-9.5", "↑"),
    ("1  血红蛋白(HGB)  98  g/L  130--175  L", "hgb", "98", "g/L", "130--175", "L"),
    ("*谷丙转氨酶  ALT  65.0  H  U/L  9～50", "alt", "65.0", "U/L", "9~50", "H"),
    ("肌酐（酶法）  88  μmol/L  57-97", "crea", "88", "μmol/L", "57-97", None),
    ("总胆固醇 TC 5.8 mmol/L <5.2 ↑", "tc", "5.8", "mmol/L", "<5.2", "↑"),
    ("ＷＢＣ　１２．５　１０＾９／Ｌ　３．５－９．５", "wbc", "12.5", "10^9/L", "3.5-9.5", None),
    ("PLT 250 3.5-9.5 10^9/L", "plt", "250", "10^9/L", "3.5-9.5", None),
    ("C反应蛋白 CRP <0.5 mg/L 0-10", "crp", "<0.5", "mg/L", "0-10", None),
    ("尿蛋白 PRO ++ 阴性", "urine_protein", "++", None, "阴性", None),
    ("乙肝表面抗原 HBsAg 阳性 阴性", "hbsag", "阳性", None, "阴性", None),
])
def test_result_lines(line, item, value, unit, interval, flag):
    r = _one(line)
    assert (r.item_id, r.value_text, r.unit, r.interval_text, r.flag_text) == (item, value, unit, interval, flag)


def test_two_results_on_one_line():
    p = parse_text("白细胞 5.2 3.5-9.5    血红蛋白 140 130-175", default_lab_kb())
    assert [(r.item_id, r.value_text) for r in p.results] == [("wbc", "5.2"), ("hgb", "140")]


def test_platelet_width_is_not_platelets():
    p = parse_text("血小板分布宽度 16.2 % 9-17", default_lab_kb())
    assert p.results[0].item_id == "pdw"


def test_calcification_is_not_calcium():
    p = parse_text("肝内钙化灶 3mm", default_lab_kb())
    assert p.results == []


def test_unknown_item_is_kept_not_dropped():
    p = parse_text("血沉方程K值 55 0-20", default_lab_kb())
    assert p.results[0].item_id is None and p.results[0].value_text == "55"


def test_header_gives_sex_age_date():
    p = parse_text("姓名：李四 性别：女 年龄：67岁 采样时间：2025/3/8\n白细胞 5.0", default_lab_kb())
    assert (p.patient.sex, p.patient.age_years, p.date) == ("female", 67, "2025-03-08")


def test_segment_without_value():
    assert parse_segment(" 单位 参考区间") is None


@pytest.mark.parametrize("line,item,value", [
    ("实际碳酸氢根 HCO3-  27.9  mmol/L  22-27", "hco3", "27.9"),
    ("空腹C肽 C-P  0.28 ↓  nmol/L  0.3-1.3", "c_peptide_fasting", "0.28"),
    ("睾酮 T  32.7  nmol/L  8.6-29", "testosterone", "32.7"),
    ("K+ 4.2 mmol/L 3.5-5.3", "k", "4.2"),
    ("C反应蛋白 CRP <0.5 mg/L 0-10", "crp", "<0.5"),
])
def test_names_do_not_swallow_values_or_signs(line, item, value):
    r = _one(line)
    assert (r.item_id, r.value_text) == (item, value)


def test_a_name_misread_by_one_character_is_resolved_only_by_a_fitting_unit():
    from wenzhen.kb.lab_loader import default_lab_kb
    from wenzhen.reports import parse_text

    kb = default_lab_kb()

    def item(line: str):
        rows = parse_text(line, kb).results
        return (rows[0].item_id, rows[0].near_name) if rows else None

    assert item("台细胞  4.06  ×10^9/L  3.50--9.50") == ("wbc", True)  # 白细胞 or 红细胞: the unit decides
    assert item("台细胞  4.06  10^12/L  4.30--5.80") == ("rbc", True)
    assert item("台细胞  4.06  3.50--9.50") == (None, True)  # no unit: reported as an unknown row, not guessed
    assert item("肌野  63  μmol/L  57--97") == ("crea", True)  # two characters: only with a unit that fits
    assert item("肌野  63  57--97") == (None, True)


def test_interval_separators_as_ocr_reads_them():
    from wenzhen.kb.lab_loader import default_lab_kb
    from wenzhen.reports import parse_text

    kb = default_lab_kb()
    for line in ("钾  5.87  H  mmol/L  3.50~~5.30", "钾  5.87  H  mmol/L  3.50~-5.30", "钾  5.87  mmol/L  3.50.-5.30"):
        r = parse_text(line, kb).results[0]
        assert (r.item_id, r.value_text) == ("k", "5.87") and r.interval_text.startswith("3.50") and "5.30" in r.interval_text
    r = parse_text("纤维蛋白(原)降解产物  1.41  wg/L  0.00--5.00", kb).results[0]
    assert (r.item_id, r.unit) == ("fdp", None)  # "wg/L" is a misread word, not a unit that rules the row out


@pytest.mark.parametrize("segment,value", [
    ("参考范围125-350 10Λ9/L  72 ↓", "72"),       # OCR's caret: the 10 of the unit is not the result
    ("参考范围4.30-5.80×10412/L  5.26", "5.26"),   # 10^12 read as 10412
    ("参考范围125-350×1019/  193", "193"),
    ("参考范围125-35010*9/L  438↑", "438"),         # the interval's end glued to the unit
    ("10 ×10^9/L 3.5-9.5", "10"),                  # a real 10 stays a value
    ("105/μL 0-25", "105"),
])
def test_a_count_units_power_is_never_the_result(segment, value):
    from wenzhen.reports.parse import parse_segment

    assert parse_segment(segment)[0] == value
