"""Loss functions J(y, a): value and gradient ∂J/∂a, reduced with a mean exactly as Keras does.

Keras averages over the output units of a sample (the last axis) and then over the samples
of the batch; cross-entropy clips probabilities to [ε, 1-ε] with ε = 1e-7. The course's
regression cost ``1/(2n) Σ ||y - a||²`` is a different constant, so it has its own name:
``half_mse``.

When the output layer is sigmoid + binary cross-entropy or softmax + categorical
cross-entropy, Keras computes the loss from the logits z^L instead of the clipped
probabilities; ``Loss.delta_from_logits`` is that fused path: δ^L = (a - y) / n.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

EPSILON = 1e-7  # keras.config.epsilon()


def _rows(y, a):
    """Both as float arrays of shape (n, k)."""
    y = y if isinstance(y, np.ndarray) else np.asarray(y, dtype=float)
    a = a if isinstance(a, np.ndarray) else np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a[:, None]
    if y.ndim == 1:
        y = y.reshape(a.shape)
    return y, a


@dataclass(frozen=True)
class Loss:
    """A loss: per-sample cost C_i and its gradient, mean-reduced to J = (1/n) Σ C_i."""

    name: str
    per_sample: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad_per_sample: Callable[[np.ndarray, np.ndarray], np.ndarray]
    formula: str
    description: str
    fused_output: Optional[str] = None  # output activation whose logits Keras uses

    def value(self, y, a) -> float:
        """J = mean over samples of C_i (Keras's sum_over_batch_size)."""
        y, a = _rows(y, a)
        c = self.per_sample(y, a)
        return float(c.sum()) / c.size

    def samples(self, y, a) -> np.ndarray:
        """C_i for every sample i."""
        y, a = _rows(y, a)
        return self.per_sample(y, a)

    def grad(self, y, a) -> np.ndarray:
        """∂J/∂a for the whole batch (already divided by n)."""
        y, a = _rows(y, a)
        return self.grad_per_sample(y, a) / len(a)

    def fuses_with(self, output_activation: str) -> bool:
        return self.fused_output == output_activation

    def value_from_logits(self, y, z) -> float:
        """J computed from z^L, as Keras does for sigmoid/softmax outputs (no clipping)."""
        y, z = _rows(y, z)
        if self.fused_output == "sigmoid":
            c = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
            return float(c.sum()) / c.size      # mean over units, then over samples
        zmax = z.max(axis=-1, keepdims=True)
        log_sum = zmax + np.log(np.exp(z - zmax).sum(axis=-1, keepdims=True))
        return float((y * (log_sum - z)).sum()) / len(z)

    def delta_from_logits(self, y, a) -> np.ndarray:
        """δ^L = ∂J/∂z^L for the fused pairs: (a - y)/n, divided by k units for sigmoid's mean."""
        y, a = _rows(y, a)
        k = a.shape[1] if self.fused_output == "sigmoid" else 1
        return (a - y) / (len(a) * k)

    def __repr__(self):
        return f"Loss({self.name})"


def _clip(a):
    return np.clip(a, EPSILON, 1.0 - EPSILON)


def _inside(a):
    """Where clipping is inactive; the clipped gradient is 0 elsewhere (as in tf.clip_by_value)."""
    return ((a >= EPSILON) & (a <= 1.0 - EPSILON)).astype(float)


def _bce(y, a):
    p = _clip(a)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(axis=-1)


def _bce_grad(y, a):
    p = _clip(a)
    return (-(y / p) + (1 - y) / (1 - p)) * _inside(a) / a.shape[1]


def _cce(y, a):
    q = _clip(a / a.sum(axis=-1, keepdims=True))
    return -(y * np.log(q)).sum(axis=-1)


def _cce_grad(y, a):
    # Keras first renormalises q = a / Σa, then clips; chain rule through both.
    s = a.sum(axis=-1, keepdims=True)
    q = a / s
    g_q = -y / _clip(q) * _inside(q)
    return (g_q - (g_q * q).sum(axis=-1, keepdims=True)) / s


MSE = Loss(
    "mse", lambda y, a: ((a - y) ** 2).mean(axis=-1), lambda y, a: 2 * (a - y) / a.shape[1],
    r"J = \frac{1}{n}\sum_i (a_i - y_i)^2",
    "Mean squared error: big errors cost much more than small ones.",
)
HALF_MSE = Loss(
    "half_mse", lambda y, a: 0.5 * ((a - y) ** 2).sum(axis=-1), lambda y, a: (a - y),
    r"J = \frac{1}{2n}\sum_i \lVert y_i - a_i \rVert^2",
    "The course's quadratic cost with 1/2n: the 1/2 cancels the 2 of the derivative.",
)
MAE = Loss(
    "mae", lambda y, a: np.abs(a - y).mean(axis=-1), lambda y, a: np.sign(a - y) / a.shape[1],
    r"J = \frac{1}{n}\sum_i |a_i - y_i|",
    "Mean absolute error: every unit of error costs the same, so outliers matter less.",
)
BINARY_CROSSENTROPY = Loss(
    "binary_crossentropy", _bce, _bce_grad,
    r"J = -\frac{1}{n}\sum_i \left[y_i \log a_i + (1-y_i)\log(1-a_i)\right]",
    "Cross-entropy for yes/no outputs: a confident wrong answer costs a lot.",
    fused_output="sigmoid",
)
CATEGORICAL_CROSSENTROPY = Loss(
    "categorical_crossentropy", _cce, _cce_grad,
    r"J = -\frac{1}{n}\sum_i \sum_j y_{ij} \log a_{ij}",
    "Cross-entropy over classes with one-hot targets: minus the log of the true class's probability.",
    fused_output="softmax",
)

LOSSES = {l.name: l for l in (MSE, HALF_MSE, MAE, BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY)}
NAMES = tuple(LOSSES)


def get(name: str) -> Loss:
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"Unknown loss {name!r}; choose one of {', '.join(NAMES)}.") from None
