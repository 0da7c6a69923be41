"""Symptom extraction from Chinese paediatric doctor–patient dialogues (CMDD, dev split).

Each dialogue is given as "医生：…\\n患者：…" text. Gold: the normalised symptoms with their
status (1 present, 2 absent, 3 uncertain), pooled per dialogue (present > uncertain > absent).
Gold names are mapped to wenzhen findings by wenzhen's own matcher; names it cannot map are
reported as lexicon coverage and left out of the scores, and predictions are limited to the
findings some gold name maps to (the dataset labels ~160 symptoms only).
    python -m benchmarks.cmdd
"""
from __future__ import annotations

import json
import sys
from collections import Counter

from wenzhen.kb import get_kb
from wenzhen.understanding import understand
from wenzhen.understanding.lexicon import get_lexicons

from .common import Skip, dataset

RANK = {"1": 0, "3": 1, "2": 2}
STATUS = {"present": "1", "uncertain": "3", "absent": "2"}  # hypothetical (asked, unanswered) claims nothing


def _map_name(name: str) -> str | None:
    lex = get_lexicons()
    low = name.lower()
    hits = lex.findings.find(low, lex.finding_patterns.all_hits(low))
    full = [h for h in hits if h.end - h.start == len(low)]
    return (full or hits or [None])[0].value if (full or hits) else None


def load_dialogues(limit: int | None = None) -> list[dict]:
    path = dataset("cmdd") / "dev.jsonl"
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def run() -> dict:
    get_kb()
    dialogues = load_dialogues()
    names: Counter = Counter()
    mapping: dict[str, str | None] = {}
    tp = fp = fn = 0
    dtp = dfp = dfn = 0
    for d in dialogues:
        gold: dict[str, str] = {}
        lines = []
        for turn in d["dialogue-content"]:
            lines.append(f"{turn['speaker']}：{turn['sentence']}")
            for name, status in zip(turn["normalized"], turn["type"]):
                names[name] += 1
                if name not in mapping:
                    mapping[name] = _map_name(name)
                fid = mapping[name]
                if fid is None:
                    continue
                if fid not in gold or RANK[str(status)] < RANK[gold[fid]]:
                    gold[fid] = str(status)
        vocab = {v for v in mapping.values() if v}
        picture = understand("\n".join(lines))
        pred: dict[str, str] = {}
        for f in picture.findings:
            if f.experiencer != "patient" or f.id not in vocab or f.status not in STATUS:
                continue
            s = STATUS[f.status]
            if f.id not in pred or RANK[s] < RANK[pred[f.id]]:
                pred[f.id] = s
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

    mapped_mentions = sum(c for n, c in names.items() if mapping.get(n))
    return {
        "dialogues": len(dialogues),
        "gold_symptom_names": len(names),
        "names_mapped": sum(1 for n in names if mapping.get(n)),
        "mentions_mapped_share": round(mapped_mentions / max(1, sum(names.values())), 4),
        "symptom_and_status": f1(tp, fp, fn),
        "symptom_only": f1(dtp, dfp, dfn),
        "unmapped_examples": [n for n, _ in names.most_common() if not mapping.get(n)][:15],
    }


if __name__ == "__main__":
    try:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
    except Skip as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
