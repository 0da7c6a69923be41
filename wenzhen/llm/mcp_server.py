"""wenzhen's deterministic tools as an MCP server (the official `mcp` SDK), so any agent can use them:
`wenzhen mcp` serves over stdio. The tools are the same table the model's function calling uses (llm/tools.py)."""
from __future__ import annotations

import functools

from .tools import TOOLS


def build_server():
    from mcp.server.mcpserver import MCPServer

    server = MCPServer(name="wenzhen", instructions=(
        "Deterministic, sourced medical tools for Chinese healthcare: triage and differential for a complaint, lab "
        "report interpretation, medication checks, clinical calculators, risk report, health scales, unit "
        "conversion. Results are authoritative for urgency; they do not replace a doctor."))

    # The functions themselves: their typed signatures become the tools' input schemas, and a bad argument comes
    # back to the client as a tool error naming it.
    for name, (fn, description, _) in TOOLS.items():
        server.tool(name=name, description=description)(_reporting_errors(fn))
    return server


def _reporting_errors(fn):
    """The tool with its signature, raising the SDK's ToolError (a clean error result naming the problem) on bad
    arguments instead of an unexpected failure."""
    from mcp.server.mcpserver.exceptions import ToolError
    from pydantic import ValidationError

    @functools.wraps(fn)
    def tool(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ValueError, ValidationError, TypeError, KeyError) as e:
            raise ToolError(f"{fn.__name__.lstrip('_')}: {e}") from e
    return tool


def main() -> None:
    build_server().run("stdio")
