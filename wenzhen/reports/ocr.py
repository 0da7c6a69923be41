"""Photos and scans of reports: OCR with RapidOCR (ONNX models shipped in its wheel), then
boxes regrouped into table lines (skew-corrected) and read like pasted text."""
from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..budget import check_budget
from .models import ReportReadError

MIN_SIDE = 200  # px: smaller images cannot hold a readable report
MAX_PIXELS = 40_000_000
MAX_SIDE = 4096  # px: larger photos are scaled down before OCR
_lock = threading.Lock()  # one OCR at a time: the engine is not re-entrant and the machine is small


@lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error", "EngineConfig.onnxruntime.intra_op_num_threads": 1})


def load_image(data: bytes) -> np.ndarray:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        if img.size[0] * img.size[1] > MAX_PIXELS:  # read from the header, before decoding anything
            raise ReportReadError(f"the image is too large ({img.size[0]}×{img.size[1]} px; the limit is "
                                  f"{MAX_PIXELS // 1_000_000} megapixels): send the photo at normal size")
        img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale when the photo is huge
        img = ImageOps.exif_transpose(img)
        img = img.convert("RGB")
        if max(img.size) > MAX_SIDE:
            img.thumbnail((MAX_SIDE, MAX_SIDE))  # more pixels add time and memory, not legibility
    except ReportReadError:
        raise  # our own refusal (too many pixels) says what is wrong already
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as e:
        raise ReportReadError(f"cannot open the image: {e}") from e
    if min(img.size) < MIN_SIDE:
        raise ReportReadError(f"the image is too small ({img.size[0]}×{img.size[1]} px): take the photo closer, "
                              f"with the whole report filling the frame")
    return np.asarray(img)[:, :, ::-1]  # RGB → BGR as OpenCV-style engines expect


def sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian: low values mean a blurred photo."""
    g = gray.astype(np.float32)
    lap = g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4 * g[1:-1, 1:-1]
    return float(lap.var())


def ocr_lines(img: np.ndarray) -> list[tuple[str, float, list[tuple[str, float]]]]:
    """OCR boxes regrouped into lines: (joined text, min confidence, [(cell, confidence)])."""
    with _lock:  # one OCR at a time per process: the time waited here counts against the request's budget
        check_budget("waiting for the OCR engine")
        res = _engine()(img)
    if res is None or res.boxes is None or len(res.boxes) == 0:
        return []
    boxes = [(np.asarray(b, dtype=float), t, float(s)) for b, t, s in zip(res.boxes, res.txts, res.scores)]
    # Skew: the median angle of the top edges of wide boxes.
    angles = []
    for b, _, _ in boxes:
        dx, dy = b[1][0] - b[0][0], b[1][1] - b[0][1]
        if dx > 40:
            angles.append(math.atan2(dy, dx))
    theta = float(np.median(angles)) if angles else 0.0
    cos, sin = math.cos(-theta), math.sin(-theta)
    items = []
    for b, t, s in boxes:
        cx, cy = b[:, 0].mean(), b[:, 1].mean()
        x = cx * cos - cy * sin
        y = cx * sin + cy * cos
        h = max(np.linalg.norm(b[3] - b[0]), 1.0)
        items.append((y, x, h, t, s))
    items.sort()
    lines: list[list[tuple[float, float, float, str, float]]] = []
    for it in items:
        if lines:
            last = lines[-1]
            ly = sum(i[0] for i in last) / len(last)
            lh = sum(i[2] for i in last) / len(last)
            if abs(it[0] - ly) < 0.5 * max(lh, it[2]):
                last.append(it)
                continue
        lines.append([it])
    out = []
    for line in lines:
        line.sort(key=lambda i: i[1])
        cells = [(i[3], i[4]) for i in line]
        out.append(("  ".join(c for c, _ in cells), min(s for _, s in cells), cells))
    return out


@dataclass
class OcrText:
    """The text lines of a photo, top to bottom, with each line's lowest word confidence."""

    lines: list[tuple[str, float]]
    sharpness: float  # variance of the Laplacian: below ~50 the photo is blurred


def read_lines(data: bytes) -> OcrText:
    """OCR a photo into text lines. Raises ReportReadError when no text is found (parsing is parse.py's job)."""
    img = load_image(data)
    check_budget("opening the photo")
    blur = sharpness(img.mean(axis=2))
    lines = [(t, s) for t, s, _ in ocr_lines(img)]
    check_budget("reading the text of the photo")
    if not lines:
        why = "the photo looks blurred" if blur < 50 else "no text was found"
        raise ReportReadError(f"could not read the photo ({why}): retake it in good light, flat, in focus, "
                              f"with the whole report in the frame")
    return OcrText(lines, blur)
