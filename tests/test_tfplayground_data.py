"""TensorFlow Playground's data sets (its dataset.ts) with its distributions, domain and noise meaning, and the
playground's honest texts about nnplay's own sets."""
import numpy as np
import pytest

from nncore.data import datasets
from nncore.data import features as feats
from nncore.lessons import playground_lab as pg
from nncore.lessons import presets
from nncore.lessons import tfplayground as tfp


def test_circle():
    x, y = datasets.tfp_circle(500, 0.0, seed=1)
    r = np.hypot(x[:, 0], x[:, 1])
    assert len(x) == 500 and y.sum() == 250
    assert np.all(r[y[:, 0] == 1] <= 2.5) and np.all((r[y[:, 0] == 0] >= 3.5) & (r[y[:, 0] == 0] <= 5))


def test_xor_blue_where_the_product_is_positive():
    x, y = datasets.tfp_xor(500, 0.0, seed=2)
    assert np.all(np.abs(x) >= 0.3) and np.all(np.abs(x) <= 5.3)
    assert np.array_equal(y[:, 0] == 1, x[:, 0] * x[:, 1] >= 0)
    cloud_x, cloud_y = datasets.noisy_xor(200, 0.0, seed=2)              # nnplay's own: the other way round
    assert np.array_equal(cloud_y[:, 0] == 1, cloud_x[:, 0] * cloud_x[:, 1] < 0)


def test_noise_moves_points_before_labelling_and_draws_them_where_they_were():
    x0, y0 = datasets.tfp_circle(2000, 0.0, seed=3)
    x5, y5 = datasets.tfp_circle(2000, 0.5, seed=3)
    assert np.array_equal(x0, x5)                      # the same places ...
    flipped = np.mean(y0 != y5)
    assert 0.05 < flipped < 0.5                        # ... some labelled where the moved point fell
    r = np.hypot(x5[:, 0], x5[:, 1])
    assert np.all(r <= 5)                              # no point leaves the circle's domain


def test_gauss_variance_follows_noise():
    for noise, variance in ((0.0, 0.5), (0.5, 4.0), (0.25, 2.25)):
        x, y = datasets.tfp_gauss(20_000, noise, seed=4)
        pos = x[y[:, 0] == 1]
        assert pos.mean(axis=0) == pytest.approx([2, 2], abs=0.05)
        assert pos.var(axis=0) == pytest.approx([variance, variance], rel=0.05)


def test_spiral_arms():
    x, y = datasets.tfp_spiral(500, 0.0, seed=0)
    i = np.arange(250)
    r, t = i / 250 * 5, 1.75 * i / 250 * 2 * np.pi
    assert np.allclose(x[:250], np.c_[r * np.sin(t), r * np.cos(t)])
    assert np.allclose(x[250:], -x[:250]) and y[:250].sum() == 250 and y[250:].sum() == 0


def test_regression_sets():
    x, y = datasets.tfp_reg_plane(1200, 0.0, seed=5)
    assert np.all(np.abs(x) <= 6) and np.allclose(y[:, 0], (x[:, 0] + x[:, 1]) / 10)
    x, y = datasets.tfp_reg_gauss(1200, 0.0, seed=5)
    assert np.allclose(y[:, 0], datasets.tfp_cone_surface(x))
    assert datasets.tfp_cone_surface([[-4, 2.5], [0, 2.5], [0, 0], [6, 6]]).tolist() == [1, -1, 0, 0]


def test_the_playground_makes_them_in_its_domain_and_shuffles_once():
    setup = presets.get("tensorflow-playground").setup
    data = pg.make_data(setup)
    assert data.extent == datasets.TFP_DOMAIN == (-6, 6, -6, 6)
    assert len(data.x_train) == len(data.x_test) == 250
    assert np.array_equal(data.t_train[:, 0], 2 * data.y_train[:, 0] - 1)
    _, run = pg.start(setup)
    assert run.spec.shuffle is False and run.spec.last_batch == "carry" and run.spec.epoch_loss == "whole_set"
    assert all(np.all(layer.b == 0.1) for layer in run.net.layers)
    assert all(np.all(np.abs(layer.W) <= 0.5) for layer in run.net.layers)


def test_its_seven_features_in_its_order():
    assert tuple(tfp.FEATURES.values()) == feats.NAMES
    x = np.array([[2.0, -3.0]])
    assert feats.expand(x, feats.NAMES).tolist() == [[2, -3, 4, 9, -6, np.sin(2), np.sin(-3)]]


def test_the_texts_tell_the_truth():
    assert "TensorFlow Playground" not in presets.get("playground").title
    assert "not TensorFlow Playground's default" in presets.get("playground").story
    for make in (datasets.noisy_xor, datasets.plane, datasets.multi_gaussian):
        assert "nnplay's" in make.__doc__
    assert "TensorFlow Playground's set-up" not in pg.Controls.__doc__
