"""One call to the configured model through the official `openai` client, with identifiers redacted on the way out
and restored on the way back, reasoning text (deepseek-reasoner's reasoning_content) kept apart, and a local JSONL
log line per call (what was redacted by kind and count, which guardrails fired, timing — never the text)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from .config import LLMConfig, default_data_dir
from .privacy import Redaction, redact

_log_lock = threading.Lock()


class LLMError(RuntimeError):
    """The model could not be reached or answered with nothing usable (callers keep the deterministic result)."""


@dataclass
class ModelReply:
    content: str
    reasoning: str | None = None  # kept apart: never shown as advice
    tool_calls: list = field(default_factory=list)
    model: str = ""
    seconds: float = 0.0
    redaction: Redaction = field(default_factory=Redaction)


def _client(cfg: LLMConfig):
    return _cached_client(cfg.base_url, cfg.api_key or "none", cfg.timeout_s, cfg.max_retries)


@lru_cache(maxsize=8)
def _cached_client(base_url: str, api_key: str, timeout: float, retries: int):
    """One client (and its connection pool) per endpoint: making one costs ~15 ms, more than everything else."""
    from openai import OpenAI

    return OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=retries)


def complete(cfg: LLMConfig, messages: list[dict], *, tools: list[dict] | None = None, redaction: Redaction | None = None,
             lang: str = "zh", json_object: bool = False) -> ModelReply:
    """Send `messages` (identifiers redacted) and return the reply with identifiers restored."""
    red = redaction or Redaction()
    outgoing = []
    for m in messages:
        m = dict(m)
        if isinstance(m.get("content"), str) and m.get("role") not in ("system", "tool"):  # the engine's own text
            m["content"], red = redact(m["content"], red, lang)
        outgoing.append(m)
    kwargs = {"model": cfg.model, "messages": outgoing, "temperature": cfg.temperature, "max_tokens": cfg.max_tokens}
    if tools:
        kwargs["tools"] = tools
    if json_object and cfg.json_mode:
        kwargs["response_format"] = {"type": "json_object"}  # what llama.cpp, vLLM, DeepSeek and OpenAI all accept
    t0 = time.perf_counter()
    try:
        if cfg.stream and not tools:
            content, reasoning, finished = [], [], None
            for chunk in _client(cfg).chat.completions.create(stream=True, **kwargs):
                if not chunk.choices:
                    continue
                delta = chunk.choices[0].delta
                content.append(getattr(delta, "content", None) or "")
                reasoning.append(getattr(delta, "reasoning_content", None) or "")
                finished = chunk.choices[0].finish_reason or finished
            if finished is None:  # the stream stopped half-way: half an answer may have lost its warnings
                raise LLMError("the model's stream stopped before the end")
            text, think, calls = "".join(content), "".join(reasoning) or None, []
        else:
            resp = _client(cfg).chat.completions.create(**kwargs)
            msg = resp.choices[0].message
            text, think = msg.content or "", getattr(msg, "reasoning_content", None)
            calls = list(msg.tool_calls or [])
    except LLMError:
        raise
    except Exception as e:  # noqa: BLE001 - any client or network failure leaves the deterministic answer standing
        raise LLMError(f"the model at {cfg.base_url} did not answer: {type(e).__name__}: {e}") from e
    return ModelReply(content=red.restore(text), reasoning=red.restore(think) if think else None, tool_calls=calls,
                      model=cfg.model, seconds=time.perf_counter() - t0, redaction=red)


def log_call(cfg: LLMConfig, purpose: str, reply: ModelReply | None, fired: list[str], error: str | None = None) -> None:
    """One JSON line per call in the local log: no text, only what happened."""
    path = Path(cfg.log_path) if cfg.log_path else default_data_dir() / "llm-calls.jsonl"
    entry = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "model": cfg.model, "purpose": purpose,
             "seconds": round(reply.seconds, 3) if reply else None,
             "redacted": dict(reply.redaction.counts) if reply else {}, "guardrails": fired, "error": error}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _log_lock, path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        pass  # a read-only data folder must not break an answer
