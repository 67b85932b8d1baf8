"""A layer list for the MNIST builder: Conv2D, MaxPooling2D, BatchNormalization, Dropout, Flatten, Dense.

The list is plain data: a tuple of small frozen dataclasses, written and read as one line of text
(``conv(32, 3), pool(2), conv(64, 3), pool(2), flatten``) so that a link can carry it. It is validated
once (``LayerListSpec.validate``): every problem gets one sentence ("a 3×3 kernel on a 2×2 map").
The output layer Dense(10, softmax) is always added after the list, as in the dense builder
(784 → hidden layers → 10).

Shapes follow the course's notation with a third axis: the input a⁰ is a 28 × 28 × 1 map; a
convolution with F filters of k × k, stride s, reads a map H × W × C and writes H' × W' × F, with
H' = ⌊(H − k) / s⌋ + 1 ("valid") or ⌈H / s⌉ ("same"); it learns k·k·C·F weights and F biases (the same
k × k × C filter slides over the whole map: parameter sharing). Max pooling p × p keeps the largest value
of each p × p block: ⌊(H − p) / p⌋ + 1, nothing to learn. Batch normalisation keeps γ, β (learnt) and the
moving mean and variance (not learnt) per channel: 4·C, as Keras's ``count_params`` counts them.

Everything here is numpy-free arithmetic: no TensorFlow is needed for shapes, parameters or cost.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple, Union

from nncore.engine.specs import SpecError

INPUT_SHAPE = (28, 28, 1)        # one MNIST digit, one channel
OUTPUT_UNITS = 10
ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear")
PADDINGS = ("valid", "same")


@dataclass(frozen=True)
class ConvLimits:
    """How big a layer list may be on a shared classroom server (stated on the page and in ROBUSTNESS.md)."""

    max_layers: int = 12             # in the list, the output layer not counted
    max_filters: int = 64
    max_kernel: int = 7
    max_stride: int = 3
    max_pool: int = 4
    max_units: int = 1024            # as the dense builder
    max_dropout: float = 0.9
    max_parameters: int = 2_000_000
    max_text: int = 400              # characters of the written list


CONV_LIMITS = ConvLimits()


@dataclass(frozen=True)
class Conv2D:
    filters: int
    kernel: int = 3
    stride: int = 1
    padding: str = "valid"
    activation: str = "relu"


@dataclass(frozen=True)
class MaxPool:
    size: int = 2


@dataclass(frozen=True)
class BatchNorm:
    pass


@dataclass(frozen=True)
class Dropout:
    rate: float


@dataclass(frozen=True)
class Flatten:
    pass


@dataclass(frozen=True)
class Dense:
    units: int
    activation: str = "relu"


Layer = Union[Conv2D, MaxPool, BatchNorm, Dropout, Flatten, Dense]
Shape = Tuple[int, ...]

KERAS_NAMES = {Conv2D: "Conv2D", MaxPool: "MaxPooling2D", BatchNorm: "BatchNormalization", Dropout: "Dropout",
               Flatten: "Flatten", Dense: "Dense"}


# ---- text ⇄ layers ---------------------------------------------------------------------------------
_NAMES = {"conv": Conv2D, "conv2d": Conv2D, "pool": MaxPool, "maxpool": MaxPool, "maxpooling2d": MaxPool,
          "bn": BatchNorm, "batchnorm": BatchNorm, "batchnormalization": BatchNorm, "dropout": Dropout,
          "flatten": Flatten, "dense": Dense}
_POSITIONAL = {Conv2D: ("filters", "kernel"), MaxPool: ("size",), BatchNorm: (), Dropout: ("rate",),
               Flatten: (), Dense: ("units",)}
_KEYWORDS = {Conv2D: ("filters", "kernel", "stride", "padding", "activation"), MaxPool: ("size",),
             BatchNorm: (), Dropout: ("rate",), Flatten: (), Dense: ("units", "activation")}
_REQUIRED = {Conv2D: ("filters",), Dropout: ("rate",), Dense: ("units",)}
GRAMMAR = ("conv(filters, kernel, stride=1, padding=valid|same, activation=relu), pool(size), bn, "
           "dropout(rate), flatten, dense(units, activation=relu)")


def _split(text: str) -> List[str]:
    """Items separated by commas (outside brackets), semicolons, new lines or arrows."""
    text = text.replace("→", ";").replace("->", ";").replace("\n", ";")
    items, depth, current = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == ";" or (ch == "," and depth <= 0):
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    return [i.strip() for i in items if i.strip()]


def _number(cls, key: str, text: str, where: str):
    kind = float if key == "rate" else int
    if key in ("padding", "activation"):
        return text.lower()
    try:
        return kind(text)
    except ValueError:
        raise SpecError({"layers": f"{where}: {key} must be a {'number' if kind is float else 'whole number'} "
                                   f"(got {text[:20]!r})."}) from None


def parse_layers(text: str, limits: ConvLimits = CONV_LIMITS) -> Tuple[Layer, ...]:
    """"conv(32, 3), pool(2), flatten" → (Conv2D(32, 3), MaxPool(2), Flatten()); SpecError with a sentence.

    Only the writing is checked here; whether the layers fit together is ``LayerListSpec.validate``'s job.
    """
    text = str(text)
    if len(text) > limits.max_text:
        raise SpecError({"layers": f"The layer list is {len(text):,} characters long; at most {limits.max_text}."})
    layers = []
    for n, item in enumerate(_split(text), 1):
        m = re.fullmatch(r"([A-Za-z0-9_]+)\s*(?:\((.*)\))?", item, flags=re.S)
        cls = _NAMES.get(m.group(1).lower()) if m else None
        shown = item if len(item) <= 30 else item[:30] + "…"
        if cls is None:
            raise SpecError({"layers": f"Layer {n} ({shown!r}) is not a layer nnplay knows; write {GRAMMAR}."})
        where = f"Layer {n} ({shown})"
        args = [a.strip() for a in (m.group(2) or "").split(",") if a.strip()]
        values: Dict[str, object] = {}
        for i, arg in enumerate(args):
            if "=" in arg:
                key, _, value = (s.strip() for s in arg.partition("="))
                key = {"kernel_size": "kernel", "strides": "stride", "pool_size": "size", "units": "units"}.get(
                    key.lower(), key.lower())
                if key not in _KEYWORDS[cls]:
                    raise SpecError({"layers": f"{where}: {KERAS_NAMES[cls]} has no setting {key!r}."})
            elif i < len(_POSITIONAL[cls]):
                key, value = _POSITIONAL[cls][i], arg
            else:
                raise SpecError({"layers": f"{where}: {KERAS_NAMES[cls]} takes at most "
                                           f"{len(_POSITIONAL[cls])} plain numbers; name the others (stride=2)."})
            values[key] = _number(cls, key, value, where)
        missing = [k for k in _REQUIRED.get(cls, ()) if k not in values]
        if missing:
            example = {Conv2D: "conv(32, 3)", Dropout: "dropout(0.25)", Dense: "dense(64)"}[cls]
            raise SpecError({"layers": f"{where}: {KERAS_NAMES[cls]} needs its {missing[0]}, like {example}."})
        layers.append(cls(**values))
    return tuple(layers)


def layer_text(layer: Layer) -> str:
    """One layer as the list writes it (defaults left out): conv(32, 3), pool(2), dense(64)."""
    if isinstance(layer, Conv2D):
        extra = "".join(f", {k}={getattr(layer, k)}" for k, d in (("stride", 1), ("padding", "valid"),
                                                                   ("activation", "relu")) if getattr(layer, k) != d)
        return f"conv({layer.filters}, {layer.kernel}{extra})"
    if isinstance(layer, MaxPool):
        return f"pool({layer.size})"
    if isinstance(layer, BatchNorm):
        return "bn"
    if isinstance(layer, Dropout):
        return f"dropout({layer.rate:g})"
    if isinstance(layer, Flatten):
        return "flatten"
    return f"dense({layer.units}" + (f", activation={layer.activation})" if layer.activation != "relu" else ")")


def layers_text(layers) -> str:
    return ", ".join(layer_text(layer) for layer in layers)


# ---- shapes, parameters, multiply-adds ------------------------------------------------------------
@dataclass(frozen=True)
class LayerShape:
    """One layer of the list with what it makes: output shape, parameters, multiply-adds per digit."""

    layer: Layer
    input_shape: Shape
    output_shape: Shape
    parameters: int
    macs: int                 # multiply-adds for one digit, forward pass
    how: str                  # the parameter count written out


def _conv_side(n: int, k: int, s: int, padding: str) -> int:
    return math.ceil(n / s) if padding == "same" else (n - k) // s + 1


def _fmt(shape: Shape) -> str:
    return " × ".join(str(d) for d in shape)


def _walk(layers, limits: ConvLimits) -> Tuple[List[LayerShape], Dict[str, str]]:
    """Each layer's shapes and counts; stops at the first layer that does not fit, with its sentence."""
    rows: List[LayerShape] = []
    shape: Shape = INPUT_SHAPE
    problems: Dict[str, str] = {}
    flat_seen = False
    if len(layers) > limits.max_layers:
        problems["layers"] = (f"The list has {len(layers)} layers; at most {limits.max_layers} (the output "
                              f"layer Dense({OUTPUT_UNITS}) not counted).")
        return rows, problems
    for n, layer in enumerate(layers, 1):
        name = f"Layer {n}, {layer_text(layer)}"
        bad = _layer_problem(layer, limits)
        if bad:
            problems["layers"] = f"{name}: {bad}"
            return rows, problems
        params = macs = 0
        how = "nothing to learn"
        if isinstance(layer, Conv2D):
            if flat_seen:
                problems["layers"] = (f"{name}: a Conv2D after Flatten; a convolution slides over a 2-D map, and "
                                      "after Flatten there is only a row of numbers. Put convolutions before Flatten.")
                return rows, problems
            h, w, c = shape
            k, s = layer.kernel, layer.stride
            if layer.padding == "valid" and (k > h or k > w):
                problems["layers"] = (f"{name}: a {k}×{k} kernel on a {h}×{w} map does not fit (padding 'valid' "
                                      "keeps the kernel inside the map). Use a smaller kernel, fewer layers before "
                                      "it, or padding=same.")
                return rows, problems
            out = (_conv_side(h, k, s, layer.padding), _conv_side(w, k, s, layer.padding), layer.filters)
            params = k * k * c * layer.filters + layer.filters
            macs = out[0] * out[1] * layer.filters * k * k * c
            how = f"{layer.filters} filters × ({k}·{k}·{c} weights + 1 bias)"
            shape = out
        elif isinstance(layer, MaxPool):
            if flat_seen:
                problems["layers"] = (f"{name}: pooling after Flatten; pooling takes blocks of a 2-D map, and "
                                      "after Flatten there is only a row of numbers.")
                return rows, problems
            h, w, c = shape
            p = layer.size
            if p > h or p > w:
                problems["layers"] = (f"{name}: pooling {p}×{p} on a {h}×{w} map would leave less than 1×1. "
                                      "Pool less, or pool earlier.")
                return rows, problems
            shape = ((h - p) // p + 1, (w - p) // p + 1, c)
            how = f"the largest of each {p}×{p} block (comparisons, no multiply-adds); nothing to learn"
        elif isinstance(layer, BatchNorm):
            c = shape[-1]
            params = 4 * c
            macs = 2 * math.prod(shape)
            how = f"{c} channels × (γ, β learnt + moving mean, variance kept)"
        elif isinstance(layer, Dropout):
            how = f"while training, sets each output to 0 with probability {layer.rate:g}"
        elif isinstance(layer, Flatten):
            if flat_seen:
                problems["layers"] = f"{name}: a second Flatten; the values are already one row."
                return rows, problems
            flat_seen = True
            how = f"{_fmt(shape)} in one row; nothing to learn"
            shape = (math.prod(shape),)
        elif isinstance(layer, Dense):
            if not flat_seen:
                problems["layers"] = (f"{name}: a Dense layer before Flatten; Dense reads a row of numbers, so "
                                      f"the {_fmt(shape)} map must be flattened first (add flatten before it).")
                return rows, problems
            n_in = shape[0]
            params = n_in * layer.units + layer.units
            macs = n_in * layer.units
            how = f"{n_in:,} × {layer.units:,} weights + {layer.units:,} biases"
            shape = (layer.units,)
        rows.append(LayerShape(layer, rows[-1].output_shape if rows else INPUT_SHAPE, shape, params, macs, how))
    if not flat_seen:
        problems["layers"] = (f"The list ends on a {_fmt(shape)} map; add flatten at its end, so that the output "
                              f"layer Dense({OUTPUT_UNITS}) reads one row of numbers.")
        return rows, problems
    n_in = shape[0]
    rows.append(LayerShape(Dense(OUTPUT_UNITS, "softmax"), shape, (OUTPUT_UNITS,), n_in * OUTPUT_UNITS + OUTPUT_UNITS,
                           n_in * OUTPUT_UNITS, f"{n_in:,} × {OUTPUT_UNITS} weights + {OUTPUT_UNITS} biases"))
    total = sum(r.parameters for r in rows)
    if total > limits.max_parameters:
        problems["layers"] = (f"This list has {total:,} parameters; at most {limits.max_parameters:,}. Pool "
                              "before Flatten or use fewer filters or neurons.")
    return rows, problems


def _layer_problem(layer: Layer, limits: ConvLimits) -> Optional[str]:
    """A layer's own settings out of range, in a sentence (None when they are fine)."""
    if isinstance(layer, Conv2D):
        if not 1 <= layer.filters <= limits.max_filters:
            return f"{layer.filters} filters; a convolution needs between 1 and {limits.max_filters} filters."
        if not 1 <= layer.kernel <= limits.max_kernel:
            m = limits.max_kernel
            return f"a {layer.kernel}×{layer.kernel} kernel; kernels go from 1×1 to {m}×{m}."
        if not 1 <= layer.stride <= limits.max_stride:
            return f"stride {layer.stride}; the stride goes from 1 to {limits.max_stride}."
        if layer.padding not in PADDINGS:
            return f"padding {layer.padding!r}; padding is valid or same."
        if layer.activation not in ACTIVATIONS:
            return f"activation {layer.activation!r}; one of {', '.join(ACTIVATIONS)}."
    elif isinstance(layer, MaxPool):
        if not 1 <= layer.size <= limits.max_pool:
            return f"pooling {layer.size}×{layer.size}; pooling goes from 1×1 to {limits.max_pool}×{limits.max_pool}."
    elif isinstance(layer, Dropout):
        if not (math.isfinite(layer.rate) and 0 <= layer.rate <= limits.max_dropout):
            return f"dropout rate {layer.rate:g}; between 0 and {limits.max_dropout:g}."
    elif isinstance(layer, Dense):
        if not 1 <= layer.units <= limits.max_units:
            return f"{layer.units} neurons; a Dense layer needs between 1 and {limits.max_units}."
        if layer.activation not in ACTIVATIONS:
            return f"activation {layer.activation!r}; one of {', '.join(ACTIVATIONS)}."
    return None


@dataclass(frozen=True)
class LayerListSpec:
    """A network for 28 × 28 × 1 digits: the layer list, then Dense(10, softmax). ``seed`` fixes the weights.

    Plays the part ``NetworkSpec`` plays for the dense builder on the MNIST page: ``validate``,
    ``param_count``, ``rows`` (one per layer, output included).
    """

    layers: Tuple[Layer, ...]
    seed: int = 0

    def validate(self, limits: ConvLimits = CONV_LIMITS) -> "LayerListSpec":
        if not self.layers:
            raise SpecError({"layers": "The layer list is empty; start with conv(32, 3) or flatten."})
        _, problems = _walk(self.layers, limits)
        if problems:
            raise SpecError(problems)
        return self

    def rows(self) -> List[LayerShape]:
        rows, problems = _walk(self.layers, CONV_LIMITS)
        if problems:
            raise SpecError(problems)
        return rows

    def param_count(self) -> int:
        return sum(r.parameters for r in self.rows())

    def macs(self) -> int:
        """Multiply-adds of one digit's forward pass."""
        return sum(r.macs for r in self.rows())

    @property
    def has_conv(self) -> bool:
        return any(isinstance(layer, Conv2D) for layer in self.layers)

    def text(self) -> str:
        return layers_text(self.layers)


def layer_list_spec(text: str, seed: int = 0, limits: ConvLimits = CONV_LIMITS) -> LayerListSpec:
    """The written list, parsed and validated: a LayerListSpec, or SpecError with one sentence."""
    return LayerListSpec(parse_layers(text, limits), seed).validate(limits)
