"""Security basics: API keys when the server is reachable from other machines, security headers, CORS only
when configured. Configuration is by environment (set by `wenzhen serve` from its options):

    WENZHEN_API_KEYS      comma-separated keys; when set, every /v1/ call except /v1/health needs one, as
                          `Authorization: Bearer KEY` or `X-API-Key: KEY`
    WENZHEN_CORS_ORIGINS  comma-separated origins allowed to call the API from a browser (default: none)
"""
from __future__ import annotations

import hmac
import ipaddress
import os

from .strict import SafeJSONResponse

OPEN_PATHS = ("/v1/health",)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    # The pages use inline script and style of their own; nothing is loaded from elsewhere.
    (b"content-security-policy", b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
     b"'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
]


def api_keys() -> list[str]:
    return [k.strip() for k in os.environ.get("WENZHEN_API_KEYS", "").split(",") if k.strip()]


def cors_origins() -> list[str]:
    return [o.strip() for o in os.environ.get("WENZHEN_CORS_ORIGINS", "").split(",") if o.strip()]


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Security:
    """Adds the security headers to every response and checks the API key on /v1/ when keys are configured."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        keys = api_keys()
        path = scope.get("path", "")
        if keys and path.startswith("/v1/") and path not in OPEN_PATHS and scope.get("method") != "OPTIONS":
            headers = dict(scope.get("headers", ()))
            given = headers.get(b"x-api-key", b"").decode("latin-1")
            auth = headers.get(b"authorization", b"").decode("latin-1")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if not any(hmac.compare_digest(given, k) for k in keys):
                refused = SafeJSONResponse(status_code=401, content={
                    "error": "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"},
                    headers={"www-authenticate": "Bearer"})
                return await refused(scope, receive, with_headers)
        await self.app(scope, receive, with_headers)
