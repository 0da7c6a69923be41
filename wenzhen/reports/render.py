"""Readable text of an interpretation (CLI and page share it)."""
from __future__ import annotations

from .models import ReportInterpretation, TrendReport

_FLAG_MARK = {"high": "↑", "low": "↓", "critical_high": "↑↑危急", "critical_low": "↓↓危急", "positive": "阳性",
              "negative": "阴性", "normal": "", "unknown": "?"}
_FLAG_MARK_EN = {"high": "H", "low": "L", "critical_high": "HH critical", "critical_low": "LL critical",
                 "positive": "POS", "negative": "NEG", "normal": "", "unknown": "?"}
_URGENCY = {"zh": {"emergency": "立即急诊", "prompt": "几天内就诊", "routine": "近期门诊", "recheck": "复查即可"},
            "en": {"emergency": "emergency now", "prompt": "see a doctor within days", "routine": "next clinic visit",
                   "recheck": "recheck"}}


def render(r: ReportInterpretation) -> str:
    zh = r.language == "zh"
    marks = _FLAG_MARK if zh else _FLAG_MARK_EN
    out = []
    out.append(("【报告解读】" if zh else "REPORT INTERPRETATION") + f"  {r.date or ''}".rstrip())
    who = []
    if r.patient.sex:
        who.append(("男" if r.patient.sex == "male" else "女") if zh else r.patient.sex)
    if r.patient.age_years is not None:
        who.append(f"{r.patient.age_years:g}岁" if zh else f"{r.patient.age_years:g} y")
    if who:
        out.append(("患者：" if zh else "Patient: ") + " ".join(who))
    out.append("")
    out.append(r.summary)
    out.append(("紧急程度：" if zh else "Urgency: ") + _URGENCY[r.language][r.urgency]
               + (("；建议科室：" if zh else "; department: ") + "、".join(r.departments) if r.departments else ""))
    if r.items:
        out.append("")
        out.append("【检验结果】" if zh else "RESULTS")
        for it in r.items:
            iv = it.interval.text if it.interval else ""
            origin = ""
            if it.interval and it.interval.origin in ("standard", "guideline"):
                origin = f" [{it.interval.source}{(' ' + it.interval.population) if it.interval.population else ''}]"
            unit = f" {it.unit}" if it.unit else ""
            line = f"  {it.printed_name}: {it.value_text}{unit} {marks[it.flag]}".rstrip()
            if iv:
                line += f"  ({'参考' if zh else 'interval'} {iv}{origin})"
            if it.guideline_band:
                line += f"  {it.guideline_band}"
            if not it.item_id:
                line += "  (未识别的项目)" if zh else "  (item not recognised)"
            out.append(line)
            for n in it.notes:
                out.append(f"      ! {n}")
    abn = [it for it in r.items if it.explanation and it.explanation.causes]
    if abn:
        out.append("")
        out.append("【异常项目说明】" if zh else "ABNORMAL ITEMS EXPLAINED")
        for it in abn:
            e = it.explanation
            out.append(f"  ■ {it.name} {marks[it.flag]}")
            out.append(f"    {'是什么' if zh else 'What it is'}：{e.meaning}" if zh else f"    What it is: {e.meaning}")
            out.append(f"    常见原因：{e.causes}" if zh else f"    Common causes: {e.causes}")
            out.append(f"    建议：{e.advice}（{_URGENCY['zh'][e.urgency]}）" if zh else f"    What to do: {e.advice} ({_URGENCY['en'][e.urgency]})")
    for d in r.derived:
        out.append("")
        out.append(f"【{'计算值' if zh else 'Derived'}】{d.name} = {d.value:g} {d.unit}" + (f" ({d.band})" if d.band else "")
                   + f"  [{d.source}]")
    if r.patterns:
        out.append("")
        out.append("【综合提示】" if zh else "PATTERNS")
        for p in r.patterns:
            out.append(f"  ■ {p.name}: {p.explanation}  [{p.source}]")
    if r.medication_notes:
        out.append("")
        out.append("【用药提示】" if zh else "MEDICATION NOTES")
        for m in r.medication_notes:
            out.append(f"  ■ {m.item} × {m.medication}: {m.note}")
    shown = [x for x in r.imaging if not x.negated]
    if shown:
        out.append("")
        out.append("【影像结论】" if zh else "IMAGING CONCLUSIONS")
        for x in shown:
            size = f" {x.size_mm:g}mm" if x.size_mm else ""
            out.append(f"  ■ {x.name}{(' ' + x.grade) if x.grade else ''}{size}: {x.meaning}")
            out.append(f"    {'建议' if zh else 'What to do'}: {x.advice}")
    if r.warnings:
        out.append("")
        out.append("【注意】" if zh else "WARNINGS")
        out.extend(f"  ! {w}" for w in r.warnings)
    out.append("")
    out.append(("【下一步】" if zh else "NEXT STEPS"))
    out.extend(f"  - {s}" for s in r.next_steps)
    out.append("")
    out.append(r.disclaimer)
    return "\n".join(out)


def render_trends(t: TrendReport) -> str:
    zh = t.language == "zh"
    out = ["【多次报告趋势】" if zh else "TRENDS ACROSS REPORTS", t.summary, ""]
    for tr in t.trends:
        pts = " → ".join(f"{p.value_text}{'↑' if p.flag in ('high', 'critical_high') else '↓' if p.flag in ('low', 'critical_low') else ''}"
                         + (f" ({p.date})" if p.date else "") for p in tr.points)
        out.append(f"  {tr.name}: {pts}  — {tr.comment}")
    return "\n".join(out)
