"""Input features: what the first layer sees of a point (x₁, x₂), as TensorFlow Playground offers.

A network with inputs x₁, x₂ must build curved boundaries from straight lines; handing it
x₁², x₂², x₁·x₂, sin x₁ or sin x₂ as extra inputs lets even a single neuron draw a circle
(x₁² + x₂² = r²) or XOR's saddle (x₁·x₂ = 0). ``expand`` turns points into those columns.
"""
from __future__ import annotations

from typing import Dict, Sequence, Tuple

import numpy as np

FEATURES: Dict[str, Tuple[str, callable]] = {
    "x1": ("x₁", lambda x1, x2: x1),
    "x2": ("x₂", lambda x1, x2: x2),
    "x1sq": ("x₁²", lambda x1, x2: x1 * x1),
    "x2sq": ("x₂²", lambda x1, x2: x2 * x2),
    "x1x2": ("x₁·x₂", lambda x1, x2: x1 * x2),
    "sinx1": ("sin x₁", lambda x1, x2: np.sin(x1)),
    "sinx2": ("sin x₂", lambda x1, x2: np.sin(x2)),
}
NAMES = tuple(FEATURES)
DEFAULT = ("x1", "x2")


def label(name: str) -> str:
    """How the page writes a feature: 'x1sq' → 'x₁²'."""
    return FEATURES[name][0]


def check(names: Sequence[str]) -> Tuple[str, ...]:
    """The names in a fixed order, or ValueError with a sentence for the page."""
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"Unknown input feature {unknown[0]!r}; choose from {', '.join(NAMES)}.")
    if not names:
        raise ValueError("Choose at least one input feature: the network needs something to look at.")
    return tuple(n for n in NAMES if n in names)


def expand(x, names: Sequence[str] = DEFAULT) -> np.ndarray:
    """Points (n, 2) → the feature columns (n, len(names)): the input a⁰ of the network."""
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    x1, x2 = x[:, 0], x[:, 1]
    return np.column_stack([FEATURES[n][1](x1, x2) for n in check(names)])
