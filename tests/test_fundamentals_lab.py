"""The numbers behind the activations and losses pages (courses 000, 002, 003)."""
import re

import numpy as np
import pytest

from nncore.lessons import activation_lab as act_lab
from nncore.lessons import loss_lab


# ---- activations -----------------------------------------------------------------------------
def test_course_ranges_of_sigmoid_tanh_and_relu_are_in_the_table():
    ranges = {n: act_lab.facts(n).output_range for n in ("sigmoid", "tanh", "relu")}
    assert ranges == {"sigmoid": "(0, 1)", "tanh": "(-1, 1)", "relu": "[0, ∞)"}   # course 002's answer


def test_sigmoid_slope_is_a_quarter_at_zero_and_never_more():
    f = act_lab.facts("sigmoid")
    assert f.slope_at_0 == pytest.approx(0.25) and f.max_slope == pytest.approx(0.25)


def test_sigmoid_gradient_vanishes_where_its_slope_drops_below_the_tolerance():
    # σ(1-σ) = tol  ⇔  σ = (1 + √(1 - 4 tol)) / 2, z = log(σ / (1 - σ))
    tol = act_lab.VANISH_TOL
    s = (1 + np.sqrt(1 - 4 * tol)) / 2
    edge = np.log(s / (1 - s))
    numbers = [float(t.replace("−", "-")) for t in re.findall(r"[−-]?\d+\.?\d*", act_lab.facts("sigmoid").vanishes)]
    assert numbers == pytest.approx([-edge, edge], abs=0.01)


def test_relu_gradient_vanishes_below_zero_and_leaky_relu_never_with_a_big_enough_slope():
    assert act_lab.facts("relu").vanishes == "z ≤ 0"
    assert act_lab.facts("leaky_relu", alpha=0.1).vanishes == "nowhere"
    assert act_lab.facts("leaky_relu", alpha=0.1).slope_at_0 == pytest.approx(0.1)
    assert act_lab.facts("linear").vanishes == "nowhere"
    assert act_lab.facts("step").vanishes.startswith("everywhere")


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "leaky_relu", "softmax"])
def test_plotted_derivative_is_the_slope_of_the_plotted_curve(name):
    (c,) = act_lab.curves([name], z_max=4.0, alpha=0.2, softmax_z=(0.5, 1.0, -2.0), n=801)
    numeric = np.gradient(c.a, c.z)
    inner = np.abs(c.z) > 0.05        # away from leaky ReLU's kink
    np.testing.assert_allclose(c.slope[inner][1:-1], numeric[inner][1:-1], atol=2e-3)


def test_softmax_view_keeps_the_other_units_fixed():
    f, _ = act_lab.scalar_view("softmax", others=(1.0, 0.1))
    z = np.array([2.0, 1.0, 0.1])
    assert float(f(np.array(2.0))) == pytest.approx(np.exp(z[0]) / np.exp(z).sum())


@pytest.mark.parametrize("z", [-2.0, 0.0, 0.5, 2.5])
def test_sigmoid_leaves_at_most_a_quarter_to_the_k_of_the_gradient(z):
    k = 12
    products = act_lab.gradient_through_layers(["sigmoid", "relu"], k, z)
    assert np.all(products["sigmoid"] <= 0.25 ** np.arange(1, k + 1) + 1e-15)
    assert np.all(np.diff(products["sigmoid"]) < 0)
    assert np.all(products["relu"] == (1.0 if z > 0 else 0.0))


def test_dead_relu_share_grows_with_the_learning_rate_of_the_shock():
    lrs = [0.01, 0.5, 2, 4, 10]
    shares = act_lab.dead_share_curve(lrs)
    assert np.all(np.diff(shares) >= 0)
    assert shares[0] == 0 and shares[-1] > 0.4


def test_a_dead_unit_is_negative_for_every_input():
    layer = act_lab.dead_relu(lr=3.0, bias=-0.5, n_units=50, seed=1)
    rng = np.random.default_rng(1)                       # the same draw as the layer
    x = rng.standard_normal((500, 10))
    from nncore.engine import initializers
    W = initializers.initialize("he_normal", (10, 50), rng)
    z = x @ W + layer.b
    np.testing.assert_array_equal(layer.dead, (z <= 0).all(axis=0))
    assert 0 < layer.dead_share < 1


def test_a_lower_starting_bias_kills_more_units():
    assert act_lab.dead_relu(3.0, bias=-2.0).dead_share > act_lab.dead_relu(3.0, bias=0.0).dead_share


@pytest.mark.parametrize("text", ["1, x", "5", "1,2,3,4,5,6,7,8,9,10,11", "1, nan", "1, 1e9"])
def test_softmax_vector_typos_get_a_sentence(text):
    with pytest.raises(ValueError, match="softmax vector"):
        act_lab.parse_vector(text, "The softmax vector z")


# ---- losses ----------------------------------------------------------------------------------
Y = [1.0, 2.0, 3.0, 4.0]
Y_HAT = [1.5, 1.0, 3.5, 4.0]


def test_half_mse_is_half_of_mse_and_mae_is_the_mean_absolute_error():
    reg = loss_lab.regression(Y, Y_HAT)
    e = np.subtract(Y_HAT, Y)
    assert reg.values["mse"] == pytest.approx(np.mean(e ** 2))
    assert reg.values["half_mse"] == pytest.approx(np.sum(e ** 2) / (2 * len(e)))
    assert reg.values["mae"] == pytest.approx(np.mean(np.abs(e)))


def test_per_sample_contributions_add_up_to_the_loss():
    reg = loss_lab.regression(Y, Y_HAT)
    for name in loss_lab.REGRESSION:
        assert reg.contributions[name].sum() == pytest.approx(reg.values[name])
        assert reg.share(name).sum() == pytest.approx(1.0)


def test_an_outlier_takes_over_mse_but_not_mae():
    base = loss_lab.regression(Y, Y_HAT)
    y, y_hat = loss_lab.with_outlier(Y, Y_HAT, 10.0)
    reg = loss_lab.regression(y, y_hat)
    assert reg.errors[-1] == pytest.approx(-10.0) and len(reg.y) == len(Y) + 1
    assert reg.values["mse"] / base.values["mse"] > reg.values["mae"] / base.values["mae"]
    assert reg.share("mse")[-1] > reg.share("mae")[-1] > 0.5


def test_no_outlier_when_its_size_is_zero():
    y, y_hat = loss_lab.with_outlier(Y, Y_HAT, 0.0)
    np.testing.assert_array_equal(y, Y)


def test_bce_punishes_a_confident_wrong_answer_while_mse_stays_below_one():
    curves = loss_lab.binary_curves(1)
    assert curves["mse"].max() <= 1.0
    p = 0.01
    point = loss_lab.binary_point(1, p)
    assert point["binary_crossentropy"] == pytest.approx(-np.log(p), rel=1e-6)
    assert point["binary_crossentropy"] > 4 > point["mse"]
    assert loss_lab.binary_point(0, p)["binary_crossentropy"] == pytest.approx(-np.log(1 - p), rel=1e-6)


def test_cce_is_minus_log_of_the_true_class_probability():
    z = np.array([2.0, 1.0, 0.1])
    a = np.exp(z) / np.exp(z).sum()
    for true_class in (1, 2, 3):
        ex = loss_lab.softmax_example(z, true_class)
        np.testing.assert_allclose(ex.a, a)
        assert ex.cce == pytest.approx(-np.log(a[true_class - 1]))
        assert ex.target.sum() == 1 and ex.target[true_class - 1] == 1
    assert loss_lab.softmax_example(z, 1).predicted_class == 1


@pytest.mark.parametrize("y, y_hat, words", [
    ([1, 2], [1], "2 targets y but 1 predictions"),
    ([1, np.nan], [1, 2], "Sample 2 has no valid target"),
    ([1, 2], [1, 1e9], "Sample 2 has no valid prediction"),
])
def test_broken_samples_get_a_sentence(y, y_hat, words):
    with pytest.raises(ValueError, match=words):
        loss_lab.check_samples(y, y_hat)


def test_values_round_trip_through_their_text():
    text = loss_lab.encode_values([1.5, -2, 3.25])
    np.testing.assert_array_equal(loss_lab.parse_values(text, "y"), [1.5, -2, 3.25])
    with pytest.raises(ValueError, match="numbers separated by commas"):
        loss_lab.parse_values("1, two", "y")
