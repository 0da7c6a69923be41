"""Read reports: pasted text, CSV/Excel, JSON, FHIR, text PDFs and photos (OCR).

Every reader produces a ParsedReport: result rows (name, value, unit, interval, printed
flag, the line they came from) plus the lines that are not results (conclusions).
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
import unicodedata
from pathlib import Path

from wenzhen.kb.lab_loader import LabKnowledgeBase
from wenzhen.kb.units import UNIT_TOKEN, try_parse_unit

from ..budget import check_budget
from .models import ParsedReport, PatientContext, RawResult, ReportReadError
from .names import NameIndex, name_index
from .panels import INTERVAL_SEP, NUMBER, READING, panel_index, resolve_panels

MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 200_000
# Bounded work per report: a lab or check-up report has tens to a few hundred items; a file with far more
# lines is not one report, and reading it would tie up the server.
MAX_ROWS = 3_000
MAX_ITEMS = 400
MAX_PDF_PAGES = 50


def _check_items(results: list) -> None:
    if len(results) > MAX_ITEMS:
        raise ReportReadError(f"{len(results)} results in one file; one report has at most {MAX_ITEMS}: upload the "
                              f"reports one by one")


def _too_many_rows(n: int) -> ReportReadError:
    return ReportReadError(f"the file has more than {MAX_ROWS} lines or rows; one report has at most a few hundred "
                           f"items: upload the report itself, or split the export")

_NUM = NUMBER
_SEP = INTERVAL_SEP
# Not inside a longer number (the 1.5 of 11.5); a point after a word is a speck on the photo (参考范围.0.27-4.200).
_RANGE = re.compile(rf"(?<!\d)(?<!\d\.)({_NUM})\s*{_SEP}\s*({_NUM})(?![\d.])")
_COMPARATOR_NUM = re.compile(rf"(<=|>=|≤|≥|<|>|＜|＞|小于|大于|低于|高于)\s*({_NUM})")
_QUAL = re.compile(
    r"(弱阳性|阳性|阴性|未检出|检出|正常|异常|reactive|non-?reactive|positive|negative|trace|"
    r"neg|pos|[+]{1,4}(?![\d])|\d\+|±|\+-|(?<![^\s(（])-(?=\s|$|\))|微量|少量)",  # a lone "-", not a hyphen (Y-谷氨酰…)
    re.IGNORECASE,
)
_PLAIN_NUM = re.compile(rf"(?<![\w.^/*~])({_NUM})(?![\d.]*\s*(?:-|~|～|–|—|至|到)\s*\d)")
_FLAG = re.compile(r"(↑↑|↓↓|↑|↓|▲|▼|(?<![A-Za-z/])(?:HH|LL|H|L)(?![A-Za-z/])|偏高|偏低|升高|降低|\*)")
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}[.、)\s]\s*|[*#★☆※]+\s*)")
# name, then a number, then somewhere an interval: a result row even when the name is unknown
_UNKNOWN_ROW = re.compile(rf"^([A-Za-z\u4e00-\u9fff][^\d<>≤≥:：]{{0,30}}?)\s+[<>≤≥]?\s*{_NUM}\b.*?{_NUM}\s*{_SEP}\s*{_NUM}")
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SEX = re.compile(r"(?:性\s*别|sex|gender)\s*[:：]?\s*(男|女|male|female|M|F)(?![A-Za-z])", re.IGNORECASE)
_AGE = re.compile(r"(?:年\s*龄|age)\s*[:：]?\s*(\d{1,3})\s*(岁|y|years?)?", re.IGNORECASE)
_AGE_MONTHS = re.compile(r"(?:年\s*龄|age)\s*[:：]?\s*(\d{1,2})\s*(?:个)?月")


def _nfkc(s: str) -> str:
    # Keep μ as the Greek letter; NFKC turns the micro sign into it, which is what we want.
    return unicodedata.normalize("NFKC", s).replace("\u3000", " ")


def header_context(lines: list[str]) -> tuple[PatientContext, str | None]:
    """Sex, age and date from the report's header lines (性别：男  年龄：45岁  采样时间 2025-03-01)."""
    sex = age = date = None
    for line in lines[:40]:
        if sex is None and (m := _SEX.search(line)):
            sex = "male" if m.group(1).lower() in ("男", "male", "m") else "female"
        if age is None and (m := _AGE_MONTHS.search(line)):
            age = int(m.group(1)) / 12
        elif age is None and (m := _AGE.search(line)):
            if 0 < int(m.group(1)) < 130:
                age = float(m.group(1))
        if date is None and (m := _DATE.search(line)):
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                date = f"{y:04d}-{mo:02d}-{d:02d}"
    return PatientContext(sex=sex, age_years=age), date


_REFERENCE_LABEL = re.compile(rf"(?:{'|'.join(READING['reference_labels'])})\s*[:：]?\s*$", re.IGNORECASE)


def parse_segment(segment: str) -> tuple[str, str | None, str | None, str | None, str | None] | None:
    """What follows a name: (value_text, comparator, unit, interval_text, flag) or None if no value."""
    # "125-35010*9/L": OCR glued an interval's end to the unit's power; a space gives the interval back.
    rest = _GLUED_POWER.sub(r"\1 \2", segment)
    interval = None
    # Intervals first so that their numbers are not taken as the result.
    ranges = list(_RANGE.finditer(rest))
    found = []
    labelled = None  # a number a reference label introduces ("参考范围<0.040")
    # Numbers are looked for with every count-unit power blanked out ("10^9/L", and as OCR reads it: "10Λ9/L",
    # "10412/L"): its digits are never the result.
    scan = _POWER_TOKEN.sub(lambda p: " " * len(p.group(0)), rest)
    for m in re.finditer(rf"{_COMPARATOR_NUM.pattern}|{_QUAL.pattern}|{_NUM}", scan, re.IGNORECASE):
        if any(r.start() <= m.start() < r.end() for r in ranges):
            continue
        # a number glued to a unit power (10^9) or to a unit is not a value
        if re.match(r"10\s*[\^*~eE]", rest[m.start():m.start() + 4]) and m.start() > 0 and rest[m.start() - 1] in "×xX* ":
            continue
        if _POWER_EXPONENT.search(rest, 0, m.start()):  # the 9 of "×10^9/L" or "10*9/L" is part of the unit
            continue
        if rest[:m.start()].rstrip().endswith("×"):  # "×10412/L", "×1019/": OCR's 10^12, 10^9 after the times sign
            continue
        if labelled is None and _REFERENCE_LABEL.search(rest, 0, m.start()):
            labelled = m.group(0).strip()
            continue
        found.append(m)
        if len(found) == 2:
            break
    if not found:
        return None
    value_m = found[0]
    comparator_interval = None
    if len(found) == 2 and _COMPARATOR_NUM.fullmatch(found[0].group(0).strip()) \
            and re.fullmatch(_NUM, found[1].group(0).strip()):
        # "甘油三酯 <1.70 1.53": a layout printing the interval before the result; the plain number is the result
        comparator_interval, value_m = found[0].group(0).strip(), found[1]
    value_text = value_m.group(0).strip()
    after = rest[value_m.end():]
    before = rest[:value_m.start()]
    comparator = None
    if (c := _COMPARATOR_NUM.fullmatch(value_text)):
        comparator = {"≤": "<=", "≥": ">=", "＜": "<", "＞": ">", "小于": "<", "低于": "<", "大于": ">", "高于": ">"}.get(
            c.group(1), c.group(1))
        value_text = c.group(2)
    # interval: a range after the value, else a comparator or qualitative word after it
    for r in ranges:
        if r.start() >= value_m.end() or r.end() <= value_m.start():
            interval = r.group(0)
            break
    if interval is None and comparator_interval:
        interval = comparator_interval
    if interval is None and labelled:
        interval = labelled
    if interval is None:
        m = _COMPARATOR_NUM.search(after)
        if m:
            interval = m.group(0)
        else:
            m = re.search(r"(阴性|阳性|negative|positive|未检出)", after, re.IGNORECASE)
            if m and re.fullmatch(_QUAL.pattern, value_text, re.IGNORECASE):
                interval = m.group(1)
    unit = None
    for m in UNIT_TOKEN.finditer(after + " " + before):
        u = m.group(0).strip()
        if m.start() > 0 and (after + " " + before)[m.start() - 1].isascii() and (after + " " + before)[m.start() - 1].isalpha():
            continue  # "wg/L": the tail of a misread word is not a unit the row can be judged by
        if try_parse_unit(u):
            unit = u
            break
    flag = None
    scrub = after
    if interval:
        scrub = scrub.replace(interval, " ")
    if unit:
        scrub = scrub.replace(unit, " ")
    m = _FLAG.search(scrub)
    if m:
        flag = m.group(1)
    return value_text, comparator, unit, interval, flag


def parse_text(text: str, kb: LabKnowledgeBase, source_format: str = "text",
               confidences: dict[int, float] | None = None) -> ParsedReport:
    if len(text) > MAX_TEXT_CHARS:
        raise ReportReadError(f"text too long ({len(text)} characters; the limit is {MAX_TEXT_CHARS})")
    index = name_index(kb)
    lines = [_nfkc(line) for line in text.splitlines()]
    if len(lines) > MAX_ROWS:
        raise _too_many_rows(len(lines))
    patient, date = header_context(lines)
    results: list[RawResult] = []
    others: list[str] = []
    panels = panel_index(kb)
    section = None
    for n, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        rows = _parse_line(stripped, index)
        if rows:
            for r in rows:
                r.section = section
                if confidences and n in confidences:
                    r.confidence = confidences[n]
            results.extend(rows)
        else:
            others.append(stripped)
            section = panels.heading(stripped) or section
    _check_items(results)
    return resolve_panels(ParsedReport(results=results, text_lines=others, patient=patient, date=date,
                                       source_format=source_format), kb)


_WORD_RESULT = re.compile(r"[\s:：]*([^\s\d:：()（）]{1,10})")
_GLUED_POWER = re.compile(r"(\d)(10[^\d\s.,/]\d{1,2}\s*/\s*[lL])")
_POWER_TOKEN = re.compile(r"10\s*[^\d\s.,/]?\s*\d{1,3}\s*/\s*[lL](?![a-zA-Z])")
_POWER_EXPONENT = re.compile(r"10\s*[\^*]\s*$")
_RATIO_SIGNS = tuple(READING["ratio_signs"])
_RATIO_WORD = re.compile(rf"\s*(?:{'|'.join(map(re.escape, READING['ratio_words']))})", re.I)
_RATIO_BEFORE = re.compile(r"([A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff-]{0,11})\s*[/／]\s*$")


def _parse_line(line: str, index: NameIndex) -> list[RawResult]:
    body = _NUMBERING.sub("", line)
    hits = index.find(body)
    if not hits:
        m = _UNKNOWN_ROW.match(body)
        if m:  # looks like a result row, but the name is not in the knowledge base: report it, do not drop it
            parsed = parse_segment(body[m.end(1):])
            if parsed:
                value_text, comparator, unit, interval, flag = parsed
                name = m.group(1).strip()
                # one character misread (中性粮细胞百分数): the items it can be; with several (台细胞: 白细胞 or
                # 红细胞) the row's unit decides in resolve_panels, or it stays unknown
                near = index.nearly(name)
                return [RawResult(name=name, value_text=(comparator or "") + value_text, unit=unit,
                                  interval_text=interval, flag_text=flag, line=line,
                                  item_id=near[0] if len(near) == 1 else None, candidates=list(near),
                                  near_name=bool(near))]
        return []
    # "白细胞计数 (WBC)": neighbouring names of one item are one name
    merged: list[list] = []
    for hit in hits:
        gap = body[merged[-1][2]:hit.start].strip(" \t") if merged else None
        shared = [c for c in merged[-1][3] if c in hit.candidates] if merged else []
        if merged and shared and not body[merged[-1][2]:hit.start].strip(" \t()（）[]【】/:："):
            # "白细胞(镜检) WBC": both names may mean urine white cells, so that is what they mean together
            merged[-1][2:] = [hit.end, tuple(shared)]
            merged[-1][0] = shared[0]
        elif merged and gap in _RATIO_SIGNS:
            # 谷草/谷丙, AST/ALT比值: a ratio of two items is neither; without its own item it is an unknown row.
            tail = _RATIO_WORD.match(body, hit.end)
            merged[-1][:] = [None, merged[-1][1], tail.end() if tail else hit.end, ()]
        else:
            merged.append([hit.item_id, hit.start, hit.end, hit.candidates])
    # "AST/ALT比值": a name right after "word/" is the second half of a ratio (its first half is not read as an
    # item: a Latin name before "/" looks like a unit's numerator).
    if merged and merged[0][0] is not None and (before := _RATIO_BEFORE.search(body, 0, merged[0][1])):
        if set(index.candidates(before.group(1))) & set(merged[0][3]):
            merged[0][1] = before.start(1)  # "HGB/血红蛋白": two names of one item
        else:
            tail = _RATIO_WORD.match(body, merged[0][2])
            merged[0][:] = [None, before.start(1), tail.end() if tail else merged[0][2], ()]
    out = []
    for i, (item_id, start, end, candidates) in enumerate(merged):
        seg_end = merged[i + 1][1] if i + 1 < len(merged) else len(body)
        segment = body[end:seg_end]
        if segment[:1] in ("-", "+", "⁻", "⁺") and segment[1:2] in (" ", "\t", ")", "）"):
            segment = " " + segment[1:]  # HCO3-, K+: the sign belongs to the name
        parsed = parse_segment(segment)
        if parsed is None and index.worded.intersection(candidates) and (w := _WORD_RESULT.match(segment)):
            parsed = (w.group(1), None, None, None, None)  # 颜色 黄色, 性状 稀糊状: a result in words
        if parsed is None:
            continue
        value_text, comparator, unit, interval, flag = parsed
        name = body[start:end].strip(" :：")
        # keep a closing bracket that belongs to the name: 血红蛋白(HGB)
        tail = re.match(r"\s*[)）\]】]", segment)
        if tail and ("(" in name or "（" in name) and ")" not in name and "）" not in name:
            name += tail.group(0).strip()
        vt = (comparator or "") + value_text if comparator else value_text
        out.append(RawResult(name=name, value_text=vt, unit=unit, interval_text=interval, flag_text=flag,
                             line=line, item_id=item_id, candidates=list(candidates)))
    # merge "白细胞计数 WBC": two hits for one item where the first has no value
    return _dedupe(out)


def _dedupe(rows: list[RawResult], by_unit: bool = False) -> list[RawResult]:
    """One row per (item, value[, unit]): a PDF's table and its text layer repeat the same results."""
    seen: set[tuple] = set()
    out = []
    for r in rows:
        key = (r.item_id, r.value_text, r.unit) if by_unit else (r.item_id, r.value_text)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


# ---------------------------------------------------------------- tables (CSV, Excel, PDF)
_HEADERS = {
    "name": ("项目", "项目名称", "检验项目", "检查项目", "名称", "中文名称", "检测项目", "item", "test", "name", "analyte"),
    "code": ("代号", "英文", "缩写", "简称", "code", "abbr", "英文名称", "英文缩写"),
    "value": ("结果", "检验结果", "测定结果", "测定值", "检测结果", "数值", "result", "value"),
    "unit": ("单位", "unit", "units"),
    "interval": ("参考区间", "参考范围", "参考值", "参考值范围", "正常值", "reference", "range", "ref", "reference interval", "normal range"),
    "flag": ("提示", "标志", "异常提示", "结果提示", "flag", "abnormal", "状态", "h/l"),
}


def _header_map(row: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        c = re.sub(r"\s+", "", _nfkc(str(cell or ""))).lower()
        for key, names in _HEADERS.items():
            if key not in found and c in names:
                found[key] = i
    return found if "name" in found and "value" in found else None


def parse_rows(rows: list[list[str]], kb: LabKnowledgeBase, source_format: str) -> ParsedReport:
    """Rows of cells, with or without a header row; columns in any order."""
    if len(rows) > MAX_ROWS:
        raise _too_many_rows(len(rows))
    index = name_index(kb)
    cells_text = ["  ".join(str(c) for c in r if c not in (None, "")) for r in rows]
    patient, date = header_context(cells_text)
    results: list[RawResult] = []
    others: list[str] = []
    header: dict[str, int] | None = None
    panels = panel_index(kb)
    section = None
    for row, joined in zip(rows, cells_text):
        cells = [_nfkc(str(c)).strip() if c is not None else "" for c in row]
        if not any(cells):
            continue
        h = _header_map(cells)
        if h:
            header = h
            continue
        if header:
            r = _row_from_header(cells, header, index, joined)
            if r:
                r.section = section
                results.append(r)
                continue
        got = _parse_line(_nfkc(joined), index)
        if got:
            for r in got:
                r.section = section
            results.extend(got)
        else:
            others.append(_nfkc(joined))
            section = panels.heading(_nfkc(joined)) or section
    _check_items(results)
    return resolve_panels(ParsedReport(results=results, text_lines=others, patient=patient, date=date,
                                       source_format=source_format), kb)


def _row_from_header(cells: list[str], h: dict[str, int], index: NameIndex, joined: str) -> RawResult | None:
    def cell(key: str) -> str:
        i = h.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    name, value = cell("name"), cell("value")
    if not name or not value:
        return None
    candidates = index.candidates(name) or (index.candidates(cell("code")) if cell("code") else ())
    item_id = candidates[0] if candidates else None
    flag = cell("flag") or None
    m = re.match(r"^\s*(.*?)\s*(↑↑|↓↓|↑|↓|▲|▼|HH|LL|H|L)\s*$", value)
    if m and m.group(1):  # "12.5↑" in one cell
        value, flag = m.group(1), flag or m.group(2)
    return RawResult(name=name, value_text=value, unit=cell("unit") or None, interval_text=cell("interval") or None,
                     flag_text=flag, line=_nfkc(joined), item_id=item_id, candidates=list(candidates))


def parse_csv(data: bytes, kb: LabKnowledgeBase) -> ParsedReport:
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    try:  # stop early, not after a million rows
        rows = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), dialect), MAX_ROWS + 1))
    except csv.Error as e:
        raise ReportReadError(f"cannot read the file as a table (CSV): {e}") from e
    return parse_rows(rows, kb, "csv")


def optional_module(name: str, extra: str):
    """Import a reader that ships as an extra; a missing one is a clear, actionable read error."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as e:
        raise ReportReadError(f"reading this kind of file needs the '{extra}' extra, which is not installed "
                              f"(pip install 'wenzhen[{extra}]'); paste the report as text instead") from e


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
MAX_XLSX_UNPACKED = 30 * 1024 * 1024  # bytes of XML inside the zip: a report is far smaller; a zip bomb is not


def _check_xlsx(data: bytes) -> None:
    """Refuse an oversized workbook from its zip directory and sheet headers, before parsing any XML."""
    import zipfile

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ReportReadError(f"cannot open the Excel file: {e}") from e
    with z:
        infos = z.infolist()
        if sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
            raise ReportReadError("the Excel file unpacks to more than 30 MB; one report is far smaller: export the "
                                  "report itself")
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with z.open(info) as f:
                    m = _DIMENSION.search(f.read(4096))
                if m and m.group(1) and int(m.group(1)) > MAX_ROWS:
                    raise _too_many_rows(int(m.group(1)))


def parse_excel(data: bytes, kb: LabKnowledgeBase) -> ParsedReport:
    openpyxl = optional_module("openpyxl", "documents")
    if data[:2] == b"PK":
        _check_xlsx(data)

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for damaged files
        raise ReportReadError(f"cannot open the Excel file: {e}") from e
    rows: list[list[str]] = []
    for ws in wb.worksheets:
        for r in ws.iter_rows(values_only=True):
            rows.append(["" if c is None else str(c) for c in r[:50]])  # a report has a handful of columns
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(len(rows))
    return parse_rows(rows, kb, "excel")


def parse_pdf(data: bytes, kb: LabKnowledgeBase) -> ParsedReport:
    pdfplumber = optional_module("pdfplumber", "documents")

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many types for damaged files
        raise ReportReadError(f"cannot open the PDF: {e}") from e
    rows: list[list[str]] = []
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise ReportReadError(f"the PDF has {len(pdf.pages)} pages; the limit is {MAX_PDF_PAGES}")
        for n, page in enumerate(pdf.pages, 1):
            check_budget(f"reading page {n} of the PDF")
            tables = page.extract_tables()
            text = page.extract_text(layout=True) or ""
            table_rows = [[c or "" for c in r] for t in tables for r in t]
            if table_rows:
                rows.extend(table_rows)
                # text outside tables still carries header and conclusions
                rows.extend([[line] for line in text.splitlines()])
            else:
                rows.extend([[line] for line in text.splitlines()])
    if not any(any(c.strip() for c in r) for r in rows):
        raise ReportReadError("the PDF contains no text layer (a scan?): export its pages as images and upload those")
    parsed = parse_rows(rows, kb, "pdf")
    parsed.results = _dedupe(parsed.results, by_unit=True)
    return parsed


def parse_json(data: bytes | str, kb: LabKnowledgeBase) -> ParsedReport:
    try:
        obj = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ReportReadError(f"not valid JSON: {e}") from e
    if isinstance(obj, dict) and obj.get("resourceType") in ("Bundle", "Observation", "DiagnosticReport"):
        from .fhir import parse_fhir

        return parse_fhir(obj, kb)
    items = obj.get("items") or obj.get("results") if isinstance(obj, dict) else obj
    if not isinstance(items, list):
        raise ReportReadError('JSON must be a list of results or {"items": [...]} with name and value for each')
    index = name_index(kb)
    results = []
    for i, it in enumerate(items):
        if not isinstance(it, dict) or "name" not in it or "value" not in it:
            raise ReportReadError(f"JSON result {i}: needs at least 'name' and 'value'")
        name = str(it["name"])
        results.append(RawResult(
            name=name, value_text=str(it["value"]), unit=it.get("unit"),
            interval_text=it.get("reference") or it.get("interval") or it.get("range"),
            flag_text=it.get("flag"), line=json.dumps(it, ensure_ascii=False)[:300],
            item_id=index.lookup(name) or (index.lookup(str(it["code"])) if it.get("code") else None)))
    patient = PatientContext()
    date = None
    if isinstance(obj, dict):
        p = obj.get("patient") or {}
        try:
            patient = PatientContext.model_validate(p) if p else PatientContext()
        except ValueError as e:
            raise ReportReadError(f"JSON patient: {e}") from e
        date = obj.get("date")
    _check_items(results)
    return ParsedReport(results=results, patient=patient, date=date, source_format="json",
                        text_lines=[str(x) for x in obj.get("conclusions", [])] if isinstance(obj, dict) else [])


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportReadError("this looks like a binary file, not text")
    for enc in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            if enc == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ReportReadError("cannot decode the text (tried UTF-8, UTF-16 and GB18030)")


IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")


def sniff_format(data: bytes, filename: str | None = None) -> str:
    ext = Path(filename or "").suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(IMAGE_MAGIC) or ext in (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"):
        return "image"
    if data.startswith(b"PK\x03\x04") or ext in (".xlsx", ".xlsm"):
        return "excel"
    if ext == ".csv" or ext == ".tsv":
        return "csv"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith((b"{", b"[")) or ext == ".json":
        return "json"
    return "text"


def parse_image(data: bytes, kb: LabKnowledgeBase) -> ParsedReport:
    """A photo: OCR gives the lines (reports/ocr.py, imported only here: it needs the OCR extra), then they
    are parsed like text, with each line's confidence kept."""
    for dep in ("numpy", "PIL", "rapidocr", "onnxruntime"):
        optional_module(dep, "ocr")
    from .ocr import read_lines

    index = name_index(kb)
    ocr = read_lines(data, is_name=lambda t: bool(index.candidates(t)))
    text = "\n".join(_undo_number_slips(t) for t, _ in ocr.lines)
    confidences = {n: s for n, (_, s) in enumerate(ocr.lines)}
    parsed = parse_text(text, kb, source_format="image", confidences=confidences)
    _doubt_lone_grades(parsed)
    mean_conf = sum(s for _, s in ocr.lines) / len(ocr.lines)
    low = [t for t, s in ocr.lines if s < 0.6]
    if not parsed.results:
        hint = "; the photo looks blurred" if ocr.sharpness < 50 or mean_conf < 0.7 else ""
        raise ReportReadError(
            f"no lab results could be read from the photo ({len(ocr.lines)} text lines found, mean confidence "
            f"{mean_conf:.0%}{hint}): retake it flat, in focus and in good light, or paste the text")
    if low:
        parsed.warnings.append(f"{len(low)} line(s) of the photo were read with low confidence and may be wrong or "
                               f"missing: " + " | ".join(low[:5]))
    return parsed


# An interval bound whose decimal point a photo lost ("3.50~~5 30": a needle printer's point is one faint dot),
# inside one OCR box (cells are joined by two spaces): the other bound has as many decimals as the space leaves.
_LOST_POINT_HIGH = re.compile(rf"(?<![\d.])(\d+\.(\d+)\s*{_SEP}\s*\d+) (\d+)(?![\d.])")
_LOST_POINT_LOW = re.compile(rf"(?<![\d.])(\d+) (\d+)(\s*{_SEP}\s*\d+\.(\d+))(?![\d.])")


# A letter the recognizer put inside a number (0.G9 for 0.69, 1O5 for 105): only between digits, or between a
# digit's point and a digit.
_LETTER_IN_NUMBER = re.compile(r"(?:(?<=\d)|(?<=\d\.))[OoGSB](?=\d)|(?<=\d)[OoGSB](?=\.\d)")
_LETTER_DIGITS = {"O": "0", "o": "0", "G": "6", "S": "5", "B": "8"}


def _undo_number_slips(line: str) -> str:
    """What a photo's recognizer typically does to the numbers of a row, undone (the patterns above)."""
    line = _LETTER_IN_NUMBER.sub(lambda m: _LETTER_DIGITS[m.group(0)], line)
    line = _LOST_POINT_HIGH.sub(lambda m: f"{m.group(1)}.{m.group(3)}" if len(m.group(3)) == len(m.group(2))
                                else m.group(0), line)
    return _LOST_POINT_LOW.sub(lambda m: f"{m.group(1)}.{m.group(2)}{m.group(3)}" if len(m.group(2)) == len(m.group(4))
                               else m.group(0), line)


def _doubt_lone_grades(parsed: ParsedReport) -> None:
    """On a photo, a dipstick row printed with its reference (尿蛋白 - 阴性) whose small result glyph OCR lost
    reads the reference as the result, and a lost "+" would pass as negative. When most grade rows of the photo
    carry a reference and one does not, its result is in doubt."""
    graded = [r for r in parsed.results if _QUAL.fullmatch(r.value_text.strip())]
    with_reference = [r for r in graded if r.interval_text]
    if len(with_reference) >= 2 and len(with_reference) * 2 > len(graded):
        for r in graded:
            if not r.interval_text:
                r.doubtful = True


def parse_bytes(data: bytes, kb: LabKnowledgeBase, filename: str | None = None, fmt: str | None = None) -> ParsedReport:
    """Read any supported input. Raises ReportReadError with a reason a user can act on."""
    if not data:
        raise ReportReadError("the file is empty")
    if len(data) > MAX_BYTES:
        raise ReportReadError(f"the file is too large ({len(data) // 1024} KB; the limit is {MAX_BYTES // 1024 // 1024} MB)")
    fmt = fmt or sniff_format(data, filename)
    if fmt == "pdf":
        return parse_pdf(data, kb)
    if fmt == "image":
        return parse_image(data, kb)
    if fmt == "excel":
        return parse_excel(data, kb)
    if fmt == "csv":
        return parse_csv(data, kb)
    if fmt == "json":
        return parse_json(data, kb)
    text = decode_text(data)
    # A pasted CSV is still a CSV.
    if text.count(",") > 3 and "\n" in text and _looks_like_csv(text):
        return parse_csv(data, kb)
    return parse_text(text, kb)


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()][:10]
    return len(lines) >= 2 and all(line.count(",") >= 2 for line in lines)
