"""Plain-text rendering of a scale result (CLI and the API's `readable`)."""
from __future__ import annotations

from .models import ScaleResult

_L = {
    "zh": {"total": "总分", "na": "无法计算", "components": "各成分", "meaning": "解读", "cutoffs": "界值",
           "pos": "阳性", "neg": "阴性", "advice": "建议", "missing": "未作答", "source": "来源",
           "disclaimer": "量表为筛查工具，不能代替医生的诊断。"},
    "en": {"total": "Total", "na": "not computable", "components": "Components", "meaning": "Meaning",
           "cutoffs": "Cut-offs", "pos": "positive", "neg": "negative", "advice": "Advice", "missing": "Not answered",
           "source": "Source", "disclaimer": "A screening scale; it does not replace a doctor's diagnosis."},
}


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
