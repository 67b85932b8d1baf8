"""A convolutional model saved from the MNIST page loads back; a tampered one is refused with a sentence.

``nncore.keras.upload_check`` reads a model with Conv2D or MaxPooling2D layers against the layer list's limits
(``nncore.engine.conv_specs.CONV_LIMITS``) before Keras sees the file; Keras's safe mode stays the second lock.
The tampered files are real saved models whose ``config.json`` is edited (as an attacker would): each is
refused before TensorFlow is reached (``kb.keras`` is made to fail), with the sentence docs/ROBUSTNESS.md lists.
"""
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nncore.engine import conv_specs
from nncore.keras import bridge as kb
from nncore.keras import upload_check as uc
from nncore.lessons import mnist_lab as lab

DOC = Path(__file__).resolve().parent.parent / "docs" / "ROBUSTNESS.md"
LISTS = [lab.SMALL_CNN,
         "conv(8, 3, padding=same), bn, pool(2), dropout(0.25), flatten, dense(16), bn, dropout(0.2)",
         "conv(6, 7, stride=3, activation=sigmoid), pool(3), flatten",
         "conv(64, 3, padding=same), conv(8, 5, stride=2, padding=same), pool(4), bn, flatten, "
         "dense(32, activation=tanh)",
         "pool(2), conv(4, 1), flatten, dense(8, activation=linear)"]


def saved(text: str, fit: bool = False) -> bytes:
    net = conv_specs.layer_list_spec(text)
    model = kb.build_layer_model(net, lab.train_spec())
    if fit:
        rng = np.random.default_rng(0)
        model.fit(rng.random((16, 28, 28, 1), dtype=np.float32), np.eye(10, dtype=np.float32)[np.arange(16) % 10],
                  epochs=1, verbose=0)
    return kb.model_to_bytes(model)


@pytest.fixture(scope="module")
def small_cnn() -> bytes:
    return saved(lab.SMALL_CNN)


def tampered(data: bytes, edit) -> bytes:
    """The same archive with config.json passed through ``edit`` (a function changing the dict in place)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename == "config.json":
                config = json.loads(raw)
                edit(config)
                raw = json.dumps(config).encode()
            dst.writestr(info.filename, raw)
    return out.getvalue()


def layer(config, cls="Conv2D", n=0):
    return [la for la in config["config"]["layers"] if la["class_name"] == cls][n]


def set_in(cls, key, value, n=0):
    def edit(config):
        layer(config, cls, n)["config"][key] = value
    return edit


def rename(old, new):
    def edit(config):
        layer(config, old)["class_name"] = new
    return edit


def lying_build_config(config):
    """The second convolution claims to read 50,000 channels (Keras may build a layer from this before wiring)."""
    layer(config, "Conv2D", 1)["build_config"] = {"input_shape": [None, 1, 1, 50_000]}


def pool_4_then_kernel_7(config):
    """26 × 26 pooled 4 × 4 → 6 × 6, then a 7 × 7 kernel (padding valid): it does not fit."""
    layer(config, "MaxPooling2D")["config"].update(pool_size=[4, 4], strides=[4, 4])
    layer(config, "Conv2D", 1)["config"]["kernel_size"] = [7, 7]


def huge_dense(config):
    layer(config, "Dense")["config"]["units"] = 1024


# case id → (how the small CNN's file is edited, the sentence's words)
TAMPERED = {
    "cnn-conv2d-10000-filters": (set_in("Conv2D", "filters", 10_000),
                                 "This model has a Conv2D layer of 10,000 filters; nnplay loads at most 64 per "
                                 "convolution, as its own builder does."),
    "cnn-unknown-layer-class": (rename("Conv2D", "Conv3D"),
                                "This model has a 'Conv3D' layer; nnplay loads models made of Dense, Dropout, "
                                "Flatten, Reshape, Activation, ReLU, LeakyReLU, ELU, Softmax, BatchNormalization, "
                                "Conv2D, MaxPooling2D and Rescaling layers only."),
    "cnn-kernel-9x9": (set_in("Conv2D", "kernel_size", [9, 9]),
                       "This model has a Conv2D layer with kernel_size 9×9; nnplay loads kernel_size from 1×1 to "
                       "7×7, as its own builder makes them."),
    "cnn-stride-4": (set_in("Conv2D", "strides", [4, 4]),
                     "This model has a Conv2D layer with strides 4×4; nnplay loads strides from 1×1 to 3×3, as its "
                     "own builder makes them."),
    "cnn-pool-5x5": (set_in("MaxPooling2D", "pool_size", [5, 5]),
                     "This model has a MaxPooling2D layer with pool_size 5×5; nnplay loads pool_size from 1×1 to "
                     "4×4, as its own builder makes them."),
    "cnn-dilation-2": (set_in("Conv2D", "dilation_rate", [2, 2]),
                       "This model has a Conv2D layer with dilation or groups; nnplay's builder makes plain "
                       "convolutions (dilation 1, one group) only."),
    "cnn-channels-first": (set_in("Conv2D", "data_format", "channels_first"),
                           "This model's Conv2D layer reads channels first; nnplay loads maps laid out height, "
                           "width, channels (channels_last), as its builder makes them."),
    "cnn-lying-build-config": (lying_build_config,
                               "This model has about 14,408,202 parameters; nnplay loads a convolutional model of at "
                               "most 2,000,000, as its builder's layer lists."),
    "cnn-kernel-larger-than-the-map": (pool_4_then_kernel_7,
                                       "This model has a Conv2D layer with a 7×7 window on a 6×6 map: it does not "
                                       "fit."),
    "cnn-dense-on-a-map": (lambda c: c["config"]["layers"].pop(5),     # Flatten removed: Dense on 5 × 5 × 32
                           "This model has a Dense layer reading a 5 × 5 × 32 map; nnplay's builder flattens a map "
                           "first (Flatten, then Dense)."),
}


def test_the_cases_edit_what_they_say():
    """Guards the fixtures: the small CNN's layer order is the one the edits above assume."""
    config = json.loads(zipfile.ZipFile(io.BytesIO(saved(lab.SMALL_CNN))).read("config.json"))
    assert [la["class_name"] for la in config["config"]["layers"]] == [
        "InputLayer", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense"]


@pytest.mark.parametrize("text", LISTS)
def test_the_check_counts_what_keras_counts_for_the_builders_models(text):
    net = conv_specs.layer_list_spec(text)
    model = kb.build_layer_model(net)
    assert uc.check_sizes(uc.check(kb.model_to_bytes(model))) == model.count_params() == net.param_count()


def test_a_cnn_saved_from_the_page_loads_back_and_predicts_the_same():
    text = "conv(8, 3, padding=same), bn, pool(2), dropout(0.25), conv(16, 3), pool(2), flatten, dense(32), bn"
    net = conv_specs.layer_list_spec(text)
    model = kb.build_layer_model(net, lab.train_spec())
    rng = np.random.default_rng(1)
    model.fit(rng.random((32, 28, 28, 1), dtype=np.float32), np.eye(10, dtype=np.float32)[np.arange(32) % 10],
              epochs=1, verbose=0)                  # batch norm's moving statistics move away from 0 and 1
    x = rng.random((6, 28, 28, 1), dtype=np.float32)
    loaded = lab.load_digit_model(kb.model_to_bytes(model))       # the page's path: checks, safe mode, 28×28 → 10
    assert [type(la).__name__ for la in loaded.layers] == [type(la).__name__ for la in model.layers]
    assert loaded.count_params() == net.param_count()
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    assert lab.conv_filters(loaded).shape == (8, 3, 3)           # what the page shows of a loaded CNN


def test_a_functional_cnn_made_in_keras_loads():
    k = kb.keras()
    inputs = k.Input((28, 28, 1))
    x = k.layers.Conv2D(4, 3, activation="relu")(inputs)
    x = k.layers.BatchNormalization()(x)
    x = k.layers.MaxPooling2D()(x)
    x = k.layers.Flatten()(x)
    model = k.Model(inputs, k.layers.Dense(10, activation="softmax")(x))
    assert uc.check_sizes(uc.check(kb.model_to_bytes(model))) == model.count_params()
    assert len(kb.load_model_safely(kb.model_to_bytes(model)).layers) == len(model.layers)


def test_a_cnn_with_a_lambda_layer_is_refused():
    k = kb.keras()
    model = k.Sequential([k.Input((28, 28, 1)), k.layers.Conv2D(4, 3), k.layers.Lambda(lambda t: t * 2),
                          k.layers.Flatten(), k.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match="a Lambda layer .*runs Python code"):
        kb.load_model_safely(kb.model_to_bytes(model))


@pytest.mark.parametrize("name", list(TAMPERED))
def test_a_tampered_cnn_is_refused_with_a_sentence_before_keras(name, small_cnn, monkeypatch):
    edit, words = TAMPERED[name]
    data = tampered(small_cnn, edit)
    monkeypatch.setattr(kb, "keras", lambda: pytest.fail("Keras was reached for a refused file"))
    with pytest.raises(ValueError) as err:
        kb.load_model_safely(data)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_a_cnn_over_the_parameter_cap_is_refused():
    """conv(64, 3, same) → flatten → dense(1024): 51 million parameters, refused though each layer is allowed."""
    data = tampered(saved("conv(64, 3, padding=same), flatten, dense(8)"), huge_dense)
    with pytest.raises(ValueError, match="about 51,392,138 parameters; nnplay loads a convolutional model of at "
                                         "most 2,000,000"):
        uc.check(data)


def test_robustness_md_lists_every_tampered_cnn_case():
    doc = DOC.read_text()
    missing = [name for name, (_, words) in TAMPERED.items() if f"`{name}`" not in doc or words not in doc]
    assert not missing, f"docs/ROBUSTNESS.md lacks {missing}"


def test_the_mnist_page_loads_a_saved_cnn_and_shows_its_filters():
    from tests import pages

    at = pages.open_page("mnist")
    captions = " ".join(c.value for c in at.caption)
    assert "a convolutional model (one you trained from a layer list) is refused" not in captions
    at.file_uploader(key="mnist_model_file").upload("cnn.keras", saved(lab.SMALL_CNN, fit=True)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("loaded from cnn.keras" in c.value for c in at.caption)
    assert at.session_state["mnist_model"].count_params() == 12_810
    images = [i.proto.imgs[0].caption for i in at.get("image") if i.proto.imgs]
    assert any("16 filters of the first convolution" in c for c in images)
