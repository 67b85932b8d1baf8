"""What a trained network does over the plane, and what its hidden layers make of the data.

* ``plane_maps``: one forward pass over a grid of points (x₁, x₂) gives the output a^L (the
  decision boundary is where it crosses 0.5) and every neuron's a^l_j (TensorFlow Playground's
  thumbnails: what each neuron responds to).
* ``hidden_space``: the data as the last hidden layer sees it, a^(L-1). Course 001: the layers
  transform the data until the output neuron, which can only draw a line (a plane), separates it.
* ``dead_relu_share``: ReLU units whose output is 0 for every input no longer learn (course 003).
* ``distinct_units``: units of a layer that compute the same function count once; started
  (almost) equal, with equal outgoing weights, they get equal gradients and stay equal.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np

from nncore.data import features as feats
from nncore.engine.network import MLP

Extent = Tuple[float, float, float, float]     # x₁ from, x₁ to, x₂ from, x₂ to


def extent_of(x, pad: float = 0.2) -> Extent:
    """A square around the points (n, 2), padded by ``pad`` of its side on every edge."""
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    lo, hi = x.min(axis=0), x.max(axis=0)
    centre, half = (lo + hi) / 2, max(float((hi - lo).max()) / 2, 0.5)
    half *= 1 + 2 * pad
    return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))


def grid(extent: Extent, resolution: int):
    """Axis values and the (r², 2) points of an r × r grid over ``extent`` (row i is x₂ = ys[i])."""
    xs = np.linspace(extent[0], extent[1], resolution)
    ys = np.linspace(extent[2], extent[3], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


@dataclass
class PlaneMaps:
    """a^l over an r × r grid: ``layers[0]`` are the input features, ``layers[-1]`` the output."""

    xs: np.ndarray
    ys: np.ndarray
    layers: List[np.ndarray]      # each (units, r, r)

    @property
    def output(self) -> np.ndarray:
        """a^L over the grid, (r, r): the network's probability of class 1 at every point (or its value)."""
        return self.layers[-1][0]

    @property
    def outputs(self) -> np.ndarray:
        """Every output a^L_j over the grid, (K, r, r): with softmax, the probability of each class."""
        return self.layers[-1]


def plane_maps(net: MLP, feature_names: Sequence[str], extent: Extent, resolution: int = 40) -> PlaneMaps:
    """Forward propagation of every grid point; keeps a^l of every layer, reshaped to the grid."""
    xs, ys, points = grid(extent, resolution)
    fwd = net.forward(feats.expand(points, feature_names))
    r = resolution
    layers = [np.nan_to_num(a, nan=0.0, posinf=1e6, neginf=-1e6).T.reshape(a.shape[1], r, r) for a in fwd.a]
    return PlaneMaps(xs, ys, layers)


def dead_relu_share(net: MLP, x) -> Optional[float]:
    """The share of ReLU units (all hidden ReLU layers) whose a^l_j is 0 for every input in ``x``.

    None when the network has no ReLU layer. Such a unit passes no gradient back (ReLU's slope is
    0 for z < 0), so nothing can bring it back to life: it is dead.
    """
    fwd = net.forward(x)
    dead = total = 0
    for layer, a in zip(net.layers[:-1], fwd.a[1:-1]):
        if layer.activation.name == "relu":
            dead += int(np.sum(np.all(a <= 0, axis=0)))
            total += a.shape[1]
    return dead / total if total else None


def distinct_units(net: MLP, x, tol: float = 0.01) -> List[Tuple[int, int]]:
    """(distinct, live) per hidden layer: how many different functions its live units compute on ``x``.

    A unit is live when its output changes across ``x`` (a dead ReLU, or a saturated unit, is
    constant). Units whose outputs are the same up to scale and offset give the next layer nothing
    new, so ``distinct`` is the number of independent directions among the live units' outputs:
    singular values of the centred outputs above ``tol`` times the largest.
    """
    fwd = net.forward(x)
    out = []
    for a in fwd.a[1:-1]:
        a = np.nan_to_num(a)
        spread = np.ptp(a, axis=0)
        live = spread > 1e-3 * max(float(spread.max()), 1e-12)
        if not live.any():
            out.append((0, 0))
            continue
        centred = a[:, live] - a[:, live].mean(axis=0)
        s = np.linalg.svd(centred, compute_uv=False)
        out.append((int(np.sum(s > tol * s[0])) if s[0] > 0 else 0, int(live.sum())))
    return out


@dataclass
class HiddenSpace:
    """The data in the last hidden layer's space: one row of ``coords`` per sample.

    ``exact`` is True when the axes are the units themselves (1 to 3 units); then the output's
    decision boundary w·a + b = 0 is ``plane`` = (w, b), a line in 2-D, a plane in 3-D. With more
    units the coordinates are the first principal components (``explained`` = share of variance).
    """

    coords: np.ndarray
    labels: List[str]
    exact: bool
    plane: Optional[Tuple[np.ndarray, float]] = None
    explained: Optional[float] = None


def hidden_space(net: MLP, x, dims: int = 2) -> Optional[HiddenSpace]:
    """a^(L-1) for the samples ``x`` (features), in ``dims`` (2 or 3) coordinates; None without hidden layers."""
    if len(net.layers) < 2:
        return None
    L = len(net.layers) - 1
    a = np.nan_to_num(net.forward(x).a[L], nan=0.0, posinf=1e6, neginf=-1e6)
    units = a.shape[1]
    W, b = net.layers[-1].W[:, 0], float(net.layers[-1].b[0])
    if units <= dims:
        labels = [f"a{_sup(L)}{_sub(j + 1)}" for j in range(units)]
        one_output = net.layers[-1].n_out == 1      # K softmax outputs draw no single line w·a + b = 0
        return HiddenSpace(a, labels, True, (W.copy(), b) if one_output else None)
    centred = a - a.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    coords = centred @ vt[:dims].T
    total = float((s ** 2).sum())
    explained = float((s[:dims] ** 2).sum() / total) if total > 0 else 1.0
    return HiddenSpace(coords, [f"PC{i + 1} of a{_sup(L)}" for i in range(dims)], False, explained=explained)


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
