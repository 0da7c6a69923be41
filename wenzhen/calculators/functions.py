"""Calculators an expression cannot say well (dates, drug tables). Registered by name; the
calculator's YAML names the function and holds any table it reads in `constants`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from wenzhen.kb.base import read_messages
from wenzhen.kb.calc_loader import CompiledCalculator

from .engine import FUNCTIONS
from .models import CalculationError, Language, Problem

_MESSAGES = read_messages(Path(__file__).with_name("messages.yaml"))


def register(name: str) -> Callable:
    def deco(fn: Callable[[dict[str, Any], CompiledCalculator, Language], dict[str, Any]]):
        FUNCTIONS[name] = fn
        return fn
    return deco


def _date_display(d: dt.date, lang: Language) -> str:
    return _MESSAGES["functions"][lang]["date"].format(y=d.year, m=d.month, d=d.day)


@register("naegele_due_date")
def naegele_due_date(env: dict[str, Any], cc: CompiledCalculator, lang: Language) -> dict[str, Any]:
    lmp: dt.date = env["last_menstrual_period"]
    edd = lmp + dt.timedelta(days=280 + (env["cycle_length"] - 28))
    return {"value": edd.isoformat(), "display": _date_display(edd, lang)}


def _fail(cc: CompiledCalculator, field: str, reason: str) -> CalculationError:
    return CalculationError(cc.calc.id, [Problem(input=field, reason=reason)])


@register("conception_date")
def conception_date(env: dict[str, Any], cc: CompiledCalculator, lang: Language) -> dict[str, Any]:
    """Ovulation/conception ≈ LMP + (cycle length − luteal phase); luteal phase from constants."""
    lmp: dt.date = env["last_menstrual_period"]
    luteal = int(cc.calc.constants["luteal_phase_days"])
    day = lmp + dt.timedelta(days=env["cycle_length"] - luteal)
    env["_interpret_value"] = (day - lmp).days  # lets the (unbounded) info band apply
    return {"value": day.isoformat(), "display": _date_display(day, lang)}


@register("gestational_age")
def gestational_age(env: dict[str, Any], cc: CompiledCalculator, lang: Language) -> dict[str, Any]:
    lmp: dt.date = env["last_menstrual_period"]
    today: dt.date = env["current_date"]
    days = (today - lmp).days
    if days < 0:
        raise _fail(cc, "current_date", _MESSAGES["functions"][lang]["lmp_after_today"])
    weeks, rest = divmod(days, 7)
    env["_interpret_value"] = days
    display = _MESSAGES["functions"][lang]["gestational_age"].format(w=weeks, d=rest)
    return {"value": f"{weeks}+{rest}", "display": display,
            "components": {"weeks": weeks, "days": rest, "total_days": days}}


@register("steroid_conversion")
def steroid_conversion(env: dict[str, Any], cc: CompiledCalculator, lang: Language) -> dict[str, Any]:
    table: dict[str, float] = cc.calc.constants["equivalent_mg"]
    src, dst = env["steroid_from"], env["steroid_to"]
    for field in (src, dst):
        if field not in table:
            raise _fail(cc, field, _MESSAGES["functions"][lang]["no_steroid_equivalent"])
    value = env["steroid_dose"] * table[dst] / table[src]
    return {"value": value, "components": {"factor": table[dst] / table[src]}}


@register("mme_daily")
def mme_daily(env: dict[str, Any], cc: CompiledCalculator, lang: Language) -> dict[str, Any]:
    """Sum of dose × doses per day × CDC factor over the opioids given (patch: μg/h × factor)."""
    total = 0.0
    parts: dict[str, float] = {}
    problems: list[Problem] = []
    for name, d in cc.calc.constants["drugs"].items():
        dose = env.get(d["dose"])
        per_day_var = d.get("per_day")
        per_day = env.get(per_day_var) if per_day_var else 1
        if dose is None and (per_day is None or not per_day_var):
            continue
        if dose is None or per_day is None:
            missing = d["dose"] if dose is None else per_day_var
            problems.append(Problem(input=missing, var=missing, reason=(
                _MESSAGES["functions"][lang]["dose_and_frequency"])))
            continue
        mme = dose * per_day * float(d["factor"])
        parts[name] = round(mme, 2)
        total += mme
    if problems:
        raise CalculationError(cc.calc.id, problems)
    if not parts:
        raise _fail(cc, "opioid", _MESSAGES["functions"][lang]["no_opioid"])
    return {"value": total, "components": parts}
