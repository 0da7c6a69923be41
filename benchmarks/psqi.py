"""PSQI scoring against the reference package's test vectors (LCBC-UiO/questionnaires).

Every respondent of datasets/psqi/psqi.tsv is scored from its raw items (psqi_01 … psqi_09,
psqi_05a–j) with `wenzhen.scales.score_scale`; the components and the global score are
compared with the vectors in EXPECTED_psqi.md (NA = not computable). The tsv's own
psqi_comp*/psqi_global columns are not used (they differ from the oracle for some rows).

    python -m benchmarks.psqi            # summary (JSON)
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

from wenzhen.scales import score_scale

from .common import Skip, dataset

# EXPECTED_psqi.md names -> our component ids
EXPECTED_KEYS = {"comp2": "comp2_latency", "comp3": "comp3_duration", "comp4": "comp4_efficiency",
                 "comp5": "comp5_disturbance", "comp7": "comp7_daytime", "global": "global"}
_VEC = re.compile(r"^\s*(comp\d|global)\b[^:]*:\s*([0-9NA,\s.]+)$")
_EQ = re.compile(r"(comp\d)\s*=\s*(psqi_\w+)")


def parse_expected(path: Path) -> tuple[dict[str, list[float | None]], dict[str, str]]:
    """The oracle vectors ({comp2: [0, 0, 1, …], global: […]}; NA → None) and the components
    stated as equal to an item ({comp1: psqi_06, comp6: psqi_07})."""
    vectors: dict[str, list[float | None]] = {}
    equal: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := _VEC.match(line):
            vectors[m.group(1)] = [None if v.strip() == "NA" else float(v) for v in m.group(2).split(",")]
        for c, item in _EQ.findall(line):
            equal[c] = item
    return vectors, equal


def item_columns(row: dict[str, str]) -> dict[str, str]:
    """The raw answers only: computed columns (psqi_comp*, psqi_global, dpsqi_*) are left out."""
    return {k: v for k, v in row.items() if re.fullmatch(r"psqi_\d\d\w*", k) and not k.startswith("psqi_comp")}


def run() -> dict:
    base = dataset("psqi")
    with open(base / "psqi.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    vectors, equal = parse_expected(base / "EXPECTED_psqi.md")
    for k, v in vectors.items():
        if len(v) != len(rows):
            raise ValueError(f"EXPECTED {k}: {len(v)} values for {len(rows)} respondents")
    comp_total = comp_exact = glob_exact = 0
    mismatches = []
    for i, row in enumerate(rows):
        res = score_scale("psqi", item_columns(row), language="en")
        got = {c.id: c.score for c in res.components}
        got["global"] = res.total
        expected = {EXPECTED_KEYS[k]: v[i] for k, v in vectors.items()}
        for comp, item in equal.items():  # comp1 = psqi_06, comp6 = psqi_07
            ours = {"comp1": "comp1_quality", "comp6": "comp6_medication"}[comp]
            raw = row.get(item, "NA")
            expected[ours] = None if raw in ("NA", "NaN", "") else float(raw)
        for key, want in expected.items():
            have = got.get(key)
            ok = (want is None and have is None) or (want is not None and have is not None and float(have) == want)
            if key == "global":
                glob_exact += ok
            else:
                comp_total += 1
                comp_exact += ok
            if not ok:
                mismatches.append({"respondent": i + 1, "field": key, "expected": want, "ours": have,
                                   "reason": next((c.reason for c in res.components if c.id == key), res.total_reason)})
    return {"respondents": len(rows), "components_exact": f"{comp_exact}/{comp_total}",
            "global_exact": f"{glob_exact}/{len(rows)}", "mismatches": mismatches}


def main() -> int:
    try:
        out = run()
    except Skip as e:
        print(f"skipped: {e}")
        return 0
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
