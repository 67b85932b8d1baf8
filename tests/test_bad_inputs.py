"""Bad input, case by case: every page and entry point answers with a sentence, never a traceback,
and the same session (or the next one) goes on working.

Four tables: links (query params) per page under AppTest, files uploaded to the MNIST page (digits
and ``.keras`` models) in one session that keeps a working model, nncore entry points that every
input path goes through (JSON configs, query params, images, hidden layers), and runs that go wrong
(a diverging α, a comparison too large for one click). ``docs/ROBUSTNESS.md`` lists every case;
``test_robustness_md_lists_every_case`` keeps the two in step. With ``NNPLAY_ROBUSTNESS_TABLE=path``
the run also writes the messages the student saw as that document's table.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Callable, NamedTuple, Optional

import numpy as np
import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from nncore.data import digits
from nncore.engine import specs
from nncore.engine.specs import NetworkSpec, SpecError, TrainSpec
from nncore.keras import bridge as kb
from nncore.lessons import loss_lab, mnist_lab
from nncore.lessons import regression_lab as reg
from tests import pages

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ROOT / "views"
DOC = ROOT / "docs" / "ROBUSTNESS.md"
TITLES = {"perceptron": "Perceptron", "activations": "Activation functions", "losses": "Loss functions",
          "regression": "Regression", "playground": "Playground", "mnist": "MNIST", "race": "Optimiser race"}
SEEN = {}          # case id -> (entry point, message the student saw), for the optional table


def app(page: str, query: Optional[dict] = None) -> AppTest:
    at = AppTest.from_file(str(VIEWS / f"{page}.py"), default_timeout=180)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def texts(at, kind: str):
    return [m.value for m in getattr(at, kind)]


def assert_readable(message: str, words: str) -> None:
    """The sentence a student gets: says what is wrong (``words``), no traceback, no class names, short."""
    assert words in message, f"{words!r} not in {message!r}"
    assert len(message) <= 700, message
    for internal in ("Traceback", "Exception", "<class", "File \"", "NoneType", "KeyError", "TypeError"):
        assert internal not in message, message


def assert_page_renders(at, page: str) -> None:
    """The page as a student gets it: its title, no exception."""
    assert not at.exception, at.exception
    assert any(TITLES[page] in t.value for t in at.title), [t.value for t in at.title]


def message_with(at, kind: str, words: str) -> str:
    found = [m for m in texts(at, kind) if words in m]
    assert found, f"no {kind} with {words!r}; {kind}s: {texts(at, kind)}, errors: {texts(at, 'error')}"
    return found[0]


# ---- 1. links: out-of-range, non-numeric, unknown names, huge counts, zero-sized data ---------------
class Link(NamedTuple):
    id: str
    page: str
    query: dict
    kind: str           # "warning" (a link value replaced by the default) or "error" (nothing to run)
    words: str


LINKS = [
    Link("regression-lr-out-of-range", "regression", {"lr": "1e6"}, "warning", "sets lr to '1e6'; allowed"),
    Link("regression-n-not-a-number", "regression", {"n": "abc"}, "warning", "n to 'abc', which is not a valid value"),
    Link("regression-n-negative", "regression", {"n": "-3"}, "warning", "n to -3, outside 1 … 1000"),
    Link("regression-n-over-the-cap", "regression", {"n": "5001"}, "warning", "outside 1 … 1000"),
    Link("regression-epochs-huge", "regression", {"epochs": "999999999"}, "warning", "outside 1 … 5000"),
    Link("regression-noise-nan", "regression", {"noise": "nan"}, "warning", "noise to NaN"),
    Link("regression-noise-inf", "regression", {"noise": "inf"}, "warning", "noise to inf, outside"),
    Link("regression-unknown-preset", "regression", {"preset": "nope"}, "warning", "sets preset to 'nope'; allowed"),
    Link("regression-unknown-mode", "regression", {"mode": "sideways"}, "warning", "mode to 'sideways'"),
    Link("regression-batch-size-zero", "regression", {"batch_size": "0"}, "warning", "batch_size to 0, outside"),
    Link("regression-bool-not-bool", "regression", {"course_init": "maybe"}, "warning", "course_init to 'maybe'"),
    Link("regression-10k-char-value", "regression", {"lr": "9" * 10_000}, "warning", "sets lr to"),
    Link("regression-one-point-no-training-data", "regression", {"n": "1"}, "error", "leaves no training data"),
    Link("perceptron-unknown-gate", "perceptron", {"gate": "XNOR"}, "warning", "allowed: AND, OR, NAND, NOR, XOR"),
    Link("perceptron-weight-out-of-range", "perceptron", {"w1": "100"}, "warning", "w1 to 100, outside -10 … 10"),
    Link("perceptron-zero-epochs", "perceptron", {"epochs": "0"}, "warning", "epochs to 0, outside 1 … 100"),
    Link("perceptron-bool-not-bool", "perceptron", {"sigmoid": "yes"}, "warning", "sigmoid to 'yes'"),
    Link("activations-million-layers", "activations", {"layers": "1000000"}, "warning", "outside 1 … 30"),
    Link("activations-unknown-activation", "activations", {"act": "sigmoid,banana"}, "warning", "allowed: sigmoid"),
    Link("activations-softmax-not-numbers", "activations", {"act": "softmax", "softmax_z": "a,b"}, "warning",
         "must be numbers separated by commas"),
    Link("activations-softmax-one-number", "activations", {"act": "softmax", "softmax_z": "1"}, "warning",
         "between 2 and 10 numbers"),
    Link("activations-softmax-overflow", "activations", {"act": "softmax", "softmax_z": "1e308,1"}, "warning",
         "between -50 and 50"),
    Link("activations-zoom-negative", "activations", {"z_max": "-5"}, "warning", "z_max to -5, outside"),
    Link("losses-y-not-numbers", "losses", {"y": "1,2,x"}, "warning", "must be numbers separated by commas"),
    Link("losses-lengths-differ", "losses", {"y": "1,2,3", "y_hat": "1,2"}, "warning", "3 targets y but 2 predictions"),
    Link("losses-no-samples", "losses", {"y": ""}, "warning", "between 1 and 10 numbers (got 0)"),
    Link("losses-infinite-target", "losses", {"y": "1e400"}, "warning", "between -1000 and 1000"),
    Link("losses-probability-over-one", "losses", {"p": "2"}, "warning", "p to 2, outside 0.01 … 0.99"),
    Link("losses-unknown-class", "losses", {"true_class": "4"}, "warning", "allowed: 1, 2, 3"),
    Link("playground-unknown-preset", "playground", {"preset": "nope"}, "warning", "sets preset to 'nope'; allowed"),
    Link("playground-100-layers", "playground", {"layers": "100"}, "warning", "layers to 100, outside 0 … 8"),
    Link("playground-25-neurons", "playground", {"n1": "25"}, "warning", "n1 to 25, outside 1 … 24"),
    Link("playground-layer-activation-unknown", "playground", {"per_layer": "1", "act2": "swish"}, "warning",
         "act2 to 'swish'; allowed"),
    Link("playground-layer-dropout-over-0.9", "playground", {"per_layer": "1", "drop1": "1.5"}, "warning",
         "drop1 to 1.5, outside 0 … 0.9"),
    Link("playground-layer-l2-not-a-rate", "playground", {"per_layer": "1", "l2_1": "0.5"}, "warning",
         "l2_1 to '0.5'; allowed"),
    Link("playground-100000-points", "playground", {"n": "100000"}, "warning", "n to 100000, outside 4 …"),
    Link("playground-unknown-data-set", "playground", {"data": "mnist"}, "warning", "data to 'mnist'; allowed"),
    Link("playground-no-features", "playground", {"features": ""}, "error", "at least one input feature"),
    Link("playground-split-leaves-no-training-data", "playground", {"n": "4", "test_ratio": "0.9"}, "error",
         "leaves no training data"),
    Link("race-unknown-optimiser", "race", {"racers": "sgd,lbfgs"}, "warning", "racers to 'sgd,lbfgs'; allowed"),
    Link("race-alpha-not-offered", "race", {"lr_adam": "0.5"}, "warning", "lr_adam to '0.5'; allowed"),
    Link("race-no-racers", "race", {"racers": ""}, "error", "Choose at least one optimiser"),
    Link("teacher-lock-unknown-control", "playground", {"lock": "lr,bogus"}, "warning",
         "lock 'bogus', which is not a control of this page; it is ignored."),
    Link("teacher-hide-script-tag", "regression", {"hide": "<script>alert(1)</script>"}, "warning",
         "hide '\\<script\\>alert(1)\\</script\\>', which is not a control"),     # shown as text
    Link("teacher-lock-10k-chars", "race", {"lock": "x" * 10_000}, "warning", "lock 'xxxxxxxxxx"),
    Link("playground-9-classes", "playground", {"data": "spiral", "classes": "9"}, "warning",
         "classes to 9, outside 2 … 5"),
    Link("playground-loss-does-not-fit-the-classes", "playground",
         {"data": "spiral", "classes": "3", "loss": "binary_crossentropy"}, "warning", "does not fit this data"),
    Link("playground-negative-patience", "playground", {"patience": "-5"}, "warning", "patience to -5, outside 0"),
    Link("mnist-hidden-not-numbers", "mnist", {"hidden": "12a"}, "error", "separated by commas"),
    Link("mnist-zero-neurons", "mnist", {"hidden": "0"}, "error", "has 0 neurons"),
    Link("mnist-12-hidden-layers", "mnist", {"hidden": ",".join(["4"] * 12)}, "error", "At most 8 hidden layers"),
    Link("mnist-100000-neurons", "mnist", {"hidden": "100000"}, "error", "between 1 and 1024 neurons"),
    Link("mnist-400-digit-layer", "mnist", {"hidden": "9" * 400}, "error", "between 1 and 1024 neurons"),
    Link("mnist-zero-training-digits", "mnist", {"n_train": "0"}, "warning", "n_train to 0, outside 500"),
    Link("mnist-unknown-optimiser", "mnist", {"optimizer": "magic"}, "warning", "optimizer to 'magic'; allowed"),
    Link("mnist-learning-rate-not-a-number", "mnist", {"lr": "banana"}, "warning", "lr to 'banana'"),
]


@pytest.mark.parametrize("case", LINKS, ids=[c.id for c in LINKS])
def test_a_bad_link_gets_a_sentence_and_the_page_goes_on(case):
    at = app(case.page, case.query)
    assert not at.exception, at.exception
    message = message_with(at, case.kind, case.words)
    assert_readable(message, case.words)
    SEEN[case.id] = (f"`/{case.page}?{'&'.join(f'{k}={v[:20]}' for k, v in case.query.items())}`", message)
    at.run()                                   # the same session reruns (a click, a fragment tick)
    assert_page_renders(at, case.page)
    fresh = app(case.page)                     # and the next student's request is served as usual
    assert_page_renders(fresh, case.page)
    assert not fresh.warning and not fresh.error


def test_a_link_asking_for_more_digits_than_the_server_has_says_so():
    at = app("mnist", {"n_train": "60000"})
    assert not at.exception
    from nncore.data import datasets

    available = len(datasets.mnist("auto").x_train)
    assert at.number_input(key="mnist.n_train").value == min(60_000, available)
    if available < 60_000:          # the bundled sample: the link's 60,000 becomes all 8,000, with a word
        message = message_with(at, "warning", "this server has")
        assert_readable(message, f"{available:,}")
        SEEN["mnist-more-digits-than-the-server-has"] = ("`/mnist?n_train=60000`", message)
    assert_page_renders(at.run(), "mnist")


# ---- 2. files uploaded to the MNIST page ---------------------------------------------------------------
def png(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def digit_one() -> bytes:
    img = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(img).line([(100, 30), (100, 170)], fill=0, width=14)
    return png(img)


class Upload(NamedTuple):
    id: str
    make: Callable[[], bytes]
    words: str


IMAGES = [
    Upload("image-not-an-image", lambda: b"this is a text file, not a picture", "not a readable PNG or JPEG"),
    Upload("image-empty-file", lambda: b"", "The file is empty"),
    Upload("image-gif", lambda: png(Image.new("L", (40, 40), 0), "GIF"), "not a readable PNG or JPEG"),
    Upload("image-truncated-png", lambda: digit_one()[:200], "not a readable PNG or JPEG"),
    Upload("image-6000x6000", lambda: png(Image.new("L", (6000, 6000), 255)), "the limit is 25,000,000 pixels"),
    Upload("image-50-mb", lambda: b"\x89PNG\r\n\x1a\n" + bytes(50 * 2**20), "the limit is 5 MB"),
    Upload("image-1x1-pixel", lambda: png(Image.new("L", (1, 1), 0)), "looks blank"),
    Upload("image-4000x2-strip", lambda: png(Image.new("RGB", (4000, 2), (0, 0, 0))), "looks blank"),
    Upload("image-transparent", lambda: png(Image.new("RGBA", (64, 64), (0, 0, 0, 0))), "looks blank"),
]


def zipped(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def good_model_bytes() -> bytes:
    return kb.model_to_bytes(kb.build_model(mnist_lab.network_spec((16,))))


def with_member(name: str, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(good_model_bytes())) as src:
        members = {n: src.read(n) for n in src.namelist()}
    members[name] = data
    return zipped(members)


def lambda_model_bytes() -> bytes:
    k = kb.keras()
    model = k.Sequential([k.Input((784,)), k.layers.Lambda(lambda t: t), k.layers.Dense(10, activation="softmax")])
    return kb.model_to_bytes(model)


def four_input_model_bytes() -> bytes:
    return kb.model_to_bytes(kb.build_model(NetworkSpec(n_inputs=4, hidden=(3,), output_units=10,
                                                        output_activation="softmax")))


MODELS = [
    Upload("keras-empty-file", lambda: b"", "not a .keras model file"),
    Upload("keras-not-a-zip", lambda: b"hello, I am not a model", "not a .keras model file"),
    Upload("keras-truncated", lambda: good_model_bytes()[:3000], "not a .keras model file"),
    Upload("keras-zip-without-config", lambda: zipped({"readme.txt": "hi"}), "it has no config.json"),
    Upload("keras-corrupt-config", lambda: with_member("config.json", b"{not json"), "damaged and cannot be read"),
    Upload("keras-corrupt-weights", lambda: with_member("model.weights.h5", b"garbage"),
           "Keras could not load this model safely"),
    Upload("keras-config-not-a-model", lambda: with_member("config.json", b"[1, 2, 3]"),
           "config.json does not describe a Keras model"),
    Upload("keras-extra-files", lambda: with_member("payload.py", b"import os"), "unexpected files (payload.py)"),
    Upload("keras-lambda-layer", lambda_model_bytes, "a Lambda layer"),
    Upload("keras-old-hdf5", lambda: b"\x89HDF\r\n\x1a\n" + bytes(100), "old HDF5 (.h5) model"),
    Upload("keras-50-mb", lambda: b"PK" + bytes(50 * 2**20), "the limit is 20 MB"),
    Upload("keras-wrong-input-shape", four_input_model_bytes, "an MNIST model takes 28×28 = 784"),
]


@pytest.fixture(scope="module")
def mnist_session():
    """One student's MNIST page with a working model loaded, shared by the upload cases in turn."""
    at = app("mnist")
    at.file_uploader(key="mnist_model_file").upload("mine.keras", good_model_bytes()).run()
    assert not at.exception and not at.error
    assert has_digit_section(at)
    return at


def has_digit_section(at) -> bool:
    return any("Your digit" in h.value for h in at.subheader)


def reads_a_digit(at) -> bool:
    return any(m.label == "the network reads" for m in at.metric)


@pytest.mark.keras
@pytest.mark.parametrize("case", IMAGES, ids=[c.id for c in IMAGES])
def test_an_unusable_image_is_explained_and_the_next_one_is_read(mnist_session, case):
    at = mnist_session
    at.file_uploader(key="mnist_upload").set_value((f"{case.id}.png", case.make(), "image/png")).run()
    assert not at.exception, at.exception
    message = message_with(at, "warning", case.words)
    assert_readable(message, case.words)
    assert not reads_a_digit(at)
    SEEN[case.id] = ("MNIST page, Your digit → Upload", message)
    at.file_uploader(key="mnist_upload").set_value(("one.png", digit_one(), "image/png")).run()
    assert_page_renders(at, "mnist")
    assert reads_a_digit(at) and not at.warning


@pytest.mark.keras
@pytest.mark.parametrize("case", MODELS, ids=[c.id for c in MODELS])
def test_a_bad_model_file_is_refused_and_a_good_one_still_loads(mnist_session, case):
    at = mnist_session
    at.file_uploader(key="mnist_model_file").set_value((f"{case.id}.keras", case.make(), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    message = message_with(at, "error", case.words)
    assert_readable(message, case.words)
    assert has_digit_section(at), "the model loaded before is kept"
    SEEN[case.id] = ("MNIST page, load a network (.keras)", message)
    at.file_uploader(key="mnist_model_file").set_value(("mine.keras", good_model_bytes(), "application/octet-stream"))
    at.run()
    assert_page_renders(at, "mnist")
    assert not at.error and any("loaded from mine.keras" in c.value for c in at.caption)


# ---- 3. nncore entry points (every input path goes through them) --------------------------------------
class Entry(NamedTuple):
    id: str
    where: str
    call: Callable[[], object]
    words: str
    good: Callable[[], object]       # the same entry point with good input, afterwards


def json_net(text):
    return lambda: specs.from_json(NetworkSpec, text)


def json_train(text):
    return lambda: specs.from_json(TrainSpec, text)


def good_net():
    return specs.from_json(NetworkSpec, specs.to_json(NetworkSpec(hidden=(8, 4)))) == NetworkSpec(hidden=(8, 4))


def good_train():
    return specs.from_json(TrainSpec, specs.to_json(TrainSpec(lr=0.1))) == TrainSpec(lr=0.1)


def good_digit():
    return digits.preprocess(digit_one()).shape == (28, 28)


ENTRIES = [
    Entry("json-not-json", "specs.from_json", json_net("{oops"), "not valid JSON", good_net),
    Entry("json-not-an-object", "specs.from_json", json_net("[8, 4]"), "must hold a JSON object", good_net),
    Entry("json-hidden-wrong-type", "specs.from_json", json_net('{"hidden": "eight"}'),
          "hidden must be a list of whole numbers", good_net),
    Entry("json-hidden-fractional", "specs.from_json", json_net('{"hidden": [4, 2.5]}'),
          "hidden must be a list of whole numbers", good_net),
    Entry("json-lr-is-a-boolean", "specs.from_json", json_train('{"lr": true}'), "lr must be a number", good_train),
    Entry("json-epochs-is-text", "specs.from_json", json_train('{"epochs": "ten"}'), "epochs must be a whole number",
          good_train),
    Entry("json-extra-key", "specs.from_json", json_train('{"learning_rate": 0.1}'),
          "does not have: 'learning_rate'", good_train),
    Entry("json-other-kind", "specs.from_json", json_net(specs.to_json(TrainSpec())), "describes a 'TrainSpec'",
          good_net),
    Entry("json-ten-hidden-layers", "specs.from_json", json_net('{"hidden": [4, 4, 4, 4, 4, 4, 4, 4, 4, 4]}'),
          "At most 8 hidden layers", good_net),
    Entry("json-per-layer-list-too-short", "specs.from_json", json_net('{"hidden": [4, 4], "activations": ["relu"]}'),
          "the network has 2 hidden layers but activations lists 1", good_net),
    Entry("json-per-layer-dropout-over-0.9", "specs.from_json", json_net('{"hidden": [4, 4], "dropouts": [0, 1.5]}'),
          "Layer 2's dropout must be between 0 and 0.9 (got 1.5)", good_net),
    Entry("json-per-layer-activation-not-a-name", "specs.from_json", json_net('{"hidden": [4], "activations": [1]}'),
          "activations must be a list of activation names", good_net),
    Entry("query-per-layer-unknown-activation", "specs.from_query",
          lambda: specs.from_query(NetworkSpec, {"hidden": "4,4", "activations": "relu,swish"}),
          "Layer 2's activation must be one of",
          lambda: specs.from_query(NetworkSpec, {"hidden": "4,4", "activations": "relu,tanh"}).activations
          == ("relu", "tanh")),
    Entry("json-lr-nan", "specs.from_json", json_train('{"lr": NaN}'), "must be a finite number", good_train),
    Entry("json-epochs-huge", "specs.from_json", json_train('{"epochs": 1e9}'), "between 1 and 10000", good_train),
    Entry("query-lr-diverges-before-it-starts", "specs.from_query",
          lambda: specs.from_query(TrainSpec, {"lr": "1e6"}), "between 1e-06 and 10",
          lambda: specs.from_query(TrainSpec, {"lr": "0.5"}).lr == 0.5),
    Entry("query-hidden-not-numbers", "specs.from_query", lambda: specs.from_query(NetworkSpec, {"hidden": "4,x"}),
          "not a valid value", lambda: specs.from_query(NetworkSpec, {"hidden": "4,2"}).hidden == (4, 2)),
    Entry("hidden-text-semicolons-and-letters", "mnist_lab.parse_hidden", lambda: mnist_lab.parse_hidden("64; x"),
          "separated by commas", lambda: mnist_lab.parse_hidden("64; 32") == (64, 32)),
    Entry("array-with-nan", "digits.preprocess", lambda: digits.preprocess(np.full((28, 28), np.nan)),
          "NaN or infinite", good_digit),
    Entry("array-two-channels", "digits.preprocess", lambda: digits.preprocess(np.zeros((28, 28, 2))),
          "grey, RGB or RGBA", good_digit),
    Entry("array-zero-sized", "digits.preprocess", lambda: digits.preprocess(np.zeros((0, 0))),
          "grey, RGB or RGBA", good_digit),
    Entry("array-of-text", "digits.preprocess", lambda: digits.preprocess(np.full((28, 28), "ink")),
          "must hold numbers", good_digit),
    Entry("losses-eleven-samples", "loss_lab.check_samples", lambda: loss_lab.check_samples(np.ones(11), np.ones(11)),
          "between 1 and 10 samples", lambda: len(loss_lab.check_samples([1.0], [2.0])[0]) == 1),
]


@pytest.mark.parametrize("case", ENTRIES, ids=[c.id for c in ENTRIES])
def test_an_entry_point_refuses_bad_input_with_a_sentence(case):
    with pytest.raises(ValueError) as err:
        case.call()
    message = " ".join(err.value.problems.values()) if isinstance(err.value, SpecError) else str(err.value)
    assert_readable(message, case.words)
    SEEN[case.id] = (f"`{case.where}`", message)
    assert case.good()


# ---- 4. runs that go wrong ---------------------------------------------------------------------------
def play_to_end(at, page: str, limit: int = 400):
    pages.play_to_end(at, page, limit=limit)
    assert not at.session_state[f"{page}_playing"], "the run did not end"


@pytest.mark.parametrize("page,query,prefix", [
    ("regression", {"lr": "10.0", "epochs": "5000", "early_stop": "0.0"}, "reg"),
    ("playground", {"layers": "1", "n1": "4", "activation": "linear", "lr": "10.0", "loss": "binary_crossentropy",
                    "optimizer": "sgd", "epochs": "200"}, "pg"),
], ids=["regression-lr-10-diverges", "playground-lr-10-diverges"])
def test_a_diverging_learning_rate_stops_the_run_with_the_reason(page, query, prefix):
    at = app(page, query)
    assert not at.exception and not at.warning, texts(at, "warning")
    play_to_end(at, page)
    assert not at.exception, at.exception
    assert at.session_state[f"{prefix}_run"].status == "diverged"
    message = message_with(at, "error", "diverged")
    assert_readable(message, "learning rate")
    SEEN[f"{page}-lr-10-diverges"] = (f"`/{page}?lr=10.0…` then ▶ Train", message)
    at.button(key=f"{page}_reset").click().run()           # the same session starts over
    assert_page_renders(at, page)
    assert at.session_state[f"{prefix}_run"].step == 0 and not at.error


REGRESSION_LRS = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]


def test_comparing_every_learning_rate_on_a_huge_run_is_cut_to_the_budget_and_says_so():
    at = app("regression", {"mode": "stochastic", "n": "1000", "epochs": "5000", "early_stop": "0.0"})
    assert not at.exception
    at.multiselect(key="regression.compare_lrs").set_value(REGRESSION_LRS).run()
    [b for b in at.button if b.label == "Compare"][0].click().run()
    assert not at.exception, at.exception
    results = at.session_state["reg_compare"]
    assert len(results) == 16
    cut = [r["label"] for r in results if "(first " in r["label"]]
    assert cut, [r["label"] for r in results]
    steps = sum(int(re.search(r"first ([\d,]+) updates", r["label"]).group(1).replace(",", "")) for r in results
                if "(first " in r["label"])
    assert steps <= reg.COMPARE_MAX_STEPS
    SEEN["regression-compare-16-rates-huge-run"] = ("`/regression` Compare (16 α, stochastic, N=1000, 5000 epochs)",
                                                    f"Legend: “{cut[0]}”")
    assert_page_renders(at.run(), "regression")


# ---- the document -------------------------------------------------------------------------------------
ALL_IDS = ([c.id for c in LINKS] + [c.id for c in IMAGES] + [c.id for c in MODELS] + [c.id for c in ENTRIES]
           + ["mnist-more-digits-than-the-server-has", "regression-lr-10-diverges", "playground-lr-10-diverges",
              "regression-compare-16-rates-huge-run"])


def test_robustness_md_lists_every_case():
    assert len(set(ALL_IDS)) == len(ALL_IDS) >= 40
    doc = DOC.read_text()
    missing = [i for i in ALL_IDS if f"`{i}`" not in doc]
    assert not missing, f"docs/ROBUSTNESS.md does not list {missing}"


def teardown_module(module):
    """With NNPLAY_ROBUSTNESS_TABLE=path, write the cases and the messages seen as a markdown table."""
    path = os.environ.get("NNPLAY_ROBUSTNESS_TABLE")
    if not path or not SEEN:
        return
    rows = ["| case | entry point | what the student sees |", "|---|---|---|"]
    for case_id in ALL_IDS:
        if case_id in SEEN:
            where, message = SEEN[case_id]
            shown = re.sub(r"\s+", " ", message).replace("|", "\\|")
            rows.append(f"| `{case_id}` | {where} | {shown} |")
    Path(path).write_text("\n".join(rows) + "\n")
