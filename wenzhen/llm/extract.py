"""Findings a model reads in text the rules did not fully understand, kept only when grounded: the model names
each finding (in the lexicon's words) and quotes the words of the input it comes from; a quote that is not in the
input drops the finding, a name the lexicon cannot place is reported and not used. The assessment is then made
again with the grounded additions — findings only add, so the triage can rise but never fall."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from ..kb.base import read_messages
from ..understanding.models import Evidence, Finding
from .client import LLMError, complete, log_call
from .config import LLMConfig
from .guardrails import grounded

_M = read_messages(Path(__file__).with_name("messages.yaml"))


class ModelFinding(BaseModel):
    model_config = {"extra": "ignore"}
    name: str = Field(min_length=1, max_length=60)
    status: Literal["present", "absent"] = "present"
    evidence: str = Field(min_length=1, max_length=200, description="the input's own words")


class ModelFindings(BaseModel):
    findings: list[ModelFinding] = Field(default_factory=list, max_length=40)


class Extraction(BaseModel):
    assessment: object  # wenzhen.assessment.Assessment
    added: list[dict] = Field(default_factory=list, description="grounded findings added: id, status, the words")
    dropped: list[dict] = Field(default_factory=list, description="what the model said that was not used, and why")
    model: str | None = None


def _parse(content: str) -> ModelFindings:
    m = re.search(r"\{.*\}", content or "", re.S)  # the JSON object, with or without a code fence around it
    if not m:
        raise ValueError("the model returned no JSON object")
    return ModelFindings.model_validate(json.loads(m.group(0)))


def assess_with_model(text: str, cfg: LLMConfig | None, **kwargs) -> Extraction:
    """assess(text, **kwargs), with findings the model read added when grounded in `text`."""
    from ..assessment import AssessRequest, assess_picture
    from ..kb import get_kb
    from ..understanding import understand

    req = AssessRequest(text=text, **kwargs)
    kb = get_kb()
    picture = understand(req.text, kb)
    if cfg is None:
        return Extraction(assessment=assess_picture(picture, req, kb))
    lang = picture.language
    added, dropped, fired = [], [], []
    reply = None
    try:
        reply = complete(cfg, [{"role": "system", "content": _M["extract_prompt"][lang]}, {"role": "user", "content": text}],
                         lang=lang, json_object=True)
        found = _parse(reply.content).findings
    except (LLMError, ValueError, ValidationError, json.JSONDecodeError) as e:
        log_call(cfg, "extract", reply, ["model_unusable"], error=str(e)[:300])
        return Extraction(assessment=assess_picture(picture, req, kb), dropped=[{"error": str(e)[:300]}])
    have = {(f.id, f.status) for f in picture.findings if f.experiencer == "patient"}
    for mf in found:
        if not grounded(mf.evidence, text):
            dropped.append({"name": mf.name, "evidence": mf.evidence, "why": "not in the input"})
            continue
        ids = [f.id for f in understand(mf.name, kb).findings if f.status != "absent"]
        if not ids:
            dropped.append({"name": mf.name, "evidence": mf.evidence, "why": "not a finding the knowledge base knows"})
            continue
        fid = ids[0]
        if (fid, mf.status) in have or (mf.status == "absent" and (fid, "present") in have):
            continue  # the rules read it already; a model's denial never overrides what the words affirmed
        start = picture.text.find(mf.evidence.strip())
        fd = kb.findings[fid]
        picture.findings.append(Finding(id=fid, name=fd.name, category=fd.category, status=mf.status,
                                        evidence=Evidence(text=mf.evidence.strip(), start=max(start, 0),
                                                          end=max(start, 0) + len(mf.evidence.strip())),
                                        implied_by="model"))
        have.add((fid, mf.status))
        added.append({"id": fid, "status": mf.status, "evidence": mf.evidence.strip()})
    if added:
        fired.append("grounded_findings_added")
    if dropped:
        fired.append("ungrounded_findings_dropped")
    log_call(cfg, "extract", reply, fired)
    return Extraction(assessment=assess_picture(picture, req, kb), added=added, dropped=dropped, model=cfg.model)
