"""Small, safe arithmetic expressions for calculator formulas and points tables.

Expressions come from KB files; they are parsed once at load, checked against a whitelist of
syntax (arithmetic, comparisons, and/or/not, x if c else y, a few math functions) and the
known variable names, then evaluated with no builtins.
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any

FUNCTIONS: dict[str, Any] = {
    "min": min, "max": max, "abs": abs, "round": round, "log": math.log, "log10": math.log10,
    "ln": math.log, "exp": math.exp, "sqrt": math.sqrt, "pow": pow, "floor": math.floor, "ceil": math.ceil,
}
_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.BinOp,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.FloorDiv, ast.Compare, ast.Eq, ast.NotEq,
    ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.IfExp, ast.Call, ast.Name, ast.Constant,
    ast.Load, ast.Tuple, ast.List,
)


class ExpressionError(ValueError):
    """An expression the KB may not contain."""


@dataclass(frozen=True)
class Expr:
    text: str
    code: Any
    names: frozenset[str]

    def evaluate(self, env: dict[str, Any]) -> Any:
        """Value of the expression, or None when a name it needs is unknown (None in env)."""
        for n in self.names:
            if env.get(n) is None:
                return None
        try:
            return eval(self.code, {"__builtins__": {}}, {**FUNCTIONS, **env})  # noqa: S307 - whitelisted AST
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None


def compile_expr(text: str, known: set[str] | frozenset[str]) -> Expr:
    """Parse and check an expression; every free name must be in `known`."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as e:
        raise ExpressionError(f"{text!r}: not an expression ({e.msg})") from e
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"{text!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise ExpressionError(f"{text!r}: only {sorted(FUNCTIONS)} may be called")
        elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
            if node.id not in known:
                raise ExpressionError(f"{text!r}: unknown name {node.id!r}")
            names.add(node.id)
    return Expr(text, compile(tree, "<kb>", "eval"), frozenset(names))
