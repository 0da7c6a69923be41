"""The pre-consultation interview against text others wrote.

- MIE (cardiology dialogues, dev): the dialogue rebuilt from its 5-utterance windows, read by `understand_dialogue`;
  dialogue-level micro-F1 of (symptom item, status) over the ontology's 症状 items (one mapping table,
  benchmarks/dialogue_names.yaml; unmapped items stay in the gold as misses). Statuses: 阳性 / 阴性 from the patient's
  words or answers, 医生阳性 / 医生阴性 from a doctor's statement, 未知 for what was only asked or is unsure.
- DXY goals (paediatric, train split as dev): a simulated parent opens with the explicit symptoms ("孩子咳嗽，流涕，
  没有发烧") and answers each question truthfully from the implicit ones ("有"/"没有"; a list by naming the present and
  the absent ones, "有咳痰，没有发烧"), "不清楚" to anything else.
  Reported: recall of the implicit symptoms (learned with the right status), questions asked (all, and those about
  symptoms), the gold disease in the top 1 / top 3 of the final differential (a label naming a group: any condition
  of the group), and how many ended as emergencies.
- Speed: choosing the next question (after the dialogue is read and assessed) and the whole answer step, p50/p95.
    python -m benchmarks.interview
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections import Counter

from wenzhen.interview import Utterance, understand_dialogue
from wenzhen.interview.engine import _assess, answer, next_question, start
from wenzhen.kb import get_kb

from .cmdd import NAMES, name_map
from .common import Skip, dataset

MIE_STATUS = {"present": "阳性", "absent": "阴性", "uncertain": "未知", "hypothetical": "未知"}
MIE_DOCTOR = {"present": "医生阳性", "absent": "医生阴性"}


def _mie_dialogues() -> list[tuple[list[Utterance], set[tuple[str, str]]]]:
    path = dataset("mie") / "dev.json"
    speakers = NAMES["speakers"]["mie"]
    out = []
    for windows in json.loads(path.read_text(encoding="utf-8")):
        turns = []
        gold: set[tuple[str, str]] = set()
        for w in windows:
            last = w["utterances"][-1]
            who, _, said = last.partition(":")
            if said.strip() and who in speakers:
                turns.append(Utterance(speaker=speakers[who], text=said.strip()[:2000]))
            for lab in w["label"]:
                item, _, status = lab.partition("-状态:")
                cat, _, name = item.partition(":")
                if cat == NAMES["mie_symptom_category"]:
                    gold.add((name, status))
        if turns:
            out.append((turns, gold))
    return out


def mie() -> dict:
    mapping = name_map("mie")
    back: dict[str, list[str]] = {}
    for name, target in mapping.items():
        if target:
            back.setdefault(f"{target[0]}:{target[1]}", []).append(name)
    tp = fp = fn = 0
    for turns, gold in _mie_dialogues():
        r = understand_dialogue(turns)
        pred: set[tuple[str, str]] = set()
        for m in r.mentions:
            names = back.get(f"{m.kind}:{m.id}", [])
            # Several dataset names on one wenzhen id (冠心病, 心肌梗死 → coronary heart disease): the one the words say.
            said = [n for n in names if n in m.words or m.words in n or set(n) <= set(m.words)]
            for name in said or names[:1]:
                doctor_statement = m.speaker == "doctor" and m.status in MIE_DOCTOR
                pred.add((name, MIE_DOCTOR[m.status] if doctor_statement else MIE_STATUS[m.status]))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r_ = tp / (tp + fn) if tp + fn else 0.0
    return {"dialogues": len(_mie_dialogues()), "precision": round(p, 4), "recall": round(r_, 4),
            "f1": round(2 * p * r_ / (p + r_), 4) if p + r_ else 0.0}


def _goals() -> list[dict]:
    return json.loads((dataset("dxy") / "train_goal_dict_dxy.txt").read_text(encoding="utf-8"))


def _opening(goal: dict, words: dict) -> str:
    said = [s for s, v in goal["explicit_inform_slots"].items() if v]
    denied = [s for s, v in goal["explicit_inform_slots"].items() if not v]
    return words["child"] + words["list"].join(said) + "".join(words["list"] + words["deny"] + d for d in denied)


def _reply(q, implicit: dict, words: dict) -> str:
    """The parent's truthful answer: 有/没有 to a question about one finding; to a question about several (a
    checklist), the present ones and the absent ones by name ("有咳痰，没有发烧"); 不清楚 when none is known."""
    known = [(name, value) for name, (target, value) in implicit.items()
             if target and target[0] == "finding" and target[1] in q.about]
    if not known:
        return words["unsure"]
    if len(q.about) == 1:
        return words["affirm"] if known[0][1] else words["deny"]
    present = [n for n, v in known if v]
    absent = [n for n, v in known if not v]
    parts = ([words["affirm"] + words["and"].join(present)] if present else []) + \
            ([words["deny"] + words["and"].join(absent)] if absent else [])
    return words["list"].join(parts)


def dxy(limit: int | None = None, seed: int = 0) -> dict:
    kb = get_kb()
    sym = name_map("dxy")
    words = NAMES["simulated_parent"]
    goals = _goals()
    if limit:
        goals = random.Random(seed).sample(goals, min(limit, len(goals)))
    found = total = 0
    n_questions: list[int] = []
    n_symptom_q: list[int] = []
    n_findings: list[int] = []  # a list question asks about several
    top1 = top3 = emergencies = 0
    choose_ms: list[float] = []
    step_ms: list[float] = []
    for g in goals:
        implicit = {}
        for name, value in g["implicit_inform_slots"].items():
            target = sym.get(name)
            implicit[name] = (target, value)
        state, step = start(_opening(g, words))
        while step.status == "open" and step.question is not None:
            reply = _reply(step.question, implicit, words)
            t = time.perf_counter()
            step = answer(state, reply)
            step_ms.append((time.perf_counter() - t) * 1000)
            if step.status == "open":
                # The choice alone, on the same state: the step minus reading and assessing the dialogue.
                probe = state.model_copy(deep=True)
                probe.turns.pop()
                reading, a = _assess(probe, kb)
                t = time.perf_counter()
                next_question(probe, reading, a, kb)
                choose_ms.append((time.perf_counter() - t) * 1000)
        reading, a = _assess(state, kb)
        status = {f.id: f.status for f in reading.picture.findings if f.experiencer == "patient"}
        for name, (target, value) in implicit.items():
            total += 1
            if target and target[0] == "finding" and status.get(target[1]) == ("present" if value else "absent"):
                found += 1
        n_questions.append(len(state.asked()))
        n_symptom_q.append(sum(1 for q in state.asked() if q.about))
        n_findings.append(sum(len(q.about) for q in state.asked()))
        emergencies += step.end_reason == "red_flag"
        gold = sym.get(g["disease_tag"])
        golds = set() if gold is None else set(gold[1]) if gold[0] == "conditions" else {gold[1]}
        ranked = [c.id for c in a.differential.likely]
        top1 += bool(golds & set(ranked[:1]))
        top3 += bool(golds & set(ranked[:3]))
    n = len(goals)

    def pct(xs, q):
        xs = sorted(xs)
        return round(xs[min(len(xs) - 1, int(q * len(xs)))], 2) if xs else None

    return {"goals": n, "implicit_recall": round(found / max(1, total), 4), "implicit_symptoms": total,
            "questions_mean": round(statistics.mean(n_questions), 2), "symptom_questions_mean": round(statistics.mean(n_symptom_q), 2),
            "findings_asked_mean": round(statistics.mean(n_findings), 2),
            "top1": round(top1 / n, 4), "top3": round(top3 / n, 4), "ended_as_emergency": emergencies,
            "choose_ms_p50": pct(choose_ms, 0.5), "choose_ms_p95": pct(choose_ms, 0.95),
            "step_ms_p50": pct(step_ms, 0.5), "step_ms_p95": pct(step_ms, 0.95),
            "diseases": dict(Counter(g["disease_tag"] for g in goals))}


def concurrency(n: int = 100, answers: int = 3) -> dict:
    """n interviews at once against one running server (its own SQLite file), each started and answered `answers`
    times from its own thread; every request must succeed."""
    import os
    import tempfile
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from .common import running_server

    def post(url, body):
        req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())

    with tempfile.TemporaryDirectory() as tmp:
        old = os.environ.get("WENZHEN_DATA_DIR")
        os.environ["WENZHEN_DATA_DIR"] = tmp
        try:
            with running_server() as base:
                def one(i):
                    errors = 0
                    try:
                        status, step = post(f"{base}/v1/interviews", {"complaint": ["孩子发烧两天，咳嗽", "肚子疼一天", "头疼三天", "咳嗽一周"][i % 4]})
                        errors += status != 201
                        for _ in range(answers):
                            if step["status"] != "open":
                                break
                            status, step = post(f"{base}/v1/interviews/{step['interview_id']}/answers", {"text": "没有"})
                            errors += status != 200
                    except Exception:  # noqa: BLE001 - any failure is an error of the run
                        errors += 1
                    return errors
                t = time.perf_counter()
                with ThreadPoolExecutor(max_workers=n) as pool:
                    errors = sum(pool.map(one, range(n)))
                elapsed = time.perf_counter() - t
        finally:
            if old is None:
                os.environ.pop("WENZHEN_DATA_DIR", None)
            else:
                os.environ["WENZHEN_DATA_DIR"] = old
    return {"interviews": n, "requests": n * (1 + answers), "errors": errors, "seconds": round(elapsed, 2)}


def run() -> dict:
    return {"mie": mie(), "dxy": dxy(), "concurrency": concurrency()}


if __name__ == "__main__":
    try:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
    except Skip as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
