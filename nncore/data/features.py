"""Input features: what the first layer sees of a point (x₁, x₂), as TensorFlow Playground offers.

A network with inputs x₁, x₂ must build curved boundaries from straight lines; handing it
x₁², x₂², x₁·x₂, sin x₁ or sin x₂ as extra inputs lets even a single neuron draw a circle
(x₁² + x₂² = r²) or XOR's saddle (x₁·x₂ = 0). ``expand`` turns points into those columns. The seven names
and their order are TensorFlow Playground's (x, y, xSquared, ySquared, xTimesY, sinX, sinY). Its points lie in
±5 (±6), where sin x₁ bends; on nnplay's own sets in [-1, 1]² sin x₁ ≈ x₁ is nearly linear.

Besides these names a feature list may hold formulas a student typed (``"sin(3*x1)"``), checked
and evaluated by ``nncore.data.formula``: the built-in names come first in a fixed order, then the
formulas in the order they were added.
"""
from __future__ import annotations

from typing import Dict, Sequence, Tuple

import numpy as np

from nncore.data.formula import compile_formula

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
MAX_FEATURES = 12       # the built-in 7 and a few formulas


def is_formula(name: str) -> bool:
    """A feature that is not one of the built-in names is a typed formula."""
    return name not in FEATURES


def label(name: str) -> str:
    """How the page writes a feature: 'x1sq' → 'x₁²', 'sin(3*x1)' → 'sin(3·x₁)'."""
    return FEATURES[name][0] if name in FEATURES else compile_formula(name).label


def check(names: Sequence[str]) -> Tuple[str, ...]:
    """The built-in names in a fixed order, then the formulas (tidied, each once); or ValueError."""
    if not names:
        raise ValueError("Choose at least one input feature: the network needs something to look at.")
    formulas = []
    for name in names:
        if is_formula(name):
            try:
                text = compile_formula(name).text
            except ValueError as err:
                raise ValueError(f"Unknown input feature {name[:40]!r}: choose from {', '.join(NAMES)}, or "
                                 f"type a formula. {err}") from None
            if text not in formulas and text not in FEATURES:
                formulas.append(text)
    chosen = tuple(n for n in NAMES if n in names) + tuple(formulas)
    if len(chosen) > MAX_FEATURES:
        raise ValueError(f"At most {MAX_FEATURES} input features are allowed (got {len(chosen)}).")
    return chosen


def check_finite(x, names: Sequence[str]) -> None:
    """ValueError if a formula among ``names`` is NaN or ±∞ at one of the points x (n, 2)."""
    for name in check(names):
        if is_formula(name):
            compile_formula(name).check_finite(x)


def expand(x, names: Sequence[str] = DEFAULT) -> np.ndarray:
    """Points (n, 2) → the feature columns (n, len(names)): the input a⁰ of the network."""
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    x1, x2 = x[:, 0], x[:, 1]
    return np.column_stack([FEATURES[n][1](x1, x2) if n in FEATURES else compile_formula(n)(x)
                            for n in check(names)])
