"""Data sets as small pure functions of their parameters and a seed.

``linear`` reproduces the course's NumPy regression script draw for draw (course 004): the
legacy ``np.random.seed(seed)`` stream gives x = rand(N, 1), noise = 0.1 randn(N, 1), a shuffle
of the indices, an 80/20 split, and then, from the same stream, the initial w and b.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np


@dataclass
class Split:
    """A data set cut into training and validation parts (plus, for regression, the initial w, b)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    name: str = ""
    w0: Optional[np.ndarray] = None
    b0: Optional[np.ndarray] = None

    @property
    def x(self):
        return np.concatenate([self.x_train, self.x_val])

    @property
    def y(self):
        return np.concatenate([self.y_train, self.y_val])


def linear(w: float = 2.0, b: float = 1.0, n: int = 100, noise: float = 0.1, seed: int = 100,
           val_split: float = 0.2) -> Split:
    """y = w x + b + noise·ε on x ∈ [0, 1), exactly as course 004's script draws it.

    With the defaults this is the course's data set, and ``w0``/``b0`` are the script's initial
    parameters ``w=np.random.randn(1)``, ``b=np.random.randn(1)``.
    """
    rs = np.random.RandomState(seed)          # the stream np.random.seed(seed) starts
    x = rs.rand(n, 1)
    epsilon = noise * rs.randn(n, 1)
    y = w * x + b + epsilon
    idx = np.arange(n)
    rs.shuffle(idx)
    cut = int(round((1 - val_split) * n, 9))     # the script's int(0.8*N), without float fuzz
    tr, va = idx[:cut], idx[cut:]
    w0 = rs.randn(1)
    b0 = rs.randn(1)
    return Split(x[tr], y[tr], x[va], y[va], name=f"y = {w:g}x + {b:g} + noise", w0=w0, b0=b0)


def course_regression() -> Split:
    """Course 004: true w=2, b=1, N=100, seed 100, noise 0.1, 80/20 split."""
    return linear()


def curve(n: int = 100, noise: float = 0.1, seed: int = 0, val_split: float = 0.2) -> Split:
    """A curve a line cannot fit: y = sin(2πx) + noise on x ∈ [0, 1), for a small network."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 1))
    y = np.sin(2 * np.pi * x) + noise * rng.standard_normal((n, 1))
    return split(x, y, val_split, seed, name="y = sin(2πx) + noise")


def split(x, y, val_split: float, seed: int = 0, name: str = "") -> Split:
    """Shuffle with ``seed`` and keep the last ``val_split`` share for validation."""
    n = len(x)
    idx = np.random.default_rng(seed).permutation(n)
    cut = n - int(round(val_split * n))
    return Split(x[idx[:cut]], y[idx[:cut]], x[idx[cut:]], y[idx[cut:]], name=name)


# ---- the course's classification tables -------------------------------------------------------
_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATES = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}


def logic_gate(name: str):
    """The truth table of a gate: x of shape (4, 2) in the order 00, 01, 10, 11, and y of shape (4, 1)."""
    try:
        return _INPUTS.copy(), np.array(GATES[name.upper()], dtype=float)[:, None]
    except KeyError:
        raise ValueError(f"Unknown gate {name!r}; choose one of {', '.join(GATES)}.") from None


def xor():
    """The four XOR points of course 003."""
    return logic_gate("XOR")


# ---- 2-D toy sets (points in [-1, 1]², labels 0/1) ---------------------------------------------
def circle(n=200, noise=0.1, seed=0):
    """Class 1 inside a circle of radius 0.5, class 0 in a ring around it."""
    rng = np.random.default_rng(seed)
    half = n // 2
    r = np.concatenate([rng.uniform(0, 0.45, half), rng.uniform(0.6, 1.0, n - half)])
    t = rng.uniform(0, 2 * np.pi, n)
    x = np.c_[r * np.cos(t), r * np.sin(t)] + noise * 0.5 * rng.standard_normal((n, 2))
    y = np.r_[np.ones(half), np.zeros(n - half)]
    return x, y[:, None]


def gaussians(n=200, noise=0.1, seed=0):
    """Two Gaussian blobs, centred at (0.5, 0.5) (class 1) and (-0.5, -0.5) (class 0)."""
    rng = np.random.default_rng(seed)
    half = n // 2
    spread = 0.15 + noise
    x = np.r_[rng.normal(0.5, spread, (half, 2)), rng.normal(-0.5, spread, (n - half, 2))]
    y = np.r_[np.ones(half), np.zeros(n - half)]
    return x, y[:, None]


def spiral(n=200, noise=0.1, seed=0, classes=2):
    """Interleaved spiral arms, one per class (labels 0..classes-1)."""
    rng = np.random.default_rng(seed)
    per = n // classes
    xs, ys = [], []
    for c in range(classes):
        m = per if c < classes - 1 else n - per * (classes - 1)
        r = np.linspace(0.05, 1.0, m)
        t = 1.75 * 2 * np.pi * r + 2 * np.pi * c / classes
        xs.append(np.c_[r * np.sin(t), r * np.cos(t)] + noise * 0.3 * rng.standard_normal((m, 2)))
        ys.append(np.full(m, c))
    return np.concatenate(xs), np.concatenate(ys).astype(float)[:, None]


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, scaled into [-1, 1]²."""
    rng = np.random.default_rng(seed)
    half = n // 2
    t0 = rng.uniform(0, np.pi, half)
    t1 = rng.uniform(0, np.pi, n - half)
    upper = np.c_[np.cos(t0), np.sin(t0)]
    lower = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    x = (np.r_[upper, lower] - [0.5, 0.25]) * 0.6 + noise * 0.3 * rng.standard_normal((n, 2))
    y = np.r_[np.zeros(half), np.ones(n - half)]
    return x, y[:, None]


def noisy_xor(n=200, noise=0.1, seed=0):
    """A cloud of points labelled by XOR of the signs of x1 and x2 (TensorFlow Playground's XOR)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    pad = np.where(x >= 0, 0.05, -0.05)       # keep points off the axes
    x = x + pad
    y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).astype(float)
    x = x + noise * 0.3 * rng.standard_normal((n, 2))
    return x, y[:, None]


TOY_SETS = {"circle": circle, "gaussians": gaussians, "spiral": spiral, "moons": moons, "xor": noisy_xor}


def toy(name: str, n: int = 200, noise: float = 0.1, seed: int = 0):
    """One of the 2-D toy sets by name."""
    try:
        return TOY_SETS[name](n=n, noise=noise, seed=seed)
    except KeyError:
        raise ValueError(f"Unknown data set {name!r}; choose one of {', '.join(TOY_SETS)}.") from None
