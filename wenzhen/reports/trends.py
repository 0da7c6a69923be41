"""Trends across several reports of the same person: direction, change and persistence per item."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..kb.base import pick, read_messages
from .models import ItemTrend, Language, ReportInterpretation, TrendAlert, TrendPoint, TrendReport

STABLE_FRACTION = 0.05  # changes under 5% are called stable (within usual analytical variation)
ABNORMAL = {"high", "low", "critical_high", "critical_low", "positive", "abnormal"}


def compare_reports(reports: list[ReportInterpretation], language: Language | None = None, kb=None) -> TrendReport:
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
    alerts = _alerts(trends, language, kb)
    summary = "".join(f"{a.name}{w['alert_sep']}{a.explanation} " for a in alerts)
    summary += w["compared"].format(reports=len(reports), items=len(trends)) + (
        w["attention"].format(items=w["list_sep"].join(t.comment for t in flagged[:6])) if flagged else w["all_normal"])
    return TrendReport(language=language, reports=len(reports), trends=trends, alerts=alerts, summary=summary)


def _hours_between(a: str | None, b: str | None) -> float | None:
    """Hours from date a to date b (report dates: YYYY-MM-DD, optionally with a time); None when either is missing."""
    def parse(d: str):
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
            try:
                return datetime.strptime(d.strip()[:19], fmt)
            except ValueError:
                continue
        return None
    ta, tb = (parse(a) if a else None), (parse(b) if b else None)
    return None if ta is None or tb is None else (tb - ta).total_seconds() / 3600


def _alerts(trends: list[ItemTrend], lang: Language, kb) -> list[TrendAlert]:
    """Trend rules (labs/trend_rules.yaml) met by any earlier–later pair of dated results of one item. A date
    without a time counts as the same day: two reports a day apart are at most 48 hours apart."""
    from ..kb.lab_loader import default_lab_kb

    kb = kb or default_lab_kb()
    out: list[TrendAlert] = []
    by_item = {t.item_id: t for t in trends}
    for rule in kb.trend_rules:
        t = by_item.get(rule.item)
        if t is None:
            continue
        pts = [p for p in t.points if p.value is not None and p.date]
        hit = None
        for i, earlier in enumerate(pts):
            for later in pts[i + 1:]:
                hours = _hours_between(earlier.date, later.date)
                if hours is None or hours < 0 or hours > rule.within_hours:
                    continue
                rise = later.value - earlier.value
                if (rule.rise_at_least is not None and rise >= rule.rise_at_least) or \
                        (rule.ratio_at_least is not None and earlier.value > 0 and later.value / earlier.value >= rule.ratio_at_least):
                    hit = (earlier, later)
        if hit and not any(a.later == hit[1] and a.earlier == hit[0] and a.urgency == rule.urgency for a in out):
            out.append(TrendAlert(id=rule.id, name=pick(rule.name, lang), explanation=pick(rule.explanation, lang),
                                  urgency=rule.urgency, departments=rule.departments, earlier=hit[0], later=hit[1],
                                  source=rule.source))
    return out


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
