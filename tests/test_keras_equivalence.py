"""The numpy engine against Keras: same weights, data and optimiser → same weights after 100 steps."""
import dataclasses
import functools
import subprocess
import sys

import numpy as np
import pytest

from nncore.data import datasets
from nncore.engine import optimizers, training
from nncore.engine.network import MLP
from nncore.engine.specs import NetworkSpec, TrainSpec
from nncore.keras import bridge as keras_bridge

XOR = datasets.xor()
BLOBS = datasets.toy("moons", n=40, noise=0.1, seed=3)

CASES = [
    # (data, network, training)
    (XOR, NetworkSpec(hidden=(4,), activation="tanh"), TrainSpec(optimizer="sgd", lr=0.5)),
    (XOR, NetworkSpec(hidden=(4,), activation="relu"), TrainSpec(optimizer="momentum", lr=0.1, momentum=0.9)),
    # Adam's step is ~α whatever the gradient: keep α so that weights stay O(1) and an absolute tolerance
    # is meaningful (Keras's float32 β2, 0.99900001, see the test).
    (XOR, NetworkSpec(hidden=(3,), activation="sigmoid"), TrainSpec(optimizer="adam", lr=0.01, loss="mse")),
    (XOR, NetworkSpec(hidden=(4,), activation="tanh", l2=0.01), TrainSpec(optimizer="adam", lr=0.05)),
    (BLOBS, NetworkSpec(hidden=(8, 8), activation="tanh"), TrainSpec(optimizer="sgd", lr=0.3)),
    (BLOBS, NetworkSpec(hidden=(8, 8), activation="relu", l2=0.005),
     TrainSpec(optimizer="momentum", lr=0.05, momentum=0.8)),
    (BLOBS, NetworkSpec(hidden=(8, 8), activation="sigmoid", l2=0.01), TrainSpec(optimizer="adam", lr=0.02)),
    (BLOBS, NetworkSpec(hidden=(6,), activation="leaky_relu", leaky_alpha=0.1),
     TrainSpec(optimizer="nesterov", lr=0.05)),
    (BLOBS, NetworkSpec(hidden=(6,), activation="tanh"), TrainSpec(optimizer="rmsprop", lr=0.01)),
    (BLOBS, NetworkSpec(hidden=(6,), activation="tanh", l1=0.001), TrainSpec(optimizer="adagrad", lr=0.1)),
    # A different activation and L2 rate per layer (the output layer's λ is l2).
    (BLOBS, NetworkSpec(hidden=(8, 6, 4), activations=("relu", "tanh", "sigmoid"), l2s=(0.01, 0.0, 0.005), l2=0.002),
     TrainSpec(optimizer="momentum", lr=0.05, momentum=0.8)),
    (XOR, NetworkSpec(hidden=(4, 3), activations=("tanh", "leaky_relu"), l2s=(0.0, 0.02), leaky_alpha=0.1),
     TrainSpec(optimizer="adam", lr=0.02)),
]


def _ids():
    return [f"{t.optimizer}-{'/'.join(n.layer_activations()[:-1])}-l2={'/'.join(map(str, n.layer_l2s()))}"
            f"-{len(d[0])}pts" for d, n, t in CASES]


@pytest.fixture
def keras_float64():
    """Keras computing in float64, as numpy does, for models built in the test; float32 again afterwards."""
    k = keras_bridge.keras()
    before, policy = k.config.floatx(), k.config.dtype_policy()   # the policy is cached by the first model built
    k.config.set_floatx("float64")
    k.config.set_dtype_policy("float64")
    try:
        yield k
    finally:
        k.config.set_floatx(before)
        k.config.set_dtype_policy(policy)


def _float32_exact(value):
    """The nearest number a float32 holds exactly (a tuple element-wise)."""
    if isinstance(value, tuple):
        return tuple(_float32_exact(v) for v in value)
    return float(np.float32(value))


@pytest.mark.parametrize("data,net_spec,train_spec", CASES, ids=_ids())
def test_numpy_and_keras_agree_after_100_steps(data, net_spec, train_spec, keras_float64, monkeypatch):
    """Keras in float64 (in float32 the runs part by up to ~2e-5 in 100 steps) from the same start: the
    weights agree to 1e-9.

    Even in float64 Keras rounds some settings through float32 (``ops.cast(0.999, "float64")`` is
    0.9990000128746033): momentum μ, the L1/L2 rates λ, LeakyReLU's α, Adam's β1 and β2 (in its bias
    correction only) and Adagrad's starting accumulator 0.1. Each alone parts the runs by 1e-9 to 1e-5, so
    both sides get here values that a float32 holds exactly: in the specs, and as the two optimisers' defaults
    (after checking that numpy's defaults are Keras's)."""
    k = keras_float64
    for name, keras_default, numpy_default in [
            ("Adam", k.optimizers.Adam(), optimizers.Adam()),
            ("Adagrad", k.optimizers.Adagrad(), optimizers.Adagrad())]:
        kd, nd = keras_default.get_config(), vars(numpy_default)
        assert (kd["learning_rate"], kd["epsilon"]) == (nd["lr"], nd["epsilon"]), name
        if name == "Adam":
            assert (kd["beta_1"], kd["beta_2"]) == (nd["beta_1"], nd["beta_2"])
            exact = dict(beta_1=_float32_exact(kd["beta_1"]), beta_2=_float32_exact(kd["beta_2"]))
        else:
            assert kd["initial_accumulator_value"] == nd["initial"]
            exact = dict(initial_accumulator_value=_float32_exact(kd["initial_accumulator_value"]))
        for module in (k.optimizers, optimizers):
            monkeypatch.setattr(module, name, functools.partial(getattr(module, name), **exact))
    net_spec = dataclasses.replace(net_spec, **{f: _float32_exact(getattr(net_spec, f))
                                                for f in ("leaky_alpha", "l1", "l2", "l2s")})
    x, y = data
    train_spec = TrainSpec(**{**train_spec.__dict__, "mode": "batch", "epochs": 100, "shuffle": False,
                              "momentum": _float32_exact(train_spec.momentum)})
    net = MLP.from_spec(net_spec)
    model = keras_bridge.build_model(net_spec, train_spec)
    keras_bridge.to_keras(net, model)
    for a, b in zip(model.get_weights(), net.get_weights()):
        assert a.dtype == np.float64
        np.testing.assert_array_equal(a, b)

    snaps = training.run(net, x, y, train_spec)
    assert snaps[-1].status == "finished"
    for _ in range(100):
        keras_loss = model.train_on_batch(x.astype("float64"), y.astype("float64"))
    for k_w, n_w in zip(model.get_weights(), net.get_weights()):
        np.testing.assert_allclose(k_w, n_w, rtol=0, atol=1e-9)
    moved = max(np.abs(w - w0).max() for w, w0 in zip(net.get_weights(), MLP.from_spec(net_spec).get_weights()))
    assert moved > 1e-2, "the weights must have moved for the comparison to mean anything"
    assert snaps[-1].train_loss == pytest.approx(float(np.ravel(keras_loss)[0]), abs=1e-9)


def test_weights_copy_back_from_keras():
    spec = NetworkSpec(hidden=(5,))
    model = keras_bridge.build_model(spec)
    net = MLP.from_spec(spec)
    keras_bridge.from_keras(model, net)
    for a, b in zip(model.get_weights(), net.get_weights()):
        np.testing.assert_allclose(a, b)


# params: Σ n_in·n_out + n_out over the Dense layers (dropout has none): 784·128+128 + 128·10+10 = 101,770,
# 784·256+256 + 256·64+64 + 64·10+10 = 218,058, 2·2+2 + 2·1+1 = 9, 2·3+3 + 3·3+3 + 3·1+1 = 25; the test also
# counts them with Keras (count_params).
@pytest.mark.parametrize("net_spec,train_spec,params", [
    (NetworkSpec(n_inputs=784, hidden=(128,), activation="relu", dropout=0.2, output_units=10,
                 output_activation="softmax"), TrainSpec(loss="categorical_crossentropy", optimizer="adam"), 101_770),
    (NetworkSpec(n_inputs=784, hidden=(256, 64), activation="relu", output_units=10, output_activation="softmax"),
     TrainSpec(loss="categorical_crossentropy", optimizer="sgd"), 218_058),
    (NetworkSpec(hidden=(2,), activation="relu", initializer="random_normal", init_mean=0.75, init_stddev=0.01),
     TrainSpec(loss="mse", optimizer="adam", lr=0.001), 9),
    (NetworkSpec(hidden=(3, 3), activation="leaky_relu", l1=0.01, l2=0.01),
     TrainSpec(optimizer="nesterov", mode="stochastic"), 25),
    (NetworkSpec(hidden=(8, 4, 2), activations=("relu", "leaky_relu", "tanh"), dropouts=(0.2, 0.0, 0.1),
                 l2s=(0.001, 0.0, 0.01)), TrainSpec(optimizer="sgd"), 24 + 36 + 10 + 3),
])
def test_exported_keras_code_runs_and_builds_the_model(tmp_path, net_spec, train_spec, params):
    code = keras_bridge.export_code(net_spec, train_spec)
    script = tmp_path / "model.py"
    script.write_text(code + "\nprint('PARAMS', model.count_params())\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                         env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"PARAMS {params}" in out.stdout
    assert keras_bridge.build_model(net_spec, train_spec).count_params() == params


def test_importing_nncore_does_not_import_tensorflow():
    code = ("import sys, nncore, nncore.keras.bridge, nncore.engine.training, nncore.engine.specs, "
            "nncore.data.datasets;"
            "print('tensorflow' in sys.modules, 'keras' in sys.modules, 'streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False", "False"]


def test_built_model_has_each_layers_activation_dropout_and_l2():
    spec = NetworkSpec(hidden=(8, 4), activations=("relu", "tanh"), dropouts=(0.25, 0.0), l2s=(0.001, 0.0), l2=0.01)
    model = keras_bridge.build_model(spec)
    dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"]
    assert [d.activation.__name__ for d in dense] == ["relu", "tanh", "sigmoid"]
    assert [float(d.kernel_regularizer.l2) if d.kernel_regularizer else 0.0 for d in dense] == \
        pytest.approx([0.001, 0.0, 0.01])
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dropout", "Dense", "Dense"]
    assert model.layers[1].rate == 0.25
    code = keras_bridge.export_code(spec, TrainSpec())
    assert "activation='relu'" in code and "activation='tanh'" in code
    assert "keras.layers.Dropout(rate=0.25)" in code and code.count("Dropout") == 1
    assert "kernel_regularizer=keras.regularizers.L2(l2=0.001)" in code
