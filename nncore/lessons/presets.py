"""Presets: one-click set-ups, as data, for every page that has them, each with the course reference it
reproduces (``course``; empty for nnplay's own examples). ``for_page(page)`` is the one door: slug → preset,
each with ``title``, ``course``, ``story`` and ``values()`` (the page's property values it sets; the others
keep their defaults). The playground's are here, the regression page's below, the MNIST page's in
``nncore.lessons.mnist_lab`` (they build Keras specs).

The playground's, above all course 003's three Keras XOR models:

Course 003 trains XOR with Keras: a hidden layer whose kernel starts at
``np.random.normal(loc=0.75, scale=1e-2)``, bias zeros, an output ``Dense(1, 'sigmoid')`` with
no initialiser given (so Keras's default, glorot_uniform), MSE, ``optimizer='adam'``
(α = 0.001), ``batch_size=4``, ``epochs=1000``. Model 1 has 2 sigmoid hidden units, Model 2 has
2 ReLU, Model 3 has 3 ReLU. The presets use exactly these settings.

What Keras 3 does with them (3 seeds each): Model 1 ends at accuracy 0.75 (loss 0.22-0.24),
Models 2 and 3 at accuracy 1.0 (loss 0.14-0.18 and 0.11-0.14), as the course reports. The
hidden units start almost identical; what tells them apart is the output layer's random
glorot weights. Start the output layer at N(0.75, 0.01) too and the symmetry is never broken:
Model 1 ends at accuracy 0.75 (loss 0.2501), Models 2 and 3 at 0.25 (loss 0.2508, 0.2506).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Dict, Tuple

from nncore.lessons import mnist_lab
from nncore.lessons import tfplayground as tfp
from nncore.lessons.configurator import Controls
from nncore.lessons.playground_lab import Setup, from_values, to_values

COURSE_INIT = dict(init="random_normal", init_mean=0.75, init_stddev=0.01, out_init="glorot_uniform",
                   optimizer="adam", lr=0.001, loss="mse", batch_size=4, epochs=1000, seed=0)
XOR4 = dict(data="xor4")


@dataclass(frozen=True)
class Preset:
    slug: str
    title: str
    setup: Setup
    story: str                        # what to look for, in a few sentences (markdown)
    follow_ups: Tuple[str, ...] = ()
    course: str = ""                  # the course note and example it reproduces; "" = nnplay's own

    @property
    def short(self) -> str:
        """A few words for a button."""
        return SHORT.get(self.slug, self.title)

    def values(self) -> Dict[str, Any]:
        """The playground's property values of this set-up."""
        return to_values(self.setup)


def _course(hidden, activation) -> Setup:
    return Setup(**XOR4, controls=Controls(hidden=hidden, activation=activation, **COURSE_INIT))


def _symmetric(setup: Setup) -> Setup:
    return replace(setup, controls=replace(setup.controls, out_init="same"))


MODEL_1, MODEL_2, MODEL_3 = _course((2,), "sigmoid"), _course((2,), "relu"), _course((3,), "relu")
SYMMETRIC = _symmetric(MODEL_3)
# A 3-class spiral reaches 100 % training accuracy with these (seeds 0-2; tests/test_multiclass.py).
SPIRAL_3 = Setup(data="spiral", classes=3, n=400, test_ratio=0.3, controls=Controls(
    hidden=(16, 16), optimizer="adam", lr=0.01, loss="categorical_crossentropy", batch_size=20, epochs=800))
REGRESSION_CONTROLS = Controls(hidden=(8, 8), optimizer="adam", lr=0.01, loss="mse", batch_size=20, epochs=300)
_ONE_NEURON = dict(hidden=(), optimizer="adam", lr=0.1, loss="binary_crossentropy", batch_size=4, epochs=300)

TF_DEFAULT = from_values(tfp.default_values())      # TensorFlow Playground's own default, under its rules

_PRESETS = [
    Preset("playground", "Playground: a noisy XOR cloud, 4-2 tanh", Setup(),
           "nnplay's own start: 200 points in [-1, 1]² labelled by XOR of the signs of x₁ and x₂ (class 1, blue, "
           "where the signs differ), moved by a little noise after labelling, half of them kept for testing, a 4-2 "
           "tanh network with a sigmoid output, MSE and plain SGD. Press ▶ Train and watch the hidden neurons "
           "(the small maps) each draw a line, and the output combine them. This is not TensorFlow Playground's "
           "default (that is the next preset); docs/TFPLAYGROUND.md says how and why they differ.",
           ("tensorflow-playground", "xor-model-1", "spiral")),
    Preset("tensorflow-playground", "TensorFlow Playground's default: circle, 4-2 tanh, α 0.03, batch 10",
           TF_DEFAULT,
           "TensorFlow Playground's own set-up, number for number, under its rules: the circle (500 points within "
           "radius 5, noise 0, half for training), inputs x₁ and x₂, a 4-2 tanh network with one tanh output and "
           "labels ±1, cost ½(o − t)², plain SGD with α = 0.03 on batches of 10 in a fixed order (a short last "
           "batch carried into the next epoch), weights from U[−0.5, 0.5) and biases 0.1. The loss shown is "
           "TensorFlow Playground's: ½(o − t)² over every point of the set after each epoch. The points are "
           "nnplay's draw from its distributions; paste a link of yours under 🔗 TensorFlow Playground.",
           ("playground", "circle-features")),
    Preset("xor-model-1", "Course 003, XOR Model 1: 2 sigmoid hidden units", MODEL_1,
           "The course's Keras code, setting for setting: hidden kernel from N(0.75, 0.01), bias 0, the output "
           "layer as Keras starts it (glorot_uniform), MSE, Adam with α = 0.001, batch 4, 1000 epochs. The course "
           "reports accuracy 0.75, and that is what happens: after 1000 small Adam steps every output is still "
           "close to 0.5 and one point is on the wrong side. The sigmoid network is not unable, it is slow.",
           ("xor-model-1-faster", "xor-symmetric"), course="course 003: the Keras XOR models, Model 1"),
    Preset("xor-model-2", "Course 003, XOR Model 2: 2 ReLU hidden units", MODEL_2,
           "Model 1 with ReLU instead of sigmoid. The course reports accuracy 1.0 and, with the course's code, "
           "that holds (Keras, 3 seeds: 1.0, loss 0.14-0.18): right, but with outputs only a little way from "
           "0.5. The two hidden units start almost equal; only the output layer's random weights give them "
           "different gradients. Set the output layer to N(0.75, 0.01) as well and see them stay one.",
           ("xor-symmetric", "xor-break-symmetry"), course="course 003: the Keras XOR models, Model 2"),
    Preset("xor-model-3", "Course 003, XOR Model 3: 3 ReLU hidden units", MODEL_3,
           "Model 2 with a third hidden unit. The course reports accuracy 1.0; with the course's code Keras "
           "agrees (3 seeds: 1.0, loss 0.11-0.14). Look at the hidden space in 3-D (its axes are the three "
           "units): the four points, moved by the hidden layer, end up where one plane separates them (course 001).",
           ("xor-symmetric", "xor-break-symmetry"), course="course 003: the Keras XOR models, Model 3"),
    Preset("xor-symmetric", "XOR Model 3 with every layer at N(0.75, 0.01): symmetry never broken", SYMMETRIC,
           "Model 3 with the output layer also started at N(0.75, 0.01). Now every hidden unit has the same "
           "weights in and the same weight out, so every update gives them the same gradient: they compute the "
           "same function all run long and the layer works as one unit, which draws one line. Keras ends at "
           "accuracy 0.25, loss 0.2506 (Models 1 and 2 this way: 0.75 / 0.2501 and 0.25 / 0.2508).",
           ("xor-break-symmetry", "xor-model-3"), course="course 003: the XOR models' symmetric start"),
    Preset("xor-break-symmetry", "Follow-up: break the symmetry (weights N(0.75, 0.5), α = 0.01)",
           replace(SYMMETRIC, controls=replace(SYMMETRIC.controls, init_stddev=0.5, lr=0.01)),
           "The same network with the weights drawn 50 times further apart (stddev 0.5 instead of 0.01) and "
           "α = 0.01. The hidden units now start different, learn different lines, and XOR is solved "
           "(accuracy 1.0 for every seed from 0 to 9).", ("xor-symmetric",)),
    Preset("xor-model-1-faster", "Follow-up: Model 1 with a larger learning rate (α = 0.01)",
           replace(MODEL_1, controls=replace(MODEL_1.controls, lr=0.01)),
           "Model 1 exactly as the course has it, but α = 0.01 instead of Adam's default 0.001: the same 1000 "
           "epochs now go ten times as far, and the two sigmoid units solve XOR.", ("xor-model-1",)),
    Preset("xor-no-hidden", "XOR with no hidden layer: never more than 75 %",
           Setup(**XOR4, controls=Controls(**_ONE_NEURON)),
           "A single neuron draws a single straight line. No line separates XOR's classes, so whatever the "
           "training does, at most 3 of the 4 points end on the right side.", ("xor-one-neuron-x1x2", "and-gate"),
           course="course 003: why no line separates XOR"),
    Preset("xor-one-neuron-x1x2", "XOR with one neuron and the feature x₁·x₂",
           Setup(**XOR4, features=("x1", "x2", "x1x2"), controls=Controls(**_ONE_NEURON)),
           "The same single neuron, given x₁·x₂ as a third input: y = x₁ + x₂ - 2x₁x₂ is linear in (x₁, x₂, x₁x₂), "
           "so a plane in that space separates XOR. A hidden layer learns such features by itself.",
           ("xor-model-3",)),
    Preset("and-gate", "AND: a single neuron suffices", Setup(data="and", controls=Controls(**_ONE_NEURON)),
           "AND is linearly separable (course 003's table: w = (1, 1), b = -2 and a step), so one sigmoid "
           "neuron with no hidden layer learns it.", ("or-gate", "xor-no-hidden"),
           course="course 003: the AND perceptron"),
    Preset("or-gate", "OR: a single neuron suffices", Setup(data="or", controls=Controls(**_ONE_NEURON)),
           "OR is linearly separable too: one line puts (0,0) alone on one side.", ("and-gate", "xor-no-hidden"),
           course="course 003: the OR perceptron"),
    Preset("circle-features", "Circle with x₁², x₂²: no hidden layer needed",
           Setup(data="circle", features=("x1sq", "x2sq"),
                 controls=Controls(hidden=(), optimizer="adam", lr=0.1, loss="binary_crossentropy", epochs=200)),
           "Given x₁² and x₂², a single neuron draws the circle x₁² + x₂² = r²: the right features can replace "
           "layers.", ("playground",)),
    Preset("spiral", "Spiral: a deeper network", Setup(data="spiral", controls=Controls(
        hidden=(8, 8, 6), optimizer="adam", lr=0.01, loss="binary_crossentropy", epochs=1000)),
           "Two interleaved spiral arms need many bends in the boundary: three hidden layers, Adam and "
           "cross-entropy. Watch the deeper neurons combine the first layer's lines into curves.",
           ("playground",)),
    Preset("dead-relu", "Dead ReLUs: α too large", Setup(data="moons", controls=Controls(
        hidden=(8, 8), activation="relu", lr=3.0, epochs=200)),
           "ReLU with plain SGD and α = 3: some updates push a unit's z below 0 for every input, and a ReLU "
           "with z < 0 everywhere has slope 0, so it never recovers. The dead-ReLU meter counts them.",
           ("playground",)),
    # ---- K classes and values (tasks.py): softmax outputs, a linear output ----------------------------
    Preset("spiral-3", "Three spiral arms: one softmax output per class", SPIRAL_3,
           "Three interleaved arms, one per class. The output layer has 3 softmax neurons, "
           "a^L_j = e^(z_j) / Σ_k e^(z_k): one probability per class, summing to 1, trained with categorical "
           "cross-entropy on one-hot targets (δ^L = a^L − y). Each point of the plane takes its most probable "
           "class's colour, paler where the network is less sure; the confusion matrix counts who is taken "
           "for whom.", ("spiral-3-stop", "blobs-5")),
    Preset("spiral-3-stop", "Three spiral arms with a stop rule (patience 100)", replace(
        SPIRAL_3, controls=replace(SPIRAL_3.controls, patience=100)),
           "The same run, stopped when the test cost has not improved for 100 epochs. The training cost keeps "
           "falling, but from some epoch on the test cost does not: the network starts to learn the training "
           "points' noise rather than the arms (course 001: stop when the gap grows).", ("spiral-3",)),
    Preset("blobs-5", "Five blobs: five classes, five softmax outputs", Setup(
        data="blobs", classes=5, n=400, test_ratio=0.3, controls=SPIRAL_3.controls),
           "Five Gaussian blobs on a circle. Watch the plane split into five regions, one per output neuron; "
           "where two blobs overlap the colour fades, because both classes are about equally probable.",
           ("spiral-3",)),
    Preset("regression-plane", "Regression: a plane of values", Setup(
        data="plane", n=400, test_ratio=0.3, controls=REGRESSION_CONTROLS),
           "Each point carries a value, y = (x₁ + x₂)/2 plus noise, not a class. The output neuron is linear "
           "(a^L = z^L, any real number) and the cost is the mean squared error. The plane is coloured by the "
           "value the network gives (orange below 0, blue above), the points by their true value.",
           ("regression-gaussians",)),
    Preset("regression-gaussians", "Regression: bumps and dips (multi-gaussian)", Setup(
        data="multi_gaussian", n=400, test_ratio=0.3, controls=replace(REGRESSION_CONTROLS, hidden=(16, 16),
                                                                        epochs=500)),
           "Five Gaussian bumps, up and down. A linear output sums the hidden neurons' maps: each bump needs "
           "neurons that rise and fall around it. R² says how much of the values' spread the network explains.",
           ("regression-plane",)),
]
SHORT = {
    "playground": "XOR cloud, 4-2 tanh", "tensorflow-playground": "TensorFlow Playground's default",
    "xor-model-1": "Course Model 1 (2 sigmoid)",
    "xor-model-2": "Course Model 2 (2 ReLU)", "xor-model-3": "Course Model 3 (3 ReLU)",
    "xor-symmetric": "Every layer at N(0.75, 0.01)", "xor-break-symmetry": "Break the symmetry",
    "xor-model-1-faster": "Model 1 with α = 0.01", "xor-no-hidden": "XOR, no hidden layer",
    "xor-one-neuron-x1x2": "One neuron + x₁·x₂", "and-gate": "AND, one neuron", "or-gate": "OR, one neuron",
    "circle-features": "Circle from x₁², x₂²", "spiral": "Spiral, deeper", "dead-relu": "Dead ReLUs",
    "spiral-3": "3-class spiral", "spiral-3-stop": "3-class spiral, stop rule", "blobs-5": "5 blobs",
    "regression-plane": "Regression: plane", "regression-gaussians": "Regression: bumps",
}
PRESETS: Dict[str, Preset] = {p.slug: p for p in _PRESETS}
DEFAULT = "playground"
TASK_DEFAULTS = {"binary": DEFAULT, "multiclass": "spiral-3", "regression": "regression-plane"}


def for_task(kind: str) -> Setup:
    """What a student starts from on choosing data of another kind (binary, multiclass, regression)."""
    return PRESETS[TASK_DEFAULTS[kind]].setup


def get(slug: str) -> Preset:
    try:
        return PRESETS[slug]
    except KeyError:
        raise ValueError(f"Unknown preset {slug!r}; choose one of {', '.join(PRESETS)}.") from None


# ---- the regression page (course 004's NumPy script) --------------------------------------------------------
@dataclass(frozen=True)
class RegressionPreset:
    """A change of the course's regression set-up; its slug is its title (the links have always said so)."""

    title: str
    changes: Dict[str, Any]
    course: str = ""
    story: str = ""

    @property
    def slug(self) -> str:
        return self.title

    def values(self) -> Dict[str, Any]:
        return dict(self.changes)


REGRESSION: Dict[str, RegressionPreset] = {p.slug: p for p in [
    RegressionPreset("Course example (course 004)", {},
                     "course 004: the NumPy script (w = 2, b = 1, N = 100, α = 0.1, 1000 epochs)"),
    RegressionPreset("Learning rate too high (α = 1)", {"lr": 1.0}, "course 004: what a too-high learning rate does"),
    RegressionPreset("Learning rate too low (α = 0.01)", {"lr": 0.01}, "course 004: the home task, a smaller α"),
    # A preset with many updates names a speed (updates per painted frame) at which it ends in ~20 s.
    RegressionPreset("Stochastic descent (one sample per update)",
                     {"mode": "stochastic", "lr": 0.05, "epochs": 30, "speed": 5},
                     "course 004: batch, mini-batch and stochastic descent"),
    RegressionPreset("Mini-batch descent (batches of 10)", {"mode": "mini-batch", "batch_size": 10, "epochs": 50},
                     "course 004: batch, mini-batch and stochastic descent"),
    RegressionPreset("Momentum (μ = 0.9)", {"optimizer": "momentum", "lr": 0.05}, "course 002: momentum"),
    RegressionPreset("Adam", {"optimizer": "adam", "lr": 0.1, "epochs": 200}, "course 002: Adam"),
    RegressionPreset("A curve: a small network on y = sin(2πx)", {
        "model": "curve", "optimizer": "adam", "lr": 0.01, "epochs": 1000, "mode": "mini-batch", "batch_size": 20,
        "early_stop": 0.0, "noise": 0.1, "seed": 0, "layers": 2, "n1": 16, "n2": 16, "activation": "tanh",
        "speed": 10},
        story="Beyond the course's line: a 1-16-16-1 tanh network fits a sine, the same descent on more weights."),
]}

PAGES = {"playground": PRESETS, "regression": REGRESSION, "mnist": mnist_lab.PRESETS}


def for_page(page: str) -> Dict[str, Any]:
    """The presets of ``page`` (slug → preset with ``title``, ``course``, ``story``, ``values()``); {} if none."""
    return PAGES.get(page, {})
