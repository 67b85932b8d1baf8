"""Input features a student types: ``x1*x2``, ``sin(3*x1)``, ``x1**2 + x2**2``, parsed safely.

A formula is a function of a point (x₁, x₂). ``compile_formula`` reads it with ``ast.parse(text,
mode="eval")`` and walks the tree itself: only numbers, the names x1, x2, pi, e, the operators
+ − · / ** (and unary −), parentheses and one-argument calls of the functions in ``FUNCTIONS`` are
allowed; anything else (attributes, subscripts, lambdas, comparisons, other names, keyword
arguments, …) is refused with a ``ValueError`` that names the problem and its column. Nothing is
ever passed to ``eval`` or ``compile``.

Values are kept finite. On the data's own points a result that is NaN or ±∞ (``log(x1)`` for
x₁ ≤ 0, ``1/x1`` at 0) is an error (``check_finite``), not clipped, because a silent 0 or 10⁶ would
change what the network learns; the message says where. Elsewhere on the plane (the grid the
decision boundary is drawn on) NaN becomes 0 and ±∞ becomes ±10⁶, so a picture is always drawn.
Exponents are limited to |p| ≤ 10 so that ``9**9**9`` is refused before it
is computed.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict

import numpy as np

MAX_LENGTH = 100      # characters
MAX_DEPTH = 12        # nested operations
MAX_POWER = 10        # |p| in a ** p
LARGE = 1e6           # ±∞ on the plane's grid is drawn as ±LARGE

FUNCTIONS: Dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "abs": np.abs, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0.0),
}
CONSTANTS = {"pi": np.pi, "e": np.e}
VARIABLES = ("x1", "x2")
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide,
           ast.Pow: np.power}
_WORDS = {ast.Attribute: "an attribute (a.b)", ast.Subscript: "indexing (a[i])", ast.Lambda: "a lambda",
          ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.IfExp: "if/else",
          ast.Mod: "the % operator", ast.FloorDiv: "the // operator", ast.MatMult: "the @ operator",
          ast.BitXor: "^ (for a power write **)", ast.Tuple: "a comma", ast.List: "a list",
          ast.Dict: "a dict", ast.Set: "a set", ast.JoinedStr: "an f-string", ast.NamedExpr: ":="}
_HINT = "use x1, x2, numbers, pi, e, + - * / ** and " + ", ".join(FUNCTIONS)


def _where(node) -> str:
    return f" at column {node.col_offset + 1}" if hasattr(node, "col_offset") else ""


def _refuse(node, what: str) -> ValueError:
    return ValueError(f"{what}{_where(node)} is not allowed in a feature formula: {_HINT}.")


@dataclass(frozen=True)
class Formula:
    """A checked formula: ``text`` in one canonical spelling without spaces ("sin(3*x1)", short in a link),
    ``f(points)`` its values at points (n, 2)."""

    text: str
    tree: ast.Expression

    def __repr__(self):
        return f"Formula({self.text!r})"

    @property
    def label(self) -> str:
        """How the page writes it: x1 → x₁, ** → ^, * → ·."""
        return self.text.replace("x1", "x₁").replace("x2", "x₂").replace("**", "^").replace("*", "·")

    def values(self, points) -> np.ndarray:
        """The formula at points (n, 2), as computed (NaN or ±∞ where it is not defined)."""
        x = np.asarray(points, dtype=float).reshape(-1, 2)
        env = {"x1": x[:, 0], "x2": x[:, 1]}
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(_evaluate(self.tree.body, env), dtype=float), (len(x),)).copy()

    def __call__(self, points) -> np.ndarray:
        """The feature's column at points (n, 2), with NaN drawn as 0 and ±∞ as ±10⁶ (for the plane's grid;
        the data's own points are checked first with ``check_finite``)."""
        return np.nan_to_num(self.values(points), nan=0.0, posinf=LARGE, neginf=-LARGE)

    def check_finite(self, points) -> None:
        """ValueError naming the first point where the formula is NaN or ±∞."""
        x = np.asarray(points, dtype=float).reshape(-1, 2)
        bad = ~np.isfinite(self.values(x))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"The feature {self.text!r} is not a finite number at the data point (x₁, x₂) = "
                             f"({x[i, 0]:.3g}, {x[i, 1]:.3g}) (log or sqrt of a negative number, division by 0, "
                             "or a value too large?): change the formula.")


@lru_cache(maxsize=256)
def compile_formula(text: str) -> Formula:
    """The formula ``text`` checked against the grammar above, or ValueError with a sentence."""
    tidy = " ".join(text.split())
    if not tidy:
        raise ValueError("The feature formula is empty: type one, like x1*x2 or sin(3*x1).")
    if len(tidy) > MAX_LENGTH:
        raise ValueError(f"The feature formula has {len(tidy)} characters; at most {MAX_LENGTH} are allowed.")
    try:
        tree = ast.parse(tidy, mode="eval")
    except SyntaxError as err:
        col = f" at column {err.offset}" if err.offset else ""
        raise ValueError(f"The feature formula {tidy!r} cannot be read{col}: check the brackets and "
                         f"operators ({_HINT}).") from None
    _check(tree.body, 1)
    return Formula("".join(ast.unparse(tree).split()), tree)


def _check(node, depth: int) -> None:
    """Refuse any node that is not in the grammar; limit the depth and constant exponents."""
    if depth > MAX_DEPTH:
        raise ValueError(f"The feature formula nests more than {MAX_DEPTH} operations deep: write a shorter one.")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _refuse(node, f"The value {node.value!r}")
        if not np.isfinite(float(node.value)):
            raise _refuse(node, f"The number {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id not in VARIABLES and node.id not in CONSTANTS:
            extra = " (a function needs brackets, like sin(x1))" if node.id in FUNCTIONS else ""
            raise ValueError(f"Unknown name {node.id!r}{_where(node)}{extra}: {_HINT}.")
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, depth + 1)
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        if isinstance(node.op, ast.Pow):
            _check_power(node.right)
        _check(node.left, depth + 1)
        _check(node.right, depth + 1)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            shown = repr(name or ast.unparse(node.func)[:30])
            raise ValueError(f"Calling {shown}{_where(node)} is not allowed: the functions are "
                             f"{', '.join(FUNCTIONS)}.")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"{name}(…){_where(node)} takes exactly one argument, like {name}(x1).")
        _check(node.args[0], depth + 1)
    else:
        what = _WORDS.get(type(node)) or _WORDS.get(type(getattr(node, "op", None)))
        raise _refuse(node, (what[0].upper() + what[1:]) if what else f"A {type(node).__name__} expression")


def _check_power(exponent) -> None:
    """An exponent made of numbers only must be at most ``MAX_POWER`` in size (so 9**9**9 never runs)."""
    if any(isinstance(n, ast.Name) for n in ast.walk(exponent)):
        return                             # depends on x: its size is checked by finiteness
    if isinstance(exponent, ast.BinOp) and isinstance(exponent.op, ast.Pow):
        raise ValueError(f"A power of a power{_where(exponent)} (like 9**9**9) is not allowed: "
                         f"exponents are numbers up to {MAX_POWER}.")
    _check(exponent, 1)
    with np.errstate(all="ignore"):
        p = float(_evaluate(exponent, {}))
    if not abs(p) <= MAX_POWER:
        raise ValueError(f"The exponent {p:g}{_where(exponent)} is too large: at most {MAX_POWER} is allowed.")


def _evaluate(node, env):
    """The value of a checked node: numpy arrays for x1, x2; floats for constants."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id] if node.id in env else CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, env), _evaluate(node.right, env))
    return FUNCTIONS[node.func.id](_evaluate(node.args[0], env))
