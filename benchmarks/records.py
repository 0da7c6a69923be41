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


def _synthetic(n: int, path) -> None:
    """n records written from a few templates, one in four with a defect, streamed to a JSONL file."""
    import random

    rng = random.Random(7)
    base = {"kind": "outpatient", "patient": {"age": 40, "sex": "male"},
            "sections": {"主诉": "咳嗽3天", "现病史": "3天前出现咳嗽，有痰，无发热。", "既往史": "既往体健", "过敏史": "否认药物过敏史",
                         "体格检查": "T 36.8℃，咽红，双肺呼吸音粗", "辅助检查": "血常规正常", "初步诊断": "急性支气管炎",
                         "处理意见": "对症治疗，多饮水，1周复诊"},
            "diagnoses": [{"name": "急性支气管炎", "icd10": "J20.900"}]}
    depts, doctors = ["内科", "儿科", "外科", "急诊科"], [f"doctor{i}" for i in range(40)]
    with open(path, "w", encoding="utf-8") as fh:
        extra = ["伴咽痛", "伴流涕", "伴低热", "伴胸闷", "无咯血", "夜间咳嗽明显", "自服止咳糖浆", "伴乏力"]
        for i in range(n):
            r = json.loads(json.dumps(base))
            r["id"], r["department"], r["doctor"] = f"r{i}", depts[i % 4], doctors[i % 40]
            # Every record's words differ (days, temperature, history), as in a real archive: nothing is read twice.
            days = 1 + i % 13
            r["patient"]["age"] = 18 + i % 70
            r["sections"]["主诉"] = f"咳嗽{days}天"
            r["sections"]["现病史"] = f"{days}天前出现咳嗽，有痰，{rng.choice(extra)}，{rng.choice(extra)}，病程第{i % 97}小时加重。"
            r["sections"]["体格检查"] = f"T {36 + (i % 20) / 10:.1f}℃，P {60 + i % 50}次/分，咽红，双肺呼吸音粗，编号{i}"
            k = rng.random()
            if k < 0.05:
                del r["sections"]["主诉"]
            elif k < 0.10:
                r["sections"]["主诉"] = "咳嗽"
            elif k < 0.15:
                r["sections"]["处理意见"] = "同上"
            elif k < 0.20:
                r["diagnoses"][0]["icd10"] = None
            elif k < 0.25:
                r["sections"]["现病史"] += "末次月经2周前。"
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _batch_in_child(path: str, engine: str, workers: int) -> dict:
    """qc batch in a fresh process (pinned to one core for the local engine), with its peak memory."""
    import subprocess

    code = ("import json, os, resource; from wenzhen.records import qc_batch; "
            + ("os.sched_setaffinity(0, {0}); " if engine == "local" else "")
            + f"s = qc_batch({path!r}, engine={engine!r}, workers={workers}); "
            "print(json.dumps({'records': s.records, 'seconds': s.seconds, 'rps': s.records_per_second, "
            "'grades': s.grades, 'by_rule': s.by_rule, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def batch() -> dict:
    """Records per second on one core and on local Ray (2 workers), the same results; a 1-million-record archive
    with its peak memory beside a 100,000-record one (bounded: it streams)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "100k.jsonl", Path(tmp) / "1m.jsonl"
        _synthetic(100_000, small)
        local = _batch_in_child(str(small), "local", 1)
        on_ray = _batch_in_child(str(small), "ray", 2)
        _synthetic(1_000_000, big)
        million = _batch_in_child(str(big), "local", 1)
    return {"records": local["records"], "local_rps": local["rps"], "ray_rps": on_ray["rps"],
            "same_results": local["grades"] == on_ray["grades"] and local["by_rule"] == on_ray["by_rule"],
            "rss_mb_100k": round(local["rss_mb"], 1), "million_records": million["records"],
            "million_seconds": million["seconds"], "rss_mb_1m": round(million["rss_mb"], 1)}


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
    out["batch"] = batch()
    return out


if __name__ == "__main__":
    try:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
    except Skip as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
