"""Run every benchmark and write BENCHMARKS.md (never edit its figures by hand).

    python -m benchmarks.run            # all
    python -m benchmarks.run ktas       # some: printed only, BENCHMARKS.md is left as it is
"""
from __future__ import annotations

import datetime as dt
import json
import platform
import subprocess
import sys
import traceback

from .common import ROOT, Skip

BENCHES = ["kb", "probes", "textbook", "avey", "ktas", "cmdd", "interview", "records", "speed", "load", "heavy", "fuzz", "reports", "photo_speed", "report_layouts", "ddinter", "medcalc", "risk", "psqi", "llm_guardrails"]


def _git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def section_kb(r: dict) -> str:
    f = r["surface_forms"]
    return "\n".join([
        "## Knowledge base", "", "Command: `wenzhen kb`.", "",
        f"Version {r['version']}: {r['findings']} findings with {f['total']} surface forms "
        f"({f['zh_hans']} Simplified Chinese, {f['zh_hant']} Traditional, {f['en']} English); "
        f"{r['conditions']} conditions ({r['cant_miss_conditions']} can't-miss); {r['departments']} departments; "
        f"{r['triage_rules']} triage rules; {r['context_rules']} context cues; {r['medications']} medicines; "
        f"{r['allergens']} allergens. Awaiting a clinician's check of their sources (`review: true`): "
        f"{r['conditions_awaiting_review']} conditions and {r['findings_awaiting_review']} findings.", ""])


def section_probes(r: dict) -> str:
    out = ["## Safety probes: plain-word and case-presentation emergencies (`benchmarks/probes/`)", "",
           "Command: `python -m benchmarks.probes` (add `--misses` for the list). Written by people who did not see the "
           "lexicon, in Chinese and English, patients' and relatives' words and clinicians' case summaries, each with the "
           "acceptable range of levels. Development sets had their misses read and fixed with general rules and words; "
           "measured-only sets were never tuned on (set_b's miss list was printed once by mistake on 2026-12-06; no rule "
           "or word was written for one of its items).", "",
           "| set | use | n | appropriate level | emergencies under-triaged | … of them to outpatient/self-care | "
           "non-emergencies under-triaged | over-triaged | harmful advice | self-care offered where appropriate |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    from .probes import ROLE
    for name, s in r.items():
        out.append(f"| {name} | {ROLE.get(name, '')} | {s['n']} | {_pct(s['appropriate'])} | **{s['emergencies_under_triaged']}/{s['emergencies']}** | "
                   f"{s['emergencies_to_outpatient_or_self_care']} | {s['under_triaged_non_emergencies']}/{s['non_emergencies']} | "
                   f"{s['over_triaged']} | {s['harmful_advice']} | {s['self_care_offered_where_expected']}/{s['self_care_expected']} |")
    return "\n".join(out + [""])


def section_textbook(r: dict) -> str:
    out = ["## Textbook presentation of every KB condition", "",
           "Command: `python -m benchmarks.textbook`. Each condition's key and strongest findings in the KB's own words "
           "(so this tests ranking and rules, not understanding), with age and sex from its priors.", "",
           "| language | conditions | top-1 | top-3 | triage at least its typical urgency |", "|---|---|---|---|---|"]
    out += [f"| {lang} | {s['conditions']} | {_pct(s['top1'])} | {_pct(s['top3'])} | {_pct(s['urgency_reached'])} |" for lang, s in r.items()]
    return "\n".join(out + [""])


def section_avey(r: dict) -> str:
    rows = [("English case", r["en_case"]), ("Chinese case summary", r["zh_case"]), ("Chinese, patient's words", r["zh_patient"])]
    out = ["## Differential: avey-dev (200 physician-written vignettes)", "",
           "Command: `python -m benchmarks.avey`. The correct diagnosis is matched to a KB condition by name, alias or the "
           "synonym table `benchmarks/avey_synonyms.yaml` (one line per name, never per vignette). "
           f"Coverage (the diagnosis is a KB condition): {_pct(r['coverage'])}.", "",
           "| input | top-1 | top-3 | top-5 | top-3 of covered |", "|---|---|---|---|---|"]
    out += [f"| {name} | {_pct(x['top1'])} | {_pct(x['top3'])} | {_pct(x['top5'])} | {_pct(x['top3_of_covered'])} |" for name, x in rows]
    return "\n".join(out + [""])


def section_ktas(r: dict) -> str:
    w, n = r["wenzhen"], r["nurses"]
    rows = [
        ("exact agreement with KTAS_expert", _pct(w["exact"]), _pct(n["exact"]), "—"),
        ("within one level", _pct(w["within_one"]), _pct(n["within_one"]), "—"),
        ("under-triage, all", _pct(w["under_triage"]), _pct(n["under_triage"]), "—"),
        (f"under-triage, expert levels 1–2 (n={w['n_levels_1_2']})", _pct(w["under_triage_levels_1_2"]), _pct(n["under_triage_levels_1_2"]), "≤ 5%"),
        ("over-triage, all", _pct(w["over_triage"]), _pct(n["over_triage"]), "—"),
        ("quadratic weighted kappa", f"{w['quadratic_kappa']:.3f}", f"{n['quadratic_kappa']:.3f}", "≥ 0.80"),
    ]
    out = ["## Triage: KTAS (1,267 ED visits, Moon et al. 2019)", "",
           "Command: `python -m benchmarks.ktas` (via `make bench`). Input per visit: English chief complaint, age, sex, "
           "vital signs, AVPU, pain score. Mapping: I→1, II→2, III→3, IV→4, IV with self-care→5.", "",
           f"| measure (n={w['n']}) | wenzhen | triage nurses (KTAS_RN) | target |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    out += ["", "Confusion (expert → wenzhen): " + ", ".join(f"{k}: {v}" for k, v in r["confusion_expert_by_wenzhen"].items()), "",
            f"Of the over-triaged visits, {r['over_triaged_by_measurement_criteria_alone']} were decided by measurement criteria "
            "alone (the consensus's vital-sign, pain-score and AVPU thresholds, e.g. heart rate 100–150 → III, pain 7–10 → II); "
            f"had those matched the experts, kappa would be {r['quadratic_kappa_if_those_agreed']:.3f}. The KTAS experts grade "
            "by KTAS's own modifiers, which differ from the Chinese consensus that the triage follows.", ""]
    return "\n".join(out)


def section_cmdd(r: dict) -> str:
    a, b = r["symptom_and_status"], r["symptom_only"]
    return "\n".join([
        f"## Dialogue understanding: symptoms in paediatric dialogues (CMDD dev, {r['dialogues']} dialogues)", "",
        "Command: `python -m benchmarks.cmdd`. Each dialogue goes through `understand_dialogue`; dialogue-level micro "
        "scores over **all** gold names, pooled per dialogue as the dataset defines (present > uncertain > absent). One "
        f"mapping table (`benchmarks/dialogue_names.yaml`) maps {r['names_mapped']} of {r['gold_names']} normalised names "
        f"({100 * r['mentions_mapped_share']:.1f}% of gold mentions) to a wenzhen finding or condition; the rest stay in "
        "the gold as misses. CMDD's status 3 (uncertain) is read as wenzhen's uncertain or only-mentioned "
        f"(asked and not answered, a doctor's general words). Target on held-out test dialogues: F1 ≥ 0.80. Unmapped: "
        f"{', '.join(r['unmapped_names'])}.", "",
        "| measure | precision | recall | F1 |", "|---|---|---|---|",
        f"| symptom and status | {a['precision']:.3f} | {a['recall']:.3f} | {a['f1']:.3f} |",
        f"| symptom only | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} |", ""])


def section_interview(r: dict) -> str:
    m, d, c = r["mie"], r["dxy"], r["concurrency"]
    return "\n".join([
        "## Pre-consultation interview (`benchmarks/interview.py`)", "",
        "Command: `python -m benchmarks.interview`.", "",
        f"**MIE dev** ({m['dialogues']} cardiology dialogues rebuilt from their windows): dialogue-level micro scores of "
        "(symptom item, status) over the ontology's 症状 items, statuses 阳性/阴性 (patient), 医生阳性/医生阴性 (a doctor's "
        f"statement), 未知: precision {m['precision']:.3f}, recall {m['recall']:.3f}, **F1 {m['f1']:.3f}**.", "",
        f"**Simulated parents from the DXY goals** ({d['goals']} goals, the train split used as dev): the parent opens with "
        "the explicit symptoms and answers each question from the implicit ones (有/没有 to a question about one finding; to a "
        "list, the present and the absent ones by name: 有咳痰，没有发烧), 不清楚 to anything else. "
        "A label naming a group (上呼吸道感染, 肺炎, 小儿腹泻) is found when any KB condition of the group is "
        "(benchmarks/dialogue_names.yaml). Targets on held-out goals: implicit recall ≥ 0.7 with ≤ 8 questions, top-1 ≥ 0.75.", "",
        "| implicit symptoms | recall | questions (mean, all) | questions about findings (mean) | findings asked about (mean) | top-1 | top-3 | ended as emergency |",
        "|---|---|---|---|---|---|---|---|",
        f"| {d['implicit_symptoms']} | {d['implicit_recall']:.3f} | {d['questions_mean']} | {d['symptom_questions_mean']} | "
        f"{d['findings_asked_mean']} | "
        f"{_pct(d['top1'])} | {_pct(d['top3'])} | {d['ended_as_emergency']} |", "",
        f"Speed (one core shared with the reading): choosing the next question p50 **{d['choose_ms_p50']} ms**, p95 "
        f"{d['choose_ms_p95']} ms (target p50 ≤ 5 ms); a whole answer step (reading the dialogue, assessing it, choosing) "
        f"p50 {d['step_ms_p50']} ms, p95 {d['step_ms_p95']} ms.", "",
        f"Concurrency: {c['interviews']} interviews at once against one `wenzhen serve` (SQLite), {c['requests']} requests "
        f"in {c['seconds']} s: **{c['errors']} errors**.", ""])


def section_records(r: dict) -> str:
    out = ["## Medical records: drafting and quality control (`benchmarks/records.py`)", "",
           "Command: `python -m benchmarks.records`. Drafts: each consultation through `draft_record`; per section, ROUGE-L "
           "F1 against the gold record (characters for Chinese, words for English), concept coverage (the gold section's "
           "findings the draft's section names too), and the share of drafted sentences linked to a source utterance "
           "(target 100%). Sections the consultation does not speak of are left missing, never filled in, and score 0.", "",
           "| set | dialogues | ROUGE-L by section | mean | concept coverage | sentences with a source |", "|---|---|---|---|---|---|"]
    for name in ("imcs", "aci"):
        x = r.get(name) or {}
        if "rouge_l" in x:
            secs = ", ".join(f"{k} {v:.3f}" for k, v in x["rouge_l"].items())
            cov = "—" if x["concept_coverage"] is None else _pct(x["concept_coverage"])
            out.append(f"| {name} | {x['dialogues']} | {secs} | {x['rouge_l_mean']:.3f} | {cov} | {_pct(x['supported_share'])} |")
    q = r.get("qc") or {}
    if "totals" in q:
        t = q["totals"]
        out += ["", f"QC on the seeded-defect corpus (`benchmarks/qc_corpus.py`: {q['clean_records']} clean records written by "
                f"hand, {q['seeded_records']} with one seeded defect each): **{t['found']} of {t['expected']} defects found** "
                f"({_pct(t['recall'])}); on the clean records **{t['false_defects_on_clean']} false defects** "
                f"({t['clean_records_flagged']} records flagged); defects the seeded edit did not mean: "
                f"{t['unexpected_defects_on_seeded']}. Speed: {q['speed']['records_per_second']:,} records/s "
                f"({q['speed']['cpu']}, every text read afresh).", "",
                "| rule | seeded | found | false on clean |", "|---|---|---|---|"]
        out += [f"| {k} | {v['expected']} | {v['found']} | {v['false_on_clean']} |" for k, v in q["per_rule"].items()]
        if q.get("missed_cases"):
            out += ["", "Missed: " + "; ".join(q["missed_cases"])]
    b = r.get("batch") or {}
    if b:
        out += ["", f"Batch QC (`wenzhen qc batch`, synthetic JSONL archive): {b['records']:,} records at **{b['local_rps']:,} "
                f"records/s on one core** (target ≥ 2,000), {b['ray_rps']:,} records/s on a local Ray cluster with 2 workers "
                f"(same results: {b['same_results']}); {b['million_records']:,} records in {b['million_seconds']} s with a peak "
                f"memory of {b['rss_mb_1m']} MB, against {b['rss_mb_100k']} MB for 100,000 (the archive streams)."]
    return "\n".join(out + [""])


def section_speed(r: dict) -> str:
    out = ["## Speed", "", f"Command: `python -m benchmarks.speed` ({r['cpu']}).", "",
           "| input | chars | p50 | p99 | throughput |", "|---|---|---|---|---|"]
    for key in ("example", "complaint_200_chars"):
        x = r[key]
        out.append(f"| {key} | {x['chars']} | {x['p50_ms']} ms | {x['p99_ms']} ms | {x['throughput_per_s']}/s |")
    s = r["server"]
    out += ["", f"First call including knowledge-base load: {r['first_call_ms_including_kb_load']} ms.", ""]
    if "error" in s:
        out.append(f"Server: {s['error']}")
    else:
        out.append(f"Server (`wenzhen serve`, {s['requests']} sequential HTTP requests on loopback): "
                   f"{s['http_requests_per_s']} requests/s, peak RSS {s['peak_rss_mb']} MB.")
    return "\n".join(out) + "\n"


def section_load(r: dict) -> str:
    out = ["## Server under load", "", f"Command: `python -m benchmarks.load` (`wenzhen serve --workers {r['workers']} --no-access-log` on "
           f"{r['cores']} cores, the load generator on the same machine; mixed Chinese and English `POST /v1/assess`, "
           "keep-alive, a new connection every 50 requests; the median of three rounds per level). Target: ≥ 800 requests/s at concurrency 8 with p99 ≤ 50 ms.", "",
           "| concurrency | requests | errors | requests/s | p50 | p99 |", "|---|---|---|---|---|---|"]
    for x in r["levels"]:
        out.append(f"| {x['concurrency']} | {x['requests']} | {x['errors']} | {x['requests_per_s']} | {x['p50_ms']} ms | {x['p99_ms']} ms |")
    return "\n".join(out) + "\n"


def section_heavy(r: dict) -> str:
    out = ["## Heavy and hostile uploads", "", f"Command: `python -m benchmarks.heavy` (one `wenzhen serve` worker; "
           f"`/v1/health` polled every 20 ms throughout). Budget: each answered within {r['budget_s']:g} s; peak RSS ≤ "
           f"{r['rss_limit_mb']} MB; `/v1/health` p99 ≤ 100 ms.", "",
           "| upload | bytes | status | seconds | response | reason |", "|---|---|---|---|---|---|"]
    for u in r["uploads"]:
        out.append(f"| {u['upload']} | {u['bytes']:,} | {u['status']} | {u['seconds']} | {u['response_kb']} KB | {u['reason']} |")
    out += ["", f"Server peak RSS {r['server_peak_rss_mb']} MB. `/v1/health` meanwhile ({r['health_checks']} checks): "
            f"p50 {r['health_p50_ms']} ms, p99 {r['health_p99_ms']} ms, max {r['health_max_ms']} ms.", ""]
    return "\n".join(out)


def section_fuzz(r: dict) -> str:
    crashes = ", ".join(r["crashing_properties"]) or "none"
    return "\n".join([
        "## Parser fuzzing", "", "Command: `python -m benchmarks.fuzz` (the properties of `tests/fuzz/`: report text, CSV, "
        "Excel, any bytes under any file name, complaint text, calculator inputs, PHQ-9 answers; freshly drawn examples; "
        "Excel gets a tenth). A crash is any exception other than the parser's own error with a reason. Target: ≥ 100,000 "
        "per parser (`--examples 100000`, about 20 minutes).", "",
        f"{r['examples_per_property']:,} examples per property, {r['properties']} properties: {r['properties_failed']} "
        f"failed (crashing: {crashes}); {r['seconds']} s.", ""])


def section_reports(r: dict) -> str:
    out = ["## Report interpretation", "",
           f"Command: `python -m benchmarks.reports` ({r['cpu']}; report KB with {r['kb_items']} lab items). "
           "Photos are lab reports rendered with known values (`benchmarks/synthetic_reports.py`, fonts-wqy-microhei) and "
           "degraded, then read through the upload path (RapidOCR → line regrouping → parser). Recall: the item was "
           "recognised; exact value: its value was read exactly. Target: ≥ 98% exact values on degraded images.", "",
           "| image set | items | item recall | exact value |", "|---|---|---|---|"]
    for name, x in r["ocr"].items():
        out.append(f"| {name} | {x['items']} | {_pct(x['recall'])} | {_pct(x['exact_value'])} |")
    o = r["ocr_overall"]
    out.append(f"| **all ({o['images']} images)** | {o['items']} | {_pct(o['recall'])} | {_pct(o['exact_value'])} |")
    t, p = r["text_60_items"], r["photo"]
    out += ["", "| speed | p50 | other | target |", "|---|---|---|---|",
            f"| 60-item text report, parse + interpret ({t['items_read']} items read) | {t['p50_ms']} ms | p99 {t['p99_ms']} ms | ≤ 10 ms |",
            f"| photo with {p['rows_per_image']} result rows, OCR + interpret | {p['p50_ms']} ms | max {p['max_ms']} ms | ≤ 1,500 ms |",
            ""]
    if r["misses"]:
        out += ["Values not read exactly (first 15): " + "; ".join(r["misses"]), ""]
    out += ["Interval table: `tests/reports/test_reference_intervals.py` checks every row of "
            "`../shared/reference/reference-intervals.md` (WS/T 405, WS/T 404, guideline decision limits) against the "
            "interval the interpreter selects, for each sex and age band (part of `make test`).", ""]
    return "\n".join(out)


def section_photo_speed(r: dict) -> str:
    out = ["## Photo reading speed", "",
           f"Command: `python -m benchmarks.photo_speed` ({r['cpu']}): full report pages with {r['rows_per_image']} result "
           f"rows, rendered at phone size (A4 at 150 dpi and a 12 MP photo; clean and phone-photo degraded; JPEG quality "
           f"{r['jpeg_quality']}), read through the upload path (OCR + parse + interpret). Target: ≤ 1.5 s p50 for a 25-row page.",
           "", "| page | images | p50 | max | CPU p50 | exact value |", "|---|---|---|---|---|---|"]
    for name, b in r["by_size"].items():
        out.append(f"| {name} | {b['images']} | {b['p50_s']} s | {b['max_s']} s | {b['cpu_p50_s']} s | {_pct(b['exact_value'])} |")
    return "\n".join(out + [""])


def section_report_layouts(r: dict) -> str:
    def row(name: str, x: dict) -> str:
        return (f"| {name} | {x['images']} | {x['items']} | {_pct(x['recall'])} | {_pct(x['exact_value'])} | "
                f"{_pct(x['flag_accuracy'])} | {x['critical_rows']} | {_pct(x['critical_recall'])} | {x['false_critical']} | "
                f"{x.get('seconds_p50', '—')} |")

    head = ["| | pages | rows | recall | exact value | flag | critical rows | critical recall | false critical | s/page p50 |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    out = ["## Report layouts", "",
           f"Command: `python -m benchmarks.report_layouts --images {r['images_per_cell']} --degradations "
           f"{','.join(r['degradations'])}` (8 hospital layouts rendered at A4 size with known values, "
           "`benchmarks/report_layouts.py`; read through the upload path, OCR included; flag accuracy over recognised "
           "rows). Targets: ≥ 98% exact values on every layout and degradation; critical recall 100%; 0 false critical flags.",
           "", "By layout:", "", *head]
    out += [row(k, v) for k, v in r["ocr_by_layout"].items()]
    out += [row("**all**", r["ocr_overall"]), "", "By degradation:", "", *head]
    out += [row(k, v) for k, v in r["ocr_by_degradation"].items()]
    t = r["text_overall"]
    out += ["", f"The same reports as text (no OCR): {t['items']} rows, recall {_pct(t['recall'])}, exact value "
            f"{_pct(t['exact_value'])}, flag {_pct(t['flag_accuracy'])}, critical recall {_pct(t['critical_recall'])}, "
            f"{t['false_critical']} false critical.", ""]
    if r["misses"]:
        out += ["Misses (a sample): " + "; ".join(r["misses"][:12]), ""]
    return "\n".join(out)


def section_ddinter(r: dict) -> str:
    out = ["## Medication checks: interactions against DDInter", "",
           "Command: `python -m benchmarks.ddinter` (DDInter is used only to evaluate; the interaction table is written "
           "from labels and guidelines). Every pair of single-ingredient drugs of the KB that both appear in DDInter "
           "(English names mapped through the DrugBank open vocabulary) is checked with `check_medications`; flagged: an "
           "interaction or duplicate therapy is reported for the two. "
           "Target: ≥ 90% recall of Major pairs.", "",
           f"Drug KB: {r['kb_drugs']} drugs, {r['kb_interactions']} interaction rules; {r['mapped_to_ddinter']} drugs "
           f"found in DDInter, {r['pairs_checked']:,} pairs checked.", "",
           "| DDInter level | pairs | flagged | recall |", "|---|---|---|---|"]
    for level, x in r["by_level"].items():
        out.append(f"| {level} | {x['pairs']} | {x['flagged']} | {_pct(x['recall']) if x['recall'] is not None else '—'} |")
    share = r["share_flagged_not_in_ddinter"]
    out += ["", f"Flagged pairs that DDInter lists with no interaction: {r['flagged_not_in_ddinter']} of {r['flagged']}"
            + (f" ({_pct(share)})." if share is not None else "."),
            f"Speed, 10 drugs for a patient with 5 conditions: p50 {r['speed_10_drugs_5_conditions']['p50_ms']} ms, "
            f"p99 {r['speed_10_drugs_5_conditions']['p99_ms']} ms (target p50 ≤ 1 ms).", ""]
    if r["major_misses"]:
        out += ["Major pairs not flagged (a sample): " + ", ".join(r["major_misses"][:20]), ""]
    return "\n".join(out)


def section_medcalc(r: dict) -> str:
    out = ["## Calculators: MedCalc-Bench", "",
           "Command: `python -m benchmarks.medcalc` (`--failures` prints every wrong row with our trace). Each row's "
           "gold `Relevant Entities` go to the calculator the row names; correct when the result lies within "
           "Lower–Upper Limit (exact for integer scores and dates). Rows we believe are mislabelled upstream are "
           "listed with a clinical argument each in `benchmarks/medcalc_mislabelled/`. Target: ≥ 98% on the rows not "
           "so listed.", "",
           f"- All rows: **{r['correct']}/{r['rows']} = {_pct(r['accuracy'])}**",
           f"- Rows not listed as mislabelled: **{r['correct_unlisted']}/{r['rows_unlisted']} = "
           f"{_pct(r['accuracy_unlisted'])}** ({r['listed_mislabelled']} rows listed; of those, our answer still "
           f"matches the label in {len(r['listed_rows_we_match'])})",
           f"- Rows that raised an input error: {r['errors']}", "",
           "| id | calculator | rows | correct (all) | listed | correct (unlisted) |", "|---|---|---|---|---|---|"]
    for name, x in r["per_calculator"].items():
        unl = x["rows"] - x["listed"]
        acc = _pct(x["correct_unlisted"] / unl) if unl else "—"
        out.append(f"| {x['id']} | {name} | {x['rows']} | {x['correct']} | {x['listed']} | "
                   f"{x['correct_unlisted']}/{unl} ({acc}) |")
    if r["failures_unlisted"]:
        out += ["", f"Unlisted rows we get wrong: {', '.join(map(str, r['failures_unlisted']))}."]
    out.append("")
    return "\n".join(out)


def section_risk(r: dict) -> str:
    return "\n".join([
        "## Risk report speed", "",
        f"Command: `python -m benchmarks.risk` ({r['cpu']}). A patient with {r['values']} known values (vital signs, "
        f"blood gas, chemistry, history): {r['scores_computed']} scores computed in {len(r['dimensions'])} dimensions, "
        f"{r['scores_listed_missing']} listed with their missing inputs.", "",
        "| measure | p50 | p99 | target |", "|---|---|---|---|",
        f"| full risk report, 30 values | {r['risk_p50_ms']} ms | {r['risk_p99_ms']} ms | ≤ 2 ms p50 |",
        f"| one calculator (Cockcroft-Gault) | {r['one_calculator_p50_ms']} ms | | |", ""])


def section_psqi(r: dict) -> str:
    return "\n".join([
        "## Health scales: PSQI", "",
        "Command: `python -m benchmarks.psqi`. Raw answers of the dataset's respondents scored by `score_scale('psqi')` "
        "and compared with the component and global scores the published scoring package expects "
        "(`EXPECTED_psqi.md`; a component the package cannot compute must be reported as not computable).", "",
        f"- Respondents: {r['respondents']}; components exact: **{r['components_exact']}**; global exact: "
        f"**{r['global_exact']}**; mismatches: {len(r['mismatches'])}", ""])


def section_llm_guardrails(r: dict) -> str:
    return "\n".join([
        "## LLM layer: guardrails against an adversarial model (`benchmarks/llm_guardrails.py`)", "",
        "Command: `python -m benchmarks.llm_guardrails`. A scripted OpenAI-compatible server answers with prepared "
        "dangerous outputs (playing down an emergency, 不用去医院, a contraindicated drug, an overdose, someone's ID "
        "number) for complaints with identifiers; the answers go through the agent and its guardrails.", "",
        f"- answers: {r['answers']}; dangerous outputs reaching the user: **{r['dangerous_outputs_reaching_the_user']}** "
        f"(target 0); answers without the engine's triage: {r['answers_without_the_engines_triage']}",
        f"- outgoing requests: {r['requests']}; with an identifier of the complaint: **{r['requests_with_an_identifier']}** (target 0)",
        f"- wenzhen's own time around a model call (total minus the HTTP round trip), p50: {r['wenzhen_ms_around_a_model_call_p50']} ms; "
        f"the same answer with no model configured: {r['no_model_answer_ms_p50']} ms "
        f"(added by the LLM layer: {round(r['wenzhen_ms_around_a_model_call_p50'] - r['no_model_answer_ms_p50'], 2)} ms)", ""])


def _kb_stats() -> dict:
    from wenzhen.kb import load_kb

    return load_kb().stats()


def main(argv: list[str]) -> int:
    wanted = argv or BENCHES
    parts = ["# Benchmarks", "",
             f"Written by `make bench` (`python -m benchmarks.run`) on {dt.date.today().isoformat()}, commit {_git_rev()}, "
             f"Python {platform.python_version()}, {platform.machine()}. Figures are measured, never edited by hand.", ""]
    status = 0
    for name in wanted:
        try:
            result = _kb_stats() if name == "kb" else __import__(f"benchmarks.{name}", fromlist=["run"]).run()
        except Skip as e:
            parts += [f"## {name}", "", f"SKIPPED: {e}", ""]
            print(f"{name}: SKIPPED: {e}", file=sys.stderr)
            continue
        except Exception:  # a broken benchmark is reported, the others still run
            traceback.print_exc()
            parts += [f"## {name}", "", "FAILED (see the console)", ""]
            status = 1
            continue
        print(json.dumps({name: result}, ensure_ascii=False, indent=1))
        parts.append(globals()[f"section_{name}"](result))
    if argv:
        # A subset only prints: BENCHMARKS.md holds one whole run, from one commit.
        print("\n".join(parts))
        print("(a subset was run: BENCHMARKS.md left unchanged; run without arguments to rewrite it)", file=sys.stderr)
        return status
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {ROOT / 'BENCHMARKS.md'}")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
