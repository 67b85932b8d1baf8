"""Activation functions a = f(z), each with its derivative f'(z) beside it.

Notation follows the course: z^l is a layer's weighted sum, a^l = f(z^l) its output.
Every activation knows its value, its derivative, its output range and one line that
describes it, so pages can plot and tabulate them without knowing any formula.

Element-wise activations back-propagate with delta = grad_a * f'(z); softmax mixes the
units of a row, so it overrides ``backward`` with its Jacobian-vector product.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Activation:
    """One activation function: a = f(z) and f'(z)."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    output_range: str
    description: str

    def __call__(self, z):
        return self.f(z if isinstance(z, np.ndarray) else np.asarray(z, dtype=float))

    def derivative(self, z):
        """f'(z), element-wise."""
        return self.df(z if isinstance(z, np.ndarray) else np.asarray(z, dtype=float))

    def backward(self, z, a, grad_a):
        """∂J/∂z from ∂J/∂a (the chain rule through this activation)."""
        return grad_a * self.df(z)

    def __repr__(self):
        return f"Activation({self.name}: {self.output_range})"


def _sigmoid(z):
    # exp(700) is still finite, and σ(-700) ≈ 1e-304 is as good as 0: no overflow warning.
    return 1.0 / (1.0 + np.exp(-np.maximum(z, -700.0)))


def _dsigmoid(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _softmax(z):
    z = np.atleast_1d(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Softmax(Activation):
    """softmax(z)_j = e^{z_j} / Σ_k e^{z_k}: a probability over the units of a row."""

    def backward(self, z, a, grad_a):
        # J-v product of the softmax Jacobian diag(a) - a a^T.
        return a * (grad_a - (grad_a * a).sum(axis=-1, keepdims=True))


def leaky_relu(alpha: float = 0.01) -> Activation:
    """max(αz, z): like ReLU but a small slope α for z < 0, so no unit dies."""
    return Activation(
        "leaky_relu",
        lambda z: np.where(z > 0, z, alpha * z),
        lambda z: np.where(z > 0, 1.0, alpha),
        "(-∞, ∞)",
        f"ReLU with slope α={alpha:g} below zero: the gradient never vanishes completely.",
    )


SIGMOID = Activation(
    "sigmoid", _sigmoid, _dsigmoid, "(0, 1)",
    "σ(z) = 1/(1+e^(-z)): a smooth step; its gradient vanishes for large |z| (at most 0.25).",
)
TANH = Activation(
    "tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, "(-1, 1)",
    "tanh(z): a zero-centred sigmoid; gradient 1 at 0, vanishing for large |z|.",
)
RELU = Activation(
    "relu", lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float), "[0, ∞)",
    "max(0, z): gradient 1 for z > 0 and 0 below, so a unit stuck below zero is dead.",
)
STEP = Activation(
    "step", lambda z: (z >= 0).astype(float), lambda z: np.zeros_like(z, dtype=float), "{0, 1}",
    "The perceptron's threshold: fires 1 when z ≥ 0; its gradient is 0, so it cannot be trained by descent.",
)
LINEAR = Activation(
    "linear", lambda z: np.array(z, dtype=float), lambda z: np.ones_like(z, dtype=float), "(-∞, ∞)",
    "f(z) = z: no non-linearity; stacked linear layers are still one linear map.",
)
SOFTMAX = Softmax(
    "softmax", _softmax, lambda z: _softmax(z) * (1.0 - _softmax(z)), "(0, 1), summing to 1",
    "e^(z_j)/Σ e^(z_k): turns a layer's z into probabilities over classes (derivative: the diagonal of its Jacobian).",
)

NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "step", "linear", "softmax")
_FIXED = {a.name: a for a in (SIGMOID, TANH, RELU, STEP, LINEAR, SOFTMAX)}


def get(name: str, alpha: float = 0.01) -> Activation:
    """The activation called ``name``; ``alpha`` is leaky ReLU's slope."""
    if name == "leaky_relu":
        return leaky_relu(alpha)
    try:
        return _FIXED[name]
    except KeyError:
        raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(NAMES)}.") from None
