"""What a network and a training run are: two small dataclasses, validated in one place.

Every input path (widgets, URL query params, uploaded JSON) builds a spec through
``from_query``/``from_json`` and ``validate``, so the same limits and the same readable
messages apply everywhere. One name per idea: the field ``lr`` is "learning rate (α)" in the
UI and ``lr=`` in a link.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Dict, List, Tuple

from nncore.engine import initializers, losses, optimizers

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUT_ACTIVATIONS = ("sigmoid", "linear", "tanh", "softmax")
MODES = ("batch", "mini-batch", "stochastic")
L1_RULES = ("subgradient", "clip")          # nncore.engine.training: how an L1 step treats zero
LAST_BATCHES = ("apply", "carry")           # a short last batch: one more update, or carried into the next epoch
EPOCH_LOSSES = ("batch_mean", "whole_set")  # the epoch's training cost: Keras's, or TensorFlow Playground's


@dataclass(frozen=True)
class Limits:
    """How big a run may be on a shared classroom server."""

    max_layers: int = 8
    max_units: int = 1024
    max_inputs: int = 784
    max_outputs: int = 10
    max_epochs: int = 10_000
    max_batch: int = 60_000
    min_lr: float = 1e-6
    max_lr: float = 10.0
    max_points: int = 5_000


LIMITS = Limits()


class SpecError(ValueError):
    """Raised with every problem found; ``problems`` maps a field to a sentence a student understands."""

    def __init__(self, problems: Dict[str, str]):
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


def _in_range(problems, field, value, lo, hi, label):
    if isinstance(value, float) and not math.isfinite(value):
        problems[field] = f"{label} must be a finite number (got {value})."
    elif not lo <= value <= hi:
        problems[field] = f"{label} must be between {lo:g} and {hi:g} (got {value:g})."


def _one_of(problems, field, value, allowed, label):
    if value not in allowed:
        problems[field] = f"{label} must be one of {', '.join(allowed)} (got {value!r})."


@dataclass(frozen=True)
class NetworkSpec:
    """The architecture: inputs → hidden layers → output, and how the weights start."""

    n_inputs: int = 2
    hidden: Tuple[int, ...] = (4,)
    activation: str = "tanh"
    output_units: int = 1
    output_activation: str = "sigmoid"
    initializer: str = "glorot_uniform"
    init_mean: float = 0.0       # random_normal only
    init_stddev: float = 0.05    # random_normal only
    bias_initializer: str = "zeros"
    leaky_alpha: float = 0.01
    dropout: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    seed: int = 0
    # Per hidden layer l = 1..len(hidden): f_l, its dropout rate, and λ_l of its L2 penalty.
    # Empty means "the single value above for every hidden layer" (so old links and files still mean
    # what they meant); the output layer always uses ``output_activation`` and ``l2``.
    activations: Tuple[str, ...] = ()
    dropouts: Tuple[float, ...] = ()
    l2s: Tuple[float, ...] = ()

    def validate(self, limits: Limits = LIMITS) -> "NetworkSpec":
        p: Dict[str, str] = {}
        _in_range(p, "n_inputs", self.n_inputs, 1, limits.max_inputs, "The number of inputs")
        if len(self.hidden) > limits.max_layers:
            p["hidden"] = f"At most {limits.max_layers} hidden layers (got {len(self.hidden)})."
        for i, units in enumerate(self.hidden, 1):
            if not 1 <= units <= limits.max_units:
                shown = units if abs(units) < 10**9 else f"{float(units):.3g}"     # not 400 digits
                p["hidden"] = (f"Hidden layer {i} has {shown} neurons: a layer needs between 1 and "
                               f"{limits.max_units} neurons.")
                break
        _in_range(p, "output_units", self.output_units, 1, limits.max_outputs, "The number of outputs")
        _one_of(p, "activation", self.activation, HIDDEN_ACTIVATIONS, "The hidden activation")
        _one_of(p, "output_activation", self.output_activation, OUTPUT_ACTIVATIONS, "The output activation")
        if self.output_activation == "softmax" and self.output_units < 2:
            p["output_activation"] = "Softmax needs at least 2 output units (one per class)."
        _one_of(p, "initializer", self.initializer, initializers.NAMES, "The initialiser")
        _one_of(p, "bias_initializer", self.bias_initializer, initializers.NAMES, "The bias initialiser")
        _in_range(p, "init_mean", self.init_mean, -10, 10, "The initial mean")
        _in_range(p, "init_stddev", self.init_stddev, 0, 10, "The initial standard deviation")
        _in_range(p, "leaky_alpha", self.leaky_alpha, 0, 1, "Leaky ReLU's slope α")
        _in_range(p, "dropout", self.dropout, 0, 0.9, "The dropout rate")
        _in_range(p, "l1", self.l1, 0, 10, "The L1 rate")          # 10: TensorFlow Playground's largest
        _in_range(p, "l2", self.l2, 0, 10, "The L2 rate")
        _in_range(p, "seed", self.seed, 0, 2**31 - 1, "The seed")
        self._validate_per_layer(p)
        if p:
            raise SpecError(p)
        return self

    def _validate_per_layer(self, p: Dict[str, str]) -> None:
        """Each per-layer list is empty or has one value per hidden layer, each value allowed."""
        checks = (("activations", "activation", lambda q, f, v, label: _one_of(q, f, v, HIDDEN_ACTIVATIONS, label)),
                  ("dropouts", "dropout", lambda q, f, v, label: _in_range(q, f, v, 0, 0.9, label)),
                  ("l2s", "L2 rate", lambda q, f, v, label: _in_range(q, f, v, 0, 1, label)))
        for field, noun, check in checks:
            values = getattr(self, field)
            if values and len(values) != len(self.hidden):
                n = len(self.hidden)
                p[field] = (f"{field} gives one {noun} per hidden layer: the network has {n} hidden "
                            f"layer{'s' if n != 1 else ''} but {field} lists {len(values)}.")
                continue
            for i, value in enumerate(values, 1):
                found: Dict[str, str] = {}
                check(found, field, value, f"Layer {i}'s {noun}")
                if found:
                    p[field] = found[field]
                    break

    # ---- f_l, dropout_l and λ_l of every layer, the lists filled in ----------------------------------
    def layer_activations(self) -> Tuple[str, ...]:
        """f_1 … f_L: each hidden layer's activation, then the output's."""
        hidden = self.activations or (self.activation,) * len(self.hidden)
        return (*hidden, self.output_activation)

    def layer_dropouts(self) -> Tuple[float, ...]:
        """Each layer's dropout rate (the output layer's is 0)."""
        hidden = self.dropouts or (self.dropout,) * len(self.hidden)
        return (*hidden, 0.0)

    def layer_l2s(self) -> Tuple[float, ...]:
        """λ_1 … λ_L of the L2 penalty λ_l Σ (W^l)²: each hidden layer's, then the output's (``l2``)."""
        hidden = self.l2s or (self.l2,) * len(self.hidden)
        return (*hidden, self.l2)

    @property
    def sizes(self) -> List[int]:
        return [self.n_inputs, *self.hidden, self.output_units]

    def param_count(self) -> int:
        """Σ_l (n_in + 1) n_out: weights plus biases of every Dense layer."""
        s = self.sizes
        return sum((a + 1) * b for a, b in zip(s[:-1], s[1:]))


@dataclass(frozen=True)
class TrainSpec:
    """How to train: cost, optimiser and α, descent mode, epochs, validation and stopping."""

    loss: str = "binary_crossentropy"
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.9          # for 'momentum' and 'nesterov'
    mode: str = "mini-batch"       # batch | mini-batch | stochastic
    batch_size: int = 10           # mini-batch only
    epochs: int = 100
    shuffle: bool = True
    val_split: float = 0.2
    early_stop: float = 0.0        # stop when the validation loss drops below this (0 = never)
    seed: int = 0
    patience: int = 0              # stop when the monitored cost has not improved for this many epochs (0 = never)
    # TensorFlow Playground's rules, each on its own (nncore.engine.training says what they do):
    l1_rule: str = "subgradient"   # "clip": a weight the L1 step moves across 0 is set to 0 and frozen (dead)
    last_batch: str = "apply"      # "carry": a short last batch is not applied but joins the next epoch's first
    epoch_loss: str = "batch_mean"  # "whole_set": the data cost of the whole training set after the epoch

    def validate(self, limits: Limits = LIMITS) -> "TrainSpec":
        p: Dict[str, str] = {}
        _one_of(p, "loss", self.loss, losses.NAMES, "The loss")
        _one_of(p, "optimizer", self.optimizer, optimizers.NAMES, "The optimiser")
        _in_range(p, "lr", self.lr, limits.min_lr, limits.max_lr, "The learning rate α")
        _in_range(p, "momentum", self.momentum, 0, 0.999, "The momentum μ")
        _one_of(p, "mode", self.mode, MODES, "The descent mode")
        _in_range(p, "batch_size", self.batch_size, 1, limits.max_batch, "The batch size")
        _in_range(p, "epochs", self.epochs, 1, limits.max_epochs, "The number of epochs")
        _in_range(p, "val_split", self.val_split, 0, 0.9, "The validation share")
        _in_range(p, "early_stop", self.early_stop, 0, 1e6, "The early-stop threshold")
        _in_range(p, "seed", self.seed, 0, 2**31 - 1, "The seed")
        _in_range(p, "patience", self.patience, 0, limits.max_epochs, "The patience (epochs without improvement)")
        _one_of(p, "l1_rule", self.l1_rule, L1_RULES, "The L1 rule")
        _one_of(p, "last_batch", self.last_batch, LAST_BATCHES, "The last batch's rule")
        _one_of(p, "epoch_loss", self.epoch_loss, EPOCH_LOSSES, "The epoch's cost")
        if p:
            raise SpecError(p)
        return self

    def effective_batch(self, n: int) -> int:
        """Samples per update: all n (batch), batch_size (mini-batch, capped at n) or 1 (stochastic)."""
        if self.mode == "batch":
            return max(n, 1)
        if self.mode == "stochastic":
            return 1
        return max(1, min(self.batch_size, n))


def validate_pair(net: NetworkSpec, train: TrainSpec, limits: Limits = LIMITS) -> None:
    """Checks that need both specs: cross-entropy needs probabilities from the output layer."""
    net.validate(limits)
    train.validate(limits)
    p = {}
    if train.loss == "binary_crossentropy" and net.output_activation != "sigmoid":
        p["loss"] = ("Binary cross-entropy needs a probability: use a sigmoid output "
                     f"(the output is {net.output_activation}).")
    if train.loss == "categorical_crossentropy" and net.output_activation != "softmax":
        p["loss"] = ("Categorical cross-entropy needs a probability per class: use a softmax output "
                     f"(the output is {net.output_activation}).")
    if p:
        raise SpecError(p)


# ---- one serialisation for links and files ----------------------------------------------------
def _encode(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


# What each list field holds: hidden=8,4 · activations=relu,tanh · dropouts=0.2,0 · l2s=0.001,0
_TUPLE_ITEMS = {"hidden": int, "activations": str, "dropouts": float, "l2s": float}


def _decode(field, text: str, kind):
    try:
        if kind is bool:
            if text not in ("0", "1", "true", "false"):
                raise ValueError
            return text in ("1", "true")
        if kind is tuple:
            item = _TUPLE_ITEMS[field]
            return tuple(item(t.strip()) for t in text.split(",") if t.strip() != "")
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
        return str(text)
    except (TypeError, ValueError):
        raise SpecError({field: f"{field}={text!r} in the link is not a valid value."}) from None


def to_query(spec) -> Dict[str, str]:
    """Only the fields that differ from the defaults, as strings for URL query params."""
    default = type(spec)()
    return {f.name: _encode(getattr(spec, f.name)) for f in fields(spec)
            if getattr(spec, f.name) != getattr(default, f.name)}


def from_query(cls, params, base=None, limits: Limits = LIMITS):
    """A validated ``cls`` from query params (unknown keys are ignored); ``base`` gives the defaults."""
    base = base or cls()
    types = {f.name: type(getattr(base, f.name)) for f in fields(cls)}
    changes = {}
    problems = {}
    for name, kind in types.items():
        if name in params:
            raw = params[name]
            raw = raw[-1] if isinstance(raw, list) else raw
            try:
                changes[name] = _decode(name, str(raw)[:200], kind)
            except SpecError as e:
                problems.update(e.problems)
    if problems:
        raise SpecError(problems)
    return replace(base, **changes).validate(limits)


def to_json(spec) -> str:
    return json.dumps({"kind": type(spec).__name__, **asdict(spec)}, indent=2)


_JSON_KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a text in quotes"}
_JSON_LISTS = {"hidden": "a list of whole numbers, like [8, 4]",
               "activations": 'a list of activation names, like ["relu", "tanh"]',
               "dropouts": "a list of numbers, like [0.2, 0]", "l2s": "a list of numbers, like [0.001, 0]"}


def _json_value_fits(value, kind, field: str = "") -> bool:
    """Whether a JSON value has the type a spec field needs (JSON's true is not the number 1 here)."""
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) or (
            isinstance(value, float) and value.is_integer())
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is tuple:
        item = _TUPLE_ITEMS[field]
        return isinstance(value, list) and all(_json_value_fits(v, item) and not (item is str and "," in v)
                                               for v in value)
    return isinstance(value, kind)


def _json_to_text(value, kind, field: str) -> str:
    """A JSON value that fits, as the link text ``from_query`` reads (4.0 → '4' for whole numbers)."""
    if kind is tuple:
        item = _TUPLE_ITEMS[field]
        return _encode(tuple(int(v) if item is int else v for v in value))
    return _encode(int(value) if kind is int else value)


def from_json(cls, text: str, limits: Limits = LIMITS):
    """A validated ``cls`` from a JSON file (as ``to_json`` writes it). Unlike a link, a file may not
    carry fields the spec does not have (a misspelt name would be silently ignored) nor values of
    the wrong JSON type; each problem gets its own sentence."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as e:
        raise SpecError({"json": f"The file is not valid JSON ({e})."}) from None
    if not isinstance(data, dict):
        raise SpecError({"json": "The file must hold a JSON object."})
    kind = data.pop("kind", cls.__name__)
    if kind != cls.__name__:
        raise SpecError({"kind": f"The file describes a {str(kind)[:40]!r}, not a {cls.__name__}."})
    base = cls()
    known = [f.name for f in fields(cls)]
    unknown = [k for k in data if k not in known]
    if unknown:
        raise SpecError({"json": f"The file has fields a {cls.__name__} does not have: "
                                 f"{', '.join(repr(k[:40]) for k in unknown[:5])}. Known fields: {', '.join(known)}."})
    problems = {}
    for name, value in data.items():
        kind = type(getattr(base, name))
        if not _json_value_fits(value, kind, name):
            wanted = _JSON_LISTS[name] if kind is tuple else _JSON_KINDS[kind]
            problems[name] = f"{name} must be {wanted} (got {json.dumps(value)[:40]})."
    if problems:
        raise SpecError(problems)
    return from_query(cls, {k: _json_to_text(v, type(getattr(base, k)), k) for k, v in data.items()},
                      limits=limits)


__all__ = ["NetworkSpec", "TrainSpec", "Limits", "LIMITS", "SpecError", "to_query", "from_query",
           "to_json", "from_json", "validate_pair", "HIDDEN_ACTIVATIONS", "OUTPUT_ACTIVATIONS", "MODES"]
