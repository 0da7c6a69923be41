"""Photos: rendered lab reports with known values, degraded like phone photos, read back by OCR."""
import io
import random

import pytest

from benchmarks.synthetic_reports import DEGRADATIONS, cjk_font_path, render_report, sample_rows
from wenzhen.kb.lab_loader import default_lab_kb
from wenzhen.reports import ReportReadError, interpret_bytes, parse_bytes

pytestmark = [pytest.mark.ocr, pytest.mark.skipif(cjk_font_path() is None, reason="no CJK font (fonts-wqy-microhei)")]


@pytest.mark.parametrize("name", ["clean", "phone_photo", "low_contrast"])
def test_values_read_back_from_degraded_photos(name):
    kb = default_lab_kb()
    rng = random.Random(f"test-{name}")
    rows = sample_rows(kb, 12, rng)
    deg = DEGRADATIONS[name]
    data = render_report(rows, deg, rng)
    parsed = parse_bytes(data, kb, "photo.jpg" if deg.jpeg_quality else "photo.png")
    got = {}
    for r in parsed.results:
        got.setdefault(r.item_id, r.value_text)
    exact = sum(got.get(r.item_id) == r.value_text for r in rows)
    assert exact >= len(rows) - 1, [(r.item_id, r.value_text, got.get(r.item_id)) for r in rows]
    assert parsed.patient.sex == "male" and parsed.patient.age_years == 52


def test_photo_interpretation_end_to_end():
    kb = default_lab_kb()
    rng = random.Random("e2e")
    rows = sample_rows(kb, 6, rng)
    r = interpret_bytes(render_report(rows, DEGRADATIONS["clean"], rng), "photo.png")
    assert r.source_format == "image" and len([it for it in r.items if it.item_id]) >= 5 and r.summary


def test_unreadable_photo_says_why():
    from PIL import Image, ImageFilter

    img = Image.new("RGB", (800, 600), (200, 200, 200)).filter(ImageFilter.GaussianBlur(8))
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    with pytest.raises(ReportReadError) as e:
        parse_bytes(buf.getvalue(), default_lab_kb(), "blur.jpg")
    assert "retake" in str(e.value) or "paste" in str(e.value)


def test_tiny_image_is_refused():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (50, 40), "white").save(buf, format="PNG")
    with pytest.raises(ReportReadError, match="too small"):
        parse_bytes(buf.getvalue(), default_lab_kb(), "tiny.png")


def test_dot_matrix_single_character_names_are_read_again():
    """A needle-printer page: 氯, 镁 and 磷 are faint single characters the detector reads with low confidence; the
    second look with thickened strokes keeps their rows (before it, the three rows were dropped)."""
    from benchmarks.report_layouts import make_report, render

    kb = default_lab_kb()
    rng = random.Random("layouts-dot_matrix-clean-0")
    report = make_report(kb, "dot_matrix", rng)
    data, fname = render(report, "clean", rng)
    parsed = parse_bytes(data, kb, fname)
    got = {r.item_id: r.value_text for r in parsed.results if r.item_id}
    truth = {r.item_id: r.value_text for r in report.rows}
    read = [i for i in truth if got.get(i) == truth[i]]
    assert len(read) >= len(truth) - 1, sorted(set(truth) - set(read))
    assert not set(got) - set(truth)  # nothing read that the page does not print


def test_a_lone_short_dash_is_told_from_a_point_or_speckle():
    """A dipstick "-" photographed on a desk is a bar of about 5×3 px in a 38 px row: it reads as negative; a
    point or a square speck is not a dash, nor are two marks."""
    import numpy as np

    from wenzhen.reports.ocr import _lone_dash

    def strip(*marks):
        crop = np.full((37, 70, 3), 225, np.uint8)
        for x, y, w, h in marks:
            crop[y:y + h, x:x + w] = 30
        return crop
    assert _lone_dash(strip((38, 17, 5, 3)), 38)
    assert _lone_dash(strip((30, 17, 10, 3)), 38)
    assert not _lone_dash(strip((38, 17, 4, 4)), 38)  # a point
    assert not _lone_dash(strip((38, 17, 5, 3), (10, 5, 5, 3)), 38)  # two marks
    assert not _lone_dash(strip((38, 10, 4, 16)), 38)  # a "1"
    assert not _lone_dash(strip(), 38)  # nothing printed


def _keystone_boxes(rows=20):
    """A table photographed at an angle: each row's tilt differs (+3.4° at the top to -3.4° at the bottom), as a
    page lying on a desk gives; four cells per row, far apart."""
    import math

    import numpy as np

    boxes = []
    for i in range(rows):
        a = 0.06 - 0.006 * i
        y0 = 100 + 40 * i
        for j, (x, w) in enumerate(((100, 150), (500, 60), (800, 100), (1100, 80))):
            dx, dy = math.cos(a), math.sin(a)
            top_left = np.array([x, y0 + (x - 100) * math.tan(a)])
            quad = np.array([top_left, top_left + w * np.array([dx, dy]),
                             top_left + w * np.array([dx, dy]) + 30 * np.array([-dy, dx]),
                             top_left + 30 * np.array([-dy, dx])])
            boxes.append((quad, f"r{i}c{j}", 0.99))
    return boxes


def test_rows_of_a_page_photographed_at_an_angle_stay_whole():
    """The cells of each row form one line, in order, although no single skew fits the whole page."""
    from wenzhen.reports.ocr import _group_rows

    lines, weak, _ = _group_rows(_keystone_boxes())
    assert not weak
    assert [[c[3] for c in line] for line in lines] == [[f"r{i}c{j}" for j in range(4)] for i in range(20)]


def test_crops_reach_the_recognizer_at_its_height_and_a_few_widths():
    """Every crop is scaled to the recognizer's 48 px and padded to a multiple of 16 px: OpenVINO compiles each
    input shape once, so a page's crops must share a few dozen shapes, and the text itself is not squeezed."""
    import numpy as np

    from wenzhen.reports.ocr import REC_HEIGHT, REC_WIDTH_STEP, _rec_ready

    for h, w in ((30, 31), (37, 70), (41, 400), (96, 96), (12, 5)):
        crop = np.full((h, w, 3), 200, np.uint8)
        out = _rec_ready(crop)
        assert out.shape[0] == REC_HEIGHT and out.shape[1] % REC_WIDTH_STEP == 0
        assert 0 <= out.shape[1] - round(REC_HEIGHT * w / h) < REC_WIDTH_STEP


def test_the_ocr_engine_runs_on_openvino_when_installed():
    import numpy as np

    from wenzhen.reports.ocr import _engine, _openvino_available

    engine = _engine()
    engine(np.full((64, 256, 3), 255, np.uint8))
    kind = type(engine.text_rec.session).__module__
    assert ("openvino" in kind) == _openvino_available()
