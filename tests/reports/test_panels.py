"""Rows read in their panel's context: a name several items share (GLU, pH, WBC, PCT, FBG) means the item its panel,
unit and result say; ratio rows are never read as one of their two items; a unit that cannot be the item's makes
the row unknown rather than a guess."""
import pytest

from wenzhen.kb.lab_loader import default_lab_kb
from wenzhen.reports import interpret_text, parse_text

KB = default_lab_kb()

URINALYSIS = """某某医院检验报告单
标本：尿液    科室：肾内科
项目 结果 参考
颜色 COL 黄色
葡萄糖 GLU 2+ 阴性
酸碱度 pH 6.5 5.0-8.0
隐血 ERY 2+ 阴性
蛋白质 PRO - 阴性
比重 SG 1.025 1.003-1.030
白细胞(镜检) WBC 0 0-5 /HP
红细胞 RBC 12 /HP 0-3
"""


def _items(text: str) -> dict[str, str | None]:
    return {r.name: r.item_id for r in parse_text(text, KB).results}


def test_a_urinalysis_reads_urine_items_not_blood_ones():
    got = _items(URINALYSIS)
    assert got["葡萄糖 GLU"] == "urine_glucose"
    assert got["酸碱度 pH"] == "urine_ph"
    assert got["隐血 ERY"] == "urine_occult_blood"
    assert got["蛋白质 PRO"] == "urine_protein"
    assert got["白细胞(镜检) WBC"] == "urine_wbc_hpf"
    assert got["红细胞 RBC"] == "urine_rbc_hpf"


def test_urine_values_raise_no_blood_critical_value():
    # urine pH 6.5 is not an arterial pH of 6.5; 0 white cells per field is not agranulocytosis
    rep = interpret_text(URINALYSIS)
    assert rep.critical == []
    flags = {it.item_id: it.flag for it in rep.items}
    assert flags["urine_glucose"] == "positive" and flags["urine_occult_blood"] == "positive"
    assert flags["urine_protein"] == "normal" and flags["urine_ph"] == "normal"


def test_a_urinalysis_without_a_heading_is_known_by_its_other_rows():
    text = "亚硝酸盐 NIT 阴性\n尿胆原 URO 正常\n比重 SG 1.020\n葡萄糖 GLU 阴性\n酸碱度 pH 6.0"
    got = _items(text)
    assert got["葡萄糖 GLU"] == "urine_glucose" and got["酸碱度 pH"] == "urine_ph"


@pytest.mark.parametrize("line, item", [
    ("葡萄糖 GLU 5.6 mmol/L 3.9-6.1", "glucose_fasting"),  # a chemistry row stays plasma glucose
    ("白细胞 WBC 6.5 10^9/L 3.5-9.5", "wbc"),
    ("酸碱度 pH 7.31 7.35-7.45", "ph"),
    ("降钙素原 PCT 2.5 ng/mL <0.05", "pct"),
    ("PCT 0.22 % 0.11-0.28", "pct_plt"),  # plateletcrit, by its unit
    ("FBG 6.2 mmol/L 3.9-6.1", "glucose_fasting"),
])
def test_a_shared_name_follows_its_unit(line, item):
    assert parse_text(line, KB).results[0].item_id == item


def test_fibrinogen_on_a_coagulation_report_is_not_glucose():
    rep = interpret_text("凝血四项\n凝血酶原时间 PT 12.5 s 11-14.5\n纤维蛋白原 Fbg 1.55 2-4\n国际标准化比值 INR 1.05")
    fib = next(it for it in rep.items if it.printed_name.startswith("纤维蛋白原"))
    assert fib.item_id == "fibrinogen" and fib.flag == "low" and not fib.critical


@pytest.mark.parametrize("line", ["谷草/谷丙 1.20", "AST/ALT比值 1.3", "AST/ALT 0.8", "尿素/肌酐 85"])
def test_a_ratio_is_not_read_as_one_of_its_items(line):
    r = parse_text(line, KB).results
    assert len(r) == 1 and r[0].item_id not in ("ast", "alt", "urea", "crea")


def test_two_names_of_one_item_are_one_row():
    r = parse_text("HGB/血红蛋白 135 g/L 130-175", KB).results
    assert [x.item_id for x in r] == ["hgb"]


def test_a_unit_that_cannot_be_the_items_makes_the_row_unknown():
    # RDW-CV is a percentage: a width in fL is another measurement, not RDW-CV
    r = parse_text("红细胞分布宽度CV RDW-CV 45.6 fL", KB).results
    assert r and r[0].item_id is None


def test_sections_of_a_checkup_report_each_read_their_own_panel():
    text = ("一、血常规\n白细胞 WBC 6.1 3.5-9.5\n红细胞 RBC 4.8 4.3-5.8\n"
            "二、尿常规\n白细胞 WBC 2 0-5\n红细胞 RBC 1 0-3\n葡萄糖 GLU 阴性")
    r = parse_text(text, KB).results
    assert [x.item_id for x in r] == ["wbc", "rbc", "urine_wbc_hpf", "urine_rbc_hpf", "urine_glucose"]


def test_body_fluids_under_their_heading_and_blood_under_its_own():
    text = ("腹水常规\n有核细胞计数 520 10^6/L\n李凡他试验 阳性\n胸水常规\n葡萄糖 2.1 mmol/L\n"
            "肝功能\n总蛋白 TP 65 g/L 65-85\n乳酸脱氢酶 LDH 300 U/L")
    r = parse_text(text, KB).results
    assert [x.item_id for x in r] == ["ascites_wbc", "rivalta_test", "pleural_glucose", "tp", "ldh"]


@pytest.mark.parametrize("line, item", [
    ("中性粮细胞百分数  43.9  40.0--75.0", "neut_pct"),  # 粒 misread as 粮 on a dot-matrix print
    ("活化部分凝血活韵时间  33.2  32.0--43.0", "aptt"),
    ("纤維蛋白原  2.85  g/L  2.00--4.00", "fibrinogen"),  # a traditional character
    ("台细胞  4.06  3.50--9.50", None),  # 白细胞 or 红细胞? one character off from both: not guessed
])
def test_a_name_one_character_off_is_read_only_when_one_item_fits(line, item):
    rep = interpret_text(line)
    assert rep.items[0].item_id == item
    if item:
        assert any("一个字不同" in n for n in rep.items[0].notes)  # and the reader is told to check it


def test_results_in_words_are_read_and_judged():
    rep = interpret_text("尿常规\n颜色 COL 黄色\n透明度 浑浊\n葡萄糖 GLU 阴性")
    assert [(i.item_id, i.flag) for i in rep.items] == [
        ("urine_color", "normal"), ("urine_clarity", "abnormal"), ("urine_glucose", "normal")]
    black = interpret_text("便常规\n颜色 黑色\n性状 成形\n隐血 阳性")
    assert "black_stool_with_occult_blood" in {p.id for p in black.patterns} and black.urgency == "emergency"
    brown = interpret_text("便常规\n颜色 黄色\n隐血 阳性")  # occult blood alone: prompt, not an emergency
    assert not brown.patterns and brown.urgency != "emergency"


def test_an_illegible_name_on_a_photo_is_known_by_its_interval_unit_and_length():
    """钾 in a faint dot-matrix print read as 佛: the only item with interval 3.5–5.3 mmol/L and a one-character name.
    A critical potassium must not be lost to one faint character; typed text is never guessed."""
    def read(line, source="image"):
        r = parse_text("性别：男 年龄：50岁\n" + line, KB, source_format=source).results
        return [(x.item_id, x.by_interval) for x in r]
    assert read("佛  6.8  mmol/L  3.5-5.3") == [("k", True)]
    assert read("无法辨认的项目  118  mmol/L  137-147") == [("na", True)]
    assert read("佛  6.8  mmol/L  3.5-5.3", "text") == [(None, False)]  # typed text: an unknown name is unknown
    assert read("佛  6.8  g/L  3.5-5.3") == [(None, False)]  # the unit cannot be potassium's
    assert read("佛  6.8  mmol/L  3.6-5.0") == [(None, False)]  # no item has this interval
    assert read("同型半胱  12.0  μmol/L  0-15") == [(None, False)]  # a legible name of another length
    from wenzhen.reports import interpret_report

    out = interpret_report(parse_text("性别：男 年龄：50岁\n佛  6.8  mmol/L  3.5-5.3", KB, source_format="image"), kb=KB)
    assert out.items[0].flag == "critical_high" and "佛" in " ".join(out.items[0].notes)


def test_a_one_character_name_whose_interval_is_another_items():
    """钠 read as 铜 (copper) with 137–147 printed beside it: the interval is sodium's, not copper's."""
    rows = parse_text("性别：男 年龄：32岁\n铜  140.7  mmol/L  137.0--147.0", KB, source_format="image").results
    assert [(r.item_id, r.by_interval) for r in rows] == [("na", True)]
    rows = parse_text("性别：男 年龄：32岁\n尿款  40.81  nmol/L  3.10--8.00", KB, source_format="image").results
    assert [(r.item_id, r.by_interval, r.unit) for r in rows] == [("urea", True, "mmol/L")]  # nmol/L: m read as n
    from wenzhen.reports import interpret_report

    out = interpret_report(parse_text("性别：男 年龄：32岁\n尿款  40.81  nmol/L  3.10--8.00", KB, source_format="image"), kb=KB)
    assert out.items[0].flag == "critical_high"


def test_a_name_found_at_the_end_of_a_misread_word_is_checked_against_the_interval():
    """血红蛋白 photographed as 血纤蛋白 holds 蛋白 (a body-fluid protein) and 尿素氮 as 尿素氯 holds 氯 (chloride):
    the word as printed, one character off hgb's / urea's name and printed with their interval, is that item."""
    def read(line, source="image"):
        rows = parse_text("性别：男 年龄：50岁\n" + line, KB, source_format=source).results
        return [(r.name, r.item_id, r.by_interval) for r in rows]
    assert read("血纤蛋白  156  g/L  130~-175") == [("血纤蛋白", "hgb", True)]
    assert read("尿素氯  5.68  nmc1/L  3.10--8.00") == [("尿素氯", "urea", True)]
    # a specimen word glued to a name is still that name; a printed interval that is the item's is never doubted
    assert read("血清总蛋白  70  g/L  65-85") == [("血清总蛋白", "tp", False)]
    assert read("血清钾  4.0  mmol/L  3.5-5.3") == [("血清钾", "k", False)]
    # no single item with a near name has this interval: the reading is not changed into a guess
    assert read("血纤蛋白  156  g/L  100-200")[0][2] is False
    assert read("血纤蛋白  156  g/L  130~-175", "text")[0][2] is False  # typed text is never guessed


def test_a_legible_name_whose_units_small_prefix_was_lost_on_the_photo():
    """心肌肌钙蛋白I with 'g/l' for μg/L (the μ too faint): the item keeps its own unit with a note, and a critical
    troponin stays critical. A unit that is simply another (g/L for creatinine) still makes the row unknown, and
    typed text is never corrected."""
    from wenzhen.reports import interpret_report

    def read(line, source="image"):
        p = parse_text("性别：男 年龄：50岁\n" + line, KB, source_format=source)
        return p, interpret_report(p, kb=KB)
    p, out = read("心肌肌钙蛋白I  参考范围0.000-0.040 g/l  0.623 ↑↑")
    assert [(r.item_id, r.unit, r.unit_as_printed) for r in p.results] == [("ctni", "μg/L", "g/l")]
    assert out.items[0].flag == "critical_high" and any("g/l" in n for n in out.items[0].notes)
    assert [r.item_id for r in read("肌酐  79  g/L  57-97")[0].results] == [None]
    assert [r.item_id for r in read("心肌肌钙蛋白I  0.623  g/L  0-0.04", "text")[0].results] == [None]


def test_a_speck_before_the_interval_does_not_make_its_low_bound_the_result():
    """'参考范国.0.27-4.200 mU/L 6.043 ↑' (围 misread, a speck before the interval): 6.043 is the result."""
    from wenzhen.reports.parse import parse_segment

    assert parse_segment("  参考范国.0.27-4.200 mU/L  6.043 ↑")[:4] == ("6.043", None, "mU/L", "0.27-4.200")
    assert parse_segment("  8.0  11.5-13.0")[3] == "11.5-13.0"  # a bound is never cut out of a longer number


def test_an_interval_bound_whose_point_the_photo_lost():
    """A needle printer's decimal point is one faint dot: '3.50~~5 30' in one OCR box is 3.50–5.30, which with
    mmol/L identifies an illegible 钾. Two cells (joined by two spaces) or decimals that do not agree stay apart."""
    from wenzhen.reports.parse import _undo_number_slips

    assert _undo_number_slips("佛  5.87  H  mmol/L  3.50~~5 30").endswith("3.50~~5.30")
    assert _undo_number_slips("钾  4.1  3 50--5.30").endswith("3.50--5.30")
    assert _undo_number_slips("白细胞  3.5-9  50") == "白细胞  3.5-9  50"  # the 50 is another cell
    assert _undo_number_slips("白细胞  3.5-9 50") == "白细胞  3.5-9 50"  # one decimal against two
    assert _undo_number_slips("血小板  125-350 10") == "血小板  125-350 10"
    rows = parse_text("性别：男 年龄：50岁\n" + _undo_number_slips("佛  5.87  H  mmol/L  3.50~~5 30"), KB,
                      source_format="image").results
    assert [(r.item_id, r.by_interval) for r in rows] == [("k", True)]


def test_a_needle_printers_h_or_l_cell_stands_against_a_misread_value():
    """183 g/L marked H on a dot-matrix print, its 8 read as 6: 163 inside 130–175 would pass as normal. An H or L
    in a cell of its own is the laboratory's mark; glued to a unit (g八L) it is not."""
    from wenzhen.reports import interpret_report

    def flag(line):
        out = interpret_report(parse_text("性别：男 年龄：50岁\n" + line, KB, source_format="image"), kb=KB)
        return out.items[0].flag, bool(out.items[0].notes)
    assert flag("血红蛋白  163  H  g/L  130~-175") == ("high", True)
    assert flag("血红蛋白  120  L  g/L  130~-175") == ("low", False)  # the value agrees: nothing to say
    assert flag("血红蛋白  163  g/L  130-175") == ("normal", False)
    assert flag("血红蛋白 163 g八L 130-175")[0] == "normal"


def test_the_number_a_reference_label_introduces_is_the_interval():
    """An app printing '参考范围<0.040μg/L' before the result '<0.010': the labelled number is the reference, even
    when both carry a comparator; also for a single bound and a misread label (参考范国)."""
    from wenzhen.reports.parse import parse_segment

    assert parse_segment("  参考范围<0.040μg/L  <0.010")[:4] == ("0.010", "<", "μg/L", "<0.040")
    assert parse_segment("  参考范围>1.00 mmol/L  1.88")[:4] == ("1.88", None, "mmol/L", ">1.00")
    assert parse_segment("  6.14 ↑  参考值<5.20")[0] == "6.14"
    assert parse_segment("  <0.010  μg/L  <0.040")[:4] == ("0.010", "<", "μg/L", "<0.040")  # unlabelled: as before


def test_a_letter_read_inside_a_number_is_the_digit_it_resembles():
    from wenzhen.reports.parse import _undo_number_slips

    assert _undo_number_slips("无机磷  0.G9  L  mmol/L  0.85--1.51").startswith("无机磷  0.69")
    assert _undo_number_slips("淀粉酶  1O5  U/L") == "淀粉酶  105  U/L"
    for kept in ("CO2  24", "维生素B12  300", "25OH-D  30", "HbA1c  6.5%"):  # letters that belong to a name
        assert _undo_number_slips(kept) == kept


def test_the_laboratorys_own_mark_stands_against_an_interval_misread():
    """3.50-9.50 photographed as 3.50-950: 11.57 marked ↑ stays high."""
    from wenzhen.reports import interpret_text

    high = interpret_text("性别：男 年龄：32岁\n白细胞计数  11.57 ↑ 10^9/L  3.50-950", kb=KB).items[0]
    assert high.flag == "high" and high.notes
    plain = interpret_text("性别：男 年龄：32岁\n白细胞计数  8.0  10^9/L  3.50-9.50", kb=KB).items[0]
    assert plain.flag == "normal" and not plain.notes
