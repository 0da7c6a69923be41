"""Report interpretation: OCR on rendered, degraded report photos, and speed.

    python -m benchmarks.reports

OCR: lab-report images rendered here with known values (benchmarks/synthetic_reports.py: Pillow and
fonts-wqy-microhei), degraded (rotation, blur, noise, low contrast, JPEG phone photo), read back
through the same path as an upload. Item recall = the item was recognised; value accuracy = its
value was read exactly. Speed: a 60-item text report and a photo, pinned to one core.
"""
from __future__ import annotations

import random
import statistics
import time

from .common import Skip
from .speed import _pin_one_core

IMAGES_PER_DEGRADATION = 5
ROWS_PER_IMAGE = 15


def _text_report(kb, n: int, seed: str) -> str:
    from benchmarks.synthetic_reports import sample_rows

    rng = random.Random(seed)
    rows = sample_rows(kb, n, rng)
    lines = ["XX医院检验报告单", "姓名：王某  性别：男  年龄：58岁  采样时间：2025-05-06", "项目  结果  单位  参考区间"]
    lines += [f"{r.name}  {r.value_text} {r.flag}  {r.unit}  {r.interval}" for r in rows]
    return "\n".join(lines)


def run() -> dict:
    from benchmarks.synthetic_reports import DEGRADATIONS, cjk_font_path, render_report, sample_rows
    from wenzhen.kb.lab_loader import default_lab_kb
    from wenzhen.reports import interpret_report, parse_bytes, parse_text

    if cjk_font_path() is None:
        raise Skip("no CJK font: install fonts-wqy-microhei (make bench does when it can)")
    cpu = _pin_one_core()
    kb = default_lab_kb()
    out: dict = {"cpu": cpu, "kb_items": len(kb.items), "ocr": {}}
    # text speed: 60-item report, parse + interpret
    text = _text_report(kb, 60, "speed")
    parsed = parse_text(text, kb)
    assert len(parsed.results) >= 55, len(parsed.results)
    for _ in range(20):
        interpret_report(parse_text(text, kb), kb=kb)
    lat = []
    for _ in range(300):
        t = time.perf_counter()
        interpret_report(parse_text(text, kb), kb=kb)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    out["text_60_items"] = {"items_read": len(parsed.results), "p50_ms": round(statistics.median(lat), 2),
                            "p99_ms": round(lat[int(0.99 * len(lat)) - 1], 2)}
    # OCR accuracy and photo latency
    total = found = exact = 0
    photo_ms = []
    misses = []
    for name, deg in DEGRADATIONS.items():
        d_total = d_found = d_exact = 0
        for i in range(IMAGES_PER_DEGRADATION):
            rng = random.Random(f"bench-{name}-{i}")
            rows = sample_rows(kb, ROWS_PER_IMAGE, rng)
            data = render_report(rows, deg, rng)
            t = time.perf_counter()
            parsed = parse_bytes(data, kb, "photo.jpg" if deg.jpeg_quality else "photo.png")
            interpret_report(parsed, kb=kb)
            photo_ms.append((time.perf_counter() - t) * 1000)
            got: dict = {}
            for r in parsed.results:
                got.setdefault(r.item_id, r.value_text)
            for r in rows:
                d_total += 1
                d_found += r.item_id in got
                ok = got.get(r.item_id) == r.value_text
                d_exact += ok
                if not ok and len(misses) < 15:
                    misses.append(f"{name}: {r.name} {r.value_text} → {got.get(r.item_id)}")
        out["ocr"][name] = {"items": d_total, "recall": round(d_found / d_total, 4), "exact_value": round(d_exact / d_total, 4)}
        total, found, exact = total + d_total, found + d_found, exact + d_exact
    photo_ms.sort()
    out["ocr_overall"] = {"images": len(photo_ms), "items": total, "recall": round(found / total, 4),
                          "exact_value": round(exact / total, 4)}
    out["photo"] = {"p50_ms": round(statistics.median(photo_ms)), "max_ms": round(photo_ms[-1]),
                    "rows_per_image": ROWS_PER_IMAGE}
    out["misses"] = misses
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=1))
