"""Physical limits of the vital-sign measurements (kb/data/measurement_limits.yaml), read once.

Kept apart from the clinical knowledge base so that request models can use them at import time."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_PATH = Path(__file__).parent / "data" / "measurement_limits.yaml"


@lru_cache(maxsize=1)
def measurement_limits() -> dict[str, tuple[float, float]]:
    data = yaml.safe_load(_PATH.read_text(encoding="utf-8"))
    out = {}
    for name, (lo, hi) in data["limits"].items():
        if not lo < hi:
            raise ValueError(f"{_PATH}: {name}: lower limit must be below the upper one")
        out[name] = (float(lo), float(hi))
    return out
