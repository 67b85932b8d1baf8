"""The 2-D classification playground as data: a setup, its data set, its network, its run.

``Setup`` is everything a student chooses: the data (the 4 XOR points, AND, OR, or a noisy 2-D
set), the input features, and the network configurator's ``Controls``. ``start`` gives the data
and a ``PlaygroundRun``: the engine's ``Run`` that also records the dead-ReLU share per epoch and
stops, with an explanation, when the weights blow up. ``explain`` says in words what a finished
run shows (symmetry never broken, dead units, a single line on XOR), and ``keras_replay`` trains
the same network with Keras from the same weights on the same batches.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

import numpy as np

from . import boundary, datasets
from . import features as feats
from . import training
from . import configurator
from .configurator import Controls, build_net
from .network import MLP, Dense
from .specs import SpecError
from .training import Run

GATE_SETS = {"xor4": "XOR", "and": "AND", "or": "OR"}
DATASETS = ("xor4", "and", "or", "xor", "circle", "gaussians", "spiral", "moons")
DATA_LABELS = {"xor4": "XOR: the 4 points (course 003)", "and": "AND: the 4 points", "or": "OR: the 4 points",
               "xor": "XOR cloud (noisy)", "circle": "circle", "gaussians": "two gaussians", "spiral": "spiral",
               "moons": "moons"}
MAX_POINTS = 1000
WEIGHT_LIMIT = 1e6


@dataclass(frozen=True)
class Setup:
    """Data + features + network configurator. The defaults: a noisy XOR cloud, 4-2 tanh, SGD with α = 0.1."""

    data: str = "xor"
    n: int = 200
    noise: float = 0.1
    test_ratio: float = 0.5
    data_seed: int = 0
    features: Tuple[str, ...] = feats.DEFAULT
    controls: Controls = Controls()

    @property
    def is_gate(self) -> bool:
        """The course's truth tables: 4 fixed points, all of them for training."""
        return self.data in GATE_SETS

    def validate(self) -> "Setup":
        p: Dict[str, str] = {}
        if self.data not in DATASETS:
            p["data"] = f"The data set must be one of {', '.join(DATASETS)} (got {self.data!r})."
        if not self.is_gate:
            if not 4 <= self.n <= MAX_POINTS:
                p["n"] = f"The number of points must be between 4 and {MAX_POINTS:,} (got {self.n})."
            if not 0 <= self.noise <= 1:
                p["noise"] = f"The noise must be between 0 and 1 (got {self.noise:g})."
            if not 0 <= self.test_ratio <= 0.9:
                p["test_ratio"] = f"The test share must be between 0 and 0.9 (got {self.test_ratio:g})."
        try:
            feats.check(self.features)
        except ValueError as e:
            p["features"] = str(e)
        try:
            self.controls.validate()
        except SpecError as e:
            p.update(e.problems)
        if p:
            raise SpecError(p)
        return self

    @property
    def n_inputs(self) -> int:
        return len(self.features)


@dataclass
class Data:
    """Points (x₁, x₂) and labels, cut into training and test parts; ``f_*`` are the feature columns."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    features: Tuple[str, ...]
    extent: boundary.Extent
    name: str = ""

    @property
    def f_train(self) -> np.ndarray:
        return feats.expand(self.x_train, self.features)

    @property
    def f_test(self) -> np.ndarray:
        return feats.expand(self.x_test, self.features) if len(self.x_test) else np.zeros((0, len(self.features)))


def make_data(setup: Setup) -> Data:
    """The setup's points: a gate's 4 (all training), or a toy set cut with ``test_ratio``."""
    if setup.is_gate:
        x, y = datasets.logic_gate(GATE_SETS[setup.data])
        return Data(x, y, np.zeros((0, 2)), np.zeros((0, 1)), setup.features, (-0.5, 1.5, -0.5, 1.5),
                    DATA_LABELS[setup.data])
    x, y = datasets.toy(setup.data, n=setup.n, noise=setup.noise, seed=setup.data_seed)
    part = datasets.split(x, y, setup.test_ratio, seed=setup.data_seed)
    return Data(part.x_train, part.y_train, part.x_val, part.y_val, setup.features,
                boundary.extent_of(x, pad=0.05), DATA_LABELS[setup.data])


class PlaygroundRun(Run):
    """The engine's Run, plus per epoch the dead-ReLU share; stops when a weight passes 10⁶."""

    def __init__(self, net, data: Data, controls: Controls):
        self.data = data
        self.controls = controls
        self.f_train = data.f_train
        spec = controls.train_spec(val_split=0.0)
        self.initial_weights = net.get_weights()
        super().__init__(net, self.f_train, data.y_train, spec, data.f_test, data.y_test)
        self.dead_relu: List[Optional[float]] = []

    def _record(self, snap) -> None:
        super()._record(snap)
        if snap.epoch_end:
            self.dead_relu.append(boundary.dead_relu_share(self.net, self.f_train))
        if snap.status == "running" and np.abs(self.net.theta).max() > WEIGHT_LIMIT:
            snap.status = "diverged"
            snap.reason = (f"A weight grew past {WEIGHT_LIMIT:.0e} at update {snap.step} (epoch {snap.epoch}): each "
                           f"update overshoots and the next one overshoots further. The learning rate "
                           f"α = {self.spec.lr:g} is too large for this network; try a smaller one.")

    def initial_net(self) -> MLP:
        """The network as it was before the first update (same weights, no training)."""
        w = self.initial_weights
        return MLP([Dense(W.copy(), b.copy(), layer.activation) for layer, W, b in zip(self.net.layers, w[::2], w[1::2])])

    @property
    def accuracy(self) -> Optional[float]:
        return self.accuracies[-1] if self.accuracies else None

    @property
    def test_accuracy(self) -> Optional[float]:
        return self.val_accuracies[-1] if self.val_accuracies else None


def start(setup: Setup) -> Tuple[Data, PlaygroundRun]:
    """Data and a fresh run for ``setup`` (validated first; SpecError says what is wrong)."""
    setup.validate()
    data = make_data(setup)
    if len(data.x_train) == 0:
        raise SpecError({"test_ratio": "The split leaves no training data: lower the test share."})
    net = build_net(setup.controls, setup.n_inputs)
    return data, PlaygroundRun(net, data, setup.controls)


def current_accuracy(run: PlaygroundRun) -> Tuple[float, Optional[float]]:
    """Training and test accuracy of the network as it is now (not only at epoch ends)."""
    train = training.accuracy(run.data.y_train, run.net.predict(run.f_train))
    test = None
    if len(run.data.x_test):
        test = training.accuracy(run.data.y_test, run.net.predict(run.data.f_test))
    return train, test


def explain(run: PlaygroundRun, setup: Setup) -> List[str]:
    """What the run shows, in sentences for the page (most important first)."""
    out = []
    if run.status == "diverged":
        return [run.last.reason]
    x = run.f_train
    acc, _ = current_accuracy(run)
    c = setup.controls
    if not c.hidden and setup.data in ("xor4", "xor") and setup.features == ("x1", "x2"):
        out.append("With no hidden layer the output neuron draws one straight line through the plane, and no "
                   "line puts (0,1) and (1,0) on one side with (0,0) and (1,1) on the other: on the 4 XOR points "
                   "the best any line can do is 3 of 4 (75 %). XOR is not linearly separable (course 003).")
    began = boundary.distinct_units(run.initial_net(), x)
    for i, ((distinct, live), (distinct0, _)) in enumerate(zip(boundary.distinct_units(run.net, x), began), 1):
        if live > 1 and distinct == 1 and distinct0 == 1:
            out.append(f"The {live} neurons of hidden layer {i} still compute the same function (up to scale). Their "
                       "weights started almost equal and, with (almost) equal weights out of them too, every "
                       "update gave them the same gradient: the symmetry was never broken, so the layer works "
                       "like a single neuron, and one neuron draws one line. Start the weights further apart "
                       "(a larger stddev, or a random initialiser such as glorot_uniform) to break it.")
    dead = boundary.dead_relu_share(run.net, x)
    if dead:
        n_relu = sum(l.n_out for l in run.net.layers[:-1] if l.activation.name == "relu")
        out.append(f"{round(dead * n_relu)} of {n_relu} ReLU neurons are dead: they output 0 for every training "
                   "point, so no gradient flows through them and they never learn again (course 003: lower "
                   "the learning rate if 20-40 % die, or use leaky ReLU).")
    if run.done and acc < 1.0 and c.lr <= 0.001 and c.optimizer == "adam":
        out.append(f"Adam moves each weight by about α = {c.lr:g} per update, so {run.step:,} updates move a weight "
                   f"by at most ~{c.lr * run.step:.2g}: a larger α (0.01) lets the same run get much further.")
    if run.done and acc < 0.9 and c.lr >= 1:
        out.append(f"α = {c.lr:g} is very large: each update jumps far past the minimum, units saturate or die, "
                   "and the cost cannot settle. Try α = 0.1 or smaller.")
    if run.done and acc == 1.0 and not out:
        out.append("Every training point is on the right side of the boundary (accuracy 100 %).")
    return out


# ---- the same run with Keras --------------------------------------------------------------------------
@dataclass
class KerasReplay:
    """Keras and the numpy engine, same start, same batches: their costs and weights at the end."""

    epochs: int
    numpy_losses: List[float]
    keras_losses: List[float]
    numpy_accuracy: float
    keras_accuracy: float
    max_weight_difference: float
    seconds: float
    note: str = ""


def keras_replay(setup: Setup, initial_weights, max_updates: int = 2000) -> KerasReplay:
    """Train with Keras (``train_on_batch``, the same shuffled batches) and with numpy from the same weights.

    Capped at ``max_updates`` updates (whole epochs). Imports TensorFlow on first use (seconds).
    """
    from . import keras_bridge
    from .network import MLP

    data = make_data(setup)
    c = setup.controls
    x, y = data.f_train, data.y_train
    per_epoch = c.updates_per_epoch(len(x))
    epochs = max(1, min(c.epochs, max_updates // max(per_epoch, 1)))
    net_spec, train_spec = c.network_spec(setup.n_inputs), replace(c.train_spec(), epochs=epochs)
    net = MLP.from_spec(net_spec)
    net.set_weights(initial_weights)
    numpy_snaps = training.run(net, x, y, train_spec)
    t0 = time.perf_counter()
    model = keras_bridge.build_model(net_spec, train_spec)
    floatx = keras_bridge.keras().config.floatx()        # float32 unless set otherwise
    model.set_weights([w.astype(floatx) for w in initial_weights])
    rng = np.random.default_rng(train_spec.seed)      # the engine's shuffle stream
    size = train_spec.effective_batch(len(x))
    xf, yf = x.astype(floatx), y.astype(floatx)
    keras_losses = []
    for _ in range(epochs):
        losses = [float(np.ravel(model.train_on_batch(xf[idx], yf[idx]))[0])
                  for idx in training.batches(len(x), size, rng)]
        keras_losses.append(float(np.mean(losses)))
    seconds = time.perf_counter() - t0
    keras_acc = training.accuracy(y, model.predict(xf, verbose=0))
    diff = max(float(np.abs(k - n).max()) for k, n in zip(model.get_weights(), net.get_weights()))
    note = ""
    if epochs < c.epochs:
        note = f"Compared over the first {epochs:,} of {c.epochs:,} epochs ({epochs * per_epoch:,} updates)."
    numpy_losses = [s.train_loss for s in numpy_snaps if s.epoch_end]
    apart = np.abs(np.asarray(numpy_losses) - np.asarray(keras_losses)) > 1e-4
    if any(net_spec.layer_dropouts()):
        note += " Dropout draws different random masks in Keras and numpy, so the two runs differ a little."
    elif apart.any():
        split = int(np.argmax(apart)) + 1
        note += (f" The two costs agree to 10⁻⁴ up to epoch {split - 1} and then part: the run passes an unstable "
                 "point (for example hidden units that are still almost equal starting to differ), where "
                 "differences of 10⁻⁸ (Keras computes in float32, numpy in float64) grow until they show.")
    return KerasReplay(epochs, numpy_losses, keras_losses,
                       training.accuracy(y, net.predict(x)), keras_acc, diff, seconds, note.strip())


def export_code(setup: Setup) -> str:
    """Runnable Keras code for the setup (course 003's style); for the 4-point sets it trains and prints."""
    from . import keras_bridge

    c = setup.controls
    code = keras_bridge.export_code(c.network_spec(setup.n_inputs), c.train_spec(setup.test_ratio))
    lines = code.splitlines()
    if c.out_init != "same":
        last = max(i for i, line in enumerate(lines) if line.strip().startswith("keras.layers.Dense("))
        lines[last] = re.sub(r"kernel_initializer=(keras\.initializers\.RandomNormal\([^)]*\)|'[a-z_]+')",
                             f"kernel_initializer={c.out_init!r}", lines[last])
        if c.out_init == "random_normal":
            lines[last] = lines[last].replace("kernel_initializer='random_normal'",
                                              f"kernel_initializer=keras.initializers.RandomNormal("
                                              f"mean={c.init_mean!r}, stddev={c.init_stddev!r})")
    header = [lines[0], f"# Inputs: {', '.join(feats.label(f) for f in setup.features)}; "
                        f"data: {DATA_LABELS[setup.data]}."]
    body = lines[1:]
    if setup.is_gate:
        x, y = datasets.logic_gate(GATE_SETS[setup.data])
        x = np.round(feats.expand(x, setup.features), 6)
        rows = x.astype(int).tolist() if np.all(x == np.round(x)) else x.tolist()
        body = [l for l in body if not l.startswith("#") or "model.fit" not in l and "validation_split" not in l]
        body += [
            "import numpy as np",
            f"x_train = np.array({rows})",
            f"y_train = np.array({y.astype(int).tolist()})",
            f"model.fit(x_train, y_train, batch_size={min(c.batch_size, 4)}, epochs={c.epochs}, verbose=0)",
            "pred_prob = model.predict(x_train, verbose=0).ravel()",
            "print('Pred prob:', pred_prob)",
            "print('Accuracy:', np.mean((pred_prob > 0.5) == y_train.ravel()))",
            "",
        ]
    return "\n".join(header + body)


# ---- one value per control (the widget keys and URL names) ----------------------------------------
DATA_KEYS = ("data", "n", "noise", "test_ratio", "data_seed", "features")


def to_values(setup: Setup) -> Dict[str, object]:
    """The setup as flat widget values: the data's, then the network configurator's."""
    values = {k: getattr(setup, k) for k in DATA_KEYS}
    values["features"] = list(setup.features)
    return {**values, **configurator.to_values(setup.controls)}


def from_values(values) -> Setup:
    """A setup from flat widget values (missing ones keep their defaults); not validated yet."""
    base = Setup()
    changes = {k: values[k] for k in DATA_KEYS if k in values}
    if "features" in changes:
        chosen = list(changes["features"])
        changes["features"] = tuple(n for n in feats.NAMES if n in chosen) + tuple(n for n in chosen
                                                                                  if n not in feats.NAMES)
    return replace(base, controls=configurator.from_values(values), **changes)


def differences(setup: Setup, preset: Setup) -> List[str]:
    """The controls (URL names) where ``setup`` departs from ``preset``: what a student has changed."""
    mine, theirs = to_values(setup), to_values(preset)
    ignored = configurator.unused_keys(setup.controls, preset.controls)
    if setup.is_gate and preset.is_gate:
        ignored |= {"n", "noise", "test_ratio", "data_seed"}
    return [k for k in mine if mine[k] != theirs[k] and k not in ignored]
