"""A scripted OpenAI-compatible model server for the tests: it answers /v1/chat/completions with the replies a test
queues (text, or tool calls) and records every request it receives, so tests can check what left the machine and
how wenzhen treats adversarial model output. A real local model (llama.cpp's server) can replace it by URL."""
from __future__ import annotations

import json
import threading
import time

import uvicorn
from fastapi import FastAPI, Request

from .common import free_port


class ScriptedModel:
    def __init__(self):
        self.replies: list[dict] = []
        self.requests: list[dict] = []
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat(req: Request):
            body = await req.json()
            self.requests.append(body)
            r = self.replies.pop(0) if self.replies else {"content": "好的。"}
            if r.get("delay"):
                import asyncio
                await asyncio.sleep(r["delay"])
            if body.get("stream"):
                from fastapi.responses import StreamingResponse

                text = r.get("content") or ""
                pieces = [text[i:i + 5] for i in range(0, len(text), 5)]
                if r.get("truncate"):
                    pieces = pieces[: len(pieces) // 2]

                def sse():
                    for p in pieces:
                        yield "data: " + json.dumps({"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "s",
                                                     "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]},
                                                    ensure_ascii=False) + "\n\n"
                    if not r.get("truncate"):
                        yield "data: " + json.dumps({"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "s",
                                                     "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}) + "\n\n"
                        yield "data: [DONE]\n\n"
                return StreamingResponse(sse(), media_type="text/event-stream")
            msg = {"role": "assistant", "content": r.get("content")}
            if r.get("reasoning"):
                msg["reasoning_content"] = r["reasoning"]
            if r.get("tool_calls"):
                msg["tool_calls"] = [{"id": f"call_{i}", "type": "function",
                                      "function": {"name": n, "arguments": json.dumps(a, ensure_ascii=False)}}
                                     for i, (n, a) in enumerate(r["tool_calls"])]
            if r.get("status"):
                from fastapi.responses import JSONResponse
                return JSONResponse({"error": {"message": "scripted failure"}}, status_code=r["status"])
            return {"id": "x", "object": "chat.completion", "created": 0, "model": body.get("model"),
                    "choices": [{"index": 0, "message": msg,
                                 "finish_reason": "tool_calls" if r.get("tool_calls") else "stop"}]}

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self):
        self.thread.start()
        for _ in range(100):
            if self.server.started:
                break
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=5)
