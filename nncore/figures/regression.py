"""Figures of the regression page: the fit, the cost per epoch, and the cost surface with the path."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import plotly.graph_objects as go

from ..surface import Surface
from .style import PATH, TRAIN, VALIDATION, base_layout

COMPARE_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


def _r(a, digits=5):
    """Rounded copies keep the JSON that goes to the browser small."""
    return np.round(np.asarray(a, dtype=float), digits)


def fit(x_train, y_train, x_val, y_val, x_line, y_line, title: str = "") -> go.Figure:
    """Training points, validation points and the model's current line or curve."""
    fig = go.Figure([
        go.Scatter(x=_r(x_train).ravel(), y=_r(y_train).ravel(), mode="markers", name="train",
                   marker=dict(color=TRAIN, size=7, opacity=0.75)),
        go.Scatter(x=_r(x_val).ravel(), y=_r(y_val).ravel(), mode="markers", name="validation",
                   marker=dict(color=VALIDATION, size=8, symbol="diamond")),
        go.Scatter(x=_r(x_line).ravel(), y=_r(y_line).ravel(), mode="lines", name="model",
                   line=dict(color=PATH, width=3)),
    ])
    fig.update_xaxes(title="x")
    fig.update_yaxes(title="y")
    return base_layout(fig, title)


def cost_curves(steps_per_epoch: float, steps, batch_losses, epochs, train_losses, val_losses,
                log_y: bool = False, show_steps: bool = True, compare: Sequence[dict] = (),
                title: str = "Cost per epoch") -> go.Figure:
    """Train and validation cost per epoch; per-update cost lighter behind them (it fluctuates
    for mini-batch and stochastic descent). ``compare`` adds finished runs:
    dicts with label, epochs, train_losses."""
    x_steps = np.asarray(steps, dtype=float) / max(steps_per_epoch, 1e-9)
    stride = max(1, len(x_steps) // 1500)           # at most ~1500 points of the noisy trace
    traces = [
        go.Scatter(x=_r(x_steps[::stride], 4), y=_r(np.asarray(batch_losses)[::stride], 6), mode="lines",
                   name="cost of each update", line=dict(color=TRAIN, width=1), opacity=0.3,
                   visible=True if show_steps else "legendonly"),
        go.Scatter(x=list(epochs), y=_r(train_losses, 6), mode="lines+markers", name="train",
                   line=dict(color=TRAIN, width=3), marker=dict(size=4)),
        go.Scatter(x=list(epochs), y=_r([np.nan if v is None else v for v in val_losses], 6),
                   mode="lines+markers", name="validation", line=dict(color=VALIDATION, width=3),
                   marker=dict(size=4)),
    ]
    for i, run in enumerate(compare):
        traces.append(go.Scatter(x=list(run["epochs"]), y=_r(run["train_losses"], 6), mode="lines",
                                 name=run["label"], line=dict(color=COMPARE_COLORS[i % 8], width=2, dash="dot")))
    fig = go.Figure(traces)
    fig.update_xaxes(title="epoch")
    fig.update_yaxes(title="cost J", type="log" if log_y else "linear")
    return base_layout(fig, title)


def cost_surface(surface: Surface, path_w, path_b, grad: Optional[Sequence[float]] = None,
                 true_wb: Optional[Sequence[float]] = None, compare: Sequence[dict] = (),
                 title: str = "Cost surface J(w, b) and the path of descent") -> go.Figure:
    """Contours of J over (w, b), the path descent has taken, the current point and −∇J."""
    J = np.log10(np.maximum(surface.J, 1e-12))
    traces = [
        go.Contour(x=_r(surface.w, 4), y=_r(surface.b, 4), z=_r(J, 3), colorscale="Blues", reversescale=True,
                   ncontours=25, showscale=True, colorbar=dict(title="log₁₀ J", thickness=12),
                   contours=dict(showlines=True), hoverinfo="skip", name="J"),
    ]
    for i, run in enumerate(compare):
        traces.append(go.Scatter(x=_r(run["path_w"]), y=_r(run["path_b"]), mode="lines", name=run["label"],
                                 line=dict(color=COMPARE_COLORS[i % 8], width=2, dash="dot")))
    traces.append(go.Scatter(x=_r(path_w), y=_r(path_b), mode="lines+markers", name="path",
                             line=dict(color=PATH, width=2), marker=dict(size=3)))
    cw = path_w[-1] if len(path_w) else np.nan
    cb = path_b[-1] if len(path_b) else np.nan
    traces.append(go.Scatter(x=[cw], y=[cb], mode="markers", name="now",
                             marker=dict(color="#d62728", size=13, line=dict(color="white", width=2))))
    if true_wb is not None:
        traces.append(go.Scatter(x=[true_wb[0]], y=[true_wb[1]], mode="markers", name="true (w, b)",
                                 marker=dict(color="#2ca02c", size=13, symbol="star")))
    fig = go.Figure(traces)
    annotations = []
    if grad is not None and np.all(np.isfinite(grad)) and np.isfinite(cw) and np.isfinite(cb):
        g = np.asarray(grad, dtype=float)
        span = max(surface.w[-1] - surface.w[0], surface.b[-1] - surface.b[0])
        norm = np.linalg.norm(g)
        if norm > 0:
            step = -g / norm * span * 0.12         # −∇J, drawn at a fixed length
            annotations.append(dict(x=cw + step[0], y=cb + step[1], ax=cw, ay=cb, xref="x", yref="y",
                                    axref="x", ayref="y", showarrow=True, arrowhead=3, arrowwidth=2.5,
                                    arrowcolor="#d62728", text=""))
    fig.update_layout(annotations=annotations)
    fig.update_xaxes(title="w", range=[surface.w[0], surface.w[-1]])
    fig.update_yaxes(title="b", range=[surface.b[0], surface.b[-1]])
    return base_layout(fig, title, height=420)
