"""An OpenAI-compatible chat endpoint (model name `wenzhen`), so existing chat front-ends (Open WebUI, LobeChat,
ChatBox) can talk to the wenzhen agent: POST /v1/chat/completions (streaming and not), GET /v1/models. Each answer
carries the engine's triage in an extra `wenzhen` field that the chat page shows beside the words."""
from __future__ import annotations

import json
import time
import uuid
from typing import Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from ..llm.agent import ChatAnswer, answer
from ..llm.config import load_config
from ..types import MAX_TEXT_CHARS
from .strict import StrictJSONRoute

router = APIRouter(tags=["chat"], route_class=StrictJSONRoute)
MODEL_NAME = "wenzhen"
MAX_MESSAGES = 100
STREAM_PIECE = 24  # characters per streamed chunk


class ChatMessage(BaseModel):
    model_config = {"extra": "allow"}  # name, tool_call_id … of other clients are ignored, not refused
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list | None = Field(default=None, description="text, or OpenAI content parts")


class ChatRequest(BaseModel):
    model_config = {"extra": "allow"}  # temperature, top_p … are the configured model's business
    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False


def _check(req: ChatRequest) -> list[dict]:
    msgs = [m.model_dump() for m in req.messages]
    total = sum(len(m["content"]) if isinstance(m["content"], str) else len(json.dumps(m["content"] or "")) for m in msgs)
    if total > MAX_TEXT_CHARS * 2:
        raise HTTPException(413, detail=f"the conversation is too long ({total} characters; the limit is {MAX_TEXT_CHARS * 2})")
    return msgs


def _answer(msgs: list[dict]) -> ChatAnswer:
    try:
        cfg = load_config()
    except ValueError as e:
        raise HTTPException(500, detail=f"the LLM configuration is broken: {e}") from e
    try:
        return answer(msgs, cfg)
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e


def _extra(a: ChatAnswer) -> dict:
    return {"triage_level": a.triage_level, "level": a.level, "disposition": a.disposition, "refused": a.refused,
            "guardrails": a.guardrails, "removed": a.removed, "model": a.model, "tool_calls": a.tool_calls}


@router.post("/v1/chat/completions", responses={422: {"description": "no user message, or invalid messages"},
                                                 413: {"description": "conversation too long"}})
def chat_completions(req: ChatRequest):
    """OpenAI-compatible chat completion by the wenzhen agent: the engine's assessment, explained by the configured
    model when there is one (guardrails applied), else the engine's own text."""
    a = _answer(_check(req))
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if not req.stream:
        return {"id": cid, "object": "chat.completion", "created": created, "model": MODEL_NAME,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": a.content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}, "wenzhen": _extra(a)}

    def events():
        def chunk(delta: dict, finish=None, extra=None) -> str:
            body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_NAME,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if extra:
                body["wenzhen"] = extra
            return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
        yield chunk({"role": "assistant", "content": ""}, extra=_extra(a))
        for i in range(0, len(a.content), STREAM_PIECE):  # the guardrails saw the whole answer before any piece goes out
            yield chunk({"content": a.content[i:i + STREAM_PIECE]})
        yield chunk({}, finish="stop")
        yield "data: [DONE]\n\n"
    return StreamingResponse(events(), media_type="text/event-stream")


@router.get("/v1/models")
def models():
    """The one model this server offers to chat front-ends."""
    return {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "wenzhen"}]}
