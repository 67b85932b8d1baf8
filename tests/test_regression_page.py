"""AppTest of the regression page: the course's run, divergence, links."""
import numpy as np
import pytest

from nncore.lessons import presets
from nncore.lessons import regression_lab as reg
from tests import pages
from tests.test_training import course_script


def _app(query=None):
    return pages.open_page("regression", query, timeout=60)


def _play_to_end(at):
    return pages.play_to_end(at, "regression", "reg_run", limit=200)


def test_default_preset_reaches_the_course_scripts_final_w_and_b():
    at = _app()
    assert not at.exception
    run = _play_to_end(at)
    w, b, train_losses, val_losses = course_script()
    theta = run.net.theta
    assert theta[0] == pytest.approx(w, abs=1e-9) and theta[1] == pytest.approx(b, abs=1e-9)
    assert run.train_losses[-1] == pytest.approx(train_losses[-1], abs=1e-9)
    assert run.val_losses[-1] == pytest.approx(val_losses[-1], abs=1e-9)
    shown = " ".join(l.value for l in at.latex)
    assert f"w = {w:.6f}" in shown and f"b = {b:.6f}" in shown
    assert any("100 epochs" in s.value for s in at.success)


def test_too_high_learning_rate_stops_with_an_explanation():
    at = _app()
    at.selectbox(key="regression.preset").set_value("Learning rate too high (α = 1)").run()
    assert at.select_slider(key="regression.lr").value == 1.0
    run = _play_to_end(at)
    assert run.status == "diverged"
    assert not at.exception
    assert any("diverged" in e.value and "learning rate" in e.value for e in at.error)


def test_step_button_makes_one_update():
    at = _app()
    at.button(key="regression_step").click().run()
    assert at.session_state["reg_run"].step == 1
    at.button(key="regression_epoch").click().run()
    assert at.session_state["reg_run"].step == 2      # batch descent: one update per epoch


def test_a_link_restores_every_control():
    at = _app({"lr": "0.05", "mode": "mini-batch", "batch_size": "20", "optimizer": "momentum",
               "momentum": "0.8", "n": "50", "noise": "0.3", "epochs": "7"})
    assert not at.exception and not at.warning
    assert at.select_slider(key="regression.lr").value == 0.05
    assert at.selectbox(key="regression.mode").value == "mini-batch"
    assert at.number_input(key="regression.batch_size").value == 20
    assert at.slider(key="regression.momentum").value == 0.8
    setup = at.session_state["reg_setup"]
    assert (setup.n, setup.noise, setup.train.epochs, setup.train.optimizer) == (50, 0.3, 7, "momentum")
    assert at.query_params["lr"] == "0.05"


@pytest.mark.parametrize("query,words", [
    ({"lr": "1e6"}, "sets lr"),
    ({"n": "-3"}, "n to -3"),
    ({"mode": "sideways"}, "mode"),
    ({"epochs": "lots"}, "not a valid value"),
])
def test_a_tampered_link_gets_a_message_not_an_exception(query, words):
    at = _app(query)
    assert not at.exception
    assert any(words in m.value for m in at.warning)
    assert at.session_state["reg_run"] is not None


def test_one_point_split_80_20_leaves_no_training_data_and_says_so():
    at = _app()
    at.number_input(key="regression.n").set_value(1).run()
    assert not at.exception
    assert any("no training data" in e.value for e in at.error)
    at.slider(key="regression.val_split").set_value(0.0).run()
    assert not at.error
    assert _play_to_end(at).done


@pytest.mark.parametrize("changes", [
    {"noise": 0.0}, {"val_split": 0.9}, {"val_split": 0.0}, {"lr": 1e-4}, {"lr": 10.0},
    {"early_stop": 0.0}, {"mode": "stochastic"},
])
def test_extreme_controls_give_a_run_or_a_message(changes):
    at = _app()
    for key, value in changes.items():
        widget = {"n": at.number_input, "noise": at.slider, "val_split": at.slider, "lr": at.select_slider,
                  "early_stop": at.number_input, "mode": at.selectbox}[key](key=f"regression.{key}")
        widget.set_value(value)
    at.run()
    assert not at.exception
    run = _play_to_end(at)
    assert run.done and all(np.isfinite(run.batch_losses[:-1]))
    assert not at.exception


def test_compare_learning_rates_overlays_one_curve_per_rate():
    at = _app()
    compare = [b for b in at.button if b.label == "Compare"][0]
    compare.click().run()
    results = at.session_state["reg_compare"]
    assert [r["label"] for r in results] == ["α = 0.01", "α = 0.1", "α = 0.5"]
    finals = [r["final_train"] for r in results]
    assert finals[0] > finals[1] > finals[2], "a larger (stable) α gets further in 100 epochs"
    assert not at.exception
    # the answer under the button, where the student is looking (issue 21), not only on the charts above
    table = at.dataframe[-1].value
    assert list(table["run"]) == ["α = 0.01", "α = 0.1", "α = 0.5"]
    assert list(table["final training cost J"]) == finals
    assert any("dotted" in c.value for c in at.caption)
    [b for b in at.button if b.label == "Clear"][0].click().run()
    assert not any("dotted" in c.value for c in at.caption)


def test_compare_batch_and_stochastic_descent():
    at = _app()
    at.radio(key="regression.compare_what").set_value("descent modes").run()
    [b for b in at.button if b.label == "Compare"][0].click().run()
    results = {r["label"]: r for r in at.session_state["reg_compare"]}
    assert set(results) == {"batch", "mini-batch (10)", "stochastic"}
    # Stochastic descent makes 80 updates per epoch: it ends far lower than one update per epoch.
    assert results["stochastic"]["final_train"] < results["batch"]["final_train"]


def test_curve_preset_uses_the_shared_network_configurator_and_fits_the_curve():
    at = _app()
    at.selectbox(key="regression.preset").set_value("A curve: a small network on y = sin(2πx)").run()
    assert at.session_state["reg_setup"].hidden == (16, 16)
    at.slider(key="regression.layers").set_value(1).run()
    at.number_input(key="regression.n1").set_value(8).run()
    setup = at.session_state["reg_setup"]
    assert setup.hidden == (8,) and setup.network_spec().param_count() == 8 * 2 + 9
    assert any("1 input → 8 tanh → 1 linear" in c.value for c in at.caption)
    run = _play_to_end(at)
    assert run.status == "finished" and run.train_losses[-1] < 0.1 < run.train_losses[0]
    assert not at.exception


PAINTED_FPS = 25       # the player's rate: a live page shows `speed` updates per painted frame


@pytest.mark.parametrize("preset", list(presets.REGRESSION.values()), ids=lambda p: p.slug)
def test_every_preset_ends_within_about_20_s_at_its_speed(preset):
    """Issue 21: at speed 1 the Stochastic preset took 98 s and the Curve preset 162 s to end. A preset with
    many updates names its speed; the updates it really makes (to its end or its early stop), shown
    `speed` per frame at 25 frames per second, take at most ~20 s."""
    at = _app({"preset": preset.slug})
    setup, speed = at.session_state["reg_setup"], at.session_state["regression.speed"]
    _, run = reg.start(setup)
    run.finish()
    seconds = run.step / (speed * PAINTED_FPS)
    assert seconds <= 22, f"{preset.name}: {run.step:,} updates at speed {speed} take {seconds:.0f} s"
