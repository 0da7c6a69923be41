"""Lab-report layouts benchmark: eight page layouts of Chinese lab reports, read back through OCR.

    python -m benchmarks.report_layouts --images 1 --layouts standard_lis,urine_report

`benchmarks/synthetic_reports.py` renders one simple table. This module renders the same kind of
ground-truth reports in the layouts patients actually photograph -- LIS tables with other column
orders, 双栏 pages, 体检 grids, "名称(缩写)" names, faint dot-matrix prints, phone-app screenshots
and 尿常规 dipstick reports (whose names, 葡萄糖 GLU / 酮体 KET / 比重 SG / 酸碱度 pH / 红细胞 RBC,
are also blood tests) -- degrades them (the degradations of synthetic_reports plus `desk_photo`: a
page photographed on a desk), reads them with `parse_bytes` + `interpret_report`, and scores, by
layout and by degradation:

  recall          a truth row's item was recognised (matched by item_id, first occurrence)
  exact_value     its value_text was read exactly (spaces ignored), over all truth rows
  flag_accuracy   the engine's flag equals the expected flag, over recognised rows
  critical_recall truth critical rows read as critical
  false_critical  read items marked critical whose truth is not critical, or not in the truth at all

Expected flags come from the printed value and the printed interval ("normal" for a negative result
of an item whose normal result is negative, "positive" for trace/1+...), and critical_* when the value
is beyond a `kb.critical` limit for that item. The same reports are also read as plain text
(`parse_text`, in each layout's reading order) so that layouts can be compared without OCR.
Deterministic: every image is seeded with random.Random(f"layouts-{layout}-{degradation}-{i}").
"""
from __future__ import annotations

import io
import math
import random
import re
import statistics
import time
from dataclasses import dataclass, field

from benchmarks.synthetic_reports import DEGRADATIONS as _BASE_DEGRADATIONS
from benchmarks.synthetic_reports import Degradation, apply_degradation, cjk_font_path

PAGE = (1240, 1754)  # A4 at 150 dpi
DESK_PHOTO = "desk_photo"
DEGRADATION_NAMES = tuple(_BASE_DEGRADATIONS) + (DESK_PHOTO,)
CRITICAL_FRACTION = 1 / 8  # of quantitative rows, made critical on purpose

# ---------------------------------------------------------------------------------------------
# Report content


@dataclass
class Row:
    item_id: str
    name: str  # as printed
    code: str  # abbreviation (printed in its own column by some layouts)
    value_text: str
    unit: str
    interval: str
    flag: str  # printed arrow / letter, "" when none
    expected_flag: str  # normal/high/low/critical_high/critical_low/positive/negative
    critical: bool
    section: str = ""
    kind: str = "quantitative"


@dataclass
class Report:
    layout: str
    hospital: str
    title: str
    header: list[str]
    sections: list[tuple[str, list[Row]]]
    footer: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [r for _, rows in self.sections for r in rows]


# Printed intervals for items the KB gives only decision limits (or no interval) for.
_INTERVAL_OVERRIDE = {
    "glucose_fasting": (3.9, 6.1), "tc": (None, 5.2), "tg": (None, 1.7), "hdl_c": (1.0, None),  # ">1.00"
    "ldl_c": (None, 3.4), "hba1c": (4.0, 6.0), "tbil": (None, 26.0), "crp": (0.0, 10.0), "ctni": (None, 0.04),
    "d_dimer": (0.0, 0.5), "fdp": (0.0, 5.0), "afp": (0.0, 7.0), "cea": (0.0, 5.0), "urine_casts": (0.0, 1.0),
}

_DECIMALS = {
    "wbc": 2, "rbc": 2, "hgb": 0, "hct": 1, "mcv": 1, "mch": 1, "mchc": 0, "plt": 0, "rdw_cv": 1, "mpv": 1, "pdw": 1,
    "pct_plt": 3, "neut_pct": 1, "lymph_pct": 1, "mono_pct": 1, "eos_pct": 1, "baso_pct": 1, "neut_abs": 2,
    "lymph_abs": 2, "mono_abs": 2, "eos_abs": 2, "baso_abs": 2, "alt": 0, "ast": 0, "ggt": 0, "alp": 0, "ldh": 0,
    "ck": 0, "che": 0, "prealbumin": 0, "tp": 1, "alb": 1, "glb": 1, "ag_ratio": 2, "tbil": 1, "dbil": 1, "ibil": 1,
    "tba": 1, "urea": 2, "crea": 0, "ua": 0, "cysc": 2, "b2mg": 2, "glucose_fasting": 2, "tc": 2, "tg": 2, "hdl_c": 2,
    "ldl_c": 2, "k": 2, "na": 1, "cl": 1, "ca": 2, "mg": 2, "phos": 2, "tco2": 1, "anion_gap": 1, "pt": 1, "inr": 2,
    "aptt": 1, "tt": 1, "fibrinogen": 2, "d_dimer": 2, "fdp": 2, "tsh": 3, "ft3": 2, "ft4": 2, "tt3": 2, "tt4": 1,
    "crp": 2, "ctni": 3, "afp": 2, "cea": 2, "ferritin": 1, "hba1c": 1, "urine_specific_gravity": 3, "urine_ph": 1,
    "urine_rbc_hpf": 0, "urine_wbc_hpf": 0, "urine_casts": 0,
}
# Names as printed on Chinese reports (the KB's standard name is used otherwise).
_PRINTED_ZH = {
    "wbc": ["白细胞计数", "白细胞"], "rbc": ["红细胞计数", "红细胞"], "hgb": ["血红蛋白"], "plt": ["血小板计数", "血小板"],
    "hct": ["红细胞压积", "红细胞比容"], "neut_pct": ["中性粒细胞百分比", "中性粒细胞百分数"],
    "lymph_pct": ["淋巴细胞百分比", "淋巴细胞百分数"], "alt": ["丙氨酸氨基转移酶", "谷丙转氨酶"],
    "ast": ["天门冬氨酸氨基转移酶", "谷草转氨酶"], "glucose_fasting": ["葡萄糖", "空腹血糖"], "urea": ["尿素", "尿素氮"],
    "crea": ["肌酐"], "ua": ["尿酸"], "tco2": ["二氧化碳结合力", "总二氧化碳"], "k": ["钾", "钾(K)"], "na": ["钠"],
    "cl": ["氯"], "ca": ["钙"], "mg": ["镁"], "phos": ["磷", "无机磷"], "fibrinogen": ["纤维蛋白原"],
}
_CODE_VARIANTS = {"fibrinogen": ["Fbg", "FIB"], "glucose_fasting": ["GLU"], "d_dimer": ["D-D", "D-Dimer"],
                  "urea": ["UREA", "BUN"], "k": ["K"], "na": ["Na"], "cl": ["Cl"]}
_UNIT_PRINT = {"10^9/L": ["10^9/L", "×10^9/L", "10*9/L"], "10^12/L": ["10^12/L", "×10^12/L", "10*12/L"]}
# Comparator results: (item, printed value, expected flag before criticals)
_COMPARATORS = {"tsh": [("<0.005", "low"), (">100.000", "high")], "crp": [("<0.50", "normal")],
                "ctni": [("<0.010", "normal")], "d_dimer": [("<0.10", "normal")], "ferritin": [(">1500.0", "high")]}

# 尿常规: (item_id, printed name variants, kind, unit, printed interval)
URINE_ROWS = [
    ("urine_leukocyte_esterase", ["白细胞酯酶 LEU", "白细胞 LEU"], "qual", "", "阴性"),
    ("urine_nitrite", ["亚硝酸盐 NIT"], "qual", "", "阴性"),
    ("urine_urobilinogen", ["尿胆原 URO", "尿胆原 UBG"], "qual", "", "阴性"),
    ("urine_protein", ["尿蛋白 PRO", "蛋白质 PRO"], "qual", "", "阴性"),
    ("urine_ph", ["酸碱度 pH", "酸碱度 PH"], "quant", "", "4.5-8.0"),
    ("urine_occult_blood", ["隐血 BLD", "隐血 ERY", "潜血 BLD"], "qual", "", "阴性"),
    ("urine_specific_gravity", ["比重 SG"], "quant", "", "1.003-1.030"),
    ("urine_ketones", ["酮体 KET"], "qual", "", "阴性"),
    ("urine_bilirubin", ["胆红素 BIL"], "qual", "", "阴性"),
    ("urine_glucose", ["葡萄糖 GLU"], "qual", "", "阴性"),
    ("urine_rbc_hpf", ["红细胞(镜检) RBC", "红细胞（镜检） RBC"], "quant", "/HP", "0-3"),
    ("urine_wbc_hpf", ["白细胞(镜检) WBC", "白细胞（镜检） WBC"], "quant", "/HP", "0-5"),
    ("urine_casts", ["管型 CAST"], "quant", "/LP", "0-1"),
]

BLOOD_ROUTINE = ["wbc", "neut_pct", "lymph_pct", "mono_pct", "eos_pct", "baso_pct", "neut_abs", "lymph_abs", "mono_abs",
                 "eos_abs", "baso_abs", "rbc", "hgb", "hct", "mcv", "mch", "mchc", "rdw_cv", "plt", "mpv", "pdw", "pct_plt"]
LIVER = ["alt", "ast", "ggt", "alp", "tp", "alb", "glb", "ag_ratio", "tbil", "dbil", "ibil", "tba", "prealbumin", "che"]
KIDNEY = ["urea", "crea", "ua", "cysc", "b2mg"]
LIPIDS_GLU = ["glucose_fasting", "tc", "tg", "hdl_c", "ldl_c"]
ELECTROLYTES = ["k", "na", "cl", "ca", "mg", "phos", "tco2", "anion_gap"]
COAG = ["pt", "inr", "aptt", "tt", "fibrinogen", "d_dimer", "fdp"]
THYROID = ["tsh", "ft3", "ft4", "tt3", "tt4"]


def _panels(layout: str, rng: random.Random) -> list[tuple[str, list[str]]]:
    """Sections (heading, item ids) for one page of the given layout: 20-30 rows."""
    def pick(ids: list[str], n: int) -> list[str]:
        chosen = set(rng.sample(ids, min(n, len(ids))))
        return [i for i in ids if i in chosen]

    if layout == "standard_lis":
        return [("血常规(五分类)", BLOOD_ROUTINE + ["crp"])]
    if layout == "reordered":
        return [("肝功能", pick(LIVER, 12)), ("肾功能", KIDNEY[:4]), ("血脂血糖", LIPIDS_GLU + ["ldh", "ck"][: rng.randint(1, 2)])]
    if layout == "two_column":
        return [("生化全套", pick(LIVER, 11) + KIDNEY[:4] + LIPIDS_GLU + ELECTROLYTES[:6])]
    if layout == "checkup_grid":
        return [("血常规", ["wbc", "neut_pct", "lymph_pct", "rbc", "hgb", "hct", "mcv", "plt"]),
                ("肝功能", ["alt", "ast", "ggt", "tbil", "alb"]), ("肾功能", ["urea", "crea", "ua"]),
                ("血脂血糖", LIPIDS_GLU), ("甲状腺功能", ["tsh", "ft3", "ft4"]), ("肿瘤标志物", ["afp", "cea"])]
    if layout == "bracket_abbrev":
        return [("肝功能", pick(LIVER, 12)), ("肾功能", KIDNEY[:4]), ("电解质", ELECTROLYTES)]
    if layout == "dot_matrix":
        return [("凝血功能", COAG), ("电解质", ELECTROLYTES[:7]), ("血常规", ["wbc", "rbc", "hgb", "hct", "plt", "neut_pct"]),
                ("生化", ["glucose_fasting", "urea", "crea"])]
    if layout == "app_screenshot":
        return [("血常规", ["wbc", "neut_pct", "lymph_pct", "rbc", "hgb", "hct", "plt", "mcv"]), ("甲功五项", THYROID),
                ("血脂", ["tc", "tg", "hdl_c", "ldl_c"]), ("其他", ["glucose_fasting", "crp", "ctni", "ferritin"][: rng.randint(2, 4)])]
    if layout == "urine_report":
        return [("尿常规", [r[0] for r in URINE_ROWS]),
                ("肾功能+血糖", ["glucose_fasting", "urea", "crea", "ua", "cysc", "b2mg", "k"])]
    raise KeyError(layout)


def _fmt(x: float, d: int) -> str:
    return f"{x:.{d}f}"


def _interval_of(kb, item_id: str) -> tuple[float | None, float | None]:
    if item_id in _INTERVAL_OVERRIDE:
        return _INTERVAL_OVERRIDE[item_id]
    it = kb.items[item_id]
    ref = it.reference[0]
    return ref.low, ref.high


def _crit(kb, item_id: str):
    return next((c for c in kb.critical if c.item == item_id and c.min_age is None and c.max_age is None), None)


def expected_flag(kb, item_id: str, value_text: str, interval: str, kind: str = "quantitative") -> tuple[str, bool]:
    """The flag a correct reader gives: from the printed value and interval, then kb.critical limits."""
    if kind == "qual":
        neg = value_text in ("阴性", "-", "阴性(-)", "正常", "Normal", "NEG", "neg")
        return ("normal" if neg else "positive"), False
    cmp = value_text[0] if value_text[:1] in "<>" else None
    v = float(value_text.lstrip("<>"))
    m = re.fullmatch(r"([\d.]+)\s*(?:-{1,2}|～|~)\s*([\d.]+)", interval)
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
    else:
        m = re.fullmatch(r"([<>])\s*([\d.]+)", interval)
        lo, hi = (None, float(m.group(2))) if m.group(1) == "<" else (float(m.group(2)), None)
    if cmp == "<":
        flag = "low" if lo is not None and v <= lo else "normal"
    elif cmp == ">":
        flag = "high" if hi is not None and v >= hi else "normal"
    else:
        flag = "low" if lo is not None and v < lo else "high" if hi is not None and v > hi else "normal"
    c = _crit(kb, item_id)
    if c is not None:
        if c.above_reference and flag == "high":
            return "critical_high", True
        if cmp != ">" and c.low is not None and v < c.low and not (cmp == "<" and v > c.low):
            return "critical_low", True
        if cmp != "<" and c.high is not None and v > c.high:
            return "critical_high", True
    return flag, False


def _value(kb, item_id: str, lo, hi, mode: str, rng: random.Random) -> float:
    it = kb.items[item_id]
    c = _crit(kb, item_id)
    plaus = it.plausible or (0.0, 1e9)
    lo0 = lo if lo is not None else hi * 0.3  # "<5.20": normal values are not near zero
    hi0 = hi if hi is not None else lo0 * 1.8
    span = hi0 - lo0 or max(hi0, 1.0)
    if mode == "critical_high":
        if c.above_reference:
            return hi0 * rng.uniform(3, 60)
        return min(c.high * rng.uniform(1.08, 1.5), plaus[1] * 0.9)
    if mode == "critical_low":
        return max(c.low * rng.uniform(0.55, 0.92), plaus[0] * 1.1 + 0.01)
    if mode == "high":
        v = hi0 + span * rng.uniform(0.08, 0.6)
        if c is not None and c.high is not None:
            v = min(v, hi0 + (c.high - hi0) * 0.9)
        if c is not None and c.above_reference:
            return rng.uniform(lo0, hi0)  # any high troponin is critical: keep the planned count
        return v
    if mode == "low" and lo is not None and lo > 0:
        v = lo - span * rng.uniform(0.08, 0.35)
        floor = c.low + (lo - c.low) * 0.15 if c is not None and c.low is not None else lo * 0.3
        return max(v, floor)
    return rng.uniform(lo0 + 0.05 * span, hi0 - 0.05 * span)


def _printed_name(kb, item_id: str, style: str, rng: random.Random) -> tuple[str, str]:
    it = kb.items[item_id]
    zh = rng.choice(_PRINTED_ZH.get(item_id, [it.name.zh]))
    code = rng.choice(_CODE_VARIANTS.get(item_id, [it.code]))
    if style == "zh":
        return zh, code
    if style == "zh_code":
        return f"{zh} {code}", code
    if style == "bracket":
        return (f"{zh}({code})" if rng.random() < 0.7 else f"{zh}（{code}）"), code
    if style == "mixed":
        r = rng.random()
        return (zh if r < 0.45 else f"{zh} {code}" if r < 0.8 else f"{zh}({code})"), code
    raise KeyError(style)


_LAYOUT_STYLE = {  # name style, flag style, interval separator
    "standard_lis": ("mixed", "arrow", "-"), "reordered": ("zh", "arrow", "-"), "two_column": ("zh", "arrow", "-"),
    "checkup_grid": ("zh", "arrow", "～"), "bracket_abbrev": ("bracket", "arrow", "-"), "dot_matrix": ("zh", "HL", "--"),
    "app_screenshot": ("zh", "arrow", "-"), "urine_report": ("zh_code", "arrow", "-"),
}


def _flag_text(flag: str, style: str, rng: random.Random) -> str:
    if flag in ("normal", "negative"):
        return ""
    if style == "HL":
        return {"high": "H", "low": "L", "critical_high": "HH", "critical_low": "LL", "positive": "*"}[flag]
    double = rng.random() < 0.5
    return {"high": "↑", "low": "↓", "critical_high": "↑↑" if double else "↑", "critical_low": "↓↓" if double else "↓",
            "positive": "↑"}[flag]


def make_report(kb, layout: str, rng: random.Random) -> Report:
    """A report for one page of `layout`, with ground truth on every row."""
    name_style, flag_style, sep = _LAYOUT_STYLE[layout]
    sections_ids = _panels(layout, rng)
    quant = [i for _, ids in sections_ids for i in ids if not i.startswith("urine_")
             or i in ("urine_specific_gravity", "urine_ph", "urine_rbc_hpf", "urine_wbc_hpf", "urine_casts")]
    can_crit = [i for i in quant if _crit(kb, i) is not None]
    n_crit = min(len(can_crit), max(1, round(len(quant) * CRITICAL_FRACTION)))
    crit_ids = set(rng.sample(can_crit, n_crit))
    sections = []
    for heading, ids in sections_ids:
        rows = []
        for item_id in ids:
            if item_id.startswith("urine_"):
                rows.append(_urine_row(kb, item_id, flag_style, sep, rng))
                continue
            lo, hi = _interval_of(kb, item_id)
            d = _DECIMALS.get(item_id, 2)
            if lo is None:
                interval = f"<{_fmt(hi, d)}" if rng.random() < 0.5 else f"{_fmt(0, d)}{sep}{_fmt(hi, d)}"
            elif hi is None:
                interval = f">{_fmt(lo, d)}"
            else:
                interval = f"{_fmt(lo, d)}{sep}{_fmt(hi, d)}"
            if item_id in crit_ids:
                c = _crit(kb, item_id)
                modes = ([m for m, ok in (("critical_low", c.low is not None), ("critical_high", c.high is not None
                                                                                  or c.above_reference)) if ok])
                value_text = _fmt(_value(kb, item_id, lo, hi, rng.choice(modes), rng), d)
            elif item_id in _COMPARATORS and rng.random() < 0.45:
                value_text = rng.choice(_COMPARATORS[item_id])[0]
            else:
                mode = rng.choices(["normal", "high", "low"], [0.62, 0.23, 0.15])[0]
                value_text = _fmt(_value(kb, item_id, lo, hi, mode, rng), d)
            if float(value_text.lstrip("<>")) == 0 and d > 0:
                value_text = _fmt(10 ** -d, d)
            interval_eval = interval.replace("～", "-").replace("--", "-")
            flag, crit = expected_flag(kb, item_id, value_text, interval_eval)
            name, code = _printed_name(kb, item_id, name_style, rng)
            unit = kb.items[item_id].unit or ""
            unit = rng.choice(_UNIT_PRINT.get(unit, [unit]))
            rows.append(Row(item_id, name, code, value_text, unit, interval, _flag_text(flag, flag_style, rng),
                            flag, crit, heading))
        sections.append((heading, rows))
    urine = layout == "urine_report"
    sex, age = "男", rng.randint(25, 80)  # the printed intervals are the adult male ones
    dept = rng.choice(["内科门诊", "体检中心", "肾内科", "急诊科"])
    specimen = "尿液" if urine else rng.choice(["静脉血", "血清", "全血"])
    sampled = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(7, 11):02d}:{rng.randint(0, 59):02d}"
    header = [f"姓名：{rng.choice('张王李赵刘陈杨黄')}某某   性别：{sex}   年龄：{age}岁   科别：{dept}",
              f"标本：{specimen}   样本号：{rng.randint(1000, 99999)}   采样时间：{sampled}"]
    hospital = rng.choice(["某某市第一人民医院", "某某大学附属医院", "某某区中心医院", "某某市中医院"])
    title = {"urine_report": "尿液分析报告单", "checkup_grid": "健康体检报告 检验结果", "app_screenshot": "报告详情"}.get(layout, "检验报告单")
    footer = ["检验者：李某   审核者：王某   报告时间：2025-06-18 14:20", "注：本报告仅对所检标本负责，↑偏高 ↓偏低"]
    return Report(layout, hospital, title, header, sections, footer)


def _urine_row(kb, item_id: str, flag_style: str, sep: str, rng: random.Random) -> Row:
    _, names, kind, unit, interval = next(r for r in URINE_ROWS if r[0] == item_id)
    name = rng.choice(names)
    code = name.split()[-1]
    if kind == "qual":
        neg = rng.choice(["阴性", "-", "阴性", "阴性(-)"]) if item_id != "urine_urobilinogen" else rng.choice(["阴性", "正常", "-"])
        value_text = rng.choices([neg, "±", "1+", "2+", "3+"], [0.64, 0.09, 0.12, 0.1, 0.05])[0]
        if item_id == "urine_urobilinogen" and value_text == "正常":
            interval = "正常"
    else:
        d = _DECIMALS[item_id]
        hi = float(interval.split("-")[1])
        if item_id == "urine_specific_gravity":
            v = rng.choice([rng.uniform(1.005, 1.028), rng.uniform(1.005, 1.028), 1.035, 1.002])
        elif item_id == "urine_ph":
            v = rng.choice([5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.5])
        else:
            v = rng.choice([0, 1, 2, hi, rng.randint(int(hi) + 2, 8 if item_id == "urine_casts" else 60)])
        value_text = _fmt(v, d)
        interval = interval.replace("-", sep if sep != "--" else "-")
    flag, crit = expected_flag(kb, item_id, value_text, interval.replace("～", "-"), "qual" if kind == "qual" else "quantitative")
    return Row(item_id, name, code, value_text, unit, interval, _flag_text(flag, flag_style, rng), flag, crit,
               "尿常规", "qualitative" if kind == "qual" else "quantitative")


# ---------------------------------------------------------------------------------------------
# Layouts


def _font(size: int, mono: bool = False):
    from PIL import ImageFont

    path = cjk_font_path()
    if path is None:
        raise RuntimeError("no CJK font found (install fonts-wqy-microhei)")
    try:
        return ImageFont.truetype(path, size, index=1 if mono else 0)
    except OSError:
        return ImageFont.truetype(path, size)


def _cell(row: Row, key: str, idx: int) -> str:
    return {"name": row.name, "code": row.code, "value": row.value_text, "flag": row.flag, "unit": row.unit,
            "interval": row.interval, "idx": str(idx)}[key]


def _page_header(d, report: Report, y: int, size: int, width: int = PAGE[0]) -> int:
    big, small = _font(size + 12), _font(size - 2)
    w = d.textlength(report.hospital + report.title, font=big)
    d.text(((width - w) / 2, y), report.hospital + report.title, font=big, fill=0)
    y += size + 30
    for line in report.header:
        d.text((60, y), line, font=small, fill=0)
        y += size + 10
    d.line((50, y + 4, width - 50, y + 4), fill=0, width=2)
    return y + 16


def _table(d, report: Report, cols: list[tuple[str, int, str]], x0: int, y: int, font, line_h: int,
           rows: list[Row] | None = None, grid: bool = False, headings: bool = True, right=(), start_idx: int = 1) -> int:
    """Draw rows in columns (key, width, header); returns the y after the table."""
    total_w = sum(w for _, w, _ in cols)
    size = font.size

    def draw_row(cells: list[str], y: int, bold: bool = False):
        x = x0
        for (key, w, _), text in zip(cols, cells):
            tx = x + 6
            if key in right:
                tx = x + w - 8 - d.textlength(text, font=font)
            d.text((tx, y + (line_h - size) // 2 - 2), text, font=font, fill=0)
            if bold:
                d.text((tx + 1, y + (line_h - size) // 2 - 2), text, font=font, fill=0)
            if grid:
                d.line((x, y, x, y + line_h), fill=0, width=1)
            x += w
        if grid:
            d.line((x, y, x, y + line_h), fill=0, width=1)
            d.line((x0, y + line_h, x0 + total_w, y + line_h), fill=0, width=1)

    if grid:
        d.line((x0, y, x0 + total_w, y), fill=0, width=1)
    draw_row([h for _, _, h in cols], y, bold=True)
    if not grid:
        d.line((x0, y + line_h, x0 + total_w, y + line_h), fill=0, width=1)
    y += line_h
    sections = [("", rows)] if rows is not None else report.sections
    idx = start_idx
    for heading, srows in sections:
        if heading and headings:
            if grid:
                d.rectangle((x0, y, x0 + total_w, y + line_h), outline=0, fill=235)
            d.text((x0 + 8, y + (line_h - size) // 2 - 2), f"【{heading}】" if not grid else heading, font=font, fill=0)
            y += line_h
        for r in srows:
            draw_row([_cell(r, k, idx) for k, _, _ in cols], y)
            idx += 1
            y += line_h
    if not grid:
        d.line((x0, y + 2, x0 + total_w, y + 2), fill=0, width=1)
    return y


def _fit_line_h(report: Report, top: int, bottom: int, extra_rows: int, lo: int, hi: int) -> int:
    n = len(report.rows) + len(report.sections) + extra_rows
    return max(lo, min(hi, (bottom - top) // max(n, 1)))


def _footer(d, report: Report, y: int, size: int):
    f = _font(size - 4)
    y = max(y + 30, PAGE[1] - 110)
    for line in report.footer:
        d.text((60, y), line, font=f, fill=0)
        y += size + 4


def _one_table_page(report: Report, rng: random.Random, sizes: list[int], cols: list[tuple[str, int, str]], x0: int,
                    line_h: tuple[int, int], grid: bool = False):
    """A page with the header, one table of every row and the footer: the layouts differ only in their columns."""
    from PIL import Image, ImageDraw

    img = Image.new("L", PAGE, 255)
    d = ImageDraw.Draw(img)
    size = rng.choice(sizes)
    y = _page_header(d, report, 50, size)
    lh = _fit_line_h(report, y, PAGE[1] - 160, 1, *line_h)
    y = _table(d, report, cols, x0, y, _font(size), lh, grid=grid)
    _footer(d, report, y, size)
    return img


def render_standard_lis(report: Report, rng: random.Random):
    cols = [("name", 440, "项目名称"), ("value", 150, "结果"), ("flag", 60, ""), ("unit", 190, "单位"), ("interval", 250, "参考区间")]
    return _one_table_page(report, rng, [22, 24], cols, 60, (40, 56))


def render_reordered(report: Report, rng: random.Random):
    cols = [("idx", 50, "No"), ("code", 130, "代号"), ("name", 330, "项目名称"), ("interval", 210, "参考区间"),
            ("value", 150, "结果"), ("flag", 60, "提示"), ("unit", 170, "单位")]
    return _one_table_page(report, rng, [22, 24], cols, 50, (40, 56))


def render_two_column(report: Report, rng: random.Random):
    from PIL import Image, ImageDraw

    img = Image.new("L", PAGE, 255)
    d = ImageDraw.Draw(img)
    size = 20
    y = _page_header(d, report, 50, 22)
    rows = report.rows
    half = (len(rows) + 1) // 2
    lh = max(40, min(56, (PAGE[1] - 160 - y) // (half + 1)))
    cols = [("name", 230, "项目"), ("value", 95, "结果"), ("flag", 30, ""), ("unit", 95, "单位"), ("interval", 115, "参考值")]
    font = _font(size)
    y1 = _table(d, report, cols, 40, y, font, lh, rows=rows[:half])
    _table(d, report, cols, 40 + 565 + 30, y, font, lh, rows=rows[half:])
    d.line((620, y, 620, y1), fill=120, width=1)
    _footer(d, report, y1, 22)
    return img


def render_checkup_grid(report: Report, rng: random.Random):
    cols = [("idx", 60, "序号"), ("name", 360, "检查项目"), ("value", 150, "检查结果"), ("flag", 70, "提示"),
            ("unit", 170, "单位"), ("interval", 250, "参考范围")]
    return _one_table_page(report, rng, [21, 23], cols, 60, (38, 50), grid=True)


def render_bracket_abbrev(report: Report, rng: random.Random):
    cols = [("idx", 50, ""), ("name", 440, "检验项目"), ("value", 140, "结果"), ("flag", 50, ""), ("interval", 230, "参考区间"),
            ("unit", 180, "单位")]
    return _one_table_page(report, rng, [22, 24], cols, 50, (40, 56))


def render_dot_matrix(report: Report, rng: random.Random):
    """A needle printer: monospaced text on a character grid, dotted strokes, faint ribbon."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    img = Image.new("L", PAGE, 255)
    d = ImageDraw.Draw(img)
    size = 24
    font = _font(size, mono=True)
    adv = size // 2 + 1  # half-width cell; CJK characters take two cells

    def put(x: int, y: int, text: str):
        for ch in text:
            d.text((x, y), ch, font=font, fill=0)
            x += adv * (2 if ord(ch) > 0x2e7f else 1)

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2e7f else 1 for ch in text)

    y = 50
    put(int((PAGE[0] - adv * width(report.hospital + report.title)) / 2), y, report.hospital + report.title)
    y += 60
    for line in report.header:
        put(60, y, line)
        y += 40
    lh = _fit_line_h(report, y, PAGE[1] - 170, 3, 38, 50)
    cols = [("name", 22, "项目"), ("value", 10, "结果"), ("flag", 4, ""), ("unit", 10, "单位"), ("interval", 14, "参考范围")]
    put(60, y, "-" * 80)
    y += lh // 2
    x = 60
    for _, w, h in cols:
        put(x, y, h)
        x += w * adv
    y += lh
    put(60, y - lh // 3, "-" * 80)
    y += lh // 2
    for heading, rows in report.sections:
        put(60, y, f"<{heading}>")
        y += lh
        for r in rows:
            x = 60
            for key, w, _ in cols:
                put(x, y, _cell(r, key, 0))
                x += w * adv
            y += lh
    put(60, y, "-" * 80)
    for line in report.footer:
        y += 40
        put(60, y, line)
    arr = np.asarray(img, dtype=np.float32)
    yy, xx = np.mgrid[0:PAGE[1], 0:PAGE[0]]
    dots = (yy % 3 == 0) | ((xx % 4 == 0) & (yy % 2 == 0))  # the gaps between needle passes and dots
    drop = np.random.default_rng(rng.randrange(1 << 30)).random(arr.shape) < 0.2
    ink = arr < 128
    arr = np.where(ink & ~dots & ~drop, rng.uniform(50, 90), 255).astype(np.uint8)  # a worn ribbon: grey, not black
    return Image.fromarray(arr).filter(ImageFilter.GaussianBlur(0.6))


def render_app_screenshot(report: Report, rng: random.Random):
    """A hospital app's result page: one card per result, value and arrow right-aligned, grey background."""
    from PIL import Image, ImageDraw

    w = 1080
    card_h, gap, top = 96, 14, 230
    n = len(report.rows) + len(report.sections)
    h = max(PAGE[1], top + n * (card_h + gap) + 80)
    img = Image.new("RGB", (w, h), (242, 243, 245))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 150), fill=(255, 255, 255))
    title = _font(40)
    tw = d.textlength(report.title, font=title)
    d.text(((w - tw) / 2, 40), report.title, font=title, fill=(20, 20, 20))
    d.text((40, 110), f"{report.hospital}  {report.header[0].split('   ')[1]}  {report.header[0].split('   ')[2]}", font=_font(24),
           fill=(110, 110, 110))
    y = 170
    big, small, val = _font(34), _font(24), _font(38)
    for heading, rows in report.sections:
        d.text((40, y + 10), heading, font=_font(28), fill=(90, 90, 90))
        y += 60
        for r in rows:
            d.rounded_rectangle((24, y, w - 24, y + card_h), radius=18, fill=(255, 255, 255))
            d.text((50, y + 10), r.name, font=big, fill=(25, 25, 25))
            d.text((50, y + 56), f"参考范围 {r.interval} {r.unit}".rstrip(), font=small, fill=(140, 140, 140))
            abnormal = bool(r.flag)
            color = (220, 50, 50) if abnormal else (25, 25, 25)
            arrow = r.flag
            aw = d.textlength(arrow, font=val) if arrow else 0
            x_end = w - 60
            if arrow:
                d.text((x_end - aw, y + 24), arrow, font=val, fill=color)
                x_end -= aw + 10
            vw = d.textlength(r.value_text, font=val)
            d.text((x_end - vw, y + 24), r.value_text, font=val, fill=color)
            y += card_h + gap
    return img


def render_urine_report(report: Report, rng: random.Random):
    from PIL import Image, ImageDraw

    img = Image.new("L", PAGE, 255)
    d = ImageDraw.Draw(img)
    size = rng.choice([22, 24])
    y = _page_header(d, report, 50, size)
    font = _font(size)
    lh = _fit_line_h(report, y, PAGE[1] - 200, 3, 40, 54)
    cols = [("name", 380, "项目"), ("value", 160, "结果"), ("flag", 60, "提示"), ("interval", 240, "参考值"), ("unit", 150, "单位")]
    # 颜色/透明度 come first on a 尿常规 but have no truth row: the reader must not trip on them
    d.text((66, y), f"颜色：{rng.choice(['淡黄色', '黄色'])}      透明度：{rng.choice(['清亮', '微浑'])}", font=font, fill=0)
    y += lh
    y = _table(d, report, cols, 60, y, font, lh)
    _footer(d, report, y, size)
    return img


LAYOUTS = {
    "standard_lis": render_standard_lis,
    "reordered": render_reordered,
    "two_column": render_two_column,
    "checkup_grid": render_checkup_grid,
    "bracket_abbrev": render_bracket_abbrev,
    "dot_matrix": render_dot_matrix,
    "app_screenshot": render_app_screenshot,
    "urine_report": render_urine_report,
}


def report_text(report: Report) -> str:
    """The report as plain text lines, in the reading order of its layout (what a perfect OCR would give)."""
    lines = [report.hospital + report.title, *report.header]
    layout = report.layout
    order = {"reordered": ["idx", "code", "name", "interval", "value", "flag", "unit"],
             "bracket_abbrev": ["idx", "name", "value", "flag", "interval", "unit"],
             "checkup_grid": ["idx", "name", "value", "flag", "unit", "interval"],
             "urine_report": ["name", "value", "flag", "interval", "unit"]}.get(layout, ["name", "value", "flag", "unit", "interval"])
    row_text = lambda r, i: "  ".join(t for t in (_cell(r, k, i) for k in order) if t)
    if layout == "two_column":
        rows = report.rows
        half = (len(rows) + 1) // 2
        lines.append("项目  结果  单位  参考值  项目  结果  单位  参考值")
        for i in range(half):
            pair = [row_text(rows[i], 0)] + ([row_text(rows[half + i], 0)] if half + i < len(rows) else [])
            lines.append("    ".join(pair))
    elif layout == "app_screenshot":
        for heading, rows in report.sections:
            lines.append(heading)
            for r in rows:
                lines.append(f"{r.name}  {r.value_text}{(' ' + r.flag) if r.flag else ''}")
                lines.append(f"参考范围 {r.interval} {r.unit}".rstrip())
    else:
        i = 1
        if layout == "urine_report":
            lines.append("颜色：淡黄色      透明度：清亮")
        for heading, rows in report.sections:
            lines.append(f"【{heading}】")
            for r in rows:
                lines.append(row_text(r, i))
                i += 1
    lines += report.footer
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Degradations


def _texture(size: tuple[int, int], rng: random.Random):
    """A darker desk: wood-like streaks and grain."""
    import numpy as np
    from PIL import Image, ImageFilter

    w, h = size
    g = np.random.default_rng(rng.randrange(1 << 30))
    base = np.array(rng.choice([(96, 72, 52), (70, 70, 74), (120, 98, 76), (55, 48, 44)]), dtype=np.float32)
    streak = g.normal(0, 1, (h, 1)).repeat(w, axis=1)
    streak = np.asarray(Image.fromarray(((streak + 4) * 25).clip(0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(3)), dtype=np.float32) / 25 - 4
    grain = g.normal(0, 6, (h, w))
    arr = base[None, None, :] + (streak * 8 + grain)[:, :, None]
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8), "RGB")


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """Coefficients for Image.transform(PERSPECTIVE): output point in `dst` quad → input point in `src`."""
    import numpy as np

    a, b = [], []
    for (x, y), (u, v) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return list(np.linalg.solve(np.array(a, dtype=float), np.array(b, dtype=float)))


def desk_photo(img, rng: random.Random) -> bytes:
    """The page lying on a desk, photographed: perspective, slight rotation, uneven light, JPEG q60."""
    import numpy as np
    from PIL import Image, ImageFilter

    page = img.convert("RGB")
    pw, ph = page.size
    cw, ch = int(pw * 1.22), int(ph * 1.16)
    canvas = _texture((cw, ch), rng)
    # corners of the page in the photo: a trapezoid (camera tilted), jittered, then rotated a little
    cx, cy = cw / 2, ch / 2
    tilt = rng.uniform(0.03, 0.07) * pw  # the far (top) edge looks narrower
    j = lambda: rng.uniform(-0.012, 0.012) * pw
    quad = [(cx - pw / 2 + tilt + j(), cy - ph / 2 + j()), (cx + pw / 2 - tilt + j(), cy - ph / 2 + j()),
            (cx + pw / 2 + j(), cy + ph / 2 + j()), (cx - pw / 2 + j(), cy + ph / 2 + j())]
    scale = rng.uniform(0.9, 0.96)
    ang = math.radians(rng.uniform(-3.0, 3.0))
    quad = [(cx + ((x - cx) * math.cos(ang) - (y - cy) * math.sin(ang)) * scale,
             cy + ((x - cx) * math.sin(ang) + (y - cy) * math.cos(ang)) * scale) for x, y in quad]
    coeffs = _perspective_coeffs(quad, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = page.transform((cw, ch), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", (pw, ph), 255).transform((cw, ch), Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    shadow = mask.filter(ImageFilter.GaussianBlur(12))
    canvas = Image.composite(Image.new("RGB", (cw, ch), (25, 20, 18)), canvas, shadow.point(lambda p: p * 0.5))
    canvas.paste(warped, (0, 0), mask)
    # uneven light: a gradient from a random direction plus a soft shadow blob (a hand or a phone)
    arr = np.asarray(canvas, dtype=np.float32)
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    theta = rng.uniform(0, 2 * math.pi)
    t = ((xx - cx) * math.cos(theta) + (yy - cy) * math.sin(theta)) / (0.5 * math.hypot(cw, ch))
    light = 0.85 + 0.17 * t
    sx, sy, sr = rng.uniform(0, cw), rng.uniform(0, ch), rng.uniform(0.2, 0.4) * cw
    light *= 1 - 0.25 * np.exp(-(((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * sr * sr)))
    tint = np.array([1.0, 0.97, 0.9], dtype=np.float32)  # warm indoor light
    arr = arr * light[:, :, None] * tint[None, None, :]
    arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 4, arr.shape)
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(0.5))
    buf = io.BytesIO()
    out.save(buf, format="JPEG", quality=60)
    return buf.getvalue()


def degrade(img, degradation: str, rng: random.Random) -> tuple[bytes, str]:
    """Image bytes and a file name for one degradation (synthetic_reports' steps, or a page on a desk)."""
    if degradation == DESK_PHOTO:
        return desk_photo(img, rng), "photo.jpg"
    deg: Degradation = _BASE_DEGRADATIONS[degradation]
    return apply_degradation(img, deg, rng), "photo.jpg" if deg.jpeg_quality else "photo.png"


def render(report: Report, degradation: str, rng: random.Random) -> tuple[bytes, str]:
    return degrade(LAYOUTS[report.layout](report, rng), degradation, rng)


# ---------------------------------------------------------------------------------------------
# Scoring


class _Tally:
    def __init__(self):
        self.items = self.found = self.exact = self.flag_ok = self.crit = self.crit_found = self.false_crit = 0
        self.images = 0
        self.seconds: list[float] = []

    def add(self, o: _Tally):
        for k in ("items", "found", "exact", "flag_ok", "crit", "crit_found", "false_crit", "images"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        self.seconds += o.seconds

    def out(self) -> dict:
        r = lambda a, b: round(a / b, 4) if b else None
        d = {"images": self.images, "items": self.items, "recall": r(self.found, self.items),
             "exact_value": r(self.exact, self.items), "flag_accuracy": r(self.flag_ok, self.found),
             "critical_rows": self.crit, "critical_recall": r(self.crit_found, self.crit), "false_critical": self.false_crit}
        if self.seconds:
            d["seconds_p50"] = round(statistics.median(self.seconds), 2)
        return d


def score(report: Report, items, where: str) -> tuple[_Tally, list[str]]:
    """Compare the truth rows of `report` with interpreted items (objects with item_id/value_text/flag/critical)."""
    t = _Tally()
    t.images = 1
    misses = []
    got: dict = {}
    for it in items:
        if it.item_id:
            got.setdefault(it.item_id, it)
    truth = {r.item_id: r for r in report.rows}
    for r in report.rows:
        t.items += 1
        t.crit += r.critical
        it = got.get(r.item_id)
        if it is None:
            misses.append(f"{where}: {r.name} {r.value_text} [{r.item_id}] → not read")
            continue
        t.found += 1
        ok_val = it.value_text.replace(" ", "") == r.value_text.replace(" ", "")
        if r.value_text == "阴性(-)":  # the engine may keep either half of "阴性(-)"
            ok_val = ok_val or it.value_text.strip() in ("阴性", "-")
        ok_flag = it.flag == r.expected_flag
        t.exact += ok_val
        t.flag_ok += ok_flag
        t.crit_found += r.critical and it.critical
        if not ok_val or not ok_flag or (r.critical and not it.critical):
            misses.append(f"{where}: {r.name} {r.value_text} {r.interval} [{r.item_id} {r.expected_flag}] → "
                          f"{it.value_text!r} {it.flag}{' critical' if it.critical else ''}"
                          f" (printed {getattr(it, 'printed_name', '?')!r})")
    for it in items:
        if not it.critical:
            continue
        tr = truth.get(it.item_id)
        if tr is None or not tr.critical:
            t.false_crit += 1
            misses.append(f"{where}: FALSE CRITICAL {it.item_id} {it.value_text!r} {it.flag} "
                          f"(printed {getattr(it, 'printed_name', '?')!r}; truth {tr.item_id + ' ' + tr.expected_flag if tr else 'absent'})")
    return t, misses


def _pick_misses(per_cell: dict[str, list[str]], n: int = 20) -> list[str]:
    """Up to n misses, taken round-robin across cells so that every layout is shown."""
    out, queues = [], [list(v) for v in per_cell.values() if v]
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


# `make bench`: one page per layout on a clean scan, a phone photo and a page photographed on a desk (OCR is the slow
# part: about 24 pages); the command line runs any grid.
BENCH_DEGRADATIONS = ("clean", "phone_photo", "desk_photo")


def run(images_per_cell: int = 3, layouts=None, degradations=BENCH_DEGRADATIONS, ocr: bool = True,
        all_misses: bool = False) -> dict:
    from wenzhen.kb.lab_loader import default_lab_kb
    from wenzhen.reports import interpret_report, parse_bytes, parse_text

    from .common import Skip

    if cjk_font_path() is None:
        raise Skip("no CJK font: install fonts-wqy-microhei")
    kb = default_lab_kb()
    layouts = list(layouts or LAYOUTS)
    degradations = list(degradations or DEGRADATION_NAMES)
    by_layout = {k: _Tally() for k in layouts}
    by_deg = {k: _Tally() for k in degradations}
    text_by_layout = {k: _Tally() for k in layouts}
    overall, text_overall = _Tally(), _Tally()
    cells: dict = {}
    misses: dict[str, list[str]] = {}
    text_misses: dict[str, list[str]] = {}
    for layout in layouts:
        for deg in degradations:
            cell = _Tally()
            for i in range(images_per_cell):
                rng = random.Random(f"layouts-{layout}-{deg}-{i}")
                report = make_report(kb, layout, rng)
                # text mode: the same report as plain text
                rep = interpret_report(parse_text(report_text(report), kb), kb=kb)
                tt, tm = score(report, rep.items, f"text/{layout}")
                text_by_layout[layout].add(tt)
                text_overall.add(tt)
                text_misses.setdefault(layout, []).extend(tm)
                if not ocr:
                    continue
                data, fname = render(report, deg, rng)
                t0 = time.perf_counter()
                try:
                    rep = interpret_report(parse_bytes(data, kb, fname), kb=kb)
                    read = rep.items
                except Exception as e:  # noqa: BLE001 - a refused photo scores as nothing read
                    read = []
                    misses.setdefault(f"{layout}/{deg}", []).append(f"{layout}/{deg}: photo refused: {e}")
                dt = time.perf_counter() - t0
                t, m = score(report, read, f"{layout}/{deg}")
                t.seconds.append(dt)
                cell.add(t)
                misses.setdefault(f"{layout}/{deg}", []).extend(m)
            if ocr:
                cells.setdefault(layout, {})[deg] = cell.out()
                by_layout[layout].add(cell)
                by_deg[deg].add(cell)
                overall.add(cell)
    out: dict = {"images_per_cell": images_per_cell, "layouts": layouts, "degradations": degradations}
    if ocr:
        out["ocr_overall"] = overall.out()
        out["ocr_by_layout"] = {k: v.out() for k, v in by_layout.items()}
        out["ocr_by_degradation"] = {k: v.out() for k, v in by_deg.items()}
        out["ocr_cells"] = cells
        out["misses"] = _pick_misses(misses)
        if all_misses:
            out["all_misses"] = misses
    out["text_overall"] = text_overall.out()
    out["text_by_layout"] = {k: v.out() for k, v in text_by_layout.items()}
    out["text_misses"] = _pick_misses(text_misses)
    if all_misses:
        out["all_text_misses"] = text_misses
    return out


if __name__ == "__main__":
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", type=int, default=3, help="images per layout × degradation cell")
    ap.add_argument("--layouts", default="", help="comma-separated, e.g. standard_lis,urine_report (default: all)")
    ap.add_argument("--degradations", default="", help=f"comma-separated from {','.join(DEGRADATION_NAMES)} (default: all)")
    ap.add_argument("--text-only", action="store_true", help="skip OCR: score the plain-text rendering only")
    ap.add_argument("--all-misses", action="store_true", help="list every miss, by cell")
    ap.add_argument("--save", default="", help="also write the rendered images of the first cell image to this folder")
    a = ap.parse_args()
    lay = [x for x in a.layouts.split(",") if x] or None
    degs = [x for x in a.degradations.split(",") if x] or list(DEGRADATION_NAMES)
    if a.save:
        from pathlib import Path

        from wenzhen.kb.lab_loader import default_lab_kb

        Path(a.save).mkdir(parents=True, exist_ok=True)
        _kb = default_lab_kb()
        for L in lay or LAYOUTS:
            for D in degs:
                _rng = random.Random(f"layouts-{L}-{D}-0")
                _data, _fn = render(make_report(_kb, L, _rng), D, _rng)
                Path(a.save, f"{L}-{D}{Path(_fn).suffix}").write_bytes(_data)
    print(json.dumps(run(a.images, lay, degs, ocr=not a.text_only, all_misses=a.all_misses), ensure_ascii=False, indent=1))
