"""The "PyTorch code" export (nncore.export) run by Debian's python3-torch under the SYSTEM Python.

The exported code runs in a subprocess of /usr/bin/python3 (``make torch`` installs python3-torch there), so
the app's own requirements do not grow. Without torch there, these tests FAIL (no skip): the export is only
checked when its code runs. They are marked ``system`` (a Debian package ``make test`` installs), so
``make unit`` (no apt) leaves them out as it leaves out nginx's; the tests that only write code run everywhere.
What they check: parameter counts equal nncore's and Keras's (playground networks, the MNIST page's dense
models, convolutional layer lists), and 20 updates from the same θ₀ on the same batches give nncore's
weights to 1e-5 (full batch and mini-batches in a fixed order).
"""
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace

import numpy as np
import pytest

from nncore.engine import training
from nncore.engine.network import MLP
from nncore.engine.specs import NetworkSpec, TrainSpec
from nncore.export import playground as pg_export
from nncore.export import torch_code
from nncore.lessons import configurator as cfg
from nncore.lessons import mnist_lab as lab
from nncore.lessons import playground_lab as pg

SYSTEM_PYTHON = "/usr/bin/python3"

# A driver imports each exported file as a module (not as __main__) and runs ``BODY`` with them in ``mods``.
DRIVER = """
import importlib.util, json, sys
import torch
mods = []
for i, path in enumerate(sys.argv[2:]):
    spec = importlib.util.spec_from_file_location(f"exported_{i}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mods.append(mod)
payload = json.load(open(sys.argv[1]))
"""


def run_system_python(args, timeout=300):
    proc = subprocess.run([SYSTEM_PYTHON, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, f"{SYSTEM_PYTHON} {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def run_exported(codes, body, payload=None):
    """Write ``codes`` to files, import them under the system Python and run ``body``; its last stdout line
    is JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, code in enumerate(codes):
            paths.append(os.path.join(tmp, f"exported_{i}.py"))
            with open(paths[-1], "w") as f:
                f.write(code)
        with open(os.path.join(tmp, "payload.json"), "w") as f:
            json.dump(payload or {}, f)
        with open(os.path.join(tmp, "driver.py"), "w") as f:
            f.write(DRIVER + body)
        out = run_system_python([os.path.join(tmp, "driver.py"), os.path.join(tmp, "payload.json"), *paths])
    return json.loads(out.strip().splitlines()[-1])


def run_as_script(code):
    """The exported file run as a student runs it (``python3 file.py``); its stdout."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "network.py")
        with open(path, "w") as f:
            f.write(code)
        return run_system_python([path])


def printed_parameters(stdout: str) -> int:
    return int(next(line for line in stdout.splitlines() if line.startswith("Parameters:")).split(":")[1])


@pytest.mark.system
def test_the_system_python_imports_torch():
    """Loud, not skipped: without Debian's python3-torch nothing below can run."""
    proc = subprocess.run([SYSTEM_PYTHON, "-c", "import torch; print(torch.__version__)"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, (f"{SYSTEM_PYTHON} cannot import torch: run `make torch` (apt-get install "
                                  f"python3-torch).\n{proc.stderr[-500:]}")


# ---- parameter counts ---------------------------------------------------------------------------------
def _setup(**controls):
    data = controls.pop("data", "xor")
    features = controls.pop("features", ("x1", "x2"))
    classes = controls.pop("classes", 2)
    return pg.Setup(data=data, features=features, classes=classes, controls=cfg.Controls(**controls)).validate()


PLAYGROUND = {
    "default 2-4-2-1 tanh, MSE": _setup(),
    "xor4, N(0.75, 0.01), out_init": _setup(data="xor4", hidden=(3,), activation="relu", init="random_normal",
                                            init_mean=0.75, init_stddev=0.01, out_init="glorot_normal",
                                            optimizer="adam", lr=0.01, batch_size=4, epochs=5),
    "spiral K=4 softmax, per layer": _setup(data="spiral", classes=4, hidden=(8, 6, 5), per_layer=True,
                                            activations=("relu", "leaky_relu", "sigmoid"), dropouts=(0.2, 0, 0),
                                            l2s=(0.001, 0, 0.01), loss="categorical_crossentropy",
                                            optimizer="rmsprop", init="he_normal"),
    "plane regression, 5 features": _setup(data="plane", features=("x1", "x2", "x1sq", "x2sq", "sin(3*x1)"),
                                           hidden=(24,) * 8, activation="linear", loss="mae", optimizer="adagrad",
                                           init="he_uniform"),
    "TF Playground's rules, L1": _setup(data="tfp_circle", hidden=(4, 2), rules="tfplayground", init="tfp_uniform",
                                        loss="half_mse", reg="l1", reg_rate=0.003, bias_init=0.1),
}
MNIST = {slug: (p.network(), p.training()) for slug, p in lab.PRESETS.items()
         if isinstance(p.network(), NetworkSpec)}           # the dense presets (a CNN preset has a layer list)
MNIST["784-64-32-10 sigmoid, SGD"] = (lab.network_spec((64, 32), "sigmoid", 0.1), lab.train_spec("sgd", 0.1))


def _keras_count(spec):
    """Keras's count_params; TF Playground's U[-0.5, 0.5) is no Keras initialiser and changes no count."""
    from nncore.keras import bridge

    return bridge.build_model(replace(spec, initializer="glorot_uniform")).count_params()


# Each module: its parameter count, then one epoch of its own train() on 12 random samples (every code path
# runs: dropout, leaky ReLU, each initialiser, loss and optimiser), the epoch's cost finite.
COUNT_AND_TRAIN = """
out = []
for m, (n_in, n_out, image) in zip(mods, payload["shapes"]):
    model = m.Net()
    x = torch.rand(12, 28, 28) if image else torch.rand(12, n_in)
    y = torch.nn.functional.one_hot(torch.arange(12) % n_out, n_out).double() if n_out > 1 else torch.rand(12, 1)
    history = m.train(model, m.make_optimizer(model), x, y, epochs=1, batch_size=5)
    out.append([sum(p.numel() for p in model.parameters()), history[0]])
print(json.dumps(out))
"""


@pytest.mark.system
def test_the_exported_code_has_nncores_parameter_count_for_playground_and_mnist_networks():
    codes, expected, shapes = [], [], []
    for setup in PLAYGROUND.values():
        codes.append(pg_export.export_code(setup))
        spec = setup.network_spec()
        expected.append(spec.param_count())
        shapes.append((spec.n_inputs, spec.output_units, False))
    for spec, train in MNIST.values():
        codes.append(torch_code.export_code(spec, train, image_shape=(28, 28)))
        expected.append(spec.param_count())
        shapes.append((spec.n_inputs, spec.output_units, True))
    got = run_exported(codes, COUNT_AND_TRAIN, {"shapes": shapes})
    assert [count for count, _ in got] == expected
    assert all(np.isfinite(cost) for _, cost in got)
    assert len(MNIST) >= 3 and len(got) == len(PLAYGROUND) + len(MNIST)


@pytest.mark.system
@pytest.mark.keras
def test_keras_and_pytorch_code_for_the_same_network_report_the_same_parameter_count():
    specs = [s.network_spec() for s in PLAYGROUND.values()] + [spec for spec, _ in MNIST.values()]
    codes = [pg_export.export_code(s) for s in PLAYGROUND.values()] + [
        torch_code.export_code(spec, train) for spec, train in MNIST.values()]
    counts = run_exported(codes, "print(json.dumps([sum(p.numel() for p in m.Net().parameters()) for m in mods]))")
    assert counts == [_keras_count(s) for s in specs]


@pytest.mark.system
def test_a_four_point_export_runs_as_a_script_trains_and_prints():
    setup = PLAYGROUND["xor4, N(0.75, 0.01), out_init"]
    _, run = pg.start(setup)
    out = run_as_script(pg_export.export_code(setup, run.initial_weights))
    assert printed_parameters(out) == setup.network_spec().param_count() == 13
    assert "Linear(in_features=2, out_features=3" in out and "Pred prob:" in out and "Accuracy:" in out


@pytest.mark.system
def test_an_mnist_export_flattens_images_and_gives_probabilities():
    spec, train = MNIST["course-002"]
    code = torch_code.export_code(spec, train, image_shape=(28, 28))
    body = ("m = mods[0]; model = m.Net(); x = torch.rand(5, 28, 28); p = model.predict(x)\n"
            "print(json.dumps([list(p.shape), p.sum(dim=1).tolist(), model.training]))")
    shape, sums, training_mode = run_exported([code], body)
    assert shape == [5, 10] and np.allclose(sums, 1.0)
    assert "Dropout(0.2)" in code and "CrossEntropyLoss" in code and "self.flatten" in code


# ---- the same 20 updates as nncore ------------------------------------------------------------------
def _nncore_after(setup, steps, batch_size):
    """nncore's weights after ``steps`` updates on the set-up's training points, in their order (no shuffle)."""
    data, run = pg.start(setup)
    x, t = data.f_train, data.t_train
    spec = replace(setup.controls.train_spec(), shuffle=False, batch_size=batch_size,
                   epochs=int(np.ceil(steps * batch_size / len(x))))
    net = MLP.from_spec(setup.network_spec())
    net.set_weights(run.initial_weights)
    snaps = list(training.train(net, x, t, spec))
    assert len(snaps) == steps and snaps[-1].status in ("finished", "running")
    return x, t, run.initial_weights, net.get_weights(), spec.epochs


TRAIN_IN_TORCH = """
m = mods[0]
model = m.Net()
m.load_initial_weights(model)
opt = m.make_optimizer(model)
x = torch.tensor(payload["x"]); y = torch.tensor(payload["y"])
m.train(model, opt, x, y, epochs=payload["epochs"], batch_size=payload["batch"], shuffle=False)
# Back to Keras's layout: each kernel transposed again.
print(json.dumps([t for l in model.linear_layers() for t in (l.weight.T.tolist(), l.bias.tolist())]))
"""

STEPS = {   # name: (controls, data, classes); 50 training points (n = 100, half for test)
    "tanh, MSE, SGD": (dict(hidden=(4, 2)), "xor", 2),
    "relu + leaky, BCE from logits, L2 per layer": (dict(hidden=(5, 3), per_layer=True,
                                                        activations=("relu", "leaky_relu"), dropouts=(0, 0),
                                                        l2s=(0.01, 0.003), loss="binary_crossentropy",
                                                        reg="l2", reg_rate=0.001, lr=0.3), "circle", 2),
    "K = 3 softmax, cross-entropy, momentum": (dict(hidden=(6,), activation="sigmoid", optimizer="momentum",
                                                    loss="categorical_crossentropy", init="glorot_normal"),
                                               "blobs", 3),
    "regression, Nesterov, L1": (dict(hidden=(4,), activation="tanh", optimizer="nesterov", lr=0.03,
                                      reg="l1", reg_rate=0.001, init="he_uniform"), "plane", 2),
    "TF Playground's ½(a − t)², tanh output ±1": (dict(hidden=(4, 2), rules="tfplayground", init="tfp_uniform",
                                                      loss="half_mse", bias_init=0.1, lr=0.03), "tfp_xor", 2),
}


@pytest.mark.system
@pytest.mark.parametrize("mode", ["full batch", "mini-batches of 10 in a fixed order"])
@pytest.mark.parametrize("name", list(STEPS))
def test_20_updates_from_the_same_start_give_nncores_weights(name, mode):
    controls, data, classes = STEPS[name]
    setup = pg.Setup(data=data, n=100, test_ratio=0.5, classes=classes,
                     controls=cfg.Controls(epochs=20, **controls)).validate()
    batch = 50 if mode == "full batch" else 10
    x, t, start, expected, epochs = _nncore_after(setup, 20, batch)
    assert len(x) == 50 and not np.allclose(expected[0], start[0])      # the weights did move
    code = pg_export.export_code(setup, start)
    got = run_exported([code], TRAIN_IN_TORCH, {"x": x.tolist(), "y": np.asarray(t, float).tolist(),
                                                 "epochs": epochs, "batch": batch})
    worst = max(float(np.abs(np.asarray(g) - e).max()) for g, e in zip(got, expected))
    assert worst < 1e-5, f"{name}, {mode}: largest weight difference {worst:.2e}"


# Where PyTorch puts ε (beside √v) differs from Keras and nncore (inside the root, or before Adam's bias
# correction). Measured, 20 updates of 2-4-1 on XOR, α = 0.01: Adagrad 1.5e-9 (its accumulator starts at 0.1,
# which dwarfs ε), Adam 3.2e-4, RMSprop 2.5e-2 (weights moved up to 0.13). The bounds below are those figures
# with room, so a change in the export's update rules shows.
@pytest.mark.system
@pytest.mark.parametrize("optimizer,bound", [("adagrad", 1e-5), ("adam", 1e-3), ("rmsprop", 5e-2)])
def test_adaptive_optimisers_say_where_their_epsilon_differs_and_stay_close(optimizer, bound):
    setup = pg.Setup(data="xor", n=100, test_ratio=0.5,
                     controls=cfg.Controls(hidden=(4,), optimizer=optimizer, lr=0.01, epochs=20)).validate()
    x, t, start, expected, epochs = _nncore_after(setup, 20, 10)
    code = pg_export.export_code(setup, start)
    assert "ε" in code.split("def make_optimizer")[1].split("return")[0]
    got = run_exported([code], TRAIN_IN_TORCH, {"x": x.tolist(), "y": np.asarray(t, float).tolist(),
                                                 "epochs": epochs, "batch": 10})
    worst = max(float(np.abs(np.asarray(g) - e).max()) for g, e in zip(got, expected))
    moved = max(float(np.abs(e - s).max()) for e, s in zip(expected, start))
    assert worst < bound and worst < moved / 2, f"{optimizer}: {worst:.2e} (the weights moved {moved:.2e})"


def test_the_export_states_the_transpose_and_what_tf_playground_rules_leave_out():
    setup = PLAYGROUND["TF Playground's rules, L1"]
    _, run = pg.start(setup)
    code = pg_export.export_code(setup, run.initial_weights)
    assert "TRANSPOSE" in code and ".T)" in code
    assert "carries it into the next epoch" in code and "its L1 rule" in code
    assert "torch.nn.init.uniform_(self.layer1.weight, -0.5, 0.5)" in code
    assert "torch.nn.init.constant_(self.layer1.bias, 0.1)" in code
    assert "0.5 * ((a - t) ** 2).sum(dim=1).mean()" in code


def test_small_networks_show_their_weights_large_ones_only_in_the_download():
    small = pg.start(_setup())[1].initial_weights
    large = pg.start(PLAYGROUND["plane regression, 5 features"])[1].initial_weights
    assert pg_export.shown_weights(small) is small
    assert pg_export.shown_weights(large) is None


# ---- convolutional layer lists -------------------------------------------------------------------------------
OUT = {"kind": "dense", "units": 10, "activation": "softmax"}
CONV_LISTS = {
    "the small CNN": [{"kind": "conv2d", "filters": 16, "kernel": 3}, {"kind": "maxpool2d", "pool": 2},
                      {"kind": "conv2d", "filters": 32, "kernel": 3}, {"kind": "maxpool2d", "pool": 2},
                      {"kind": "flatten"}, OUT],
    "same, stride 2 (uneven padding), batch norm": [
        {"kind": "conv2d", "filters": 8, "kernel": 3, "stride": 2, "padding": "same"}, {"kind": "batchnorm"},
        {"kind": "conv2d", "filters": 4, "kernel": 4, "stride": 1, "padding": "same", "activation": "tanh"},
        {"kind": "maxpool2d", "pool": 3}, {"kind": "flatten"}, {"kind": "dense", "units": 32},
        {"kind": "batchnorm"}, {"kind": "dropout", "rate": 0.25}, OUT],
    "stride 3, kernel 7, pool stride": [
        {"kind": "conv2d", "filters": 6, "kernel": 7, "stride": 3, "activation": "sigmoid"},
        {"kind": "maxpool2d", "pool": 2, "stride": 1}, {"kind": "dropout", "rate": 0.5}, {"kind": "flatten"}, OUT],
}


def _keras_conv_count(layers):
    from nncore.keras import bridge

    k = bridge.keras()
    made = [k.Input(shape=(28, 28, 1))]
    for layer in layers:
        kind = layer["kind"]
        if kind == "conv2d":
            made.append(k.layers.Conv2D(layer["filters"], layer["kernel"], strides=layer.get("stride", 1),
                                        padding=layer.get("padding", "valid"),
                                        activation=layer.get("activation", "relu")))
        elif kind == "maxpool2d":
            made.append(k.layers.MaxPooling2D(layer["pool"], strides=layer.get("stride")))
        elif kind == "batchnorm":
            made.append(k.layers.BatchNormalization())
        elif kind == "dropout":
            made.append(k.layers.Dropout(layer["rate"]))
        elif kind == "flatten":
            made.append(k.layers.Flatten())
        else:
            made.append(k.layers.Dense(layer["units"], activation=layer.get("activation", "relu")))
    return k.Sequential(made).count_params()


CONV_COUNT = """
out = []
for m in mods:
    model = m.Net()
    p = model.predict(torch.rand(3, 28, 28))
    out.append([m.keras_param_count(model), list(p.shape), p.sum(dim=1).tolist()])
print(json.dumps(out))
"""


@pytest.mark.system
def test_conv_layer_lists_run_and_count_parameters_by_hand():
    train = lab.train_spec()
    got = run_exported([torch_code.export_layers(ls, train) for ls in CONV_LISTS.values()], CONV_COUNT)
    # the small CNN by hand: 3·3·1·16 + 16, 3·3·16·32 + 32, (5·5·32)·10 + 10
    assert got[0][0] == 160 + 4640 + 8010
    for _, shape, sums in got:
        assert shape == [3, 10] and np.allclose(sums, 1.0)


@pytest.mark.system
@pytest.mark.keras
def test_conv_layer_lists_count_what_keras_counts():
    train = lab.train_spec()
    got = run_exported([torch_code.export_layers(ls, train) for ls in CONV_LISTS.values()], CONV_COUNT)
    assert [g[0] for g in got] == [_keras_conv_count(ls) for ls in CONV_LISTS.values()]


def test_conv_layers_given_as_dataclasses_read_as_the_dicts():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class MaxPool:
        size: int = 2

    assert torch_code.layer_dict(MaxPool(3)) == {"kind": "maxpool2d", "pool": 3}
    with pytest.raises(torch_code.ExportError, match="not a layer"):
        torch_code.layer_dict(object())


@pytest.mark.parametrize("layers,words", [
    ([{"kind": "conv2d", "filters": 8, "kernel": 5}, {"kind": "maxpool2d", "pool": 8},
      {"kind": "conv2d", "filters": 8, "kernel": 5}, {"kind": "flatten"}, OUT], "a 5×5 kernel on a 3×3 map"),
    ([{"kind": "conv2d", "filters": 0}, {"kind": "flatten"}, OUT], "at least 1 filter"),
    ([{"kind": "maxpool2d", "pool": 29}, {"kind": "flatten"}, OUT], "pools 29×29 over a 28×28 map"),
    ([{"kind": "dense", "units": 8}, {"kind": "flatten"}, OUT], "put a Flatten before it"),
    ([{"kind": "flatten"}, {"kind": "conv2d", "filters": 8}, OUT], "comes after Flatten"),
    ([{"kind": "flatten"}], "ends with a Dense layer"),
    ([{"kind": "lstm"}, OUT], "the kinds are"),
    ([{"kind": "conv2d", "filters": 4, "padding": "full"}, {"kind": "flatten"}, OUT], "'valid' or 'same'"),
])
def test_bad_layer_lists_get_a_sentence(layers, words):
    with pytest.raises(torch_code.ExportError, match=words):
        torch_code.export_layers(layers, lab.train_spec())


def test_same_padding_is_kerass():
    assert torch_code.same_padding(28, 3, 2) == (0, 1)          # ⌈28/2⌉ = 14: one more after, as TensorFlow
    assert torch_code.same_padding(28, 3, 1) == (1, 1)
    assert torch_code.same_padding(14, 4, 1) == (1, 2)


def test_exporting_writes_text_and_imports_no_torch():
    check = ("import sys; from nncore.export import playground, torch_code; "
             "from nncore.lessons import playground_lab as pg; playground.export_code(pg.Setup()); "
             "print('torch' in sys.modules, 'tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert out.stdout.split() == ["False", "False"], out.stderr


@pytest.mark.system
def test_the_mnist_builders_layer_list_exports_with_its_output_layer():
    """The hook for the MNIST page: its conv_specs layers (dataclasses) + Dense(10, softmax), nnplay's count."""
    from nncore.engine import conv_specs

    net = conv_specs.layer_list_spec("conv(16, 3), pool(2), conv(32, 3, padding=same), bn, pool(2), flatten, "
                                     "dense(32), dropout(0.2)")
    code = torch_code.export_layers([*net.layers, OUT], lab.train_spec())
    got = run_exported([code], CONV_COUNT)
    assert got[0][0] == net.param_count()


def test_unknown_names_are_refused_with_a_sentence():
    with pytest.raises(torch_code.ExportError, match="no initialiser called 'orthogonal'"):
        torch_code.init_line("w", "orthogonal", (2, 3))
    spec = lab.network_spec((8,))
    with pytest.raises(torch_code.ExportError, match="does not fit a softmax output"):
        torch_code.export_code(spec, TrainSpec(loss="binary_crossentropy", optimizer="sgd"))
    with pytest.raises(torch_code.ExportError, match="give 100 inputs"):
        torch_code.export_code(spec, lab.train_spec(), image_shape=(10, 10))


# ---- the playground page -------------------------------------------------------------------------------------
@pytest.mark.parametrize("slug", ["xor-model-1", "tensorflow-playground", "spiral"])
def test_the_playground_page_shows_the_pytorch_code_beside_the_keras_code(slug):
    from tests import pages

    at = pages.open_page("playground", {"preset": slug})
    assert not at.exception and not at.error
    setup, run = at.session_state["pg_setup"], at.session_state["pg_run"]
    expander = next(e for e in at.expander if e.label == "🔥 PyTorch code")
    shown = [c.value.strip() for c in expander.code]
    assert shown == [pg_export.export_code(setup, pg_export.shown_weights(run.initial_weights)).strip()]
    assert "class Net(torch.nn.Module)" in shown[0]
    assert ("INITIAL_WEIGHTS" in shown[0]) == (pg_export.shown_weights(run.initial_weights) is not None)


@pytest.mark.browser
def test_in_chromium_the_pytorch_code_opens_and_its_download_runs(server, chromium):
    """Real Chromium: the Keras tab's "🔥 PyTorch code" expander opens on the code, and its download is the
    export with θ₀, which the system Python runs."""
    from nncore.lessons import presets
    from tests import browser as b

    setup = presets.get("xor-model-1").setup
    expected = pg_export.export_code(setup, pg.start(setup)[1].initial_weights)
    page = b.open_page(chromium, server.url + "/playground?preset=xor-model-1", height=2400)
    b.assert_no_exception(page)
    # no_wait_after: the clicks start no navigation to wait for (without it a click waited out its timeout once)
    page.get_by_role("tab", name="🐍 Keras: code and the same run").click(no_wait_after=True, timeout=60_000)
    page.get_by_text("🔥 PyTorch code").click(no_wait_after=True, timeout=60_000)
    page.get_by_text("class Net(torch.nn.Module):").first.wait_for(timeout=60_000)
    b.wait_ready(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="⬇ The PyTorch code with θ₀ (.py)").click(no_wait_after=True)
    with open(info.value.path()) as f:
        downloaded = f.read()
    assert info.value.suggested_filename == "nnplay_network_torch.py"
    assert downloaded == expected
    assert "Accuracy:" in run_as_script(downloaded)
    b.assert_no_exception(page)
    assert not page.errors
    page.close()
