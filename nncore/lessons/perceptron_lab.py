"""Perceptrons (course 003): one unit that weighs its inputs and fires when the sum reaches a threshold.

    z = Σ_j w_j x_j + b,      y = h(z) = 1 if z ≥ 0 else 0,      b = -threshold

The same unit with σ instead of the step h is the course's *sigmoid neuron*: its output moves
smoothly with the weights, which is what gradient descent needs.

Here: the cheese-festival decision and its two presets, truth tables with z for the logic gates,
the perceptron learning rule (a generator of updates, and ``learn`` that returns the history) and
an exact linear-separability check for points in the plane.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import numpy as np

from nncore.data import datasets
from nncore.engine import activations

UNITS = ("step", "sigmoid")


@dataclass(frozen=True)
class Perceptron:
    """One unit: weights w_j, bias b and its activation (the step h, or σ for a sigmoid neuron)."""

    w: Tuple[float, ...]
    b: float = 0.0
    unit: str = "step"

    def __post_init__(self):
        object.__setattr__(self, "w", tuple(float(v) for v in self.w))
        object.__setattr__(self, "b", float(self.b))
        if self.unit not in UNITS:
            raise ValueError(f"Unknown unit {self.unit!r}; choose one of {', '.join(UNITS)}.")

    @classmethod
    def with_threshold(cls, w: Sequence[float], threshold: float, unit: str = "step") -> "Perceptron":
        """The course's first form, Σ w_j x_j ≥ threshold, is the bias b = -threshold."""
        return cls(tuple(w), -float(threshold), unit)

    @property
    def threshold(self) -> float:
        return -self.b

    def z(self, x) -> np.ndarray:
        """z = x · w + b for every row of x."""
        return np.atleast_2d(np.asarray(x, dtype=float)) @ np.asarray(self.w) + self.b

    def output(self, x) -> np.ndarray:
        """a = h(z) (0 or 1), or σ(z) for a sigmoid neuron."""
        return activations.get(self.unit)(self.z(x))

    def fires(self, x) -> np.ndarray:
        """The 0/1 decision: z ≥ 0 (for σ this is a ≥ 0.5, the same line)."""
        return (self.z(x) >= 0).astype(float)

    def __repr__(self):
        w = ", ".join(f"{v:g}" for v in self.w)
        return f"Perceptron(w=({w}), b={self.b:g}, {self.unit})"


# ---- the cheese festival ----------------------------------------------------------------------
FESTIVAL_QUESTIONS = ("Is the weather good?", "Will a friend go too?", "Is it near some pubs?")
FESTIVAL_FACTORS = ("weather", "friend", "pubs")


@dataclass(frozen=True)
class FestivalPreset:
    """A choice of weights and threshold from course 003, and what it means."""

    key: str
    label: str
    weights: Tuple[float, float, float]
    threshold: float
    conclusion: str


FESTIVAL_PRESETS = {
    p.key: p for p in (
        FestivalPreset(
            "any-two", "w = 1, 1, 1 · threshold 2", (1.0, 1.0, 1.0), 2.0,
            "You go whenever any two of the three answers are yes: every reason counts the same.",
        ),
        FestivalPreset(
            "thirst", "w₃ = 10 · threshold 11", (1.0, 1.0, 10.0), 11.0,
            "Fear of dying of thirst dominates: without pubs you never go (z ≤ 2), "
            "with pubs one more yes is enough (z ≥ 11).",
        ),
    )
}


@dataclass(frozen=True)
class Decision:
    """One decision: the contributions w_j x_j, their sum z, and the output."""

    x: Tuple[int, ...]
    contributions: Tuple[float, ...]
    z: float
    threshold: float
    output: float

    @property
    def go(self) -> bool:
        return self.z >= self.threshold


def festival_decision(x: Sequence[int], weights: Sequence[float], threshold: float,
                      unit: str = "step") -> Decision:
    """Go to the festival? y = 1 when z = Σ w_j x_j ≥ threshold (σ(z - threshold) for a sigmoid neuron)."""
    p = Perceptron.with_threshold(weights, threshold, unit)
    xs = tuple(int(bool(v)) for v in x)
    z_sum = float(np.dot(xs, p.w))
    return Decision(xs, tuple(float(w * v) for w, v in zip(p.w, xs)), z_sum, float(threshold),
                    float(p.output(xs)[0]))


def festival_table(weights: Sequence[float], threshold: float, unit: str = "step") -> List[Decision]:
    """The decision for all 8 combinations of answers, in the order 000, 001, …, 111."""
    return [festival_decision(x, weights, threshold, unit) for x in itertools.product((0, 1), repeat=3)]


def festival_preset(weights: Sequence[float], threshold: float) -> Optional[FestivalPreset]:
    """The course preset these settings are, if any."""
    for p in FESTIVAL_PRESETS.values():
        if tuple(map(float, weights)) == p.weights and float(threshold) == p.threshold:
            return p
    return None


# ---- logic gates ------------------------------------------------------------------------------
COURSE_GATE_WEIGHTS = {"AND": ((1.0, 1.0), -2.0), "OR": ((1.0, 1.0), -1.0)}  # course 003's tables


@dataclass(frozen=True)
class TruthTable:
    """A gate's four rows under one unit: inputs, target y, z, output a, decision and whether it is right."""

    gate: str
    x: np.ndarray
    target: np.ndarray
    z: np.ndarray
    output: np.ndarray
    decision: np.ndarray

    @property
    def right(self) -> np.ndarray:
        return self.decision == self.target

    @property
    def n_right(self) -> int:
        return int(self.right.sum())

    @property
    def all_right(self) -> bool:
        return bool(self.right.all())

    def rows(self) -> List[dict]:
        """One dict per row (x1, x2, y, z, a, right), ready for a table."""
        return [dict(x1=int(x[0]), x2=int(x[1]), y=int(t), z=float(z), a=float(a), right=bool(r))
                for x, t, z, a, r in zip(self.x, self.target, self.z, self.output, self.right)]


def truth_table(unit: Perceptron, gate: str) -> TruthTable:
    """The gate's truth table with z = x · w + b and the unit's output for each row."""
    x, y = datasets.logic_gate(gate)
    return TruthTable(gate.upper(), x, y[:, 0], unit.z(x), unit.output(x), unit.fires(x))


# ---- the perceptron learning rule -------------------------------------------------------------
@dataclass(frozen=True)
class Update:
    """One row seen by the rule: w ← w + α (y - ŷ) x and b ← b + α (y - ŷ)."""

    epoch: int
    x: Tuple[float, ...]
    target: float
    z: float
    predicted: float
    w: Tuple[float, ...]        # after the update
    b: float                    # after the update

    @property
    def error(self) -> float:
        """y - ŷ: 0 when the row is right, ±1 when the weights move."""
        return self.target - self.predicted


def rule_steps(x, y, w: Sequence[float], b: float, lr: float = 1.0,
               max_epochs: int = 20) -> Iterator[Update]:
    """The perceptron learning rule, one row at a time, epoch after epoch.

    Stops before an epoch in which every row is already right, or after ``max_epochs`` epochs.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    w = np.asarray(w, dtype=float).copy()
    for epoch in range(1, max_epochs + 1):
        if np.array_equal((x @ w + b >= 0).astype(float), y):
            return
        for xi, yi in zip(x, y):
            z = float(xi @ w + b)
            predicted = 1.0 if z >= 0 else 0.0
            w = w + lr * (yi - predicted) * xi
            b = b + lr * (yi - predicted)
            yield Update(epoch, tuple(xi), float(yi), z, predicted, tuple(w), float(b))


@dataclass(frozen=True)
class Epoch:
    """The weights after an epoch (epoch 0: the start) and how many rows they get wrong."""

    number: int
    w: Tuple[float, ...]
    b: float
    wrong: int
    updates: Tuple[Update, ...] = ()


@dataclass(frozen=True)
class History:
    """What the rule did: the epochs, and whether it ended with every row right."""

    epochs: Tuple[Epoch, ...]
    lr: float
    max_epochs: int
    separable: Optional[bool] = None
    gate: str = ""

    @property
    def converged(self) -> bool:
        return self.epochs[-1].wrong == 0

    @property
    def n_epochs(self) -> int:
        return self.epochs[-1].number

    @property
    def final(self) -> Perceptron:
        return Perceptron(self.epochs[-1].w, self.epochs[-1].b)

    @property
    def updates(self) -> List[Update]:
        return [u for e in self.epochs for u in e.updates]

    def __repr__(self):
        state = "converged" if self.converged else "not converged"
        return f"History({self.n_epochs} epochs, {state}, final {self.final!r})"


def _wrong(x, y, w, b) -> int:
    return int(((x @ np.asarray(w) + b >= 0).astype(float) != y).sum())


def learn(x, y, w: Sequence[float], b: float, lr: float = 1.0, max_epochs: int = 20,
          gate: str = "") -> History:
    """Run the rule from (w, b) and keep every epoch: stops when all rows are right or at ``max_epochs``."""
    if not lr > 0:
        raise ValueError(f"The learning rate must be positive (got {lr}).")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    epochs = [Epoch(0, tuple(map(float, w)), float(b), _wrong(x, y, w, b))]
    by_epoch = {}
    for u in rule_steps(x, y, w, b, lr, max_epochs):
        by_epoch.setdefault(u.epoch, []).append(u)
    for n, ups in by_epoch.items():
        last = ups[-1]
        epochs.append(Epoch(n, last.w, last.b, _wrong(x, y, last.w, last.b), tuple(ups)))
    separable = linearly_separable(x, y) if x.shape[1] == 2 else None
    return History(tuple(epochs), lr, max_epochs, separable, gate)


def learn_gate(gate: str, w: Sequence[float] = (0.0, 0.0), b: float = 0.0, lr: float = 1.0,
               max_epochs: int = 20) -> History:
    """The rule on a logic gate's truth table."""
    x, y = datasets.logic_gate(gate)
    return learn(x, y, w, b, lr, max_epochs, gate.upper())


def continue_learning(previous: Optional[History], gate: str, w: Sequence[float], b: float,
                      lr: float = 1.0, epochs: int = 1) -> History:
    """``epochs`` more epochs on ``gate``: continues ``previous`` if the unit is still where it left
    it (same gate, same α, same weights), otherwise starts from (w, b)."""
    if (previous is not None and previous.gate == gate.upper() and previous.lr == lr
            and previous.final.w == tuple(map(float, w)) and previous.final.b == float(b)):
        start = previous.epochs[0]
        return learn_gate(gate, start.w, start.b, lr, previous.n_epochs + epochs)
    return learn_gate(gate, w, b, lr, epochs)


# ---- linear separability ----------------------------------------------------------------------
def linearly_separable(x, y) -> bool:
    """Can one straight line put every 1 on one side and every 0 on the other? (points in the plane)

    Exact for any finite set: the directions of separating lines form an open arc whose ends are
    perpendicular to a difference of two points, so testing one direction between each pair of
    neighbouring candidate angles is enough.
    """
    x = np.asarray(x, dtype=float)
    ones = np.asarray(y).ravel() > 0.5
    if x.ndim != 2 or x.shape[1] != 2 or len(x) != len(ones):
        raise ValueError("linearly_separable takes points in the plane: x of shape (n, 2) and n labels.")
    if ones.all() or not ones.any():
        return True
    d = (x[:, None, :] - x[None, :, :]).reshape(-1, 2)
    d = d[np.abs(d).sum(axis=1) > 0]
    angles = np.unique(np.round(np.mod(np.arctan2(d[:, 1], d[:, 0]) + np.pi / 2, 2 * np.pi), 12))
    if len(angles) == 0:
        candidates = np.array([0.0])
    else:
        ends = np.append(angles[1:], angles[0] + 2 * np.pi)
        candidates = (angles + ends) / 2
    for theta in candidates:
        p = x @ np.array([np.cos(theta), np.sin(theta)])
        if p[ones].min() > p[~ones].max():
            return True
    return False


@dataclass(frozen=True)
class Line:
    """The unit's decision line w1 x1 + w2 x2 + b = 0 clipped to a square, or None when w = 0."""

    x1: Tuple[float, float]
    x2: Tuple[float, float]


def decision_line(w: Sequence[float], b: float, lo: float = -0.5, hi: float = 1.5) -> Optional[Line]:
    """Where z = 0 crosses the square [lo, hi]², as a segment (None if it misses or w = 0)."""
    w1, w2 = map(float, w)
    pts = []
    if abs(w2) > 1e-12:
        for u in (lo, hi):
            v = -(w1 * u + b) / w2
            if lo <= v <= hi:
                pts.append((u, v))
    if abs(w1) > 1e-12:
        for v in (lo, hi):
            u = -(w2 * v + b) / w1
            if lo <= u <= hi:
                pts.append((u, v))
    pts = sorted(set((round(u, 12), round(v, 12)) for u, v in pts))
    if len(pts) < 2:
        return None
    (a1, a2), (c1, c2) = pts[0], pts[-1]
    return Line((a1, c1), (a2, c2))
