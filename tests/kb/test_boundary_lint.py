"""Medical facts live in the knowledge base (wenzhen/kb/data), not in Python.

1. No clinical threshold in code: a comparison of a clinical measurement (age, GCS, blood pressure, heart rate,
   temperature, SpO2, glucose, potassium, pain score, creatinine, gestation…) with a number literal fails.
2. Chinese text in string literals outside the KB may only shrink: each file is held to the count it had when
   this test was written (tests/data/cjk_string_baseline.yaml); new patient-facing or clinical Chinese goes into
   a data or messages file. Docstrings are not counted.
"""
import ast
import io
import re
import tokenize
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "wenzhen"
CLINICAL_NAMES = re.compile(
    r"^(?:age|age_years|gcs|sbp|dbp|hr|heart_rate|rr|resp_rate|temp|temp_c|temperature|spo2|glucose|glucose_mmol|"
    r"potassium|potassium_mmol|pain|pain_score|creatinine|egfr|gestational_weeks|weeks_pregnant|bmi|hb|hemoglobin|"
    r"shock_index|news2|qsofa)$")
CJK = re.compile(r"[\u4e00-\u9fff]")
BASELINE = ROOT / "tests" / "data" / "cjk_string_baseline.yaml"


def _sources():
    for p in sorted(PACKAGE.rglob("*.py")):
        yield p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")


def _name(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_number(node) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def clinical_thresholds(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = [n for n in map(_name, operands) if n and CLINICAL_NAMES.match(n)]
            if names and any(map(_is_number, operands)):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def cjk_strings(source: str) -> int:
    toks = list(tokenize.generate_tokens(io.StringIO(source).readline))
    n = 0
    for i, t in enumerate(toks):
        if t.type != tokenize.STRING or not CJK.search(t.string):
            continue
        prev = toks[i - 1] if i else None
        docstring = (prev is None or prev.type in (tokenize.INDENT, tokenize.NEWLINE, tokenize.NL, tokenize.DEDENT)) \
            and toks[i + 1].type == tokenize.NEWLINE
        n += not docstring
    return n


def test_no_clinical_threshold_in_code():
    bad = {path: hits for path, src in _sources() if (hits := clinical_thresholds(src))}
    assert not bad, f"clinical thresholds belong in wenzhen/kb/data: {bad}"


def test_chinese_strings_in_code_only_shrink():
    baseline = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    grown = {}
    for path, src in _sources():
        n = cjk_strings(src)
        if n > baseline.get(path, 0):
            grown[path] = (baseline.get(path, 0), n)
    assert not grown, f"Chinese string literals added in code (baseline, now); put them in a data/messages file: {grown}"


def test_the_lint_catches_what_it_should():
    assert clinical_thresholds("if age < 18: pass") and clinical_thresholds("x = p.vitals.sbp >= 90")
    assert not clinical_thresholds("if len(lines) < 4: pass")
    assert cjk_strings('x = "发热"\n') == 1 and cjk_strings('def f():\n    """发热"""\n    return 1\n') == 0
