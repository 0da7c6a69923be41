"""Photos and scans of reports: OCR with RapidOCR (ONNX models shipped in its wheel), then
boxes regrouped into table lines (skew-corrected) and read like pasted text."""
from __future__ import annotations

import io
import math
import re
import threading
from functools import cached_property, lru_cache

import numpy as np

from ..budget import check_budget
from .models import ReportReadError
from .panels import READING

MIN_SIDE = 200  # px: smaller images cannot hold a readable report
MAX_PIXELS = 40_000_000
MAX_SIDE = 4096  # px: larger photos are scaled down before OCR
RESIZE_SLACK = 1.1  # a photo at most this much over the bound is kept as it is: resizing 2016 → 2000 px costs 40 ms
_lock = threading.Lock()  # one OCR at a time: the engine is not re-entrant and the machine is small


OCR_MAX_SIDE = 2000  # px: photos are read at most this large (a page's text is then ≥ ~25 px high)
DET_MAX_SIDE = 896  # px: text is *found* on a copy at most this large (page text ≥ ~11 px), read at OCR_MAX_SIDE

REC_HEIGHT = 48  # px: the recognition model's input height (PP-OCRv6 small)
REC_WIDTH_STEP = 16  # px: crops are padded to a multiple of this width (see _rec_ready)

# RapidOCR settings, each measured with benchmarks/photo_speed.py (speed) and benchmarks/reports.py (accuracy):
_OCR_PARAMS = {
    "Global.log_level": "error",
    # One thread per process: the machine is small and each worker pins its own core; more threads only contend.
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    # Reuse onnxruntime's buffers between runs (~125 recognition runs per page): about -2.5% time.
    "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
    # OpenVINO runs the same ONNX models about a third faster on one core than onnxruntime (1.1 s instead of
    # 1.6 s for a 25-row page); it compiles each new input shape once, hence the padded crop widths.
    "EngineConfig.openvino.inference_num_threads": 1,
    "EngineConfig.openvino.num_streams": 1,
    "EngineConfig.openvino.performance_hint": "LATENCY",
    # No 180° angle classifier: reports are photographed upright, and small skew is handled in ocr_lines.
    "Global.use_cls": False,
    # Already scaled in load_image; RapidOCR would otherwise rescale to its own 2000 px bound.
    "Global.max_side_len": OCR_MAX_SIDE,
    # Detection on a copy whose long side is ≤ DET_MAX_SIDE (the default "min 736" ran it on the whole page):
    # boxes map back to the full image, so recognition still reads the sharper pixels.
    "Det.limit_type": "max",
    "Det.limit_side_len": DET_MAX_SIDE,
    # Recognition: every crop is scaled to 48 px high; the default pads each batch to at least 320 px wide,
    # and most cells of a report (values, flags, units, intervals) are 1-4 heights wide, so most of the work
    # was padding. No minimum width and one crop per run: each cell read on its own, padded only to the next
    # REC_WIDTH_STEP.
    "Rec.rec_img_shape": [3, REC_HEIGHT, REC_HEIGHT],
    "Rec.rec_batch_num": 1,
}


def _rec_ready(crop: np.ndarray) -> np.ndarray:
    """A text crop scaled to the recognizer's height and padded (its own edge repeated) to the next multiple of
    REC_WIDTH_STEP: OpenVINO then meets a few dozen input shapes, each compiled once, instead of one per crop."""
    import cv2

    h, w = crop.shape[:2]
    width = max(1, round(REC_HEIGHT * w / max(h, 1)))
    scaled = cv2.resize(crop, (width, REC_HEIGHT))
    padded = -(-width // REC_WIDTH_STEP) * REC_WIDTH_STEP
    return cv2.copyMakeBorder(scaled, 0, 0, 0, padded - width, cv2.BORDER_REPLICATE) if padded > width else scaled


def _openvino_available() -> bool:
    try:
        import openvino  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR
    from rapidocr.utils.typings import EngineType

    class ReportOCR(RapidOCR):
        def crop_text_regions(self, img, det_boxes):
            return [_rec_ready(c) for c in super().crop_text_regions(img, det_boxes)]

    params = dict(_OCR_PARAMS)
    if _openvino_available():  # else onnxruntime, RapidOCR's default, reads the same models more slowly
        params["Det.engine_type"] = params["Rec.engine_type"] = EngineType.OPENVINO
    return ReportOCR(params=params)


def load_image(data: bytes, max_side: int = MAX_SIDE) -> np.ndarray:
    """A contiguous BGR array, scaled down so its long side is ≤ max_side."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        if img.size[0] * img.size[1] > MAX_PIXELS:  # read from the header, before decoding anything
            raise ReportReadError(f"the image is too large ({img.size[0]}×{img.size[1]} px; the limit is "
                                  f"{MAX_PIXELS // 1_000_000} megapixels): send the photo at normal size")
        r = min(1.0, max_side / max(img.size))  # JPEG: decode at a reduced scale (DCT scaling) when large;
        img.draft("RGB", (math.ceil(img.size[0] * r), math.ceil(img.size[1] * r)))  # never below the target
        img = ImageOps.exif_transpose(img)
        img = img.convert("RGB")
        if max(img.size) > max_side * RESIZE_SLACK:
            img.thumbnail((max_side, max_side))  # more pixels add time and memory, not legibility
    except ReportReadError:
        raise  # our own refusal (too many pixels) says what is wrong already
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as e:
        raise ReportReadError(f"cannot open the image: {e}") from e
    if min(img.size) < MIN_SIDE:
        raise ReportReadError(f"the image is too small ({img.size[0]}×{img.size[1]} px): take the photo closer, "
                              f"with the whole report filling the frame")
    # RGB → BGR as OpenCV-style engines expect, contiguous: a reversed-stride view made OpenCV copy the whole
    # image again for every text box it cropped (~1 s for a page of 120 boxes).
    return np.ascontiguousarray(np.asarray(img)[:, :, ::-1])


def sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian: low values mean a blurred photo."""
    import cv2

    g = np.asarray(gray, dtype=np.float32)
    lap = cv2.Laplacian(g, cv2.CV_32F, ksize=1)[1:-1, 1:-1]  # ksize=1: the 4-neighbour kernel, interior only
    return float(cv2.meanStdDev(lap)[1][0, 0]) ** 2


MIN_TEXT_SCORE = 0.5  # boxes read with less confidence are dropped (RapidOCR's own default)


def ocr_lines(img: np.ndarray, is_name=None) -> list[tuple[str, float, list[tuple[str, float]]]]:
    """OCR boxes regrouped into lines: (joined text, min confidence, [(cell, confidence)]). `is_name(text)` says
    whether a text is a known item name: it lets a faint name cell be read again (see _reread_weak_names)."""
    with _lock:  # one OCR at a time per process: the time waited here counts against the request's budget
        check_budget("waiting for the OCR engine")
        res = _engine()(img, text_score=0.0)  # weak boxes are sorted out below, not by the engine
    if res is None or res.boxes is None or len(res.boxes) == 0:
        return []
    boxes = [(np.asarray(b, dtype=float), t, float(s)) for b, t, s in zip(res.boxes, res.txts, res.scores)]
    lines, weak, theta = _group_rows(boxes)
    if is_name is not None:
        with _lock:  # the engine again: one inference request per model, not to be shared between threads
            if weak:
                _reread_weak_names(img, lines, weak, is_name)
            _reread_empty_results(img, lines, theta)
    out = []
    for line in lines:
        cells = [(_GLYPHS.get(i[3].strip(), i[3]), i[4]) for i in line]
        out.append(("  ".join(c for c, _ in cells), min(s for _, s in cells), cells))
    return out


def _group_rows(boxes: list[tuple[np.ndarray, str, float]]) -> tuple[list[list[tuple]], list[tuple], float]:
    """OCR boxes (quad, text, confidence) into table rows, left to right: (rows, weak boxes, page skew). A cell is
    (y, x, height, text, confidence, left, quad) in the page's deskewed frame; weak boxes (low confidence or
    empty) are kept aside for a second look."""
    # Skew: the median angle of the top edges of wide, confidently read boxes.
    wide = [(b, math.atan2(b[1][1] - b[0][1], b[1][0] - b[0][0])) for b, _, s in boxes
            if b[1][0] - b[0][0] > 40 and s >= MIN_TEXT_SCORE]
    theta = float(np.median([a for _, a in wide])) if wide else 0.0
    cos, sin = math.cos(-theta), math.sin(-theta)
    tilt = _tilt_field(wide, cos, sin, theta)
    items, weak = [], []
    x0 = min(float(px * cos - py * sin) for b, _, _ in boxes for px, py in b)  # the page's left edge, rotated
    for b, t, s in boxes:
        cx, cy = b[:, 0].mean(), b[:, 1].mean()
        x = cx * cos - cy * sin
        y = cx * sin + cy * cos
        # A page photographed at an angle is not skewed alike everywhere: rows tilt more towards one side.
        # The row a box belongs to is where its row meets the left edge, following the local tilt.
        y -= (x - x0) * math.tan(tilt((x + x0) / 2, y))
        h = max(np.linalg.norm(b[3] - b[0]), 1.0)
        left = float(min(px * cos - py * sin for px, py in b))
        (items if s >= MIN_TEXT_SCORE and t.strip() else weak).append((y, x, h, t, s, left, b))
    items.sort(key=lambda i: (i[0], i[1]))
    lines: list[list[tuple]] = []
    for it in items:
        if lines:
            last = lines[-1]
            ly = sum(i[0] for i in last) / len(last)
            lh = sum(i[2] for i in last) / len(last)
            if abs(it[0] - ly) < 0.5 * max(lh, it[2]):
                last.append(it)
                continue
        lines.append([it])
    for line in lines:
        line.sort(key=lambda i: i[1])
    return lines, weak, theta


def _tilt_field(wide: list[tuple[np.ndarray, float]], cos: float, sin: float, theta: float):
    """The tilt of the text rows left after removing the page's median skew, as a plane over the page
    (a + b·x + c·y, fitted on the wide, confidently read boxes and their angles; outliers dropped once): a desk
    photo's perspective turns the rows of one side more than the other's. Flat (0) when too few boxes tell."""
    pts = []
    for b, angle in wide:
        cx, cy = b[:, 0].mean(), b[:, 1].mean()
        pts.append((cx * cos - cy * sin, cx * sin + cy * cos, angle - theta))
    if len(pts) < 12:
        return lambda x, y: 0.0
    a = np.asarray(pts)
    design = np.column_stack([np.ones(len(a)), a[:, 0], a[:, 1]])
    coef = np.linalg.lstsq(design, a[:, 2], rcond=None)[0]
    resid = np.abs(design @ coef - a[:, 2])
    keep = resid <= max(3 * float(np.median(resid)), 0.005)
    if keep.sum() >= 12:
        coef = np.linalg.lstsq(design[keep], a[keep, 2], rcond=None)[0]
    c0, c1, c2 = (float(c) for c in coef)
    return lambda x, y: max(-0.1, min(0.1, c0 + c1 * x + c2 * y))  # ±6°: beyond that the fit is not the page


def _starts_with_value(text: str) -> bool:
    t = text.lstrip("<>≤≥*↑↓ ")
    return bool(t) and (t[0].isdigit() or t[0] in "+-±")


def _variants():
    """Ways to join a dot-matrix printer's dots into strokes: erosion by 2 and 3 px, erosion after 2× upscaling,
    and an opening (measured on rendered needle-printer pages: each reads names the others miss)."""
    import cv2

    k2, k3 = np.ones((2, 2), np.uint8), np.ones((3, 3), np.uint8)
    return (lambda g: cv2.erode(g, k2), lambda g: cv2.erode(g, k3),
            lambda g: cv2.erode(cv2.resize(g, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), k3),
            lambda g: cv2.morphologyEx(g, cv2.MORPH_OPEN, k3))


_VARIANTS = _variants()


def _reread_weak_names(img: np.ndarray, lines: list[list[tuple]], weak: list[tuple], is_name) -> None:
    """A row whose name cell was misread (尿菜 for 尿素, 肌肝 for 肌酐) or read with low confidence (one faint
    character such as 钾, 氯 or 磷 on a dot-matrix print) loses its name and with it the whole row. That cell is read
    again with its strokes thickened; a reading that is a known name replaces it. A weak box that still names
    nothing is kept with its best reading, so that the row is reported as an unknown item instead of dropped."""
    import cv2

    name_lefts = [ln[0][5] for ln in lines if len(ln) >= 2 and not _starts_with_value(ln[0][3])]
    if len(name_lefts) < 3:
        return
    margin = float(np.median(name_lefts))
    engine = _engine()
    from rapidocr.utils.process_img import get_rotate_crop_image

    def reread(box, text: str, score: float) -> tuple[str, float, bool]:
        """Several thickened readings of the crop; a known name is taken only when every variant that reads a
        known name reads the same one (氯 from one and 氟 from another: neither)."""
        crop = cv2.cvtColor(get_rotate_crop_image(img, np.asarray(box, dtype=np.float32)), cv2.COLOR_BGR2GRAY)
        best = (text.strip(), score, False)
        named: dict[str, float] = {}
        for make in _VARIANTS:
            try:
                r = engine.recognize_txt([_rec_ready(cv2.cvtColor(make(crop), cv2.COLOR_GRAY2BGR))])
            except Exception:  # noqa: BLE001 - a failed second look keeps the first reading
                continue
            t, sc = r.txts[0].strip(), float(r.scores[0])
            if t and is_name(t):
                named[t] = max(named.get(t, 0.0), sc)
            elif t and sc > best[1]:
                best = (t, sc, False)
        if len(named) == 1:
            t, sc = next(iter(named.items()))
            return t, max(sc, MIN_TEXT_SCORE), True
        if is_name(best[0]):  # a faint reading that is a name the variants did not confirm (铁 for 镁): no name
            return READING["unreadable_name"], best[1], False
        return best

    budget = 60  # second looks per page: a page has at most a few dozen rows
    for ln in lines[:200]:
        if budget <= 0:
            break
        if len(ln) < 2:
            continue
        first = ln[0]
        h = first[2]
        if not _starts_with_value(first[3]):
            if abs(first[5] - margin) < 1.5 * h and _starts_with_value(ln[1][3]) and not is_name(first[3]):
                budget -= 1
                text, score, known = reread(first[6], first[3], first[4])
                if known:
                    ln[0] = (*first[:3], text, score, *first[5:])
            continue
        near = [w for w in weak if abs(w[0] - first[0]) < 0.5 * max(h, w[2]) and w[5] < first[5]
                and abs(w[5] - margin) < 1.5 * h]
        if not near:
            continue
        budget -= 1
        w = min(near, key=lambda i: abs(i[5] - margin))
        text, score, _ = reread(w[6], w[3], w[4])
        if text and not _starts_with_value(text):
            ln.insert(0, (w[0], w[1], w[2], text, score, w[5], w[6]))


_GRADE_CELL = re.compile(r"^(?:-|\+{1,4}|[1-4]\+|±|\+-|\d+(?:\.\d+)?|"
                         + "|".join(map(re.escape, READING["result_words"])) + ")$")


def _reread_empty_results(img: np.ndarray, lines: list[list[tuple]], theta: float) -> None:
    """A dipstick row whose result is one small glyph (a lone "-" or "+") often has no box at all: the row then
    reads as name and reference only, and the reference would pass for the result. The result column of such a
    row is read again on its own; only a reading that is a result (a grade or a number) is kept."""
    from rapidocr.utils.process_img import get_rotate_crop_image

    cols = [(ln[1][5], ln[1][5] + _width(ln[1])) for ln in lines
            if len(ln) >= 3 and not _starts_with_value(ln[0][3]) and _GRADE_CELL.match(ln[1][3].strip())]
    if len(cols) < 3:
        return
    col_left = float(np.median([c[0] for c in cols]))
    col_right = float(np.median([c[1] for c in cols]))
    d = np.array([math.cos(theta), math.sin(theta)])
    engine = _engine()
    budget = 20
    for ln in lines[:200]:
        if budget <= 0:
            break
        if len(ln) < 2 or _starts_with_value(ln[0][3]) or _GRADE_CELL.match(ln[0][3].strip()):
            continue
        name, nxt = ln[0], ln[1]
        h = name[2]
        if not (name[5] + _width(name) < col_left - 0.2 * h and nxt[5] > col_right + 0.5 * h):
            continue  # something already stands in the result column, or the row is laid out otherwise
        budget -= 1
        b = name[6]  # the name box's top-left and bottom-left corners, moved along the row to the column
        tl = b[0] + (col_left - 0.3 * h - name[5]) * d
        bl = b[3] + (col_left - 0.3 * h - name[5]) * d
        w = (col_right - col_left + 0.6 * h) * d
        quad = np.array([tl, tl + w, bl + w, bl], dtype=np.float32)
        try:
            crop = get_rotate_crop_image(img, quad)
            r = engine.recognize_txt([_rec_ready(crop)])
        except Exception:  # noqa: BLE001 - a failed second look leaves the row as it was
            continue
        text, score = r.txts[0].strip(), float(r.scores[0])
        text = _DASHES.get(text, _GLYPHS.get(text, text))
        if _TRAILING_DOT.match(text):
            text = text[:-1]  # "1." for a lone "1": speckle beside a digit; a result never ends with a point
        if not (text and score >= MIN_TEXT_SCORE and _GRADE_CELL.match(text)) and _lone_dash(crop, h):
            text, score = "-", MIN_TEXT_SCORE  # the recognizer reads a lone short bar unreliably (一, or nothing)
        if text and score >= MIN_TEXT_SCORE and _GRADE_CELL.match(text):
            ln.insert(1, (name[0], (name[1] + nxt[1]) / 2, h, text, score, col_left, quad))


_TRAILING_DOT = re.compile(r"^\d+[.,]$")
_DASHES = dict.fromkeys(READING["dash_readings"], "-")
# Whole cells that are a misread grade glyph: "士"/"土" for "±" (a cell, never a word: 土 inside a name stays).
_GLYPHS = dict.fromkeys(READING["plus_minus_readings"], "±")


def _lone_dash(crop: np.ndarray, h: float) -> bool:
    """The strip holds one short horizontal bar and nothing else: a printed "-" (negative)."""
    import cv2

    g = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    if int(g.max()) - int(g.min()) < 60:
        return False  # no ink at all, or too faint to tell
    _, ink = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    marks = [st for st in stats[1:] if st[cv2.CC_STAT_AREA] >= 3]
    if len(marks) != 1:
        return False
    w, hh = marks[0][cv2.CC_STAT_WIDTH], marks[0][cv2.CC_STAT_HEIGHT]
    # A bar clearly wider than it is high (a small "-" photographed on a desk is 5×3 px; a speck or a point is
    # about as wide as high).
    return w >= 1.5 * hh and w >= 0.12 * h and hh <= 0.25 * h and w <= 0.8 * h


def _width(cell: tuple) -> float:
    """A cell's width along the row, from its box."""
    b = cell[6]
    return float(np.linalg.norm(np.asarray(b[1]) - np.asarray(b[0])))


class OcrText:
    """The text lines of a photo, top to bottom, with each line's lowest word confidence."""

    def __init__(self, lines: list[tuple[str, float]], img: np.ndarray):
        self.lines = lines
        self._img = img

    @cached_property
    def sharpness(self) -> float:
        """Variance of the Laplacian: below ~50 the photo is blurred. Computed only when a read fails and the
        message needs it (about 50 ms on a full page)."""
        return _sharpness_of(self._img)


def _sharpness_of(img: np.ndarray) -> float:
    gray = img.sum(axis=2, dtype=np.uint16).astype(np.float32)
    gray *= 1 / 3  # the channel mean, as before, without a float64 copy of the image
    return sharpness(gray)


def read_lines(data: bytes, is_name=None) -> OcrText:
    """OCR a photo into text lines. Raises ReportReadError when no text is found (parsing is parse.py's job)."""
    img = load_image(data, OCR_MAX_SIDE)
    check_budget("opening the photo")
    lines = [(t, s) for t, s, _ in ocr_lines(img, is_name)]
    check_budget("reading the text of the photo")
    if not lines:
        why = "the photo looks blurred" if _sharpness_of(img) < 50 else "no text was found"
        raise ReportReadError(f"could not read the photo ({why}): retake it in good light, flat, in focus, "
                              f"with the whole report in the frame")
    return OcrText(lines, img)
