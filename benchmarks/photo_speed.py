"""Photo OCR speed on full-page report photos at phone size, pinned to one core.

    python -m benchmarks.photo_speed [--images N]

A 25-row lab report (benchmarks/synthetic_reports.py) is rendered, scaled up to fill an A4 page at
150 dpi (1240×1754) and a 12 MP phone photo (3024×4032) with white margins, saved as JPEG quality 80,
then read through the upload path: parse_bytes(data, kb, "photo.jpg") + interpret_report. Variants:
"clean" (rendered sharp) and "phone_photo" (the phone_photo degradation: rotation, blur, noise, low
contrast, applied before scaling). Reports p50/max wall seconds per canvas size, the same in process CPU
seconds (steadier when other jobs share the machine: on one pinned core CPU time ≈ wall time when idle),
and the exact-value rate.
"""
from __future__ import annotations

import io
import os
import random
import statistics
import sys
import time
from dataclasses import replace

CANVASES = {"a4_150dpi": (1240, 1754), "phone_12mp": (3024, 4032)}
VARIANTS = ("clean", "phone_photo")
ROWS = 25
JPEG_QUALITY = 80
MARGIN = 0.06  # of the canvas, each side


def _pin() -> str:
    try:
        os.sched_setaffinity(0, {0})
        return "pinned to core 0"
    except (AttributeError, OSError):
        return "not pinned (sched_setaffinity unavailable)"


def page_photo(rows, variant: str, canvas: tuple[int, int], rng: random.Random) -> bytes:
    """The report rendered (with `variant`'s degradation, minus its JPEG), scaled onto `canvas`, JPEG q80."""
    from PIL import Image

    from benchmarks.synthetic_reports import DEGRADATIONS, render_report

    deg = replace(DEGRADATIONS[variant], jpeg_quality=None)
    img = Image.open(io.BytesIO(render_report(rows, deg, rng))).convert("L")
    cw, ch = canvas
    scale = min(cw * (1 - 2 * MARGIN) / img.width, ch * (1 - 2 * MARGIN) / img.height)
    img = img.resize((round(img.width * scale), round(img.height * scale)), Image.BICUBIC)
    page = Image.new("RGB", canvas, (255, 255, 255) if variant == "clean" else (236, 234, 228))
    page.paste(img.convert("RGB"), ((cw - img.width) // 2, (ch - img.height) // 2))
    buf = io.BytesIO()
    page.save(buf, format="JPEG", quality=JPEG_QUALITY)
    return buf.getvalue()


def run(images: int = 3) -> dict:
    from benchmarks.synthetic_reports import cjk_font_path, sample_rows
    from wenzhen.kb.lab_loader import default_lab_kb
    from wenzhen.reports import interpret_report, parse_bytes

    from .common import Skip

    if cjk_font_path() is None:
        raise Skip("no CJK font: install fonts-wqy-microhei")
    cpu = _pin()
    kb = default_lab_kb()
    cases = []
    for cname, canvas in CANVASES.items():
        for variant in VARIANTS:
            for i in range(images):
                rng = random.Random(f"photo-speed-{variant}-{i}")  # same rows on both canvases
                rows = sample_rows(kb, ROWS, rng)
                cases.append((cname, variant, rows, page_photo(rows, variant, canvas, rng)))
    # warm-up: engine and model load, first-inference allocations (not timed)
    interpret_report(parse_bytes(cases[0][3], kb, "photo.jpg"), kb=kb)
    out: dict = {"cpu": cpu, "rows_per_image": ROWS, "jpeg_quality": JPEG_QUALITY, "images_per_case": images,
                 "by_size": {}, "by_case": {}}
    sizes: dict = {}
    misses = []
    for cname, variant, rows, data in cases:
        t, c = time.perf_counter(), time.process_time()
        parsed = parse_bytes(data, kb, "photo.jpg")
        interpret_report(parsed, kb=kb)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        got: dict = {}
        for r in parsed.results:
            got.setdefault(r.item_id, r.value_text)
        exact = 0
        for r in rows:
            ok = got.get(r.item_id) == r.value_text
            exact += ok
            if not ok and len(misses) < 15:
                misses.append(f"{cname}/{variant}: {r.name} {r.value_text} → {got.get(r.item_id)}")
        for key, bucket in ((cname, sizes), (f"{cname}/{variant}", out["by_case"])):
            b = bucket.setdefault(key, {"secs": [], "cpu": [], "items": 0, "exact": 0})
            b["secs"].append(dt)
            b["cpu"].append(dc)
            b["items"] += len(rows)
            b["exact"] += exact
    for bucket in (sizes, out["by_case"]):
        for key, b in bucket.items():
            secs, cpu = sorted(b.pop("secs")), sorted(b.pop("cpu"))
            b.update(images=len(secs), p50_s=round(statistics.median(secs), 3), max_s=round(secs[-1], 3),
                     cpu_p50_s=round(statistics.median(cpu), 3), cpu_max_s=round(cpu[-1], 3),
                     exact_value=round(b["exact"] / b["items"], 4))
    out["by_size"] = sizes
    items = sum(b["items"] for b in sizes.values())
    out["overall"] = {"images": len(cases), "items": items,
                      "exact_value": round(sum(b["exact"] for b in sizes.values()) / items, 4)}
    out["misses"] = misses
    return out


if __name__ == "__main__":
    import json

    n = int(sys.argv[sys.argv.index("--images") + 1]) if "--images" in sys.argv else 3
    print(json.dumps(run(n), ensure_ascii=False, indent=1))
