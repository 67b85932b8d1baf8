"""Optimisers with Keras 3's exact update rules (``keras.optimizers.SGD``, ``RMSprop``, ``Adam``, ``Adagrad``).

Each one updates the parameter arrays in place from their gradients g = ∂J/∂θ. Plain gradient
descent is the course's ``W := W - α ∂J/∂W``; the others keep some state per parameter.
"""
from __future__ import annotations

import numpy as np


class Optimizer:
    """Holds the learning rate α and per-parameter state; ``step`` applies one update."""

    name = "optimizer"

    def __init__(self, lr: float):
        self.lr = float(lr)
        self.iterations = 0
        self._state = None

    def step(self, params, grads) -> None:
        if self._state is None:
            self._state = [self._init_state(p) for p in params]
        for p, g, s in zip(params, grads, self._state):
            self._update(p, g, s)
        self.iterations += 1

    def _init_state(self, p):
        return {}

    def _update(self, p, g, s):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g})"


class SGD(Optimizer):
    """θ := θ - α g; with momentum μ: m := μ m - α g, θ := θ + m (Nesterov: θ := θ + μ m - α g)."""

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__(lr)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _init_state(self, p):
        return {"m": np.zeros_like(p)}

    def _update(self, p, g, s):
        if self.momentum == 0:
            p -= self.lr * g
            return
        m = s["m"]
        m *= self.momentum
        m -= self.lr * g
        if self.nesterov:
            p += self.momentum * m - self.lr * g
        else:
            p += m

    def __repr__(self):
        extra = f", momentum={self.momentum:g}" if self.momentum else ""
        return f"SGD(lr={self.lr:g}{extra}{', nesterov' if self.nesterov else ''})"


class RMSprop(Optimizer):
    """v := ρ v + (1-ρ) g²;  θ := θ - α g / sqrt(v + ε)."""

    def __init__(self, lr=0.001, rho=0.9, momentum=0.0, epsilon=1e-7):
        super().__init__(lr)
        self.rho, self.momentum, self.epsilon = float(rho), float(momentum), float(epsilon)

    def _init_state(self, p):
        return {"v": np.zeros_like(p), "m": np.zeros_like(p)}

    def _update(self, p, g, s):
        v = s["v"]
        v[...] = self.rho * v + (1 - self.rho) * g * g
        increment = self.lr * g / np.sqrt(v + self.epsilon)
        if self.momentum > 0:
            s["m"][...] = self.momentum * s["m"] + increment
            p -= s["m"]
        else:
            p -= increment


class Adam(Optimizer):
    """m := m + (g - m)(1-β1);  v := v + (g² - v)(1-β2);
    θ := θ - α_t m / (sqrt(v) + ε), with α_t = α sqrt(1-β2^t) / (1-β1^t)."""

    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(lr)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def _init_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p)}

    def _update(self, p, g, s):
        t = self.iterations + 1
        alpha = self.lr * np.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        s["m"] += (g - s["m"]) * (1 - self.beta_1)
        s["v"] += (g * g - s["v"]) * (1 - self.beta_2)
        p -= alpha * s["m"] / (np.sqrt(s["v"]) + self.epsilon)


class Adagrad(Optimizer):
    """acc := acc + g²;  θ := θ - α g / sqrt(acc + ε)  (acc starts at 0.1, as in Keras)."""

    def __init__(self, lr=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
        super().__init__(lr)
        self.initial, self.epsilon = float(initial_accumulator_value), float(epsilon)

    def _init_state(self, p):
        return {"acc": np.full_like(p, self.initial)}

    def _update(self, p, g, s):
        s["acc"] += g * g
        p -= self.lr * g / np.sqrt(s["acc"] + self.epsilon)


NAMES = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adagrad")


def make(name: str, lr: float, momentum: float = 0.9) -> Optimizer:
    """The optimiser a TrainSpec names: 'sgd' is plain gradient descent, 'momentum'/'nesterov' SGD with μ."""
    if name == "sgd":
        return SGD(lr)
    if name == "momentum":
        return SGD(lr, momentum=momentum)
    if name == "nesterov":
        return SGD(lr, momentum=momentum, nesterov=True)
    if name == "rmsprop":
        return RMSprop(lr)
    if name == "adam":
        return Adam(lr)
    if name == "adagrad":
        return Adagrad(lr)
    raise ValueError(f"Unknown optimiser {name!r}; choose one of {', '.join(NAMES)}.")
