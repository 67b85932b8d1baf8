"""The MNIST page's set-up → the same network and training as Keras code and as PyTorch code.

Both scripts follow course 002's five steps for MNIST: import, load the data (60,000 training and 10,000 test
digits of 28 × 28 pixels), scale the pixels to 0…1 (x / 255.0), build the model, compile it (the page's
optimiser and α, categorical cross-entropy J = −Σ_k y_k log a^L_k on one-hot labels), fit it (the page's
epochs, batch size, validation share and its first ``n_train`` digits), evaluate it on the test digits.

Each script is built so that a test (or a student) can use its parts without training:
``build_model()`` (Keras) / ``Net()`` (PyTorch) makes the model; ``main(data=None, epochs=EPOCHS)`` trains and
evaluates, on ``data`` = ((x_train, y_train), (x_test, y_test)) when given (uint8 images (n, 28, 28) and
labels 0…9, as ``keras.datasets.mnist.load_data()`` returns them), else on MNIST itself; running the file
(``python file.py``) calls ``main()``. The PyTorch script reads the same ``mnist.npz`` Keras downloads, with
numpy only (no torchvision), so both train on the same digits in the same order.

The dense models (``NetworkSpec``: 784 → hidden → 10) and the layer lists (``conv_specs.LayerListSpec``) both
export; the PyTorch network itself comes from ``nncore.export.torch_code``. Nothing here imports TensorFlow or
torch: it only writes text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from nncore.engine.conv_specs import INPUT_SHAPE, OUTPUT_UNITS
from nncore.engine.specs import TrainSpec
from nncore.export import torch_code
from nncore.lessons import mnist_lab as lab

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"   # keras.datasets.mnist's file
KERAS_FILE = "nnplay_mnist_keras.py"
TORCH_FILE = "nnplay_mnist_torch.py"


@dataclass(frozen=True)
class MnistCode:
    """The page's model as two runnable scripts, with their file names for a download."""

    keras: str
    torch: str
    keras_file: str = KERAS_FILE
    torch_file: str = TORCH_FILE


def export(net, train: TrainSpec, n_train: int) -> MnistCode:
    """Both scripts for the page's network ``net`` (a dense ``NetworkSpec`` or a ``LayerListSpec``), trained
    as ``train`` says on the first ``n_train`` training digits."""
    return MnistCode(keras_code(net, train, n_train), pytorch_code(net, train, n_train))


def _header(net, train: TrainSpec, n_train: int) -> List[str]:
    return [f"The MNIST page's network: {lab.architecture(net)}, {net.param_count():,} parameters "
            "(as Keras's model.count_params() counts them).",
            f"Training as on the page: {lab.OPTIMIZER_LABELS.get(train.optimizer, train.optimizer)}, "
            f"α = {train.lr:g}, categorical cross-entropy, {train.epochs} epochs, batches of {train.batch_size}, "
            f"the first {n_train:,} training digits with the last {train.val_split:.0%} kept for validation."]


def _settings(net, train: TrainSpec, n_train: int, seed: bool = True) -> List[str]:
    return [*([f"SEED = {train.seed}"] if seed else []),
            f"N_TRAIN = {int(n_train)}  # the page trained on the first {int(n_train):,} digits; None: all 60,000",
            f"EPOCHS = {train.epochs}",
            f"BATCH_SIZE = {train.batch_size}",
            f"VAL_SPLIT = {train.val_split!r}  # the last share of the training digits: validation, never trained on"]


def _shape(net) -> Tuple[int, ...]:
    """One image as the model takes it: (28, 28) for a dense model (Flatten first), (28, 28, 1) for a list."""
    return INPUT_SHAPE if lab.is_layer_list(net) else INPUT_SHAPE[:2]


# ---- Keras ------------------------------------------------------------------------------------------
def _keras_args(name: str, kw: dict) -> str:
    """A layer's arguments as the course writes them: the size first, Keras's defaults left out."""
    kw = dict(kw)
    first = {"Dense": "units", "Conv2D": "filters", "MaxPooling2D": "pool_size", "Dropout": "rate"}.get(name)
    args = [repr(kw.pop(first))] if first in kw else []
    if name == "Conv2D":
        args.append(repr(kw.pop("kernel_size")))
    defaults = {"kernel_initializer": "glorot_uniform", "bias_initializer": "zeros", "strides": 1,
                "padding": "valid"}
    args += [f"{k}={v!r}" for k, v in kw.items() if defaults.get(k, object()) != v]
    return ", ".join(args)


def _keras_layers(net) -> List[str]:
    """The model's layers as ``keras.layers`` calls (the same lists ``nncore.keras.bridge`` builds)."""
    from nncore.keras.bridge import _layer_calls, _list_layer_calls  # plain data, no TensorFlow

    if lab.is_layer_list(net):
        calls = _list_layer_calls(net)
    else:
        calls = [("Flatten", {})]            # course 002: Flatten (28 × 28 → 784), then the Dense layers
        for name, kw in _layer_calls(net):
            if "kernel_regularizer" in kw:
                raise torch_code.ExportError("Keras code: the MNIST page's networks have no regulariser.")
            calls.append((name, kw))
    return [f"        keras.layers.{name}({_keras_args(name, kw)})," for name, kw in calls]


def keras_optimizer(train: TrainSpec) -> str:
    """The page's optimiser as Keras code (the same call ``nncore.keras.bridge.make_optimizer`` makes)."""
    lr = train.lr
    return {"sgd": f"keras.optimizers.SGD(learning_rate={lr!r})",
            "momentum": f"keras.optimizers.SGD(learning_rate={lr!r}, momentum={train.momentum!r})",
            "nesterov": f"keras.optimizers.SGD(learning_rate={lr!r}, momentum={train.momentum!r}, nesterov=True)",
            "rmsprop": f"keras.optimizers.RMSprop(learning_rate={lr!r})",
            "adam": f"keras.optimizers.Adam(learning_rate={lr!r})",
            "adagrad": f"keras.optimizers.Adagrad(learning_rate={lr!r})"}[train.optimizer]


def keras_code(net, train: TrainSpec, n_train: int) -> str:
    """Runnable Keras code for the page's model and training, in course 002's steps."""
    shape = _shape(net)
    reshape = f"x.reshape(-1, {', '.join(map(str, shape))}) / 255.0" if len(shape) == 3 else "x / 255.0"
    return "\n".join([
        "# Generated by nnplay: the MNIST page's network in Keras (course 002's steps).",
        *(f"# {h}" for h in _header(net, train, n_train)),
        "# build_model() makes the model without training; main() loads MNIST, trains and evaluates.",
        "import keras  # Keras 3; with TensorFlow 2.x also: from tensorflow import keras",
        "",
        *_settings(net, train, n_train),
        "", "",
        "def load_data():",
        '    """2. Load the data: 60,000 training and 10,000 test digits, 28 × 28 pixels of 0…255 (fetched once)."""',
        "    mnist = keras.datasets.mnist",
        "    return mnist.load_data()",
        "", "",
        "def prepare(x, y):",
        f'    """Pixels 0…255 → 0…1 (course 002: x / 255.0), one image {" × ".join(map(str, shape))}; labels → one-hot',
        '    rows, as categorical cross-entropy reads them (course 002 keeps the labels with a sparse loss)."""',
        f"    return {reshape}, keras.utils.to_categorical(y, {OUTPUT_UNITS})",
        "", "",
        "def build_model():",
        '    """3. Build the model and 4. compile it with the optimiser, the loss and the metric."""',
        "    model = keras.Sequential([",
        f"        keras.Input(shape={shape!r}),",
        *_keras_layers(net),
        "    ])",
        f"    model.compile(optimizer={keras_optimizer(train)},",
        "                  loss='categorical_crossentropy',",
        "                  metrics=['accuracy'])",
        "    return model",
        "", "",
        "def main(data=None, epochs=EPOCHS):",
        '    """5. Fit the model on the training digits (the last VAL_SPLIT share validates), then evaluate it on',
        "    the test digits. data: ((x_train, y_train), (x_test, y_test)) as load_data() returns them; None: MNIST.",
        '    """',
        "    keras.utils.set_random_seed(SEED)  # the same start weights, dropout masks and batch order each run",
        "    (x_train, y_train), (x_test, y_test) = load_data() if data is None else data",
        "    x_train, y_train = prepare(x_train[:N_TRAIN], y_train[:N_TRAIN])",
        "    x_test, y_test = prepare(x_test, y_test)",
        "    model = build_model()",
        "    model.summary()",
        "    history = model.fit(x_train, y_train, epochs=epochs, batch_size=BATCH_SIZE, validation_split=VAL_SPLIT)",
        "    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=2)",
        '    print("Test accuracy:", test_accuracy)',
        "    return model, history, test_accuracy",
        "", "",
        'if __name__ == "__main__":',
        "    main()",
        ""])


# ---- PyTorch --------------------------------------------------------------------------------------------
def _torch_main(net, train: TrainSpec, n_train: int) -> List[str]:
    """Data loading, the page's training and the test: what follows ``torch_code``'s network and loop."""
    count = ("keras_param_count(model)" if lab.is_layer_list(net)
             else "sum(p.numel() for p in model.parameters())")
    return [
        "", "",
        "# ---- MNIST as on the page: its digits, validation share, epochs and batch size ----",
        f'MNIST_URL = "{MNIST_URL}"  # the file keras.datasets.mnist reads',
        *_settings(net, train, n_train, seed=False),  # torch.manual_seed above takes the page's seed
        "", "",
        'def load_data(path="mnist.npz"):',
        '    """MNIST as keras.datasets.mnist.load_data() gives it (the same file, the same order), downloaded once:',
        '    ((x_train, y_train), (x_test, y_test)), images (n, 28, 28) of 0…255 and labels 0…9."""',
        "    import os",
        "    import urllib.request",
        "",
        "    import numpy as np",
        "",
        "    if not os.path.exists(path):",
        "        urllib.request.urlretrieve(MNIST_URL, path)",
        "    with np.load(path) as f:",
        '        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])',
        "", "",
        "def prepare(x, y):",
        '    """Pixels 0…255 → 0…1 (x / 255.0); labels → one-hot rows, as loss_fn above reads them."""',
        "    x = torch.as_tensor(x, dtype=torch.float64) / 255.0",
        f"    y = torch.nn.functional.one_hot(torch.as_tensor(y, dtype=torch.long), {OUTPUT_UNITS}).double()",
        "    return x, y",
        "", "",
        "def accuracy(model, x, y):",
        '    """The share of digits whose most probable class a^L is the label."""',
        "    return (model.predict(x).argmax(dim=1) == y.argmax(dim=1)).double().mean().item()",
        "", "",
        "def main(data=None, epochs=EPOCHS):",
        '    """Train on the first N_TRAIN digits (the last VAL_SPLIT share validates, as Keras\'s validation_split),',
        "    then test. data: ((x_train, y_train), (x_test, y_test)) as load_data() returns them; None: MNIST.",
        '    """',
        "    (x_train, y_train), (x_test, y_test) = load_data() if data is None else data",
        "    x, y = prepare(x_train[:N_TRAIN], y_train[:N_TRAIN])",
        "    n_fit = int(len(x) * (1 - VAL_SPLIT))",
        "    x_fit, y_fit, x_val, y_val = x[:n_fit], y[:n_fit], x[n_fit:], y[n_fit:]",
        "    x_test, y_test = prepare(x_test, y_test)",
        "    model = Net()",
        "    optimizer = make_optimizer(model)",
        "    print(model)",
        f'    print("Parameters:", {count})',
        "    for epoch in range(epochs):",
        "        cost = train(model, optimizer, x_fit, y_fit, epochs=1, batch_size=BATCH_SIZE)[0]",
        '        val = f", validation accuracy {accuracy(model, x_val, y_val):.4f}" if len(x_val) else ""',
        '        print(f"epoch {epoch + 1}/{epochs}: J = {cost:.4f}{val}")',
        "    test_accuracy = accuracy(model, x_test, y_test)",
        '    print("Test accuracy:", test_accuracy)',
        "    return model, test_accuracy",
        "", "",
        'if __name__ == "__main__":',
        "    main()",
    ]


def pytorch_code(net, train: TrainSpec, n_train: int) -> str:
    """Runnable PyTorch code for the page's model and training (``torch_code``'s network and loop, then MNIST)."""
    header = _header(net, train, n_train) + [
        "Net() makes the model without training; main() loads MNIST (numpy and torch only), trains and tests."]
    main = _torch_main(net, train, n_train)
    if lab.is_layer_list(net):
        out = {"kind": "dense", "units": OUTPUT_UNITS, "activation": "softmax"}
        return torch_code.export_layers([*net.layers, out], train, input_shape=INPUT_SHAPE, header=header, main=main)
    return torch_code.export_code(net, train, image_shape=INPUT_SHAPE[:2], header=header, main=main)
