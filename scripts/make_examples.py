"""Example files for the README's commands, generated rather than hand-made: a phone photo of a lab report, and two
reports of the same person six months apart (a PDF with a text layer and a photo) for trends.

    python scripts/make_examples.py examples        # or: make examples

Deterministic (fixed seeds); needs Pillow, fpdf2 and a CJK font (Debian's fonts-wqy-microhei)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic_reports import DEGRADATIONS, apply_degradation, cjk_font_path  # noqa: E402

HEADER = "姓名：王某   性别：女   年龄：58岁   标本：静脉血"
# Two visits of one person: anaemia improving on iron, kidney function and potassium worse.
VISITS = {
    "2025-03-12": [("白细胞计数 WBC", "5.8", "", "×10^9/L", "3.5-9.5"), ("血红蛋白 HGB", "88", "↓", "g/L", "115-150"),
                   ("平均红细胞体积 MCV", "71.5", "↓", "fL", "82-100"), ("血小板 PLT", "232", "", "×10^9/L", "125-350"),
                   ("肌酐 CREA", "96", "↑", "μmol/L", "41-81"), ("钾 K", "5.4", "↑", "mmol/L", "3.5-5.3"),
                   ("谷丙转氨酶 ALT", "35", "", "U/L", "7-40"), ("糖化血红蛋白 HbA1c", "7.4", "↑", "%", "4.0-6.0")],
    "2025-09-18": [("白细胞计数 WBC", "6.1", "", "×10^9/L", "3.5-9.5"), ("血红蛋白 HGB", "104", "↓", "g/L", "115-150"),
                   ("平均红细胞体积 MCV", "78.0", "↓", "fL", "82-100"), ("血小板 PLT", "215", "", "×10^9/L", "125-350"),
                   ("肌酐 CREA", "128", "↑", "μmol/L", "41-81"), ("钾 K", "5.9", "↑", "mmol/L", "3.5-5.3"),
                   ("谷丙转氨酶 ALT", "31", "", "U/L", "7-40"), ("糖化血红蛋白 HbA1c", "6.9", "↑", "%", "4.0-6.0")],
}
COLUMNS = ("项目", "结果", "", "单位", "参考区间")
X = (40, 420, 540, 600, 780)  # px on the photo; the PDF scales them


def photo(rows, date: str, seed: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(cjk_font_path(), 24)
    title = ImageFont.truetype(cjk_font_path(), 32)
    img = Image.new("L", (1000, 200 + 48 * (len(rows) + 3)), 255)
    d = ImageDraw.Draw(img)
    d.text((300, 30), "某某市人民医院检验报告单", font=title, fill=0)
    d.text((40, 90), f"{HEADER}   采样时间：{date}", font=font, fill=0)
    y = 150
    for x, h in zip(X, COLUMNS):
        d.text((x, y), h, font=font, fill=0)
    d.line((30, y + 38, 970, y + 38), fill=0)
    for row in rows:
        y += 48
        for x, cell in zip(X, row):
            d.text((x, y), cell, font=font, fill=0)
    return apply_degradation(img, DEGRADATIONS["phone_photo"], random.Random(seed))


def pdf(rows, date: str) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.add_font("cjk", fname=cjk_font_path())
    doc.set_font("cjk", size=16)
    doc.cell(0, 12, "某某市人民医院检验报告单", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("cjk", size=10)
    doc.cell(0, 8, f"{HEADER}   采样时间：{date}", new_x="LMARGIN", new_y="NEXT")
    for row in [COLUMNS, *rows]:
        for x, cell in zip(X, row):
            doc.set_x(10 + x * 0.19)
            doc.cell(30, 8, cell)
        doc.ln(8)
    return bytes(doc.output())


def main(out: Path) -> None:
    if cjk_font_path() is None:
        raise SystemExit("make_examples: no CJK font (apt-get install fonts-wqy-microhei)")
    out.mkdir(parents=True, exist_ok=True)
    (first, rows1), (second, rows2) = VISITS.items()
    (out / "report-photo.jpg").write_bytes(photo(rows2, second, "example-photo"))
    (out / f"report-{first}.pdf").write_bytes(pdf(rows1, first))
    (out / f"report-{second}.jpg").write_bytes(photo(rows2, second, "example-trend"))
    print(f"wrote {out}/report-photo.jpg, report-{first}.pdf, report-{second}.jpg")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples"))
