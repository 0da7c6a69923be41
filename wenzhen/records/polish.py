"""A drafted record reworded by the configured language model, section by section. A section's new wording is kept
only if it states nothing its draft did not (no new finding, number or medicine, no denial lost); otherwise the
deterministic draft stands. The sources stay linked to the section."""
from __future__ import annotations

import re

from .draft import MSG, Draft, render_record
from .models import SourceLink
from .qc import _finding_ids

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
KEEP_AS_IS = ("chief_complaint", "diagnosis")  # structured: 主诉 (≤ 20 characters) and the coded diagnoses


def grounded_rewrite(old: str, new: str) -> str | None:
    """Why the rewrite cannot replace the draft (None when it can)."""
    from ..medications.guardrail import find_mentions
    from ..understanding import understand

    if not new.strip() or len(new) > 3 * len(old) + 80:
        return "length"
    if not _finding_ids(new) <= _finding_ids(old):
        return "adds_a_finding"
    if not set(_NUMBER.findall(new)) <= set(_NUMBER.findall(old)):
        return "adds_a_number"
    if not {m.drug for m in find_mentions(new)} <= {m.drug for m in find_mentions(old)}:
        return "adds_a_medicine"
    before, after = understand(old), understand(new)
    if not {a.allergen_id or a.name for a in after.allergies} <= {a.allergen_id or a.name for a in before.allergies}:
        return "adds_an_allergy"
    denied_old = {f.id for f in before.findings if f.status == "absent"}
    denied_new = {f.id for f in after.findings if f.status == "absent"}
    if not denied_old <= denied_new:
        return "loses_a_denial"
    return None


def polish(draft: Draft, cfg, lang: str = "zh") -> tuple[Draft, dict[str, str]]:
    """The draft with sections reworded by the model where the wording passes; and why any section kept its draft."""
    if cfg is None:
        return draft, {}
    from ..llm.client import LLMError, complete, log_call

    record = draft.record.model_copy(deep=True)
    kept: dict[str, str] = {}
    fixed = {MSG["sections"][k] for k in KEEP_AS_IS}
    for name, text in list(record.sections.items()):
        if name in fixed or not text.strip():
            continue
        try:
            reply = complete(cfg, [{"role": "system", "content": MSG["polish_prompt"][lang]}, {"role": "user", "content": text}],
                             lang=lang)
        except LLMError as e:
            log_call(cfg, "record_wording", None, [], error=str(e)[:200])
            kept[name] = "model_unavailable"
            continue
        new = reply.content.strip()
        why = grounded_rewrite(text, new)
        log_call(cfg, "record_wording", reply, [f"rewrite_rejected:{why}"] if why else [])
        if why:
            kept[name] = why
            continue
        utterances = sorted({u for s in record.sources if s.section == name for u in s.utterances})
        record.sections[name] = new
        record.sources = [s for s in record.sources if s.section != name] + [SourceLink(section=name, sentence=new, utterances=utterances)]
    changed = record.sections != draft.record.sections
    return draft.model_copy(update={"record": record, "text": render_record(record, lang), "wording_refused": kept,
                                    "worded_by": cfg.model if changed else None}), kept
