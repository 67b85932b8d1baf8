"""An uploaded ``.keras`` file checked before Keras sees it: bounded reads, known layers, the builder's sizes.

Keras builds every layer of a file's ``config.json`` (allocating its weights) before anything else can
look at the model, and Python's ``json`` recurses once per nesting level. So a 48 KB file declaring
``Dense(units=300000)`` costs gigabytes, and a ``config.json`` of 200,000 nested ``[`` raises
RecursionError. This module reads the archive with limits and refuses, with one sentence, anything the
MNIST page's own builder could not have made (``nncore.engine.specs.LIMITS``):

- the file: at most ``max_bytes``; a zip whose members are only ``config.json``, ``metadata.json``,
  ``model.weights.h5`` (and ``assets/``), each within its own size, read with a bounded ``read``
  (a zip's declared sizes can lie);
- ``config.json``: its bracket depth is counted on the bytes first (strings skipped), at most
  ``MAX_DEPTH``, and only then parsed;
- the model: a ``Sequential`` or ``Functional`` model of the layers in ``LAYERS`` only, with no Python
  code (Lambda layers, functions, classes from outside Keras);
- its sizes, in the course's notation: every Dense layer l has n_l ≤ ``max_units`` neurons, at most
  ``max_layers`` + 1 Dense layers (the hidden ones and the output), every shape stored in the file holds
  at most ``max(max_inputs, max_units)`` numbers per sample, and the parameters Σ_l (n_(l-1) · n_l + n_l)
  stay within those of the largest network the builder makes (784 → 8 × 1024 → 10: 8,161,290).

A model with a ``Conv2D`` or ``MaxPooling2D`` layer is one of the builder's layer lists
(``nncore.engine.conv_specs.CONV_LIMITS``) and meets those limits instead (``check_conv_sizes``): 1-64 filters,
kernels 1×1 to 7×7, strides 1-3, pooling 1×1 to 4×4, padding valid or same, no dilation, channels last, at most
12 layers and the output, 2,000,000 parameters, and no map over 28 × 28 × 64 numbers per sample; its shapes are
computed layer after layer from the input, not read from the file.

``check(data)`` returns nothing or raises ValueError; ``nncore.keras.bridge.load_model_safely`` calls it
before importing TensorFlow. Keras's own ``safe_mode=True`` stays as the second lock.
"""
from __future__ import annotations

import io
import json
import math
import re
import struct
import zipfile
import zlib
from typing import Dict, Iterator, List, Tuple

import numpy as np

from nncore.engine.conv_specs import CONV_LIMITS, INPUT_SHAPE, ConvLimits
from nncore.engine.specs import LIMITS, Limits, NetworkSpec

MAX_MODEL_BYTES = 20 * 2**20          # an MNIST MLP with Adam's state is about 1-5 MB
MAX_CONFIG_BYTES = 1 * 2**20          # nnplay's largest network's config.json is ~12 KB
MAX_METADATA_BYTES = 64 * 2**10
MAX_MEMBERS = 16
MAX_DEPTH = 64                        # a real config.json nests ~10 levels
MAX_LAYERS = 64                       # every layer of the file, Dropout and activations included
MEMBERS = {"config.json": MAX_CONFIG_BYTES, "metadata.json": MAX_METADATA_BYTES}
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
MODELS = ("Sequential", "Functional", "Model")
# The layers an MNIST multilayer perceptron is made of (course 001: Flatten, Dense, Dropout) and their
# parameter-free or per-feature companions.
# The MNIST builder's layer lists add convolutions (nncore.engine.conv_specs): Conv2D and MaxPooling2D.
CONV_LAYERS = ("Conv2D", "MaxPooling2D")
LAYERS = ("InputLayer", "Dense", "Dropout", "Flatten", "Reshape", "Activation", "ReLU", "LeakyReLU", "ELU",
          "Softmax", "BatchNormalization", *CONV_LAYERS, "Rescaling")
# The layers a layer list is made of (conv_specs), counted against its ``max_layers`` (+ the output).
BUILDER_LAYERS = ("Conv2D", "MaxPooling2D", "BatchNormalization", "Dropout", "Flatten", "Dense")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_SHAPE_KEYS = ("batch_shape", "batch_input_shape", "input_shape", "build_input_shape", "shape", "target_shape")


def _count(value) -> bool:
    """A whole number ≥ 1 as JSON gives it (a count of neurons, filters, pixels; ``true`` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1

def max_parameters(limits: Limits = LIMITS) -> int:
    """The parameters of the largest network the MNIST builder allows: 784 → max_layers × max_units → 10."""
    return NetworkSpec(n_inputs=limits.max_inputs, hidden=(limits.max_units,) * limits.max_layers,
                       output_units=limits.max_outputs, output_activation="softmax").param_count()


# ---- the archive ------------------------------------------------------------------------------------
def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """At most ``limit`` bytes of one member; ValueError if it unpacks to more (whatever its header says)."""
    with archive.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"This .keras file's {info.filename} unpacks to more than {limit / 2**10:,.0f} KB; "
                         "a model's is far smaller.")
    return data


def _archive_config(data: bytes, max_bytes: int) -> bytes:
    """The bytes of config.json, after the file's size, kind and members are checked."""
    if not data:
        raise ValueError("This is not a .keras model file: the file is empty.")
    if len(data) > max_bytes:
        raise ValueError(f"The file is {len(data) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB.")
    if data.startswith(HDF5_SIGNATURE):
        raise ValueError("This is an old HDF5 (.h5) model; nnplay opens only .keras files. In Keras, "
                         "load it and save it again with model.save('model.keras').")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("This is not a .keras model file (a .keras file is a zip archive saved by "
                         "model.save('name.keras')).")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"This .keras file holds {len(infos):,} files; a model holds 3.")
        if len(set(names)) != len(names):
            raise ValueError("This .keras file holds the same file twice; it is not one Keras saved.")
        if "config.json" not in names:
            raise ValueError("This zip file is not a .keras model: it has no config.json.")
        extra = sorted(n for n in names if n not in (*MEMBERS, "model.weights.h5") and not n.startswith("assets/"))
        if extra:
            raise ValueError(f"This .keras file holds unexpected files ({', '.join(extra[:3])}).")
        if sum(i.file_size for i in infos) > 4 * max_bytes:
            raise ValueError("This .keras file unpacks to far more than its size allows.")
        for info in infos:
            if info.filename in MEMBERS:
                _read_member(archive, info, MEMBERS[info.filename])
        return _read_member(archive, archive.getinfo("config.json"), MAX_CONFIG_BYTES)


# ---- config.json, read with a depth limit ----------------------------------------------------------------
def json_depth(raw: bytes) -> int:
    """The deepest nesting of [ and { in JSON text, brackets inside strings not counted; no recursion."""
    code = np.frombuffer(_STRING.sub(b'""', raw), dtype=np.uint8)
    steps = (np.isin(code, (ord("["), ord("{"))).astype(np.int64)
             - np.isin(code, (ord("]"), ord("}"))).astype(np.int64))
    return int(np.cumsum(steps).max()) if steps.size else 0


def read_config(raw: bytes, max_depth: int = MAX_DEPTH) -> dict:
    """config.json as a dict, refusing nesting deeper than ``max_depth`` before ``json`` sees it."""
    depth = json_depth(raw)
    if depth > max_depth:
        raise ValueError(f"This .keras file's config.json nests {depth:,} levels deep; a model's nests about "
                         f"10 (at most {max_depth} are read).")
    try:
        config = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:     # ValueError: JSON, or a 5,000-digit int
        raise ValueError("This .keras file is damaged and cannot be read.") from exc
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError("This .keras file is damaged: its config.json does not describe a Keras model.")
    return config


# ---- what the config asks Keras to build ----------------------------------------------------------------
def _nodes(node) -> Iterator[dict]:
    """Every dict in the config (iteratively: the depth is bounded, but no recursion is needed)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def unsafe_parts(config) -> List[str]:
    """Reasons to refuse a config: Lambda layers, Python code, classes from outside Keras (a module outside
    ``keras``, or a name registered under another package: ``Student>Twice``; Keras registers its own
    ``Functional`` under its own name)."""
    reasons = []
    for node in _nodes(config):
        name = node.get("class_name")
        if not isinstance(name, str) or name == "__keras_tensor__":      # a Functional model's tensor placeholder
            continue
        module = node.get("module") or ""
        registered = node.get("registered_name")
        inner = node.get("config")
        label = inner.get("name") if isinstance(inner, dict) else None
        here = f"{name} {label!r}" if isinstance(label, str) else name
        if name == "Lambda":
            reasons.append(f"a Lambda layer ({here}) runs Python code stored in the file")
        elif name == "__lambda__":
            reasons.append("a Python lambda function is stored in the file")
        elif (registered and registered != name) or not (isinstance(module, str)
                                                         and (module == "keras" or module.startswith("keras."))):
            reasons.append(f"{here} is custom code (module {module or 'unknown'!r}), not a Keras built-in")
    return list(dict.fromkeys(reasons))


def _shape_size(shape) -> int:
    """Numbers per sample of a stored shape ([None, 28, 28] → 784); ValueError if it is not a shape."""
    if not isinstance(shape, list) or len(shape) > 8:
        raise ValueError("This .keras file is damaged: a layer's shape is not a list of sizes.")
    dims = shape[1:] if shape and shape[0] is None else shape
    size = 1
    for d in dims:
        if d is None:
            continue
        if not _count(d):
            raise ValueError("This .keras file is damaged: a layer's shape is not a list of sizes.")
        size *= d
    return size


def _stored_shapes(config) -> Iterator[Tuple[str, list]]:
    for node in _nodes(config):
        for key in _SHAPE_KEYS:
            shape = node.get(key)
            if isinstance(shape, list) and shape and isinstance(shape[0], list):   # several inputs
                yield from ((key, s) for s in shape)
            elif shape is not None:
                yield key, shape


def _layers(config: dict) -> List[dict]:
    if config["class_name"] not in MODELS:
        raise ValueError(f"This .keras file holds a {config['class_name'][:40]!r}, not a model "
                         "(a Sequential or Functional model of Keras layers).")
    inner = config.get("config")
    layers = inner.get("layers") if isinstance(inner, dict) else None
    if not isinstance(layers, list) or not layers or not all(isinstance(la, dict) for la in layers):
        raise ValueError("This .keras file is damaged: its config.json lists no layers.")
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"This model has {len(layers):,} layers; nnplay loads at most {MAX_LAYERS}.")
    return layers


def _units(layer: dict, limits: Limits) -> int:
    cfg = layer.get("config") if isinstance(layer.get("config"), dict) else {}
    units = cfg.get("units")
    if not _count(units):
        raise ValueError("This .keras file is damaged: a Dense layer has no whole number of neurons.")
    if units > limits.max_units:
        raise ValueError(f"This model has a Dense layer of {units:,} neurons; nnplay loads at most "
                         f"{limits.max_units:,} per layer, as its own builder does.")
    return units


def check_sizes(config: dict, limits: Limits = LIMITS, conv_limits: ConvLimits = CONV_LIMITS) -> int:
    """The parameters Σ_l (n_(l-1) · n_l + n_l) the config asks for, or ValueError beyond the builder's limits.

    A model with a Conv2D or MaxPooling2D layer is a layer list's: ``check_conv_sizes`` checks it instead.

    n_0 is the input's size; each Dense layer's n_(l-1) is the largest width met before it (for a Sequential
    model, the previous layer's; an upper bound for any Functional graph of these one-input layers).
    """
    layers = _layers(config)
    unknown = [str(la.get("class_name"))[:40] for la in layers if la.get("class_name") not in LAYERS]
    if unknown:
        raise ValueError(f"This model has a {unknown[0]!r} layer; nnplay loads models made of "
                         f"{', '.join(LAYERS[1:-1])} and {LAYERS[-1]} layers only.")
    if any(la.get("class_name") in CONV_LAYERS for la in layers):
        return check_conv_sizes(config, conv_limits)
    dense = [la for la in layers if la["class_name"] == "Dense"]
    for la in dense:
        _units(la, limits)
    widest = max(limits.max_inputs, limits.max_units)
    for key, shape in _stored_shapes(config):
        if _shape_size(shape) > widest:
            raise ValueError(f"This model stores a shape of {_shape_size(shape):,} numbers per sample ({key}); "
                             f"an MNIST model's largest is {widest:,}.")
    if len(dense) > limits.max_layers + 1:
        raise ValueError(f"This model has {len(dense)} Dense layers; nnplay loads at most {limits.max_layers} "
                         "hidden layers and an output layer.")
    chain = config["class_name"] == "Sequential"
    width, widest_so_far, params = 0, 0, 0
    for layer in layers:
        cfg = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        name = layer["class_name"]
        if name == "InputLayer":
            width = _shape_size(cfg.get("batch_shape") or cfg.get("batch_input_shape") or [None])
        elif name == "Dense":
            stored = [_shape_size(s) for _, s in _stored_shapes(layer)]
            n_in = max(width if chain else widest_so_far, *stored, 0)
            width = _units(layer, limits)
            params += n_in * width + width
        elif name == "BatchNormalization":
            params += 4 * max(width if chain else widest_so_far, *(_shape_size(s) for _, s in _stored_shapes(layer)),
                              0)
        widest_so_far = max(widest_so_far, width)
    cap = max_parameters(limits)
    if params > cap:
        raise ValueError(f"This model has about {params:,} parameters; nnplay loads at most {cap:,}, "
                         f"those of the largest network its builder makes.")
    return params


# ---- a layer list's model: convolutions, pooling, batch norm (nncore.engine.conv_specs) -------------------
def max_map_size(limits: ConvLimits = CONV_LIMITS) -> int:
    """The most numbers per sample a layer list's model holds anywhere: a 28 × 28 map of ``max_filters``
    channels ('same' padding keeps 28 × 28), or a Dense layer of ``max_units``."""
    h, w, _ = INPUT_SHAPE
    return max(h * w * limits.max_filters, limits.max_units)


def _dims(shape, what: str) -> Tuple[int, ...]:
    """A stored shape without its batch axis, every size a whole number ≥ 1 (None is refused)."""
    if not isinstance(shape, list) or len(shape) > 8:
        raise ValueError("This .keras file is damaged: a layer's shape is not a list of sizes.")
    dims = shape[1:] if shape and shape[0] is None else shape
    if any(d is None for d in dims):
        raise ValueError(f"This convolutional model leaves the size of {what} open ({shape}); nnplay loads "
                         "models whose input has a fixed size, as 28 × 28 × 1.")
    if not dims or not all(_count(d) for d in dims):
        raise ValueError("This .keras file is damaged: a layer's shape is not a list of sizes.")
    return tuple(dims)


def _pair(cfg: dict, key: str, name: str, lo: int, hi: int, default=None) -> Tuple[int, int]:
    """A layer's (height, width) setting (kernel_size, strides, pool_size) within lo … hi, or a sentence."""
    value = cfg.get(key, default)
    value = [value, value] if isinstance(value, int) and not isinstance(value, bool) else value
    if (not isinstance(value, list) or len(value) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)):
        raise ValueError(f"This .keras file is damaged: a {name} layer's {key} is not two whole numbers.")
    if not all(lo <= v <= hi for v in value):
        shown = "×".join(map(str, value))
        raise ValueError(f"This model has a {name} layer with {key} {shown}; nnplay loads {key} from {lo}×{lo} to "
                         f"{hi}×{hi}, as its own builder makes them.")
    return value[0], value[1]


def _side(n: int, k: int, s: int, padding: str) -> int:
    return -(-n // s) if padding == "same" else (n - k) // s + 1


def _map_layer(name: str, cfg: dict, shape: Tuple[int, ...], limits: ConvLimits) -> Tuple[int, ...]:
    """The output shape of a Conv2D or MaxPooling2D reading ``shape`` (H, W, C), or ValueError (a sentence)."""
    if len(shape) != 3:
        raise ValueError(f"This model has a {name} layer reading a {' × '.join(map(str, shape))} input; it slides "
                         "over a 2-D map (height × width × channels), like the 28 × 28 × 1 digit.")
    if cfg.get("data_format") not in (None, "channels_last"):
        raise ValueError(f"This model's {name} layer reads channels first; nnplay loads maps laid out height, "
                         "width, channels (channels_last), as its builder makes them.")
    padding = cfg.get("padding", "valid")
    if padding not in ("valid", "same"):
        raise ValueError(f"This model has a {name} layer with padding {str(padding)[:20]!r}; padding is valid or "
                         "same.")
    h, w, c = shape
    if name == "Conv2D":
        filters = cfg.get("filters")
        if not _count(filters):
            raise ValueError("This .keras file is damaged: a Conv2D layer has no whole number of filters.")
        if filters > limits.max_filters:
            raise ValueError(f"This model has a Conv2D layer of {filters:,} filters; nnplay loads at most "
                             f"{limits.max_filters} per convolution, as its own builder does.")
        kh, kw = _pair(cfg, "kernel_size", name, 1, limits.max_kernel)
        sh, sw = _pair(cfg, "strides", name, 1, limits.max_stride, default=1)
        if _pair(cfg, "dilation_rate", name, 1, 1 << 30, default=1) != (1, 1) or cfg.get("groups", 1) != 1:
            raise ValueError("This model has a Conv2D layer with dilation or groups; nnplay's builder makes plain "
                             "convolutions (dilation 1, one group) only.")
        out_c = filters
    else:
        kh, kw = _pair(cfg, "pool_size", name, 1, limits.max_pool, default=2)
        stride = cfg.get("strides")
        sh, sw = (kh, kw) if stride is None else _pair(cfg, "strides", name, 1, limits.max_pool)
        out_c = c
    if padding == "valid" and (kh > h or kw > w):
        raise ValueError(f"This model has a {name} layer with a {kh}×{kw} window on a {h}×{w} map: it does not fit.")
    return _side(h, kh, sh, padding), _side(w, kw, sw, padding), out_c


def _axes_size(cfg: dict, shape: Tuple[int, ...]) -> int:
    """How many numbers batch normalisation keeps per statistic: the size of its axis (the channels)."""
    axis = cfg.get("axis", -1)
    axes = axis if isinstance(axis, list) else [axis]
    size = 1
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, int) or not -len(shape) <= a < len(shape):
            raise ValueError("This .keras file is damaged: a BatchNormalization layer's axis is not one of its "
                             "input's.")
        size *= shape[a]
    return size


def _params(name: str, cfg: dict, shape: Tuple[int, ...]) -> int:
    """The numbers Keras's count_params counts for one layer reading ``shape``."""
    bias = cfg.get("use_bias", True) is not False
    if name == "Conv2D":
        kh, kw = (cfg["kernel_size"],) * 2 if isinstance(cfg["kernel_size"], int) else cfg["kernel_size"]
        return kh * kw * shape[-1] * cfg["filters"] + (cfg["filters"] if bias else 0)
    if name == "Dense":
        return shape[-1] * cfg["units"] + (cfg["units"] if bias else 0)
    if name == "BatchNormalization":
        return 4 * _axes_size(cfg, shape)         # γ, β learnt; the moving mean and variance kept
    return 0


def _source(layer: dict, shapes: Dict[str, Tuple[int, ...]]) -> Tuple[int, ...]:
    """The shape a Functional model's layer reads: the output of the one layer its inbound node names."""
    names = [h[0] for node in _nodes(layer.get("inbound_nodes") or [])
             for h in [node.get("config", {}).get("keras_history") if isinstance(node.get("config"), dict) else None]
             if isinstance(h, list) and h and isinstance(h[0], str)]
    if len(names) != 1 or names[0] not in shapes:
        raise ValueError("This model is not a chain of layers (each reading the one before); nnplay loads a "
                         "convolutional model as its builder makes it, one layer after another.")
    return shapes[names[0]]


def _reshape(cfg: dict, shape: Tuple[int, ...]) -> Tuple[int, ...]:
    target = cfg.get("target_shape")
    if not isinstance(target, list) or not target or any(isinstance(d, bool) or not isinstance(d, int)
                                                         or d == 0 or d < -1 for d in target):
        raise ValueError("This .keras file is damaged: a Reshape layer has no target shape.")
    size, known = math.prod(shape), math.prod(d for d in target if d != -1)
    if target.count(-1) == 1 and size % known == 0:
        target = [size // known if d == -1 else d for d in target]
    if math.prod(target) != size:
        raise ValueError("This .keras file is damaged: a Reshape layer's target does not hold its input.")
    return tuple(target)


def check_conv_sizes(config: dict, limits: ConvLimits = CONV_LIMITS) -> int:
    """The parameters a model of convolutions asks for (Keras's count_params), or ValueError with a sentence.

    The layer list's limits (``nncore.engine.conv_specs.CONV_LIMITS``): 1 … 64 filters, kernels 1×1 … 7×7,
    strides 1 … 3, pooling 1×1 … 4×4, padding valid or same, no dilation, 1 … 1,024 neurons per Dense layer,
    at most 12 layers and the output, at most 2,000,000 parameters; every map at most 28 × 28 × 64 numbers.
    Shapes are computed here, layer after layer from the input (H' = ⌊(H − k) / s⌋ + 1 valid, ⌈H / s⌉ same),
    never taken from the file; a shape the file stores only raises a layer's count (Keras may build a layer
    from its stored shape before it wires the model).
    """
    layers = _layers(config)
    widest = max_map_size(limits)
    for key, shape in _stored_shapes(config):
        if _shape_size(shape) > widest:
            raise ValueError(f"This model stores a shape of {_shape_size(shape):,} numbers per sample ({key}); "
                             f"a convolutional MNIST model's largest map holds {widest:,}.")
    counted = [la for la in layers if la["class_name"] in BUILDER_LAYERS]
    if len(counted) > limits.max_layers + 1:
        raise ValueError(f"This model has {len(counted)} layers; nnplay loads a convolutional model of at most "
                         f"{limits.max_layers} layers and its output layer, as its builder makes.")
    chain = config["class_name"] == "Sequential"
    inner = config.get("config") if isinstance(config.get("config"), dict) else {}
    start = inner.get("build_input_shape") or (config.get("build_config") or {}).get("input_shape")
    shape = _dims(start, "its input") if start is not None else None
    shapes: Dict[str, Tuple[int, ...]] = {}
    params = 0
    for layer in layers:
        cfg = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        name = layer["class_name"]
        if name == "InputLayer":
            shape = _dims(cfg.get("batch_shape") or cfg.get("batch_input_shape"), "its input")
        else:
            if not chain:
                shape = _source(layer, shapes)
            if shape is None:
                raise ValueError("This convolutional model does not say the size of its input; save it with "
                                 "keras.Input(shape=(28, 28, 1)) as its first layer.")
            out = _map_layer(name, cfg, shape, limits) if name in CONV_LAYERS else None   # checks its settings
            if name == "Dense":
                _units(layer, limits)
                if len(shape) != 1:
                    raise ValueError(f"This model has a Dense layer reading a {' × '.join(map(str, shape))} map; "
                                     "nnplay's builder flattens a map first (Flatten, then Dense).")
            stored = [_dims(s, "a layer's input") for key, s in _stored_shapes(layer) if key != "target_shape"]
            params += max(_params(name, cfg, s) for s in [shape, *stored])
            if out is not None:
                shape = out
            elif name == "Flatten":
                shape = (math.prod(shape),)
            elif name == "Dense":
                shape = (*shape[:-1], cfg["units"])
            elif name == "Reshape":
                shape = _reshape(cfg, shape)
        if math.prod(shape) > widest:
            raise ValueError(f"This model makes a map of {math.prod(shape):,} numbers per sample ("
                             f"{' × '.join(map(str, shape))}); a convolutional MNIST model's largest holds "
                             f"{widest:,}.")
        label = layer.get("name") or cfg.get("name")
        shapes[label if isinstance(label, str) else str(len(shapes))] = shape
    if params > limits.max_parameters:
        raise ValueError(f"This model has about {params:,} parameters; nnplay loads a convolutional model of at "
                         f"most {limits.max_parameters:,}, as its builder's layer lists.")
    return params


def check(data: bytes, max_bytes: int = MAX_MODEL_BYTES, limits: Limits = LIMITS) -> dict:
    """The config of an uploaded ``.keras`` file if every check above passes, else ValueError (one sentence)."""
    try:
        raw = _archive_config(data, max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, NotImplementedError, EOFError, OSError,
            RuntimeError) as exc:
        raise ValueError("This .keras file is damaged and cannot be read.") from exc
    config = read_config(raw)
    reasons = unsafe_parts(config)
    if reasons:
        raise ValueError("nnplay refuses this model because " + "; ".join(reasons[:3]) +
                         ". Only models made of Keras's own layers can be loaded (safe mode).")
    check_sizes(config, limits)
    return config


__all__ = ["check", "check_sizes", "check_conv_sizes", "max_map_size", "read_config", "json_depth", "unsafe_parts",
           "max_parameters", "MAX_MODEL_BYTES", "LAYERS", "CONV_LAYERS"]
