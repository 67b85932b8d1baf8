"""What the network is asked to do with a point of the plane, read from the data's labels.

* ``binary``: labels 0/1; one sigmoid output a^L = P(class 1); MSE or binary cross-entropy.
* ``multiclass``: labels 0..K-1 (K = 3..5); K softmax outputs a^L_j = e^{z_j} / Σ_k e^{z_k}, one
  probability per class; the targets are one-hot rows y (y_j = 1 for the true class j, else 0);
  categorical cross-entropy J = -Σ_j y_j log a^L_j (whose δ^L is simply a^L - y) or MSE.
* ``regression``: real labels; one linear output a^L = z^L, the predicted value; MSE or MAE.

``Task`` is the one place that knows this: output layer, losses, targets, predicted labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

import numpy as np

KINDS = ("binary", "multiclass", "regression")
MAX_CLASSES = 5
LOSSES = {"binary": ("mse", "binary_crossentropy"),
          "multiclass": ("categorical_crossentropy", "mse"),
          "regression": ("mse", "mae")}


@dataclass(frozen=True)
class Task:
    kind: str = "binary"
    classes: int = 2          # K; 2 for binary, 0 for regression

    @property
    def outputs(self) -> int:
        """Neurons in the output layer: K for softmax, else 1."""
        return self.classes if self.kind == "multiclass" else 1

    @property
    def output_activation(self) -> str:
        return {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}[self.kind]

    @property
    def losses(self) -> Tuple[str, ...]:
        """The losses that make sense for this output; the first is the natural one."""
        return LOSSES[self.kind]

    @property
    def is_classification(self) -> bool:
        return self.kind != "regression"

    def targets(self, labels) -> np.ndarray:
        """What the output is trained towards: one-hot rows for K classes, else the labels as a column."""
        labels = np.asarray(labels, dtype=float).reshape(-1)
        if self.kind == "multiclass":
            return np.eye(self.classes)[labels.astype(int)]
        return labels[:, None]

    def predicted(self, a) -> np.ndarray:
        """The label the network gives each row of outputs a^L: argmax, a > 0.5, or the value itself."""
        a = np.asarray(a, dtype=float).reshape(len(a), -1)
        if self.kind == "multiclass":
            return a.argmax(axis=1)
        if self.kind == "binary":
            return (a[:, 0] > 0.5).astype(int)
        return a[:, 0]

    def describe(self) -> str:
        """'3 classes, 3 softmax outputs' for captions."""
        if self.kind == "multiclass":
            return f"{self.classes} classes: {self.classes} softmax outputs, one probability per class"
        if self.kind == "binary":
            return "2 classes: 1 sigmoid output, the probability of class 1"
        return "values: 1 linear output, the predicted value"


BINARY = Task("binary", 2)
REGRESSION = Task("regression", 0)


def of_classes(k: int) -> Task:
    """The task for labels 0..k-1: binary for 2, multiclass for 3..5."""
    return BINARY if k == 2 else Task("multiclass", int(k))


def from_labels(y, kind: str = "classes") -> Task:
    """The task given data implies: ``kind`` 'classes' (integer labels 0..K-1) or 'values' (real numbers).

    ValueError, with a sentence, when class labels are not whole numbers 0..K-1 with 2 ≤ K ≤ 5.
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    if kind == "values":
        if not np.all(np.isfinite(y)):
            raise ValueError("Every value must be a finite number.")
        return REGRESSION
    if kind != "classes":
        raise ValueError(f"The labels must be 'classes' or 'values' (got {kind!r}).")
    if y.size == 0 or not np.all(np.isfinite(y)) or np.any(y != np.round(y)) or y.min() < 0:
        raise ValueError("Class labels must be whole numbers 0, 1, 2, …")
    k = int(y.max()) + 1
    if not 2 <= k <= MAX_CLASSES:
        raise ValueError(f"The labels name {k} classes; the playground takes 2 to {MAX_CLASSES}.")
    return of_classes(k)
