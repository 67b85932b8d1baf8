"""AppTest of the MNIST page's layer list: the CNN preset's link, a tampered layer list, a short CNN run with the
compare-runs table (MLP vs CNN, test accuracy, time per epoch), the filters and the feature maps of a digit."""
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from nncore.lessons import mnist_lab
from tests.test_mnist_page import app, png

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "views" / "mnist.py")


def metric(at, label):
    return [m.value for m in at.metric if m.label == label]


def train(at, epochs=1, n_train=1000):
    at.number_input(key="mnist.n_train").set_value(n_train).run()
    at.number_input(key="mnist.epochs").set_value(epochs).run()
    at.button(key="mnist_train").click().run()
    job = at.session_state["mnist_job"]
    end = time.monotonic() + 240
    while not job.done:
        assert time.monotonic() < end, "training did not end"
        time.sleep(0.2)
        at.run()
    return at.run(), job


def test_the_cnn_preset_link_shows_its_layers_shapes_and_limits():
    at = app({"preset": "small-cnn"})
    assert not at.exception and not at.error
    assert at.text_input(key="mnist.layers").value == mnist_lab.SMALL_CNN
    assert metric(at, "parameters to learn") == ["12,810"]
    table = at.dataframe[0].value
    assert table["output shape"].tolist() == ["(28, 28, 1)", "(26, 26, 16)", "(13, 13, 16)", "(11, 11, 32)",
                                              "(5, 5, 32)", "(800,)", "(10,)"]
    assert table["parameters"].sum() == 12_810
    captions = " ".join(c.value for c in at.caption)
    assert "at most 12 layers" in captions and "1–64 filters" in captions and "multiply-adds per digit" in captions
    assert "(662,912 × 7,200 × 5)" in captions                 # the run-size cap counts multiply-adds per digit
    course = [m.value for m in at.markdown if "course 004" in m.value.lower() and "RNN" in m.value]
    assert len(course) == 1 and "nnplay does not train RNNs" in course[0] and "(?preset=small-cnn)" in course[0]


@pytest.mark.parametrize("layers,words", [("dense(64), flatten", "a Dense layer before Flatten"),
                                          ("conv(0, 3), flatten", "0 filters"),
                                          ("conv(8, 3), lstm(4)", "not a layer nnplay knows"),
                                          ("conv(64, 3), conv(64, 3), conv(64, 3), flatten", "at most 30 billion")])
def test_a_tampered_layer_list_in_the_link_gets_its_sentence(layers, words):
    at = app({"layers": layers})
    assert not at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert [s.value for s in at.subheader] == ["1 · The digits", "2 · The network"]     # nothing is trained


def test_a_written_layer_list_replaces_the_dense_network_and_goes_in_the_link():
    at = app()
    at.text_input(key="mnist.layers").set_value("conv(8, 5), pool(2), flatten").run()
    assert not at.exception
    assert metric(at, "parameters to learn") == [f"{5 * 5 * 8 + 8 + 12 * 12 * 8 * 10 + 10:,}"]     # 11,738
    assert dict(at.query_params).get("layers") in ("conv(8, 5), pool(2), flatten", ["conv(8, 5), pool(2), flatten"])


def test_mlp_and_cnn_compare_and_the_cnn_shows_its_filters_and_feature_maps():
    at, _ = train(app({"preset": "course-003"}), epochs=1, n_train=1000)
    at, job = train(at.button(key="mnist_preset_small-cnn").click().run(), epochs=1, n_train=1000)
    assert job.status == "finished" and not at.exception
    runs = at.dataframe[-1].value
    assert runs["network"].tolist() == ["784-32-10", "28×28×1-Conv16(3×3)-Pool2-Conv32(3×3)-Pool2-Flatten-10"]
    assert runs["parameters"].tolist() == [25_450, 12_810]
    assert all(0.3 < a <= 1 for a in runs["test accuracy"]) and all(t > 0 for t in runs["time per epoch (s)"])
    shown = float(metric(at, "test accuracy")[0].rstrip("%")) / 100
    assert abs(shown - runs["test accuracy"].iloc[-1]) < 0.001
    captions = [i.proto.imgs[0].caption for i in at.get("image") if i.proto.imgs]
    assert any("16 filters of the first convolution" in c for c in captions)
    img = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(img).line([(100, 30), (100, 170)], fill=0, width=14)
    at.file_uploader(key="mnist_upload").upload("one.png", png(img), "image/png")
    at.run()
    assert not at.exception and metric(at, "the network reads")
    captions = [i.proto.imgs[0].caption for i in at.get("image") if i.proto.imgs]
    assert any("16 of its 16 maps, 26 × 26 each" in c for c in captions)
    assert any("32 of its 32 maps, 5 × 5 each" in c for c in captions)
    assert any("mnist_patch" in c.proto.id for c in at.get("plotly_chart"))
    assert any("z = Σ patch × weights + b" in m.value for m in at.markdown)
