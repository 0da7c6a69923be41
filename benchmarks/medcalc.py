"""MedCalc-Bench v1.0: each row's gold `Relevant Entities` fed to the calculator the row names.

Correct when the result lies within Lower–Upper Limit (exact for integer scores and dates).
Rows we believe are mislabelled are listed, each with its clinical argument, in
benchmarks/medcalc_mislabelled/*.yaml; accuracy is reported with and without them.

    python -m benchmarks.medcalc                 # summary (JSON)
    python -m benchmarks.medcalc --failures      # every wrong row with our trace
    python -m benchmarks.medcalc --calc 28       # one calculator (MedCalc id or our id)
"""
from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from wenzhen.calculators import CalculationError, UnknownCalculator, calculate

from .common import Skip, dataset

MISLABELLED = Path(__file__).with_name("medcalc_mislabelled")  # one YAML file per calculator group


def load_rows() -> list[dict]:
    path = dataset("medcalc-bench") / "test_data.csv"
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_mislabelled() -> dict[int, dict]:
    """Row number -> entry {row, calculator, ours, label, argument}; every entry must argue its case."""
    out: dict[int, dict] = {}
    for path in sorted(MISLABELLED.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if len(str(entry.get("argument", "")).strip()) < 40:
                raise ValueError(f"{path}: row {entry.get('row')}: the argument is missing or too short")
            if int(entry["row"]) in out:
                raise ValueError(f"{path}: row {entry['row']} listed twice")
            out[int(entry["row"])] = entry
    return out


def adapt(entities: dict) -> dict:
    """MedCalc-Bench's composite entities into plain named inputs (format only, no clinical content)."""
    out = {}
    for k, v in entities.items():
        if k == "input steroid" and isinstance(v, list) and len(v) == 3:
            out["steroid_from"], out["steroid_dose"] = v[0], [v[1], v[2]]
        elif k == "target steroid":
            out["steroid_to"] = v
        else:
            out[k] = v
    return out


def _date(text: str) -> dt.date | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", str(text))
    return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))) if m else None


def judge(row: dict, result) -> bool:
    kind = row["Output Type"]
    gt = row["Ground Truth Answer"]
    value = result.value
    if gt.strip().startswith("("):  # gestational age: ('4 weeks', '2 days')
        weeks, days = (int(re.search(r"\d+", x).group()) for x in ast.literal_eval(gt))
        comp = result.components
        return comp.get("weeks") == weeks and comp.get("days") == days
    if kind == "date":
        ours = dt.date.fromisoformat(str(value)) if value else None
        return ours is not None and ours == _date(gt)
    if value is None:
        return False
    x = float(value)
    if kind == "integer":
        return round(x) == round(float(gt))
    lo, hi = float(row["Lower Limit"]), float(row["Upper Limit"])
    return lo - 1e-9 <= x <= hi + 1e-9


def run(calc_filter: str | None = None, show_failures: bool = False) -> dict:
    rows = load_rows()
    mislabelled = load_mislabelled()
    per_calc: dict[str, dict] = defaultdict(lambda: {"rows": 0, "correct": 0, "listed": 0, "correct_unlisted": 0})
    failures = []
    n = ok = n_unlisted = ok_unlisted = 0
    errors = 0
    for row in rows:
        if calc_filter and calc_filter not in (row["Calculator ID"], row["Calculator Name"]):
            continue
        rid = int(row["Row Number"])
        name = row["Calculator Name"]
        entities = adapt(ast.literal_eval(row["Relevant Entities"]))
        try:
            res = calculate(name, entities, language="en")
            good = judge(row, res)
            shown = res.value
        except (CalculationError, UnknownCalculator) as e:
            res, good, shown = None, False, f"error: {e}"
            errors += 1
        listed = rid in mislabelled
        s = per_calc[name]
        s["id"] = row["Calculator ID"]
        s["rows"] += 1
        s["correct"] += good
        n += 1
        ok += good
        if listed:
            s["listed"] += 1
        else:
            n_unlisted += 1
            ok_unlisted += good
            s["correct_unlisted"] += good
        if not good:
            failures.append({"row": rid, "calc_id": row["Calculator ID"], "calculator": name, "listed": listed,
                             "ours": shown, "truth": row["Ground Truth Answer"],
                             "limits": [row["Lower Limit"], row["Upper Limit"]],
                             "entities": row["Relevant Entities"], "explanation": row["Ground Truth Explanation"],
                             "items": [(i.label, i.points) for i in res.items] if res else None,
                             "inputs": [(i.var, i.value) for i in res.inputs] if res else None})
    unargued = [r for r in mislabelled if not any(int(x["Row Number"]) == r for x in rows)]
    if show_failures:
        for f in failures:
            print(json.dumps(f, ensure_ascii=False, indent=1))
    return {
        "rows": n, "correct": ok, "accuracy": ok / n if n else 0.0,
        "listed_mislabelled": len([r for r in rows if int(r["Row Number"]) in mislabelled
                                   and (not calc_filter or calc_filter in (r["Calculator ID"], r["Calculator Name"]))]),
        "rows_unlisted": n_unlisted, "correct_unlisted": ok_unlisted,
        "accuracy_unlisted": ok_unlisted / n_unlisted if n_unlisted else 0.0,
        "errors": errors, "unknown_listed_rows": unargued,
        "per_calculator": {k: dict(v) for k, v in sorted(per_calc.items(), key=lambda kv: int(kv[1]["id"]))},
        "failures_unlisted": [f["row"] for f in failures if not f["listed"]],
        "listed_rows_we_match": [r for r in mislabelled if r not in {f["row"] for f in failures}
                                 and any(int(x["Row Number"]) == r for x in rows)],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calc", help="MedCalc calculator id or name")
    ap.add_argument("--failures", action="store_true", help="print every wrong row")
    a = ap.parse_args(argv)
    try:
        r = run(a.calc, a.failures)
    except Skip as e:
        print(f"skipped: {e}", file=sys.stderr)
        return 0
    if a.failures:
        return 0
    brief = {k: (v if k != "failures_unlisted" else f"{len(v)} rows: {v[:40]}") for k, v in r.items()
             if k != "per_calculator"}
    print(json.dumps(brief, ensure_ascii=False, indent=1))
    for name, s in r["per_calculator"].items():
        print(f"{s['id']:>3} {s['correct']:>3}/{s['rows']:<3} listed {s['listed']:>2}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
