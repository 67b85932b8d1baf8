"""TensorFlow Playground in nnplay: its set-ups number for number, its links both ways.

TF Playground (playground.tensorflow.org; its ``state.ts``, ``nn.ts``, ``dataset.ts``, ``playground.ts``)
keeps its whole set-up in the link's hash, ``#activation=tanh&batchSize=10&dataset=circle&…``. Here:

- ``parse(link)`` reads such a hash as TF Playground's ``State.deserializeState`` does (every field of its
  ``State.PROPS``; a value it would not take keeps its default);
- ``to_values(state)`` turns it into the playground's settings under TF Playground's rules
  (``Controls.rules = "tfplayground"``) and says, in one sentence, which fields nnplay cannot honour;
- ``link_for(values)`` goes back: the TF Playground link of a set-up it can express, or why it cannot.

TF Playground's network, in the course's notation: hidden layers with f = ``activation``, one output neuron
a^L = tanh(z^L) for classes (labels t = ±1; nnplay's class 1 is its +1, blue) or a^L = z^L for values; the cost
of a point ½(a^L − t)²; plain SGD, W := W − α ∂J/∂W averaged over the batch; weights from U[−0.5, 0.5), biases
0.1 (``initZero``: all 0); L2 adds r·½w² per weight (λ = r/2 in nnplay's λΣw²), L1 steps w by α r sign(w) and
kills a weight it moves across 0. The tasks ``SIGNED`` and ``VALUES`` carry the output and the targets.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field, fields
from typing import Dict, List, Mapping, Optional, Tuple
from urllib.parse import unquote

import numpy as np

from nncore.data.tasks import Task

URL = "https://playground.tensorflow.org/"
DEFAULT_LINK = (URL + "#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&"
                "regularizationRate=0&noise=0&networkShape=4,2&seed=0.80189&showTestData=false&discretize=false&"
                "percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&"
                "sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&"
                "hideText=false")

# Its lists (index.html) and limits (playground.ts: at most 6 hidden layers of 8 neurons).
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = {"none": "none", "L1": "l1", "L2": "l2"}
MAX_LAYERS, MAX_UNITS = 6, 8
MAX_BATCH = 30
NOISES = tuple(range(0, 55, 5))            # its noise slider, percent
TRAIN_PERCENTS = tuple(range(10, 100, 10))  # its "ratio of training to test data" slider
SAMPLES = {"classification": 500, "regression": 1200}
EPOCHS = 1000                               # TF Playground trains until paused; nnplay stops here
BIAS_INIT = 0.1
INIT = "tfp_uniform"
LOSS = "half_mse"

# Its data sets → the playground's data keys (nncore.data.datasets.tfp_*).
DATASETS = {"circle": "tfp_circle", "xor": "tfp_xor", "gauss": "tfp_gauss", "spiral": "tfp_spiral"}
REG_DATASETS = {"reg-plane": "tfp_reg_plane", "reg-gauss": "tfp_reg_gauss"}
DATA_NAMES = {v: k for k, v in {**DATASETS, **REG_DATASETS}.items()}      # data key → its name
# Its input features (playground.ts INPUTS, in its order) → nnplay's feature names.
FEATURES = {"x": "x1", "y": "x2", "xSquared": "x1sq", "ySquared": "x2sq", "xTimesY": "x1x2", "sinX": "sinx1",
            "sinY": "sinx2"}


@dataclass(frozen=True)
class TFState:
    """Every field of TF Playground's ``State.PROPS``, with its defaults (``state.ts``)."""

    activation: str = "tanh"
    regularization: str = "none"
    batchSize: float = 10
    dataset: str = "circle"
    regDataset: str = "reg-plane"
    learningRate: float = 0.03
    regularizationRate: float = 0.0
    noise: float = 0.0
    networkShape: Tuple[float, ...] = (4, 2)
    seed: Optional[str] = None
    showTestData: bool = False
    discretize: bool = False
    percTrainData: float = 50
    x: bool = True
    y: bool = True
    xTimesY: bool = False
    xSquared: bool = False
    ySquared: bool = False
    cosX: bool = False
    sinX: bool = False
    cosY: bool = False
    sinY: bool = False
    collectStats: bool = False
    tutorial: Optional[str] = None
    problem: str = "classification"
    initZero: bool = False
    hideText: bool = False
    hidden_controls: Tuple[str, ...] = field(default=())     # its "<control>_hide=true" fields

    @property
    def features(self) -> Tuple[str, ...]:
        """nnplay's names of the features it feeds the network, in its order."""
        return tuple(mine for name, mine in FEATURES.items() if getattr(self, name))


FIELDS = tuple(f.name for f in fields(TFState) if f.name != "hidden_controls")
_CHOICES = {"activation": ACTIVATIONS, "regularization": tuple(REGULARIZATIONS), "dataset": tuple(DATASETS),
            "regDataset": ("reg-maximum", "reg-argmax", *REG_DATASETS), "problem": ("classification", "regression")}
_NUMBERS = ("batchSize", "learningRate", "regularizationRate", "noise", "percTrainData")
_BOOLEANS = tuple(f.name for f in fields(TFState) if f.type in ("bool", bool))


def hash_of(link: str) -> str:
    """The part after '#' (or the whole text when it has none: a pasted hash)."""
    text = (link or "").strip()
    return text.split("#", 1)[1] if "#" in text else text.lstrip("?")


def parse(link: str) -> TFState:
    """TF Playground's state from its link, read as its ``deserializeState`` reads it: a value of a choice it
    does not know keeps the default; a number is JavaScript's ``+text`` (so it may be NaN, which
    ``to_values`` reports); a boolean is false only for ``false``; ``networkShape=`` (empty) is no hidden layer."""
    pairs: Dict[str, str] = {}
    for item in hash_of(link).split("&"):
        name, _, value = item.partition("=")
        if name:
            pairs[unquote(name)] = unquote(value)

    def has(name):
        return name in pairs and pairs[name].strip() != ""

    changes = {}
    for name in FIELDS:
        if name in _CHOICES:
            if has(name) and pairs[name] in _CHOICES[name]:
                changes[name] = pairs[name]
        elif name in _NUMBERS:
            if has(name):
                changes[name] = _js_number(pairs[name])
        elif name in _BOOLEANS:
            if has(name):
                changes[name] = pairs[name] != "false"
        elif name == "networkShape":
            if name in pairs:
                text = pairs[name].strip()
                changes[name] = tuple(_js_number(t) for t in text.split(",")) if text else ()
        elif has(name):                       # seed, tutorial: strings
            changes[name] = pairs[name]
    hidden = tuple(n[:-len("_hide")] for n, v in pairs.items() if n.endswith("_hide") and v == "true")
    return TFState(**changes, hidden_controls=hidden)


def _js_number(text: str) -> float:
    """JavaScript's ``+text``: a number, or NaN."""
    try:
        return float(text.strip()) if text.strip() else 0.0
    except ValueError:
        return math.nan


def data_seed(seed: Optional[str]) -> int:
    """nnplay's data seed for TF Playground's seed text: its usual ``0.80189`` → 80189 (so the link back says
    the same), any other text a number from its checksum."""
    if seed is None:
        return 0
    try:
        value = float(seed)
        if 0 <= value < 1 and len(seed.split(".")[-1]) <= 5:
            return int(round(value * 100_000))
    except ValueError:
        pass
    return zlib.crc32(seed.encode()) % 100_000


def _nearest(value: float, allowed) -> float:
    """The listed value nearest to ``value`` > 0 on a log scale (its lists go in steps of about ×3)."""
    return min((a for a in allowed if a > 0), key=lambda a: abs(math.log10(a) - math.log10(value)))


def to_values(state: TFState) -> Tuple[Dict[str, object], str]:
    """The playground's settings for ``state`` under TF Playground's rules, and one sentence naming the fields
    nnplay cannot honour ('' when it honours them all)."""
    cannot: List[str] = []
    regression = state.problem == "regression"
    if regression and state.regDataset not in REG_DATASETS:
        cannot.append(f"regDataset={state.regDataset} (not one of TF Playground's published sets here; "
                      "using reg-plane)")
    data = REG_DATASETS.get(state.regDataset, "tfp_reg_plane") if regression else DATASETS[state.dataset]
    shape = [u for u in state.networkShape]
    if any(not (u == u) or u < 1 or u != int(u) for u in shape):
        cannot.append(f"networkShape={','.join(f'{u:g}' for u in shape)} (a layer needs a whole number of "
                      "neurons; using 4,2)")
        shape = [4, 2]
    if len(shape) > MAX_LAYERS or any(u > MAX_UNITS for u in shape):
        cannot.append(f"networkShape={','.join(f'{u:g}' for u in shape)} (its controls stop at {MAX_LAYERS} "
                      f"layers × {MAX_UNITS}; so do nnplay's in its mode)")
        shape = [min(int(u), MAX_UNITS) for u in shape[:MAX_LAYERS]]
    lr = state.learningRate
    if not (lr == lr) or lr <= 0 or lr > 10:
        cannot.append(f"learningRate={lr:g} (α must be between 0.00001 and 10; using 0.03)")
        lr = 0.03
    elif lr not in LEARNING_RATES:
        near = _nearest(lr, LEARNING_RATES)
        cannot.append(f"learningRate={lr:g} (not on its list of rates, which nnplay offers; using {near:g})")
        lr = near
    rate = state.regularizationRate
    if not (rate == rate) or not 0 <= rate <= 10:
        cannot.append(f"regularizationRate={rate:g} (using 0)")
        rate = 0.0
    elif rate not in REG_RATES:
        near = _nearest(rate, REG_RATES)
        cannot.append(f"regularizationRate={rate:g} (not on its list of rates, which nnplay offers; using {near:g})")
        rate = near
    reg = REGULARIZATIONS[state.regularization]
    if reg != "none" and rate == 0:
        reg = "none"                      # TF Playground: rate 0 penalises nothing; nnplay says 'none'
    batch = state.batchSize
    if not (batch == batch) or batch < 1 or batch != int(batch):
        cannot.append(f"batchSize={batch:g} (a batch is a whole number of points; using 10)")
        batch = 10
    elif batch > MAX_BATCH:
        cannot.append(f"batchSize={batch:g} (its control stops at {MAX_BATCH}; so does nnplay's in its mode)")
        batch = MAX_BATCH
    noise = state.noise
    if not (noise == noise) or not 0 <= noise <= 100:
        cannot.append(f"noise={noise:g} (a percentage; using 0)")
        noise = 0.0
    perc = state.percTrainData
    if not (perc == perc) or not 10 <= perc <= 100:
        cannot.append(f"percTrainData={perc:g} (nnplay trains on 10 to 100 %; using 50)")
        perc = 50
    features = state.features
    if not features:
        cannot.append("no input feature (nnplay's network needs one; using x1, x2)")
        features = ("x1", "x2")
    for name in ("cosX", "cosY"):
        if getattr(state, name):
            cannot.append(f"{name}=true (TF Playground itself ignores it: it has no cos feature)")
    cannot.append(f"seed={state.seed or '(none)'} (nnplay draws its own {SAMPLES[state.problem]} points from "
                  "TF Playground's distributions, not its exact points)")
    if state.collectStats:
        cannot.append("collectStats=true (TF Playground's own statistics)")
    if state.tutorial:
        cannot.append(f"tutorial={state.tutorial} (TF Playground's tutorial texts)")
    if state.hideText:
        cannot.append("hideText=true (use nnplay's presentation mode, ?present=1)")
    if state.hidden_controls:
        cannot.append(f"{', '.join(c + '_hide' for c in state.hidden_controls)} (a teacher link's hide=… does "
                      "that here)")
    hidden = tuple(int(u) for u in shape)
    values: Dict[str, object] = {
        "data": data, "n": SAMPLES[state.problem], "noise": round(noise / 100, 10),
        "test_ratio": round(1 - perc / 100, 10), "data_seed": data_seed(state.seed), "features": list(features),
        "classes": 2, "layers": len(hidden), **{f"n{i + 1}": u for i, u in enumerate(hidden)},
        "activation": state.activation, "init": "zeros" if state.initZero else INIT,
        "bias_init": 0.0 if state.initZero else BIAS_INIT, "out_init": "same", "optimizer": "sgd", "lr": lr,
        "reg": reg, "reg_rate": rate if reg != "none" else 0.0, "dropout": 0.0, "batch_size": int(batch),
        "loss": LOSS, "epochs": EPOCHS, "seed": 0, "patience": 0, "per_layer": False, "rules": "tfplayground",
        "show_test": state.showTestData, "discretize": state.discretize,
    }
    sentence = ("nnplay cannot honour " + "; ".join(cannot) + ".") if cannot else ""
    return values, sentence


def default_values() -> Dict[str, object]:
    """TF Playground's default set-up (its link with no hash), as the playground's settings."""
    return to_values(TFState(seed="0.80189"))[0]


# ---- back: the TF Playground link of a set-up ----------------------------------------------------------
def link_for(values: Mapping[str, object]) -> Tuple[str, List[str]]:
    """TF Playground's link for the playground's settings ``values`` (as ``playground_lab.to_values`` gives),
    or '' and the reasons it cannot express them."""
    why: List[str] = []
    data = values.get("data")
    if data not in DATA_NAMES:
        why.append("its data sets are circle, xor, gauss, spiral, reg-plane and reg-gauss")
    if values.get("rules") != "tfplayground":
        why.append("it trains by its own rules only (switch to TF Playground's rules)")
    regression = data in REG_DATASETS.values()
    samples = SAMPLES["regression" if regression else "classification"]
    if data in DATA_NAMES and int(values.get("n", samples)) != samples:
        why.append(f"it always draws {samples} points for this data set")
    features = list(values.get("features", ()))
    if not features or any(f not in FEATURES.values() for f in features):
        why.append("its inputs are x1, x2, x1², x2², x1x2, sin x1, sin x2 only")
    layers = int(values.get("layers", 0))
    hidden = [int(values.get(f"n{i + 1}", 0)) for i in range(layers)]
    if layers > MAX_LAYERS or any(u > MAX_UNITS for u in hidden):
        why.append(f"it has at most {MAX_LAYERS} hidden layers of {MAX_UNITS} neurons")
    if values.get("activation") not in ACTIVATIONS:
        why.append("its activations are ReLU, tanh, sigmoid and linear")
    lr, rate = float(values.get("lr", 0)), float(values.get("reg_rate", 0))
    if not any(math.isclose(lr, a) for a in LEARNING_RATES):
        why.append(f"its learning rates are {', '.join(f'{a:g}' for a in LEARNING_RATES)}")
    reg = values.get("reg", "none")
    if reg != "none" and not any(math.isclose(rate, a) for a in REG_RATES):
        why.append(f"its regularisation rates are {', '.join(f'{a:g}' for a in REG_RATES)}")
    batch = int(values.get("batch_size", 10))
    if not 1 <= batch <= MAX_BATCH:
        why.append(f"its batch size is 1 to {MAX_BATCH}")
    noise = round(float(values.get("noise", 0)) * 100, 6)
    if not 0 <= noise <= 50:
        why.append("its noise is 0 to 50 %")
    perc = round((1 - float(values.get("test_ratio", 0.5))) * 100, 6)
    if not 10 <= perc <= 90:
        why.append("it trains on 10 to 90 % of the points")
    zero = values.get("init") == "zeros" and float(values.get("bias_init", 0)) == 0
    tf_start = values.get("init") == INIT and math.isclose(float(values.get("bias_init", 0)), BIAS_INIT)
    if not (zero or tf_start) or values.get("out_init", "same") != "same":
        why.append("its weights start from U[−0.5, 0.5) with biases 0.1, or all at 0")
    if values.get("optimizer") != "sgd" or values.get("loss") != LOSS:
        why.append("it trains with plain SGD on ½(o − t)²")
    if float(values.get("dropout", 0)) or values.get("per_layer") or int(values.get("patience", 0)):
        why.append("it has no dropout, no per-layer settings and no stop rule")
    if why:
        return "", why
    tf_features = {name: mine in features for name, mine in FEATURES.items()}
    parts = {
        "activation": values["activation"], "batchSize": batch,
        "dataset": "circle" if regression else DATA_NAMES[data],
        "regDataset": DATA_NAMES[data] if regression else "reg-plane",
        "learningRate": _js_number_text(lr), "regularizationRate": _js_number_text(rate if reg != "none" else 0),
        "noise": _js_number_text(noise), "networkShape": ",".join(map(str, hidden)),
        "seed": f"0.{int(values.get('data_seed', 0)) % 100_000:05d}",
        "showTestData": _js(values.get("show_test", False)), "discretize": _js(values.get("discretize", False)),
        "percTrainData": _js_number_text(perc), "x": _js(tf_features["x"]), "y": _js(tf_features["y"]),
        "xTimesY": _js(tf_features["xTimesY"]), "xSquared": _js(tf_features["xSquared"]),
        "ySquared": _js(tf_features["ySquared"]), "cosX": "false", "sinX": _js(tf_features["sinX"]),
        "cosY": "false", "sinY": _js(tf_features["sinY"]), "collectStats": "false",
        "problem": "regression" if regression else "classification", "initZero": _js(zero), "hideText": "false",
    }
    if reg != "none":                     # its place in State.PROPS: right after activation
        parts = {"activation": parts.pop("activation"), "regularization": {"l1": "L1", "l2": "L2"}[reg], **parts}
    return URL + "#" + "&".join(f"{k}={v}" for k, v in parts.items()), []


def _js(value) -> str:
    return "true" if value else "false"


def _js_number_text(value: float) -> str:
    """A number as JavaScript's String() writes it for TF Playground's values: 10, 0.03, 0.00001."""
    value = float(value)
    if value == int(value):
        return str(int(value))
    text = repr(value)
    return f"{value:.12f}".rstrip("0") if "e" in text else text


# ---- its output and targets, as nnplay's tasks -----------------------------------------------------------
@dataclass(frozen=True)
class SignedTask(Task):
    """TF Playground's two classes: one tanh output, trained towards t = +1 (class 1, blue) or −1 (class 0,
    orange) with ½(a − t)²; a point is class 1 where a^L > 0."""

    @property
    def output_activation(self) -> str:
        return "tanh"

    @property
    def losses(self) -> Tuple[str, ...]:
        return (LOSS,)

    def targets(self, labels) -> np.ndarray:
        return 2 * np.asarray(labels, dtype=float).reshape(-1, 1) - 1

    def predicted(self, a) -> np.ndarray:
        return (np.asarray(a, dtype=float).reshape(len(a), -1)[:, 0] > 0).astype(int)

    def describe(self) -> str:
        return "2 classes: 1 tanh output, +1 for class 1 (blue) and −1 for class 0 (orange)"


@dataclass(frozen=True)
class ValueTask(Task):
    """TF Playground's values: one linear output trained with ½(a − t)²."""

    @property
    def losses(self) -> Tuple[str, ...]:
        return (LOSS,)

    def describe(self) -> str:
        return "values: 1 linear output, the predicted value, cost ½(a − t)²"


SIGNED = SignedTask("binary", 2)
VALUES = ValueTask("regression", 0)


def task_for(data: str) -> Task:
    """The task of TF Playground's rules for the data key ``data``."""
    return VALUES if data in REG_DATASETS.values() else SIGNED
