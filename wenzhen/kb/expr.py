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

    tree: Any = None

    def evaluate(self, env: dict[str, Any]) -> Any:
        """Value of the expression, or None when it depends on an unknown name (None in env).

        With every name known this is compiled Python; otherwise three-valued (Kleene) logic
        decides what it can: `a or b` is true when a known operand is true, `a and b` false when
        a known operand is false, so "pO2 < 60 or SpO2 < 90" holds with only SpO2 known."""
        for n in self.names:
            if env.get(n) is None:
                r = _kleene(self.tree.body, env)
                return None if r is _UNKNOWN else r
        try:
            return eval(self.code, {"__builtins__": {}}, {**FUNCTIONS, **env})  # noqa: S307 - whitelisted AST
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None


_UNKNOWN = object()
_BIN = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
        ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b, ast.Mod: lambda a, b: a % b,
        ast.FloorDiv: lambda a, b: a // b}
_CMP = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
        ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
        ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}


def _kleene(node: ast.AST, env: dict[str, Any]) -> Any:
    """Evaluate with unknown names as _UNKNOWN; only the syntax compile_expr allows."""
    try:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            v = env.get(node.id, FUNCTIONS.get(node.id))
            return _UNKNOWN if v is None else v
        if isinstance(node, ast.BoolOp):
            vals = [_kleene(v, env) for v in node.values]
            decisive = isinstance(node.op, ast.Or)  # a true operand decides `or`, a false one decides `and`
            if any(v is not _UNKNOWN and bool(v) == decisive for v in vals):
                return decisive
            return _UNKNOWN if any(v is _UNKNOWN for v in vals) else (not decisive)
        if isinstance(node, ast.UnaryOp):
            v = _kleene(node.operand, env)
            if v is _UNKNOWN:
                return v
            return (not v) if isinstance(node.op, ast.Not) else (-v if isinstance(node.op, ast.USub) else +v)
        if isinstance(node, ast.IfExp):
            t = _kleene(node.test, env)
            if t is _UNKNOWN:
                a, b = _kleene(node.body, env), _kleene(node.orelse, env)
                return a if (a is not _UNKNOWN and a == b) else _UNKNOWN
            return _kleene(node.body if t else node.orelse, env)
        if isinstance(node, ast.BinOp):
            a, b = _kleene(node.left, env), _kleene(node.right, env)
            return _UNKNOWN if _UNKNOWN in (a, b) else _BIN[type(node.op)](a, b)
        if isinstance(node, ast.Compare):
            left = _kleene(node.left, env)
            result: Any = True
            for op, comp in zip(node.ops, node.comparators):
                right = _kleene(comp, env)
                if left is _UNKNOWN or right is _UNKNOWN:
                    result = _UNKNOWN
                elif not _CMP[type(op)](left, right):
                    return False
                left = right
            return result
        if isinstance(node, (ast.Tuple, ast.List)):
            vals = [_kleene(e, env) for e in node.elts]
            return _UNKNOWN if _UNKNOWN in vals else tuple(vals)
        if isinstance(node, ast.Call):
            args = [_kleene(a, env) for a in node.args]
            return _UNKNOWN if _UNKNOWN in args else FUNCTIONS[node.func.id](*args)
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return _UNKNOWN
    return _UNKNOWN


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
    expr = Expr(text, compile(tree, "<kb>", "eval"), frozenset(names))
    object.__setattr__(expr, "tree", tree)
    return expr
