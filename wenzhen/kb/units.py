"""Units as printed on reports: every common spelling to one canonical unit.

Only unit algebra lives here (×10^9/L = G/L = 10^3/μL, g/dL = 10 g/L, μIU/mL = mIU/L);
analyte-specific conversions (glucose mg/dL → mmol/L) are facts and live in the KB.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


class UnitError(ValueError):
    """A unit that cannot be read."""


# canonical unit -> accepted spellings after _squash (lower-case, no spaces, μ for micro)
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "10^9/L": ("10^9/l", "g/l*", "10^3/μl", "10^3/mm^3", "k/μl", "10^9个/l"),
    "10^12/L": ("10^12/l", "t/l", "10^6/μl", "m/μl", "10^12个/l"),
    "g/L": ("g/l",),
    "mg/L": ("mg/l",),
    "μg/L": ("μg/l", "ng/ml"),
    "ng/L": ("ng/l", "pg/ml"),
    "mmol/L": ("mmol/l", "meq/l"),
    "μmol/L": ("μmol/l",),
    "nmol/L": ("nmol/l",),
    "pmol/L": ("pmol/l",),
    "U/L": ("u/l", "iu/l", "miu/ml"),
    "mIU/L": ("miu/l", "μiu/ml", "μu/ml", "mu/l"),
    "U/mL": ("u/ml", "iu/ml", "kiu/l", "ku/l"),
    "fL": ("fl", "μm^3"),
    "pg": ("pg",),
    "%": ("%",),
    "mmHg": ("mmhg",),
    "kPa": ("kpa",),
    "s": ("s", "sec", "秒"),
    "mm/h": ("mm/h", "mm/hr", "mm/1h"),
    "/HPF": ("/hpf", "/hp", "个/hp", "个/hpf", "个/高倍视野", "/高倍视野"),
    "/LPF": ("/lpf", "/lp", "个/lp", "个/lpf", "个/低倍视野", "/低倍视野"),
    "/μL": ("/μl", "个/μl", "cells/μl", "p/μl"),
    "mg/24h": ("mg/24h", "mg/d", "mg/24hr"),
    "g/24h": ("g/24h", "g/d"),
    "mg/g": ("mg/g", "mg/gcr"),
    "mg/mmol": ("mg/mmol",),
    "/min": ("次/分", "bpm", "/min", "次/min", "beats/min"),
    "‰": ("‰",),
    "mL/min/1.73m2": ("ml/min/1.73m2", "ml/min/1.73m^2", "ml/min/1.73㎡", "ml/min"),
    "mmol/mol": ("mmol/mol",),
    "kg": ("kg", "公斤"),
    "cm": ("cm", "厘米"),
    "kg/m2": ("kg/m2", "kg/m^2", "kg/㎡"),
    "mOsm/kg": ("mosm/kg", "mosm/kgh2o"),
    "copies/mL": ("copies/ml", "拷贝/ml"),
    "IU/mL": ("iu/ml*",),
    "L/L": ("l/l",),
    "ratio": ("ratio", "s/co", "coi", "index", "—", "-"),
}
# extra spellings with a scale factor: value_in_canonical = value * factor
_SCALED: dict[str, tuple[str, float]] = {
    "g/dl": ("g/L", 10.0),
    "mg/dl": ("mg/L", 10.0),  # mass only: analyte molar conversions are in the KB
    "μg/dl": ("μg/L", 10.0),
    "ng/dl": ("ng/L", 10.0),
    "mg/ml": ("g/L", 1.0),
    "μg/ml": ("mg/L", 1.0),
    "μmol/ml": ("mmol/L", 1.0),
    "10^4/μl": ("10^9/L", 10.0),
    "10^5/μl": ("10^9/L", 100.0),
    "10^6/l": ("/μL", 1.0),  # 1 L = 10^6 μL
    "10^6/ml": ("10^9/L", 1.0),
    "10^4/ml": ("10^9/L", 0.01),
    "min": ("s", 60.0),
    "lb": ("kg", 0.45359237),
    "lbs": ("kg", 0.45359237),
    "m": ("cm", 100.0),
    "米": ("cm", 100.0),
    "in": ("cm", 2.54),
    "斤": ("kg", 0.5),
}

_LOOKUP: dict[str, tuple[str, float]] = {}
for _canon, _forms in _SPELLINGS.items():
    for _f in _forms:
        _LOOKUP[_f.rstrip("*")] = (_canon, 1.0)
_LOOKUP.update(_SCALED)
# "g/l*" marks G/L (giga per litre) as distinct from g/L (grams): resolved by case below.
_LOOKUP["g/l"] = ("g/L", 1.0)
_LOOKUP["iu/ml"] = ("U/mL", 1.0)

_POWER = re.compile(r"(?:[×xX*·]\s*)?10\s*(?:\^|\*|\*\*|~|e|E|-)?\s*([0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})(?=\s*(?:个)?\s*/)")
_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _squash(unit: str) -> str:
    u = unicodedata.normalize("NFKC", unit).strip()
    u = u.replace("µ", "μ").replace("μ", "μ")  # micro sign and Greek mu
    u = _POWER.sub(lambda m: "10^" + m.group(1).translate(_SUPER), u)
    u = re.sub(r"\s+", "", u)
    low = u.lower()
    low = re.sub(r"^(?:u|mc)(?=(?:mol|g|iu|l)\b|(?:mol|g|iu|l)/)", "μ", low)  # umol/L, mcg/L, uIU/mL
    low = low.replace("/u", "/μ") if re.search(r"/ul\b|/ul$", low) else low
    return low


@lru_cache(maxsize=4096)  # a report names the same few units again and again
def parse_unit(unit: str) -> tuple[str, float]:
    """('mg/dl') -> ('mg/L', 10.0): canonical unit and the factor into it. Raises UnitError."""
    if unit is None or not str(unit).strip():
        raise UnitError("empty unit")
    raw = unicodedata.normalize("NFKC", str(unit)).strip()
    if raw in ("G/L", "G/l"):  # giga-cells per litre, as analysers print it
        return "10^9/L", 1.0
    if raw in ("T/L", "T/l"):
        return "10^12/L", 1.0
    key = _squash(raw)
    if key in _LOOKUP:
        return _LOOKUP[key]
    raise UnitError(f"unknown unit {unit!r}")


def try_parse_unit(unit: str | None) -> tuple[str, float] | None:
    try:
        return parse_unit(unit) if unit else None
    except UnitError:
        return None


UNIT_TOKEN = re.compile(
    r"(?:[×xX*]\s*)?10\s*(?:\^|\*|~|e|E)?\s*[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}\s*(?:个)?\s*/\s*[uμµ]?[lL]"
    r"|(?:[mnpμµuk]?(?:mol|g|IU|iu|U|u|Eq|eq|Osm|osm))\s*/\s*(?:[mdμµu]?[lL]|kg(?:\s*H2O)?|24\s*h|d|g|mol)"
    r"|mL/min(?:/1\.73\s*m(?:2|\^2|²))?|fL|fl|pg|mmHg|kPa|mm/h|/HPF|/LPF|/HP|/LP|个/HP|个/高倍视野|个/μL|/μL|/uL"
    r"|[GT]/L|copies/mL|S/CO|COI|%|sec|s\b|秒|kg/m2"
)
