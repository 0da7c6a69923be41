"""Questions phrased by the configured language model, when there is one. The model only rewords: its question is
kept only if it still asks about the same findings (read back by the understanding module), asks one thing, names
no finding, medicine or diagnosis of its own, and is short; otherwise the template's words stand."""
from __future__ import annotations

import re

from ..understanding import understand
from .engine import MSG, Question, denied_by_no

MAX_CHARS = 80
_QUESTION_MARK = re.compile(r"[?？]")


def _reads_as(text: str, q: Question, lang: str) -> bool:
    """The rephrased question read back: answered "no", it denies what the original asks about and nothing else."""
    denied = denied_by_no(text, lang)
    original = {f.id for f in understand(q.text).findings}
    named = {f.id for f in understand(text).findings}
    return set(q.about) <= denied and named <= original | set(q.about)


def acceptable(text: str, q: Question, lang: str) -> str | None:
    """Why the model's wording cannot be used (None when it can)."""
    from ..medications.guardrail import find_mentions

    if not text or len(text) > MAX_CHARS:
        return "length"
    if len(_QUESTION_MARK.findall(text)) != 1 or not _QUESTION_MARK.search(text[-2:]):
        return "not_one_question"
    if find_mentions(text):
        return "names_a_medicine"
    if not _reads_as(text, q, lang):
        return "changes_what_is_asked"
    return None


def phrase(q: Question, opening: str, lang: str, cfg) -> Question:
    """The question in the model's words, or unchanged (no model, no answer, or wording that fails the checks)."""
    if cfg is None:
        return q
    from ..llm.client import LLMError, complete, log_call

    labels = MSG["phrase_labels"][lang]
    messages = [{"role": "system", "content": MSG["phrase_prompt"][lang]},
                {"role": "user", "content": f"{labels['said']}{opening}\n{labels['question']}{q.text}"}]
    try:
        reply = complete(cfg, messages, lang=lang)
    except LLMError as e:
        log_call(cfg, "interview_question", None, [], error=str(e)[:200])
        return q
    text = reply.content.strip().strip("\"'“”「」").strip()
    why = acceptable(text, q, lang)
    log_call(cfg, "interview_question", reply, [f"phrasing_rejected:{why}"] if why else [])
    return q if why else q.model_copy(update={"text": text, "phrased_by": reply.model})
