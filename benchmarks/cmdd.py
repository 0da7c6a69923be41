"""Symptom extraction from Chinese paediatric doctor–patient dialogues (CMDD, dev split).

Each dialogue goes through wenzhen's dialogue understanding (`understand_dialogue`). Gold: the dataset's
normalised names with their status (1 present, 2 absent, 3 uncertain), pooled per dialogue (present > uncertain >
absent), as the dataset defines it. One mapping table (benchmarks/dialogue_names.yaml) turns each dataset name into
a wenzhen finding or condition; names with no equivalent stay in the gold and count as misses, so the score is over
all gold names. Predictions are limited to the ids some dataset name maps to (the dataset labels ~150 names only).
    python -m benchmarks.cmdd
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import yaml

from wenzhen.interview.dialogue import Utterance, pooled_status, understand_dialogue
from wenzhen.kb import get_kb

from .common import Skip, dataset

RANK = {"1": 0, "3": 1, "2": 2}
# CMDD's 3 ("uncertain") marks a symptom mentioned without being established for this child: asked and not
# answered, raised in an explanation, or unsure; wenzhen's "hypothetical" (mentioned, not asserted) is that reading.
STATUS = {"present": "1", "uncertain": "3", "absent": "2", "hypothetical": "3"}
NAMES = yaml.safe_load((Path(__file__).with_name("dialogue_names.yaml")).read_text(encoding="utf-8"))


def name_map(dataset_name: str) -> dict[str, tuple[str, str | list[str]] | None]:
    """dataset name → (kind, wenzhen id) or None, from the one mapping table; kind "conditions" holds a list (a
    label naming a group of conditions)."""
    return {n: (next(iter(v.items())) if v else None) for n, v in NAMES[dataset_name].items()}


def load_dialogues(limit: int | None = None, split: str = "dev") -> list[dict]:
    path = dataset("cmdd") / f"{split}.jsonl"
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def gold_and_turns(d: dict, mapping: dict) -> tuple[dict[str, str], list[Utterance]]:
    speakers = NAMES["speakers"]["cmdd"]
    gold: dict[str, str] = {}
    for turn in d["dialogue-content"]:
        for name, status in zip(turn["normalized"], turn["type"]):
            target = mapping.get(name)
            key = f"{target[0]}:{target[1]}" if target else f"unmapped:{name}"
            if key not in gold or RANK[str(status)] < RANK[gold[key]]:
                gold[key] = str(status)
    turns = [Utterance(speaker=speakers[t["speaker"]], text=t["sentence"]) for t in d["dialogue-content"] if t["sentence"].strip()]
    return gold, turns


def predict(turns: list[Utterance], vocab: set[str]) -> dict[str, str]:
    reading = understand_dialogue(turns)
    pred = {}
    for kind in ("finding", "condition"):
        for fid, s in pooled_status([m for m in reading.mentions if m.kind == kind]).items():
            if f"{kind}:{fid}" in vocab:
                pred[f"{kind}:{fid}"] = STATUS[s]
    return pred


def run() -> dict:
    get_kb()
    dialogues = load_dialogues()
    mapping = name_map("cmdd")
    vocab = {f"{v[0]}:{v[1]}" for v in mapping.values() if v}
    names: Counter = Counter()
    tp = fp = fn = 0
    dtp = dfp = dfn = 0
    for d in dialogues:
        for turn in d["dialogue-content"]:
            names.update(turn["normalized"])
        gold, turns = gold_and_turns(d, mapping)
        pred = predict(turns, vocab)
        gs, ps = set(gold.items()), set(pred.items())
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
        dtp += len(set(gold) & set(pred))
        dfp += len(set(pred) - set(gold))
        dfn += len(set(gold) - set(pred))

    def f1(t, p, n):
        prec = t / (t + p) if t + p else 0.0
        rec = t / (t + n) if t + n else 0.0
        return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0}

    unmapped = [n for n, _ in names.most_common() if not mapping.get(n)]
    return {
        "dialogues": len(dialogues),
        "gold_names": len(names),
        "names_mapped": sum(1 for n in names if mapping.get(n)),
        "mentions_mapped_share": round(sum(c for n, c in names.items() if mapping.get(n)) / max(1, sum(names.values())), 4),
        "symptom_and_status": f1(tp, fp, fn),
        "symptom_only": f1(dtp, dfp, dfn),
        "unmapped_names": unmapped[:15],
    }


if __name__ == "__main__":
    try:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
    except Skip as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
