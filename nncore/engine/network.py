"""Dense layers and the multi-layer perceptron, in the course's notation.

Forward propagation, layer l = 1..L (a^0 = x, one row per sample; each layer has its own f_l):

    z^l = a^(l-1) W^l + b^l        a^l = f_l(z^l)

Back-propagation, from the output back (δ^l = ∂J/∂z^l):

    δ^L = ∂J/∂a^L ⊙ f_L'(z^L)    (or (a^L - y)/n for sigmoid/softmax with cross-entropy)
    ∂J/∂W^l = (a^(l-1))^T δ^l + 2 λ_l W^l + λ1_l sign(W^l)     ∂J/∂b^l = Σ_rows δ^l
    δ^(l-1) = (δ^l (W^l)^T) ⊙ f_(l-1)'(z^(l-1))

The cost is J = loss + Σ_l (λ_l Σ (W^l)² + λ1_l Σ |W^l|), Keras's ``kernel_regularizer=L1L2(λ1_l, λ_l)``
on layer l: every layer carries its own penalty rates.

TensorFlow Playground treats L1 another way (``MLP.clip_l1``, chosen by ``TrainSpec.l1_rule = "clip"``): the
L1 step w := w − α λ1 sign(w) comes after the gradient step, and a weight it moves across 0 is set to 0 and
frozen for good, *dead* (``Dense.dead``): no gradient moves it again.

Kernels have Keras's shape (n_in, n_out) and ``get_weights()`` returns Keras's list
[W^1, b^1, W^2, b^2, ...], so weights move between this engine and Keras unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from nncore.engine import activations, initializers
from nncore.engine import losses as losses_mod


class Dense:
    """One fully connected layer: z = a_prev W + b, a = f(z), then dropout while training.

    ``l2`` (λ) and ``l1`` are this layer's kernel penalty rates: it adds λ Σ W² + l1 Σ |W| to the cost.
    """

    def __init__(self, W, b, activation: activations.Activation, dropout: float = 0.0,
                 l2: float = 0.0, l1: float = 0.0):
        self.W = np.asarray(W, dtype=float)
        self.b = np.asarray(b, dtype=float)
        self.activation = activation
        self.dropout = dropout
        self.l2 = l2
        self.l1 = l1
        self.dead = np.zeros(self.W.shape, dtype=bool)   # weights frozen at 0 by TF Playground's L1 rule

    @property
    def regularised(self) -> bool:
        return bool(self.l1 or self.l2)

    def penalty(self) -> float:
        """λ Σ W² + l1 Σ |W|: what this layer's kernel adds to the cost."""
        if not self.regularised:
            return 0.0
        return float(self.l2 * np.sum(self.W ** 2) + self.l1 * np.sum(np.abs(self.W)))

    def penalty_grad(self, l1: bool = True):
        """∂/∂W of λ Σ W² + l1 Σ |W|: 2 λ W + l1 sign(W) (without the L1 term when ``l1`` is False: the
        clip rule applies it as a step of its own)."""
        grad = 2.0 * self.l2 * self.W
        return grad + self.l1 * np.sign(self.W) if l1 else grad

    @property
    def n_in(self):
        return self.W.shape[0]

    @property
    def n_out(self):
        return self.W.shape[1]

    def param_count(self) -> int:
        return self.W.size + self.b.size

    def __repr__(self):
        drop = f", dropout={self.dropout:g}" if self.dropout else ""
        reg = "".join(f", {name}={rate:g}" for name, rate in (("l2", self.l2), ("l1", self.l1)) if rate)
        return f"Dense({self.n_in}→{self.n_out}, {self.activation.name}{drop}{reg})"


@dataclass
class Forward:
    """What a forward pass keeps: z^l and a^l per layer (a[0] is the input x)."""

    z: List[np.ndarray]
    a: List[np.ndarray]
    masks: List[Optional[np.ndarray]] = field(default_factory=list)  # dropout masks, scaled

    @property
    def output(self):
        return self.a[-1]


@dataclass
class Gradients:
    """What back-propagation returns per layer: δ^l, ∂J/∂W^l, ∂J/∂b^l, and the cost J."""

    delta: List[np.ndarray]
    flat: np.ndarray          # all of ∂J/∂θ, laid out like the network's θ
    loss: float
    net: "MLP"

    @property
    def dW(self) -> List[np.ndarray]:
        return [W for W, _ in self.net._views(self.flat)]

    @property
    def db(self) -> List[np.ndarray]:
        return [b for _, b in self.net._views(self.flat)]

    def as_list(self):
        """In get_weights() order: [dW^1, db^1, dW^2, db^2, ...]."""
        return [g for pair in self.net._views(self.flat) for g in pair]


class MLP:
    """A stack of Dense layers, each with its own optional L1/L2 kernel regularisation.

    The cost that training minimises is J = loss + Σ_l (λ_l Σ (W^l)² + λ1_l Σ |W^l|), as Keras's
    kernel_regularizer on each layer adds it. ``l1``/``l2``, when given, set every layer's rate.
    """

    def __init__(self, layers: List[Dense], l1: Optional[float] = None, l2: Optional[float] = None):
        self.layers = layers
        for layer in layers:
            layer.l1 = layer.l1 if l1 is None else l1
            layer.l2 = layer.l2 if l2 is None else l2
        # All parameters live in one flat vector θ; each W^l and b^l is a view into it, so an
        # optimiser makes one vectorised update per step (fast for the small live networks).
        self.theta = np.concatenate([p.ravel() for l in layers for p in (l.W, l.b)])
        self._slices = []
        offset = 0
        for layer in layers:
            views = []
            for shape in (layer.W.shape, layer.b.shape):
                size = int(np.prod(shape))
                views.append((slice(offset, offset + size), shape))
                offset += size
            self._slices.append(views)
        for layer, (W, b) in zip(layers, self._views(self.theta)):
            layer.W, layer.b = W, b
        self._grad = np.empty_like(self.theta)
        self._grad_views = self._views(self._grad)

    def _views(self, flat):
        """Per-layer (W, b) views of a flat vector laid out like θ."""
        return [tuple(flat[s].reshape(shape) for s, shape in views) for views in self._slices]

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def from_spec(cls, spec) -> "MLP":
        """Build (and initialise) the network a ``specs.NetworkSpec`` describes."""
        rng = np.random.default_rng(spec.seed)
        sizes = spec.sizes
        layers = []
        for n_in, n_out, act, rate, lam in zip(sizes[:-1], sizes[1:], spec.layer_activations(),
                                               spec.layer_dropouts(), spec.layer_l2s()):
            W = initializers.initialize(spec.initializer, (n_in, n_out), rng,
                                        spec.init_mean, spec.init_stddev)
            b = initializers.initialize(spec.bias_initializer, (n_out,), rng,
                                        spec.init_mean, spec.init_stddev)
            layers.append(Dense(W, b, activations.get(act, spec.leaky_alpha), rate, l2=lam, l1=spec.l1))
        return cls(layers)

    # ---- forward ---------------------------------------------------------------------------
    def forward(self, x, training: bool = False, rng: Optional[np.random.Generator] = None) -> Forward:
        """z^l = a^(l-1) W^l + b^l, a^l = f_l(z^l) for every layer; keeps all of them."""
        a = np.asarray(x, dtype=float)
        if a.ndim == 1:
            a = a[:, None] if self.layers[0].n_in == 1 else a[None, :]
        fwd = Forward(z=[], a=[a], masks=[])
        for layer in self.layers:
            z = a @ layer.W + layer.b
            a = layer.activation(z)
            mask = None
            if training and layer.dropout > 0:
                rng = rng if rng is not None else np.random.default_rng()
                mask = (rng.random(a.shape) >= layer.dropout) / (1.0 - layer.dropout)
                a = a * mask
            fwd.z.append(z)
            fwd.a.append(a)
            fwd.masks.append(mask)
        return fwd

    def predict(self, x) -> np.ndarray:
        return self.forward(x).output

    # ---- cost and back-propagation -----------------------------------------------------
    def penalty(self) -> float:
        """The regularisation term added to the loss: Σ_l (λ_l Σ (W^l)² + λ1_l Σ |W^l|)."""
        return float(sum(layer.penalty() for layer in self.layers))

    def loss(self, x, y, loss: losses_mod.Loss, fwd: Optional[Forward] = None) -> float:
        """J(x, y): the loss of the prediction plus the penalty (as Keras reports it)."""
        fwd = fwd or self.forward(x)
        out = self.layers[-1]
        if loss.fuses_with(out.activation.name):
            value = loss.value_from_logits(y, fwd.z[-1])
        else:
            value = loss.value(y, fwd.output)
        return value + self.penalty()

    def backward(self, fwd: Forward, y, loss: losses_mod.Loss, l1_gradient: bool = True) -> Gradients:
        """δ^l, ∂J/∂W^l and ∂J/∂b^l for every layer, from the output back to the first.

        ``l1_gradient=False`` leaves λ1 sign(W) out of ∂J/∂W (TF Playground's L1 rule steps it apart, see
        ``clip_l1``); a dead weight's ∂J/∂w is 0."""
        L = len(self.layers)
        out = self.layers[-1]
        if loss.fuses_with(out.activation.name):
            delta = loss.delta_from_logits(y, fwd.output)
        else:
            grad_a = loss.grad(y, fwd.output)
            delta = out.activation.backward(fwd.z[-1], fwd.output, grad_a)
        views = self._grad_views      # scratch space, copied out below
        deltas = [None] * L
        for l in range(L - 1, -1, -1):
            layer = self.layers[l]
            dW, db = views[l]
            deltas[l] = delta
            np.matmul(fwd.a[l].T, delta, out=dW)
            if layer.regularised:
                dW += layer.penalty_grad(l1_gradient)
            if layer.dead.any():
                dW[layer.dead] = 0.0
            delta.sum(axis=0, out=db)
            if l > 0:
                grad_a = delta @ layer.W.T
                prev = self.layers[l - 1]
                if fwd.masks[l - 1] is not None:
                    grad_a = grad_a * fwd.masks[l - 1]
                delta = prev.activation.backward(fwd.z[l - 1], fwd.a[l], grad_a)
        return Gradients(deltas, self._grad.copy(), self.loss(None, y, loss, fwd), self)

    def gradients(self, x, y, loss: losses_mod.Loss) -> Gradients:
        """Forward then backward on (x, y), without dropout."""
        return self.backward(self.forward(x), y, loss)

    def clip_l1(self, lr: float, before: List[np.ndarray]) -> None:
        """TensorFlow Playground's L1 step, after the gradient step: with w⁰ the weight before the update
        (``before``, one kernel per layer) and w the weight after it, w' = w − α λ1 sign(w⁰); where w and w'
        have opposite signs the L1 step crossed 0, so the weight is set to 0 and marked dead. Dead weights
        stay 0."""
        for layer, W0 in zip(self.layers, before):
            if layer.l1:
                stepped = layer.W - lr * layer.l1 * np.sign(W0)
                crossed = layer.W * stepped < 0
                layer.W[...] = np.where(crossed, 0.0, stepped)
                layer.dead |= crossed
            layer.W[layer.dead] = 0.0

    def dead_masks(self) -> List[np.ndarray]:
        """Per layer, which weights TF Playground's L1 rule has frozen at 0 (shape of W^l)."""
        return [layer.dead.copy() for layer in self.layers]

    # ---- weights, Keras's way ---------------------------------------------------------------
    def parameters(self) -> List[np.ndarray]:
        """The live arrays [W^1, b^1, ...]: views into θ, so changing them changes the network."""
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    def get_weights(self) -> List[np.ndarray]:
        """Copies, in the order of Keras's ``model.get_weights()``."""
        return [p.copy() for p in self.parameters()]

    def set_weights(self, weights) -> None:
        weights = list(weights)
        if len(weights) != 2 * len(self.layers):
            raise ValueError(f"Expected {2 * len(self.layers)} arrays, got {len(weights)}.")
        for layer, W, b in zip(self.layers, weights[::2], weights[1::2]):
            if np.shape(W) != layer.W.shape or np.shape(b) != layer.b.shape:
                raise ValueError(f"Shape mismatch for {layer!r}: got {np.shape(W)} and {np.shape(b)}.")
            layer.W[...] = W
            layer.b[...] = b

    def param_count(self) -> int:
        return sum(layer.param_count() for layer in self.layers)

    @property
    def sizes(self):
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    def summary(self) -> str:
        """A table like Keras's ``model.summary()``."""
        rows = [f"{'Layer':<28}{'Output shape':<16}{'Param #':>10}", "─" * 54]
        for i, layer in enumerate(self.layers, 1):
            rows.append(f"{f'dense_{i} ({layer.activation.name})':<28}{f'(None, {layer.n_out})':<16}"
                        f"{layer.param_count():>10,}")
            if layer.dropout:
                rows.append(f"{f'dropout_{i} ({layer.dropout:g})':<28}{f'(None, {layer.n_out})':<16}{0:>10}")
        rows += ["─" * 54, f"Total params: {self.param_count():,}"]
        return "\n".join(rows)

    def __repr__(self):
        return f"MLP({'-'.join(map(str, self.sizes))}: {', '.join(map(repr, self.layers))})"
