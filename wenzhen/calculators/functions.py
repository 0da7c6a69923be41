"""Calculators an expression cannot say well (dates, drug tables). Registered by name; the
calculator's YAML names the function and holds any table it reads in `constants`."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from wenzhen.kb.calc_loader import CompiledCalculator

from .engine import FUNCTIONS
from .models import Language


def register(name: str) -> Callable:
    def deco(fn: Callable[[dict[str, Any], CompiledCalculator, Language], dict[str, Any]]):
        FUNCTIONS[name] = fn
        return fn
    return deco


def _date_display(d: dt.date, lang: Language) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


@register("naegele_due_date")
def naegele_due_date(env: dict[str, Any], cc: CompiledCalculator, lang: Language) -> dict[str, Any]:
    lmp: dt.date = env["last_menstrual_period"]
    edd = lmp + dt.timedelta(days=280 + (env["cycle_length"] - 28))
    return {"value": edd.isoformat(), "display": _date_display(edd, lang)}
