"""One sample through the network, number by number, in course 003's notation.

Forward propagation, layer l = 1 … L (a⁰ = x; the course counts the input as layer 1):

    z^l_j = Σ_k a^(l-1)_k w^l_jk + b^l_j          a^l_j = f(z^l_j)

w^l_jk is the weight from neuron k of layer l-1 to neuron j of layer l (Keras stores it as
W^l[k, j]). Back-propagation, from the output back (δ^l_j = ∂J/∂z^l_j):

    δ^L_j = ∂J/∂a^L_j · f'(z^L_j)                (a^L_j - y_j for a sigmoid with cross-entropy)
    δ^l_k = (Σ_j w^(l+1)_jk δ^(l+1)_j) · f'(z^l_k)
    ∂J/∂w^l_jk = a^(l-1)_k δ^l_j                  ∂J/∂b^l_j = δ^l_j

and one step of gradient descent: w := w - α ∂J/∂w. The numbers are the engine's own (its
forward and backward), so what the page shows is what training does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np

from nncore.engine import gradcheck
from nncore.engine import losses as losses_mod
from nncore.engine.network import MLP


@dataclass
class LayerNumbers:
    """Everything about layer l for one sample (vectors are 1-D, W is (n_in, n_out) as Keras keeps it)."""

    l: int
    activation: str
    a_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    delta: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    W_new: np.ndarray
    b_new: np.ndarray

    @property
    def fprime(self) -> np.ndarray:
        """f'(z^l), element-wise."""
        from nncore.engine import activations

        return activations.get(self.activation).derivative(self.z)


@dataclass
class StepThrough:
    """One sample's forward pass, cost, backward pass and gradient-descent update."""

    x: np.ndarray
    y: np.ndarray
    loss: str
    J: float
    lr: float
    layers: List[LayerNumbers]
    penalty: float = 0.0

    @property
    def output(self) -> np.ndarray:
        return self.layers[-1].a


def step_through(net: MLP, x, y, loss: str, lr: float) -> StepThrough:
    """Forward, cost, backward and the update W := W - α ∂J/∂W for the single sample (x, y).

    Dropout is off (as when the network predicts); the network itself is not changed.
    """
    x = np.asarray(x, dtype=float).reshape(1, -1)
    y = np.asarray(y, dtype=float).reshape(1, -1)
    loss_fn = losses_mod.get(loss)
    fwd = net.forward(x)
    grads = net.backward(fwd, y, loss_fn)
    layers = []
    for l, (layer, dW, db) in enumerate(zip(net.layers, grads.dW, grads.db), 1):
        layers.append(LayerNumbers(
            l=l, activation=layer.activation.name, a_prev=fwd.a[l - 1][0].copy(), W=layer.W.copy(),
            b=layer.b.copy(), z=fwd.z[l - 1][0].copy(), a=fwd.a[l][0].copy(), delta=grads.delta[l - 1][0].copy(),
            dW=dW.copy(), db=db.copy(), W_new=layer.W - lr * dW, b_new=layer.b - lr * db))
    return StepThrough(x[0], y[0], loss, float(grads.loss), float(lr), layers, net.penalty())


def gradient_check(net: MLP, x, y, loss: str, h: float = 1e-6) -> gradcheck.GradCheck:
    """Finite differences (J(θ+h) - J(θ-h)) / 2h for every weight, next to back-propagation's ∂J/∂θ."""
    x = np.asarray(x, dtype=float).reshape(1, -1)
    y = np.asarray(y, dtype=float).reshape(1, -1)
    return gradcheck.check(net, x, y, losses_mod.get(loss), h)


def gradient_rows(net: MLP, check: gradcheck.GradCheck, limit: int = 200) -> List[dict]:
    """One row per parameter: its name in the course's notation, backprop's and the numeric slope."""
    rows = []
    for l, layer in enumerate(net.layers, 1):
        i = 2 * (l - 1)
        gW_bp, gb_bp, gW_num, gb_num = check.backprop[i], check.backprop[i + 1], check.numeric[i], check.numeric[i + 1]
        for j in range(layer.n_out):
            for k in range(layer.n_in):
                rows.append({"parameter": f"w^{l}_{j + 1}{k + 1}", "backprop ∂J/∂θ": float(gW_bp[k, j]),
                             "finite difference": float(gW_num[k, j])})
            rows.append({"parameter": f"b^{l}_{j + 1}", "backprop ∂J/∂θ": float(gb_bp[j]),
                         "finite difference": float(gb_num[j])})
    for r in rows:
        r["difference"] = abs(r["backprop ∂J/∂θ"] - r["finite difference"])
    return rows[:limit]


# ---- the same numbers as LaTeX, for the page ------------------------------------------------------
def _n(v: float, digits: int = 4) -> str:
    """A number for LaTeX: fixed digits, negatives in brackets when they follow an operator."""
    if not np.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\text{NaN}")
    if float(v).is_integer() and abs(v) < 1e6:
        return str(int(v))                      # the inputs 0 and 1 of a truth table
    text = f"{v:.{digits}f}"
    return "0" if float(text) == 0 else text


def _p(v: float, digits: int = 4) -> str:
    text = _n(v, digits)
    return f"({text})" if text.startswith("-") else text


F_NAMES = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}", "leaky_relu": r"\mathrm{LReLU}",
           "linear": r"\mathrm{linear}", "softmax": r"\mathrm{softmax}"}


def forward_latex(layer: LayerNumbers, j: int, max_terms: int = 4) -> str:
    """z^l_j = Σ_k a^(l-1)_k w^l_jk + b^l_j = …;  a^l_j = f(z^l_j) = …  (j is 0-based)."""
    l, n_in = layer.l, len(layer.a_prev)
    terms = [rf"{_p(layer.a_prev[k])}\cdot{_p(layer.W[k, j])}" for k in range(min(n_in, max_terms))]
    if n_in > max_terms:
        terms.append(rf"\dots\,({n_in - max_terms}\text{{ more}})")
    f = F_NAMES.get(layer.activation, layer.activation)
    return (rf"z^{{{l}}}_{{{j + 1}}} = {' + '.join(terms)} + {_p(layer.b[j])} = {_n(layer.z[j])}"
            rf"\qquad a^{{{l}}}_{{{j + 1}}} = {f}({_n(layer.z[j])}) = {_n(layer.a[j])}")


def cost_latex(step: StepThrough) -> str:
    """The cost of this one sample, with its numbers."""
    a, y = step.output[0], step.y[0]
    L = len(step.layers)
    if step.loss == "categorical_crossentropy":
        c = int(np.argmax(step.y))
        body = (rf"J = -\sum_j y_j \log a^{{{L}}}_j = -\log a^{{{L}}}_{{{c + 1}}} = -\log {_n(step.output[c])}"
                rf" \text{{ (y is one-hot: class {c}) }}")
    elif len(step.y) > 1:                  # MSE on a one-hot target: the mean over the K outputs
        body = (rf"J = \frac{{1}}{{{len(step.y)}}}\sum_j (a^{{{L}}}_j - y_j)^2 \text{{ with }} a = ("
                + ", ".join(_n(v) for v in step.output) + r"),\ y = (" + ", ".join(_n(v, 0) for v in step.y) + ")")
    elif step.loss == "mae":
        body = rf"J = |a^{{{L}}}_1 - y| = |{_n(a)} - {_p(y)}|"
    elif step.loss == "mse":
        body = rf"J = (a^{{{len(step.layers)}}}_1 - y)^2 = ({_n(a)} - {_p(y)})^2"
    else:
        body = (rf"J = -[y \log a^{{{len(step.layers)}}}_1 + (1-y)\log(1-a^{{{len(step.layers)}}}_1)]"
                rf" \text{{ with }} a = {_n(a)},\ y = {_n(y)}")
    extra = rf" + \text{{penalty }} {_n(step.penalty)}" if step.penalty else ""
    return rf"{body}{extra} = {_n(step.J, 5)}"


def output_delta_latex(step: StepThrough) -> str:
    """δ^L for this sample: (a - y) for sigmoid + cross-entropy, 2(a - y) σ'(z) for MSE."""
    out = step.layers[-1]
    L, a, y, d = out.l, out.a[0], step.y[0], out.delta[0]
    if out.activation == "softmax":
        return (rf"\delta^{{{L}}}_j = a^{{{L}}}_j - y_j:\ \delta^{{{L}}} = ("
                + ", ".join(_n(v, 5) for v in out.delta) + ")" if step.loss == "categorical_crossentropy" else
                rf"\delta^{{{L}}} = J_{{\text{{softmax}}}}^T \frac{{\partial J}}{{\partial a^{{{L}}}}} = ("
                + ", ".join(_n(v, 5) for v in out.delta) + ")")
    if step.loss == "mae":
        return (rf"\delta^{{{L}}}_1 = \operatorname{{sign}}(a^{{{L}}}_1 - y)\, f'(z^{{{L}}}_1) = "
                rf"\operatorname{{sign}}({_n(a)} - {_p(y)}) \cdot {_n(out.fprime[0])} = {_n(d, 5)}")
    if step.loss == "binary_crossentropy" and out.activation == "sigmoid":
        return rf"\delta^{{{L}}}_1 = a^{{{L}}}_1 - y = {_n(a)} - {_p(y)} = {_n(d, 5)}"
    return (rf"\delta^{{{L}}}_1 = \frac{{\partial J}}{{\partial a^{{{L}}}_1}}\, f'(z^{{{L}}}_1) = "
            rf"2({_n(a)} - {_p(y)}) \cdot {_n(out.fprime[0])} = {_n(d, 5)}")


def hidden_delta_latex(step: StepThrough, l: int, k: int, max_terms: int = 4) -> str:
    """δ^l_k = (Σ_j w^(l+1)_jk δ^(l+1)_j) f'(z^l_k) for hidden layer l (1-based) and neuron k (0-based)."""
    layer, nxt = step.layers[l - 1], step.layers[l]
    n_next = len(nxt.delta)
    terms = [rf"{_p(nxt.W[k, j])}\cdot{_p(nxt.delta[j], 5)}" for j in range(min(n_next, max_terms))]
    if n_next > max_terms:
        terms.append(rf"\dots\,({n_next - max_terms}\text{{ more}})")
    return (rf"\delta^{{{l}}}_{{{k + 1}}} = ({' + '.join(terms)}) \cdot f'({_n(layer.z[k])}) = "
            rf"({_n(float(nxt.W[k] @ nxt.delta), 5)}) \cdot {_n(layer.fprime[k])} = {_n(layer.delta[k], 5)}")


def update_latex(step: StepThrough, l: int, j: int, k: int) -> str:
    """w^l_jk := w^l_jk - α a^(l-1)_k δ^l_j, with the numbers (l 1-based; j, k 0-based)."""
    layer = step.layers[l - 1]
    reg = r" + \text{penalty}" if step.penalty else ""
    return (rf"\frac{{\partial J}}{{\partial w^{{{l}}}_{{{j + 1}{k + 1}}}}} = a^{{{l - 1}}}_{{{k + 1}}}\,"
            rf"\delta^{{{l}}}_{{{j + 1}}}{reg} = {_n(layer.dW[k, j], 5)}\qquad "
            rf"w^{{{l}}}_{{{j + 1}{k + 1}}} := {_n(layer.W[k, j])} - {step.lr:g}\cdot{_p(layer.dW[k, j], 5)}"
            rf" = {_n(layer.W_new[k, j], 5)}")


def shown(n: int, limit: int) -> Sequence[int]:
    """The indices a page shows of n neurons (the first ``limit``)."""
    return range(min(n, limit))


def max_change(step: StepThrough) -> Optional[float]:
    """The largest |Δw| the update makes (how far one sample moves the network)."""
    if not step.layers:
        return None
    return float(max(np.abs(l.W_new - l.W).max() for l in step.layers))
