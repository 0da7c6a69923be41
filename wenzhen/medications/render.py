"""Readable text of a medication check (the CLI and the `readable` field of the API)."""
from __future__ import annotations

from pathlib import Path

from ..kb.base import read_messages
from . import MedicationCheck

_MSG = read_messages(Path(__file__).with_name("messages.yaml"))


def render_check(res: MedicationCheck) -> str:
    M = _MSG[res.language]
    lines = [res.summary]
    for f in res.findings:
        lines.append(f"[{M['severity'][f.severity]}] {f.message}")
        lines.append(f"    → {f.what_to_do}" + (f"  ({f.source})" if f.source else ""))
    return "\n".join(lines)
