"""Plain-text rendering of a scale result (CLI and the API's `readable`)."""
from __future__ import annotations

from pathlib import Path

from wenzhen.kb.base import read_messages

from .models import ScaleResult

_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))

_L = _MESSAGES["render"]


def render_scale(r: ScaleResult) -> str:
    t = _L[r.language]
    lines: list[str] = []
    if r.safety.alert and r.safety.message:
        lines += [f"!!! {r.safety.message}", ""]
    lines.append(f"{r.name}（{r.abbreviation}）" if r.language == "zh" else f"{r.name} ({r.abbreviation})")
    total = t["na"] + (f"（{r.total_reason}）" if r.total_reason else "") if r.total is None else \
        f"{r.total} / {r.total_max}"
    lines.append(f"{t['total']}: {total}")
    if r.interpretation:
        lines.append(f"{t['meaning']}: {r.interpretation.label}")
    if r.components:
        lines.append(f"{t['components']}:")
        for c in r.components:
            score = t["na"] + (f"（{c.reason}）" if c.reason else "") if c.score is None else f"{c.score}"
            lines.append(f"  - {c.name}: {score}")
    if r.cutoffs:
        lines.append(f"{t['cutoffs']}:")
        for c in r.cutoffs:
            state = "—" if c.positive is None else (t["pos"] if c.positive else t["neg"])
            lines.append(f"  - {c.label}: {state}（{c.meaning}）" if r.language == "zh"
                         else f"  - {c.label}: {state} ({c.meaning})")
    advice = [a for a in r.advice if not (r.safety.alert and a.text == r.safety.message)]
    if advice:
        lines.append(f"{t['advice']}:")
        lines += [f"  - {a.text}" for a in advice]
    if r.missing:
        lines.append(f"{t['missing']}: " + ", ".join(p.item for p in r.missing))
    lines += [f"{t['source']}: {r.interpretation.source if r.interpretation else ''}".rstrip(), t["disclaimer"]]
    return "\n".join(lines)
