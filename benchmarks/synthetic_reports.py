"""Synthetic lab-report images with known values, for OCR tests and the OCR benchmark.

Renders a report table (Pillow, a CJK font) with a random column order, then degrades it:
rotation, blur, noise, low contrast and JPEG compression. Deterministic for a given seed.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from wenzhen.kb.lab_loader import LabKnowledgeBase

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)


def cjk_font_path() -> str | None:
    for p in FONT_CANDIDATES:
        if Path(p).is_file():
            return p
    return None


@dataclass
class SyntheticRow:
    item_id: str
    name: str
    value_text: str
    unit: str
    interval: str
    flag: str


@dataclass
class Degradation:
    rotation_deg: float = 0.0
    blur_radius: float = 0.0
    noise_sigma: float = 0.0
    contrast: float = 1.0  # 1 = full contrast; 0.4 = grey on grey
    jpeg_quality: int | None = None


DEGRADATIONS = {
    "clean": Degradation(),
    "rotated": Degradation(rotation_deg=2.5),
    "blurred": Degradation(blur_radius=1.0),
    "noisy": Degradation(noise_sigma=18.0),
    "low_contrast": Degradation(contrast=0.35),
    "phone_photo": Degradation(rotation_deg=-1.5, blur_radius=0.7, noise_sigma=10.0, contrast=0.6, jpeg_quality=55),
}


def _fmt_value(rng: random.Random, low: float | None, high: float | None) -> str:
    lo = low if low is not None else 0.0
    hi = high if high is not None else max(lo * 2, 1.0)
    span = hi - lo or max(hi, 1.0)
    v = rng.uniform(lo - 0.4 * span, hi + 0.5 * span)
    v = max(v, 0.0)
    decimals = 0 if hi >= 100 else 1 if hi >= 10 else 2
    return f"{v:.{decimals}f}"


def sample_rows(kb: LabKnowledgeBase, n: int, rng: random.Random) -> list[SyntheticRow]:
    items = sorted((it for it in kb.items.values()
                    if it.kind == "quantitative" and it.unit and it.reference and it.reference[0].low is not None
                    and it.reference[0].high is not None), key=lambda it: it.id)
    rows = []
    for it in rng.sample(items, min(n, len(items))):
        ref = it.reference[0]
        value = _fmt_value(rng, ref.low, ref.high)
        v = float(value)
        flag = "↑" if v > ref.high else "↓" if v < ref.low else ""
        style = rng.random()
        name = it.name.zh if style < 0.4 else f"{it.name.zh} {it.code}" if style < 0.8 else f"{it.name.zh}({it.code})"
        rows.append(SyntheticRow(it.id, name, value, it.unit, f"{ref.low:g}-{ref.high:g}", flag))
    return rows


def render_report(rows: list[SyntheticRow], degradation: Degradation, rng: random.Random,
                  font_path: str | None = None) -> bytes:
    """A PNG (or JPEG when the degradation says so) of a lab report holding `rows`."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = font_path or cjk_font_path()
    if font_path is None:
        raise RuntimeError("no CJK font found (install fonts-wqy-microhei)")
    size = rng.choice([20, 22, 24])
    font = ImageFont.truetype(font_path, size)
    title = ImageFont.truetype(font_path, size + 8)
    cols = ["name", "value", "flag", "unit", "interval"]
    if rng.random() < 0.5:  # some laboratories print the interval before the unit
        cols = ["name", "value", "flag", "interval", "unit"]
    widths = {"name": 17 * size, "value": 5 * size, "flag": 2 * size, "unit": 6 * size, "interval": 6 * size}
    headers = {"name": "项目名称", "value": "结果", "flag": "", "unit": "单位", "interval": "参考区间"}
    line_h = int(size * 1.9)
    width = 60 + sum(widths[c] for c in cols)
    height = 200 + line_h * (len(rows) + 2)
    img = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(img)
    d.text((30, 20), "某某市人民医院检验报告单", font=title, fill=0)
    d.text((30, 20 + size * 2), "姓名：张某   性别：男   年龄：52岁   标本：静脉血   采样时间：2025-06-18", font=font, fill=0)
    y = 20 + size * 4
    x = 30
    for c in cols:
        d.text((x, y), headers[c], font=font, fill=0)
        x += widths[c]
    d.line((25, y + line_h - 8, width - 25, y + line_h - 8), fill=0, width=1)
    for r in rows:
        y += line_h
        x = 30
        for c in cols:
            d.text((x, y), getattr(r, "value_text" if c == "value" else c), font=font, fill=0)
            x += widths[c]
    return apply_degradation(img, degradation, rng)


def apply_degradation(img, degradation: Degradation, rng: random.Random) -> bytes:
    """Contrast, rotation, blur, noise, then PNG or (when the degradation says so) JPEG bytes."""
    import numpy as np
    from PIL import Image, ImageFilter

    if degradation.contrast < 1.0:
        lo = int(255 * (1 - degradation.contrast) * 0.6)
        img = img.point(lambda p: lo + p * (255 - lo) // 255)
    if degradation.rotation_deg:
        fill = 255 if img.mode == "L" else (255, 255, 255)
        img = img.rotate(degradation.rotation_deg, resample=Image.BICUBIC, expand=True, fillcolor=fill)
    if degradation.blur_radius:
        img = img.filter(ImageFilter.GaussianBlur(degradation.blur_radius))
    if degradation.noise_sigma:
        arr = np.asarray(img, dtype=np.float32)
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, degradation.noise_sigma, arr.shape)
        img = Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    if degradation.jpeg_quality:
        img.convert("RGB").save(buf, format="JPEG", quality=degradation.jpeg_quality)
    else:
        img.save(buf, format="PNG")
    return buf.getvalue()
