"""Figures of the regression page: the fit, the cost per epoch, and the cost surface with the path.

They are built as plain dicts (see ``style.layout``) because the page redraws them many times a
second; ``plotly.graph_objects.Figure(d)`` turns any of them into a figure object.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from nncore.figures.raster import grid_image, palette
from nncore.figures.style import GROWS, NOW, PATH, SERIES_COLORS, TRAIN, TRUE, VALIDATION, cost_axis, layout, lst
from nncore.lessons.surface import Surface

# Low cost light, high cost dark: plotly's reversed "Blues", as a scale and as a look-up palette.
SURFACE_STOPS = [(0.0, (220, 220, 220)), (0.3, (106, 137, 247)), (0.4, (90, 120, 245)), (0.5, (70, 100, 245)),
                 (0.65, (40, 60, 190)), (1.0, (5, 10, 172))]
SURFACE_SCALE = [[t, f"rgb{c}"] for t, c in SURFACE_STOPS]
SURFACE_COLOURS = palette(SURFACE_STOPS)
COMPARE_COLORS = SERIES_COLORS                  # colour-blind safe (style.SERIES_COLORS)


def fit(x_train, y_train, x_val, y_val, x_line, y_line, title: str = "") -> dict:
    """Training points, validation points and the model's current line or curve."""
    data = [
        dict(type="scatter", x=lst(np.ravel(x_train)), y=lst(np.ravel(y_train)), mode="markers", name="train",
             marker=dict(color=TRAIN, size=7, opacity=0.75)),
        dict(type="scatter", x=lst(np.ravel(x_val)), y=lst(np.ravel(y_val)), mode="markers", name="validation",
             marker=dict(color=VALIDATION, size=8, symbol="diamond")),
        dict(type="scatter", x=lst(np.ravel(x_line)), y=lst(np.ravel(y_line)), mode="lines", name="model",
             line=dict(color=PATH, width=3)),
    ]
    y_all = np.concatenate([np.ravel(y_train), np.ravel(y_val)]) if len(y_train) else np.zeros(1)
    pad = 0.15 * (np.ptp(y_all) + 1e-9) + 0.1
    return dict(data=data, layout=layout(title, xaxis=dict(title=dict(text="x")),
                                         yaxis=dict(title=dict(text="y"),
                                                    range=[float(y_all.min() - pad), float(y_all.max() + pad)])))


def cost_curves(steps_per_epoch: float, steps, batch_losses, epochs, train_losses, val_losses,
                log_y: bool = False, show_steps: bool = True, compare: Sequence[dict] = (),
                title: str = "Cost per epoch") -> dict:
    """Train and validation cost per epoch; per-update cost lighter behind them (it fluctuates
    for mini-batch and stochastic descent). ``compare`` adds finished runs:
    dicts with label, epochs, train_losses."""
    x_steps = np.asarray(steps, dtype=float) / max(steps_per_epoch, 1e-9)
    stride = max(1, len(x_steps) // 1500)           # at most ~1500 points of the noisy trace
    data = [
        dict(type="scatter", x=lst(x_steps[::stride], 4), y=lst(np.asarray(batch_losses)[::stride], 6),
             mode="lines", name="cost of each update", line=dict(color=TRAIN, width=1), opacity=0.3,
             visible=True if show_steps else "legendonly"),
        dict(type="scatter", x=list(epochs), y=lst(train_losses, 6), mode="lines", name="train",
             line=dict(color=TRAIN, width=3)),
        dict(type="scatter", x=list(epochs), y=lst([np.nan if v is None else v for v in val_losses], 6),
             mode="lines", name="validation", line=dict(color=VALIDATION, width=3)),
    ]
    for i, run in enumerate(compare):
        data.append(dict(type="scatter", x=list(run["epochs"]), y=lst(run["train_losses"], 6), mode="lines",
                         name=run["label"], line=dict(color=COMPARE_COLORS[i % 8], width=2, dash="dot")))
    return dict(data=data, layout=layout(title, xaxis=dict(title=dict(text="epoch")),
                                         yaxis=cost_axis("cost J", log_y), meta=GROWS))


def cost_surface(surface: Surface, path_w, path_b, grad: Optional[Sequence[float]] = None,
                 true_wb: Optional[Sequence[float]] = None, compare: Sequence[dict] = (),
                 title: str = "Cost surface J(w, b) and the path of descent") -> dict:
    """J over (w, b) as a shaded map, the path descent has taken, the current point and −∇J."""
    J = np.log10(np.maximum(surface.J, 1e-12))
    lo, hi = float(np.nanmin(J)), float(np.nanmax(J))
    # The map of J is a PNG layout image: the browser only stretches it, where a heatmap trace would
    # be recomputed at every one of 25 repaints a second. An empty trace carries its colour bar.
    data = [dict(type="scatter", x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
                 name="J", marker=dict(color=[lo], cmin=lo, cmax=hi, colorscale=SURFACE_SCALE, showscale=True,
                                       colorbar=dict(title=dict(text="log₁₀ J"), thickness=12)))]
    for i, run in enumerate(compare):
        data.append(dict(type="scatter", x=lst(run["path_w"]), y=lst(run["path_b"]), mode="lines",
                         name=run["label"], line=dict(color=COMPARE_COLORS[i % 8], width=2, dash="dot")))
    pw = np.asarray(path_w, dtype=float)
    pb = np.asarray(path_b, dtype=float)
    stride = max(1, len(pw) // 2000)
    data.append(dict(type="scatter", x=lst(pw[::stride]), y=lst(pb[::stride]), mode="lines", name="path",
                     line=dict(color=PATH, width=2)))
    cw = float(pw[-1]) if len(pw) else float("nan")
    cb = float(pb[-1]) if len(pb) else float("nan")
    data.append(dict(type="scatter", x=lst([cw]), y=lst([cb]), mode="markers", name="now",
                     marker=dict(color=NOW, size=13, line=dict(color="white", width=2))))
    if true_wb is not None:
        data.append(dict(type="scatter", x=[float(true_wb[0])], y=[float(true_wb[1])], mode="markers",
                         name="true (w, b)", marker=dict(color=TRUE, size=13, symbol="star")))
    annotations = []
    if grad is not None and np.all(np.isfinite(grad)) and np.isfinite(cw) and np.isfinite(cb):
        g = np.asarray(grad, dtype=float)
        span = max(surface.w[-1] - surface.w[0], surface.b[-1] - surface.b[0])
        norm = np.linalg.norm(g)
        if norm > 0:
            step = -g / norm * span * 0.12         # −∇J, drawn at a fixed length
            annotations.append(dict(x=cw + step[0], y=cb + step[1], ax=cw, ay=cb, xref="x", yref="y",
                                    axref="x", ayref="y", showarrow=True, arrowhead=3, arrowwidth=2.5,
                                    arrowcolor=NOW, text=""))
    dw = (surface.w[-1] - surface.w[0]) / max(len(surface.w) - 1, 1)
    db = (surface.b[-1] - surface.b[0]) / max(len(surface.b) - 1, 1)
    image = dict(source=grid_image(J, SURFACE_COLOURS, lo, hi), xref="x", yref="y", sizing="stretch",
                 layer="below", x=float(surface.w[0] - dw / 2), y=float(surface.b[-1] + db / 2),
                 sizex=float(surface.w[-1] - surface.w[0] + dw), sizey=float(surface.b[-1] - surface.b[0] + db))
    return dict(data=data, layout=layout(
        title, height=420, annotations=annotations, images=[image],
        xaxis=dict(title=dict(text="w"), range=[float(surface.w[0]), float(surface.w[-1])]),
        yaxis=dict(title=dict(text="b"), range=[float(surface.b[0]), float(surface.b[-1])])))
