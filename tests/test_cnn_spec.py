"""The MNIST builder's layer list (nncore.engine.conv_specs): written as text, validated once with one sentence
per problem, output shapes, parameters and multiply-adds computed by nnplay itself (no TensorFlow)."""
import subprocess
import sys
from pathlib import Path

import pytest

from nncore.engine import conv_specs as cs
from nncore.engine.specs import SpecError, TrainSpec
from nncore.lessons import mnist_lab as lab


def test_text_becomes_layers_and_back():
    layers = cs.parse_layers("conv(32, 3), pool(2) → conv(64, kernel=5, stride=2, padding=same, activation=tanh);"
                             " bn, dropout(0.25), flatten, dense(64, activation=sigmoid)")
    assert layers == (cs.Conv2D(32, 3), cs.MaxPool(2), cs.Conv2D(64, 5, 2, "same", "tanh"), cs.BatchNorm(),
                      cs.Dropout(0.25), cs.Flatten(), cs.Dense(64, "sigmoid"))
    assert cs.parse_layers(cs.layers_text(layers)) == layers
    assert cs.parse_layers("Conv2D(8, 3)\nMaxPooling2D(2)\nFlatten") == (cs.Conv2D(8, 3), cs.MaxPool(2), cs.Flatten())


def test_the_small_cnn_has_the_shapes_and_parameters_worked_by_hand():
    rows = lab.PRESETS["small-cnn"].network().rows()
    assert [r.output_shape for r in rows] == [(26, 26, 16), (13, 13, 16), (11, 11, 32), (5, 5, 32), (800,), (10,)]
    # conv: k·k·C·F + F; dense: n_in·n_out + n_out
    assert [r.parameters for r in rows] == [3 * 3 * 1 * 16 + 16, 0, 3 * 3 * 16 * 32 + 32, 0, 0, 800 * 10 + 10]
    # multiply-adds: H'·W'·F·k·k·C per convolution, n_in·n_out per Dense
    assert rows[0].macs == 26 * 26 * 16 * 9 and rows[2].macs == 11 * 11 * 32 * 9 * 16 and rows[-1].macs == 8000


@pytest.mark.parametrize("text,shape", [
    ("conv(4, 3, padding=same), flatten", (28, 28, 4)),
    ("conv(4, 3, stride=2), flatten", (13, 13, 4)),               # ⌊(28 − 3) / 2⌋ + 1
    ("conv(4, 3, stride=2, padding=same), flatten", (14, 14, 4)),  # ⌈28 / 2⌉
    ("pool(3), flatten", (9, 9, 1)),                              # ⌊(28 − 3) / 3⌋ + 1
    ("conv(2, 7), pool(4), flatten", (5, 5, 2)),
])
def test_output_sides_follow_the_formulas(text, shape):
    assert cs.layer_list_spec(text).rows()[-3].output_shape == shape


def test_batch_norm_counts_four_per_channel_as_keras_does():
    rows = cs.layer_list_spec("conv(8, 3), bn, flatten").rows()
    assert rows[1].parameters == 4 * 8 and rows[1].output_shape == (26, 26, 8)


# Each bad list and the words its sentence must hold (docs/ROBUSTNESS.md lists the same cases).
BAD = [
    ("conv(8, 5), pool(2), conv(8, 5), pool(2), pool(2), conv(8, 3), flatten", "a 3×3 kernel on a 2×2 map"),
    ("conv(0, 3), flatten", "0 filters"),
    ("conv(8, 3), pool(2), pool(2), pool(2), pool(2), pool(2), flatten",
     "pooling 2×2 on a 1×1 map would leave less than 1×1"),
    ("dense(64), flatten", "a Dense layer before Flatten"),
    ("flatten, conv(8, 3)", "a Conv2D after Flatten"),
    ("flatten, pool(2)", "pooling after Flatten"),
    ("flatten, flatten", "a second Flatten"),
    ("conv(8, 3), pool(2)", "ends on a 13 × 13 × 8 map"),
    ("conv(65, 3), flatten", "between 1 and 64 filters"),
    ("conv(8, 9), flatten", "kernels go from 1×1 to 7×7"),
    ("conv(8, 3, stride=4), flatten", "stride goes from 1 to 3"),
    ("conv(8, 3, padding=full), flatten", "padding is valid or same"),
    ("conv(8, 3, activation=softmax), flatten", "activation 'softmax'"),
    ("pool(0), flatten", "pooling goes from 1×1 to 4×4"),
    ("flatten, dropout(1.5)", "between 0 and 0.9"),
    ("flatten, dense(2000)", "between 1 and 1024"),
    ("flatten, dense(1024), dense(1024), dense(1024)", "at most 2,000,000"),
    (", ".join(["bn"] * 13) + ", flatten", "at most 12"),
    ("conv(8, 3), lstm(4)", "not a layer nnplay knows"),
    ("conv(eight, 3), flatten", "filters must be a whole number"),
    ("conv(8, 3, dilation=2), flatten", "has no setting 'dilation'"),
    ("conv(), flatten", "needs its filters"),
    ("", "empty"),
    ("flatten" + " " * 500, "at most 400"),
]


@pytest.mark.parametrize("text,words", BAD)
def test_a_bad_layer_list_gets_one_sentence(text, words):
    with pytest.raises(SpecError) as err:
        cs.layer_list_spec(text)
    assert list(err.value.problems) == ["layers"]
    sentence = err.value.problems["layers"]
    assert words in sentence and sentence.endswith(".") and len(sentence) < 300, sentence


def test_the_page_network_is_the_layer_list_when_one_is_written():
    dense = lab.page_network("", "128", "relu", 0.2, 0)
    assert not lab.is_layer_list(dense) and dense.param_count() == 101_770
    cnn = lab.page_network(lab.SMALL_CNN, "128", "relu", 0.2, 0)
    assert lab.is_layer_list(cnn) and cnn.param_count() == 12_810
    assert lab.architecture(cnn) == "28×28×1-Conv16(3×3)-Pool2-Conv32(3×3)-Pool2-Flatten-10"
    table = lab.layer_table(cnn)
    assert table[0]["output shape"] == "(28, 28, 1)" and table[-1]["output shape"] == "(10,)"
    assert sum(r["parameters"] for r in table) == 12_810


def test_the_run_size_cap_counts_a_convolutions_multiply_adds():
    train = TrainSpec(loss="categorical_crossentropy", optimizer="adam", epochs=5, batch_size=32).validate()
    small = lab.PRESETS["small-cnn"].network()
    assert lab.run_size(small, 7200, 5) == small.macs() * 7200 * 5 and small.macs() > 50 * small.param_count()
    lab.check_run_size(small, train, 7200)                                        # the preset fits
    big = cs.layer_list_spec("conv(32, 3), pool(2), conv(64, 3), pool(2), flatten")
    assert big.param_count() < lab.PRESETS["course-002"].network().param_count()  # fewer parameters, yet…
    with pytest.raises(SpecError, match="multiply-adds per digit") as err:        # …far more work per digit
        lab.check_run_size(big, train, 7200)
    assert "Fewer filters" in str(err.value)
    dense = lab.PRESETS["course-002"].network()
    assert lab.run_size(dense, 7200, 5) == dense.param_count() * 7200 * 5       # dense runs count as before


def test_the_cnn_preset_is_data_and_compares_by_its_layer_list():
    p = lab.PRESETS["small-cnn"]
    assert p.values()["layers"] == lab.SMALL_CNN and p.course.startswith("course 004")
    assert lab.preset_changes(p, p.values()) == []
    assert lab.preset_changes(p, {**p.values(), "layers": "conv(16,3), pool(2), conv(32,3), pool(2), flatten"}) == []
    assert lab.preset_changes(p, {**p.values(), "layers": "conv(8, 3), flatten"}) == ["layers"]
    assert lab.preset_changes(p, {**p.values(), "hidden": "7"}) == []          # the dense controls do not count
    assert all(q.values()["layers"] == "" for slug, q in lab.PRESETS.items() if slug != "small-cnn")


def test_the_layer_list_needs_no_tensorflow():
    code = ("import sys; from nncore.lessons import mnist_lab as lab; "
            "net = lab.PRESETS['small-cnn'].network(); lab.layer_table(net); lab.run_size(net, 1, 1); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_robustness_md_lists_every_layer_list_case():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "ROBUSTNESS.md").read_text()
    missing = []
    for text, _ in BAD:
        with pytest.raises(SpecError) as err:
            cs.layer_list_spec(text)
        if err.value.problems["layers"].replace("|", "\\|") not in doc:
            missing.append(text)
    assert not missing, f"docs/ROBUSTNESS.md does not give the sentence of {missing}"


def test_the_layer_table_gives_multiply_adds_before_how_they_count():
    table = lab.layer_table(lab.PRESETS["small-cnn"].network())
    assert list(table[0]) == ["layer", "output shape", "parameters", "multiply-adds", "how"]
    assert all(list(row) == list(table[0]) for row in table)
    assert sum(r["multiply-adds"] for r in table) == 662_912
