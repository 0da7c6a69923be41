"""Health scales (SPEC capability 11): PSQI, ISI, ESS, STOP-BANG, PHQ-9, GAD-7.

    score_scale("psqi", {"psqi_01": "23:00", "psqi_02": 20, ...}, language="zh")
    list_scales()

Every scale is data under `wenzhen/kb/data/scales/` (items and answers in zh + en, scoring
steps and band tables, interpretation, cut-offs, advice and safety rules, each with its
source); the KB is loaded and checked when this package is imported.
"""
from .engine import find_scale, list_scales, parse_clock, score_scale
from .loader import default_scales, load_scales
from .models import (
    Advice,
    Answer,
    ComponentScore,
    CutoffResult,
    Interpretation,
    ItemInfo,
    OptionInfo,
    Problem,
    Safety,
    ScaleError,
    ScaleInfo,
    ScaleResult,
    UnknownScale,
)

default_scales()  # load and validate at import: a bad scale file fails loudly here (KBError)

__all__ = [
    "score_scale", "list_scales", "find_scale", "parse_clock", "default_scales", "load_scales", "Advice", "Answer",
    "ComponentScore", "CutoffResult", "Interpretation", "ItemInfo", "OptionInfo", "Problem", "Safety", "ScaleError",
    "ScaleInfo", "ScaleResult", "UnknownScale",
]
