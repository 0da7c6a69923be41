"""Trends across several reports of the same person: direction, change and persistence per item."""
from __future__ import annotations

from pathlib import Path

from ..kb.base import read_messages
from .models import ItemTrend, Language, ReportInterpretation, TrendPoint, TrendReport

STABLE_FRACTION = 0.05  # changes under 5% are called stable (within usual analytical variation)
ABNORMAL = {"high", "low", "critical_high", "critical_low", "positive", "abnormal"}


def compare_reports(reports: list[ReportInterpretation], language: Language | None = None) -> TrendReport:
    """Reports in any order; those with a date are sorted by it, undated ones keep their order at the end.
    The wording follows `language`, else the language the reports were interpreted in."""
    if len(reports) < 2:
        raise ValueError("trends need at least two reports")
    language = language or reports[-1].language
    order = sorted(range(len(reports)), key=lambda i: (reports[i].date is None, reports[i].date or "", i))
    series: dict[str, list[tuple[ReportInterpretation, object]]] = {}
    for i in order:
        r = reports[i]
        seen = set()
        for it in r.items:
            if it.item_id and it.item_id not in seen:
                seen.add(it.item_id)
                series.setdefault(it.item_id, []).append((r, it))
    trends = []
    for item_id, pts in series.items():
        if len(pts) < 2:
            continue
        points = [TrendPoint(date=r.date, value=it.canonical_value if it.canonical_value is not None else it.value,
                             value_text=it.value_text, flag=it.flag) for r, it in pts]
        vals = [p.value for p in points if p.value is not None]
        direction, change = "single", None
        if len(vals) >= 2:
            diffs = [b - a for a, b in zip(vals, vals[1:])]
            base = abs(vals[0]) or 1.0
            change = round((vals[-1] - vals[0]) / base * 100, 1)
            if abs(vals[-1] - vals[0]) <= STABLE_FRACTION * base and all(abs(d) <= STABLE_FRACTION * base for d in diffs):
                direction = "stable"
            elif all(d >= 0 for d in diffs):
                direction = "rising"
            elif all(d <= 0 for d in diffs):
                direction = "falling"
            else:
                direction = "mixed"
        persistent = all(p.flag in ABNORMAL for p in points)
        last, first = pts[-1][1], pts[0][1]
        name = last.name
        comment = _comment(name, direction, change, persistent, first.flag, last.flag, language)
        trends.append(ItemTrend(item_id=item_id, name=name, unit=last.canonical_unit or last.unit, points=points,
                                direction=direction, change_percent=change, persistent_abnormal=persistent,
                                comment=comment))
    trends.sort(key=lambda t: (not t.persistent_abnormal, t.points[-1].flag not in ABNORMAL, t.item_id))
    flagged = [t for t in trends if t.persistent_abnormal or t.points[-1].flag in ABNORMAL]
    w = _WORDING[language]
    summary = w["compared"].format(reports=len(reports), items=len(trends)) + (
        w["attention"].format(items=w["list_sep"].join(t.comment for t in flagged[:6])) if flagged else w["all_normal"])
    return TrendReport(language=language, reports=len(reports), trends=trends, summary=summary)


_WORDING = read_messages(Path(__file__).with_name("messages.yaml"))["trends"]


def _comment(name, direction, change, persistent, first_flag, last_flag, lang) -> str:
    w = _WORDING[lang]
    s = f"{name}{w['sep']}{w['dir'][direction]}" + (w["change"].format(change) if change is not None and direction != "stable" else "")
    if persistent:
        s += w["persistent"]
    elif first_flag in ABNORMAL and last_flag == "normal":
        s += w["recovered"]
    elif first_flag == "normal" and last_flag in ABNORMAL:
        s += w["new"]
    return s
