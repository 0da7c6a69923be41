"""Strict JSON in, safe JSON out: the request body must be standard JSON (no NaN/Infinity tokens), and a
response always encodes (an echoed lone surrogate or a non-finite number cannot turn an answer, or the
safety alert in it, into a 500)."""
from __future__ import annotations

import json
from typing import Any, Callable

from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from ..types import json_safe


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                self._json = json.loads(body, parse_constant=_no_constants)
            except ValueError as e:  # NaN / Infinity: report like any other malformed JSON (422)
                if isinstance(e, json.JSONDecodeError):
                    raise
                raise json.JSONDecodeError(str(e), body.decode("utf-8", "replace"), 0) from None
        return self._json


class StrictJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler


class SafeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        try:
            return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        except (ValueError, UnicodeEncodeError):
            return json.dumps(json_safe(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


class _TooLarge(Exception):
    pass


TOO_LARGE = "wenzhen.body_too_large"


def too_large_response(size: int, limit: int) -> SafeJSONResponse:
    small = limit < 1024 * 1024
    return SafeJSONResponse(status_code=413, content={
        "error": f"request body too large (over {size} bytes); the limit is {limit} bytes"
                 + (" and a complaint at most 20,000 characters" if small else "")})


class BodyLimit:
    """Refuse a request body over its limit with a 413 and the reason, counting the bytes actually received:
    a declared Content-Length is checked at once, a chunked body as it arrives."""

    def __init__(self, app, limit_for: Callable[[str], int]):
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope.get("path", ""))
        declared = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await too_large_response(int(declared), limit)(scope, receive, send)
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI turns an error while reading the body into a 400; the flag lets the handler say 413.
                    scope[TOO_LARGE] = (received, limit)
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await too_large_response(received, limit)(scope, receive, send)
