"""Record quality control (病历质控): the rules of kb/data/records/qc_rules.yaml over one record, with a score and a
grade from the policy's score sheet, and for each defect the rule, the place, the source and a suggested fix.

Fast enough for archives (thousands of records a second on one core): symptoms and diagnoses are found with the
lexicon's dictionary matcher, not the full understanding; the medication check runs only when a record has both an
allergy and a prescription."""
from __future__ import annotations

import os
import re
from datetime import timedelta
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from ..kb import get_kb
from ..kb.base import index_by_id, load_list, load_one
from ..kb.records_schema import QCPolicy, QCRule
from ..kb.schema import NATIONAL_CODE
from ..understanding.lexicon import get_lexicons
from .models import MedicalRecord

RECORDS_DIR = Path(__file__).resolve().parent.parent / "kb" / "data" / "records"
# ICD-10 and its national clinical edition 2.0 extensions (J18.900, I10.x00x002, N40.x00).
ICD10 = re.compile(r"^[A-Z]\d{2}(?:\.[0-9A-Za-z]{1,4}(?:[xX]\d{3})?)?$")
PRESENTING = ("symptom", "sign")


class Defect(BaseModel):
    rule: str
    section: str | None = Field(default=None, description="where: the section (or document) concerned")
    detail: str | None = Field(default=None, description="what was found (the words, the hours late)")
    message: str
    fix: str
    points: float
    severity: str
    veto: bool = False
    source: str


class QCResult(BaseModel):
    record_id: str
    kind: str
    department: str | None = None
    doctor: str | None = None
    score: float
    grade: str
    defects: list[Defect]


class RuleSet(BaseModel):
    rules: list[QCRule]
    policy: QCPolicy

    @cached_property
    def compiled(self) -> _Compiled:
        """What the rules need, prepared once per rule set."""
        return _Compiled(self)


@lru_cache(maxsize=4)
def load_rules(rules_path: str | None = None, policy_path: str | None = None) -> RuleSet:
    """The rule set: the packaged files, or a hospital's own ($WENZHEN_QC_RULES, $WENZHEN_QC_POLICY or the paths)."""
    rp = Path(rules_path or os.environ.get("WENZHEN_QC_RULES") or RECORDS_DIR / "qc_rules.yaml")
    pp = Path(policy_path or os.environ.get("WENZHEN_QC_POLICY") or RECORDS_DIR / "qc_policy.yaml")
    rules = list(index_by_id(load_list(rp, QCRule, []), "QC rule").values())
    return RuleSet(rules=rules, policy=load_one(pp, QCPolicy, []))


class _Compiled:
    """What the rules need, prepared once per rule set."""

    def __init__(self, rs: RuleSet):
        p = rs.policy
        self.duration = re.compile(p.duration_pattern, re.I)
        self.aliases = {a: name for name, alist in p.section_aliases.items() for a in alist}
        sides = "|".join(map(re.escape, sorted(p.sides["left"] + p.sides["right"], key=len, reverse=True)))
        sites = "|".join(map(re.escape, sorted(p.sites, key=len, reverse=True)))
        self.sided = re.compile(rf"({sides})\s*({sites})")
        self.left = set(p.sides["left"])
        self.placeholders = [w for w in p.placeholders if w]
        self.sex_terms = p.sex_terms
        self.site_suffixes = tuple(p.site_suffixes)
        self.normal = re.compile(p.normal_after_site)
        self.symptom_marker = re.compile(p.symptom_markers)

    def site_key(self, site: str) -> str:
        """膝关节 and 膝 are one site."""
        for suffix in self.site_suffixes:
            if site.endswith(suffix) and len(site) > len(suffix):
                return site[: -len(suffix)]
        return site


def canonical_sections(record: MedicalRecord, rs: RuleSet) -> dict[str, str]:
    """Section texts under the policy's names (诊断 → 初步诊断, 查体 → 体格检查)."""
    comp = rs.compiled
    out: dict[str, str] = {}
    for name, text in record.sections.items():
        key = comp.aliases.get(name.strip(), name.strip())
        out[key] = (out[key] + "\n" + text) if key in out and text else (text or out.get(key, ""))
    return out


@lru_cache(maxsize=8192)
def _named(text: str) -> frozenset[str]:
    """Findings named in the text, once per text (a record reads its sections several times)."""
    lex = get_lexicons()
    low = text.lower()
    return frozenset(h.value for h in lex.findings.find(low, lex.finding_patterns.all_hits(low)))


def _finding_ids(text: str, categories: tuple[str, ...] | None = None, implied: bool = False) -> set[str]:
    """Findings named in the text (negation aside: QC asks whether a symptom is described at all)."""
    kb = get_kb()
    ids = {f for f in _named(text) if categories is None or kb.findings[f].category in categories}
    if implied:  # knee pain is joint pain
        ids |= {g for f in ids for g in kb.findings[f].implies}
    return ids


def _conditions_named(text: str) -> set[str]:
    return {h.value for h in get_lexicons().diagnoses.find(text.lower())}


@lru_cache(maxsize=1024)
def _conditions_bearing(findings: frozenset[str]) -> frozenset[str]:
    """The conditions whose name is a form of one of these findings (糖尿病 → diabetes_hyperglycemia)."""
    kb = get_kb()
    forms = {x for f in findings for x in (kb.findings[f].name.zh, *kb.findings[f].zh)}
    return frozenset(cid for cid, names in _condition_forms().items() if names & forms)


@lru_cache(maxsize=1)
def _condition_forms() -> dict[str, frozenset[str]]:
    return {c.id: frozenset((c.name.zh, *c.aliases.zh)) for c in get_kb().conditions.values()}


@lru_cache(maxsize=4096)
def _symptoms_told(text: str) -> bool:
    """The text tells of a symptom or sign the patient has (not only denied ones: 无腹痛)."""
    from ..understanding import understand

    kb = get_kb()
    return any(f.status == "present" and kb.findings[f.id].category in PRESENTING for f in understand(text[:2000]).findings)


def qc_record(record: MedicalRecord, rs: RuleSet | None = None) -> QCResult:
    """Check one record against the rule set."""
    rs = rs or load_rules()
    comp = rs.compiled
    sections = canonical_sections(record, rs)
    lang = "zh"
    defects: list[Defect] = []

    def add(rule: QCRule, section: str | None = None, detail: str | None = None) -> None:
        defects.append(Defect(rule=rule.id, section=section or rule.section or rule.document, detail=detail,
                              message=rule.message.pick(lang), fix=rule.fix.pick(lang), points=rule.points,
                              severity=rule.severity, veto=rule.veto, source=rule.source))

    for rule in rs.rules:
        if rule.record_kinds and record.kind not in rule.record_kinds:
            continue
        text = sections.get(rule.section or "", "") if rule.section else ""
        k = rule.kind
        if k == "required_section":
            if not text.strip():
                add(rule)
        elif k == "max_chars":
            n = len(re.sub(r"\s", "", text))
            if rule.max_chars and n > rule.max_chars:
                add(rule, detail=str(n))
        elif k == "symptom_and_duration":
            has_symptom = _finding_ids(text, PRESENTING) or comp.symptom_marker.search(text)
            if text.strip() and (not has_symptom or not comp.duration.search(text)):
                add(rule, detail=text.strip()[:40])
        elif k == "diagnosis_for_symptom":
            # "发现子宫肌瘤1年" while the history tells of heavy periods; an asymptomatic finding ("体检发现…") may stand.
            if text.strip() and not _finding_ids(text, PRESENTING) and _conditions_named(text) \
                    and not any(w in text for w in rs.policy.chief_diagnosis_allowed):
                history = "".join(sections.get(s, "") for s in rule.sections)
                if _symptoms_told(history):
                    add(rule, detail=text.strip()[:40])
        elif k == "chief_in_history":
            history = "".join(sections.get(s, "") for s in rule.sections)
            if text.strip() and history.strip():
                chief = _finding_ids(text, PRESENTING)
                told = _finding_ids(history, implied=True)
                missing = {f for f in chief if f not in told and not (set(get_kb().findings[f].implies) & told)}
                # Told in other words ("上腹痛" and "上腹部…疼痛"): two characters of the complaint in the history.
                words = [w for w in re.split(r"[，,、；;。\s\d]+", comp.duration.sub("", text)) if len(w) >= 2]
                retold = any(w[i:i + 2] in history for w in words for i in range(len(w) - 1))
                if chief and missing == chief and not retold:
                    names = [get_kb().findings[f].name.zh for f in sorted(missing)]
                    add(rule, detail="、".join(names))
        elif k == "sex_specific":
            sex = record.patient.sex
            if sex:
                other = "male" if sex == "female" else "female"
                for s in rule.sections:
                    words = [t for t in comp.sex_terms.get(other, []) if t in sections.get(s, "")]
                    if words:
                        add(rule, section=s, detail="、".join(words))
        elif k == "age_specific":
            age = record.patient.age
            if age is not None:
                for s in rule.sections:
                    body = sections.get(s, "")
                    past = s in rs.policy.past_sections
                    words = [t.term for t in rs.policy.age_terms if t.term in body
                             and ((t.min_age is not None and age < t.min_age)
                                  or (not past and t.max_age is not None and age > t.max_age))]
                    if words:
                        add(rule, section=s, detail="、".join(words))
        elif k == "laterality":
            seen: dict[str, dict[str, str]] = {}
            for s in rule.sections:
                body = sections.get(s, "")
                for m in comp.sided.finditer(body):
                    if comp.normal.match(body, m.end()):
                        continue  # "右耳鼓膜完整", "左肾区无叩击痛": the other side examined and normal
                    side = "left" if m.group(1) in comp.left else "right"
                    seen.setdefault(comp.site_key(m.group(2)), {}).setdefault(side, s)
            for site, where in seen.items():
                if len(where) == 2:
                    add(rule, section=f"{where['left']} / {where['right']}", detail=site)
        elif k == "diagnosis_supported":
            support = _finding_ids("".join(sections.get(s, "") for s in rule.sections), implied=True)
            kb = get_kb()
            dx_section = rs.policy.diagnosis_section
            names = [d.name for d in record.diagnoses] or [x for x in re.split(r"[，,、；;\n]", sections.get(dx_section, "")) if x.strip()]
            listed = {cid for name in names for cid in _conditions_named(name)}

            def supported(cid: str) -> bool:
                c = kb.conditions[cid]
                keys = {w.id for w in c.findings if w.key}
                own = {w.id for w in c.findings if w.weight > 0}
                # Findings that another listed diagnosis, standing on a cardinal finding of its own, accounts for do
                # not count twice (otitis media added to a cold on its fever and runny nose alone).
                others = {w.id for o in listed - {cid} if any(w.key and w.id in support for w in kb.conditions[o].findings)
                          for w in kb.conditions[o].findings if w.weight > 0}
                # One of its cardinal findings, or two of its own findings (a flag must be sure: the words of a
                # record are not all in the lexicon); a condition without cardinal findings, any of its findings.
                return not own or bool(keys & support) or len((own - others) & support) >= (2 if keys else 1)

            everywhere: set[str] | None = None
            for name in names:
                conditions = _conditions_named(name)
                if not conditions:
                    # A known disease the lexicon reads as history (2型糖尿病, 高血压病2级): supported by that history
                    # (in 既往史 too), or by the findings of a condition bearing its name.
                    known = {f for f in _finding_ids(name) if kb.findings[f].category == "history"}
                    if not known:
                        continue
                    if everywhere is None:
                        everywhere = support.union(*(_finding_ids(sections.get(s, ""), implied=True) for s in rs.policy.past_sections))
                    linked = _conditions_bearing(frozenset(known))
                    if not known & everywhere and linked and not any(supported(cid) for cid in linked):
                        add(rule, section=dx_section, detail=name.strip())
                    continue
                if not all(supported(cid) for cid in conditions):
                    add(rule, section=dx_section, detail=name.strip())
        elif k == "diagnosis_coded":
            for d in record.diagnoses:
                code = (d.icd10 or "").strip()
                if not (ICD10.match(code) or NATIONAL_CODE.match(code)):
                    add(rule, section=rs.policy.diagnosis_section, detail=d.name)
        elif k == "allergy_vs_prescription":
            if text.strip() and record.prescriptions:
                for word in _allergy_conflicts(text, record):
                    add(rule, detail=word)
        elif k == "deadline":
            _deadline(rule, record, add)
        elif k == "placeholder":
            for s in rule.sections:
                body = sections.get(s, "")
                # A one-character placeholder (略) only when it is the whole section: "咽部略充血" is prose.
                stripped = re.sub(r"[\s。.，,：:]", "", body)
                words = [w for w in comp.placeholders if (w in body if len(w) > 1 else stripped == w)]
                if words:
                    add(rule, section=s, detail="、".join(words))
    score = max(0.0, 100.0 - sum(d.points for d in defects))
    grades = rs.policy.grades
    grade = next((g.grade for g in grades if score >= g.min_score), grades[-1].grade)
    if any(d.veto for d in defects):
        grade = grades[-1].grade  # 单项否决
    return QCResult(record_id=record.id, kind=record.kind, department=record.department, doctor=record.doctor,
                    score=round(score, 2), grade=grade, defects=defects)


def _allergy_conflicts(allergy_text: str, record: MedicalRecord) -> list[str]:
    """Prescribed medicines the recorded allergy rules out, through the medication checks."""
    from ..medications import PatientFacts, check_medications

    # The allergens the section names (the allergen lexicon: fast, and a QC section is not a complaint to read).
    kb = get_kb()
    allergies = list(dict.fromkeys(kb.allergens[h.value].name.zh for h in get_lexicons().allergens.find(allergy_text.lower())))
    if not allergies:
        return []
    try:
        res = check_medications(PatientFacts(allergies=allergies), [_order(line) for line in record.prescriptions])
    except ValueError:
        return []
    return [f.message for f in res.findings if f.kind in ("allergy", "cross_allergy")]


def _order(line: str) -> dict:
    """"阿莫西林 0.25g tid" → name, dose, frequency (the first word with a digit is the dose)."""
    parts = line.split()
    if not parts:
        return {"name": line}
    dose = next((p for p in parts[1:] if re.search(r"\d", p)), None)
    rest = [p for p in parts[1:] if p != dose]
    return {"name": parts[0], "dose": dose, "frequency": " ".join(rest) or None}


def _deadline(rule: QCRule, record: MedicalRecord, add) -> None:
    if rule.after_event == "admission":
        start = record.admitted_at
    else:
        start = record.events.get(rule.after_event or "")
    if start is None or rule.within_hours is None:
        return
    docs = [d for d in record.documents if d.type == rule.document]
    limit = start + timedelta(hours=rule.within_hours)
    if not docs:
        add(rule, detail="missing")
        return
    for d in docs:
        if d.written_at is not None and d.written_at > limit:
            late = (d.written_at - limit).total_seconds() / 3600
            add(rule, detail=f"+{late:.1f} h")


def record_from_text(text: str, rs: RuleSet | None = None, **fields) -> MedicalRecord:
    """A record written as text with its section headings (主诉：… 现病史：…)."""
    rs = rs or load_rules()
    names = set(rs.policy.sections["admission"]) | set(rs.policy.sections["outpatient"]) | set(rs.policy.section_aliases) \
        | {a for al in rs.policy.section_aliases.values() for a in al}
    heading = re.compile(r"(?:^|\n)\s*(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\s*[:：]")
    sections: dict[str, str] = {}
    marks = list(heading.finditer(text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        sections[m.group(1)] = text[m.end():end].strip()
    return MedicalRecord(sections=sections, **fields)
