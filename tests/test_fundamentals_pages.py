"""The perceptron, activations and losses pages under Streamlit's AppTest: controls change the
numbers on the page, and a tampered link gives a warning, never an exception."""
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nncore.data import datasets
from nncore.lessons import perceptron_lab as pc

PAGES = Path(__file__).resolve().parent.parent / "views"


def page(name, **query):
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    found = [m.value for m in at.metric if m.label.startswith(label)]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


def number(at, label):
    return float(metric(at, label).rstrip("%"))


def table_with(at, column):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def texts(elements):
    return " ".join(e.value for e in elements)


def warnings(at):
    return [w.value for w in at.warning]


# ---- perceptron ------------------------------------------------------------------------------
def test_perceptron_page_opens_on_the_course_and_table():
    at = page("perceptron")
    table = table_with(at, "target y")
    np.testing.assert_array_equal(table["z"], pc.truth_table(pc.Perceptron((1, 1), -2), "AND").z)
    assert metric(at, "Rows right") == "4 of 4"


def test_moving_the_bias_slider_changes_z_and_the_rows_right():
    at = page("perceptron")
    at.slider(key="perceptron.gate_b").set_value(-0.5).run()
    table = table_with(at, "target y")
    x, y = datasets.logic_gate("AND")
    np.testing.assert_allclose(table["z"], x @ np.array([1.0, 1.0]) - 0.5)
    right = int(((x @ np.array([1.0, 1.0]) - 0.5 >= 0) == y[:, 0]).sum())
    assert metric(at, "Rows right") == f"{right} of 4"


def test_thirst_preset_sets_the_weights_and_shows_the_course_conclusion():
    at = page("perceptron")
    assert metric(at, "Decision").startswith("Yes")         # weather + friend, threshold 2
    at.button(key="preset_thirst").click().run()
    preset = pc.FESTIVAL_PRESETS["thirst"]
    assert (at.slider(key="perceptron.w3").value, at.slider(key="perceptron.threshold").value) == \
        (preset.weights[2], preset.threshold)
    assert preset.conclusion in texts(at.success)
    assert metric(at, "Decision").startswith("No")          # no pubs: stay home
    at.checkbox(key="perceptron.x3").check().run()
    assert metric(at, "Decision").startswith("Yes")


def test_training_on_and_from_zero_converges_and_moves_the_sliders():
    at = page("perceptron", gate_w1="0", gate_w2="0", gate_b="0")
    assert metric(at, "Rows right") != "4 of 4"
    at.button(key="train").click().run()
    expected = pc.learn_gate("AND", (0, 0), 0, lr=1.0, max_epochs=20).final
    assert (at.slider(key="perceptron.gate_w1").value, at.slider(key="perceptron.gate_w2").value) == expected.w
    assert at.slider(key="perceptron.gate_b").value == expected.b
    assert metric(at, "Rows right") == "4 of 4"
    assert "All four rows right" in texts(at.success)


def test_one_epoch_button_moves_one_epoch_at_a_time():
    at = page("perceptron", gate="NAND", gate_w1="0", gate_w2="0", gate_b="0")
    at.button(key="one_epoch").click().run()
    after_one = pc.learn_gate("NAND", (0, 0), 0, max_epochs=1).final
    assert at.slider(key="perceptron.gate_b").value == after_one.b
    at.button(key="one_epoch").click().run()
    after_two = pc.learn_gate("NAND", (0, 0), 0, max_epochs=2).final
    assert (at.slider(key="perceptron.gate_w1").value, at.slider(key="perceptron.gate_w2").value) == after_two.w


def test_training_on_xor_says_no_single_line_separates_it_and_links_the_playground():
    at = page("perceptron", gate="XOR")
    assert "no single line" in texts(at.warning)
    at.button(key="train").click().run()
    error = texts(at.error)
    assert "Not converged after 20 epochs" in error and "no single line separates" in error
    assert "/playground?preset=xor-model-1" in error


def test_the_notes_scikit_learn_example_runs_on_a_click_and_gives_the_notes_result():
    """Course 003's MLPClassifier on XOR, shown under the XOR table: scikit-learn runs only when asked, and
    gives the note's printout (logistic 0.5 predicting [1 1 1 1]; relu 1.0 predicting [0 1 1 0])."""
    at = page("perceptron", gate="XOR")
    assert not at.dataframe or all("activation" not in d.value.columns for d in at.dataframe)
    assert any("MLPClassifier" in c.value for c in at.code)
    at.button(key="sklearn_xor_run").click().run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "activation" in d.value.columns)
    assert table.to_dict("records") == [
        {"activation": "logistic", "score": 0.5, "predictions": "[1, 1, 1, 1]", "expected": "[0, 1, 1, 0]",
         "solves XOR": "✗", "passes": table["passes"][0]},
        {"activation": "relu", "score": 1.0, "predictions": "[0, 1, 1, 0]", "expected": "[0, 1, 1, 0]",
         "solves XOR": "✓", "passes": table["passes"][1]}]
    assert any("scikit-learn 1." in c.value for c in at.caption)


def test_sigmoid_switch_gives_smooth_outputs():
    at = page("perceptron")
    assert set(table_with(at, "target y")["h(z)"]) <= {0.0, 1.0}
    at.toggle(key="perceptron.sigmoid").set_value(True).run()
    out = table_with(at, "target y")["σ(z)"].to_numpy()
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-table_with(at, "target y")["z"].to_numpy())))
    assert np.all((out > 0) & (out < 1))


def test_tampered_perceptron_link_warns_and_uses_defaults():
    at = page("perceptron", gate="XNOR", gate_w1="abc", epochs="-5", sigmoid="maybe")
    text = " ".join(warnings(at))
    for name in ("gate", "gate_w1", "epochs", "sigmoid"):
        assert name in text
    assert at.radio(key="perceptron.gate").value == "AND" and at.slider(key="perceptron.gate_w1").value == 1.0


# ---- activations -----------------------------------------------------------------------------
def test_choosing_activations_changes_the_table():
    at = page("activations")
    assert list(table_with(at, "output range")["activation"]) == ["sigmoid", "tanh", "relu"]
    at.multiselect(key="activations.act").set_value(["leaky_relu", "softmax"]).run()
    table = table_with(at, "output range")
    assert list(table["activation"]) == ["leaky_relu", "softmax"]
    assert table["f′(0)"].iloc[0] == pytest.approx(at.slider(key="activations.leaky_alpha").value)


def test_more_layers_leave_less_sigmoid_gradient_but_all_of_relus():
    at = page("activations")
    at.slider(key="activations.layers").set_value(5).run()
    few = number(at, "sigmoid: gradient left")
    at.slider(key="activations.layers").set_value(20).run()
    many = number(at, "sigmoid: gradient left")
    assert many < few <= 0.25 ** 5
    assert number(at, "relu: gradient left") == 1.0
    at.slider(key="activations.layer_z").set_value(-1.0).run()
    assert number(at, "relu: gradient left") == 0.0


def test_a_larger_update_kills_more_relu_units():
    at = page("activations")
    at.select_slider(key="activations.lr").set_value(0.5).run()
    calm = number(at, "dead units")
    at.select_slider(key="activations.lr").set_value(10.0).run()
    shocked = number(at, "dead units")
    assert calm < shocked and shocked > 40


def test_softmax_vector_typo_gives_a_warning():
    at = page("activations", act="softmax")
    at.text_input(key="activations.softmax_z").input("2, one").run()
    assert not at.exception
    assert any("softmax vector" in w for w in warnings(at))


def test_tampered_activations_link_warns_and_uses_defaults():
    at = page("activations", act="sigmoid,swish", layers="1000", lr="0.3")
    text = " ".join(warnings(at))
    assert "swish" in text and "layers" in text and "lr" in text
    assert at.slider(key="activations.layers").value == 10


# ---- losses ----------------------------------------------------------------------------------
def test_an_outlier_moves_mse_far_more_than_mae():
    at = page("losses")
    mse, mae = number(at, "MSE"), number(at, "MAE")
    at.slider(key="losses.outlier").set_value(10.0).run()
    assert number(at, "MSE") / mse > number(at, "MAE") / mae > 1
    assert number(at, "half-MSE") == pytest.approx(number(at, "MSE") / 2, abs=1e-3)


def test_editing_a_prediction_changes_the_losses_and_the_link():
    at = page("losses")
    table = at.data_editor[0].value
    y, y_hat = table["target y"].to_numpy(), table["prediction ŷ"].to_numpy().copy()
    assert number(at, "MAE") == pytest.approx(np.mean(np.abs(y_hat - y)), abs=1e-3)
    at.session_state["samples"] = {"edited_rows": {0: {"prediction ŷ": 11.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    y_hat[0] = 11.0
    assert number(at, "MAE") == pytest.approx(np.mean(np.abs(y_hat - y)), abs=1e-3)
    assert at.query_params["y_hat"].startswith("11")


def test_emptying_a_cell_warns_and_keeps_the_last_complete_table():
    at = page("losses")
    before = number(at, "MSE")
    at.session_state["samples"] = {"edited_rows": {2: {"target y": None}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("Sample 3" in w for w in warnings(at))
    assert number(at, "MSE") == before


def test_probability_slider_moves_bce_and_a_wrong_label_costs_more():
    at = page("losses")
    at.slider(key="losses.p").set_value(0.6).run()
    right_ish = number(at, "BCE of this sample")
    assert right_ish == pytest.approx(-np.log(0.6), abs=1e-3)
    at.radio(key="losses.label").set_value(0).run()
    wrong_ish = number(at, "BCE of this sample")
    assert wrong_ish == pytest.approx(-np.log(0.4), abs=1e-3) and wrong_ish > right_ish


def test_logits_change_cce():
    at = page("losses")
    z = np.array([at.slider(key=f"losses.z{j}").value for j in (1, 2, 3)])
    assert number(at, "CCE") == pytest.approx(-np.log(np.exp(z[0]) / np.exp(z).sum()), abs=1e-3)
    at.radio(key="losses.true_class").set_value(3).run()
    assert number(at, "CCE") == pytest.approx(-np.log(np.exp(z[2]) / np.exp(z).sum()), abs=1e-3)
    assert metric(at, "predicted class") == "1"


def test_tampered_losses_link_warns_and_uses_defaults():
    at = page("losses", y_hat="1, 2", p="2", true_class="7", outlier="nan")
    text = " ".join(warnings(at))
    assert "5 targets y but 2 predictions" in text
    for name in ("p", "true_class", "outlier"):
        assert f"sets {name}" in text
    assert at.slider(key="losses.p").value == 0.8
