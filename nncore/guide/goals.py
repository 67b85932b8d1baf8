"""A step's goal: a small, safe expression over the metrics of the student's own run.

Examples: ``test_accuracy >= 0.95 and hidden_neurons <= 4``, ``diverged``,
``val_loss < 0.02 within 50 epochs`` (short for ``(val_loss < 0.02) and epoch <= 50``).

The grammar is the formula features' (``nncore.data.formula``): ``ast.parse(text, mode="eval")`` and a walk
that allows only comparisons (< <= > >= == !=, chained), ``and`` / ``or`` / ``not``, brackets, numbers
(with a unary minus), ``true`` / ``false`` and the metric names in ``METRICS``. Anything else (attributes
such as ``__class__``, calls, subscripts, strings, lambdas, arithmetic) is refused with one sentence that
names it and its column. Nothing is passed to ``eval`` or ``compile``.

A goal is checked on a run's metrics (a dict ``name → number or bool``); a metric the run has not
reported yet (no epoch ended) makes the goal *undecided* (``None``), not false, so the panel waits.
"""
from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Mapping, Optional

MAX_LENGTH = 200
MAX_DEPTH = 12

# every metric a page may publish (nncore.guide.run_metrics), with what it means in the course's words
METRICS: Dict[str, str] = {
    "epoch": "epochs finished so far",
    "step": "updates made so far",
    "train_loss": "J on the training set at the last epoch's end",
    "val_loss": "J on the validation set at the last epoch's end (the regression page)",
    "test_loss": "J on the test set at the last epoch's end (the playground)",
    "train_accuracy": "share of training points classified right (0 … 1)",
    "test_accuracy": "share of test points classified right (0 … 1)",
    "diverged": "the run stopped because J exploded (α too high)",
    "finished": "the run ended (all its epochs, or the stop rule)",
    "hidden_neurons": "neurons in all hidden layers together",
    "hidden_layers": "number of hidden layers",
    "lr": "the learning rate α of the run",
    "w": "the fitted slope w (the regression line)",
    "b": "the fitted intercept b (the regression line)",
    "gate_correct": "rows of the truth table the perceptron gets right (0 … 4)",
    # the optimiser race: one racer's J on the training set at the last epoch's end, and the race's standings
    **{f"{name}_loss": f"J on the training set of the {label} racer (the race)" for name, label in (
        ("sgd", "SGD"), ("momentum", "momentum"), ("nesterov", "Nesterov"), ("rmsprop", "RMSprop"),
        ("adam", "Adam"), ("adagrad", "Adagrad"))},
    "best_train_loss": "the lowest training J among the racers still running (the race)",
    "racers": "number of optimisers in the race",
    "diverged_racers": "racers that stopped because their J exploded (the race)",
}
_CONSTANTS = {"true": True, "false": False}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_WITHIN = re.compile(r"^(?P<goal>.+?)\s+within\s+(?P<n>\d+)\s+epochs?\s*$", re.S)
_WORDS = {ast.Attribute: "An attribute (a.b)", ast.Call: "A call (f(…))", ast.Subscript: "Indexing (a[i])",
          ast.Lambda: "A lambda", ast.BinOp: "Arithmetic", ast.IfExp: "An if/else", ast.Tuple: "A comma",
          ast.List: "A list", ast.Dict: "A dict", ast.Set: "A set", ast.JoinedStr: "An f-string",
          ast.NamedExpr: "The := operator", ast.Starred: "A star"}


class GoalError(ValueError):
    """A goal that cannot be read: its message is one sentence for the lesson's author."""


@dataclass(frozen=True)
class Goal:
    """A checked goal: ``text`` as written, ``metrics`` the names it reads."""

    text: str
    tree: ast.Expression
    metrics: FrozenSet[str]

    def check(self, values: Mapping[str, object]) -> Optional[bool]:
        """True when met, False when not, None while a metric it needs is not known yet."""
        try:
            return bool(_value(self.tree.body, values))
        except _Unknown:
            return None


class _Unknown(Exception):
    pass


def _where(node) -> str:
    return f" at column {node.col_offset + 1}" if hasattr(node, "col_offset") else ""


def _hint() -> str:
    return "use metric names, numbers, < <= > >= == !=, and, or, not"


def parse_goal(text: str, allowed: Optional[FrozenSet[str]] = None) -> Goal:
    """The goal ``text`` checked against the grammar above (and, when given, the metrics ``allowed`` on its
    page), or GoalError with a sentence."""
    if not isinstance(text, str):
        raise GoalError(f"The goal must be text, like \"test_accuracy >= 0.95\", not {type(text).__name__}.")
    tidy = " ".join(text.split())
    if not tidy:
        raise GoalError("The goal is empty: write one, like test_accuracy >= 0.95, or leave it out.")
    if len(tidy) > MAX_LENGTH:
        raise GoalError(f"The goal has {len(tidy)} characters; at most {MAX_LENGTH} are allowed.")
    within = _WITHIN.match(tidy)
    source = f"({within['goal']}) and epoch <= {int(within['n'])}" if within else tidy
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise GoalError(f"The goal {tidy!r} cannot be read: check the brackets and operators "
                        f"({_hint()}).") from None
    names = set()
    _check(tree.body, 1, names)
    unknown = sorted(n for n in names if n not in METRICS)
    if unknown:
        raise GoalError(f"The goal {tidy!r} reads the metric {unknown[0]!r}, which no page reports; the metrics "
                        f"are {', '.join(METRICS)}.")
    if allowed is not None:
        missing = sorted(n for n in names if n not in allowed)
        if missing:
            raise GoalError(f"The goal {tidy!r} reads {missing[0]!r}, which this step's page does not report "
                            f"(it reports {', '.join(sorted(allowed))}).")
    return Goal(tidy, tree, frozenset(names))


def _check(node, depth: int, names: set) -> None:
    if depth > MAX_DEPTH:
        raise GoalError(f"The goal nests more than {MAX_DEPTH} operations deep: write a shorter one.")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise GoalError(f"The value {node.value!r}{_where(node)} is not allowed in a goal: {_hint()}.")
        if not math.isfinite(float(node.value)):
            raise GoalError(f"The number {node.value!r}{_where(node)} is not finite.")
    elif isinstance(node, ast.Name):
        if node.id not in _CONSTANTS:
            names.add(node.id)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        _check(node.operand, depth + 1, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, depth + 1, names)
    elif isinstance(node, ast.BoolOp):
        for v in node.values:
            _check(v, depth + 1, names)
    elif isinstance(node, ast.Compare):
        bad = [op for op in node.ops if type(op) not in _COMPARE]
        if bad:
            raise GoalError(f"The comparison {type(bad[0]).__name__}{_where(node)} is not allowed in a goal: "
                            f"{_hint()}.")
        for v in [node.left, *node.comparators]:
            _check(v, depth + 1, names)
    else:
        what = _WORDS.get(type(node), f"A {type(node).__name__} expression")
        raise GoalError(f"{what}{_where(node)} is not allowed in a goal: {_hint()}.")


def _value(node, values: Mapping[str, object]):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        v = values.get(node.id)
        if v is None:
            raise _Unknown
        return v
    if isinstance(node, ast.UnaryOp):
        v = _value(node.operand, values)
        return -v if isinstance(node.op, ast.USub) else not v
    if isinstance(node, ast.BoolOp):
        results = [_value(v, values) for v in node.values]    # every part known, or undecided
        return all(results) if isinstance(node.op, ast.And) else any(results)
    left = _value(node.left, values)
    for op, right_node in zip(node.ops, node.comparators):
        right = _value(right_node, values)
        if not _compare(type(op), left, right):
            return False
        left = right
    return True


def _compare(op, a, b) -> bool:
    a, b = float(a), float(b)
    return {ast.Lt: a < b, ast.LtE: a <= b, ast.Gt: a > b, ast.GtE: a >= b, ast.Eq: a == b,
            ast.NotEq: a != b}[op]
