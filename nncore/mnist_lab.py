"""What the MNIST page asks of a trained model: the network to build, its test score, its guess.

A digit classifier here is a Dense network 784 → hidden layers → 10 with softmax outputs
a^L_k = P(digit = k | image), trained on categorical cross-entropy J = −Σ_k y_k log a^L_k.
An uploaded model may instead take the images as (28, 28) or (28, 28, 1); ``model_inputs``
shapes the pixels for whichever the model expects.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .specs import NetworkSpec, TrainSpec

CLASSES = 10


def network_spec(hidden: Sequence[int] = (128,), activation: str = "relu", dropout: float = 0.0,
                 seed: int = 0) -> NetworkSpec:
    """784 inputs (one per pixel), the hidden layers, 10 softmax outputs; validated."""
    return NetworkSpec(n_inputs=784, hidden=tuple(hidden), activation=activation, output_units=CLASSES,
                       output_activation="softmax", initializer="glorot_uniform", dropout=dropout,
                       seed=seed).validate()


def train_spec(optimizer: str = "adam", lr: float = 0.001, batch_size: int = 32, epochs: int = 3) -> TrainSpec:
    """Categorical cross-entropy with the chosen optimiser, α and mini-batch size; validated."""
    return TrainSpec(loss="categorical_crossentropy", optimizer=optimizer, lr=lr, mode="mini-batch",
                     batch_size=batch_size, epochs=epochs, val_split=0.0).validate()


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
    from .keras_jobs import mnist_inputs, one_hot

    arrays = (mnist_inputs(data.x_train), one_hot(data.y_train), mnist_inputs(data.x_test), one_hot(data.y_test))
    for a in arrays:
        a.flags.writeable = False
    return arrays


def start_training(data, net: NetworkSpec, train: TrainSpec, n_train: int, room=None, arrays=None, owner=None):
    """Build the Keras model and start a TrainingJob on the first ``n_train`` training digits.

    After each epoch Keras evaluates the held-out test digits (``validation_data``), so the page
    can show train and test accuracy side by side as the network learns. ``arrays`` are
    ``training_arrays(data)`` (shared; made here if not given): the run trains on views of them,
    not copies. ``owner`` tells the run whether its page is still open (see ``keras_jobs``).
    """
    from .keras_bridge import build_model
    from .keras_jobs import TrainingJob

    n_train = max(1, min(int(n_train), len(data.x_train)))
    x_train, y_train, x_test, y_test = arrays if arrays is not None else training_arrays(data)
    model = build_model(net, train)
    return TrainingJob(model, x_train[:n_train], y_train[:n_train], room=room, name=f"mnist {net.hidden}",
                       owner=owner, epochs=train.epochs, batch_size=train.batch_size,
                       validation_data=(x_test, y_test), shuffle=True).start()


def model_bytes(model) -> bytes:
    """The model as a ``.keras`` file to download."""
    from .keras_bridge import model_to_bytes

    return model_to_bytes(model)


def load_digit_model(data: bytes):
    """An uploaded ``.keras`` file as a model, if it is safe (no code) and reads 28×28 digits into 10 classes."""
    from .keras_bridge import load_model_safely

    model = load_model_safely(data)
    check_digit_model(model)
    return model
