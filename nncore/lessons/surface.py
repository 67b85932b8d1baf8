"""The cost surface J(w, b) of the line model a = w x + b, for the regression page's contour plot.

The line has two parameters, so its cost can be drawn over a grid of (w, b): the bowl that
gradient descent walks down, with ∂J/∂w and ∂J/∂b as the slope under its feet.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.engine.losses import Loss


@dataclass
class Surface:
    w: np.ndarray      # grid values along w
    b: np.ndarray      # grid values along b
    J: np.ndarray      # J[i, j] = cost at (w[j], b[i])

    def holds(self, points) -> bool:
        """Whether every finite (w, b) point lies inside this surface's frame."""
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        pts = pts[np.all(np.isfinite(pts), axis=1)]
        if not len(pts):
            return True
        (w0, b0), (w1, b1) = pts.min(axis=0), pts.max(axis=0)
        return bool(self.w[0] <= w0 and w1 <= self.w[-1] and self.b[0] <= b0 and b1 <= self.b[-1])


def line_cost(x, y, loss: Loss, w, b) -> np.ndarray:
    """J(w, b) for arrays of w and b of the same shape (each pair evaluated on all of x, y)."""
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    a = w[..., None] * x + b[..., None]             # (..., n) predictions
    err = a - y
    if loss.name == "mse":
        return (err ** 2).mean(axis=-1)
    if loss.name == "half_mse":
        return 0.5 * (err ** 2).mean(axis=-1)
    if loss.name == "mae":
        return np.abs(err).mean(axis=-1)
    raise ValueError(f"The cost surface is drawn for mse, half_mse and mae, not {loss.name}.")


def line_surface(x, y, loss: Loss, w_range, b_range, n: int = 41) -> Surface:
    """J over an n×n grid of (w, b)."""
    w = np.linspace(*w_range, n)
    b = np.linspace(*b_range, n)
    W, B = np.meshgrid(w, b)
    return Surface(w, b, line_cost(x, y, loss, W, B))


def frame_around(points, centre=(2.0, 1.0), margin: float = 0.5, cap: float = 50.0):
    """(w_range, b_range) that contain the descent path and the minimum, with a margin (capped)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    pts = np.clip(np.vstack([pts, centre]), -cap, cap)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.maximum((hi - lo) * 0.15, margin)
    return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])


def surface_for_path(x, y, loss: Loss, path, centre, previous: "Surface | None" = None) -> Surface:
    """A surface whose frame holds the descent path and ``centre``: ``previous`` while the path stays
    inside it (a live page then recomputes nothing), else a new one around the path."""
    if previous is not None and previous.holds(path):
        return previous
    return line_surface(x, y, loss, *frame_around(path, centre))
