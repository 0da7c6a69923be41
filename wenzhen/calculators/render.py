"""Plain-text rendering of calculator results and risk reports (CLI and the API's `readable`)."""
from __future__ import annotations

from pathlib import Path

from wenzhen.kb.base import read_messages

from .models import CalculationResult
from .risk import RiskReport

_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))

_RISK = _MESSAGES["risk_levels"]
_L = _MESSAGES["render"]


def _num(x) -> str:
    if isinstance(x, float):
        return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.0f}"
    return str(x)


def _band(label: str, risk: str | None, lang: str) -> str:
    name = _RISK[lang].get(risk or "", risk or "")
    if not name or name in label:
        return label
    return _L[lang]["label_with_name"].format(label=label, name=name)


def render_result(r: CalculationResult) -> str:
    t = _L[r.language]
    lines = [f"{r.name}", f"{t['result']}: {r.display}"]
    if r.interpretation:
        i = r.interpretation
        lines.append(f"{t['meaning']}: {_band(i.label, i.risk, r.language)}")
        lines.append(f"{t['advice']}: {i.advice}")
    if r.items:
        lines.append(f"{t['items']}:")
        for it in r.items:
            if not it.applies:
                continue
            pts = t["na"] if it.points is None else _num(it.points)
            lines.append(f"  - {it.label}: {pts}")
    if r.inputs:
        lines.append(f"{t['inputs']}:")
        for v in r.inputs:
            tag = t["derived"] if v.origin == "derived" else t["default"] if v.origin == "default" else ""
            unit = f" {v.unit}" if v.unit else ""
            lines.append(f"  - {v.label}: {_num(v.value)}{unit}{tag}")
    for key, values in (("assumed", r.assumed), ("notes", r.notes), ("unused", r.unused_inputs)):
        if values:
            lines.append(f"{t[key]}: " + ("；".join(values) if r.language == "zh" else "; ".join(values)))
    lines.append(f"{t['formula']}: {r.formula}")
    lines.append(f"{t['source']}: {r.source}")
    if r.caveat:
        lines.append(f"{t['caveat']}: {r.caveat}")
    lines.append(t["disclaimer"])
    return "\n".join(lines)


def render_risk(rep: RiskReport) -> str:
    t = _L[rep.language]
    rk = _RISK[rep.language]
    sep = "；" if rep.language == "zh" else "; "
    lines = [t["risk_title"], rep.summary, ""]
    if rep.alerts:
        lines.append(f"{t['alerts']}:")
        for a in rep.alerts:
            lines.append(f"  ! {a.name}: {a.display} — {_band(a.label or '', a.risk, rep.language)}")
            if a.advice:
                lines.append(f"    {a.advice}")
        lines.append("")
    for d in rep.dimensions:
        near = [m for m in d.not_computed if m.known_inputs and len(m.missing) <= 3][:4]
        if not d.scores and not near:
            continue  # nothing known in this dimension: listed in the JSON only
        head = f"【{d.name}】" if rep.language == "zh" else f"[{d.name}]"
        if d.highest_risk:
            head += f" {rk.get(d.highest_risk, d.highest_risk)}"
        lines.append(head)
        for s in d.scores:
            label = f" — {s.label}" if s.label else ""
            lines.append(f"  - {s.name}: {s.display}{label}{t['min'] if s.minimum else ''}")
        for m in near:
            lines.append(f"  · {t['not_computed']}: {m.name}（{t['missing']}: {'、'.join(m.missing)}）"
                         if rep.language == "zh" else
                         f"  · {t['not_computed']}: {m.name} ({t['missing']}: {', '.join(m.missing)})")
        if len(d.not_computed) > len(near):
            lines.append(t["more"].format(n=len(d.not_computed) - len(near)))
    if rep.from_complaint:
        lines += ["", f"{t['from_text']}: " + ", ".join(rep.from_complaint)]
    if rep.problems:
        lines.append(f"{t['problems']}: " + sep.join(f"{p.input}: {p.reason}" for p in rep.problems))
    if rep.unused_inputs:
        lines.append(f"{t['unused']}: " + ", ".join(rep.unused_inputs))
    lines += ["", t["disclaimer"]]
    return "\n".join(lines)
