"""The numpy engine against Keras: same weights, data and optimiser → same weights after 100 steps."""
import subprocess
import sys

import numpy as np
import pytest

from nncore.data import datasets
from nncore.keras import bridge as keras_bridge
from nncore.engine import training
from nncore.engine.network import MLP
from nncore.engine.specs import NetworkSpec, TrainSpec

XOR = datasets.xor()
BLOBS = datasets.toy("moons", n=40, noise=0.1, seed=3)

CASES = [
    # (data, network, training)
    (XOR, NetworkSpec(hidden=(4,), activation="tanh"), TrainSpec(optimizer="sgd", lr=0.5)),
    (XOR, NetworkSpec(hidden=(4,), activation="relu"), TrainSpec(optimizer="momentum", lr=0.1, momentum=0.9)),
    # Adam's step is ~α whatever the gradient, and Keras's float32 β2 (0.99900001) shifts its bias
    # correction by ~1e-5 relative: keep α so that weights stay O(1) and 1e-5 absolute is meaningful.
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


@pytest.mark.parametrize("data,net_spec,train_spec", CASES, ids=_ids())
def test_numpy_and_keras_agree_after_100_steps(data, net_spec, train_spec):
    x, y = data
    train_spec = TrainSpec(**{**train_spec.__dict__, "mode": "batch", "epochs": 100, "shuffle": False})
    net = MLP.from_spec(net_spec)
    model = keras_bridge.build_model(net_spec, train_spec)
    keras_bridge.to_keras(net, model)
    for a, b in zip(model.get_weights(), net.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-7)

    snaps = training.run(net, x, y, train_spec)
    assert snaps[-1].status == "finished"
    xf, yf = x.astype("float32"), y.astype("float32")
    for _ in range(100):
        keras_loss = model.train_on_batch(xf, yf)
    for k, n in zip(model.get_weights(), net.get_weights()):
        np.testing.assert_allclose(k, n, atol=1e-5)
    moved = max(np.abs(w - w0).max() for w, w0 in zip(net.get_weights(), MLP.from_spec(net_spec).get_weights()))
    assert moved > 1e-2, "the weights must have moved for the comparison to mean anything"
    assert snaps[-1].train_loss == pytest.approx(float(np.ravel(keras_loss)[0]), abs=1e-3)


def test_weights_copy_back_from_keras():
    spec = NetworkSpec(hidden=(5,))
    model = keras_bridge.build_model(spec)
    net = MLP.from_spec(spec)
    keras_bridge.from_keras(model, net)
    for a, b in zip(model.get_weights(), net.get_weights()):
        np.testing.assert_allclose(a, b)


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
    code = ("import sys, nncore, nncore.keras.bridge, nncore.engine.training, nncore.engine.specs, nncore.data.datasets;"
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
