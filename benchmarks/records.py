"""Record drafting against gold records others wrote, and record QC at scale.

- IMCS-V2 MRG examples (Chinese paediatric consultations with their gold 诊疗报告: 主诉, 现病史, 辅助检查, 既往史, 诊断,
  建议) and ACI-Bench valid (English visits with their notes): the dialogue goes through `draft_record`; per section,
  ROUGE-L F1 against the gold (characters for Chinese, words for English), concept coverage (the gold section's
  findings that the draft's section names too), and the share of drafted sentences that link to a source utterance.
- QC: the seeded-defect corpus (benchmarks/qc_corpus.py), records per second on one core.
    python -m benchmarks.records
"""
from __future__ import annotations

import csv
import json
import re
import statistics
import sys

from wenzhen.interview import Utterance
from wenzhen.kb.base import read_messages
from wenzhen.records.draft import MSG, draft_record
from wenzhen.records.qc import _finding_ids

from .common import Skip, dataset

NAMES = read_messages(__import__("pathlib").Path(__file__).with_name("dialogue_names.yaml"))
SEC = MSG["sections"]
# Gold headings → the draft's section keys.
IMCS_SECTIONS = {"主诉": "chief_complaint", "现病史": "present_illness", "辅助检查": "tests", "既往史": "past_history",
                 "诊断": "diagnosis", "建议": "plan"}
ACI_SECTIONS = {"CHIEF COMPLAINT": "chief_complaint", "HISTORY OF PRESENT ILLNESS": "present_illness",
                "PHYSICAL EXAMINATION": "examination", "PHYSICAL EXAM": "examination", "RESULTS": "tests",
                "ASSESSMENT AND PLAN": "plan"}


def _lcs(a: list, b: list) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(pred: str, gold: str, unit: str) -> float:
    if unit == "char":
        p, g = [c for c in pred if not c.isspace()], [c for c in gold if not c.isspace()]
    else:
        p, g = re.findall(r"\w+", pred.lower()), re.findall(r"\w+", gold.lower())
    lcs = _lcs(p[:2000], g[:2000])
    if not lcs:
        return 0.0
    prec, rec = lcs / len(p), lcs / len(g)
    return 2 * prec * rec / (prec + rec)


def _imcs() -> list[tuple[list[Utterance], dict[str, str]]]:
    out = []
    speakers = NAMES["speakers"]["cmdd"]
    for name in ("dev.json", "train.json"):
        for line in (dataset("imcs-mrg-examples") / name).read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if d.get("task_dataset") != "IMCS-V2-MRG":
                continue
            turns = []
            for ln in d["input"].splitlines():
                who, sep, said = ln.partition("：")
                if sep and who in speakers and said.strip():
                    turns.append(Utterance(speaker=speakers[who], text=said.strip()[:2000]))
            gold = {}
            for ln in d["target"].splitlines():
                head, sep, body = ln.partition("：")
                if sep and head in IMCS_SECTIONS:
                    gold[IMCS_SECTIONS[head]] = body.strip()
            if turns and gold:
                out.append((turns, gold))
    return out


def _aci() -> list[tuple[list[Utterance], dict[str, str]]]:
    out = []
    with open(dataset("aci-bench") / "valid.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            turns = []
            for ln in row["dialogue"].splitlines():
                m = re.match(r"\[(doctor|patient|patient_guest|guest_family|guest_clinician)\]\s*(.*)", ln.strip())
                if m and m.group(2).strip():
                    turns.append(Utterance(speaker="doctor" if m.group(1) in ("doctor", "guest_clinician") else "patient",
                                           text=m.group(2).strip()[:2000]))
            gold, current = {}, None
            for ln in row["note"].splitlines():
                if ln.strip() in ACI_SECTIONS:
                    current = ACI_SECTIONS[ln.strip()]
                    gold.setdefault(current, "")
                elif re.match(r"^[A-Z][A-Z /&]+$", ln.strip()):
                    current = None
                elif current:
                    gold[current] += " " + ln.strip()
            if turns and gold:
                out.append((turns[:400], gold))
    return out


def _score(cases, unit: str) -> dict:
    by_section: dict[str, list[float]] = {}
    coverage_hit = coverage_all = 0
    supported: list[float] = []
    for turns, gold in cases:
        d = draft_record(turns)
        supported.append(d.supported_share)
        for key, gold_text in gold.items():
            pred = d.record.sections.get(SEC[key], "")
            by_section.setdefault(key, []).append(rouge_l(pred, gold_text, unit))
            want = _finding_ids(gold_text)
            coverage_all += len(want)
            coverage_hit += len(want & _finding_ids(pred))
    return {"dialogues": len(cases),
            "rouge_l": {k: round(statistics.mean(v), 4) for k, v in by_section.items()},
            "rouge_l_mean": round(statistics.mean(x for v in by_section.values() for x in v), 4) if by_section else 0.0,
            "concept_coverage": round(coverage_hit / coverage_all, 4) if coverage_all else None,
            "supported_share": round(statistics.mean(supported), 4) if supported else None}


def run() -> dict:
    out = {"imcs": _score(_imcs(), "char")}
    try:
        out["aci"] = _score(_aci(), "word")
    except Skip as e:
        out["aci"] = {"skipped": str(e)}
    try:
        from .qc_corpus import run as qc_run
        out["qc"] = qc_run()
    except ImportError:
        out["qc"] = {"skipped": "benchmarks/qc_corpus.py is missing"}
    return out


if __name__ == "__main__":
    try:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
    except Skip as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
