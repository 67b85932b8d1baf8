"""What the activations page shows, computed: curves f(z) and f'(z), a table of facts, the
vanishing gradient through stacked layers, and the share of dead ReLU units after a shock.

Softmax maps a vector to a vector, so it is viewed as a function of one unit: a_1 as z_1 moves
while the other z_k stay fixed; its slope ∂a_1/∂z_1 = a_1 (1 - a_1) is the Jacobian's diagonal.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from nncore.engine import activations, initializers

VANISH_TOL = 0.01          # "vanishes": |f'(z)| below this
_FACT_GRID = np.round(np.linspace(-20, 20, 4001), 10)   # step 0.01, z = 0 included exactly
MAX_VECTOR = 10


def parse_vector(text: str, name: str = "z", max_len: int = MAX_VECTOR, limit: float = 50.0) -> np.ndarray:
    """Numbers separated by commas, e.g. "2, 1, 0.1", or ValueError with a sentence for a student."""
    parts = [t.strip() for t in str(text).replace(";", ",").split(",") if t.strip()]
    if not 2 <= len(parts) <= max_len:
        raise ValueError(f"{name} must have between 2 and {max_len} numbers separated by commas "
                         f"(got {len(parts)}).")
    try:
        values = np.array([float(t) for t in parts])
    except ValueError:
        raise ValueError(f"{name} must be numbers separated by commas, like 2, 1, 0.1 "
                         f"(got {text!r}).") from None
    if not np.all(np.isfinite(values)) or np.abs(values).max() > limit:
        raise ValueError(f"Every number in {name[:1].lower() + name[1:]} must be between {-limit:g} and {limit:g}.")
    return values


def scalar_view(name: str, alpha: float = 0.01, others: Sequence[float] = (1.0, 0.1)
                ) -> Tuple[Callable, Callable]:
    """(f, f') as functions of one z; for softmax, of z_1 with the other units fixed at ``others``."""
    act = activations.get(name, alpha)
    if name != "softmax":
        return act, act.derivative
    rest = np.asarray(others, dtype=float)

    def f(z):
        z = np.asarray(z, dtype=float)
        full = np.concatenate([z[..., None], np.broadcast_to(rest, z.shape + rest.shape)], axis=-1)
        return activations.SOFTMAX(full)[..., 0]

    def df(z):
        a = f(z)
        return a * (1.0 - a)

    return f, df


@dataclass(frozen=True)
class Curve:
    name: str
    z: np.ndarray
    a: np.ndarray
    slope: np.ndarray


def curves(names: Sequence[str], z_max: float = 6.0, alpha: float = 0.01,
           softmax_z: Sequence[float] = (2.0, 1.0, 0.1), n: int = 401) -> List[Curve]:
    """f(z) and f'(z) on [-z_max, z_max] for each activation (softmax: a_1 against z_1)."""
    z = np.linspace(-z_max, z_max, n)
    out = []
    for name in names:
        f, df = scalar_view(name, alpha, softmax_z[1:])
        out.append(Curve(name, z, f(z), df(z)))
    return out


def _fmt(v: float) -> str:
    return f"{v:.3g}".replace("-", "−")


def vanishing_region(df: Callable, tol: float = VANISH_TOL, grid: np.ndarray = _FACT_GRID) -> str:
    """Where |f'(z)| < tol, in words ("z ≤ 0", "z < −4.6 or z > 4.6", "everywhere", "nowhere")."""
    small = np.abs(df(grid)) < tol
    if small.all():
        return "everywhere (f′ = 0)" if np.all(df(grid) == 0) else f"everywhere (|f′| < {tol:g})"
    if not small.any():
        return "nowhere"
    parts = []
    edges = np.flatnonzero(np.diff(np.r_[0, small.astype(int), 0]))
    for start, stop in zip(edges[::2], edges[1::2] - 1):
        lo, hi = grid[start], grid[stop]
        if start == 0:
            parts.append(f"z ≤ {_fmt(hi)}" if hi == 0 else f"z < {_fmt(hi)}")
        elif stop == len(grid) - 1:
            parts.append(f"z > {_fmt(lo)}")
        else:
            parts.append(f"{_fmt(lo)} < z < {_fmt(hi)}")
    return " or ".join(parts)


@dataclass(frozen=True)
class Facts:
    """One row of the activations table."""

    name: str
    output_range: str
    slope_at_0: float
    max_slope: float
    vanishes: str
    description: str


def facts(name: str, alpha: float = 0.01, softmax_z: Sequence[float] = (2.0, 1.0, 0.1)) -> Facts:
    """Output range, f'(0), the largest slope and where the gradient vanishes (|f'| < 0.01)."""
    act = activations.get(name, alpha)
    f, df = scalar_view(name, alpha, softmax_z[1:])
    return Facts(name, act.output_range, float(df(np.array(0.0))), float(np.abs(df(_FACT_GRID)).max()),
                 vanishing_region(df), act.description)


def gradient_through_layers(names: Sequence[str], layers: int, z: float = 0.5,
                            alpha: float = 0.01) -> Dict[str, np.ndarray]:
    """∏ f'(z^l) over layers 1..k (every layer at the same z, weights 1): how much gradient is left."""
    k = np.arange(1, layers + 1)
    out = {}
    for name in names:
        slope = float(activations.get(name, alpha).derivative(np.array(z)))
        out[name] = slope ** k
    return out


# ---- dead ReLU --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeadRelu:
    """A ReLU layer after one large update of its biases: which units never fire again."""

    lr: float
    bias: float
    z_max: np.ndarray         # each unit's largest z over all inputs
    b: np.ndarray             # biases after the update

    @property
    def dead(self) -> np.ndarray:
        """A unit is dead when z ≤ 0 for every input: its output and its gradient are 0 everywhere."""
        return self.z_max <= 0

    @property
    def dead_share(self) -> float:
        return float(self.dead.mean())

    def __repr__(self):
        return f"DeadRelu(lr={self.lr:g}, bias={self.bias:g}: {self.dead_share:.0%} dead)"


def _layer(n_units, n_inputs, n_samples, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_samples, n_inputs))
    W = initializers.initialize("he_normal", (n_inputs, n_units), rng)
    grad_b = rng.uniform(0.5, 1.5, n_units)      # ∂J/∂b after a batch with a large error
    return (x @ W).max(axis=0), grad_b


def dead_relu(lr: float, bias: float = 0.0, n_units: int = 200, n_inputs: int = 10,
              n_samples: int = 500, seed: int = 0) -> DeadRelu:
    """Units z = x·w + b (He-normal w, biases starting at ``bias``), inputs x ~ N(0, 1); then one
    unlucky update b ← b - α ∂J/∂b with ∂J/∂b ≈ 1 (0.5 to 1.5) pushes every bias down."""
    xw_max, grad_b = _layer(n_units, n_inputs, n_samples, seed)
    b = bias - lr * grad_b
    return DeadRelu(float(lr), float(bias), xw_max + b, b)


def dead_share_curve(lrs: Sequence[float], bias: float = 0.0, **layer) -> np.ndarray:
    """The share of dead units for each learning rate (same layer, same draw)."""
    return np.array([dead_relu(lr, bias, **layer).dead_share for lr in lrs])


FORMULAS = {
    "sigmoid": r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    "tanh": r"\tanh(z) = 2\sigma(2z) - 1",
    "relu": r"\mathrm{ReLU}(z) = \max(0, z)",
    "leaky_relu": r"\mathrm{LReLU}(z) = \begin{cases} z & z \ge 0 \\ \alpha z & z < 0 \end{cases}",
    "step": r"h(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}",
    "linear": r"f(z) = z",
    "softmax": r"\mathrm{softmax}(z_j) = \frac{e^{z_j}}{\sum_k e^{z_k}}",
}
