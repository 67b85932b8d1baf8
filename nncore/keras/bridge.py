"""The way to Keras: specs become models, weights cross both ways, a spec becomes Keras code.

TensorFlow takes seconds to import, so nothing here imports it until a function needs it
(``keras()``); importing this module is free. The numpy engine and Keras share the weight
layout ([W^1, b^1, ...], kernels (n_in, n_out)), so ``to_keras``/``from_keras`` are plain copies.
"""
from __future__ import annotations

import os
from typing import Optional

from nncore.engine.specs import NetworkSpec, TrainSpec

_KERAS_LOSSES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "binary_crossentropy": "binary_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
}


def keras():
    """Import TensorFlow's Keras on first use (quietly) and return the ``keras`` module."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras as _keras  # noqa: WPS433 (deliberately lazy)

    return _keras


def _initializer(k, name: str, spec: NetworkSpec):
    if name == "random_normal":
        return k.initializers.RandomNormal(mean=spec.init_mean, stddev=spec.init_stddev)
    return name


def _regularizer(l1: float, l2: float):
    """Layer l's kernel penalty as (Keras regulariser class, kwargs): L2(λ_l) alone, or L1L2 with L1."""
    if l1:
        return ("L1L2", {"l1": l1, "l2": l2})
    return ("L2", {"l2": l2}) if l2 else None


def _layer_calls(spec: NetworkSpec):
    """The model as (layer class name, kwargs) pairs, shared by build_model and export_code.

    Layer l is Dense(units, f_l, kernel_regularizer=λ_l), then LeakyReLU for leaky_relu, then
    Dropout(rate_l) when rate_l > 0 (hidden layers only).
    """
    calls = []
    units = [*spec.hidden, spec.output_units]
    for n, act, rate, lam in zip(units, spec.layer_activations(), spec.layer_dropouts(), spec.layer_l2s()):
        kw = {"units": n, "activation": "linear" if act == "leaky_relu" else act,
              "kernel_initializer": spec.initializer, "bias_initializer": spec.bias_initializer}
        reg = _regularizer(spec.l1, lam)
        if reg:
            kw["kernel_regularizer"] = reg
        calls.append(("Dense", kw))
        if act == "leaky_relu":
            calls.append(("LeakyReLU", {"negative_slope": spec.leaky_alpha}))
        if rate:
            calls.append(("Dropout", {"rate": rate}))
    return calls


def build_model(spec: NetworkSpec, train: Optional[TrainSpec] = None):
    """A ``keras.Sequential`` for ``spec``; compiled with the loss and optimiser of ``train`` if given."""
    k = keras()
    layers = [k.Input(shape=(spec.n_inputs,))]
    for name, kw in _layer_calls(spec):
        kw = dict(kw)
        if name == "Dense":
            kw["kernel_initializer"] = _initializer(k, kw["kernel_initializer"], spec)
            kw["bias_initializer"] = _initializer(k, kw["bias_initializer"], spec)
            if "kernel_regularizer" in kw:
                regularizer, rates = kw["kernel_regularizer"]
                kw["kernel_regularizer"] = getattr(k.regularizers, regularizer)(**rates)
        layers.append(getattr(k.layers, name)(**kw))
    model = k.Sequential(layers)
    if train is not None:
        model.compile(optimizer=make_optimizer(train), loss=keras_loss(train.loss), metrics=["accuracy"])
    return model


def _list_layer_calls(spec):
    """A ``conv_specs.LayerListSpec`` as (Keras layer class name, kwargs) pairs, output Dense(10) included; the
    names are ``conv_specs.KERAS_NAMES``, the one table of them."""
    from nncore.engine import conv_specs as cs

    def kwargs(layer) -> dict:
        if isinstance(layer, cs.Conv2D):
            return {"filters": layer.filters, "kernel_size": layer.kernel, "strides": layer.stride,
                    "padding": layer.padding, "activation": layer.activation}
        if isinstance(layer, cs.MaxPool):
            return {"pool_size": layer.size}
        if isinstance(layer, cs.Dropout):
            return {"rate": layer.rate}
        if isinstance(layer, cs.Dense):
            return {"units": layer.units, "activation": layer.activation}
        return {}                                   # BatchNormalization, Flatten: Keras's defaults

    return [(cs.KERAS_NAMES[type(row.layer)], kwargs(row.layer)) for row in spec.rows()]


def build_layer_model(spec, train: Optional[TrainSpec] = None):
    """A ``keras.Sequential`` for a ``conv_specs.LayerListSpec``: Input(28, 28, 1), the list, Dense(10, softmax);
    compiled with the loss and optimiser of ``train`` if given."""
    k = keras()
    model = k.Sequential([k.Input(shape=spec_input_shape(spec)),
                          *(getattr(k.layers, name)(**kw) for name, kw in _list_layer_calls(spec))])
    if train is not None:
        model.compile(optimizer=make_optimizer(train), loss=keras_loss(train.loss), metrics=["accuracy"])
    return model


def spec_input_shape(spec) -> tuple:
    """(784,) for a dense ``NetworkSpec``, (28, 28, 1) for a layer list."""
    from nncore.engine.conv_specs import INPUT_SHAPE

    return INPUT_SHAPE if hasattr(spec, "layers") else (spec.n_inputs,)


def keras_loss(name: str) -> str:
    try:
        return _KERAS_LOSSES[name]
    except KeyError:
        raise ValueError(f"Keras has no built-in {name!r} loss: the course's 1/2n cost is half of "
                         "Keras's mean squared error; choose 'mse' to train with Keras.") from None


def make_optimizer(train: TrainSpec):
    """The Keras optimiser that ``nncore.engine.optimizers.make`` mirrors."""
    k = keras()
    o = k.optimizers
    lr = train.lr
    return {
        "sgd": lambda: o.SGD(learning_rate=lr),
        "momentum": lambda: o.SGD(learning_rate=lr, momentum=train.momentum),
        "nesterov": lambda: o.SGD(learning_rate=lr, momentum=train.momentum, nesterov=True),
        "rmsprop": lambda: o.RMSprop(learning_rate=lr),
        "adam": lambda: o.Adam(learning_rate=lr),
        "adagrad": lambda: o.Adagrad(learning_rate=lr),
    }[train.optimizer]()


def to_keras(net, model) -> None:
    """Copy the numpy network's weights into the Keras model, in the model's own dtype (float32 unless
    ``keras.config.set_floatx`` said otherwise when it was built)."""
    model.set_weights([w.astype(v.dtype) for w, v in zip(net.get_weights(), model.weights)])


def from_keras(model, net) -> None:
    """Copy the Keras model's weights into the numpy network."""
    net.set_weights([w.astype(float) for w in model.get_weights()])


def _py(value) -> str:
    return repr(value)


def export_code(spec: NetworkSpec, train: TrainSpec) -> str:
    """Runnable Python that builds, compiles and summarises the same model with Keras."""
    lines = []
    for name, kw in _layer_calls(spec):
        args = []
        for key, value in kw.items():
            if key in ("kernel_initializer", "bias_initializer") and value == "random_normal":
                args.append(f"{key}=keras.initializers.RandomNormal(mean={spec.init_mean!r}, "
                            f"stddev={spec.init_stddev!r})")
            elif key == "kernel_regularizer":
                regularizer, rates = value
                args.append(f"{key}=keras.regularizers.{regularizer}("
                            f"{', '.join(f'{r}={v!r}' for r, v in rates.items())})")
            else:
                args.append(f"{key}={_py(value)}")
        lines.append(f"    keras.layers.{name}({', '.join(args)}),")
    opt = {
        "sgd": f"keras.optimizers.SGD(learning_rate={train.lr!r})",
        "momentum": f"keras.optimizers.SGD(learning_rate={train.lr!r}, momentum={train.momentum!r})",
        "nesterov": f"keras.optimizers.SGD(learning_rate={train.lr!r}, momentum={train.momentum!r}, "
                    "nesterov=True)",
        "rmsprop": f"keras.optimizers.RMSprop(learning_rate={train.lr!r})",
        "adam": f"keras.optimizers.Adam(learning_rate={train.lr!r})",
        "adagrad": f"keras.optimizers.Adagrad(learning_rate={train.lr!r})",
    }[train.optimizer]
    batch = {"batch": "len(x_train)", "stochastic": "1"}.get(train.mode, str(train.batch_size))
    return "\n".join([
        "# Generated by nnplay: the same network, built and trained with Keras.",
        "import keras",
        "",
        "model = keras.Sequential([",
        f"    keras.Input(shape=({spec.n_inputs},)),",
        *lines,
        "])",
        "model.compile(",
        f"    optimizer={opt},",
        f"    loss={keras_loss(train.loss)!r},",
        '    metrics=["accuracy"],',
        ")",
        "model.summary()",
        f"# model.fit(x_train, y_train, epochs={train.epochs}, batch_size={batch},",
        f"#           validation_split={train.val_split!r}, shuffle={train.shuffle!r})",
        "",
    ])


def device_info() -> dict:
    """TensorFlow's version and the devices it sees (course 002's GPU check)."""
    keras()
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return {
        "tensorflow": tf.__version__,
        "keras": keras().__version__,
        "devices": [d.name for d in tf.config.list_physical_devices()],
        "gpu": bool(gpus),
    }


# ---- saving and loading .keras files (what a student downloads and uploads) --------------------
# Imports kept with the section so that other sections of this shared file stay untouched.
import tempfile as _tempfile  # noqa: E402

from nncore.keras import upload_check as _upload_check  # noqa: E402

MAX_MODEL_BYTES = _upload_check.MAX_MODEL_BYTES


def model_to_bytes(model) -> bytes:
    """The model as the bytes of a ``.keras`` file (architecture, weights, optimiser state)."""
    with _tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        with open(path, "rb") as f:
            return f.read()


def _check_keras_archive(data: bytes, max_bytes: int) -> None:
    """Refuse, before Keras sees them, files that are too large, not .keras archives, carry code, nest too
    deep or ask for more than the MNIST builder makes (``nncore.keras.upload_check``)."""
    _upload_check.check(data, max_bytes)


def load_model_safely(data: bytes, max_bytes: int = MAX_MODEL_BYTES):
    """A Keras model from the bytes of an uploaded ``.keras`` file, or ValueError saying why not.

    Two locks: the archive is read first with limits (``nncore.keras.upload_check``: size, members, nesting,
    known layer classes, layer sizes and parameters within the MNIST builder's) and refused if it holds a
    Lambda layer, a Python function or any class that is not a Keras built-in, all before TensorFlow is
    imported; then Keras loads it with ``safe_mode=True``, which refuses deserialising code on its own.
    """
    _check_keras_archive(data, max_bytes)
    k = keras()
    with _tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "upload.keras")
        with open(path, "wb") as f:
            f.write(data)
        try:
            return k.saving.load_model(path, compile=True, safe_mode=True)
        except Exception as exc:       # Keras raises ValueError, TypeError, KeyError, OSError, ...
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ValueError(f"Keras could not load this model safely: {first[:300]}") from exc
        finally:
            _give_back_memory()


def _give_back_memory() -> None:
    """Hand the memory that earlier loads freed back to the system: Python's collector, then glibc's
    ``malloc_trim``. Without it the freed heap stays with the process: loading a 4 MB model 15 times (each
    dropped before the next) left RSS 15 % above its warm value, with it 3 % (bench/upload_rss.py)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):      # not glibc (macOS, musl): the allocator keeps its own pages
        pass


def summary_text(model) -> str:
    """``model.summary()`` as plain text (layers, output shapes, parameter counts)."""
    lines = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines)
