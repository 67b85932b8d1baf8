"""AppTest of the playground page with K classes and with values: choosing them, links, the stop rule."""

from nncore.data import tasks
from nncore.lessons import playground_lab as pg
from nncore.lessons import presets
from tests import pages


def _app(query=None):
    return pages.open_page("playground", query)


def _ok(at):
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_choosing_a_three_class_spiral_gives_softmax_outputs_and_the_default_network():
    at = _app()
    at.selectbox(key="playground.data").set_value("spiral").run()
    assert at.session_state["pg_setup"].task == tasks.BINARY          # 2 arms: still one sigmoid output
    at.slider(key="playground.classes").set_value(3).run()
    _ok(at)
    setup = at.session_state["pg_setup"]
    assert setup.task == tasks.Task("multiclass", 3) and setup.controls == presets.for_task("multiclass").controls
    assert at.query_params["classes"] == "3" and at.query_params["loss"] == "categorical_crossentropy"
    assert at.selectbox(key="playground.loss").options == ["categorical cross-entropy", "MSE (mean squared error)"]
    assert "3 softmax" in " ".join(c.value for c in at.sidebar.caption)
    slow = {**at.session_state["pg_slow"], **at.session_state["pg_curves"]}     # the figures beside the boundary
    assert {"pg_accuracy", "pg_confusion_train", "pg_confusion_test"} <= set(slow)
    assert len(slow["pg_confusion_test"]["data"][0]["z"]) == 3
    assert at.session_state["pg_hover"]["type"] == "heatmap"
    assert "confusion" in " ".join(c.value for c in at.caption)


def test_training_a_few_epochs_fills_the_accuracy_curve_and_the_confusion_matrix():
    at = _app({"preset": "spiral-3"})
    at.button(key="playground_epoch").click().run()
    at.button(key="playground_epoch").click().run()
    _ok(at)
    run = at.session_state["pg_run"]
    assert run.epoch == 2
    slow = {**at.session_state["pg_slow"], **at.session_state["pg_curves"]}     # the figures beside the boundary
    assert len(slow["pg_accuracy"]["data"][0]["x"]) == 2
    counts = pg.confusion(run, "train")
    assert counts.sum() == len(run.data.x_train)
    assert slow["pg_confusion_train"]["data"][0]["text"][0][0].startswith(f"{counts[0, 0]}<br>")
    assert any("softmax" in m.value for m in at.markdown)


def test_a_regression_set_shows_values_not_classes():
    at = _app()
    at.selectbox(key="playground.data").set_value("plane").run()
    _ok(at)
    setup = at.session_state["pg_setup"]
    assert setup.task == tasks.REGRESSION and setup.controls == presets.for_task("regression").controls
    assert at.slider(key="playground.classes").disabled
    at.button(key="playground_epoch").click().run()
    _ok(at)
    slow = {**at.session_state["pg_slow"], **at.session_state["pg_curves"]}     # the figures beside the boundary
    assert "pg_confusion_train" not in slow and "pg_accuracy" not in slow
    assert "y = " in at.session_state["pg_hover"]["text"][0][0]
    assert "colour bar" in " ".join(c.value for c in at.caption)


def test_back_to_two_classes_gives_the_binary_network_back():
    at = _app({"preset": "spiral-3"})
    at.slider(key="playground.classes").set_value(2).run()
    _ok(at)
    setup = at.session_state["pg_setup"]
    assert setup.task == tasks.BINARY and setup.controls.loss in tasks.BINARY.losses


def test_stop_rule_from_a_link_fires_and_says_why():
    at = _app({"preset": "spiral-3", "patience": "100"})
    _ok(at)
    assert at.session_state["pg_setup"] == presets.get("spiral-3-stop").setup
    run = at.session_state["pg_run"]
    run.finish()
    at.run()
    assert run.status == "early_stop" and run.epoch < 800
    assert any(f"Stopped at epoch {run.epoch}: test cost has not improved for 100 epochs" in s.value
               for s in at.success)


def test_bad_task_links_are_reported_and_the_page_still_serves():
    at = _app({"classes": "9"})
    _ok(at)
    assert "classes to 9, outside 2 … 5" in at.warning[0].value
    at = _app({"data": "spiral", "classes": "3", "loss": "binary_crossentropy"})
    _ok(at)
    assert any("does not fit" in w.value for w in at.warning)
    assert at.session_state["pg_setup"].controls.loss == "categorical_crossentropy"


def test_step_through_shows_a_one_hot_target_and_softmax_delta():
    at = _app({"preset": "spiral-3"})
    _ok(at)
    text = " ".join(m.value for m in at.markdown)
    assert "one-hot for class" in text
    formulas = " ".join(f.value for f in at.get("latex") if hasattr(f, "value"))
    assert r"\log a^{3}" in formulas and r"a^{3}_j - y_j" in formulas
