"""Conclusions of imaging reports in text: BI-RADS / TI-RADS / Lung-RADS grades and named findings."""
from __future__ import annotations

import re
from functools import lru_cache

from wenzhen.kb.base import pick
from wenzhen.kb.lab_loader import LabKnowledgeBase
from wenzhen.kb.lab_schema import URGENCY_ORDER

from .models import ImagingConclusion, Language

_SENTENCE = re.compile(r"[。；;\n]|(?<!\d)(?=\d{1,2}[.、)）]\s*[^\d])")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[×xX*]\s*(\d+(?:\.\d+)?)\s*)?(?:[×xX*]\s*(\d+(?:\.\d+)?)\s*)?(mm|cm|毫米|厘米)", re.I)
# Negation cues before a finding in the same clause: 未见, 无, 未发现, no, without.
_NEGATION = re.compile(r"(未见|未发现|未探及|未显示|无明显|没有|无|排除|no |without |negative for )[^，,。；;]*$", re.I)


@lru_cache(maxsize=4)
def _compiled(kb: LabKnowledgeBase):
    systems = [(s, re.compile(s.pattern, re.I)) for s in kb.imaging_systems]
    terms = []
    for f in kb.imaging_findings:
        for t in f.terms:
            terms.append((t.lower(), f))
    terms.sort(key=lambda x: -len(x[0]))  # longest first: 重度脂肪肝 before 脂肪肝
    return systems, terms


def _size_mm(clause: str) -> float | None:
    best = None
    for m in _SIZE.finditer(clause):
        nums = [float(x) for x in m.groups()[:3] if x]
        scale = 10.0 if m.group(4).lower() in ("cm", "厘米") else 1.0
        v = max(nums) * scale
        best = v if best is None else max(best, v)
    return best


def read_imaging(lines: list[str], kb: LabKnowledgeBase, lang: Language) -> list[ImagingConclusion]:
    systems, terms = _compiled(kb)
    if not systems and not terms:
        return []
    found: dict[str, ImagingConclusion] = {}
    text = "\n".join(lines)
    for sentence in _SENTENCE.split(text):
        s = sentence.strip()
        if not s:
            continue
        low = s.lower()
        for sysdef, rx in systems:
            for m in rx.finditer(s):
                grade = m.group(1).upper()
                g = next((x for x in sysdef.grades if x.grade.upper() == grade), None)
                if g is None:
                    continue
                c = ImagingConclusion(
                    kind="system", id=sysdef.id, name=sysdef.name, grade=g.grade, text=s,
                    meaning=pick(g.meaning, lang),
                    advice=pick(g.advice, lang), urgency=g.urgency,
                    departments=list(sysdef.departments), source=sysdef.source)
                _keep(found, f"{sysdef.id}:{g.grade}", c)
        taken: list[tuple[int, int, object]] = []
        for term, f in terms:
            start = low.find(term)
            while start >= 0:
                end = start + len(term)
                if not any(a <= start < b or a < end <= b for a, b, _ in taken):
                    taken.append((start, end, f))
                start = low.find(term, end)
        taken.sort(key=lambda t: t[0])
        for n, (start, end, f) in enumerate(taken):
            clause_start = max(s.rfind(ch, 0, start) for ch in "，,：:") + 1
            negated = bool(_NEGATION.search(s[clause_start:start]))
            # a size belongs to the nearest finding before it
            window_end = taken[n + 1][0] if n + 1 < len(taken) else len(s)
            size = _size_mm(s[start:window_end]) if f.size_rule else None
            urgency, advice = f.urgency, f.advice
            if size is not None:
                for r in sorted(f.size_rule, key=lambda r: r.min_mm):
                    if size >= r.min_mm:
                        urgency, advice = r.urgency, r.advice
            c = ImagingConclusion(
                kind="finding", id=f.id, name=pick(f.name, lang), size_mm=size,
                text=s, meaning=pick(f.meaning, lang),
                advice=pick(advice, lang), urgency=urgency,
                departments=list(f.departments), negated=negated, source=f.source)
            _keep(found, f.id, c)
    return sorted(found.values(), key=lambda c: (c.negated, -URGENCY_ORDER[c.urgency]))


def _keep(found: dict[str, ImagingConclusion], key: str, c: ImagingConclusion) -> None:
    old = found.get(key)
    if old is None or (old.negated and not c.negated) or (
            old.negated == c.negated and URGENCY_ORDER[c.urgency] > URGENCY_ORDER[old.urgency]):
        found[key] = c
