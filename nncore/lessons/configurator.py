"""The network configurator's settings, as a student sets them, and the specs they stand for.

``Controls`` holds one value per control (the names are the widget keys and the URL names):
hidden layers and their neurons, activation, initialiser, output-layer initialiser, optimiser and
α, L1/L2 and its rate, dropout, batch size, loss, epochs, seed, stop rule (patience). With
``per_layer`` on, each hidden layer l has its own activation f_l, dropout rate and L2 rate λ_l
(``activations``, ``dropouts``, ``l2s``, as in ``NetworkSpec``); the single activation and dropout
are then not used, and the single regularisation control sets the output layer's L2 rate (or every
layer's L1). ``network_spec``/``train_spec`` turn them into the engine's specs (the output layer,
1 sigmoid, K softmax or 1 linear, is the data's: ``tasks.Task``); every check happens in
``validate``, with sentences a student understands, so no combination of controls can raise on a page.

``rules`` picks the training semantics: ``"keras"`` (nnplay's own: Keras's update rules, the points reshuffled
every epoch, a short last batch applied, the epoch's cost the mean of its batch costs) or ``"tfplayground"``
(TensorFlow Playground's, number for number: the points in a fixed order, a short last batch carried into the
next epoch, its L1 rule, its L2 rate r meaning the penalty r·½w² (so λ = r/2 here), the epoch's cost that of the
whole training set). ``bias_init`` is the value every bias starts at (TF Playground: 0.1).

The output layer may start with its own initialiser. Keras uses ``glorot_uniform`` for every
layer whose initialiser is not given, and course 003's XOR models give one to the hidden layer
only; ``build_net`` draws the output kernel with ``out_init`` to reproduce exactly that.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, Tuple

import numpy as np

from nncore.engine import initializers
from nncore.engine.network import MLP
from nncore.engine.specs import HIDDEN_ACTIVATIONS, NetworkSpec, SpecError, TrainSpec

MAX_LAYERS = 8           # nncore.engine.specs.LIMITS.max_layers is the outer bound
MAX_UNITS = 24           # measured: bench/playground_rerun.py, docs/BENCHMARKS.md
LRS = (0.00001, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad")
LOSSES = ("mse", "binary_crossentropy", "categorical_crossentropy", "mae")   # per output: tasks.LOSSES
TF_LOSSES = ("half_mse",)        # TF Playground's ½(o − t)², for its rules only
REGULARISERS = ("none", "l1", "l2")
ACTIVATIONS = HIDDEN_ACTIVATIONS
TF_INIT = "tfp_uniform"          # TF Playground's U[−0.5, 0.5): not a Keras initialiser, for its rules only
INITIALIZERS = tuple(n for n in initializers.NAMES if n != TF_INIT)
OUTPUT_INITS = ("same",) + INITIALIZERS
RULES = ("keras", "tfplayground")
MAX_EPOCHS = 10_000
MAX_BATCH = 5_000

# What the page says about its limits (TensorFlow Playground's issue #63 asked to lift its 6 × 8).
LIMIT_NOTE = (f"Up to {MAX_LAYERS} hidden layers × {MAX_UNITS} neurons here (the largest that stays live: "
              "docs/BENCHMARKS.md); TensorFlow Playground allows 6 × 8.")

OPTIMIZER_LABELS = {"sgd": "SGD (plain gradient descent)", "momentum": "SGD with momentum μ = 0.9",
                    "nesterov": "Nesterov momentum μ = 0.9", "adam": "Adam", "rmsprop": "RMSprop",
                    "adagrad": "Adagrad"}
LOSS_LABELS = {"mse": "MSE (mean squared error)", "binary_crossentropy": "binary cross-entropy",
               "categorical_crossentropy": "categorical cross-entropy", "mae": "MAE (mean absolute error)",
               "half_mse": "½(o − t)² (TensorFlow Playground's)"}


@dataclass(frozen=True)
class Controls:
    """Every setting of the configurator. The defaults (nnplay's own): 4-2 tanh, glorot_uniform, SGD with
    α = 0.1, MSE, batches of 10, Keras's rules. TF Playground's default differs: ``nncore.lessons.tfplayground``."""

    hidden: Tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    init: str = "glorot_uniform"
    init_mean: float = 0.0          # random_normal only
    init_stddev: float = 0.05       # random_normal only
    out_init: str = "same"          # the output layer's kernel: 'same' as the hidden layers, or a Keras name
    optimizer: str = "sgd"
    lr: float = 0.1
    reg: str = "none"               # none | l1 | l2
    reg_rate: float = 0.0
    dropout: float = 0.0
    batch_size: int = 10
    loss: str = "mse"
    epochs: int = 1000
    seed: int = 0
    patience: int = 0               # stop rule: 0 = all epochs, N = stop when the test cost has not improved for N
    per_layer: bool = False                 # each hidden layer its own f_l, dropout and λ_l (below)
    activations: Tuple[str, ...] = ()       # per_layer only: one per hidden layer
    dropouts: Tuple[float, ...] = ()
    l2s: Tuple[float, ...] = ()
    rules: str = "keras"                    # keras | tfplayground (see the module's docstring)
    bias_init: float = 0.0                  # every bias b^l starts here

    @property
    def tf_rules(self) -> bool:
        return self.rules == "tfplayground"

    def validate(self) -> "Controls":
        """Self, or SpecError with one sentence per problem."""
        p: Dict[str, str] = {}
        if len(self.hidden) > MAX_LAYERS:
            p["hidden"] = f"At most {MAX_LAYERS} hidden layers here (got {len(self.hidden)})."
        for i, units in enumerate(self.hidden, 1):
            if not 1 <= units <= MAX_UNITS:
                p["hidden"] = f"Hidden layer {i} has {units} neurons; each layer needs 1 to {MAX_UNITS}."
                break
        tf = (TF_INIT,) if self.tf_rules else ()
        for name, value, allowed in (("activation", self.activation, ACTIVATIONS),
                                     ("init", self.init, INITIALIZERS + tf),
                                     ("out_init", self.out_init, OUTPUT_INITS + tf),
                                     ("optimizer", self.optimizer, OPTIMIZERS),
                                     ("loss", self.loss, LOSSES + (TF_LOSSES if self.tf_rules else ())),
                                     ("reg", self.reg, REGULARISERS), ("rules", self.rules, RULES)):
            if value not in allowed:
                p[name] = f"The {name} must be one of {', '.join(allowed)} (got {value!r})."
        if not 1 <= self.batch_size <= MAX_BATCH:
            p["batch_size"] = f"The batch size must be between 1 and {MAX_BATCH:,} (got {self.batch_size})."
        if not 0 <= self.patience <= MAX_EPOCHS:
            p["patience"] = f"The patience must be between 0 and {MAX_EPOCHS:,} epochs (got {self.patience})."
        if not 1 <= self.epochs <= MAX_EPOCHS:
            p["epochs"] = f"The number of epochs must be between 1 and {MAX_EPOCHS:,} (got {self.epochs})."
        if not -1 <= self.bias_init <= 1:
            p["bias_init"] = f"The biases' start value must be between -1 and 1 (got {self.bias_init:g})."
        if self.reg != "none" and self.reg_rate == 0:
            p["reg_rate"] = f"{self.reg.upper()} regularisation is on but its rate λ is 0: choose a rate or 'none'."
        if p:
            raise SpecError(p)
        try:
            self.network_spec(2)
            self.train_spec()
        except SpecError as e:
            raise SpecError({**p, **e.problems}) from None
        return self

    # ---- to the engine's specs -------------------------------------------------------------------
    def network_spec(self, n_inputs: int, outputs: int = 1, output_activation: str = "sigmoid") -> NetworkSpec:
        """inputs → hidden layers → ``outputs`` units (1 sigmoid: a probability of class 1; K softmax: one
        probability per class; 1 linear: a value)."""
        return NetworkSpec(n_inputs=n_inputs, hidden=tuple(self.hidden), activation=self.activation,
                           output_units=outputs, output_activation=output_activation, initializer=self.init,
                           init_mean=self.init_mean, init_stddev=self.init_stddev, bias_initializer="zeros",
                           dropout=self.dropout if self.hidden else 0.0,
                           l1=self.reg_rate if self.reg == "l1" else 0.0,
                           l2=self.l2_rate if self.reg == "l2" else 0.0, seed=self.seed,
                           **self._per_layer_spec()).validate()

    @property
    def l2_rate(self) -> float:
        """λ of the engine's L2 penalty λ Σ w²: the rate as set, or TF Playground's rate r / 2 under its rules
        (its penalty is r·½w² per weight, so its step is α r w = α · 2λ w)."""
        return self.reg_rate / 2 if self.tf_rules else self.reg_rate

    def _per_layer_spec(self) -> Dict[str, tuple]:
        """NetworkSpec's per-layer lists: the rows' values when set per layer, else empty (one value for all)."""
        if not self.per_layer:
            return {}
        return {"activations": tuple(self.activations), "dropouts": tuple(self.dropouts), "l2s": tuple(self.l2s)}

    def layer_activations(self) -> Tuple[str, ...]:
        """f_l of each hidden layer."""
        return tuple(self.activations) if self.per_layer else (self.activation,) * len(self.hidden)

    def train_spec(self, val_split: float = 0.0) -> TrainSpec:
        """Mini-batches of ``batch_size`` (all the data when it is larger), shuffled each epoch as Keras does;
        under TF Playground's rules in a fixed order, a short last batch carried, its L1 rule and its cost."""
        tf = dict(shuffle=False, last_batch="carry", l1_rule="clip", epoch_loss="whole_set") if self.tf_rules \
            else dict(shuffle=True)
        return TrainSpec(loss=self.loss, optimizer=self.optimizer, lr=self.lr, momentum=0.9, mode="mini-batch",
                         batch_size=self.batch_size, epochs=self.epochs, val_split=val_split,
                         early_stop=0.0, seed=self.seed, patience=self.patience, **tf).validate()

    # ---- what the page shows -----------------------------------------------------------------------
    def sizes(self, n_inputs: int, outputs: int = 1) -> Tuple[int, ...]:
        return (n_inputs, *self.hidden, outputs)

    def param_count(self, n_inputs: int, outputs: int = 1) -> int:
        """Σ_l (n_(l-1) + 1) n_l: every weight w^l_jk and bias b^l_j."""
        s = self.sizes(n_inputs, outputs)
        return sum((a + 1) * b for a, b in zip(s[:-1], s[1:]))

    def architecture(self, n_inputs: int, outputs: int = 1, output_activation: str = "sigmoid") -> str:
        """'2 inputs → 8 relu → 4 tanh → 1 sigmoid' for the page's caption: each hidden layer's f_l."""
        parts = ([f"{n_inputs} inputs"] + [f"{u} {f}" for u, f in zip(self.hidden, self.layer_activations())]
                 + [f"{outputs} {output_activation}"])
        return " → ".join(parts)

    def updates_per_epoch(self, n_train: int) -> int:
        size = max(1, min(self.batch_size, n_train))
        return int(np.ceil(n_train / size)) if n_train else 0

    def batch_note(self, n_train: int) -> str:
        """A sentence when the batch size is larger than the training set (it is then capped)."""
        if self.batch_size > n_train > 0:
            return (f"The batch size {self.batch_size} is larger than the {n_train} training points: each "
                    f"update uses all {n_train} (batch gradient descent, one update per epoch).")
        return ""


def build_net(controls: Controls, n_inputs: int, outputs: int = 1, output_activation: str = "sigmoid") -> MLP:
    """The network the controls describe, initialised; the output kernel drawn with ``out_init``, every bias
    at ``bias_init``."""
    spec = controls.network_spec(n_inputs, outputs, output_activation)
    net = MLP.from_spec(spec)
    for layer in net.layers:
        layer.b[...] = controls.bias_init
    if controls.out_init != "same":
        out = net.layers[-1]
        rng = np.random.default_rng([spec.seed, 1])   # its own stream: the hidden layers stay as they were
        out.W[...] = initializers.initialize(controls.out_init, out.W.shape, rng, spec.init_mean, spec.init_stddev)
    return net


def with_changes(controls: Controls, **changes) -> Controls:
    return replace(controls, **changes)


# ---- one value per control (the widget keys and URL names) ----------------------------------------
def _layer_keys(prefix: str) -> Tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(1, MAX_LAYERS + 1))


UNIT_KEYS = _layer_keys("n")            # neurons of hidden layer 1 … MAX_LAYERS
SPARE_UNITS = 4                         # what a layer that is switched on starts with
# Set per layer (``per_layer=1&act1=relu&act2=tanh&drop1=0.2&l2_2=0.001``): row l of the configurator.
PER_LAYER_KEYS = {"activations": _layer_keys("act"), "dropouts": _layer_keys("drop"), "l2s": _layer_keys("l2_")}


def _row_defaults(controls: Controls) -> Dict[str, object]:
    """What a per-layer row starts at: the single activation, dropout and L2 rate of every layer."""
    return {"activations": controls.activation, "dropouts": controls.dropout,
            "l2s": controls.reg_rate if controls.reg == "l2" else 0.0}


def to_values(controls: Controls) -> Dict[str, object]:
    """The controls as flat widget values: ``layers`` and ``n1`` … ``n8`` stand for ``hidden``, and
    ``act1``…, ``drop1``…, ``l2_1``… for the per-layer lists (rows not set per layer show the single value)."""
    values = {"layers": len(controls.hidden)}
    for i, key in enumerate(UNIT_KEYS):
        values[key] = controls.hidden[i] if i < len(controls.hidden) else SPARE_UNITS
    for name in ("activation", "init", "init_mean", "init_stddev", "out_init", "optimizer", "lr", "reg",
                 "reg_rate", "dropout", "batch_size", "loss", "epochs", "seed", "patience", "per_layer", "rules",
                 "bias_init"):
        values[name] = getattr(controls, name)
    defaults = _row_defaults(controls)
    for field, keys in PER_LAYER_KEYS.items():
        mine = getattr(controls, field)
        for i, key in enumerate(keys):
            values[key] = mine[i] if i < len(mine) else defaults[field]
    return values


def _rows(values, keys, n: int, default) -> tuple:
    """Row values of the first ``n`` layers (a layer beyond the keys, or a missing value: ``default``)."""
    return tuple(values.get(keys[i], default) if i < len(keys) else default for i in range(n))


def from_values(values) -> Controls:
    """Controls from flat widget values (missing ones keep their defaults); not validated yet."""
    base = Controls()
    layers = int(values.get("layers", len(base.hidden)))
    hidden = tuple(int(v) for v in _rows(values, UNIT_KEYS, max(0, layers), SPARE_UNITS))
    rows = set(UNIT_KEYS).union(*PER_LAYER_KEYS.values())
    changes = {name: values[name] for name in to_values(base) if name in values and name != "layers"
               and name not in rows}
    controls = replace(base, hidden=hidden, **changes)
    if not controls.per_layer:
        return controls
    defaults = _row_defaults(controls)
    return replace(controls, **{field: _rows(values, keys, len(hidden), defaults[field])
                                for field, keys in PER_LAYER_KEYS.items()})


def unused_keys(*controls: Controls) -> set:
    """Row keys that none of ``controls`` uses (layers beyond theirs; per-layer rows when none is set per
    layer): a difference there changes no network."""
    n = max(len(c.hidden) for c in controls)
    rows = n if any(c.per_layer for c in controls) else 0
    return set(UNIT_KEYS[n:]).union(*(keys[rows:] for keys in PER_LAYER_KEYS.values()))
