"""Every input format reaches the same interpretation; bad files get a reason, not a crash."""
import io
import json

import pytest

from wenzhen.kb.lab_loader import default_lab_kb
from wenzhen.reports import ReportReadError, interpret_bytes, parse_bytes, to_fhir_bundle

KB = default_lab_kb


def _flags(r):
    return {it.item_id: it.flag for it in r.items}


def test_csv_with_columns_in_any_order():
    data = "参考范围,结果,项目名称,单位,提示\n3.5-9.5,12.5,白细胞计数,10^9/L,↑\n130-175,98,血红蛋白,g/L,↓\n".encode("gb18030")
    r = interpret_bytes(data, "lab.csv")
    assert _flags(r) == {"wbc": "high", "hgb": "low"} and r.source_format == "csv"


def test_value_with_arrow_in_one_cell():
    data = "项目,结果,单位,参考区间\nALT,65↑,U/L,9-50\n".encode()
    r = interpret_bytes(data, "lab.csv")
    assert r.items[0].value == 65 and r.items[0].report_flag == "↑"


def test_excel():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["检验项目", "英文缩写", "检验结果", "单位", "参考值"])
    ws.append(["谷丙转氨酶", "ALT", 65, "U/L", "9-50"])
    ws.append(["肌酐", "CREA", 80, "umol/L", "57-97"])
    buf = io.BytesIO()
    wb.save(buf)
    r = interpret_bytes(buf.getvalue(), "lab.xlsx")
    assert _flags(r) == {"alt": "high", "crea": "normal"}


def test_text_pdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ["Sex: F   Age: 52", "WBC    12.5   10^9/L   3.5-9.5", "HGB    98   g/L   115-150", "ALT    20   U/L   7-40"]:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    r = interpret_bytes(bytes(pdf.output()), "lab.pdf")
    assert _flags(r) == {"wbc": "high", "hgb": "low", "alt": "normal"} and r.patient.sex == "female"


def test_scanned_pdf_without_text_layer_is_explained():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(buf, format="PDF")
    with pytest.raises(ReportReadError, match="no text layer"):
        parse_bytes(buf.getvalue(), KB(), "scan.pdf")


def test_fhir_round_trip():
    r = interpret_bytes("性别：男 年龄：50岁\n白细胞计数 12.5 10^9/L 3.5-9.5\n血红蛋白 140 g/L 130-175".encode(), "r.txt")
    bundle = to_fhir_bundle(r, KB())
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) == 2
    obs = bundle["entry"][0]["resource"]
    assert obs["code"]["coding"][0]["code"] == "6690-2" and obs["interpretation"][0]["coding"][0]["code"] == "H"
    again = interpret_bytes(json.dumps(bundle).encode(), "bundle.json")
    assert _flags(again) == {"wbc": "high", "hgb": "normal"} and again.source_format == "fhir"


def test_invalid_fhir_is_a_clear_error():
    with pytest.raises(ReportReadError, match="FHIR"):
        parse_bytes(json.dumps({"resourceType": "Observation", "status": "nonsense"}).encode(), KB(), "o.json")


def test_plain_json():
    data = {"patient": {"sex": "female", "age_years": 30}, "items": [{"name": "血红蛋白", "value": 100, "unit": "g/L"}]}
    r = interpret_bytes(json.dumps(data, ensure_ascii=False).encode(), "r.json")
    assert r.items[0].flag == "low" and r.patient.sex == "female"


@pytest.mark.parametrize("data,name,reason", [
    (b"", "x.txt", "empty"),
    (b"\x00\x01\x02binary", "x.bin", "binary"),
    (b"%PDF-1.4 broken", "x.pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\nnot really", "x.png", "image"),
    (b"PK\x03\x04junk", "x.xlsx", "Excel"),
    (b"{not json", "x.json", "JSON"),
])
def test_bad_files(data, name, reason):
    with pytest.raises(ReportReadError, match=reason):
        parse_bytes(data, KB(), name)


def test_imaging_conclusions():
    text = ("超声所见：……\n超声提示：1. 脂肪肝（轻度）；2. 胆囊息肉，大小约12×8mm；3. 右肾未见结石。\n"
            "乳腺超声：左乳低回声结节，BI-RADS 4a类。甲状腺右叶结节，C-TIRADS 3类。")
    r = interpret_bytes(text.encode(), "us.txt")
    kinds = {(x.id, x.negated) for x in r.imaging}
    names = " ".join(x.name for x in r.imaging if not x.negated)
    assert "脂肪肝" in names and "胆囊息肉" in names
    grades = {x.grade for x in r.imaging if x.kind == "system"}
    assert {"4A", "3"} <= grades
    polyp = next(x for x in r.imaging if "息肉" in x.name)
    assert polyp.size_mm == 12 and polyp.urgency in ("prompt", "routine")
    assert any(neg for _, neg in kinds) or "肾结石" not in names  # "未见结石" is not a stone
    assert r.urgency in ("prompt", "emergency")


def test_a_missing_optional_reader_is_a_clear_read_error(monkeypatch):
    import sys

    import pytest

    from wenzhen.kb.lab_loader import default_lab_kb
    from wenzhen.reports import ReportReadError, parse_bytes

    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # as if the 'documents' extra were not installed
    with pytest.raises(ReportReadError, match=r"wenzhen\[documents\]"):
        parse_bytes(b"%PDF-1.4\n%fake\n", default_lab_kb(), "r.pdf")
