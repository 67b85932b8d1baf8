"""Hostile input (issue 16): files built to hurt the server, numbers that cannot be scaled, text that would
become Markdown, and links that ask a page for what it cannot do. Each case answers with a sentence, never a
Streamlit error box; ``docs/ROBUSTNESS.md`` lists every case (``test_robustness_md_lists_every_hostile_case``).

The ``.keras`` archives are built here with ``zipfile`` (a config.json written by hand, no TensorFlow): the
checks they meet run before Keras is imported, and ``test_a_huge_dense_layer_is_refused_before_keras_sees_it``
proves it by making any use of Keras fail.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nncore.data import userdata as ud
from nncore.data.tasks import of_classes
from nncore.engine.network import MLP
from nncore.engine.specs import LIMITS, NetworkSpec, SpecError
from nncore.figures import playground_plots as pp
from nncore.keras import bridge as kb
from nncore.keras import upload_check as uc
from nncore.lessons import boundary, race_lab
from nncore.lessons import playground_lab as pg
from tests import pages
from views.ui.messages import WORD_JOINER, as_text, plain

DOC = Path(__file__).resolve().parent.parent / "docs" / "ROBUSTNESS.md"
CASES = ["figures-weights-nan-or-inf", "link-locked-markdown-value", "link-lock-mnist-run",
         "link-lock-or-hide-mnist-preset", "link-lock-or-hide-loss-samples", "race-data-own", "race-data-plane",
         "race-data-multi_gaussian"]     # every case id of this file (the tables below add theirs)


def case(name: str) -> str:
    CASES.append(name)
    return name


def assert_sentence(message: str, words: str) -> None:
    assert words in message, f"{words!r} not in {message!r}"
    assert len(message) <= 700 and "\n" not in message.strip(), message
    for internal in ("Traceback", "Error:", "<class", "RecursionError", "_csv", "NoneType"):
        assert internal not in message, message


# ---- 1. .keras archives built by hand -------------------------------------------------------------------
def layer(cls: str, module: str = "keras.layers", build=None, **config) -> dict:
    node = {"module": module, "class_name": cls, "config": {"name": cls.lower(), **config}, "registered_name": None}
    if build is not None:
        node["build_config"] = {"input_shape": [None, build]}
    return node


def dense(units, n_in=None, activation="relu") -> dict:
    return layer("Dense", build=n_in, units=units, activation=activation, use_bias=True)


def model(*layers, inputs=(784,), cls="Sequential") -> dict:
    first = layer("InputLayer", batch_shape=[None, *inputs], dtype="float32")
    return {"module": "keras", "class_name": cls, "config": {"name": "m", "layers": [first, *layers]},
            "registered_name": None, "build_config": {"input_shape": [None, *inputs]}}


def archive(config, weights: bytes = b"", extra: dict = None) -> bytes:
    """A .keras zip: config.json (a dict, or raw bytes), metadata.json, model.weights.h5, and ``extra``."""
    raw = config if isinstance(config, bytes) else json.dumps(config).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", '{"keras_version": "3.15.1"}')
        z.writestr("config.json", raw)
        z.writestr("model.weights.h5", weights)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


MNIST_MLP = model(dense(16, 784), layer("Dropout", rate=0.2), dense(10, 16, "softmax"))
LARGEST = model(*[dense(LIMITS.max_units, 784 if i == 0 else LIMITS.max_units) for i in range(LIMITS.max_layers)],
                dense(10, LIMITS.max_units, "softmax"))


def test_the_largest_parameter_count_is_the_builders():
    assert uc.max_parameters() == NetworkSpec(n_inputs=784, hidden=(1024,) * 8, output_units=10,
                                              output_activation="softmax").param_count() == 8_161_290


def test_a_model_the_builder_could_make_passes_the_checks():
    assert uc.check(archive(MNIST_MLP))["class_name"] == "Sequential"
    assert uc.check_sizes(MNIST_MLP) == 784 * 16 + 16 + 16 * 10 + 10
    assert uc.check_sizes(LARGEST) == uc.max_parameters()            # the largest network: exactly at the cap
    flat = model(layer("Flatten"), dense(32, 784), layer("LeakyReLU", negative_slope=0.3),
                 layer("BatchNormalization", build=32), dense(10, 32, "softmax"), inputs=(28, 28))
    assert uc.check_sizes(flat) == 784 * 32 + 32 + 4 * 32 + 32 * 10 + 10


# A hostile archive: id → (file bytes, the words of the sentence).
def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def corrupt_deflate() -> bytes:
    """A good archive whose config.json's compressed bytes are scrambled (zlib.error inside zipfile)."""
    data = bytearray(archive(MNIST_MLP))
    start = data.find(b"config.json") + len("config.json")
    for k in range(start, start + 30):
        data[k] ^= 0x55
    return bytes(data)


HOSTILE_MODELS = {
    case("keras-config-corrupt-deflate"): (corrupt_deflate, "damaged and cannot be read"),
    case("keras-config-200000-nested-brackets"): (lambda: archive(nested(200_000)), "nests 200,000 levels deep"),
    case("keras-config-deep-objects"): (lambda: archive(b'{"a":' * 5_000 + b"1" + b"}" * 5_000),
                                        "nests 5,000 levels deep"),
    case("keras-dense-300000-units"): (lambda: archive(model(dense(300_000, 784), dense(10, 300_000, "softmax"))),
                                       "Dense layer of 300,000 neurons; nnplay loads at most 1,024"),
    case("keras-stored-input-shape-huge"): (lambda: archive(model(dense(10, 10**7, "softmax"))),
                                            "stores a shape of 10,000,000 numbers per sample"),
    case("keras-input-shape-huge"): (lambda: archive(model(dense(10, None, "softmax"), inputs=(100_000, 100_000))),
                                     "stores a shape of 10,000,000,000 numbers"),
    case("keras-too-many-parameters"): (lambda: archive(model(*[dense(1024, 1024 if i else 784) for i in range(9)])),
                                        "parameters; nnplay loads at most 8,161,290"),
    case("keras-ten-dense-layers"): (lambda: archive(model(*[dense(8, 784 if i == 0 else 8) for i in range(10)])),
                                     "10 Dense layers; nnplay loads at most 8 hidden layers"),
    case("keras-unknown-layer-class"): (lambda: archive(model(layer("Conv3D", filters=10**6, kernel_size=[9, 9, 9]))),
                                        "has a 'Conv3D' layer; nnplay loads models made of"),
    case("keras-nested-model-as-a-layer"): (lambda: archive(model(model(dense(10, 784)))),
                                            "has a 'Sequential' layer"),
    case("keras-not-a-model-class"): (lambda: archive(layer("Dense", module="keras.layers", units=4)),
                                      "holds a 'Dense', not a model"),
    case("keras-units-5000-digits"): (lambda: archive(b'{"class_name": "Sequential", "config": {"layers": [{"units": '
                                                      + b"9" * 5000 + b"}]}}"), "damaged and cannot be read"),
    case("keras-units-not-a-number"): (lambda: archive(model(dense(True, 784))), "no whole number of neurons"),
    case("keras-config-over-1-mb"): (lambda: archive(b" " * (2**20 + 1) + b"{}"), "config.json unpacks to more than"),
    case("keras-zip-of-17-files"): (lambda: archive(MNIST_MLP, extra={f"assets/{i}": b"" for i in range(14)}),
                                    "holds 17 files"),
    case("keras-same-file-twice"): (lambda: archive(MNIST_MLP, extra={"config.json": b"{}"}), "the same file twice"),
    case("keras-lambda-hidden-deep"): (lambda: archive(model(dense(10, 784, {"module": "builtins",
                                                                              "class_name": "function",
                                                                              "config": "eval"}))),
                                       "is custom code"),
}


@pytest.mark.filterwarnings("ignore::UserWarning")       # zipfile warns about the duplicate name
@pytest.mark.parametrize("name", list(HOSTILE_MODELS))
def test_a_hostile_model_file_is_refused_with_a_sentence_before_keras(name, monkeypatch):
    make, words = HOSTILE_MODELS[name]

    def no_keras():
        raise AssertionError("Keras was reached")

    monkeypatch.setattr(kb, "keras", no_keras)
    with pytest.raises(ValueError) as err:
        kb.load_model_safely(make())
    assert_sentence(str(err.value), words)


def test_the_depth_is_counted_without_recursion_and_strings_do_not_count():
    assert uc.json_depth(b"[[{}]]") == 3
    assert uc.json_depth(b'{"a": "[[[[[[", "b": "\\"[[["}') == 1
    assert uc.json_depth(nested(1_000_000)) == 1_000_000
    assert uc.read_config(json.dumps(MNIST_MLP).encode()) == MNIST_MLP


def test_a_huge_dense_layer_is_refused_before_keras_sees_it(monkeypatch):
    """The issue's 48 KB file: Dense(units=300000) made Keras allocate 3 GB before any check."""
    from nncore.lessons import mnist_lab

    monkeypatch.setattr(kb, "keras", lambda: pytest.fail("Keras was imported for a refused file"))
    data = archive(model(dense(300_000, 784), dense(10, 300_000, "softmax")))
    with pytest.raises(ValueError, match="Dense layer of 300,000 neurons"):
        mnist_lab.load_digit_model(data)


@pytest.mark.parametrize("name", ["keras-config-200000-nested-brackets", "keras-dense-300000-units"])
def test_the_mnist_page_refuses_a_hostile_model_with_a_sentence(name):
    at = pages.open_page("mnist")
    at.file_uploader(key="mnist_model_file").upload("[x](http://e).keras", HOSTILE_MODELS[name][0]()).run()
    assert not at.exception, at.exception                      # a RecursionError box before
    [error] = [e.value for e in at.error]
    assert error.startswith("\\[x\\](http:" + WORD_JOINER + "//e).keras: ")   # the file's name, as text
    assert_sentence(plain(error), HOSTILE_MODELS[name][1])
    at.run()
    assert not at.exception and [e.value for e in at.error] == [error]


# ---- 2. CSV files: reader errors and numbers that cannot be scaled -------------------------------------
def csv(*rows) -> bytes:
    return ("\n".join(rows) + "\n").encode()


HOSTILE_CSV = {
    case("csv-cell-over-131072-characters"): (csv("x1,x2,label", "1,2," + "9" * 140_000),
                                              "Line 2 of the file cannot be read: a cell is longer than 131,072"),
    case("csv-labels-1e308"): (csv("0,0,1e308", "1,1,-1e308"), "Row 1: the label is 1e+308, beyond what training"),
    case("csv-labels-1e200"): (csv("0,0,1e200", "1,1,-1e200"), "divide every label by the same power of ten"),
    case("csv-x-near-float-max"): (csv("0,0,0", "1.7e308,1,1"), "Row 2: x1 is 1.7e+308, beyond what training"),
    case("csv-x-beyond-1e6"): (csv("0,0,0", "1,-2e6,1"), "Row 2: x2 is -2e+06"),
    case("csv-every-point-in-one-place"): (csv("5,5,0", "5,5,1"), "Every point is at (5, 5)"),
    case("csv-only-a-byte-order-mark"): (b"\xef\xbb\xbf", "The file is empty"),
    case("csv-only-separators"): (b",,,\n,,\n", "The file has no rows of numbers"),
}


@pytest.mark.parametrize("name", list(HOSTILE_CSV))
def test_a_csv_that_cannot_be_read_or_scaled_gets_a_sentence_naming_the_row(name):
    raw, words = HOSTILE_CSV[name]
    with pytest.raises(ValueError) as err:
        ud.load_csv(raw)
    assert_sentence(str(err.value), words)


def test_the_limit_is_inclusive_and_large_labels_get_a_word_on_their_scale():
    data = ud.load_csv(csv("0,0,1e6", f"{ud.MAX_ABS},1,-1e6"))
    assert data.kind == "values" and np.abs(data.x).max() == 1.0
    assert "labels this large make the cost J large too" in data.description
    assert "large" not in ud.load_csv(csv("0,0,0.5", "1,1,2.5")).description


def test_drawn_or_given_points_meet_the_same_limit():
    with pytest.raises(ValueError, match="Point 2: the label is inf"):
        ud.make([[0, 0], [1, 1]], [0, np.inf])
    with pytest.raises(ValueError, match="Point 1: x2 is 3e"):
        ud.make([[0, 3e7], [1, 1]], [0, 1])


def test_a_csv_upload_error_keeps_the_uploader_its_file_and_its_message():
    at = pages.open_page("playground", {"data": "own"})
    big = ("bad[x](http://evil.example).csv", csv("x1,x2,label", "1,2," + "9" * 140_000), "text/csv")
    at.file_uploader(key="playground.own_upload").set_value(big).run()
    assert not at.exception, at.exception
    [error] = [m.value for m in at.error]
    assert "cannot be read: a cell is longer than 131,072 characters" in error
    assert "bad\\[x\\](http:" + WORD_JOINER + "//evil.example).csv" in error           # the name shown as text
    at.run()                                       # the next rerun: the file and its message are still there
    assert not at.exception and [m.value for m in at.error] == [error]
    assert at.file_uploader(key="playground.own_upload").value is not None


# ---- 3. figures of a run that went to NaN or infinity ---------------------------------------------------
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e308], ids=["nan", "inf", "-inf", "1e308"])
def test_the_playground_figures_draw_a_network_whose_weights_are_not_finite(bad):
    net = MLP.from_spec(NetworkSpec(n_inputs=2, hidden=(3, 2), output_units=1, output_activation="sigmoid"))
    net.layers[0].W[0, 0] = bad
    net.layers[1].b[:] = bad
    x = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    with np.errstate(all="ignore"):
        maps = boundary.plane_maps(net, ["x1", "x2"], boundary.extent_of(x), 10)
        diagram = pp.network_diagram(net, ["x1", "x2"], maps)              # int(NaN) raised here before
        assert diagram["data"]
        pp.hidden_space(boundary.hidden_space(net, x), np.array([0.0, 1.0, 1.0]))
        pp.decision_boundary(maps, x, np.array([[0.0], [1.0], [1.0]]), x, np.array([[0.0], [1.0], [1.0]]))
    assert pp.point_colours([0, np.nan, 2], of_classes(3))["color"]


# ---- 4. text from links, files and formulas is shown as text ---------------------------------------------
LITERAL = ["[Sign in](https://evil.example)", "![a](http://x/px.png)", "x1**x1**x1**x1", "9**9**9", "__import__",
           "<b>bold</b>", "`code`", "$x^2$", "~~gone~~", "www.evil.example", "me@evil.example", ":smile:",
           "# title", "- item", "1. item", "a | b"]


@pytest.mark.parametrize("text", LITERAL)
def test_as_text_leaves_no_markdown_and_loses_nothing(text):
    shown = as_text(text)
    assert plain(shown) == text
    unescaped = re.sub(r"\\.", "", shown)
    for active in ("](", "**", "__", "<", "`", "$", "~~", "://", "www.", "@e", ":smile:"):
        assert active not in unescaped, (text, shown)


def test_intraword_underscores_stay_as_they_are():
    assert as_text("lr_adam true_class") == "lr_adam true_class"
    assert as_text("Line one\nline two") == "Line one line two"


LINK_ECHOES = {          # id → (page, link, the value, as it must appear on the page)
    case("link-markdown-link-in-a-value"): ("regression", {"mode": "[Sign in](https://evil.example)"},
                                            "\\[Sign in\\](https:" + WORD_JOINER + "//evil.example)"),
    case("link-markdown-image-in-a-value"): ("regression", {"mode": "![a](http://x/px.png)"},
                                             "!\\[a\\](http:" + WORD_JOINER + "//x/px.png)"),
    case("link-formula-power-tower"): ("playground", {"features": "x1**x1**x1**x1"}, "x1\\*\\*x1\\*\\*x1\\*\\*x1"),
    case("link-formula-9-9-9"): ("playground", {"features": "9**9**9"}, "9\\*\\*9\\*\\*9"),
    case("link-formula-dunder-import"): ("playground", {"features": "__import__"}, "\\_\\_import\\_\\_"),
    case("link-lock-markdown-link"): ("perceptron", {"lock": "[x](https://evil.example)"},
                                      "\\[x\\](https:" + WORD_JOINER + "//evil.example)"),
    case("link-locked-text-value"): ("mnist", {"hidden": "16", "lock": "hidden"},
                                    "hidden layers (neurons, comma-separated) = 16"),     # the control's label
}


@pytest.mark.parametrize("name", list(LINK_ECHOES))
def test_a_link_value_is_echoed_as_text(name):
    page, query, shown = LINK_ECHOES[name]
    at = pages.open_page(page, query)
    assert not at.exception, at.exception
    messages = [m.value for m in [*at.warning, *at.info, *at.error]]
    assert any(shown in m for m in messages), messages
    for m in messages:
        unescaped = re.sub(r"\\.", "", m)
        assert "](" not in unescaped and "**" not in unescaped and "://" not in unescaped, m


def test_a_locked_text_control_shows_its_value_as_text():
    at = pages.open_page("mnist", {"hidden": "[8](https://evil.example)", "lock": "hidden"})
    assert not at.exception
    assert any("comma-separated) = \\[8\\](https:" + WORD_JOINER + "//evil.example)" in i.value for i in at.info)
    assert any("separated by commas" in e.value and "\\[8\\]" in e.value for e in at.error)


# ---- 5. links that ask a page for what it cannot do -----------------------------------------------------------
def test_a_link_cannot_lock_what_the_mnist_page_keeps_for_itself():
    at = pages.open_page("mnist", {"epochs": "3", "lock": "run,epochs"})
    assert not at.exception
    [warning] = [w.value for w in at.warning]
    assert_sentence(warning, "The link asks to lock 'run', which this page keeps for itself")
    assert any("epochs = 3" in i.value for i in at.info)


def test_the_mnist_presets_obey_the_teacher():
    at = pages.open_page("mnist", {"lock": "preset"})
    buttons = [b for b in at.button if (b.key or "").startswith("mnist_preset_")]
    assert buttons and all(b.disabled and b.label.startswith("🔒") for b in buttons)
    at = pages.open_page("mnist", {"hide": "preset"})
    assert not [b for b in at.button if (b.key or "").startswith("mnist_preset_")]


def test_the_loss_table_obeys_the_teacher_per_column():
    at = pages.open_page("losses", {"y": "2,2,3,4,5", "lock": "y", "hide": "y_hat"})
    assert not at.exception and not at.warning
    table = at.dataframe[0].proto
    assert list(table.column_order) == ["target y"]
    assert json.loads(table.columns)["target y"].get("disabled") is True


@pytest.mark.parametrize("data", ["own", "plane", "multi_gaussian"])
def test_the_race_offers_only_data_it_can_race_on(data):
    at = pages.open_page("race", {"data": data})
    assert not at.exception, at.exception            # plane and multi_gaussian raised TypeError before
    [warning] = [w.value for w in at.warning]
    assert_sentence(plain(warning), f"The link sets data to '{data}'; allowed: xor4")
    assert "draw some on the plane" not in " ".join(e.value for e in at.error)
    assert data not in race_lab.DATASETS
    with pytest.raises(SpecError, match="A race runs on one of the playground's generated class data sets"):
        race_lab.RaceSetup(pg.Setup(data=data)).validate()


# ---- the document ------------------------------------------------------------------------------------------
def test_robustness_md_lists_every_hostile_case():
    doc = DOC.read_text()
    missing = sorted({c for c in CASES if f"`{c}`" not in doc})
    assert not missing, f"docs/ROBUSTNESS.md does not list {missing}"
