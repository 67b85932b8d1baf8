"""What the losses page shows, computed with ``nncore.engine.losses``: each loss's value J and every
sample's contribution C_i / n, the effect of an outlier, and the classification curves.

Notation as in courses 000 and 003: y is the target, ŷ (a in the engine) the prediction,
J = (1/n) Σ C_i. Half-MSE is the course's 1/(2n) constant; Keras's MSE uses 1/n.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

import numpy as np

from nncore.engine import activations, losses

REGRESSION = ("mse", "half_mse", "mae")
MAX_SAMPLES = 10
LIMIT = 1000.0


def parse_values(text: str, name: str, max_len: int = MAX_SAMPLES, limit: float = LIMIT) -> np.ndarray:
    """Numbers separated by commas ("1, 2, 3.5"), or ValueError with a sentence for a student."""
    parts = [t.strip() for t in str(text).split(",") if t.strip()]
    if not 1 <= len(parts) <= max_len:
        raise ValueError(f"{name} must have between 1 and {max_len} numbers (got {len(parts)}).")
    try:
        values = np.array([float(t) for t in parts])
    except ValueError:
        raise ValueError(f"{name} must be numbers separated by commas (got {text!r}).") from None
    if not np.all(np.isfinite(values)) or np.abs(values).max() > limit:
        raise ValueError(f"Every value of {name[:1].lower() + name[1:]} must be a number between "
                         f"{-limit:g} and {limit:g}.")
    return values


def check_samples(y, y_hat) -> Tuple[np.ndarray, np.ndarray]:
    """Targets and predictions as two float arrays of the same length, or a readable ValueError."""
    y = np.asarray(y, dtype=float).ravel()
    y_hat = np.asarray(y_hat, dtype=float).ravel()
    if len(y) != len(y_hat):
        raise ValueError(f"There are {len(y)} targets y but {len(y_hat)} predictions ŷ: "
                         "every sample needs both.")
    if len(y) == 0 or len(y) > MAX_SAMPLES:
        raise ValueError(f"Use between 1 and {MAX_SAMPLES} samples (got {len(y)}).")
    for label, v in (("target y", y), ("prediction ŷ", y_hat)):
        bad = np.flatnonzero(~np.isfinite(v) | (np.abs(np.nan_to_num(v)) > LIMIT))
        if len(bad):
            raise ValueError(f"Sample {bad[0] + 1} has no valid {label} (a number between "
                             f"{-LIMIT:g} and {LIMIT:g}).")
    return y, y_hat


def encode_values(values) -> str:
    """The inverse of ``parse_values``: "1, 2, 3.5"."""
    return ", ".join(f"{float(v):g}" for v in values)


def with_outlier(y, y_hat, size: float) -> Tuple[np.ndarray, np.ndarray]:
    """Append one sample whose target is ``size`` above its prediction (none when size is 0)."""
    y, y_hat = check_samples(y, y_hat)
    if size == 0:
        return y, y_hat
    guess = float(np.mean(y_hat))
    return np.append(y, guess + size), np.append(y_hat, guess)


@dataclass(frozen=True)
class Regression:
    """J for each regression loss and each sample's contribution C_i / n (they add up to J)."""

    y: np.ndarray
    y_hat: np.ndarray
    values: Dict[str, float]
    contributions: Dict[str, np.ndarray]

    @property
    def errors(self) -> np.ndarray:
        return self.y_hat - self.y

    def share(self, name: str) -> np.ndarray:
        """Each sample's share of J (0 … 1); all zeros when J = 0."""
        total = self.values[name]
        return self.contributions[name] / total if total > 0 else np.zeros_like(self.y)


def regression(y, y_hat, names: Sequence[str] = REGRESSION) -> Regression:
    y, y_hat = check_samples(y, y_hat)
    n = len(y)
    values, contributions = {}, {}
    for name in names:
        loss = losses.get(name)
        values[name] = loss.value(y[:, None], y_hat[:, None])
        contributions[name] = loss.samples(y[:, None], y_hat[:, None]) / n
    return Regression(y, y_hat, values, contributions)


# ---- classification --------------------------------------------------------------------------
def binary_curves(label: int, p=None) -> Dict[str, np.ndarray]:
    """BCE and MSE of one sample with target ``label`` as the predicted probability p moves on (0, 1)."""
    p = np.linspace(0.005, 0.995, 199) if p is None else np.asarray(p, dtype=float)
    y = np.full_like(p, float(label))
    return {
        "p": p,
        "binary_crossentropy": losses.BINARY_CROSSENTROPY.samples(y[:, None], p[:, None]),
        "mse": losses.MSE.samples(y[:, None], p[:, None]),
    }


def binary_point(label: int, p: float) -> Dict[str, float]:
    """BCE and MSE at one predicted probability."""
    c = binary_curves(label, [p])
    return {k: float(v[0]) for k, v in c.items() if k != "p"}


@dataclass(frozen=True)
class SoftmaxExample:
    """A 3-class output: logits z, probabilities a = softmax(z), one-hot target y, and CCE."""

    z: np.ndarray
    a: np.ndarray
    target: np.ndarray
    true_class: int
    cce: float

    @property
    def predicted_class(self) -> int:
        return int(np.argmax(self.a)) + 1


def softmax_example(z: Sequence[float], true_class: int) -> SoftmaxExample:
    """CCE = -Σ_j y_j log a_j = -log a_(true class); classes are numbered from 1."""
    z = np.asarray(z, dtype=float)
    if not 1 <= true_class <= len(z):
        raise ValueError(f"The true class must be between 1 and {len(z)} (got {true_class}).")
    a = activations.SOFTMAX(z)
    target = np.eye(len(z))[true_class - 1]
    cce = losses.CATEGORICAL_CROSSENTROPY.value(target[None, :], a[None, :])
    return SoftmaxExample(z, a, target, true_class, cce)
