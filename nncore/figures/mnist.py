"""Figures of the MNIST page: live training curves, the confusion matrix, a digit's probabilities.

Plain dicts (see ``style.layout``) so the live fragment can send them cheaply; ``digit_grid``
returns an image array for ``st.image``.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .style import TRAIN, VALIDATION, layout, lst

MAX_BATCH_POINTS = 1500


def _batch_x(batches, steps_per_epoch: Optional[int]) -> np.ndarray:
    """Where each batch sits on an epoch axis: epoch + (batch + 1) / steps."""
    steps = max(steps_per_epoch or 1, 1)
    return np.array([b.epoch + (b.batch + 1) / steps for b in batches], dtype=float)


def training_curves(batches: Sequence, epochs: Sequence, steps_per_epoch: Optional[int],
                    metric: str = "loss", title: str = "") -> dict:
    """Keras's running mean per batch (light) and the per-epoch training and validation values.

    ``metric`` is "loss" (cost J, categorical cross-entropy) or "accuracy". Batches and epochs are
    ``keras_jobs.BatchMetrics`` / ``EpochMetrics`` records; epoch values sit at the end of their epoch.
    """
    stride = max(1, len(batches) // MAX_BATCH_POINTS)
    shown = batches[::stride]
    x_epochs = [e.epoch + 1 for e in epochs]
    val = "val_" + metric
    data = [
        dict(type="scatter", x=lst(_batch_x(shown, steps_per_epoch), 4),
             y=lst([getattr(b, metric) if getattr(b, metric) is not None else np.nan for b in shown], 5),
             mode="lines", name="this epoch so far", line=dict(color=TRAIN, width=1.5), opacity=0.45),
        dict(type="scatter", x=x_epochs, y=lst([getattr(e, metric) for e in epochs], 5),
             mode="lines+markers", name="train (epoch)", line=dict(color=TRAIN, width=3), marker=dict(size=7)),
        dict(type="scatter", x=x_epochs,
             y=lst([np.nan if getattr(e, val) is None else getattr(e, val) for e in epochs], 5),
             mode="lines+markers", name="test (epoch)", line=dict(color=VALIDATION, width=3), marker=dict(size=7)),
    ]
    label = "cost J" if metric == "loss" else "accuracy"
    yaxis = dict(title=dict(text=label))
    if metric == "accuracy":
        yaxis["range"] = [0, 1]
    return dict(data=data, layout=layout(title or label.capitalize(), height=330,
                                         xaxis=dict(title=dict(text="epoch"), rangemode="tozero"), yaxis=yaxis))


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

