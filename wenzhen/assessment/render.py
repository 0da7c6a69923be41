"""Readable text of an assessment, in Chinese or English."""
from __future__ import annotations

from . import Assessment, messages

_STATUS = {
    "zh": {"present": "有", "absent": "无", "uncertain": "不确定", "hypothetical": "担心/询问"},
    "en": {"present": "yes", "absent": "no", "uncertain": "unsure", "hypothetical": "asked about"},
}
_LIKELIHOOD = {
    "zh": {"likely": "较可能", "possible": "有可能", "less_likely": "可能性较低"},
    "en": {"likely": "likely", "possible": "possible", "less_likely": "less likely"},
}
_SEX = {"zh": {"male": "男", "female": "女"}, "en": {"male": "male", "female": "female"}}
_VITALS = {
    "sbp": ("收缩压", "systolic BP", "mmHg"), "dbp": ("舒张压", "diastolic BP", "mmHg"), "hr": ("心率", "heart rate", "/min"),
    "rr": ("呼吸", "respiratory rate", "/min"), "temp_c": ("体温", "temperature", "°C"), "spo2": ("血氧饱和度", "SpO2", "%"),
    "gcs": ("GCS", "GCS", ""), "pain_score": ("疼痛评分", "pain score", "/10"), "glucose_mmol": ("血糖", "glucose", "mmol/L"),
    "potassium_mmol": ("血钾", "potassium", "mmol/L"),
}


def _hours(h: float, lang: str) -> str:
    if h < 1:
        v, u = round(h * 60), ("分钟", "min")
    elif h < 48:
        v, u = round(h, 1), ("小时", "h")
    elif h < 24 * 60:
        v, u = round(h / 24, 1), ("天", "days")
    else:
        v, u = round(h / 8760, 1), ("年", "years")
    return f"{v:g}{u[0]}" if lang == "zh" else f"{v:g} {u[1]}"


def render(a: Assessment, lang: str | None = None) -> str:
    lang = lang or a.language
    h = messages()["headings"][lang]
    zh = lang == "zh"
    sep = "：" if zh else ": "
    out: list[str] = [a.advice.summary, ""]
    tri = a.triage
    out.append(f"【{h['triage']}】{tri.level_name.pick(lang)} —— {tri.disposition_text.pick(lang)}" if zh
               else f"[{h['triage']}] {tri.level_name.pick(lang)} — {tri.disposition_text.pick(lang)}")
    if tri.rules_fired:
        out.append(f"  {h['why']}{sep}")
        for r in tri.rules_fired[:6]:
            words = "、".join(r.evidence) if zh else ", ".join(r.evidence)
            out.append(f"  • {r.reason.pick(lang)}（{words}）" if zh else f"  • {r.reason.pick(lang)} ({words})")
            out.append(f"    {'依据' if zh else 'source'}{sep}{r.source}")
    d = a.department
    out.append(f"【{h['department']}】{d.department.name_zh if zh else d.department.name_en} —— {d.reason.pick(lang)}" if zh
               else f"[{h['department']}] {d.department.name_en} — {d.reason.pick(lang)}")
    if d.alternatives:
        alts = "、".join(x.name_zh for x in d.alternatives) if zh else ", ".join(x.name_en for x in d.alternatives)
        out.append(f"  {'其他可选' if zh else 'alternatives'}{sep}{alts}")
    for doc in d.doctors[:3]:
        duty = ("在班" if doc.on_duty_now else f"下次出诊 {doc.next_shift}") if zh else ("on duty" if doc.on_duty_now else f"next {doc.next_shift}")
        out.append(f"  • {doc.name} {doc.title}（{duty}）" if zh else f"  • {doc.name} {doc.title} ({duty})")

    u = a.understanding
    out.append(f"【{h['findings']}】" if zh else f"[{h['findings']}]")
    demo = u.demographics
    bits = []
    if demo.age_years is not None:
        bits.append((f"年龄 {demo.age_years:g}岁" if zh else f"age {demo.age_years:g}") + f"「{demo.age_text}」")
    if demo.sex:
        bits.append(("性别 " if zh else "sex ") + _SEX[lang][demo.sex])
    if demo.subject != "self" and demo.subject_text:
        bits.append(("就诊者 " if zh else "about ") + f"「{demo.subject_text}」")
    if bits:
        out.append("  • " + ("；".join(bits) if zh else "; ".join(bits)))
    for f in u.findings:
        name = f.name_zh if zh else f.name_en
        attrs = [_STATUS[lang][f.status]]
        if f.experiencer == "other":
            attrs.append("他人" if zh else "someone else")
        if f.historical:
            attrs.append("既往" if zh else "past")
        if f.onset:
            attrs.append({"sudden": "突然起病", "gradual": "逐渐起病"}[f.onset] if zh else f.onset + " onset")
        if f.severity:
            attrs.append({"mild": "轻", "moderate": "中", "severe": "重"}[f.severity] if zh else f.severity)
        if f.duration_text:
            attrs.append(f.duration_text)
        elif f.duration_hours is not None:
            attrs.append(_hours(f.duration_hours, lang))
        joined = "，".join(attrs) if zh else ", ".join(attrs)
        out.append(f"  • {name}：{joined}「{f.evidence.text}」" if zh else f"  • {name}: {joined} “{f.evidence.text}”")
    for d in u.stated_diagnoses:
        attrs = [_STATUS[lang][d.status]] + (["既往" if zh else "past"] if d.historical else [])
        joined = "，".join(attrs) if zh else ", ".join(attrs)
        out.append(f"  • 文中提到的诊断 {d.name_zh}：{joined}「{d.evidence.text}」" if zh
                   else f"  • diagnosis named in the text, {d.name_en}: {joined} “{d.evidence.text}”")
    vit = [(k, getattr(u.vitals, k)) for k in _VITALS if getattr(u.vitals, k) is not None]
    if vit:
        parts = [f"{_VITALS[k][0 if zh else 1]} {v:g}{_VITALS[k][2]}" for k, v in vit]
        out.append("  • " + ("，".join(parts) if zh else ", ".join(parts)))
    if u.medications:
        out.append(("  • 用药：" if zh else "  • medications: ") + ("、".join(m.name_zh for m in u.medications) if zh else ", ".join(m.name_en for m in u.medications)))
    if u.allergies:
        out.append(("  • 过敏：" if zh else "  • allergies: ") + ("、".join(x.name for x in u.allergies)))
    if u.pregnancy:
        weeks = f" {u.pregnancy.gestational_weeks:g}{'周' if zh else ' weeks'}" if u.pregnancy.gestational_weeks else ""
        out.append(("  • 妊娠：" if zh else "  • pregnancy: ") + ({"pregnant": "是", "not_pregnant": "否"} if zh else {"pregnant": "yes", "not_pregnant": "no"})[u.pregnancy.status] + weeks)

    dif = a.differential
    if dif.likely:
        out.append(f"【{h['likely']}】" if zh else f"[{h['likely']}]")
        for i, c in enumerate(dif.likely, 1):
            name = c.name_zh if zh else c.name_en
            flag = (" ⚠必须排除" if zh else " ⚠ can't miss") if c.cant_miss else ""
            out.append(f"  {i}. {name}（{_LIKELIHOOD[lang][c.likelihood]}）{flag}" if zh else f"  {i}. {name} ({_LIKELIHOOD[lang][c.likelihood]}){flag}")
            if c.findings_for:
                names = "、".join(e.name_zh for e in c.findings_for) if zh else ", ".join(e.name_en for e in c.findings_for)
                out.append(f"     {h['for']}{sep}{names}")
            if c.findings_against:
                names = "、".join(e.name_zh for e in c.findings_against) if zh else ", ".join(e.name_en for e in c.findings_against)
                out.append(f"     {h['against']}{sep}{names}")
            if c.ask_about and i <= 3:
                names = "、".join(e.name_zh for e in c.ask_about) if zh else ", ".join(e.name_en for e in c.ask_about)
                out.append(f"     {h['ask']}{sep}{names}")
            for p in c.differential_points[:1]:
                out.append(f"     {'鉴别' if zh else 'tells apart'}{sep}{p.pick(lang)}")
    extra = [c for c in dif.cant_miss if c.id not in {x.id for x in dif.likely}]
    if dif.cant_miss:
        names = "、".join(c.name_zh for c in dif.cant_miss) if zh else ", ".join(c.name_en for c in dif.cant_miss)
        out.append(f"【{h['cant_miss']}】{names}" if zh else f"[{h['cant_miss']}] {names}")
        for c in extra[:3]:
            names2 = "、".join(e.name_zh for e in c.findings_for) if zh else ", ".join(e.name_en for e in c.findings_for)
            out.append(f"  • {c.name_zh if zh else c.name_en}{sep}{h['for']} {names2}")
    tests: list[str] = []
    ordered = dif.likely[:1] + (dif.cant_miss if tri.triage_level <= 2 else []) + dif.likely[1:]
    seen_ids: set[str] = set()
    for c in [c for c in ordered if not (c.id in seen_ids or seen_ids.add(c.id))][:4]:
        for t in c.tests[:3]:
            s = t.pick(lang)
            if s not in tests:
                tests.append(s)
    if tests:
        out.append(f"【{h['tests']}】" if zh else f"[{h['tests']}]")
        out += [f"  • {t}" for t in tests[:8]]
    out.append(f"【{h['actions']}】" if zh else f"[{h['actions']}]")
    out += [f"  • {x}" for x in a.advice.what_to_do_now]
    if a.advice.withheld:
        out.append(f"【{messages()['withheld_heading'][lang]}】" if zh else f"[{messages()['withheld_heading'][lang]}]")
        out += [f"  • {w.text}" + (f"（{w.reason}）" if zh else f" ({w.reason})") for w in a.advice.withheld]
    out.append(f"【{h['seek']}】" if zh else f"[{h['seek']}]")
    out += [f"  • {x}" for x in a.advice.seek_care_if]
    notes = [n.pick(lang) for n in tri.notes] + list(u.notes if not zh else [])
    if notes:
        out.append(f"【{h['notes']}】" if zh else f"[{h['notes']}]")
        out += [f"  • {n}" for n in notes]
    out.append("")
    out.append(a.advice.disclaimer)
    return "\n".join(out)
