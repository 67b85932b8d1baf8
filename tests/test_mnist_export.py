"""The MNIST page's "🐍 Keras code" and "🔥 PyTorch code" (nncore.export.mnist), run for real.

The Keras script runs under the venv's Python (TensorFlow), the PyTorch script under the system Python with
Debian's python3-torch (``make torch``), each in a subprocess. For each model (two of the course's dense presets,
a dense network with leaky ReLU, the "small-cnn" preset and a mixed list with batch norm and dropout) both
build the model without training and report its parameter count, which must equal nnplay's own
(``param_count()``, computed from the spec). Then each script's training part (``main``) runs once on a tiny
fake MNIST passed in (60 training and 20 test digits of random ink: no download, no full set), so the whole
script, data preparation, fit, validation and test included, is known to run. Without torch on the system
Python these tests fail (``tests/test_torch_export.py`` says why first).
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from nncore.engine import conv_specs
from nncore.export import mnist as mnist_export
from nncore.keras import bridge
from nncore.lessons import mnist_lab as lab
from tests.test_torch_export import SYSTEM_PYTHON, run_exported

ROOT = Path(__file__).resolve().parent.parent
MIXED = ("conv(8, 3, padding=same), bn, pool(2), dropout(0.25), conv(16, 3, stride=2, activation=tanh), bn, "
         "flatten, dense(32), bn, dropout(0.3)")
MODELS = {
    "course-002 preset": (lab.PRESETS["course-002"].network(), lab.PRESETS["course-002"].training()),
    "course-001 preset": (lab.PRESETS["course-001"].network(), lab.PRESETS["course-001"].training()),
    "784-64-32-10 leaky ReLU, dropout, RMSprop": (lab.network_spec((64, 32), "leaky_relu", 0.1, seed=3),
                                                  lab.train_spec("rmsprop", 0.003, 16, 2, 0.2, seed=3)),
    "small-cnn preset": (lab.PRESETS["small-cnn"].network(), lab.PRESETS["small-cnn"].training()),
    "mixed list: conv, batch norm, dropout, dense": (conv_specs.layer_list_spec(MIXED, seed=1),
                                                     lab.train_spec("momentum", 0.01, 16, 3, 0.2, seed=1)),
}
N_TRAIN = 8000


def codes():
    return {name: mnist_export.export(net, train, N_TRAIN) for name, (net, train) in MODELS.items()}


def fake_mnist(seed=0):
    """A tiny stand-in for keras.datasets.mnist.load_data(): uint8 images (n, 28, 28) and labels 0…9."""
    rng = np.random.default_rng(seed)
    return ((rng.integers(0, 256, (60, 28, 28), dtype=np.uint8), np.arange(60) % 10),
            (rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), np.arange(20) % 10))


# Each exported file imported as a module (not as __main__), then ``BODY``: its JSON on the last stdout line.
KERAS_DRIVER = """
import importlib.util, json, os, sys
import numpy as np
out = []
data = np.load(sys.argv[1])
fake = ((data["x_train"], data["y_train"]), (data["x_test"], data["y_test"]))
for i, path in enumerate(sys.argv[2:]):
    spec = importlib.util.spec_from_file_location(f"exported_{i}", path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    count = m.build_model().count_params()              # the model alone, no training
    model, history, test_accuracy = m.main(fake, epochs=1)
    out.append([count, model.count_params(), history.history["loss"][0], history.history["val_accuracy"][0],
                test_accuracy])
print(json.dumps(out))
"""

TORCH_BODY = """
import numpy as np
data = np.load(payload["npz"])
fake = ((data["x_train"], data["y_train"]), (data["x_test"], data["y_test"]))
out = []
for m in mods:
    model = m.Net()                                      # the model alone, no training
    count = getattr(m, "keras_param_count", lambda net: sum(p.numel() for p in net.parameters()))(model)
    trained, test_accuracy = m.main(fake, epochs=1)
    p = trained.predict(torch.rand(3, 28, 28))
    out.append([count, test_accuracy, list(p.shape), p.sum(dim=1).tolist()])
print(json.dumps(out))
"""


def run_keras(code_texts, npz):
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, code in enumerate(code_texts):
            paths.append(os.path.join(tmp, f"keras_{i}.py"))
            Path(paths[-1]).write_text(code)
        driver = os.path.join(tmp, "driver.py")
        Path(driver).write_text(KERAS_DRIVER)
        proc = subprocess.run([sys.executable, driver, npz, *paths], capture_output=True, text=True, timeout=600,
                              cwd=tmp, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, f"the Keras code failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def fake_npz():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mnist.npz")
        (x_train, y_train), (x_test, y_test) = fake_mnist()
        np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        yield path


@pytest.fixture(scope="module")
def keras_results(fake_npz):
    return run_keras([c.keras for c in codes().values()], fake_npz)


@pytest.fixture(scope="module")
def torch_results(fake_npz):
    return run_exported([c.torch for c in codes().values()], TORCH_BODY, {"npz": fake_npz})


def nnplay_counts():
    return [net.param_count() for net, _ in MODELS.values()]


@pytest.mark.keras
def test_the_keras_code_builds_nnplays_parameter_count_and_its_training_part_runs(keras_results):
    assert len(MODELS) >= 5 and [r[0] for r in keras_results] == nnplay_counts()
    for count, trained_count, loss, val_accuracy, test_accuracy in keras_results:
        assert trained_count == count
        assert np.isfinite(loss) and 0 <= val_accuracy <= 1 and 0 <= test_accuracy <= 1


@pytest.mark.system
def test_the_pytorch_code_builds_nnplays_parameter_count_and_its_training_part_runs(torch_results):
    assert [r[0] for r in torch_results] == nnplay_counts()
    for _, test_accuracy, shape, sums in torch_results:
        assert 0 <= test_accuracy <= 1 and shape == [3, 10] and np.allclose(sums, 1.0)


@pytest.mark.system
@pytest.mark.keras
def test_keras_and_pytorch_code_report_the_same_count_as_kerass_own_model(keras_results, torch_results):
    """Both scripts and the model nnplay itself builds (bridge) count the same parameters."""
    own = [(bridge.build_layer_model(net) if lab.is_layer_list(net) else bridge.build_model(net)).count_params()
           for net, _ in MODELS.values()]
    assert [r[0] for r in keras_results] == [r[0] for r in torch_results] == own


@pytest.mark.system
def test_the_pytorch_script_runs_as_a_student_runs_it(fake_npz):
    """``python3 nnplay_mnist_torch.py`` in a folder holding mnist.npz (here the fake one): load, train, test."""
    code = mnist_export.export(*MODELS["small-cnn preset"], N_TRAIN).torch.replace("EPOCHS = 5", "EPOCHS = 1")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "mnist.npz").write_bytes(Path(fake_npz).read_bytes())
        Path(tmp, "net.py").write_text(code)
        out = subprocess.run([SYSTEM_PYTHON, "net.py"], cwd=tmp, capture_output=True,
                             text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Parameters: 12810" in out.stdout and "epoch 1/1: J = " in out.stdout and "Test accuracy:" in out.stdout


def test_the_scripts_carry_the_pages_settings():
    net, train = MODELS["mixed list: conv, batch norm, dropout, dense"]
    code = mnist_export.export(net, train, 1500)
    for text in (code.keras, code.torch):
        assert "N_TRAIN = 1500" in text and "EPOCHS = 3" in text and "BATCH_SIZE = 16" in text
        assert "VAL_SPLIT = 0.2" in text and "def main(data=None, epochs=EPOCHS):" in text
        assert f"{net.param_count():,} parameters" in text
    assert "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)" in code.keras
    assert "keras.Input(shape=(28, 28, 1))" in code.keras and "x.reshape(-1, 28, 28, 1) / 255.0" in code.keras
    assert "keras.layers.Conv2D(16, 3, strides=2, activation='tanh')," in code.keras
    assert "keras.layers.BatchNormalization()," in code.keras and "keras.layers.Dropout(0.3)," in code.keras
    assert "keras.datasets.mnist" in code.keras and "model.evaluate(x_test, y_test" in code.keras
    assert "torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)" in code.torch
    assert "torch.manual_seed(1)" in code.torch and mnist_export.MNIST_URL in code.torch
    dense = mnist_export.export(*MODELS["course-002 preset"], N_TRAIN)
    assert "keras.Input(shape=(28, 28)),\n        keras.layers.Flatten()," in dense.keras
    assert "keras.layers.Dense(128, activation='relu'),\n        keras.layers.Dropout(0.2)," in dense.keras
    assert "keras.layers.Dense(10, activation='softmax')," in dense.keras
    assert "self.flatten = torch.nn.Flatten()" in dense.torch and "torch.nn.Dropout(0.2)" in dense.torch


@pytest.mark.parametrize("optimizer", lab.OPTIMIZERS)
def test_the_keras_optimiser_is_the_one_the_keras_bridge_writes(optimizer):
    """One optimiser line for the playground's export (bridge) and the MNIST one: they must not drift apart."""
    train = lab.train_spec(optimizer, 0.03)
    written = bridge.export_code(lab.network_spec((8,)), train)
    assert f"optimizer={mnist_export.keras_optimizer(train)}," in written


def test_exporting_imports_neither_tensorflow_nor_torch():
    check = ("import sys; from nncore.export import mnist; from nncore.lessons import mnist_lab as lab; "
             "p = lab.PRESETS['small-cnn']; mnist.export(p.network(), p.training(), 8000); "
             "print('torch' in sys.modules, 'tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"], out.stderr


@pytest.mark.parametrize("slug", ["small-cnn", "course-003"])
def test_the_mnist_page_shows_both_exports_with_a_download_each(slug):
    from tests import pages

    at = pages.open_page("mnist", {"preset": slug})
    assert not at.exception and not at.error
    preset = lab.PRESETS[slug]
    expected = mnist_export.export(preset.network(), preset.training(), preset.n_train)
    shown = {e.label: [c.value.strip() for c in e.code] for e in at.expander if e.label in ("🐍 Keras code",
                                                                                            "🔥 PyTorch code")}
    assert shown == {"🐍 Keras code": [expected.keras.strip()], "🔥 PyTorch code": [expected.torch.strip()]}
    buttons = {b.proto.label: b.proto.id for b in at.get("download_button")}
    assert "⬇ The Keras code (.py)" in buttons and "⬇ The PyTorch code (.py)" in buttons
