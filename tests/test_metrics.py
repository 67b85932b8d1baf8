"""Accuracy, the confusion matrix and R², against small cases counted by hand."""
import numpy as np
import pytest

from nncore.engine import metrics


def test_accuracy_counts_right_labels():
    assert metrics.accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75
    assert metrics.accuracy([], []) is None


def test_confusion_matrix_rows_are_true_classes_and_columns_predicted_ones():
    # true 0 0 1 1 1 2, predicted 0 1 1 1 2 0: by hand
    #          pred 0  1  2
    # true 0 [   1,  1, 0 ]
    # true 1 [   0,  2, 1 ]
    # true 2 [   1,  0, 0 ]
    c = metrics.confusion_matrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 0], 3)
    assert c.tolist() == [[1, 1, 0], [0, 2, 1], [1, 0, 0]]
    assert c.trace() / c.sum() == metrics.accuracy([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 0])


def test_confusion_matrix_keeps_classes_nobody_predicts():
    c = metrics.confusion_matrix([0, 1], [0, 0], 4)
    assert c.shape == (4, 4) and c.tolist()[1] == [1, 0, 0, 0] and c.sum() == 2


def test_row_percentages_are_shares_of_each_true_class():
    pct = metrics.row_percentages([[1, 3], [0, 0]])
    assert pct.tolist() == [[25.0, 75.0], [0.0, 0.0]]       # an empty class: 0 %, not NaN


def test_r_squared_by_hand():
    # y = 1 2 3 (mean 2, SS_tot = 2), ŷ = 1 2 4 (SS_res = 1): R² = 1 - 1/2
    assert metrics.r_squared([1, 2, 3], [1, 2, 4]) == pytest.approx(0.5)
    assert metrics.r_squared([1, 2, 3], [2, 2, 2]) == pytest.approx(0.0)     # the mean itself
    assert metrics.r_squared([5, 5], [5, 5]) is None
    assert metrics.r_squared(np.array([]), np.array([])) is None
