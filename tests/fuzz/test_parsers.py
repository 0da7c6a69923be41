"""Property tests (Hypothesis) for every parser: whatever the input, the answer is a result or the parser's own
error with a reason, never another exception. Bounded examples keep `make test` fast; `benchmarks/fuzz.py` runs
the same properties at scale."""
import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from wenzhen.assessment import assess
from wenzhen.calculators import CalculationError, calculate
from wenzhen.reports import ReportReadError, interpret_bytes, interpret_text
from wenzhen.scales import ScaleError, score_scale

# `make test`: 150 examples per property, the same every run; the benchmark (benchmarks/fuzz.py) sets
# WENZHEN_FUZZ_EXAMPLES and draws new ones.
EXAMPLES = int(os.environ.get("WENZHEN_FUZZ_EXAMPLES", "150"))
FIXED = "WENZHEN_FUZZ_EXAMPLES" not in os.environ
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=FIXED,
                    database=None)

# Text that looks like what people send: report vocabulary, numbers, units, arrows, CJK, control characters.
WORDS = ["白细胞", "WBC", "血红蛋白", "Hb", "肌酐", "Cr", "葡萄糖", "GLU", "钾", "K", "↑", "↓", "H", "L", "mmol/L",
         "g/L", "10^9/L", "3.5-9.5", "<0.005", ">20.00", "阳性", "阴性", "+", "2+", "-", "胸痛", "发烧", "喘不过气",
         "chest pain", "no fever", "38.5", "120/80", "心率", "150", "岁", "男", "女", ",", "\t", "\n", "  "]
token = st.one_of(st.sampled_from(WORDS), st.text(max_size=6),
                  st.floats(allow_nan=True, allow_infinity=True).map(str), st.integers().map(str))
text_like = st.lists(token, max_size=60).map(" ".join)


@SETTINGS
@given(text_like)
def test_report_text_never_crashes(text):
    try:
        interpret_text(text)
    except ReportReadError as e:
        assert str(e)


@SETTINGS
@given(st.lists(st.lists(token, max_size=6), max_size=40))
def test_report_csv_never_crashes(rows):
    data = "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")
    try:
        interpret_bytes(data, "report.csv")
    except ReportReadError as e:
        assert str(e)


@SETTINGS
@given(st.binary(max_size=2048), st.sampled_from(["a.csv", "a.txt", "a.json", "a.pdf", "a.xlsx", "a.png", None]))
def test_any_bytes_under_any_name_never_crash(data, name):
    try:
        interpret_bytes(data, name)
    except ReportReadError as e:
        assert str(e)


@settings(max_examples=max(25, EXAMPLES // 10), deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=FIXED, database=None)
@given(st.lists(st.lists(st.one_of(token, st.floats(allow_nan=False), st.none()), max_size=5), max_size=30))
def test_report_excel_never_crashes(rows):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for r in rows:  # only what a spreadsheet can hold
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in r])
    buf = io.BytesIO()
    wb.save(buf)
    try:
        interpret_bytes(buf.getvalue(), "report.xlsx")
    except ReportReadError as e:
        assert str(e)


@SETTINGS
@given(st.text(max_size=300) | text_like, st.one_of(st.none(), st.floats(), st.booleans()))
def test_complaint_text_never_crashes(text, age):
    try:
        assess(text, age=age)  # type: ignore[arg-type]
    except ValidationError as e:  # blank, binary, or an impossible age: a 422 in the API
        assert e.errors()


value = st.one_of(st.floats(), st.integers(), st.booleans(), st.none(), st.text(max_size=12), token,
                  st.lists(st.one_of(st.floats(), st.text(max_size=6)), max_size=3))


@SETTINGS
@given(st.sampled_from(["bmi", "qtc_hodges", "egfr_ckd_epi_2021", "creatinine_clearance_cockcroft_gault", "curb_65", "wells_dvt",
                        "cha2ds2_vasc", "gcs", "apache_ii", "child_pugh"]),
       st.dictionaries(st.sampled_from(["age", "sex", "weight", "height", "heart_rate", "qt_interval", "creatinine",
                                        "sbp", "dbp", "rr", "confusion", "urea", "eye", "verbal", "motor"]), value,
                       max_size=8))
def test_calculator_inputs_never_crash(name, inputs):
    try:
        calculate(name, inputs)
    except CalculationError as e:
        assert e.problems or str(e)


@SETTINGS
@given(st.dictionaries(st.sampled_from([f"phq9_0{i}" for i in range(1, 10)]), value, max_size=9))
def test_phq9_never_crashes_and_item9_alert_is_never_silently_dropped(answers):
    try:
        res = score_scale("phq9", answers)
        safety = res.safety
    except ScaleError as e:
        safety = e.safety
    raw = answers.get("phq9_09")
    if raw is not None and raw not in (0, 0.0, False, "0", "0.0") and not (isinstance(raw, str) and raw.strip() in ("", "0")):
        # Any answer to item 9 other than "not at all" (or blank) is a yes or unreadable: either way, the alert.
        if not (isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw == 0):
            assert safety is not None
