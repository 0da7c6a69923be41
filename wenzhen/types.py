"""Input types shared by every entry point (API models, CLI, engines), so one rule holds everywhere:
numbers are numbers (not booleans, not NaN or infinity), and free text is text (not blank, not binary)."""
from __future__ import annotations

import math
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

M = TypeVar("M", bound=BaseModel)

MAX_TEXT_CHARS = 20_000


def no_bool(v: Any) -> Any:
    # JSON true is not 1: "age": true must not become a one-year-old.
    if isinstance(v, bool):
        raise ValueError("a number is required, not true/false")
    return v


def _finite(v: float) -> float:
    if not math.isfinite(v):
        raise ValueError("a finite number is required (not NaN or infinity)")
    return v


Number = Annotated[float, BeforeValidator(no_bool), AfterValidator(_finite)]


def bounded(lo: float, hi: float) -> Any:
    """A Number within [lo, hi]; the bounds sit on the float itself, so the schema declares them as
    minimum/maximum (put after the validators, pydantic enforces them but shows non-standard "ge"/"le")."""
    return Annotated[float, Field(ge=lo, le=hi, allow_inf_nan=False), BeforeValidator(no_bool), AfterValidator(_finite)]


def clean_text(v: str, what: str = "the complaint") -> str:
    """The text without control characters; ValueError (with the reason) when blank or binary."""
    # Lone surrogates ("\\ud800" in JSON) cannot be encoded or shown: they are noise, like control characters.
    cleaned = "".join(ch for ch in v if (ch.isprintable() or ch in "\n\t") and not 0xD800 <= ord(ch) <= 0xDFFF)
    if not cleaned.strip():
        raise ValueError(f"{what} is empty: describe the symptoms in a sentence or two")
    if "\x00" in v or sum(not (ch.isprintable() or ch in "\n\t\r") for ch in v) > max(8, len(v) // 10):
        raise ValueError(f"{what} looks like binary data, not text")
    return cleaned


ComplaintText = Annotated[str, Field(max_length=MAX_TEXT_CHARS, description="the complaint in the patient's own words, "
                                     "Chinese or English"), AfterValidator(clean_text)]


def json_safe(x: Any) -> Any:
    """A structure that encodes as strict JSON: non-finite floats become null, lone surrogates U+FFFD."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, str):
        return x.encode("utf-8", "replace").decode("utf-8") if any(0xD800 <= ord(c) <= 0xDFFF for c in x) else x
    if isinstance(x, dict):
        return {json_safe(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    return x


def trusted(cls: type[M], **values: Any) -> M:
    """Build a model from values already validated (taken from the loaded knowledge base or computed from
    validated models), every field given: the engine's hot path builds tens of these per request, and
    `model_construct` spends most of its time on defaults it would not need."""
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model
