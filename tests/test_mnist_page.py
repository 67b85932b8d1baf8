"""AppTest of the MNIST page: data source shown, presets and links, a short real run with a validation
set, Stop, what a trained network shows, your digit, model files, TensorFlow only when asked."""
import io
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from nncore.data import datasets
from nncore.keras import bridge as kb
from nncore.lessons import mnist_lab

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "views" / "mnist.py")


def app(query=None):
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def train(at, epochs=1, n_train=1000, stop_after_batches=None, val_split=None):
    at.number_input(key="mnist.n_train").set_value(n_train).run()
    at.number_input(key="mnist.epochs").set_value(epochs).run()
    if val_split is not None:
        at.slider(key="mnist.val_split").set_value(val_split).run()
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


def metric(at, label):
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def test_page_says_where_the_digits_come_from_and_how_many():
    at = app()
    assert not at.exception
    caption = at.caption[0].value
    assert "source: `" in caption and "training" in caption and "test images" in caption
    # nothing to test before a model exists
    assert [s.value for s in at.subheader] == ["1 · The digits", "2 · The network", "3 · Train"]


def test_the_explorer_shows_784_pixel_values_per_digit():
    at = app()
    assert any("28 × 28 = 784 inputs after flattening" in m.value for m in at.markdown)
    pixels = [c for c in at.get("plotly_chart") if c.proto.id and "mnist_pixels" in c.proto.id]
    assert len(pixels) == 1
    spec = pixels[0].proto.spec
    data = datasets.mnist("bundled-sample")
    assert str(int(data.x_train[0].max())) in spec and '"texttemplate":"%{text}"' in spec.replace(" ", "")
    at.number_input(key="mnist_pixel_index").set_value(5).run()
    assert f"labelled {data.y_train[5]}" in [i.proto.imgs[0].caption for i in at.get("image")
                                               if i.proto.imgs and "labelled" in i.proto.imgs[0].caption][0]


# Σ n_in·n_out + n_out per Dense layer:
#   python -c "print(784*128+128 + 128*10+10, 784*256+256 + 256*64+64 + 64*10+10, 784*32+32 + 32*10+10)"
@pytest.mark.parametrize("slug,hidden,params", [("course-002", "128", "101,770"), ("course-001", "256,64", "218,058"),
                                                ("course-003", "32", "25,450")])
def test_a_preset_link_loads_the_course_network(slug, hidden, params):
    at = app({"preset": slug})
    assert not at.exception and not at.warning
    preset = mnist_lab.PRESETS[slug]
    assert at.text_input(key="mnist.hidden").value == hidden
    assert at.slider(key="mnist.dropout").value == preset.dropout
    assert at.number_input(key="mnist.epochs").value == preset.epochs
    assert at.selectbox(key="mnist.optimizer").value == "adam" and at.select_slider(key="mnist.lr").value == 0.001
    assert metric(at, "parameters to learn") == params
    table = at.dataframe[0].value
    assert f"{table['parameters'].sum():,}" == params


def test_one_click_on_a_preset_sets_every_control_and_the_link():
    at = app({"epochs": "2", "hidden": "16"})
    at.button(key="mnist_preset_course-001").click().run()
    assert at.text_input(key="mnist.hidden").value == "256,64" and at.number_input(key="mnist.epochs").value == 10
    assert metric(at, "parameters to learn") == "218,058"
    assert dict(at.query_params) in ({"preset": "course-001"}, {"preset": ["course-001"]})
    at.number_input(key="mnist.epochs").set_value(3).run()      # a change on top of the preset stays in the link
    assert at.query_params["preset"] in ("course-001", ["course-001"]) and "epochs" in at.query_params
    assert any("changed: epochs" in m.value for m in at.sidebar.markdown)


def test_another_pages_preset_in_the_session_does_not_break_the_page():
    at = app()
    at.session_state["regression.preset"] = "Course example (course 004)"      # what the regression page keeps
    at.run()
    assert not at.exception and metric(at, "parameters to learn") == "101,770"


def test_the_course_002_network_in_keras_has_the_parameters_the_table_shows():
    at = app()

    def summary_box():      # the code exports and the sidebar's share links are code blocks too
        return next(e for e in at.expander if e.label == "Keras's own `model.summary()`")

    assert not summary_box().code
    at.button(key="mnist_summary_build").click().run()
    summary = summary_box().code[0].value
    assert "101,770" in summary and "Dropout" in summary and not at.exception


def test_tensorflow_reports_its_version_and_devices_when_asked():
    at = app()
    at.button(key="mnist_tf_info").click().run()
    text = " ".join(m.value for m in at.markdown)
    import tensorflow as tf

    assert f"TensorFlow **{tf.__version__}**" in text
    assert "/physical_device:CPU:0" in text
    assert any("GPU" in x.value for x in [*at.info, *at.success])


def test_opening_the_page_does_not_import_tensorflow():
    code = ("import sys; from streamlit.testing.v1 import AppTest; "
            f"at = AppTest.from_file({PAGE!r}, default_timeout=120).run(); "
            "assert not at.exception; print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["False", "False"]


def test_a_short_run_trains_on_training_digits_validates_on_others_and_tests_on_the_test_set():
    at, job = train(app(), epochs=2, n_train=1000, val_split=0.2)
    assert job.status == "finished" and not at.exception
    # validation: the last 20% of the 1,000 training digits, never trained on; the test set stays apart
    data = datasets.mnist("bundled-sample")
    x_val, y_val = job.fit_kwargs["validation_data"]
    assert len(job.x) == 800 and len(x_val) == 200
    assert np.array_equal(x_val, data.x_train[800:1000].reshape(200, -1) / np.float32(255))
    epochs = job.metrics.epochs_since(0)
    assert len(epochs) == 2 and all(e.val_accuracy is not None and e.val_loss is not None for e in epochs)
    assert any("Finished after epoch 2" in s.value and "validation accuracy" in s.value for s in at.success)
    accuracy = float(metric(at, "test accuracy").rstrip("%")) / 100
    assert accuracy > 0.6                                         # 800 digits, two epochs
    assert abs(accuracy - mnist_lab.score(job.model, data.x_test, data.y_test).accuracy) < 0.001
    assert [s.value for s in at.subheader][3:] == ["4 · Test", "5 · Your digit", "6 · Keep the network"]
    # the design flow: the run is in the compare table; per-class accuracy and first-layer weights are shown
    runs = at.dataframe[-1].value
    assert runs["network"].tolist() == ["784-128-Dropout(0.2)-10"] and runs["parameters"].tolist() == [101_770]
    assert runs["best val accuracy"].iloc[0] == max(e.val_accuracy for e in epochs)
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert any("mnist_per_class" in k for k in keys) and any("mnist_confusion" in k for k in keys)
    captions = [i.proto.imgs[0].caption for i in at.get("image") if i.proto.imgs]
    assert any("first 32 neurons of the first layer" in c for c in captions)
    downloads = [d for d in at.get("download_button") if "mnist_history" in d.proto.id]
    assert len(downloads) == 1
    # your digit: an upright stroke is read, with ten probabilities
    at.file_uploader(key="mnist_upload").upload("one.png", drawn_one(), "image/png")
    at.run()
    read = [m for m in at.metric if m.label == "the network reads"]
    assert len(read) == 1 and read[0].value in "0123456789"
    # a blank page gets an explanation, not a guess
    at.file_uploader(key="mnist_upload").set_value(("blank.png", png(Image.new("L", (50, 50), 255)), "image/png"))
    at.run()
    assert any("blank" in w.value for w in at.warning) and not at.exception


def test_a_second_run_adds_a_row_to_compare():
    at, _ = train(app({"preset": "course-003"}), epochs=1, n_train=600)
    at, _ = train(at.button(key="mnist_preset_course-002").click().run(), epochs=1, n_train=600)
    runs = at.dataframe[-1].value
    assert runs["network"].tolist() == ["784-32-10", "784-128-Dropout(0.2)-10"]
    assert runs["parameters"].tolist() == [25_450, 101_770] and runs["run"].tolist() == [1, 2]


def test_stop_ends_the_run_and_keeps_the_model():
    at, job = train(app(), epochs=20, n_train=4000, stop_after_batches=5)
    assert job.status == "stopped"
    assert len(job.metrics) < 20 * job.metrics.steps_per_epoch
    assert any("Stopped after epoch" in s.value for s in at.success)
    assert "4 · Test" in [s.value for s in at.subheader]


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
    at = app({"hidden": "64,32", "lr": "0.01", "epochs": "2", "val_split": "0.2"})
    assert at.text_input(key="mnist.hidden").value == "64,32" and at.slider(key="mnist.val_split").value == 0.2
    assert at.select_slider(key="mnist.lr").value == 0.01 and at.number_input(key="mnist.epochs").value == 2
    assert metric(at, "parameters to learn") == "52,650"     # 784·64+64 + 64·32+32 + 32·10+10
    assert at.dataframe[0].value["parameters"].tolist() == [0, 50_240, 0, 2_080, 0, 330]


def test_reruns_no_longer_reset_keras_under_a_running_fit(monkeypatch):
    """Streamlit's script runner calls keras.backend.clear_session() after every script run; the page switches
    that off (it emptied TensorFlow's kernel cache under the training thread twice a second: training ran
    20-50× slower). Checked on real script runs: AppTest runs scripts with Streamlit's own ScriptRunner."""
    import gc
    import importlib.util

    from streamlit.runtime.scriptrunner import script_runner

    from views.ui import streamlit_hooks as hooks

    resets = []
    monkeypatch.setattr(kb.keras().backend, "clear_session", lambda *a, **kw: resets.append("clear_session"))
    # Streamlit's clean-up as shipped, from a fresh copy of its module (a page run earlier in this process has
    # replaced the one in use); monkeypatch puts back whatever was installed before this test.
    fresh = importlib.util.spec_from_file_location("_fresh_script_runner", script_runner.__file__)
    shipped = importlib.util.module_from_spec(fresh)
    fresh.loader.exec_module(shipped)
    monkeypatch.setattr(script_runner, "_clean_problem_modules", shipped._clean_problem_modules)

    AppTest.from_string("import streamlit as st\nst.write('no hook')").run()
    assert resets, ("without the hook Streamlit's runner no longer resets Keras after a run: "
                    "this test proves nothing; see views/ui/streamlit_hooks.py")
    resets.clear()
    at = AppTest.from_string("import streamlit as st\nfrom views.ui import streamlit_hooks\n"
                             "st.write(str(streamlit_hooks.keep_keras_between_reruns()))").run()
    assert not at.exception and at.markdown[0].value == "True"
    assert script_runner._clean_problem_modules is hooks._clean_without_keras, \
        "keep_keras_between_reruns() did not replace Streamlit's clean-up"
    at.run()
    assert resets == [], "Streamlit reset Keras after a run although keep_keras_between_reruns() was called"

    monkeypatch.setattr(script_runner, "_clean_problem_modules", shipped._clean_problem_modules)
    at = app()                                             # the page installs the hook itself
    assert not at.exception
    assert script_runner._clean_problem_modules is hooks._clean_without_keras, \
        "the MNIST page no longer calls streamlit_hooks.keep_keras_between_reruns()"
    at.run()
    assert resets == [], "the MNIST page's runs reset Keras: does it still call keep_keras_between_reruns()?"

    hooks.load_tensorflow()
    assert hooks._frozen.is_set() and gc.get_freeze_count() > 100_000
