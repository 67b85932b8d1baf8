"""Figures of the MNIST page: the digits, live training curves, the design flow's loss gap, the
confusion matrix, per-class accuracy, first-layer weights, a digit's probabilities.

Plain dicts (see ``style.layout``) so the live fragment can send them cheaply; ``digit_grid`` and
``weight_grid`` return image arrays for ``st.image``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from nncore.figures.style import CLASS_COLORS, TRAIN, VALIDATION, layout, lst

MAX_BATCH_POINTS = 1500
_BELOW = dict(height=370, margin=dict(b=125), legend=dict(y=-0.38))   # legend clear of the axis title


def training_curves(curves, epochs: Sequence, metric: str = "loss", title: str = "") -> dict:
    """Each batch (faint), its moving average (the training curve), and each epoch's training and
    validation value, on one epoch axis.

    ``curves`` is an ``mnist_lab.LiveCurves``; ``epochs`` are ``keras_jobs.EpochMetrics``, drawn at
    the end of their epoch. ``metric`` is "loss" (cost J, categorical cross-entropy) or "accuracy".
    """
    stride = max(1, len(curves.x) // MAX_BATCH_POINTS)
    x = lst(curves.x[::stride], 4)
    x_epochs = [e.epoch + 1 for e in epochs]
    val = "val_" + metric
    data = [
        dict(type="scatter", x=x, y=lst(curves.raw[metric][::stride], 4), mode="lines", name="each batch",
             line=dict(color=TRAIN, width=1), opacity=0.25, hoverinfo="skip"),
        dict(type="scatter", x=x, y=lst(curves.smooth[metric][::stride], 4), mode="lines",
             name="training (smoothed)", line=dict(color=TRAIN, width=2.5)),
        dict(type="scatter", x=x_epochs, y=lst([getattr(e, metric) for e in epochs], 5),
             mode="markers", name="training (epoch mean)", marker=dict(color=TRAIN, size=9, symbol="circle-open",
                                                                       line=dict(width=2))),
        dict(type="scatter", x=x_epochs,
             y=lst([np.nan if getattr(e, val) is None else getattr(e, val) for e in epochs], 5),
             mode="lines+markers", name="validation (end of epoch)", line=dict(color=VALIDATION, width=3),
             marker=dict(size=8)),
    ]
    label = "cost J" if metric == "loss" else "accuracy"
    yaxis = dict(title=dict(text=label))
    if metric == "accuracy":
        yaxis["range"] = [0, 1]
    return dict(data=data, layout=layout(title or label[0].upper() + label[1:], **_BELOW,
                                         xaxis=dict(title=dict(text="epoch"), rangemode="tozero"), yaxis=yaxis))


def loss_gap(epochs: Sequence, title: str = "Training vs validation loss") -> dict:
    """Course 001's design flow on one chart: training and validation loss per epoch, the gap between
    them shaded, the epoch with the lowest validation loss marked."""
    x = [e.epoch + 1 for e in epochs]
    train = [e.loss for e in epochs]
    val = [np.nan if e.val_loss is None else e.val_loss for e in epochs]
    data = [
        dict(type="scatter", x=x, y=lst(train, 5), mode="lines+markers", name="training loss",
             line=dict(color=TRAIN, width=3), marker=dict(size=7)),
        dict(type="scatter", x=x, y=lst(val, 5), mode="lines+markers", name="validation loss",
             line=dict(color=VALIDATION, width=3), marker=dict(size=7), fill="tonexty",
             fillcolor="rgba(230, 85, 13, 0.15)",
             customdata=lst(np.array(val) - np.array(train), 4),
             hovertemplate="epoch %{x}: validation %{y:.4f}, gap %{customdata:+.4f}<extra></extra>"),
    ]
    shapes, annotations = [], []
    finite = [v for v in val if np.isfinite(v)]
    if finite:
        best = int(np.nanargmin(val))
        shapes.append(dict(type="line", x0=x[best], x1=x[best], yref="paper", y0=0, y1=1,
                           line=dict(color="#888888", dash="dot", width=1.5)))
        annotations.append(dict(x=x[best], y=1, yref="paper", text=f"lowest validation loss (epoch {x[best]})",
                                showarrow=False, yanchor="bottom", font=dict(size=12, color="#555555")))
        annotations.append(dict(x=x[-1], y=val[-1], text=f"gap {val[-1] - train[-1]:+.3f}", showarrow=True,
                                ax=-40, ay=-30, font=dict(size=13, color=VALIDATION)))
    return dict(data=data, layout=layout(title, **_BELOW, shapes=shapes, annotations=annotations,
                                         xaxis=dict(title=dict(text="epoch"), dtick=1),
                                         yaxis=dict(title=dict(text="cost J"), rangemode="tozero")))


def confusion(matrix: np.ndarray, title: str = "Confusion matrix") -> dict:
    """C[i, j] as a heat map: rows are the true digits, columns the network's guesses."""
    m = np.asarray(matrix)
    digits = [str(d) for d in range(m.shape[0])]
    share = m / np.maximum(m.sum(axis=1, keepdims=True), 1)
    data = [dict(type="heatmap", z=lst(share, 4), x=digits, y=digits, text=m.tolist(),
                 texttemplate="%{text}", colorscale=[[0, "#ffffff"], [1, TRAIN]], zmin=0, zmax=1,
                 showscale=False, hovertemplate="true %{y}, guessed %{x}: %{text}<extra></extra>")]
    return dict(data=data, layout=layout(title, height=420, margin=dict(b=50),
                                         xaxis=dict(title=dict(text="guessed"), type="category", side="bottom"),
                                         yaxis=dict(title=dict(text="true digit"), type="category",
                                                    autorange="reversed")))


def probabilities(p: Sequence[float], title: str = "What the network sees") -> dict:
    """The ten softmax outputs a^L_k = P(digit = k), the guess highlighted."""
    p = np.asarray(p, dtype=float)
    best = int(p.argmax())
    colours = [VALIDATION if k == best else TRAIN for k in range(len(p))]
    data = [dict(type="bar", x=[str(k) for k in range(len(p))], y=lst(p, 4), marker=dict(color=colours),
                 text=[f"{v:.0%}" for v in p], textposition="outside",
                 hovertemplate="P(%{x}) = %{y:.3f}<extra></extra>")]
    return dict(data=data, layout=layout(title, height=300, margin=dict(b=45),
                                         xaxis=dict(title=dict(text="digit k"), type="category"),
                                         yaxis=dict(title=dict(text="probability a^L_k"), range=[0, 1.15])))


def digit_grid(images: np.ndarray, cols: int = 10, gap: int = 2, scale: int = 2) -> np.ndarray:
    """Digits (n, h, w) side by side as one uint8 image, ink dark on light paper (as written)."""
    images = np.asarray(images, dtype=float)
    if images.max() <= 1.0:
        images = images * 255
    n, h, w = images.shape
    rows = -(-n // cols)
    out = np.full((rows * (h + gap) + gap, cols * (w + gap) + gap), 255, dtype=np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        out[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = \
            255 - np.clip(img, 0, 255).astype(np.uint8)
    return np.kron(out, np.ones((scale, scale), dtype=np.uint8)) if scale > 1 else out



def pixel_values(image: np.ndarray, title: str = "") -> dict:
    """One digit as the 28 × 28 numbers the network reads (0 = paper, 255 = ink), each in its cell."""
    img = np.asarray(image)
    n = img.shape[0]
    ticks = list(range(0, n, 4)) + [n - 1]
    data = [dict(type="heatmap", z=img.astype(int).tolist(), text=img.astype(int).tolist(),
                 texttemplate="%{text}", textfont=dict(size=8), colorscale=[[0, "#ffffff"], [1, "#000000"]],
                 zmin=0, zmax=255, showscale=False, xgap=1, ygap=1,
                 hovertemplate="row %{y}, column %{x}: %{z}<extra></extra>")]
    return dict(data=data, layout=layout(title, height=640, margin=dict(l=45, r=10, t=45 if title else 10, b=40),
                                         xaxis=dict(title=dict(text="column"), tickvals=ticks, side="top",
                                                    constrain="domain", showgrid=False),
                                         yaxis=dict(title=dict(text="row"), tickvals=ticks, autorange="reversed",
                                                    scaleanchor="x", showgrid=False)))


def class_counts(train: Sequence[int], test: Sequence[int], title: str = "How many of each digit") -> dict:
    """Images per digit in the training and test sets, side by side."""
    digits = [str(d) for d in range(len(train))]
    data = [dict(type="bar", x=digits, y=[int(v) for v in train], name="training", marker=dict(color=TRAIN),
                 text=[f"{int(v):,}" for v in train], textposition="outside"),
            dict(type="bar", x=digits, y=[int(v) for v in test], name="test", marker=dict(color=CLASS_COLORS[0]),
                 text=[f"{int(v):,}" for v in test], textposition="outside")]
    return dict(data=data, layout=layout(title, height=330, barmode="group", margin=dict(b=90),
                                         xaxis=dict(title=dict(text="digit"), type="category"),
                                         yaxis=dict(title=dict(text="images"))))


def per_class_accuracy(accuracy: Sequence[float], title: str = "Test accuracy per digit") -> dict:
    """Share of each digit read right; the weakest digit highlighted."""
    acc = np.asarray(accuracy, dtype=float)
    worst = int(acc.argmin())
    data = [dict(type="bar", x=[str(d) for d in range(len(acc))], y=lst(acc, 4),
                 marker=dict(color=[VALIDATION if d == worst else TRAIN for d in range(len(acc))]),
                 text=[f"{v:.0%}" for v in acc], textposition="outside",
                 hovertemplate="digit %{x}: %{y:.1%} read right<extra></extra>")]
    return dict(data=data, layout=layout(title, height=300, margin=dict(b=45),
                                         xaxis=dict(title=dict(text="true digit"), type="category"),
                                         yaxis=dict(title=dict(text="accuracy"), range=[0, 1.12],
                                                    tickformat=".0%")))


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def weight_grid(weights: np.ndarray, cols: int = 8, gap: int = 2, scale: int = 3,
                negative: str = CLASS_COLORS[0], positive: str = TRAIN) -> np.ndarray:
    """Weight images (n, 28, 28) side by side as one RGB uint8 image: white 0, blue positive, orange negative.

    Each image is scaled by its own largest |w|, so every neuron's pattern is visible.
    """
    w = np.asarray(weights, dtype=float)
    n, h, wd = w.shape
    t = w / np.maximum(np.abs(w).reshape(n, -1).max(axis=1), 1e-12)[:, None, None]
    white, pos, neg = np.full(3, 255.0), _rgb(positive), _rgb(negative)
    a = np.abs(t)[..., None]
    tiles = np.where(t[..., None] >= 0, white * (1 - a) + pos * a, white * (1 - a) + neg * a)
    rows = -(-n // cols)
    out = np.full((rows * (h + gap) + gap, cols * (wd + gap) + gap, 3), 200, dtype=np.uint8)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        out[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (wd + gap):gap + c * (wd + gap) + wd] = \
            np.clip(np.round(tile), 0, 255).astype(np.uint8)
    return np.kron(out, np.ones((scale, scale, 1), dtype=np.uint8)) if scale > 1 else out


# ---- what a CNN sees ---------------------------------------------------------------------------------
def filter_grid(filters: np.ndarray, cols: int = 8) -> np.ndarray:
    """Learnt k × k filters (n, k, k) as one RGB image, each tile scaled to its own largest |w| and
    enlarged so that a 3 × 3 filter is visible: blue weights raise z where the ink is, orange ones lower it."""
    f = np.asarray(filters, dtype=float)
    return weight_grid(f, cols=cols, gap=1, scale=max(2, 48 // f.shape[1]))


def feature_map_grid(maps: np.ndarray, cols: int = 8, limit: int = 32) -> np.ndarray:
    """Feature maps (H, W, F) of one digit as one RGB image, map f in tile f (the first ``limit``)."""
    m = np.moveaxis(np.asarray(maps, dtype=float), -1, 0)[:limit]
    return weight_grid(m, cols=cols, gap=1, scale=max(2, 84 // m.shape[1]))


def patch_arithmetic(step, title: str = "One pixel of a feature map, by hand") -> dict:
    """CNN Explainer's view of one output pixel: the input patch, the filter, their products, side by side."""
    panels = [("input patch a⁰", step.patch), ("filter W", step.kernel), ("patch × W", step.patch * step.kernel)]
    data = []
    for n, (name, z) in enumerate(panels, 1):
        z = np.asarray(z, dtype=float)
        top = max(float(np.abs(z).max()), 1e-9)
        data.append(dict(type="heatmap", z=lst(z, 3), text=lst(z, 2), texttemplate="%{text}", showscale=False,
                         xaxis=f"x{n}", yaxis=f"y{n}", zmin=-top, zmax=top, colorscale="RdBu", name=name,
                         hovertemplate=f"{name}: %{{z:.3f}}<extra></extra>"))
    axes = {}
    for n, (name, _) in enumerate(panels, 1):
        lo = (n - 1) / 3
        axes[f"xaxis{n}"] = dict(domain=[lo + 0.02, lo + 0.31], showticklabels=False, title=dict(text=name))
        axes[f"yaxis{n}"] = dict(anchor=f"x{n}", autorange="reversed", showticklabels=False)
    return dict(data=data, layout=layout(title, height=280, margin=dict(b=50), **axes))
