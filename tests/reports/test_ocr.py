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
