"""AppTest of the MNIST page: data source shown, a short real run, Stop, your digit, model files."""
import io
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from nncore import keras_bridge as kb, mnist_lab

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "mnist.py")


def app(query=None):
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def train(at, epochs=1, n_train=1000, stop_after_batches=None):
    at.number_input(key="n_train").set_value(n_train).run()
    at.number_input(key="epochs").set_value(epochs).run()
    at.button(key="mnist_train").click().run()
    job = at.session_state["mnist_job"]
    end = time.monotonic() + 180
    while not job.done:
        assert time.monotonic() < end, "training did not end"
        if stop_after_batches is not None and len(job.metrics) >= stop_after_batches:
            at.button(key="mnist_stop").click().run()
            stop_after_batches = None
        time.sleep(0.1)
        at.run()
    return at.run(), job


def png(img):
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def drawn_one():
    img = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(img).line([(100, 30), (100, 170)], fill=0, width=14)
    return png(img)


def test_page_says_where_the_digits_come_from_and_how_many():
    at = app()
    assert not at.exception
    caption = at.caption[0].value
    assert "source: `" in caption and "training" in caption and "test images" in caption
    assert [s.value for s in at.subheader] == ["1 · Train"]       # nothing to test before a model exists


def test_a_short_run_trains_tests_and_offers_the_model():
    at, job = train(app())
    assert job.status == "finished" and not at.exception
    assert any("Finished after epoch 1" in s.value for s in at.success)
    accuracy = float(at.metric[0].value.rstrip("%")) / 100
    assert accuracy > 0.6                                         # 1,000 digits, one epoch
    assert accuracy == job.metrics.latest()[1].val_accuracy or abs(
        accuracy - job.metrics.latest()[1].val_accuracy) < 0.001
    assert [s.value for s in at.subheader][1:] == ["2 · Test", "3 · Your digit", "4 · Keep the network"]
    # your digit: an upright stroke is read, with ten probabilities
    at.file_uploader(key="mnist_upload").upload("one.png", drawn_one(), "image/png")
    at.run()
    read = [m for m in at.metric if m.label == "the network reads"]
    assert len(read) == 1 and read[0].value in "0123456789"
    # a blank page gets an explanation, not a guess
    at.file_uploader(key="mnist_upload").set_value(("blank.png", png(Image.new("L", (50, 50), 255)), "image/png"))
    at.run()
    assert any("blank" in w.value for w in at.warning) and not at.exception


def test_stop_ends_the_run_and_keeps_the_model():
    at, job = train(app(), epochs=20, n_train=4000, stop_after_batches=5)
    assert job.status == "stopped"
    assert len(job.metrics) < 20 * job.metrics.steps_per_epoch
    assert any("Stopped after epoch" in s.value for s in at.success)
    assert "2 · Test" in [s.value for s in at.subheader]


def test_uploaded_models_are_checked():
    at = app()
    k = kb.keras()
    lam = k.Sequential([k.Input((784,)), k.layers.Lambda(lambda t: t), k.layers.Dense(10, activation="softmax")])
    at.file_uploader(key="mnist_model_file").upload("evil.keras", kb.model_to_bytes(lam)).run()
    assert any("Lambda" in e.value for e in at.error) and not at.exception
    wrong = kb.build_model(mnist_lab.network_spec((8,)).__class__(n_inputs=4, hidden=(3,), output_units=10,
                                                                 output_activation="softmax"))
    at.file_uploader(key="mnist_model_file").set_value(("small.keras", kb.model_to_bytes(wrong),
                                                         "application/octet-stream")).run()
    assert any("28×28" in e.value for e in at.error)
    good = kb.build_model(mnist_lab.network_spec((16,)))
    at.file_uploader(key="mnist_model_file").set_value(("mine.keras", kb.model_to_bytes(good),
                                                         "application/octet-stream")).run()
    assert not at.error and not at.exception
    assert any("loaded from mine.keras" in c.value for c in at.caption)
    assert at.session_state["mnist_model"].count_params() == good.count_params()


def test_bad_hidden_layers_are_explained():
    at = app({"hidden": "12a"})
    assert not at.exception
    assert any("comma" in e.value for e in at.error)


def test_a_link_restores_the_settings():
    at = app({"hidden": "64,32", "lr": "0.01", "epochs": "2"})
    assert at.text_input(key="hidden").value == "64,32"
    assert at.select_slider(key="lr").value == 0.01 and at.number_input(key="epochs").value == 2
    assert any("784·64" in c.value or "52,650" in c.value for c in at.caption)     # 784·64+64 + 64·32+32 + 32·10+10
