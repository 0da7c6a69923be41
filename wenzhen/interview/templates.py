"""The interview's question templates (kb/data/interview/*.yaml), loaded and checked against the knowledge base."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..kb import KnowledgeBase, get_kb
from ..kb.base import KBError, index_by_id, load_dir
from ..kb.interview_schema import InterviewTemplate, TemplateQuestion

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "kb" / "data" / "interview"


def load_templates(directory: Path = TEMPLATE_DIR, kb: KnowledgeBase | None = None) -> dict[str, InterviewTemplate]:
    kb = kb or get_kb()
    templates = index_by_id(load_dir(directory, InterviewTemplate, []), "interview template")
    problems = []
    for t in templates.values():
        problems += [f"template {t.id}: unknown complaint finding {c}" for c in t.complaints if c not in kb.findings]
        for q in t.questions:
            problems += [f"template {t.id}/{q.id}: unknown finding {f}" for f in q.about if f not in kb.findings]
    if problems:
        raise KBError("; ".join(problems))
    return templates


@lru_cache(maxsize=4)
def templates(kb: KnowledgeBase | None = None) -> dict[str, InterviewTemplate]:
    return load_templates(kb=kb or get_kb())


@lru_cache(maxsize=4)
def question_for_finding(kb: KnowledgeBase | None = None) -> dict[str, tuple[str, TemplateQuestion]]:
    """A template's own wording for a one-finding question, by finding id (the differential's questions use it)."""
    out: dict[str, tuple[str, TemplateQuestion]] = {}
    ts = templates(kb or get_kb()).values()
    for t in ts:
        for q in t.questions:
            if len(q.about) == 1:
                out.setdefault(q.about[0], (t.id, q))
    # Then a question about two close findings (不肯吃奶、胃口差) for each of them, better than the KB's clinical name.
    for t in ts:
        for q in t.questions:
            if len(q.about) > 1 and not q.checklist:
                for f in q.about:
                    out.setdefault(f, (t.id, q))
    return out
