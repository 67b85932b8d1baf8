"""Figures of the Fundamentals pages (perceptron, activations, losses): data in, ``go.Figure`` out."""
from __future__ import annotations

from typing import Dict, Optional, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.engine import activations
from nncore.figures.style import CLASS_COLORS, DIVERGING, PATH, RIGHT, SERIES_COLORS, WRONG, base_layout
from nncore.lessons.perceptron_lab import Decision, History, Perceptron, TruthTable, decision_line

# every line its own colour of style.SERIES_COLORS (colour-blind safe, tests/test_palette.py)
ACTIVATION_COLORS = dict(zip(("sigmoid", "tanh", "relu", "step", "leaky_relu", "linear", "softmax"), SERIES_COLORS))
OTHER_CLASS = "#c8c8c8"       # softmax's bars for the classes that are not the true one (grey beside RIGHT)
TARGET = "#d9d9d9"            # the one-hot target's bars
LOSS_COLORS = {"mse": SERIES_COLORS[0], "half_mse": SERIES_COLORS[5], "mae": SERIES_COLORS[2],
               "binary_crossentropy": SERIES_COLORS[1]}
LOSS_LABELS = {"mse": "MSE", "half_mse": "half-MSE", "mae": "MAE", "binary_crossentropy": "BCE",
               "categorical_crossentropy": "CCE"}


# ---- perceptron ------------------------------------------------------------------------------
def festival_bar(decision: Decision, questions: Sequence[str]) -> go.Figure:
    """z as a stack of its contributions w_j x_j, against the threshold."""
    fig = go.Figure()
    for j, (q, c, x) in enumerate(zip(questions, decision.contributions, decision.x)):
        fig.add_bar(y=["z"], x=[c], orientation="h", name=f"x{j + 1}: {q}",
                    marker_color=CLASS_COLORS[(j + 1) % len(CLASS_COLORS)],
                    text=[f"w{j + 1}·x{j + 1} = {c:g}" if x else ""], textposition="inside",
                    insidetextanchor="middle", hovertemplate=f"{q} %{{x}}<extra></extra>")
    fig.add_vline(x=decision.threshold, line=dict(color=PATH, width=3, dash="dash"),
                  annotation_text=f"threshold {decision.threshold:g}", annotation_position="top")
    top = max(decision.threshold, decision.z, sum(max(c, 0) for c in decision.contributions), 1) * 1.1
    low = min(0.0, decision.z, sum(min(c, 0) for c in decision.contributions)) * 1.1
    verdict = "≥" if decision.go else "<"
    fig.update_layout(barmode="relative", showlegend=False,
                      xaxis=dict(range=[low - 0.2, top + 0.2], title="z = Σ wⱼ xⱼ", zeroline=True))
    return base_layout(fig, f"z = {decision.z:g} {verdict} threshold {decision.threshold:g}", height=210)


def gate_plane(table: TruthTable, unit: Perceptron, history: Optional[History] = None,
               lo: float = -0.5, hi: float = 1.5) -> go.Figure:
    """The four inputs coloured by target, the unit's output as a background, and its line z = 0."""
    g = np.linspace(lo, hi, 81)
    g1, g2 = np.meshgrid(g, g)
    out = unit.output(np.c_[g1.ravel(), g2.ravel()]).reshape(g1.shape)
    fig = go.Figure(go.Heatmap(x=g, y=g, z=out, zmin=0, zmax=1, colorscale=DIVERGING, opacity=0.45,
                               showscale=False, hovertemplate="output %{z:.2f}<extra></extra>"))
    if history is not None:
        for e in history.epochs[:-1]:
            seg = decision_line(e.w, e.b, lo, hi)
            if seg:
                fig.add_scatter(x=seg.x1, y=seg.x2, mode="lines", showlegend=False, hoverinfo="skip",
                                line=dict(color="#999999", width=1.5, dash="dot"))
    seg = decision_line(unit.w, unit.b, lo, hi)
    if seg:
        fig.add_scatter(x=seg.x1, y=seg.x2, mode="lines", name="line z = 0",
                        line=dict(color=PATH, width=4))
    for target in (0, 1):
        rows = table.target == target
        fig.add_scatter(
            x=table.x[rows, 0], y=table.x[rows, 1], mode="markers+text", showlegend=False,
            text=[f"y={target}" for _ in range(rows.sum())], textposition="top center",
            textfont=dict(size=16),
            marker=dict(size=26, color=CLASS_COLORS[target],
                        line=dict(width=4, color=[RIGHT if r else WRONG for r in table.right[rows]])),
            hovertemplate="x = (%{x:g}, %{y:g})<extra></extra>")
        fig.add_scatter(x=[None], y=[None], mode="markers", name=f"target y = {target}",   # legend only
                        marker=dict(size=16, color=CLASS_COLORS[target], line=dict(width=1, color="white")))
    fig.update_xaxes(range=[lo, hi], title="x1", dtick=0.5, constrain="domain")
    fig.update_yaxes(range=[lo, hi], title="x2", dtick=0.5, scaleanchor="x", scaleratio=1)
    title = f"{table.gate}: {table.n_right} of 4 rows right"
    if seg is None:
        title += " (no line: z has one sign everywhere)"
    fig = base_layout(fig, title, height=470)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.17, xanchor="center", x=0.5),
                      margin=dict(b=20))
    return fig


def unit_response(table: TruthTable, unit: str) -> go.Figure:
    """The step h(z) and σ(z), with the four rows' z on the unit in use."""
    z = np.linspace(-6, 6, 241)
    fig = go.Figure()
    for name, label in (("step", "step h(z)"), ("sigmoid", "sigmoid σ(z)")):
        active = name == unit
        fig.add_scatter(x=z, y=activations.get(name)(z), mode="lines", name=label,
                        line=dict(color=ACTIVATION_COLORS[name], width=4 if active else 1.5,
                                  dash=None if active else "dot"))
    fig.add_scatter(x=table.z, y=table.output, mode="markers", name="the 4 rows",
                    marker=dict(size=16, color=[CLASS_COLORS[int(t)] for t in table.target],
                                line=dict(width=3, color=[RIGHT if r else WRONG for r in table.right])),
                    text=[f"x = ({int(a)}, {int(b)})" for a, b in table.x],
                    hovertemplate="%{text}: z = %{x:g}, a = %{y:.3f}<extra></extra>")
    fig.update_xaxes(title="z")
    fig.update_yaxes(title="output a", range=[-0.1, 1.1])
    return base_layout(fig, "", height=260)


def learning_curve(history: History) -> go.Figure:
    """How many of the four rows are wrong after each epoch of the perceptron rule."""
    fig = go.Figure(go.Bar(
        x=[e.number for e in history.epochs], y=[e.wrong for e in history.epochs],
        marker_color=[RIGHT if e.wrong == 0 else WRONG for e in history.epochs],
        text=["0 ✓" if e.wrong == 0 else str(e.wrong) for e in history.epochs], textposition="outside",
        cliponaxis=False, hovertemplate="epoch %{x}: %{y} wrong<extra></extra>"))
    fig.update_xaxes(title="epoch (0 = start)", dtick=1 if history.n_epochs <= 20 else None)
    fig.update_yaxes(title="rows wrong", range=[0, 4.6], dtick=1)
    return base_layout(fig, "Rows wrong after each epoch", height=260)


# ---- activations -----------------------------------------------------------------------------
def activation_curves(curves) -> go.Figure:
    """Each activation f(z) on the left and its derivative f′(z) on the right."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("a = f(z)", "derivative f′(z)"),
                        horizontal_spacing=0.08)
    for c in curves:
        color = ACTIVATION_COLORS.get(c.name, PATH)
        label = "softmax a₁ (z₁ moves)" if c.name == "softmax" else c.name
        fig.add_scatter(x=c.z, y=c.a, mode="lines", name=label, legendgroup=c.name,
                        line=dict(color=color, width=3), row=1, col=1)
        fig.add_scatter(x=c.z, y=c.slope, mode="lines", name=label, legendgroup=c.name, showlegend=False,
                        line=dict(color=color, width=3), row=1, col=2)
    fig.update_xaxes(title="z", zeroline=True, zerolinecolor="#bbbbbb")
    fig.update_yaxes(zeroline=True, zerolinecolor="#bbbbbb")
    fig = base_layout(fig, "", height=400)
    fig.update_layout(margin=dict(t=70), legend=dict(y=1.12))
    return fig


def softmax_bars(z: Sequence[float], a: Sequence[float]) -> go.Figure:
    """A vector z and its softmax: probabilities that sum to 1."""
    labels = [f"unit {j + 1}<br>z = {v:g}" for j, v in enumerate(z)]
    fig = go.Figure(go.Bar(x=labels, y=a, text=[f"{v:.3f}" for v in a], textposition="outside",
                           marker_color=ACTIVATION_COLORS["softmax"]))
    fig.update_yaxes(title="softmax(z)ⱼ", range=[0, 1.15])
    return base_layout(fig, f"softmax(z): sums to {float(np.sum(a)):.3f}", height=300)


def gradient_product(products: Dict[str, np.ndarray], z: float) -> go.Figure:
    """∏ f′(z) through k layers, on a log scale; a product of 0 is drawn at the floor and labelled."""
    floor = 1e-12
    fig = go.Figure()
    for name, p in products.items():
        k = np.arange(1, len(p) + 1)
        shown = np.maximum(p, floor)
        fig.add_scatter(x=k, y=shown, mode="lines+markers", name=name,
                        line=dict(color=ACTIVATION_COLORS.get(name, PATH), width=3),
                        text=[f"{v:.3g}" for v in p],
                        hovertemplate=f"{name}: %{{text}} after %{{x}} layers<extra></extra>")
        if p[-1] < floor:
            fig.add_annotation(x=k[-1], y=np.log10(floor), text=f"{name}: {p[-1]:.2g}", showarrow=False,
                               yshift=14, xanchor="right")
    fig.update_xaxes(title="number of layers k", dtick=1 if len(next(iter(products.values()), [])) <= 20 else 5)
    fig.update_yaxes(type="log", title="gradient left = ∏ f′(z)", exponentformat="power", range=[-12.5, 0.5])
    return base_layout(fig, f"Every layer at z = {z:g}", height=360)


def dead_relu_curve(lrs: Sequence[float], shares: Sequence[float], lr: float, share: float) -> go.Figure:
    """The share of dead units against the learning rate, with the course's 20–40 % warning band."""
    fig = go.Figure()
    fig.add_hrect(y0=20, y1=40, fillcolor=WRONG, opacity=0.12, line_width=0,
                  annotation_text="course: 20–40 % dead → lower the learning rate",
                  annotation_position="top left")
    fig.add_scatter(x=lrs, y=100 * np.asarray(shares), mode="lines", name="dead units",
                    line=dict(color=ACTIVATION_COLORS["relu"], width=3))
    fig.add_scatter(x=[lr], y=[100 * share], mode="markers", name="now",
                    marker=dict(size=18, color=PATH), hovertemplate="α = %{x:g}: %{y:.0f} % dead<extra></extra>")
    fig.update_xaxes(type="log", title="learning rate α of the update", tickvals=list(lrs),
                     ticktext=[f"{v:g}" for v in lrs])
    fig.update_yaxes(title="dead units (%)", range=[-3, 103])
    return base_layout(fig, "", height=340)


# ---- losses ----------------------------------------------------------------------------------
def loss_shares(shares: Dict[str, np.ndarray], labels: Sequence[str]) -> go.Figure:
    """Each sample's share of J, one group of bars per loss: the outlier's share under MSE vs MAE."""
    fig = go.Figure()
    for name, s in shares.items():
        fig.add_bar(x=list(labels), y=100 * np.asarray(s), name=LOSS_LABELS.get(name, name),
                    marker_color=LOSS_COLORS.get(name, PATH), text=[f"{100 * v:.0f}%" for v in s],
                    textposition="outside")
    fig.update_xaxes(title="sample")
    fig.update_yaxes(title="share of J (%)", range=[0, 115])
    fig.update_layout(barmode="group")
    return base_layout(fig, "Each sample's share of the loss", height=340)


def binary_loss_curves(curves: Dict[str, np.ndarray], label: int, p: float,
                       point: Dict[str, float], y_max: float = 5.0) -> go.Figure:
    """BCE and MSE of one sample as the predicted probability p moves, with the current p marked."""
    fig = go.Figure()
    for name in ("binary_crossentropy", "mse"):
        color = LOSS_COLORS[name]
        fig.add_scatter(x=curves["p"], y=curves[name], mode="lines", name=LOSS_LABELS[name],
                        line=dict(color=color, width=3))
        fig.add_scatter(x=[p], y=[min(point[name], y_max)], mode="markers", showlegend=False,
                        marker=dict(size=16, color=color, line=dict(width=2, color="white")),
                        hovertemplate=f"{LOSS_LABELS[name]} = {point[name]:.3f}<extra></extra>")
    fig.add_vline(x=label, line=dict(color=RIGHT, width=2, dash="dash"),
                  annotation_text=f"true label y = {label}",
                  annotation_position="top left" if label else "top right")
    fig.update_xaxes(title="predicted probability p (that y = 1)", range=[0, 1])
    fig.update_yaxes(title="loss of this sample", range=[0, y_max])
    fig = base_layout(fig, "", height=380)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="center", x=0.5),
                      margin=dict(t=30, b=20))
    return fig


def softmax_cce_bars(example) -> go.Figure:
    """Probabilities a = softmax(z) of three classes next to the one-hot target y."""
    classes = [f"class {j + 1}" for j in range(len(example.a))]
    fig = go.Figure()
    fig.add_bar(x=classes, y=example.target, name="one-hot target y", marker_color=TARGET,
                text=[f"{int(v)}" for v in example.target], textposition="outside")
    fig.add_bar(x=classes, y=example.a, name="a = softmax(z)",
                marker_color=[RIGHT if j + 1 == example.true_class else OTHER_CLASS
                              for j in range(len(example.a))],
                text=[f"{v:.3f}" for v in example.a], textposition="outside")
    fig.update_yaxes(range=[0, 1.2], title="probability")
    fig.update_layout(barmode="group")
    sub = str(example.true_class).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    return base_layout(fig, f"CCE = −log a{sub} = {example.cce:.3f}", height=330)
