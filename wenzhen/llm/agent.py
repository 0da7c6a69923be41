"""The wenzhen agent: a conversation in, an answer out. The engine assesses what the patient said; with a model
configured, the model explains it in plain language (and may call the deterministic tools), and every answer passes
the guardrails; without one, the answer is the engine's own readable assessment — today's behaviour."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from ..kb.base import pick, read_messages
from ..types import MAX_TEXT_CHARS
from .client import LLMError, complete, log_call
from .config import LLMConfig
from .guardrails import check_request, guard_answer
from .privacy import Redaction
from .tools import call_tool, openai_tools

_M = read_messages(Path(__file__).with_name("messages.yaml"))
MAX_TOOL_ROUNDS = 3


class ChatAnswer(BaseModel):
    content: str
    language: str
    refused: bool = False
    triage_level: int | None = None
    level: str | None = None
    disposition: str | None = None
    guardrails: list[str] = Field(default_factory=list, description="guardrails that changed the model's answer")
    removed: list[str] = Field(default_factory=list, description="what was removed from the model's answer, and why")
    model: str | None = Field(default=None, description="the model that wrote the words; None: the engine alone")
    tool_calls: list[str] = Field(default_factory=list)


def _user_texts(messages: list[dict]) -> list[str]:
    out = []
    for m in messages:
        if m.get("role") == "user":
            c = m.get("content")
            if isinstance(c, list):  # OpenAI content parts: keep the text ones
                c = " ".join(p.get("text", "") for p in c if isinstance(p, dict) and p.get("type") == "text")
            if isinstance(c, str) and c.strip():
                out.append(c.strip())
    return out


def _engine_summary(a, lang: str) -> str:
    data = {"triage": f"{pick(a.triage.level_name, lang)} — {pick(a.triage.disposition_text, lang)}",
            "reasons": [pick(r.reason, lang) for r in a.triage.rules_fired][:6],
            "department": pick(a.department.department.name, lang),
            "likely_conditions": [f"{pick(c.name, lang)} ({c.likelihood})" for c in a.differential.likely][:5],
            "cannot_miss": [pick(c.name, lang) for c in a.differential.cant_miss][:5],
            "what_to_do_now": a.advice.what_to_do_now, "seek_care_if": a.advice.seek_care_if,
            "withheld_advice": [w.text + ": " + w.reason for w in a.advice.withheld]}
    return _M["engine_header"][lang] + "\n" + json.dumps(data, ensure_ascii=False, indent=1)


def answer(messages: list[dict], cfg: LLMConfig | None = None) -> ChatAnswer:
    """Answer the last user message of an OpenAI-style conversation. Raises ValueError when there is nothing to
    answer (no user text)."""
    from ..assessment import assess
    from ..assessment.render import render
    from ..medications import facts_from_picture

    texts = _user_texts(messages)
    if not texts:
        raise ValueError("no user message with text to answer")
    complaint = "\n".join(texts)[-MAX_TEXT_CHARS:]  # earlier turns hold facts (age, medicines) the last one relies on
    a = assess(complaint)
    lang = a.language
    refusal = check_request(texts[-1], lang)
    if refusal is not None:
        if cfg is not None:
            log_call(cfg, "chat", None, ["request_refused"])
        return ChatAnswer(content=refusal, language=lang, refused=True, guardrails=["request_refused"])
    base = dict(language=lang, triage_level=a.triage.triage_level, level=pick(a.triage.level_name, lang),
                disposition=pick(a.triage.disposition_text, lang))
    if cfg is None:
        return ChatAnswer(content=render(a, lang), **base)
    convo = [{"role": "system", "content": _M["system_prompt"][lang] + "\n" + _engine_summary(a, lang)}]
    convo += [m for m in messages if m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)]
    red = Redaction()
    calls: list[str] = []
    reply = None
    try:
        for _ in range(MAX_TOOL_ROUNDS + 1):
            reply = complete(cfg, convo, tools=openai_tools() if cfg.tools else None, redaction=red, lang=lang)
            if not reply.tool_calls:
                break
            convo.append({"role": "assistant", "content": reply.content or "", "tool_calls": [
                {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}}
                for c in reply.tool_calls]})
            for c in reply.tool_calls:
                calls.append(c.function.name)
                result = call_tool(c.function.name, red.restore(c.function.arguments or "{}"))
                convo.append({"role": "tool", "tool_call_id": c.id, "content": json.dumps(result, ensure_ascii=False)[:8000]})
    except LLMError as e:
        log_call(cfg, "chat", reply, ["model_unavailable"], error=str(e)[:300])
        return ChatAnswer(content=_M["model_unavailable"][lang] + "\n\n" + render(a, lang), guardrails=["model_unavailable"],
                          **base)
    patient, taking = facts_from_picture(a.understanding)
    g = guard_answer(reply.content if reply else "", a, lang, patient=patient, taking=taking)
    log_call(cfg, "chat", reply, g.fired)
    if g.raised_to:
        base["disposition"] = _M["raised_line"][lang]
    return ChatAnswer(content=g.text, guardrails=g.fired, removed=g.removed, model=cfg.model, tool_calls=calls, **base)


def explain_assessment(assessment, cfg: LLMConfig | None) -> ChatAnswer:
    """The patient-facing explanation of an assessment (the engine's own text without a model)."""
    return answer([{"role": "user", "content": assessment.understanding.text}], cfg)


def explain_result(readable: str, required: list[str], cfg: LLMConfig | None, lang: str, *, urgent: bool = False,
                   patient=None, purpose: str = "explain") -> ChatAnswer:
    """A deterministic result (report interpretation, risk report, scale result) explained in plain language by the
    model. `required`: lines that must appear (critical values, the urgency): added when the model left them out.
    `urgent`: sentences that play the result down are removed. Without a model: the readable text itself."""
    from .guardrails import guard_text

    if cfg is None:
        return ChatAnswer(content=readable, language=lang)
    try:
        reply = complete(cfg, [{"role": "system", "content": _M["explain_prompt"][lang]},
                               {"role": "user", "content": readable}], lang=lang)
    except LLMError as e:
        log_call(cfg, purpose, None, ["model_unavailable"], error=str(e)[:300])
        return ChatAnswer(content=_M["model_unavailable"][lang] + "\n\n" + readable, language=lang,
                          guardrails=["model_unavailable"])
    g = guard_text(reply.content, required, lang, urgent=urgent, patient=patient)
    log_call(cfg, purpose, reply, g.fired)
    return ChatAnswer(content=g.text, language=lang, guardrails=g.fired, removed=g.removed, model=cfg.model)


def explain_report(report, cfg: LLMConfig | None, patient=None) -> ChatAnswer:
    """A report interpretation (wenzhen.reports) in plain words; its critical values and urgency always stay."""
    from ..reports.render import render as render_report

    lang = report.language
    required = [f"{it.name} {it.value_text}" for it in report.items if it.critical] + [report.summary]
    return explain_result(render_report(report), required, cfg, lang, urgent=report.urgency == "emergency",
                          patient=patient, purpose="explain_report")


def explain_risk(report, cfg: LLMConfig | None) -> ChatAnswer:
    """A risk report (wenzhen.calculators.risk) in plain words; every high-risk alert stays, word for word."""
    from ..calculators.render import render_risk

    required = [f"{a.name} {a.display}" for a in report.alerts] + [report.summary]
    return explain_result(render_risk(report), required, cfg, report.language, urgent=bool(report.alerts),
                          purpose="explain_risk")


def explain_scale(result, cfg: LLMConfig | None) -> ChatAnswer:
    """A health-scale result (wenzhen.scales) in plain words; a safety alert (PHQ-9 item 9) stays, word for word."""
    from ..scales.render import render_scale

    required = [result.safety.message] if result.safety.alert and result.safety.message else []
    return explain_result(render_scale(result), required, cfg, result.language, urgent=result.safety.alert,
                          purpose="explain_scale")
