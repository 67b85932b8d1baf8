"""Finite-difference gradient check: is back-propagation's ∂J/∂θ the slope of J?

For every parameter θ_i: (J(θ_i + h) - J(θ_i - h)) / 2h, compared with backprop's value by the
relative error ‖g_num - g_bp‖ / (‖g_num‖ + ‖g_bp‖). Below 1e-6 in float64 means they agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List

import numpy as np

from nncore.engine.losses import Loss
from nncore.engine.network import MLP


@dataclass
class GradCheck:
    numeric: List[np.ndarray]
    backprop: List[np.ndarray]

    @property
    def relative_error(self) -> float:
        num = np.concatenate([g.ravel() for g in self.numeric])
        bp = np.concatenate([g.ravel() for g in self.backprop])
        denom = np.linalg.norm(num) + np.linalg.norm(bp)
        return 0.0 if denom == 0 else float(np.linalg.norm(num - bp) / denom)


def numeric_gradient(f, params: List[np.ndarray], h: float = 1e-6) -> List[np.ndarray]:
    """Central differences of the scalar f() with respect to each entry of each array in ``params``."""
    out = []
    for p in params:
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            up = f()
            p[i] = old - h
            down = f()
            p[i] = old
            g[i] = (up - down) / (2 * h)
        out.append(g)
    return out


def check(net: MLP, x, y, loss: Loss, h: float = 1e-6) -> GradCheck:
    """Compare back-propagation with finite differences on (x, y) for every W^l and b^l."""
    backprop = net.gradients(x, y, loss).as_list()
    numeric = numeric_gradient(lambda: net.loss(x, y, loss), net.parameters(), h)
    return GradCheck(numeric, backprop)
