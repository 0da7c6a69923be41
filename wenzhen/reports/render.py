"""Readable text of an interpretation (CLI and page share it).

The headings, labels and punctuation that differ between the languages come from messages.yaml (`render`).
"""
from __future__ import annotations

from pathlib import Path

from ..kb.base import read_messages
from .models import ReportInterpretation, TrendReport


def messages() -> dict:
    """The report module's interface wording (messages.yaml), read once; treat it as read-only."""
    return read_messages(Path(__file__).with_name("messages.yaml"))


def render(r: ReportInterpretation) -> str:
    s = messages()["render"][r.language]
    marks = s["flags"]
    out = [(s["title"] + f"  {r.date or ''}").rstrip()]
    who = []
    if r.patient.sex:
        who.append(s["sex"][r.patient.sex])
    if r.patient.age_years is not None:
        who.append(s["age"].format(f"{r.patient.age_years:g}"))
    if who:
        out.append(s["patient"] + " ".join(who))
    out.append("")
    out.append(r.summary)
    out.append(s["urgency"] + s["urgency_levels"][r.urgency]
               + (s["departments"] + s["department_list"].join(r.departments) if r.departments else ""))
    if r.items:
        out.append("")
        out.append(s["results"])
        for it in r.items:
            iv = it.interval.text if it.interval else ""
            origin = ""
            if it.interval and it.interval.origin in ("standard", "guideline"):
                origin = f" [{it.interval.source}{(' ' + it.interval.population) if it.interval.population else ''}]"
            unit = f" {it.unit}" if it.unit else ""
            line = f"  {it.printed_name}: {it.value_text}{unit} {marks[it.flag]}".rstrip()
            if iv:
                line += f"  ({s['interval']} {iv}{origin})"
            if it.guideline_band:
                line += f"  {it.guideline_band}"
            if not it.item_id:
                line += s["not_recognised"]
            out.append(line)
            for n in it.notes:
                out.append(f"      ! {n}")
    abn = [it for it in r.items if it.explanation and it.explanation.causes]
    if abn:
        out.append("")
        out.append(s["explained"])
        for it in abn:
            e = it.explanation
            out.append(f"  ■ {it.name} {marks[it.flag]}")
            out.append(s["what_it_is"].format(e.meaning))
            out.append(s["causes"].format(e.causes))
            out.append(s["advice"].format(advice=e.advice, urgency=s["urgency_levels"][e.urgency]))
    for d in r.derived:
        out.append("")
        out.append(f"{s['derived']}{d.name} = {d.value:g} {d.unit}" + (f" ({d.band})" if d.band else "") + f"  [{d.source}]")
    if r.patterns:
        out.append("")
        out.append(s["patterns"])
        for p in r.patterns:
            out.append(f"  ■ {p.name}: {p.explanation}  [{p.source}]")
    if r.medication_notes:
        out.append("")
        out.append(s["medication_notes"])
        for m in r.medication_notes:
            out.append(f"  ■ {m.item} × {m.medication}: {m.note}")
    shown = [x for x in r.imaging if not x.negated]
    if shown:
        out.append("")
        out.append(s["imaging"])
        for x in shown:
            size = f" {x.size_mm:g}mm" if x.size_mm else ""
            out.append(f"  ■ {x.name}{(' ' + x.grade) if x.grade else ''}{size}: {x.meaning}")
            out.append(f"    {s['imaging_advice']}: {x.advice}")
    if r.warnings:
        out.append("")
        out.append(s["warnings"])
        out.extend(f"  ! {w}" for w in r.warnings)
    out.append("")
    out.append(s["next_steps"])
    out.extend(f"  - {x}" for x in r.next_steps)
    out.append("")
    out.append(r.disclaimer)
    return "\n".join(out)


def render_trends(t: TrendReport) -> str:
    out = [messages()["render"][t.language]["trends"], t.summary, ""]
    for tr in t.trends:
        pts = " → ".join(f"{p.value_text}{'↑' if p.flag in ('high', 'critical_high') else '↓' if p.flag in ('low', 'critical_low') else ''}"
                         + (f" ({p.date})" if p.date else "") for p in tr.points)
        out.append(f"  {tr.name}: {pts}  — {tr.comment}")
    return "\n".join(out)
