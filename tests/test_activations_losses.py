"""Each activation's derivative and each loss's gradient against finite differences."""
import numpy as np
import pytest

from nncore.engine import activations, losses
from nncore.engine.gradcheck import numeric_gradient

Z = np.linspace(-3, 3, 13) + 0.037  # avoid the kinks of relu/step at exactly 0


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "step", "linear"])
def test_derivative_is_the_slope_of_the_activation(name):
    act = activations.get(name, alpha=0.1)
    h = 1e-6
    numeric = (act(Z + h) - act(Z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(Z), numeric, atol=1e-6)


def test_softmax_backward_is_the_jacobian_vector_product():
    z = np.array([[0.5, -1.0, 2.0], [0.1, 0.2, 0.3]])
    v = np.array([[1.0, -2.0, 0.5], [0.3, 0.0, -1.0]])
    sm = activations.SOFTMAX
    zz = z.copy()
    numeric = numeric_gradient(lambda: float((sm(zz) * v).sum()), [zz])[0]
    np.testing.assert_allclose(sm.backward(z, sm(z), v), numeric, atol=1e-8)
    np.testing.assert_allclose(sm(z).sum(axis=1), 1.0)


def test_sigmoid_does_not_overflow_and_has_its_range():
    a = activations.SIGMOID(np.array([-1000.0, 0.0, 1000.0]))
    assert np.all(np.isfinite(a)) and a[1] == 0.5
    assert activations.SIGMOID.output_range == "(0, 1)"
    assert activations.get("relu").output_range == "[0, ∞)"


def test_unknown_activation_is_named_in_the_message():
    with pytest.raises(ValueError, match="swish"):
        activations.get("swish")


Y = np.array([[0.0], [1.0], [1.0], [0.0]])
A = np.array([[0.2], [0.7], [0.45], [0.1]])
Y3 = np.eye(3)[[0, 2, 1]]
A3 = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])


@pytest.mark.parametrize("name", losses.NAMES)
def test_loss_gradient_is_the_slope_of_the_loss(name):
    loss = losses.get(name)
    y, a = (Y3, A3.copy()) if name == "categorical_crossentropy" else (Y, A.copy())
    numeric = numeric_gradient(lambda: loss.value(y, a), [a])[0]
    np.testing.assert_allclose(loss.grad(y, a), numeric, atol=1e-7)


def test_mse_and_half_mse_differ_by_the_course_constant():
    # Course 004: L = 1/N Σ (w x + b - y)²; course 003's cost has 1/2n.
    assert losses.MSE.value(Y, A) == pytest.approx(np.mean((A - Y) ** 2))
    assert losses.HALF_MSE.value(Y, A) == pytest.approx(0.5 * losses.MSE.value(Y, A))


def test_cross_entropy_clips_like_keras():
    # A certain and wrong prediction costs -log(1e-7), not infinity.
    assert losses.BINARY_CROSSENTROPY.value([[1.0]], [[0.0]]) == pytest.approx(-np.log(1e-7), rel=1e-6)
    assert losses.CATEGORICAL_CROSSENTROPY.value([[0, 1.0]], [[1.0, 0.0]]) == pytest.approx(-np.log(1e-7), rel=1e-6)


def test_from_logits_equals_the_probability_formula_away_from_the_clip():
    z = np.array([[0.3], [-1.2], [2.0], [0.0]])
    a = activations.SIGMOID(z)
    bce = losses.BINARY_CROSSENTROPY
    assert bce.value_from_logits(Y, z) == pytest.approx(bce.value(Y, a), rel=1e-9)
    z3 = np.log(A3)
    cce = losses.CATEGORICAL_CROSSENTROPY
    assert cce.value_from_logits(Y3, z3) == pytest.approx(cce.value(Y3, A3), rel=1e-9)
