"""A scripted OpenAI-compatible model server for the tests: it answers /v1/chat/completions with the replies a test
queues (text, or tool calls) and records every request it receives, so tests can check what left the machine and
how wenzhen treats adversarial model output. A real local model (llama.cpp's server) can replace it by URL."""
from __future__ import annotations

import json
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI, Request


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

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
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
