"""Command line: a thin layer over the Python API.

  wenzhen assess "突然胸痛两小时"        readable Chinese (English for English input)
  wenzhen assess --json "..."            the same as JSON
  echo "..." | wenzhen assess            reads standard input
  wenzhen report 体检报告.pdf            interpret a report: .txt .csv .xlsx .json (FHIR) .pdf .jpg/.png
  wenzhen report a.pdf b.pdf             several reports of one person: each, then the trends
  wenzhen calc cha2ds2_vasc age=72 sex=female hypertension=yes     one calculator (units: creatinine=1.4mg/dL)
  wenzhen calc --list                    every calculator with its inputs
  wenzhen convert creatinine 1.4mg/dL umol/L                       unit conversion for a measurement
  wenzhen risk patient.json              every applicable score for a patient, by dimension
  wenzhen scale psqi answers.json        a health scale (PSQI, ISI, ESS, STOP-BANG, PHQ-9, GAD-7)
  wenzhen serve [--host H] [--port P]    REST API + web page
  wenzhen kb                             knowledge-base counts
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

from pydantic import ValidationError


def _errors(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(x) for x in err['loc']) or 'input'}: {err['msg']}" for err in e.errors())


def _read_text(arg: str | None) -> str:
    if arg is not None and arg != "-":
        return arg
    if sys.stdin is None or sys.stdin.isatty():
        raise SystemExit("wenzhen assess: give the complaint as an argument or on standard input")
    raw = sys.stdin.buffer.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")  # common for Chinese Windows exports
        except UnicodeDecodeError as e:
            raise SystemExit("wenzhen assess: input is not text (neither UTF-8 nor GB18030)") from e


def cmd_assess(args: argparse.Namespace) -> int:
    from ..assessment import AssessRequest, assess_request
    from ..assessment.render import render
    from ..kb import KBError, get_kb

    text = _read_text(args.text)
    vitals = {}
    for pair in args.vital or []:
        if "=" not in pair:
            print(f"wenzhen assess: --vital needs name=value, got {pair!r}", file=sys.stderr)
            return 2
        k, v = pair.split("=", 1)
        vitals[k.strip()] = v.strip()
    try:
        kb = get_kb(args.hospital_config)
        req = AssessRequest(text=text, age=args.age, sex=args.sex, vitals=vitals or None,
                            consciousness=args.consciousness, language=args.lang)
    except ValidationError as e:
        print(f"wenzhen assess: {_errors(e)}", file=sys.stderr)
        return 2
    except KBError as e:
        print(f"wenzhen assess: {e}", file=sys.stderr)
        return 2
    result = assess_request(req, kb)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(render(result))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..kb import KBError
    from ..kb.lab_loader import default_lab_kb
    from ..reports import PatientContext, ReportReadError, compare_reports, interpret_file, interpret_text
    from ..reports.fhir import to_fhir_bundle
    from ..reports.render import render, render_trends

    try:
        kb = default_lab_kb(args.critical_values)
        patient = PatientContext(sex=args.sex, age_years=args.age, medications=args.med or [])
    except (KBError, ValidationError) as e:
        print(f"wenzhen report: {_errors(e) if isinstance(e, ValidationError) else e}", file=sys.stderr)
        return 2
    results = []
    for f in args.files:
        try:
            if f == "-":
                results.append(interpret_text(_read_text(None), patient, args.lang, kb))
            else:
                results.append(interpret_file(f, patient, args.lang, kb))
        except ReportReadError as e:
            print(f"wenzhen report: {f}: {e}", file=sys.stderr)
            return 2
    trends = compare_reports(results, results[0].language) if len(results) > 1 else None
    if args.fhir:
        bundles = [to_fhir_bundle(r, kb) for r in results]
        print(json.dumps(bundles[0] if len(bundles) == 1 else bundles, ensure_ascii=False, indent=2))
    elif args.json:
        payload = [r.model_dump(mode="json") for r in results]
        out = {"reports": payload, "trends": trends.model_dump(mode="json") if trends else None} if trends else payload[0]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(render(r) for r in results))
        if trends:
            print("\n" + render_trends(trends))
    return 0


def _kv_value(text: str):
    t = text.strip()
    try:
        return json.loads(t)  # numbers, true/false, lists like [1.4, "mg/dL"]
    except ValueError:
        return t


def _read_json_file(path: str, verb: str) -> dict | None:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except OSError as e:
        print(f"wenzhen {verb}: cannot read {path}: {e.strerror}", file=sys.stderr)
        return None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        print(f"wenzhen {verb}: {path} is not valid JSON: {e}", file=sys.stderr)
        return None
    if not isinstance(data, dict):
        print(f"wenzhen {verb}: {path} must hold a JSON object of name: value", file=sys.stderr)
        return None
    return data


def cmd_calc(args: argparse.Namespace) -> int:
    from ..calculators import CalculationError, UnknownCalculator, calculate, list_calculators
    from ..calculators.render import render_result

    if args.list or not args.name:
        infos = list_calculators()
        if args.json:
            print(json.dumps([i.model_dump() for i in infos], ensure_ascii=False, indent=2))
        else:
            for i in infos:
                req = [x.var for x in i.inputs if x.required]
                print(f"{i.id:<36} {i.name.zh if args.lang != 'en' else i.name.en}  [{', '.join(req)}]")
        return 0
    inputs = {}
    for pair in args.inputs:
        if "=" not in pair:
            print(f"wenzhen calc: inputs are name=value, got {pair!r}", file=sys.stderr)
            return 2
        k, v = pair.split("=", 1)
        inputs[k.strip()] = _kv_value(v)
    if args.file:
        data = _read_json_file(args.file, "calc")
        if data is None:
            return 2
        inputs = {**data, **inputs}
    lang = "en" if args.lang == "en" else "zh"
    try:
        res = calculate(args.name, inputs, language=lang)
    except UnknownCalculator as e:
        print(f"wenzhen calc: {e}; see `wenzhen calc --list`", file=sys.stderr)
        return 2
    except CalculationError as e:
        print(f"wenzhen calc: {args.name}:", file=sys.stderr)
        for p in e.problems:
            print(f"  - {p.reason}" if p.input == p.var else f"  - {p.input}: {p.reason}", file=sys.stderr)
        return 2
    print(res.model_dump_json(indent=2) if args.json else render_result(res))
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from ..calculators import CalculationError, convert

    try:
        r = convert(args.variable, args.value, args.to, language=args.lang)
    except CalculationError as e:
        print("wenzhen convert: " + "; ".join(f"{p.input}: {p.reason}" for p in e.problems), file=sys.stderr)
        return 2
    if args.json:
        print(r.model_dump_json(indent=2))
    else:
        print(f"{r.label}: {r.given} = {r.value:.6g} {r.unit}" + (f"  ({r.source})" if r.source else ""))
    return 0


def cmd_risk(args: argparse.Namespace) -> int:
    from ..calculators.render import render_risk
    from ..calculators.risk import assess_risk

    data = _read_json_file(args.file, "risk")
    if data is None:
        return 2
    lang = "en" if args.lang == "en" else "zh"
    try:
        rep = assess_risk(data, text=args.text, language=lang)
    except ValueError as e:  # a blank or binary complaint text
        print(f"wenzhen risk: {e}", file=sys.stderr)
        return 2
    print(rep.model_dump_json(indent=2) if args.json else render_risk(rep))
    return 0


def cmd_scale(args: argparse.Namespace) -> int:
    from ..scales import ScaleError, list_scales, score_scale
    from ..scales.render import render_scale

    if args.list or not args.name:
        for s in list_scales():
            print(f"{s.id:<12} {s.name.zh if args.lang != 'en' else s.name.en}")
        return 0
    if not args.file:
        print("wenzhen scale: give the answers as a JSON file (item id: answer)", file=sys.stderr)
        return 2
    data = _read_json_file(args.file, "scale")
    if data is None:
        return 2
    lang = "en" if args.lang == "en" else "zh"
    try:
        res = score_scale(args.name, data, language=lang)
    except ScaleError as e:  # the message leads with any safety alert (PHQ-9 item 9)
        print(f"wenzhen scale: {e}", file=sys.stderr)
        return 2
    print(res.model_dump_json(indent=2) if args.json else render_scale(res))
    return 0


def cmd_meds(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    args.lang_given = args.lang is not None
    args.lang = args.lang or "zh"

    from ..kb.base import KBError
    from ..medications import check_medications, drug_info
    from ..medications.render import render_check

    try:
        if args.action == "info":
            if not args.names:
                print("wenzhen meds info: give a drug name, e.g. wenzhen meds info ibuprofen", file=sys.stderr)
                return 2
            d = drug_info(" ".join(args.names))
            if d is None:
                print(f"wenzhen meds info: {' '.join(args.names)!r} is not in the drug knowledge base", file=sys.stderr)
                return 2
            print(d.model_dump_json(indent=2, exclude_none=True))
            return 0
        if args.action == "selfcare":
            return _selfcare(args)
        if not args.names:
            print("wenzhen meds check: give the medicines, e.g. wenzhen meds check warfarin ibuprofen --age 70", file=sys.stderr)
            return 2
        drugs = [_order(n) for n in args.names]
        res = check_medications(_patient_args(args), drugs, language=args.lang)
    except ValidationError as e:
        print(f"wenzhen meds: {_errors(e)}", file=sys.stderr)
        return 2
    except KBError as e:
        print(f"wenzhen meds: the drug knowledge base is broken: {e}", file=sys.stderr)
        return 2
    print(res.model_dump_json(indent=2) if args.json else render_check(res))
    return 0


def _patient_args(args: argparse.Namespace) -> dict:
    return {k: v for k, v in {"age": args.age, "weight_kg": args.weight, "egfr": args.egfr,
                              "child_pugh": args.child_pugh, "pregnant": args.pregnant or None,
                              "breastfeeding": args.breastfeeding or None,
                              "allergies": args.allergy or [], "conditions": args.condition or []}.items()
            if v is not None}


def _selfcare(args: argparse.Namespace) -> int:
    """wenzhen meds selfcare "complaint": the assessment first; self-care only at level IV, checked for the patient."""
    from ..assessment import AssessRequest, assess_request
    from ..medications.selfcare import render_self_care, self_care_for_assessment

    if not args.names:
        print('wenzhen meds selfcare: give the complaint, e.g. wenzhen meds selfcare "my 3 year old has a fever" --weight 14',
              file=sys.stderr)
        return 2
    a = assess_request(AssessRequest(text=" ".join(args.names), age=args.age,
                                     language=args.lang if args.lang_given else "auto"))
    g = self_care_for_assessment(a, _patient_args(args))
    print(g.model_dump_json(indent=2) if args.json else render_self_care(g))
    return 0


def _order(text: str) -> dict:
    """'ibuprofen:400mg:tid' → name, dose, frequency (a plain name is a name)."""
    parts = [x.strip() for x in text.replace("：", ":").split(":")]
    keys = ("name", "dose", "frequency")
    return {k: v for k, v in zip(keys, parts) if v}


def cmd_mcp(args: argparse.Namespace) -> int:
    from ..llm.mcp_server import main as serve_mcp

    serve_mcp()
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from ..llm.agent import answer
    from ..llm.config import load_config

    text = " ".join(args.text) if args.text else sys.stdin.read()
    if not text.strip():
        print('wenzhen chat: give a question, e.g. wenzhen chat "headache for three days, what should I do?"', file=sys.stderr)
        return 2
    try:
        a = answer([{"role": "user", "content": text}], load_config())
    except ValueError as e:
        print(f"wenzhen chat: {e}", file=sys.stderr)
        return 2
    print(a.model_dump_json(indent=2) if args.json else a.content)
    return 0


def _picked_options(reply: str, q) -> str:
    """A reply given as option numbers: "2" is that option; for a checklist, "2,4" (or "2 4") names both."""
    from ..interview.engine import MSG
    parts = re.split(r"[\s,，、]+", reply)
    if q.options and parts and all(x.isdigit() and 1 <= int(x) <= len(q.options) for x in parts):
        picked = [q.options[int(x) - 1] for x in dict.fromkeys(parts)]
        if len(picked) == 1 or q.checklist:
            return MSG["cli"]["list_joiner"].join(picked)
    return reply


def cmd_interview(args: argparse.Namespace) -> int:
    """An interactive pre-consultation interview in the terminal (answers from stdin, one per line; a number picks
    a quick reply, several numbers ("2,4") several items of a checklist; an empty input or EOF ends it), then the report. Saved like the REST API's, so --resume works."""
    import json

    from ..interview.engine import MSG, InterviewEnded, StartRequest
    from ..interview.report import render_report, report_fhir
    from ..interview.service import InterviewService
    from ..interview.store import InterviewStore, UnknownInterview

    interactive = sys.stdin.isatty()
    try:
        svc = InterviewService(InterviewStore(args.database) if args.database else None)
        if args.resume:
            iid = args.resume
            step = svc.current(iid)
        else:
            text = " ".join(args.complaint) if args.complaint else _read_line(MSG["cli"]["prompt"], interactive)
            if not text or not text.strip():
                print(f"wenzhen interview: {MSG['cli']['usage']}", file=sys.stderr)
                return 2
            iid, step = svc.start(StartRequest(complaint=text, age=args.age, sex=args.sex, language=args.lang))
        print(f"interview {iid}", file=sys.stderr)
        while step.status == "open" and step.question is not None:
            q = step.question
            print(q.text)
            if q.options:
                print("  " + "  ".join(f"[{i}] {o}" for i, o in enumerate(q.options, 1)))
            reply = _read_line("> ", interactive)
            if not interactive and reply is not None:
                print(f"> {reply}")  # answers piped in: show them beside their questions
            if reply is None or not reply.strip() or reply.strip().lower() in MSG["cli"]["quit_words"]:
                step = svc.stop(iid)
                break
            reply = _picked_options(reply.strip(), q)
            step = svc.answer(iid, reply)
        if step.message:
            print(step.message)
            for line in step.what_to_do_now:
                print(f"  • {line}")
        report = svc.report(iid)
    except UnknownInterview:
        print(f"wenzhen interview: no interview {args.resume}", file=sys.stderr)
        return 2
    except (ValueError, InterviewEnded) as e:
        print(f"wenzhen interview: {e}", file=sys.stderr)
        return 2
    print()
    if args.report == "json":
        print(report.model_dump_json(indent=2))
    elif args.report == "fhir":
        state, _ = svc.state(iid)
        print(json.dumps(report_fhir(report, state), ensure_ascii=False, indent=2))
    else:
        print(render_report(report))
    return 0


def _dialogue_from_text(text: str) -> list:
    """A consultation as JSON ([{"speaker", "text"}]) or as labelled lines (医生：… / 患者：… / Doctor: …)."""
    import json

    from ..interview.dialogue import Utterance
    from ..understanding.cues import WORDS as CUE_WORDS
    from ..understanding.extract import _dialogue_turns
    from ..understanding.text import normalize

    text = text.strip()
    if text.startswith("["):
        return [Utterance.model_validate(t) for t in json.loads(text)]
    # One labelled turn per line: kept as written (the record quotes the doctor's advice).
    lines = [ln for ln in text.splitlines() if ln.strip()]
    turns = []
    doctors = {w.lower() for w in CUE_WORDS["doctor_labels"]}
    patients = {w.lower() for w in CUE_WORDS["patient_labels"]}
    for ln in lines:
        label = re.match(r"\s*([^:：]{1,12}?)\s*[:：]\s*(.*)", ln)
        who = label.group(1).strip().lower() if label else ""
        if not label or not label.group(2).strip() or who not in doctors | patients:
            turns = []
            break
        turns.append(Utterance(speaker="doctor" if who in doctors else "patient", text=label.group(2).strip()[:2000]))
    if turns:
        return turns
    norm = normalize(text)
    spans = _dialogue_turns(norm)
    if not spans:
        raise ValueError("no dialogue found: label each turn (Doctor: … Patient: …, or the Chinese labels) or give JSON")
    return [Utterance(speaker=role, text=norm[a:b].strip()[:2000]) for role, a, b in spans if norm[a:b].strip()]


def cmd_record(args: argparse.Namespace) -> int:
    """Draft a record from a consultation dialogue (a file, or - for stdin)."""
    from ..records import Patient, draft_record

    try:
        text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
        turns = _dialogue_from_text(text)
        d = draft_record(turns, kind=args.kind, patient=Patient(age=args.age, sex=args.sex))
    except (OSError, ValueError) as e:
        print(f"wenzhen record: {e}", file=sys.stderr)
        return 2
    print(d.model_dump_json(indent=2) if args.json else d.text)
    return 0


def cmd_qc(args: argparse.Namespace) -> int:
    """Check one record (JSON, or text with its section headings), or a whole archive (qc batch)."""
    import json

    from ..records import MedicalRecord, qc_batch, qc_record, record_from_text

    try:
        if args.action == "batch":
            s = qc_batch(args.path, engine=args.engine, workers=args.workers, out_dir=args.out, progress=not args.quiet)
            print(s.model_dump_json(indent=2))
            return 0
        text = sys.stdin.read() if args.path == "-" else open(args.path, encoding="utf-8").read()
        record = MedicalRecord.model_validate(json.loads(text)) if text.lstrip().startswith("{") else record_from_text(text)
        r = qc_record(record)
    except (OSError, ValueError) as e:
        print(f"wenzhen qc: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(r.model_dump_json(indent=2))
    else:
        print(f"{r.score:g} {r.grade}")
        for d in r.defects:
            print(f"  - [{d.rule}] {d.section or ''}: {d.message}{f' ({d.detail})' if d.detail else ''} → {d.fix}  [{d.source}]")
    return 0


def _read_line(prompt: str, interactive: bool) -> str | None:
    try:
        return input(prompt) if interactive else sys.stdin.readline().rstrip("\n") or None
    except EOFError:
        return None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..api.security import api_keys, is_loopback

    os.environ.setdefault("WENZHEN_PRELOAD_OCR", "1")  # a server loads the OCR models at start, not on the first photo
    if args.hospital_config:
        os.environ["WENZHEN_HOSPITAL_CONFIG"] = args.hospital_config
    if args.api_key:
        os.environ["WENZHEN_API_KEYS"] = ",".join(args.api_key)
    if args.cors_origin:
        os.environ["WENZHEN_CORS_ORIGINS"] = ",".join(args.cors_origin)
    if not is_loopback(args.host) and not api_keys():
        print(f"wenzhen serve: binding to {args.host} makes the API reachable from other machines; give an API key "
              f"(--api-key KEY or WENZHEN_API_KEYS) or serve on 127.0.0.1", file=sys.stderr)
        return 2
    # No "server: uvicorn" banner; several workers use both cores (each loads the knowledge base once).
    uvicorn.run("wenzhen.api:app", host=args.host, port=args.port, log_level="info", server_header=False, access_log=not args.no_access_log,
                workers=args.workers if args.workers > 1 else None)
    return 0


def cmd_kb(args: argparse.Namespace) -> int:
    from ..kb import KBError, get_kb

    if args.action == "check":
        from ..kb.tools import check_all

        return check_all(args.hospital_config)

    try:
        kb = get_kb(args.hospital_config)
    except KBError as e:
        print(f"wenzhen kb: {e}", file=sys.stderr)
        return 1
    print(json.dumps(kb.stats(), ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wenzhen", description="wenzhen (问诊): deterministic clinical assessment")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assess", help="assess a complaint: findings, triage, department, differential")
    a.add_argument("text", nargs="?", help="the complaint; omit or '-' to read standard input")
    a.add_argument("--json", action="store_true", help="print JSON")
    a.add_argument("--lang", choices=["auto", "zh", "en"], default="auto", help="language of the readable output")
    a.add_argument("--age", type=float, help="age in years (overrides the text)")
    a.add_argument("--sex", choices=["female", "male"])
    a.add_argument("--vital", action="append", metavar="NAME=VALUE",
                   help="a measurement: sbp, dbp, hr, rr, temp_c, spo2, gcs, pain_score, glucose_mmol")
    a.add_argument("--consciousness", choices=["A", "V", "P", "U"], help="AVPU")
    a.add_argument("--hospital-config", help="a hospital's departments/doctors YAML")
    a.set_defaults(func=cmd_assess)
    r = sub.add_parser("report", help="interpret lab / check-up / imaging reports")
    r.add_argument("files", nargs="+", metavar="FILE", help="report files ('-' reads text from standard input)")
    r.add_argument("--json", action="store_true", help="print JSON")
    r.add_argument("--fhir", action="store_true", help="print a FHIR R4B Bundle of Observations")
    r.add_argument("--lang", choices=["auto", "zh", "en"], default="auto")
    r.add_argument("--sex", choices=["female", "male"], help="overrides the report header")
    r.add_argument("--age", type=float, help="age in years (overrides the report header)")
    r.add_argument("--med", action="append", metavar="NAME", help="a current medicine (repeat): medication notes")
    r.add_argument("--critical-values", help="a hospital's critical-value (危急值) table YAML")
    r.set_defaults(func=cmd_report)
    c = sub.add_parser("calc", help="run a clinical calculator: wenzhen calc NAME key=value ...")
    c.add_argument("name", nargs="?", help="calculator id or name (see --list)")
    c.add_argument("inputs", nargs="*", help="name=value, e.g. creatinine=1.4mg/dL age=72 sex=female chf=yes")
    c.add_argument("--file", help="JSON object of inputs (merged; name=value wins)")
    c.add_argument("--list", action="store_true", help="list every calculator and its required inputs")
    c.add_argument("--json", action="store_true")
    c.add_argument("--lang", choices=["zh", "en"], default="zh")
    c.set_defaults(func=cmd_calc)
    cv = sub.add_parser("convert", help="convert a measurement: wenzhen convert creatinine 1.4mg/dL umol/L")
    cv.add_argument("variable", help="what was measured (creatinine, 血糖, weight, temperature, …)")
    cv.add_argument("value", help="value with its unit, e.g. 1.4mg/dL, 101.3F, 150lb")
    cv.add_argument("to", nargs="?", help="target unit (default: the calculators' canonical unit)")
    cv.add_argument("--json", action="store_true")
    cv.add_argument("--lang", choices=["zh", "en"], default="zh")
    cv.set_defaults(func=cmd_convert)
    rk = sub.add_parser("risk", help="multi-dimensional risk report for a patient (JSON of known values)")
    rk.add_argument("file", help="patient JSON: {\"age\": 72, \"heart_rate\": 118, ...}; '-' for stdin; "
                    "an optional \"text\" key holds a complaint")
    rk.add_argument("--text", help="a complaint to read findings and vital signs from")
    rk.add_argument("--json", action="store_true")
    rk.add_argument("--lang", choices=["zh", "en"], default="zh")
    rk.set_defaults(func=cmd_risk)
    sc = sub.add_parser("scale", help="score a health scale: wenzhen scale psqi answers.json")
    sc.add_argument("name", nargs="?", help="psqi, isi, ess, stop_bang, phq9, gad7")
    sc.add_argument("file", nargs="?", help="answers JSON ('-' for stdin)")
    sc.add_argument("--list", action="store_true")
    sc.add_argument("--json", action="store_true")
    sc.add_argument("--lang", choices=["zh", "en"], default="zh")
    sc.set_defaults(func=cmd_scale)
    m = sub.add_parser("meds", help="medication check: wenzhen meds check warfarin ibuprofen:400mg:tid --age 70; meds info NAME")
    m.add_argument("action", choices=["check", "info", "selfcare"])
    m.add_argument("names", nargs="*", help="medicines, each NAME or NAME:DOSE:FREQUENCY (ibuprofen:400mg:tid); for "
                   "selfcare, the complaint")
    m.add_argument("--age", type=float)
    m.add_argument("--weight", type=float, help="kg")
    m.add_argument("--egfr", type=float, help="mL/min/1.73m²")
    m.add_argument("--child-pugh", choices=["A", "B", "C"])
    m.add_argument("--pregnant", action="store_true")
    m.add_argument("--breastfeeding", action="store_true")
    m.add_argument("--allergy", action="append", help="repeatable: penicillin, sulfa, aspirin … (Chinese or English)")
    m.add_argument("--condition", action="append", help="repeatable: peptic ulcer, asthma, heart failure … (Chinese or English)")
    m.add_argument("--json", action="store_true")
    m.add_argument("--lang", choices=["zh", "en"], default=None, help="default zh (selfcare: the complaint's language)")
    m.set_defaults(func=cmd_meds)
    mc = sub.add_parser("mcp", help="serve wenzhen's tools to agents over MCP (stdio)")
    mc.set_defaults(func=cmd_mcp)
    ch = sub.add_parser("chat", help="ask the wenzhen agent (the configured LLM with guardrails; the engine alone without one)")
    ch.add_argument("text", nargs="*", help="the question; read from stdin when omitted")
    ch.add_argument("--json", action="store_true")
    ch.set_defaults(func=cmd_chat)
    iv = sub.add_parser("interview", help="pre-consultation interview in the terminal, then the report for the doctor")
    iv.add_argument("complaint", nargs="*", help="the first words, e.g. \"fever for two days and a cough\" (asked for when missing)")
    iv.add_argument("--age", type=float)
    iv.add_argument("--sex", choices=["female", "male"])
    iv.add_argument("--lang", choices=["auto", "zh", "en"], default="auto")
    iv.add_argument("--resume", metavar="ID", help="go on with a saved interview")
    iv.add_argument("--database", metavar="URL", help="SQLAlchemy URL or a SQLite file path (default $WENZHEN_DATABASE_URL or the SQLite file)")
    iv.add_argument("--report", choices=["text", "json", "fhir"], default="text")
    iv.set_defaults(func=cmd_interview)
    rd = sub.add_parser("record", help="draft a record from a consultation dialogue (file or -)")
    rd.add_argument("action", choices=["draft"])
    rd.add_argument("file")
    rd.add_argument("--kind", choices=["outpatient", "admission"], default="outpatient")
    rd.add_argument("--age", type=float)
    rd.add_argument("--sex", choices=["female", "male"])
    rd.add_argument("--json", action="store_true")
    rd.set_defaults(func=cmd_record)
    qc = sub.add_parser("qc", help="record quality control: qc check FILE; qc batch FOLDER|FILE.jsonl|FILE.parquet")
    qc.add_argument("action", choices=["check", "batch"])
    qc.add_argument("path")
    qc.add_argument("--engine", choices=["local", "ray"], default="local")
    qc.add_argument("--workers", type=int, default=2)
    qc.add_argument("--out", help="folder for results.csv, summary.html and summary.json")
    qc.add_argument("--quiet", action="store_true", help="no progress bar")
    qc.add_argument("--json", action="store_true")
    qc.set_defaults(func=cmd_qc)
    s = sub.add_parser("serve", help="serve the REST API and web page")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--hospital-config")
    s.add_argument("--workers", type=int, default=1, help="worker processes (default 1; the number of cores for load)")
    s.add_argument("--no-access-log", action="store_true",
                   help="no line per request on stdout (behind a proxy that logs them; about 5%% more requests/s)")
    s.add_argument("--api-key", action="append", help="require this key on /v1/ calls (repeatable; needed off loopback)")
    s.add_argument("--cors-origin", action="append", help="allow browser calls from this origin (repeatable; default none)")
    s.set_defaults(func=cmd_serve)
    k = sub.add_parser("kb", help="knowledge-base counts and version; `kb check` validates every domain")
    k.add_argument("action", nargs="?", choices=["stats", "check"], default="stats",
                   help="stats (default): counts and version; check: validate clinical, lab, calculator and scale data")
    k.add_argument("--hospital-config")
    k.set_defaults(func=cmd_kb)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # `wenzhen kb | head`: the reader stopped early; that is not an error (Python docs, "Note on SIGPIPE").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
