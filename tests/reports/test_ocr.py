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
