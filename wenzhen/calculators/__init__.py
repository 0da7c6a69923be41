"""Clinical calculators and the multi-dimensional risk report (SPEC capability 10).

    calculate("cha2ds2_vasc", {"age": 72, "sex": "female", "hypertension": True})
    list_calculators()

Every calculator is data under `wenzhen/kb/data/calculators/` (inputs, points table or
formula, interpretation, source); inputs accept any listed unit and name.
"""
from . import functions as _functions  # noqa: F401  (registers the named functions)
from .engine import ConversionResult, calculate, convert, get_calculator, list_calculators
from .models import (
    CalculationError,
    CalculationResult,
    CalculatorInfo,
    InputSpec,
    Interpretation,
    Problem,
    UnknownCalculator,
)

__all__ = [
    "calculate", "convert", "ConversionResult", "get_calculator", "list_calculators", "CalculationError", "CalculationResult", "CalculatorInfo",
    "InputSpec", "Interpretation", "Problem", "UnknownCalculator",
]
