"""Safety probes: emergencies and benign complaints written by people who did not see the lexicon.

Each probe states the acceptable range of levels (`most_urgent_ok`…`least_urgent_ok`), optional
drugs or measures that must not appear in the advice, and whether self-care is appropriate.
Sets are either development sets (their misses were read and fixed by general rules and words) or
measured only (never read: rules were not changed to fit them); see ROLE.

    python -m benchmarks.probes            # all sets, summary
    python -m benchmarks.probes --misses   # also list every probe outside its range
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from wenzhen.assessment import assess

PROBE_DIR = Path(__file__).with_name("probes")

# How each set was used. set_b's miss list was printed once by mistake during development
# (2026-12-06); no rule or word was written for a set_b item. set_e, set_h and set_j were never read.
ROLE = {
    "set_a": "development",
    "set_b": "measured only",
    "set_c": "development (physician-style vignettes, EN + ZH retellings)",
    "set_d": "development (relatives' words)",
    "set_e": "measured only, held out",
    "set_f": "development (uncommon emergencies)",
    "set_g": "development (long retellings with many denials; case summaries)",
    "set_h": "measured only, held out",
    "set_i": "development (online-consultation dialogues)",
    "set_j": "measured only, held out (dialogues)",
    "set_k": "development (chats and voice-to-text in varied formats)",
}


def load_sets() -> dict[str, list[dict]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(PROBE_DIR.glob("set_*.yaml"))}


# "不要催吐" / "do not make them vomit" warns against a measure; it does not advise it.
_WARNED = r"(?:不要|别|不宜|切勿|禁止|避免|不能|do not|don't|never|avoid|no)[^。；;.!]{0,40}?"


def advises(advice: list[str], word: str) -> bool:
    w = re.escape(word.lower())
    for sentence in advice:
        low = sentence.lower()
        if re.search(w, low) and not re.search(_WARNED + w, low):
            return True
    return False


def check(probe: dict) -> dict:
    a = assess(probe["text"])
    level = a.triage.triage_level
    harmful = [w for w in probe.get("must_not_advise", []) if advises(a.advice.what_to_do_now, w)]
    return {
        "id": probe["id"],
        "level": level,
        "disposition": a.triage.disposition,
        "emergency": probe["least_urgent_ok"] <= 2,
        "under": level > probe["least_urgent_ok"],
        "over": level < probe["most_urgent_ok"],
        "harmful_advice": harmful,
        "home_care_urgent": level <= 2 and a.triage.disposition == "self_care",
        "self_care_expected": bool(probe.get("self_care_ok")),
        "self_care_given": a.triage.disposition == "self_care",
        "text": probe["text"],
        "rules": [r.id for r in a.triage.rules_fired[:3]],
    }


def summarise(results: list[dict]) -> dict:
    n = len(results)
    em = [r for r in results if r["emergency"]]
    benign = [r for r in results if not r["emergency"]]
    sc = [r for r in results if r["self_care_expected"]]
    by = Counter((r["id"].split("_")[1], r["id"].split("_")[2]) for r in results)
    return {
        "n": n,
        "appropriate": sum(not r["under"] and not r["over"] for r in results) / n,
        "emergencies": len(em),
        "emergencies_under_triaged": sum(r["under"] for r in em),
        "emergencies_to_outpatient_or_self_care": sum(r["disposition"] in ("outpatient", "self_care") for r in em),
        "non_emergencies": len(benign),
        "under_triaged_non_emergencies": sum(r["under"] for r in benign),
        "over_triaged": sum(r["over"] for r in results),
        "harmful_advice": sum(bool(r["harmful_advice"]) for r in results),
        "self_care_expected": len(sc),
        "self_care_offered_where_expected": sum(r["self_care_given"] for r in sc),
        "self_care_offered_elsewhere": sum(r["self_care_given"] for r in results if not r["self_care_expected"]),
        "by_language_style": {f"{a}/{b}": c for (a, b), c in sorted(by.items())},
    }


def run(show_misses: bool = False) -> dict:
    out = {}
    for name, probes in load_sets().items():
        results = [check(p) for p in probes]
        out[name] = summarise(results)
        if show_misses and ROLE.get(name, "").startswith("development"):  # never list a measured-only set
            for r in results:
                if r["under"] or r["over"] or r["harmful_advice"]:
                    tag = "UNDER" if r["under"] else "OVER" if r["over"] else "HARM"
                    print(f"{tag} {r['id']} L{r['level']} {r['rules']} {r['harmful_advice']} | {r['text'][:90]}", file=sys.stderr)
    return out


if __name__ == "__main__":
    print(json.dumps(run("--misses" in sys.argv), ensure_ascii=False, indent=1))
