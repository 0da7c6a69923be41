"""Physical limits of the vital-sign measurements (kb/data/measurement_limits.yaml), read once.

Kept apart from the clinical knowledge base so that request models can use them at import time."""
from __future__ import annotations

from functools import lru_cache

from .base import DATA_DIR, KBError, read_yaml

_PATH = DATA_DIR / "measurement_limits.yaml"


@lru_cache(maxsize=1)
def measurement_limits() -> dict[str, tuple[float, float]]:
    data = read_yaml(_PATH)
    out = {}
    for name, (lo, hi) in data["limits"].items():
        if not lo < hi:
            raise KBError(f"{_PATH}: {name}: lower limit must be below the upper one")
        out[name] = (float(lo), float(hi))
    return out
