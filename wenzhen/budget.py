"""A time budget per request. Long work (a PDF's pages, a photo's OCR, a table's rows) checks it between steps and
stops with a reason instead of holding a worker for minutes; the server sets it, the CLI and library calls run
without one."""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("wenzhen_deadline", default=None)


class BudgetExceeded(Exception):
    """The request used up its time budget; the message says after what."""


def deadline_in(seconds: float) -> tuple[float, float]:
    """A deadline `seconds` from now (monotonic clock), with the budget it came from (for the message)."""
    return time.monotonic() + seconds, seconds


@contextmanager
def within(deadline: tuple[float, float] | None) -> Iterator[None]:
    """Run the block under `deadline` (from `deadline_in`); None means no budget. Threads do not inherit it:
    enter it in the thread that does the work."""
    token = _deadline.set(deadline)
    try:
        check_budget("waiting for a free worker")
        yield
    finally:
        _deadline.reset(token)


def check_budget(step: str) -> None:
    """Raise BudgetExceeded when the current budget is spent; `step` names what was being done."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise BudgetExceeded(f"stopped while {step}: the request used up its time budget of {current[1]:g} s")
