"""What the MNIST page asks of a trained model: the network to build, its test score, its guess.

A digit classifier here is a Dense network 784 → hidden layers → 10 with softmax outputs
a^L_k = P(digit = k | image), trained on categorical cross-entropy J = −Σ_k y_k log a^L_k, or a layer
list (``nncore.engine.conv_specs``: convolutions, pooling, … on the 28 × 28 × 1 digit, then Dense(10)).
An uploaded model may instead take the images as (28, 28) or (28, 28, 1); ``model_inputs``
shapes the pixels for whichever the model expects.

Sections, in the page's order: the course's presets (course 002, 001, 003), the layer table
(parameters per layer, from the spec, without TensorFlow), the explorer (digits per class, means,
counts), training with a validation set carved from the training digits, the live curves, the
design flow (train vs validation loss, compare runs), what a trained model shows (per-class
accuracy, first-layer weights, the history as CSV), TensorFlow's own view (summary, devices) and what a
CNN sees (its filters, the feature maps of a digit, one pixel's arithmetic).
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from nncore.engine import conv_specs
from nncore.engine.conv_specs import LayerListSpec
from nncore.engine.specs import NetworkSpec, SpecError, TrainSpec

CLASSES = 10


def network_spec(hidden: Sequence[int] = (128,), activation: str = "relu", dropout: float = 0.0,
                 seed: int = 0) -> NetworkSpec:
    """784 inputs (one per pixel), the hidden layers, 10 softmax outputs; validated."""
    return NetworkSpec(n_inputs=784, hidden=tuple(hidden), activation=activation, output_units=CLASSES,
                       output_activation="softmax", initializer="glorot_uniform", dropout=dropout,
                       seed=seed).validate()


def train_spec(optimizer: str = "adam", lr: float = 0.001, batch_size: int = 32, epochs: int = 3,
               val_split: float = 0.0, seed: int = 0) -> TrainSpec:
    """Categorical cross-entropy with the chosen optimiser, α and mini-batch size; validated.

    ``val_split`` is the share of the training digits kept aside as the validation set (0 = none).
    """
    return TrainSpec(loss="categorical_crossentropy", optimizer=optimizer, lr=lr, mode="mini-batch",
                     batch_size=batch_size, epochs=epochs, val_split=val_split, seed=seed).validate()


def page_network(layers: str, hidden: str, activation: str, dropout: float, seed: int):
    """The page's network: the layer list when one is written (a LayerListSpec, 28 × 28 × 1 → … → 10),
    else the dense builder's 784 → hidden → 10 (a NetworkSpec); validated, SpecError/ValueError with a sentence."""
    if str(layers).strip():
        return conv_specs.layer_list_spec(layers, seed)
    return network_spec(parse_hidden(hidden), activation, dropout, seed)


def is_layer_list(net) -> bool:
    return isinstance(net, LayerListSpec)


# ---- the course's networks, one click each ------------------------------------------------------
OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop")
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "SGD + momentum (μ = 0.9)", "adam": "Adam", "rmsprop": "RMSprop"}
ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu")


@dataclass(frozen=True)
class Preset:
    """A network and its training, as a course writes them; ``values()`` are the page's control values."""

    slug: str
    title: str
    label: str                        # short, for a button
    hidden: Tuple[int, ...]
    activation: str = "relu"
    dropout: float = 0.0
    optimizer: str = "adam"
    lr: float = 0.001
    batch_size: int = 32
    epochs: int = 5
    val_split: float = 0.1
    n_train: int = 8000
    seed: int = 0
    story: str = ""
    course: str = ""                  # the course note and example it reproduces
    layers: str = ""                  # a layer list (nncore.engine.conv_specs); empty: the dense builder

    def values(self) -> Dict[str, object]:
        return {"layers": self.layers, "hidden": ",".join(str(u) for u in self.hidden),
                "activation": self.activation, "dropout": self.dropout, "optimizer": self.optimizer, "lr": self.lr,
                "batch_size": self.batch_size, "epochs": self.epochs, "val_split": self.val_split,
                "n_train": self.n_train, "seed": self.seed}

    def network(self):
        """A NetworkSpec (dense presets) or a LayerListSpec (the CNN preset)."""
        if self.layers:
            return conv_specs.layer_list_spec(self.layers, self.seed)
        return network_spec(self.hidden, self.activation, self.dropout, self.seed)

    def training(self) -> TrainSpec:
        return train_spec(self.optimizer, self.lr, self.batch_size, self.epochs, self.val_split, self.seed)


SMALL_CNN = "conv(16, 3), pool(2), conv(32, 3), pool(2), flatten"
_DATA_NOTE = ("The course trains on all 60,000 MNIST digits; here the preset takes 8,000 (the bundled "
              "sample's training part), keeping 10% of them for validation, so a room of students can "
              "share the server.")
PRESETS: Dict[str, Preset] = {p.slug: p for p in [
    Preset("course-002", "Course 002: 784-128-Dropout(0.2)-10, Adam, 5 epochs", "Course 002 · Keras MNIST",
           (128,), dropout=0.2, epochs=5, course="course 002: the Keras MNIST network",
           story="Course 002's Keras model: Flatten (28 × 28 → 784), Dense(128, relu), Dropout(0.2), "
                 "Dense(10), `optimizer='adam'` (α = 0.001), 5 epochs, Keras's default batch of 32. "
                 "The course's last layer gives logits and the loss applies the softmax; here the layer "
                 "applies it: the same network. " + _DATA_NOTE),
    Preset("course-001", "Course 001: 784-256-64-10 (218,058 parameters)", "Course 001 · deeper, wider",
           (256, 64), epochs=10, course="course 001: the 784-256-64-10 design example",
           story="Course 001's design example: two hidden ReLU layers of 256 and 64 neurons, "
                 "200,704 + 16,384 + 640 weights and 256 + 64 + 10 biases = 218,058 parameters. The course "
                 "gives no training settings; here Adam (α = 0.001), batches of 32 and 10 epochs, enough to "
                 "watch the design flow: training loss keeps falling while validation loss turns up. "
                 + _DATA_NOTE),
    Preset("course-003", "Course 003: 784-32-10 (25,450 parameters)", "Course 003 · small", (32,), epochs=5,
           course="course 003: the small MNIST network",
           story="Course 003's small Keras network for MNIST: 784 inputs, 32 ReLU neurons, 10 outputs. "
                 "The course names no optimiser or epochs; here the same as course 002 (Adam, α = 0.001, "
                 "batches of 32, 5 epochs), so the two compare on width alone. " + _DATA_NOTE),
    Preset("small-cnn", "A small CNN: Conv 16 → pool → Conv 32 → pool → Dense 10", "A small CNN",
           (128,), epochs=5, layers=SMALL_CNN, course="course 004: CNNs learn their filters, share parameters",
           story="Course 004 sets the convolutional network (CNN) beside the MLP: it learns its filters itself, "
                 "keeps the image's 2-D layout (spatial features) and shares parameters (one 3 × 3 filter "
                 "slides over the whole digit). Two convolutions of 16 and 32 filters, each followed by 2 × 2 "
                 "max pooling, then Flatten and Dense(10): 12,810 parameters, half of course 003's 784-32-10 (25,450), "
                 "yet it reads digits better. Same training as course 002 (Adam, α = 0.001, batches of 32, "
                 "5 epochs). The issue's example is 32 and 64 filters; those cost 3.7 times more multiply-adds "
                 "per digit than this and do not fit a run's size with 8,000 digits (see the cap under ▶ Train). "
                 "On the bundled sample with seed 0 it reads 96.4% of the test digits, course 003's network "
                 "92.3%, course 002's 94.4%, course 001's 95.8% (bench/mnist_cnn.py). " + _DATA_NOTE),
]}
DEFAULT_PRESET = "course-002"


def preset_changes(preset: Preset, values: Dict[str, object]) -> List[str]:
    """The controls whose value differs from ``preset`` (hidden layers compared as numbers)."""
    changed = []
    for name, value in preset.values().items():
        now = values.get(name, value)
        if name == "hidden" and preset.layers:
            continue                  # the layer list is the network; the dense controls do not count
        if name == "hidden":
            try:
                same = parse_hidden(now) == preset.hidden
            except ValueError:
                same = False
        elif name == "layers":
            try:
                same = conv_specs.parse_layers(now) == conv_specs.parse_layers(value)
            except SpecError:
                same = False
        elif isinstance(value, float):
            same = isinstance(now, (int, float)) and math.isclose(float(now), value)
        else:
            same = now == value
        if not same:
            changed.append(name)
    return changed


def architecture(net) -> str:
    """The network as the course writes it: "784-128-Dropout(0.2)-10", "28×28×1-Conv16(3×3)-Pool2-…-10"."""
    if is_layer_list(net):
        short = {conv_specs.Conv2D: lambda c: f"Conv{c.filters}({c.kernel}×{c.kernel}"
                                               + (f"/{c.stride}" if c.stride > 1 else "")
                                               + (", same" if c.padding == "same" else "") + ")",
                 conv_specs.MaxPool: lambda p: f"Pool{p.size}", conv_specs.BatchNorm: lambda _: "BN",
                 conv_specs.Dropout: lambda d: f"Dropout({d.rate:g})", conv_specs.Flatten: lambda _: "Flatten",
                 conv_specs.Dense: lambda d: str(d.units)}
        return "-".join(["28×28×1", *(short[type(layer)](layer) for layer in net.layers), str(CLASSES)])
    parts = [str(net.n_inputs)]
    for units in net.hidden:
        parts.append(str(units))
        if net.dropout:
            parts.append(f"Dropout({net.dropout:g})")
    parts.append(str(net.output_units))
    return "-".join(parts)


def layer_table(net: NetworkSpec) -> List[Dict[str, object]]:
    """One row per layer, as ``model.summary()`` lists them, with how its parameters are counted.

    Computed from the spec, so no TensorFlow is needed: a Dense layer of n_out neurons reading
    n_in values has n_in × n_out weights and n_out biases; Dropout and activation layers have none.
    The first row is the flattening (28 × 28 → 784), which happens before the model.
    """
    if is_layer_list(net):
        return _list_table(net)
    from nncore.keras.bridge import _layer_calls  # the same layer list build_model makes (no TensorFlow)

    rows = [{"layer": "Flatten (input)", "output shape": f"({net.n_inputs},)", "parameters": 0,
             "how": "28 × 28 pixels in one row of 784 inputs; nothing to learn"}]
    n_in, dense = net.n_inputs, 0
    dense_total = sum(1 for name, _ in _layer_calls(net) if name == "Dense")
    for name, kw in _layer_calls(net):
        if name == "Dense":
            dense += 1
            units = kw["units"]
            act = "leaky_relu" if kw["activation"] == "linear" and net.activation == "leaky_relu" and \
                dense < dense_total else kw["activation"]
            rows.append({"layer": f"Dense {dense} · {act}" + (" (output)" if dense == dense_total else ""),
                         "output shape": f"({units},)", "parameters": n_in * units + units,
                         "how": f"{n_in:,} × {units:,} weights + {units:,} biases"})
            n_in = units
        elif name == "Dropout":
            rows.append({"layer": f"Dropout({kw['rate']:g})", "output shape": f"({n_in},)", "parameters": 0,
                         "how": f"while training, sets each output to 0 with probability {kw['rate']:g}"})
        else:
            rows.append({"layer": name, "output shape": f"({n_in},)", "parameters": 0,
                         "how": "an activation of its own; nothing to learn"})
    return rows


def _list_table(net: LayerListSpec) -> List[Dict[str, object]]:
    """The layer list's rows: shapes H × W × C and parameters computed by nncore (conv_specs), no TensorFlow."""
    rows = [{"layer": "Input", "output shape": "(28, 28, 1)", "parameters": 0, "multiply-adds": 0,
             "how": "one digit: a 28 × 28 map with one channel (ink 0…1)"}]
    counts: Dict[str, int] = {}
    names = {conv_specs.Conv2D: "Conv2D", conv_specs.MaxPool: "MaxPooling2D", conv_specs.BatchNorm: "BatchNorm",
             conv_specs.Dropout: "Dropout", conv_specs.Flatten: "Flatten", conv_specs.Dense: "Dense"}
    all_rows = net.rows()
    for i, r in enumerate(all_rows):
        name = names[type(r.layer)]
        counts[name] = counts.get(name, 0) + 1
        label = f"{name} {counts[name]} · {conv_specs.layer_text(r.layer)}"
        if i == len(all_rows) - 1:
            label = f"Dense · softmax (output, {CLASSES})"
        shape = "(" + ", ".join(map(str, r.output_shape)) + ("," if len(r.output_shape) == 1 else "") + ")"
        rows.append({"layer": label, "output shape": shape, "parameters": r.parameters,
                     "multiply-adds": r.macs, "how": r.how})
    return rows


def input_shape(model) -> tuple:
    """The shape of one input the model takes, without the batch axis, e.g. (784,) or (28, 28, 1)."""
    return tuple(model.inputs[0].shape[1:])


def check_digit_model(model) -> None:
    """ValueError unless the model maps one 28×28 image (784 numbers in any shape) to 10 outputs."""
    shape = input_shape(model)
    if None in shape or int(np.prod(shape)) != 784:
        raise ValueError(f"This model takes inputs of shape {shape}; an MNIST model takes 28×28 = 784 "
                         "pixels, as (784,), (28, 28) or (28, 28, 1).")
    out = tuple(model.outputs[0].shape[1:])
    if out != (CLASSES,):
        raise ValueError(f"This model has outputs of shape {out}; an MNIST model has 10, one per digit.")


def model_inputs(model, images) -> np.ndarray:
    """Images (n, 28, 28) (uint8 0..255 or float 0..1) → float32 in [0, 1], shaped as the model wants."""
    x = np.asarray(images)
    x = x.astype(np.float32) / (255.0 if x.dtype == np.uint8 else 1.0)
    return x.reshape((len(x), *input_shape(model)))


@dataclass
class TestScore:
    """The model on the test set: accuracy, the confusion matrix C (C[i, j] = true i, guessed j)."""

    accuracy: float
    confusion: np.ndarray
    predicted: np.ndarray

    def __repr__(self):
        return f"TestScore(accuracy {self.accuracy:.2%} on {len(self.predicted):,} digits)"


def confusion_matrix(y_true, y_pred, classes: int = CLASSES) -> np.ndarray:
    """C[i, j] = how many digits of class i were guessed as j; the diagonal holds the right answers."""
    c = np.zeros((classes, classes), dtype=int)
    np.add.at(c, (np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)), 1)
    return c


def score(model, x_test, y_test, batch_size: int = 512) -> TestScore:
    """Accuracy and confusion matrix of ``model`` on test images (n, 28, 28) and labels (n,)."""
    probabilities = model.predict(model_inputs(model, x_test), batch_size=batch_size, verbose=0)
    predicted = probabilities.argmax(axis=1)
    y = np.asarray(y_test, dtype=int)
    return TestScore(float((predicted == y).mean()), confusion_matrix(y, predicted), predicted)


def guess(model, digit: np.ndarray) -> np.ndarray:
    """a^L for one preprocessed digit (28, 28) in [0, 1]: ten probabilities that sum to 1."""
    return model.predict(model_inputs(model, digit[None].astype(np.float32)), verbose=0)[0]


def parse_hidden(text: str) -> tuple:
    """"128" or "128, 64" → (128,) or (128, 64): the neurons of each hidden layer, first to last."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"Hidden layers are neuron counts separated by commas, like 128 or 128, 64 "
                         f"(got {text!r}).") from None
    return sizes


def training_arrays(data) -> tuple:
    """(x_train, y_train, x_test, y_test) as Keras takes them: inputs (n, 784) float32 in [0, 1] and
    one-hot targets. Read-only, so one copy can serve every run of the server (the page caches it):
    60,000 digits are 190 MB as float32, too much to copy per student waiting in line."""
    from nncore.keras.jobs import mnist_inputs, one_hot

    arrays = (mnist_inputs(data.x_train), one_hot(data.y_train), mnist_inputs(data.x_test), one_hot(data.y_test))
    for a in arrays:
        a.flags.writeable = False
    return arrays


def fit_sizes(n_train: int, val_split: float) -> Tuple[int, int]:
    """(digits the network trains on, digits kept for validation) out of ``n_train``.

    As Keras's ``validation_split``: the last ``val_split`` share is the validation set.
    """
    n_fit = int(n_train * (1 - val_split))
    return n_fit, n_train - n_fit


# ---- a run's size: one training seat serves the whole room ---------------------------------------
# Training costs about (parameters × digits) multiply-adds per epoch, three times over (forward, backward,
# update), so parameters × training digits × epochs is a run's size; the cap keeps one student's run from
# holding the server's training seat for long (docs/DEPLOY.md). Course 002's network on all 60,000 digits
# (101,770 × 54,000 × 5 = 27 billion) fits; 8 layers of 1,024 for 20 epochs (8.2 million × 54,000 × 20 =
# 8.9 trillion) does not.
MAX_RUN_SIZE = 30_000_000_000


def cost_per_digit(net) -> int:
    """What one digit costs a pass: the parameters of a dense network (its multiply-adds, within the biases);
    the multiply-adds of a layer list (a convolution's weights are used at every position of its map, so
    conv(32, 3) on 28 × 28 has 320 parameters but 26·26·32·9 = 194,688 multiply-adds)."""
    return net.macs() if is_layer_list(net) else net.param_count()


def _cost_words(net) -> str:
    return "multiply-adds per digit" if is_layer_list(net) else "parameters"


def run_size(net, n_fit: int, epochs: int) -> int:
    """parameters (dense) or multiply-adds per digit (layer list) × training digits × epochs."""
    return cost_per_digit(net) * int(n_fit) * int(epochs)


def _billions(size: float) -> str:
    return f"{size / 1e12:.1f} trillion" if size >= 1e12 else f"{size / 1e9:.3g} billion"


def run_size_note(net, train: TrainSpec, n_fit: int, verb: str = "is") -> str:
    """The cap in one sentence, with this run's size."""
    size = run_size(net, n_fit, train.epochs)
    return (f"A run's size ({_cost_words(net)} × training digits × epochs) may be at most "
            f"{_billions(MAX_RUN_SIZE)}, so that the training seat goes round the room; this one {verb} "
            f"{_billions(size)} ({cost_per_digit(net):,} × {int(n_fit):,} × {train.epochs}).")


def check_run_size(net: NetworkSpec, train: TrainSpec, n_fit: int) -> None:
    """SpecError (a sentence) when the run is larger than ``MAX_RUN_SIZE``."""
    if run_size(net, n_fit, train.epochs) > MAX_RUN_SIZE:
        fewer = ("Fewer filters, pooling earlier" if is_layer_list(net) and net.has_conv
                 else "Fewer or smaller hidden layers")
        raise SpecError({"epochs": run_size_note(net, train, n_fit, verb="would be")
                         + f" {fewer}, fewer training digits or fewer epochs make it fit."})


def start_training(data, net: NetworkSpec, train: TrainSpec, n_train: int, room=None, arrays=None, owner=None):
    """Build the Keras model and start a TrainingJob on the first ``n_train`` training digits.

    The last ``train.val_split`` share of those digits is the validation set: the network never
    trains on it, and Keras evaluates it after each epoch (val_loss, val_accuracy), so the page
    can show the gap between training and validation loss (course 001's design flow). The test
    digits stay apart for the final score. ``arrays`` are ``training_arrays(data)`` (shared; made
    here if not given): the run trains on views of them, not copies. ``owner`` tells the run
    whether its page is still open (see ``keras_jobs``). Weights, dropout masks and the batch
    order follow ``train.seed`` (Keras's global seed), so the same settings give the same run.
    """
    from nncore.keras.bridge import build_layer_model, build_model, keras
    from nncore.keras.jobs import TrainingJob

    n_train = max(2, min(int(n_train), len(data.x_train)))
    n_fit, n_val = fit_sizes(n_train, train.val_split)
    x_train, y_train, _, _ = arrays if arrays is not None else training_arrays(data)
    keras().utils.set_random_seed(train.seed)
    if is_layer_list(net):
        model = build_layer_model(net, train)
        x_train = x_train.reshape(-1, *conv_specs.INPUT_SHAPE)          # a view: the shared array is not copied
    else:
        model = build_model(net, train)
    validation = (x_train[n_fit:n_train], y_train[n_fit:n_train]) if n_val else None
    return TrainingJob(model, x_train[:n_fit], y_train[:n_fit], room=room, name=f"mnist {architecture(net)}",
                       owner=owner, epochs=train.epochs, batch_size=train.batch_size,
                       validation_data=validation, shuffle=True).start()


def model_bytes(model) -> bytes:
    """The model as a ``.keras`` file to download."""
    from nncore.keras.bridge import model_to_bytes

    return model_to_bytes(model)


def load_digit_model(data: bytes):
    """An uploaded ``.keras`` file as a model, if it is safe (no code) and reads 28×28 digits into 10 classes."""
    from nncore.keras.bridge import load_model_safely

    model = load_model_safely(data)
    check_digit_model(model)
    return model


# ---- exploring the digits (course 000: 28 × 28 = 784 inputs) -----------------------------------
def samples_per_class(x: np.ndarray, y: np.ndarray, per_class: int = 10) -> np.ndarray:
    """The first ``per_class`` images of each digit, digit 0's first: (10 · per_class, 28, 28)."""
    y = np.asarray(y)
    picks = [np.flatnonzero(y == c)[:per_class] for c in range(CLASSES)]
    if any(len(p) < per_class for p in picks):
        raise ValueError(f"Some digit has fewer than {per_class} images.")
    return np.asarray(x)[np.concatenate(picks)]


def class_counts(y: np.ndarray) -> np.ndarray:
    """How many images of each digit 0..9."""
    return np.bincount(np.asarray(y, dtype=int), minlength=CLASSES)


def mean_images(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The average image of each digit (10, 28, 28), 0..255: where its ink usually is."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y)
    return np.stack([x[y == c].mean(axis=0) for c in range(CLASSES)])


# ---- what a trained network shows ------------------------------------------------------------------
def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Share of each digit's test images read right: C[k, k] / Σ_j C[k, j]."""
    c = np.asarray(confusion, dtype=float)
    return np.diag(c) / np.maximum(c.sum(axis=1), 1)


def first_layer_weights(model, units: int = 32) -> np.ndarray:
    """The first Dense layer's weights as images (units, 28, 28): row j of W^1ᵀ is what neuron j looks for.

    Neuron j computes z_j = Σ_k w_kj a_k + b_j over the 784 pixels, so its 784 weights laid out as
    28 × 28 show which pixels raise z_j (positive) and which lower it (negative).
    """
    for layer in model.layers:
        weights = layer.get_weights()
        if weights and weights[0].ndim == 2 and weights[0].shape[0] == 784:
            kernel = weights[0][:, :units]
            return kernel.T.reshape(-1, 28, 28)
    raise ValueError("This model has no Dense layer that reads the 784 pixels directly.")


HISTORY_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds", "batches")


def history_rows(epochs: Sequence) -> List[Dict[str, object]]:
    """One dict per epoch (1-based), as Keras's ``History.history`` holds them, plus time and batches."""
    return [{"epoch": e.epoch + 1, "loss": e.loss, "accuracy": e.accuracy, "val_loss": e.val_loss,
             "val_accuracy": e.val_accuracy, "seconds": round(e.seconds, 3), "batches": e.batches} for e in epochs]


def history_csv(epochs: Sequence) -> str:
    """The training history as CSV: a header, then one row per epoch (empty cells: no validation set)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HISTORY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in history_rows(epochs):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


# ---- the live curves ---------------------------------------------------------------------------------
class LiveCurves:
    """Each batch's loss and accuracy, recovered from Keras's running means, and their moving average.

    After batch b of an epoch Keras logs the mean over batches 0..b, m_b. Batch b alone scored
    v_b = (b + 1) m_b − b m_{b−1} (equal batches; m_{−1} = 0). The smoothed curve is the debiased
    exponential moving average s_t = β s_{t−1} + (1 − β) v_t, shown as s_t / (1 − β^t) (TensorBoard's
    smoothing). ``pull()`` reads only the batches recorded since the last call, so a live page pays
    for the new batches on each frame, not for the whole run.
    """

    METRICS = ("loss", "accuracy")

    def __init__(self, metrics, smoothing: float = 0.9):
        self.metrics, self.smoothing = metrics, smoothing
        self.x: List[float] = []
        self.raw: Dict[str, List[float]] = {m: [] for m in self.METRICS}
        self.smooth: Dict[str, List[float]] = {m: [] for m in self.METRICS}
        self._ema = {m: 0.0 for m in self.METRICS}
        self._mass = {m: 0.0 for m in self.METRICS}      # 1 − β^t, the debiasing divisor
        self._last = None                                # (epoch, batch, running means) of the last batch

    def __len__(self):
        return len(self.x)

    def __repr__(self):
        return f"LiveCurves({len(self.x)} batches, β = {self.smoothing})"

    def pull(self) -> int:
        """Take the batches recorded since the last call; returns how many."""
        new = self.metrics.batches_since(len(self.x))
        self.add(new, self.metrics.steps_per_epoch)
        return len(new)

    def add(self, batches: Sequence, steps_per_epoch: Optional[int]) -> None:
        steps, beta = max(steps_per_epoch or 1, 1), self.smoothing
        for b in batches:
            self.x.append(b.epoch + (b.batch + 1) / steps)
            follows = self._last is not None and self._last[:2] == (b.epoch, b.batch - 1)
            means = {}
            for m in self.METRICS:
                mean = getattr(b, m)
                means[m] = mean
                before = self._last[2][m] if follows else None
                if mean is None:
                    value = math.nan
                elif before is not None:
                    value = (b.batch + 1) * mean - b.batch * before
                else:
                    value = mean                          # the epoch's first batch (or a gap in the record)
                if m == "accuracy" and not math.isnan(value):
                    value = min(max(value, 0.0), 1.0)
                if not math.isnan(value):
                    self._ema[m] = beta * self._ema[m] + (1 - beta) * value
                    self._mass[m] = beta * self._mass[m] + (1 - beta)
                self.raw[m].append(value)
                self.smooth[m].append(self._ema[m] / self._mass[m] if self._mass[m] else math.nan)
            self._last = (b.epoch, b.batch, means)


# ---- status of a run, in words ------------------------------------------------------------------------
def status_message(job) -> Tuple[str, str, Optional[float]]:
    """(kind, text, progress) for the page: kind is info, progress, error or success."""
    last, epoch = job.metrics.latest()
    steps, planned = job.metrics.steps_per_epoch, job.metrics.epochs_planned
    epochs = job.metrics.epochs_since(0)
    pace = f" · {epochs[-1].seconds:.1f} s per epoch" if epochs else ""
    if job.status == "queued":
        return ("info", f"⏳ The training room is busy: you are number {job.queue_position or 1} in line. "
                        "Your run starts by itself when a seat frees up.", None)
    if job.status == "running" and last is not None and steps:
        done = (last.epoch * steps + last.batch + 1) / (steps * planned)
        accuracy = f" · accuracy {last.accuracy:.1%}" if last.accuracy is not None else ""
        val = f" · validation accuracy {epoch.val_accuracy:.1%}" if epoch and epoch.val_accuracy is not None else ""
        return ("progress", f"epoch {last.epoch + 1}/{planned} · batch {last.batch + 1}/{steps} · "
                            f"J = {last.loss:.3f}{accuracy}{val}{pace}", min(done, 1.0))
    if job.status == "running":
        return ("progress", "starting (TensorFlow builds the training step)…", 0.0)
    if job.status == "failed":
        return ("error", f"Training failed: {job.error}", None)
    reason = getattr(job, "stop_reason", None)
    why = f"{reason} " if reason and job.status in ("stopped", "abandoned") else ""
    if job.status == "abandoned":
        reached = f"It had reached epoch {last.epoch + 1}, batch {last.batch + 1}. " if last is not None else ""
        return ("info", f"{why or 'This run stopped because its page was closed. '}{reached}"
                        "Press ▶ Train to start again.", None)
    if last is None:
        return ("info", f"{why}Stopped before training began.", None)
    verb = "Stopped" if job.status == "stopped" else "Finished"
    val = f": validation accuracy {epoch.val_accuracy:.1%}" if epoch and epoch.val_accuracy is not None else ""
    mean = f" ({sum(e.seconds for e in epochs) / len(epochs):.1f} s per epoch)" if epochs else ""
    return ("success", f"{why}{verb} after epoch {last.epoch + 1}, batch {last.batch + 1}{val}{mean}. "
                       "The network keeps what it has learned.", None)


# ---- course 001's design flow: watch train and validation loss, grow, stop when the gap grows -------
def loss_gap(epochs: Sequence) -> List[Optional[float]]:
    """Validation loss − training loss after each epoch (None without a validation set)."""
    return [None if e.val_loss is None else e.val_loss - e.loss for e in epochs]


def design_advice(epochs: Sequence) -> Optional[Tuple[str, str]]:
    """(kind, sentence) reading the curves as course 001's design flow does; None before an epoch ends."""
    if not epochs:
        return None
    if epochs[-1].val_loss is None:
        return ("info", "No validation set: set a validation share to compare training and validation loss.")
    val = [e.val_loss for e in epochs]
    best = int(np.argmin(val))
    if len(epochs) >= 3 and best < len(epochs) - 1 and val[-1] > 1.02 * val[best]:
        return ("warning", f"Validation loss was lowest after epoch {best + 1} and has risen since, while "
                           "the training loss kept falling: the gap grows, the network starts to memorise its "
                           "training digits (overfitting). Course 001: stop growing the network; fewer epochs, "
                           "dropout or a smaller network will do better on new digits.")
    if len(epochs) >= 2 and epochs[-1].loss < 0.95 * epochs[-2].loss:
        fall = 1 - epochs[-1].loss / epochs[-2].loss
        return ("info", f"Training loss still fell by {fall:.0%} in the last epoch and validation loss follows: "
                        "no sign of overfitting yet. More epochs, or more capacity (wider or deeper), can still help.")
    return ("success", "Training and validation loss have levelled off together. Course 001: grow the network "
                       "(wider or deeper) while training loss goes down and the gap stays small; compare runs below.")


def run_row(number: int, net, train: TrainSpec, epochs: Sequence, n_fit: int,
            status: str, test_accuracy: Optional[float] = None) -> Dict[str, object]:
    """One row of the "compare runs" table: what was trained and how well it did on validation digits."""
    accs = [-1.0 if e.val_accuracy is None else e.val_accuracy for e in epochs]
    best = int(np.argmax(accs)) if accs and max(accs) >= 0 else None
    gap = loss_gap(epochs)[-1] if epochs else None
    return {
        "run": number,
        "network": architecture(net),
        "activation": "per layer" if is_layer_list(net) else net.activation,
        "parameters": net.param_count(),
        "optimiser": f"{OPTIMIZER_LABELS.get(train.optimizer, train.optimizer)}, α = {train.lr:g}",
        "batch": train.batch_size,
        "epochs": f"{len(epochs)}/{train.epochs}" + (" (stopped)" if status != "finished" else ""),
        "training digits": n_fit,
        "best val accuracy": None if best is None else accs[best],
        "best epoch": None if best is None else best + 1,
        "final gap (val − train loss)": None if gap is None else round(gap, 4),
        "test accuracy": test_accuracy,
        "time per epoch (s)": round(sum(e.seconds for e in epochs) / len(epochs), 1) if epochs else None,
        "time (s)": round(sum(e.seconds for e in epochs), 1),
    }


# ---- TensorFlow's own view: summary and devices (imported only when asked) ----------------------------
def keras_summary(net) -> str:
    """Keras's ``model.summary()`` of the network (this imports TensorFlow)."""
    from nncore.keras.bridge import build_layer_model, build_model, summary_text

    return summary_text(build_layer_model(net) if is_layer_list(net) else build_model(net))


def tensorflow_info() -> Dict[str, object]:
    """TensorFlow's version, the devices it sees, and course 002's check: where does a new tensor live?"""
    from nncore.keras.bridge import device_info

    info = device_info()
    import tensorflow as tf

    x = tf.random.uniform([3, 3])
    info["tensor_device"] = x.device
    info["tensor_on_gpu"] = x.device.endswith("GPU:0")
    return info


# ---- what a CNN sees (course 004: the filters are learnt; CNN Explainer's patch arithmetic) --------------
def conv_filters(model, layer: int = 0, limit: int = 32) -> np.ndarray:
    """The k × k filters of the ``layer``-th Conv2D (0 = first), channel-summed: (filters, k, k).

    The first convolution reads one channel (the ink), so each filter is exactly the k × k weights it
    slides over the digit; a deeper one reads C channels and is shown as the sum over them.
    """
    convs = [x for x in model.layers if type(x).__name__ == "Conv2D"]
    if not convs:
        raise ValueError("This model has no convolutional layer: its first layer reads the 784 pixels directly.")
    kernel = convs[min(layer, len(convs) - 1)].get_weights()[0]          # (k, k, C, F)
    return kernel.sum(axis=2).transpose(2, 0, 1)[:limit]


def feature_maps(model, digit: np.ndarray) -> List[Tuple[str, np.ndarray]]:
    """("Conv2D 1", maps (H, W, F)) for each Conv2D and MaxPooling2D, for one digit (28, 28) in [0, 1].

    Map f of a convolution is a^l[:, :, f] = f_l(z) with
    z[i, j] = Σ_{u, v, c} W[u, v, c, f] · a^(l-1)[i·s + u, j·s + v, c] + b_f: where on the digit the filter
    found its pattern.
    """
    k = _keras()
    wanted = [x for x in model.layers if type(x).__name__ in ("Conv2D", "MaxPooling2D")]
    if not wanted:
        raise ValueError("This model has no convolutional layer, so no feature maps.")
    probe = k.Model(inputs=model.inputs[0], outputs=[x.output for x in wanted])
    outs = probe(model_inputs(model, digit[None].astype(np.float32)), training=False)
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    names, seen = [], {}
    for x in wanted:                   # Keras's own names count across the process (conv2d_37): number them here
        kind = type(x).__name__
        seen[kind] = seen.get(kind, 0) + 1
        names.append(f"{kind} {seen[kind]}")
    return [(name, np.asarray(o)[0]) for name, o in zip(names, outs)]


def _keras():
    from nncore.keras.bridge import keras

    return keras()


@dataclass
class PatchArithmetic:
    """How one pixel (i, j) of feature map f of the first convolution was made (CNN Explainer's view)."""

    patch: np.ndarray          # (k, k) input pixels under the filter (zeros outside the digit with 'same')
    kernel: np.ndarray         # (k, k) the filter's weights
    bias: float
    z: float                   # Σ patch · kernel + b
    a: float                   # f(z), the feature map's pixel
    activation: str

    def sentence(self, terms: int = 4) -> str:
        products = (self.patch * self.kernel).ravel()
        shown = " + ".join(f"{p:.2f}·{w:+.2f}" for p, w in
                           list(zip(self.patch.ravel(), self.kernel.ravel()))[:terms])
        more = f" + … ({products.size - terms} more)" if products.size > terms else ""
        return (f"z = Σ patch × weights + b = {shown}{more} {self.bias:+.3f} = {self.z:.3f}; "
                f"a = {self.activation}(z) = {self.a:.3f}")


_ACT = {"relu": lambda z: max(z, 0.0), "linear": lambda z: z, "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
        "tanh": math.tanh}


def patch_arithmetic(model, digit: np.ndarray, f: int, i: int, j: int) -> PatchArithmetic:
    """Pixel (i, j) of map f of the model's first layer, a Conv2D, recomputed by hand from the digit and the weights."""
    conv = model.layers[0] if model.layers else None
    if conv is None or type(conv).__name__ != "Conv2D":
        raise ValueError("This model's first layer is not a convolution, so its feature maps do not read the "
                         "digit's pixels directly.")
    kernel, bias = conv.get_weights()
    k, s = kernel.shape[0], conv.strides[0]
    x = np.asarray(digit, dtype=np.float64).reshape(28, 28)
    if conv.padding == "same":
        out = math.ceil(28 / s)
        pad = max((out - 1) * s + k - 28, 0)
        x = np.pad(x, ((pad // 2, pad - pad // 2), (pad // 2, pad - pad // 2)))
    patch = x[i * s:i * s + k, j * s:j * s + k]
    w = kernel[:, :, 0, f].astype(np.float64)
    z = float((patch * w).sum() + bias[f])
    name = conv.get_config().get("activation", "linear")
    return PatchArithmetic(patch, w, float(bias[f]), z, float(_ACT.get(name, _ACT["linear"])(z)), name)
