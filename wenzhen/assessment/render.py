"""Readable text of an assessment, in Chinese or English.

Every word and punctuation mark that differs between the languages comes from messages.yaml (`render`,
`headings`): the code below has no language branches.
"""
from __future__ import annotations

from ..kb.base import pick
from . import Assessment, messages

_VITAL_UNITS = {"sbp": "mmHg", "dbp": "mmHg", "hr": "/min", "rr": "/min", "temp_c": "°C", "spo2": "%", "gcs": "",
                "pain_score": "/10", "glucose_mmol": "mmol/L", "potassium_mmol": "mmol/L"}


def _hours(h: float, s: dict) -> str:
    if h < 1:
        v, u = round(h * 60), "min"
    elif h < 48:
        v, u = round(h, 1), "h"
    elif h < 24 * 60:
        v, u = round(h / 24, 1), "days"
    else:
        v, u = round(h / 8760, 1), "years"
    return s["number_unit"].format(v=f"{v:g}", u=s["units"][u])


def render(a: Assessment, lang: str | None = None) -> str:
    lang = lang or a.language
    m = messages()
    h, s = m["headings"][lang], m["render"][lang]
    w = s["words"]
    sep, head, paren = s["sep"], s["heading"].format, s["paren"].format

    def names(objs) -> str:
        return s["list"].join(pick(o.name, lang) for o in objs)

    out: list[str] = [a.advice.summary, ""]
    tri = a.triage
    out.append(s["line_heading"].format(h=h["triage"], a=tri.level_name.pick(lang), b=tri.disposition_text.pick(lang)))
    if tri.rules_fired:
        out.append(f"  {h['why']}{sep}")
        for r in tri.rules_fired[:6]:
            out.append(f"  • {r.reason.pick(lang)}" + paren(s["list"].join(r.evidence)))
            out.append(f"    {w['source']}{sep}{r.source}")
    d = a.department
    out.append(s["line_heading"].format(h=h["department"], a=pick(d.department.name, lang), b=d.reason.pick(lang)))
    if d.alternatives:
        out.append(f"  {w['alternatives']}{sep}{names(d.alternatives)}")
    for doc in d.doctors[:3]:
        duty = w["on_duty"] if doc.on_duty_now else w["next_shift"].format(doc.next_shift)
        out.append(f"  • {doc.name} {doc.title}" + paren(duty))

    u = a.understanding
    out.append(head(h["findings"]))
    demo = u.demographics
    bits = []
    if demo.age_years is not None:
        bits.append(w["age"].format(f"{demo.age_years:g}") + f"「{demo.age_text}」")
    if demo.sex:
        bits.append(w["sex_label"] + s["sex"][demo.sex])
    if demo.subject != "self" and demo.subject_text:
        bits.append(w["about"] + f"「{demo.subject_text}」")
    if bits:
        out.append("  • " + s["items"].join(bits))
    for f in u.findings:
        if (f.implied_by or "").startswith("medication:"):
            continue  # "took a medicine", read from a named medicine: the medicine line below says it
        attrs = [s["status"][f.status]]
        if f.experiencer == "other":
            attrs.append(w["other_person"])
        if f.historical:
            attrs.append(w["past"])
        if f.onset:
            attrs.append(s["onset"][f.onset])
        if f.severity:
            attrs.append(s["severity"][f.severity])
        if f.duration_text:
            attrs.append(f.duration_text)
        elif f.duration_hours is not None:
            attrs.append(_hours(f.duration_hours, s))
        out.append(s["finding"].format(name=pick(f.name, lang), attrs=s["attrs"].join(attrs), words=f.evidence.text))
    for x in u.stated_diagnoses:
        attrs = [s["status"][x.status]] + ([w["past"]] if x.historical else [])
        out.append(s["stated"].format(name=pick(x.name, lang), attrs=s["attrs"].join(attrs), words=x.evidence.text))
    vit = [(k, getattr(u.vitals, k)) for k in _VITAL_UNITS if getattr(u.vitals, k) is not None]
    if vit:
        out.append("  • " + s["attrs"].join(f"{s['vitals'][k]} {v:g}{_VITAL_UNITS[k]}" for k, v in vit))
    if u.medications:
        out.append(w["medications"] + names(u.medications))
    if u.allergies:
        out.append(w["allergies"] + s["list"].join(x.name for x in u.allergies))
    if u.pregnancy:
        weeks = f" {u.pregnancy.gestational_weeks:g}{w['weeks']}" if u.pregnancy.gestational_weeks else ""
        out.append(w["pregnancy"] + s["pregnant"][u.pregnancy.status] + weeks)

    dif = a.differential
    if dif.likely:
        out.append(head(h["likely"]))
        for i, c in enumerate(dif.likely, 1):
            flag = w["cant_miss_flag"] if c.cant_miss else ""
            out.append(f"  {i}. {pick(c.name, lang)}" + paren(s["likelihood"][c.likelihood]) + flag)
            if c.findings_for:
                out.append(f"     {h['for']}{sep}{names(c.findings_for)}")
            if c.findings_against:
                out.append(f"     {h['against']}{sep}{names(c.findings_against)}")
            if c.ask_about and i <= 3:
                out.append(f"     {h['ask']}{sep}{names(c.ask_about)}")
            for p in c.differential_points[:1]:
                out.append(f"     {w['tells_apart']}{sep}{p.pick(lang)}")
    extra = [c for c in dif.cant_miss if c.id not in {x.id for x in dif.likely}]
    if dif.cant_miss:
        out.append(s["heading_then"].format(h["cant_miss"]) + names(dif.cant_miss))
        for c in extra[:3]:
            out.append(f"  • {pick(c.name, lang)}{sep}{h['for']} {names(c.findings_for)}")
    tests: list[str] = []
    ordered = dif.likely[:1] + (dif.cant_miss if tri.triage_level <= 2 else []) + dif.likely[1:]
    seen_ids: set[str] = set()
    for c in [c for c in ordered if not (c.id in seen_ids or seen_ids.add(c.id))][:4]:
        for t in c.tests[:3]:
            if t.pick(lang) not in tests:
                tests.append(t.pick(lang))
    if tests:
        out.append(head(h["tests"]))
        out += [f"  • {t}" for t in tests[:8]]
    out.append(head(h["actions"]))
    out += [f"  • {x}" for x in a.advice.what_to_do_now]
    if a.advice.withheld:
        out.append(head(m["withheld_heading"][lang]))
        out += [f"  • {x.text}" + paren(x.reason) for x in a.advice.withheld]
    out.append(head(h["seek"]))
    out += [f"  • {x}" for x in a.advice.seek_care_if]
    # The reader's notes are English; a Chinese page shows only the triage notes.
    notes = [n.pick(lang) for n in tri.notes] + list(u.notes if lang != "zh" else [])
    if notes:
        out.append(head(h["notes"]))
        out += [f"  • {n}" for n in notes]
    out.append("")
    out.append(a.advice.disclaimer)
    return "\n".join(out)
