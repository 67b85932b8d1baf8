"""The 2-D playground as data: a setup, its data set, its network, its run.

``Setup`` is everything a student chooses: the data (the 4 XOR points, AND, OR, a noisy 2-D
set, the two sides of a curve, K = 3..5 spiral arms or blobs, values over the plane, or the
student's own points in ``Setup.own``), the input features (built-in names and typed formulas),
and the network configurator's ``Controls``. The data decide the ``task`` (``tasks.py``): one
sigmoid output for two classes, K softmax outputs for K classes, one linear output for values. Under TensorFlow
Playground's rules (``Controls.rules``, ``tfplayground.py``) two classes get its one tanh output with targets ±1
and every task its cost ½(a − t)²; its data sets (``tfp_*``) are available in both modes.
``start`` gives the data
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

from nncore.data import datasets, userdata
from nncore.data import features as feats
from nncore.data.tasks import BINARY, MAX_CLASSES, REGRESSION, Task, from_labels, of_classes
from nncore.engine import metrics, training
from nncore.engine.budget import Budgeted
from nncore.engine.network import MLP, Dense
from nncore.engine.specs import SpecError
from nncore.engine.training import Run
from nncore.lessons import boundary, configurator
from nncore.lessons import tfplayground as tfp
from nncore.lessons.configurator import Controls, build_net

GATE_SETS = {"xor4": "XOR", "and": "AND", "or": "OR"}
TFP_SETS = tuple(tfp.DATA_NAMES)          # TensorFlow Playground's own sets: tfp_circle, …, tfp_reg_gauss
DATASETS = ("xor4", "and", "or", "xor", "circle", "gaussians", "spiral", "moons", "blobs", "above_sin",
            "above_cubic", "above_abs", "disk", "plane", "multi_gaussian", *TFP_SETS, "own")
DATA_LABELS = {"xor4": "XOR: the 4 points (course 003)", "and": "AND: the 4 points", "or": "OR: the 4 points",
               "xor": "XOR cloud (noisy)", "circle": "circle", "gaussians": "two gaussians", "spiral": "spiral",
               "moons": "moons", "blobs": "blobs (one per class)",
               **{f"above_{c}": f"above or below {label}" for c, (label, _) in datasets.CURVES.items()},
               "disk": "inside a circle of radius r", "plane": "regression: plane",
               "multi_gaussian": "regression: multi-gaussian", "own": "your own points (draw or upload)",
               **{key: f"TF Playground: {name}" for key, name in tfp.DATA_NAMES.items()}}
CLASS_SETS = tuple(datasets.CLASS_SETS)       # the sets with a "classes" control (2 to 5)
VALUE_SETS = tuple(datasets.VALUE_SETS) + tuple(tfp.REG_DATASETS.values())   # regression: the labels are values
OWN = "own"                 # the data set whose points come from the student (Setup.own), not from a generator
MAX_POINTS = 1200                             # TF Playground's regression sets have 1200
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
    classes: int = 2                                 # K for the sets in CLASS_SETS; 3..5 make it a multiclass task
    radius: float = 0.7                              # the disk's r
    own: Optional[userdata.OwnData] = None           # the points of data == OWN (drawn or uploaded; not in links)

    @property
    def task(self) -> Task:
        """Binary, multiclass (K softmax outputs) or regression (1 linear output), from the data chosen:
        for the student's own points, from their labels (classes 0..K-1, or values). Under TF Playground's
        rules: its tanh output with targets ±1 for two classes, its ½(a − t)² for values."""
        task = self._nnplay_task
        if self.controls.tf_rules and task.kind != "multiclass":
            return tfp.VALUES if task.kind == "regression" else tfp.SIGNED
        return task

    @property
    def _nnplay_task(self) -> Task:
        if self.data == OWN:
            return own_task(self.own) or BINARY
        if self.data in VALUE_SETS:
            return REGRESSION
        if self.data in CLASS_SETS:
            return of_classes(self.classes)
        return BINARY

    def network_spec(self):
        """The configurator's network with the output layer the task needs."""
        return self.controls.network_spec(self.n_inputs, self.task.outputs, self.task.output_activation)

    @property
    def is_gate(self) -> bool:
        """The course's truth tables: 4 fixed points, all of them for training."""
        return self.data in GATE_SETS

    def validate(self) -> "Setup":
        p: Dict[str, str] = {}
        if self.data not in DATASETS:
            p["data"] = f"The data set must be one of {', '.join(DATASETS)} (got {self.data!r})."
        if not 2 <= self.classes <= MAX_CLASSES:
            p["classes"] = f"The number of classes must be between 2 and {MAX_CLASSES} (got {self.classes})."
        elif self.data in DATASETS and self.controls.tf_rules and self.task.kind == "multiclass":
            p["classes"] = ("TensorFlow Playground's rules train one output: two classes or values, not "
                            f"{self.classes} classes.")
        elif self.data in DATASETS and self.controls.loss not in self.task.losses:
            p["loss"] = loss_problem(self.controls.loss, self.task)
        if not self.is_gate:
            if not 4 <= self.n <= MAX_POINTS:
                p["n"] = f"The number of points must be between 4 and {MAX_POINTS:,} (got {self.n})."
            if not 0 <= self.noise <= 1:
                p["noise"] = f"The noise must be between 0 and 1 (got {self.noise:g})."
            if not 0 <= self.test_ratio <= 0.9:
                p["test_ratio"] = f"The test share must be between 0 and 0.9 (got {self.test_ratio:g})."
            if not 0.1 <= self.radius <= 1.2:
                p["radius"] = f"The radius r must be between 0.1 and 1.2 (got {self.radius:g})."
        if self.data == OWN:
            problem = own_problem(self.own)
            if problem:
                p["own"] = problem
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


def loss_problem(loss: str, task: Task) -> str:
    """Why ``loss`` does not fit the task's output, in a sentence."""
    names = " or ".join(configurator.LOSS_LABELS.get(n, n) for n in task.losses)
    return (f"The loss {configurator.LOSS_LABELS.get(loss, loss)} does not fit this data's output "
            f"({task.describe()}): choose {names}.")


@dataclass
class Data:
    """Points (x₁, x₂) and labels, cut into training and test parts; ``f_*`` are the feature columns.

    ``y_*`` are the labels as one column: a class 0..K-1, or a value (``task`` says which); ``t_*`` are
    what the output is trained towards (one-hot rows for K classes).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    features: Tuple[str, ...]
    extent: boundary.Extent
    name: str = ""
    task: Task = BINARY

    @property
    def t_train(self) -> np.ndarray:
        return self.task.targets(self.y_train)

    @property
    def t_test(self) -> np.ndarray:
        return self.task.targets(self.y_test) if len(self.y_test) else np.zeros((0, self.task.outputs))

    @property
    def f_train(self) -> np.ndarray:
        return feats.expand(self.x_train, self.features)

    @property
    def f_test(self) -> np.ndarray:
        return feats.expand(self.x_test, self.features) if len(self.x_test) else np.zeros((0, len(self.features)))


def own_task(own: Optional[userdata.OwnData]) -> Optional[Task]:
    """The task the student's own points make (classes 0..K-1 or values), or None when they cannot train."""
    return None if own is None or own_problem(own) else from_labels(own.y, own.kind)


def own_problem(own: Optional[userdata.OwnData]) -> str:
    """Why the student's own points cannot train yet ('' when they can): none yet, labels that are
    not classes 0..K-1 (2 ≤ K ≤ 5) or values, or a class in between with no point."""
    if own is None:
        return "Your own data set has no points yet: draw some on the plane or upload a CSV file."
    try:
        task = from_labels(own.y, own.kind)
    except ValueError as err:
        return f"Your points cannot train: {err}"
    missing = [k for k in range(task.classes) if k not in own.classes] if own.kind == "classes" else []
    if missing:
        return (f"Your points use the classes {', '.join(map(str, own.classes))}, but no point has class "
                f"{', '.join(map(str, missing))}: number the classes 0, 1, 2, … without gaps.")
    return ""


def make_data(setup: Setup) -> Data:
    """The setup's points: a gate's 4 (all training), the student's own or a toy set, cut with ``test_ratio``."""
    if setup.is_gate:
        x, y = datasets.logic_gate(GATE_SETS[setup.data])
        return Data(x, y, np.zeros((0, 2)), np.zeros((0, 1)), setup.features, (-0.5, 1.5, -0.5, 1.5),
                    DATA_LABELS[setup.data])
    if setup.data == OWN:
        x, y, extent = setup.own.x, setup.own.y, userdata.PLANE
    elif setup.data in TFP_SETS:                  # its domain: the plane it shows, ±6
        x, y = datasets.tfp(tfp.DATA_NAMES[setup.data], n=setup.n, noise=setup.noise, seed=setup.data_seed)
        extent = datasets.TFP_DOMAIN
    else:
        params = {"radius": setup.radius} if setup.data == "disk" else {}
        x, y = datasets.labelled(setup.data, n=setup.n, noise=setup.noise, seed=setup.data_seed,
                                 classes=setup.classes, **params)
        extent = boundary.extent_of(x, pad=0.05)
    part = datasets.split(x, y, setup.test_ratio, seed=setup.data_seed)
    return Data(part.x_train, part.y_train, part.x_val, part.y_val, setup.features, extent,
                DATA_LABELS[setup.data], setup.task)


class PlaygroundRun(Budgeted, Run):
    """The engine's Run, plus per epoch the dead-ReLU share; stops when a weight passes 10⁶. A live frame
    advances it within the frame's time budget (``nncore.engine.budget``: heavy set-ups make fewer updates)."""

    def __init__(self, net, data: Data, controls: Controls):
        self.data = data
        self.controls = controls
        self.f_train = data.f_train
        spec = controls.train_spec(val_split=0.0)
        super().__init__(net, self.f_train, data.t_train, spec, data.f_test, data.t_test, val_name="test")
        self.dead_relu: List[Optional[float]] = []

    def _record(self, snap) -> None:
        super()._record(snap)
        if snap.epoch_end:
            self.dead_relu.append(boundary.dead_relu_share(self.net, self.f_train))
        if snap.status == "running" and np.abs(self.net.theta).max() > WEIGHT_LIMIT:
            snap.status = "diverged"
            snap.reason = (f"A weight grew past {WEIGHT_LIMIT:.0e} at update {snap.step}, "
                           f"{training.epochs_done(snap.epoch - (not snap.epoch_end))}: each "
                           f"update overshoots and the next one overshoots further. The learning rate "
                           f"α = {self.spec.lr:g} is too large for this network; try a smaller one.")

    def initial_net(self) -> MLP:
        """The network as it was before the first update (same weights, no training)."""
        w = self.initial_weights
        return MLP([Dense(W.copy(), b.copy(), layer.activation)
                    for layer, W, b in zip(self.net.layers, w[::2], w[1::2])])

    @property
    def accuracy(self) -> Optional[float]:
        return self.accuracies[-1] if self.accuracies else None

    @property
    def test_accuracy(self) -> Optional[float]:
        return self.val_accuracies[-1] if self.val_accuracies else None


def start(setup: Setup) -> Tuple[Data, PlaygroundRun]:
    """Data and a fresh run for ``setup`` (validated first; SpecError says what is wrong)."""
    setup.validate()
    return start_with(setup, make_data(setup))


def start_with(setup: Setup, data: Data, weights=None) -> Tuple[Data, PlaygroundRun]:
    """A fresh run of ``setup``'s network on ``data`` (``start``'s own path; a test passes TF Playground's
    points here), starting from ``weights`` (Keras's list) when given, else from the set-up's initialiser."""
    if len(data.x_train) == 0:
        raise SpecError({"test_ratio": "The split leaves no training data: lower the test share."})
    try:
        feats.check_finite(np.concatenate([data.x_train, data.x_test]), setup.features)
    except ValueError as err:
        raise SpecError({"features": str(err)}) from None
    task = data.task
    if setup.controls.loss not in task.losses:
        raise SpecError({"loss": loss_problem(setup.controls.loss, task)})
    net = build_net(setup.controls, setup.n_inputs, task.outputs, task.output_activation)
    if weights is not None:
        net.set_weights(weights)
    return data, PlaygroundRun(net, data, setup.controls)


def predictions(run: PlaygroundRun, part: str = "train") -> Tuple[np.ndarray, np.ndarray]:
    """(labels, what the network says) for the training or test points: classes, or values for regression."""
    d = run.data
    x, y = (run.f_train, d.y_train) if part == "train" else (d.f_test, d.y_test)
    if not len(x):
        return np.zeros(0), np.zeros(0)
    return np.ravel(y), d.task.predicted(run.net.predict(x))


def current_accuracy(run: PlaygroundRun) -> Tuple[Optional[float], Optional[float]]:
    """Training and test accuracy of the network as it is now (not only at epoch ends); None for regression."""
    if not run.data.task.is_classification:
        return None, None
    return metrics.accuracy(*predictions(run, "train")), metrics.accuracy(*predictions(run, "test"))


def current_r2(run: PlaygroundRun) -> Tuple[Optional[float], Optional[float]]:
    """R² on the training and test points (regression), as the network is now."""
    return metrics.r_squared(*predictions(run, "train")), metrics.r_squared(*predictions(run, "test"))


def confusion(run: PlaygroundRun, part: str = "train") -> np.ndarray:
    """The K × K confusion matrix of the training or test points (rows: true class, columns: predicted)."""
    k = max(run.data.task.classes, 2)
    return metrics.confusion_matrix(*predictions(run, part), k)


def score_text(run: PlaygroundRun) -> str:
    """'accuracy 97% · test 95%' (classes) or 'R² 0.98 · test 0.95' (values), for the boundary's title."""
    if run.data.task.is_classification:
        acc, test = current_accuracy(run)
        return f"accuracy {acc:.0%}" + (f" · test {test:.0%}" if test is not None else "")
    r2, test = current_r2(run)
    shown = f"R² {r2:.2f}" if r2 is not None else "R² –"
    return shown + (f" · test {test:.2f}" if test is not None else "")


def explain(run: PlaygroundRun, setup: Setup) -> List[str]:
    """What the run shows, in sentences for the page (most important first)."""
    out = []
    if run.status == "diverged":
        return [run.last.reason]
    x = run.f_train
    acc, _ = current_accuracy(run)
    c = setup.controls
    out += task_sentences(run)
    classify = acc is not None              # regression: the accuracy sentences below do not apply
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
    if classify and run.done and acc < 1.0 and c.lr <= 0.001 and c.optimizer == "adam":
        out.append(f"Adam moves each weight by about α = {c.lr:g} per update, so {run.step:,} updates move a weight "
                   f"by at most ~{c.lr * run.step:.2g}: a larger α (0.01) lets the same run get much further.")
    if classify and run.done and acc < 0.9 and c.lr >= 1:
        out.append(f"α = {c.lr:g} is very large: each update jumps far past the minimum, units saturate or die, "
                   "and the cost cannot settle. Try α = 0.1 or smaller.")
    if classify and run.done and acc == 1.0 and not out:
        out.append("Every training point is on the right side of the boundary (accuracy 100 %).")
    return out


def task_sentences(run: PlaygroundRun) -> List[str]:
    """What the output shows for K classes (softmax, the most common mistake) or values (R²)."""
    task = run.data.task
    if task.kind == "multiclass":
        out = [f"The {task.classes} softmax outputs a^L_j = e^(z_j) / Σ_k e^(z_k) give one probability per class, "
               "summing to 1; each point of the plane takes the colour of its most probable class, paler where "
               "the network is less sure."]
        c = confusion(run, "train")
        wrong = c - np.diag(np.diag(c))
        if wrong.any():
            i, j = np.unravel_index(int(wrong.argmax()), wrong.shape)
            out.append(f"The most common mistake on the training points: {wrong[i, j]} of class {i} taken for "
                       f"class {j} (see the confusion matrix).")
        return out
    if task.kind == "regression":
        r2, test = current_r2(run)
        if r2 is None:
            return []
        tested = f" (test points: {test:.2f})" if test is not None else ""
        return [f"R² = {r2:.2f} on the training points{tested}: the network's values explain {max(r2, 0):.0%} of "
                "the variance of the true values (1 = every value exact, 0 = no better than always answering "
                "their mean)."]
    return []


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
    from nncore.engine.network import MLP
    from nncore.keras import bridge as keras_bridge

    data = make_data(setup)
    c = setup.controls
    x, y = data.f_train, data.t_train
    per_epoch = c.updates_per_epoch(len(x))
    epochs = max(1, min(c.epochs, max_updates // max(per_epoch, 1)))
    net_spec, train_spec = setup.network_spec(), replace(c.train_spec(), epochs=epochs)
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
    from nncore.keras import bridge as keras_bridge

    c = setup.controls
    code = keras_bridge.export_code(setup.network_spec(), c.train_spec(setup.test_ratio))
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
DATA_KEYS = ("data", "n", "noise", "test_ratio", "data_seed", "features", "classes", "radius")


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
        try:
            changes["features"] = feats.check(chosen)        # formulas in one spelling, each once
        except ValueError:                                    # validate() says what is wrong
            changes["features"] = tuple(n for n in feats.NAMES if n in chosen) + tuple(n for n in chosen
                                                                                      if n not in feats.NAMES)
    return replace(base, controls=configurator.from_values(values), **changes)


def differences(setup: Setup, preset: Setup) -> List[str]:
    """The controls (URL names) where ``setup`` departs from ``preset``: what a student has changed."""
    mine, theirs = to_values(setup), to_values(preset)
    ignored = configurator.unused_keys(setup.controls, preset.controls)
    if setup.is_gate and preset.is_gate:
        ignored |= {"n", "noise", "test_ratio", "data_seed"}
    if setup.data not in CLASS_SETS and preset.data not in CLASS_SETS:
        ignored.add("classes")
    if "disk" not in (setup.data, preset.data):
        ignored.add("radius")
    return [k for k in mine if mine[k] != theirs[k] and k not in ignored]
