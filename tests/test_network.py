"""The MLP: gradient checks, Keras's weight layout, parameter counts, summaries."""
import numpy as np
import pytest

from nncore.data import datasets
from nncore.engine import gradcheck, losses
from nncore.engine.network import MLP
from nncore.engine.specs import NetworkSpec

RNG = np.random.default_rng(7)
X = RNG.uniform(-1, 1, (6, 3))
Y01 = (RNG.random((6, 1)) > 0.5).astype(float)
YREAL = RNG.normal(size=(6, 1))


def _net(**kw):
    kw.setdefault("n_inputs", 3)
    kw.setdefault("hidden", (4, 3))
    kw.setdefault("initializer", "glorot_normal")
    kw.setdefault("bias_initializer", "glorot_uniform")
    return MLP.from_spec(NetworkSpec(**kw))


@pytest.mark.parametrize("hidden_act", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
@pytest.mark.parametrize("loss,output,y", [
    ("mse", "linear", YREAL), ("mae", "linear", YREAL), ("half_mse", "tanh", YREAL),
    ("mse", "sigmoid", Y01), ("binary_crossentropy", "sigmoid", Y01),
])
def test_backprop_matches_finite_differences(hidden_act, loss, output, y):
    net = _net(activation=hidden_act, output_activation=output, seed=3)
    result = gradcheck.check(net, X, y, losses.get(loss))
    assert result.relative_error < 1e-6


@pytest.mark.parametrize("loss", ["categorical_crossentropy", "mse"])
def test_backprop_through_softmax_output(loss):
    y = np.eye(3)[RNG.integers(0, 3, 6)]
    net = _net(output_units=3, output_activation="softmax", activation="tanh", seed=1)
    assert gradcheck.check(net, X, y, losses.get(loss)).relative_error < 1e-6


def test_backprop_with_l1_and_l2_penalties():
    net = _net(activation="tanh", output_activation="sigmoid", l1=0.01, l2=0.02, seed=5)
    assert net.penalty() > 0
    assert gradcheck.check(net, X, Y01, losses.BINARY_CROSSENTROPY).relative_error < 1e-6


def test_a_broken_backprop_fails_the_gradient_check():
    """The check can fail: double one gradient and the relative error is large."""
    net = _net(activation="tanh", seed=2)
    result = gradcheck.check(net, X, Y01, losses.MSE)
    result.backprop[0] = result.backprop[0] * 2
    assert result.relative_error > 1e-3


def test_forward_keeps_z_and_a_per_layer_in_course_notation():
    net = _net(activation="relu", seed=0)
    fwd = net.forward(X)
    assert len(fwd.z) == 3 and len(fwd.a) == 4
    np.testing.assert_allclose(fwd.z[0], X @ net.layers[0].W + net.layers[0].b)
    np.testing.assert_allclose(fwd.a[1], np.maximum(fwd.z[0], 0))


def test_weights_use_keras_layout_and_round_trip():
    net = _net(seed=4)
    shapes = [w.shape for w in net.get_weights()]
    assert shapes == [(3, 4), (4,), (4, 3), (3,), (3, 1), (1,)]
    other = _net(seed=9)
    other.set_weights(net.get_weights())
    for a, b in zip(other.get_weights(), net.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="Expected 6"):
        other.set_weights(net.get_weights()[:2])


def test_course_001_network_has_218058_parameters():
    # 784·256+256 + 256·64+64 + 64·10+10 = 218,058 (n_in·n_out weights + n_out biases per Dense layer; course
    # 001's model.summary() shows the same): python -c "print(784*256+256 + 256*64+64 + 64*10+10)"
    spec = NetworkSpec(n_inputs=784, hidden=(256, 64), output_units=10, output_activation="softmax")
    assert spec.param_count() == 218_058
    assert MLP.from_spec(spec).param_count() == 218_058


def test_course_002_network_has_101770_parameters():
    # 784·128+128 + 128·10+10 = 101,770 (dropout has none): python -c "print(784*128+128 + 128*10+10)"
    spec = NetworkSpec(n_inputs=784, hidden=(128,), activation="relu", dropout=0.2,
                       output_units=10, output_activation="softmax")
    net = MLP.from_spec(spec)
    assert net.param_count() == 101_770
    assert "dropout_1" in net.summary() and "101,770" in net.summary()


def test_dropout_zeroes_and_rescales_only_while_training():
    net = MLP.from_spec(NetworkSpec(n_inputs=3, hidden=(200,), activation="relu", dropout=0.5,
                                    initializer="ones", bias_initializer="ones"))
    x = np.ones((1, 3))
    train_a = net.forward(x, training=True, rng=np.random.default_rng(0)).a[1]
    assert 0.35 < np.mean(train_a == 0) < 0.65
    np.testing.assert_allclose(train_a[train_a > 0], 8.0)     # (3 + 1) / (1 - 0.5)
    np.testing.assert_allclose(net.forward(x).a[1], 4.0)


def test_initialisers_follow_keras_semantics():
    rng = np.random.default_rng(0)
    from nncore.engine.initializers import initialize
    W = initialize("glorot_uniform", (300, 200), rng)
    assert np.abs(W).max() <= np.sqrt(6 / 500)
    W = initialize("he_normal", (400, 300), rng)
    assert np.abs(W).max() <= 2 * np.sqrt(2 / 400) / 0.8796 + 1e-9
    assert np.std(W) == pytest.approx(np.sqrt(2 / 400), rel=0.05)
    W = initialize("random_normal", (200, 200), rng, mean=0.75, stddev=0.01)
    assert np.mean(W) == pytest.approx(0.75, abs=1e-3) and np.std(W) == pytest.approx(0.01, rel=0.05)


def test_xor_data_is_the_course_table():
    x, y = datasets.xor()
    assert x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.ravel().tolist() == [0, 1, 1, 0]


# ---- a different activation, dropout rate and L2 rate per layer ----------------------------------------
MIXED = dict(hidden=(4, 3, 2), activations=("relu", "tanh", "sigmoid"), l2s=(0.03, 0.0, 0.1), l2=0.02)


def test_forward_uses_each_layers_own_activation():
    net = _net(**MIXED, seed=0)
    fwd = net.forward(X)
    assert [layer.activation.name for layer in net.layers] == ["relu", "tanh", "sigmoid", "sigmoid"]
    np.testing.assert_allclose(fwd.a[1], np.maximum(fwd.z[0], 0))          # a^1 = relu(z^1)
    np.testing.assert_allclose(fwd.a[2], np.tanh(fwd.z[1]))                 # a^2 = tanh(z^2)
    np.testing.assert_allclose(fwd.a[3], 1 / (1 + np.exp(-fwd.z[2])))       # a^3 = σ(z^3)


def test_each_layer_adds_its_own_l2_penalty_to_the_cost():
    net = _net(**MIXED, seed=0)
    assert [layer.l2 for layer in net.layers] == [0.03, 0.0, 0.1, 0.02]
    expected = sum(lam * np.sum(layer.W ** 2) for lam, layer in zip((0.03, 0.0, 0.1, 0.02), net.layers))
    assert net.penalty() == pytest.approx(expected)
    assert net.penalty() != pytest.approx(0.02 * sum(np.sum(layer.W ** 2) for layer in net.layers))


@pytest.mark.parametrize("loss,y", [("binary_crossentropy", Y01), ("mse", Y01)])
def test_backprop_with_mixed_activations_and_per_layer_l2_matches_finite_differences(loss, y):
    net = _net(**MIXED, l1=0.005, seed=6)
    assert gradcheck.check(net, X, y, losses.get(loss)).relative_error < 1e-6


def test_gradient_check_fails_when_a_layers_own_l2_is_ignored_in_backprop():
    """The check can see a per-layer λ: backprop with layer 3's λ swapped for the output's fails it."""
    net = _net(**MIXED, seed=6)
    numeric = gradcheck.numeric_gradient(lambda: net.loss(X, Y01, losses.MSE), net.parameters())
    net.layers[2].l2 = 0.02
    wrong = gradcheck.GradCheck(numeric, net.gradients(X, Y01, losses.MSE).as_list())
    assert wrong.relative_error > 1e-3


def test_dropout_is_per_layer_and_shows_in_the_summary():
    net = _net(hidden=(4, 3), dropouts=(0.0, 0.3), seed=0)
    assert [layer.dropout for layer in net.layers] == [0.0, 0.3, 0.0]
    assert "dropout_1" not in net.summary() and "dropout_2 (0.3)" in net.summary()
