"""How good the predictions are, counted: accuracy, the confusion matrix, R².

* accuracy = (points whose predicted class is their class) / (points).
* confusion matrix C (K × K): C[i, j] = how many points of true class i the network puts in class j;
  the diagonal holds the right answers, row i's share on the diagonal is the recall of class i.
* R² = 1 - Σ (y - ŷ)² / Σ (y - ȳ)²: the share of the values' variance the network explains
  (1 = perfect, 0 = no better than always answering the mean ȳ).
"""
from __future__ import annotations

from typing import Optional

import numpy as np


def accuracy(y_true, y_pred) -> Optional[float]:
    """Share of right class labels (None for no points)."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    return float(np.mean(y_true == y_pred)) if y_true.size else None


def confusion_matrix(y_true, y_pred, k: int) -> np.ndarray:
    """C[i, j] = number of points of true class i predicted as class j (labels 0..k-1)."""
    y_true = np.ravel(y_true).astype(int)
    y_pred = np.ravel(y_pred).astype(int)
    c = np.zeros((k, k), dtype=int)
    np.add.at(c, (y_true, y_pred), 1)
    return c


def row_percentages(c) -> np.ndarray:
    """Each row of a confusion matrix as % of its true class (a class with no points: 0 %)."""
    c = np.asarray(c, dtype=float)
    totals = c.sum(axis=1, keepdims=True)
    return np.divide(100 * c, totals, out=np.zeros_like(c), where=totals > 0)


def r_squared(y, y_hat) -> Optional[float]:
    """1 - SS_res / SS_tot; None when the values do not vary (SS_tot = 0) or there are none."""
    y, y_hat = np.ravel(y).astype(float), np.ravel(y_hat).astype(float)
    if y.size == 0:
        return None
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    if ss_tot == 0:
        return None
    return 1 - float(np.sum((y - y_hat) ** 2)) / ss_tot
