"""The playground's engine: features, configurator, course 003's XOR presets, one sample step by step,
the plane, hidden space, dead ReLUs, figures and the way to Keras."""
import base64
import struct
import subprocess
import sys
import zlib
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

from nncore.data import features as feats
from nncore.engine import activations
from nncore.engine.specs import SpecError
from nncore.figures import playground_plots as fig
from nncore.lessons import boundary, presets
from nncore.lessons import configurator as cfg
from nncore.lessons import playground_lab as pg
from nncore.lessons import stepthrough as stp

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=float)


def finished(setup):
    data, run = pg.start(setup)
    run.finish()
    return data, run


def with_controls(setup, **changes):
    return replace(setup, controls=replace(setup.controls, **changes))


# ---- input features ---------------------------------------------------------------------------------
def test_features_are_the_columns_the_first_layer_sees():
    x = np.array([[2.0, -3.0]])
    got = feats.expand(x, feats.NAMES)
    assert got.tolist() == [[2.0, -3.0, 4.0, 9.0, -6.0, np.sin(2.0), np.sin(-3.0)]]
    assert feats.expand(x, ("x1x2", "x1")).tolist() == [[2.0, -6.0]]     # always in the same order


@pytest.mark.parametrize("names,words", [((), "at least one"), (("x3",), "Unknown input feature")])
def test_no_feature_or_an_unknown_one_gets_a_sentence(names, words):
    with pytest.raises(ValueError, match=words):
        feats.expand(np.zeros((1, 2)), names)


# ---- the configurator --------------------------------------------------------------------------------
def test_parameter_count_is_weights_plus_biases_of_every_layer():
    controls = cfg.Controls(hidden=(4, 2))
    assert controls.param_count(2) == (2 + 1) * 4 + (4 + 1) * 2 + (2 + 1) * 1
    assert controls.param_count(5) == cfg.build_net(controls, 5).param_count()
    assert controls.architecture(2) == "2 inputs → 4 tanh → 2 tanh → 1 sigmoid"


def test_differences_name_the_controls_a_student_changed():
    course = presets.get("xor-model-2").setup
    assert pg.differences(course, course) == []
    changed = with_controls(course, lr=0.01, hidden=(3,))
    assert pg.differences(changed, course) == ["n1", "lr"]
    assert pg.differences(replace(course, noise=0.5), course) == []          # the 4 points have no noise
    assert pg.differences(replace(course, data="circle"), course) == ["data"]


def test_configurator_values_round_trip_for_every_preset():
    for slug, preset in presets.PRESETS.items():
        assert pg.from_values(pg.to_values(preset.setup)) == preset.setup, slug
        preset.setup.validate()


@pytest.mark.parametrize("changes", [
    {"hidden": (16,) * 6}, {"hidden": (cfg.MAX_UNITS,) * cfg.MAX_LAYERS},
    {"hidden": ()}, {"lr": 10.0}, {"lr": 0.00001}, {"batch_size": 5000},
    {"dropout": 0.9}, {"reg": "l1", "reg_rate": 1.0}, {"init": "random_normal", "init_stddev": 0.0},
    {"epochs": 10_000}, {"optimizer": "rmsprop", "loss": "binary_crossentropy"},
])
def test_extreme_but_allowed_controls_validate(changes):
    cfg.Controls(**changes).validate()


@pytest.mark.parametrize("changes,field", [
    ({"hidden": (4,) * (cfg.MAX_LAYERS + 1)}, "hidden"), ({"hidden": (cfg.MAX_UNITS + 1,)}, "hidden"),
    ({"hidden": (0,)}, "hidden"),
    ({"hidden": (4, 4), "per_layer": True, "activations": ("relu", "swish"), "dropouts": (0.0, 0.0),
      "l2s": (0.0, 0.0)}, "activations"),
    ({"hidden": (4, 4), "per_layer": True, "activations": ("relu", "tanh"), "dropouts": (0.0, 0.95),
      "l2s": (0.0, 0.0)}, "dropouts"),
    ({"optimizer": "sideways"}, "optimizer"), ({"reg": "l2", "reg_rate": 0.0}, "reg_rate"),
    ({"dropout": 0.95}, "dropout"), ({"batch_size": 0}, "batch_size"), ({"lr": 11.0}, "lr"),
    ({"activation": "softmax"}, "activation"), ({"init_stddev": -1.0}, "init_stddev"),
])
def test_invalid_controls_get_a_message_naming_the_control(changes, field):
    with pytest.raises(SpecError) as err:
        cfg.Controls(**changes).validate()
    assert field in err.value.problems
    assert err.value.problems[field].endswith(".")


def test_output_initialiser_draws_only_the_output_kernel():
    same = cfg.build_net(cfg.Controls(hidden=(3,), init="random_normal", init_mean=0.75, init_stddev=0.01), 2)
    own = cfg.build_net(cfg.Controls(hidden=(3,), init="random_normal", init_mean=0.75, init_stddev=0.01,
                                     out_init="glorot_uniform"), 2)
    np.testing.assert_array_equal(same.layers[0].W, own.layers[0].W)
    assert np.all(np.abs(same.layers[1].W - 0.75) < 0.05)
    limit = np.sqrt(6 / (3 + 1))
    assert np.all(np.abs(own.layers[1].W) <= limit) and np.ptp(own.layers[1].W) > 0.1


def test_batch_larger_than_the_data_is_one_batch_and_the_page_is_told():
    setup = pg.Setup(n=40, test_ratio=0.5, controls=cfg.Controls(batch_size=5000, epochs=3))
    data, run = finished(setup)
    assert run.step == 3                      # one update per epoch
    assert "larger than the 20 training points" in setup.controls.batch_note(len(data.x_train))


def test_no_test_share_means_no_test_points_and_still_a_run():
    data, run = finished(pg.Setup(test_ratio=0.0, controls=cfg.Controls(epochs=2)))
    assert len(data.x_test) == 0 and run.status == "finished" and run.val_losses[-1] is None


@pytest.mark.parametrize("changes", [
    {"hidden": (16,) * 6, "activation": "relu", "lr": 10.0, "loss": "binary_crossentropy"},
    {"hidden": (4,), "activation": "linear", "lr": 10.0, "loss": "binary_crossentropy"},
])
def test_a_huge_learning_rate_stops_with_an_explanation(changes):
    _, run = finished(pg.Setup(controls=cfg.Controls(epochs=200, **changes)))
    assert run.status == "diverged"
    assert "α = 10" in run.last.reason and "smaller" in run.last.reason
    assert pg.explain(run, pg.Setup()) == [run.last.reason]


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear"])
def test_a_huge_learning_rate_that_saturates_instead_is_explained(activation):
    setup = pg.Setup(controls=cfg.Controls(hidden=(16,) * 6, activation=activation, lr=10.0, epochs=100))
    _, run = finished(setup)
    assert run.status == "finished" and pg.current_accuracy(run)[0] < 0.9
    said = pg.explain(run, setup)
    assert any("α = 10 is very large" in s for s in said)
    assert not any("symmetry" in s for s in said)     # they did not start equal


# ---- course 003's XOR models ----------------------------------------------------------------------------
@pytest.mark.parametrize("slug,units,activation", [
    ("xor-model-1", 2, "sigmoid"), ("xor-model-2", 2, "relu"), ("xor-model-3", 3, "relu")])
def test_course_presets_use_the_courses_keras_settings(slug, units, activation):
    setup = presets.get(slug).setup
    c = setup.controls
    assert setup.data == "xor4" and setup.features == ("x1", "x2")
    assert (c.hidden, c.activation) == ((units,), activation)
    assert (c.init, c.init_mean, c.init_stddev) == ("random_normal", 0.75, 0.01)   # initialize_weights
    assert c.out_init == "glorot_uniform"          # Dense(1, activation='sigmoid'): Keras's default
    assert (c.loss, c.optimizer, c.lr, c.batch_size, c.epochs) == ("mse", "adam", 0.001, 4, 1000)
    net = cfg.build_net(c, 2)
    assert np.all(np.abs(net.layers[0].W - 0.75) < 0.05) and not net.layers[0].b.any()
    data, _ = pg.start(setup)
    np.testing.assert_array_equal(data.x_train, XOR_X)
    np.testing.assert_array_equal(data.y_train, XOR_Y)


# The accuracies course 003 reports for its Models 1-3 (figures from the course, not measured here).
@pytest.mark.parametrize("slug,accuracy", [("xor-model-1", 0.75), ("xor-model-2", 1.0), ("xor-model-3", 1.0)])
def test_course_models_end_with_the_accuracy_the_course_reports(slug, accuracy):
    data, run = finished(presets.get(slug).setup)
    assert run.status == "finished" and run.epoch == 1000
    assert pg.current_accuracy(run)[0] == accuracy


# Where the figures come from: Keras 3.15.1 (requirements.txt), course 003's XOR Models 1-3 with the output
# layer also drawn from N(0.75, 0.01); seeds 0, 1, 2 all print these. Regenerate (~10 min on 2 cores):
#   .venv/bin/python - <<'EOF'
#   import numpy as np, keras
#   X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], "float32"); y = np.array([0, 1, 1, 0], "float32")
#   for units, act in [(2, "sigmoid"), (2, "relu"), (3, "relu")]:          # xor-model-1, -2, -3
#       for seed in range(3):
#           keras.utils.set_random_seed(seed)
#           n075 = keras.initializers.RandomNormal(mean=0.75, stddev=0.01)
#           m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(units, act, kernel_initializer=n075),
#                                 keras.layers.Dense(1, "sigmoid", kernel_initializer=n075)])
#           m.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
#           h = m.fit(X, y, batch_size=4, epochs=1000, verbose=0).history
#           print(units, act, seed, f"{h['loss'][-1]:.4f}", h["accuracy"][-1])   # loss, accuracy below
#   EOF
@pytest.mark.parametrize("slug,accuracy,loss", [
    ("xor-model-1", 0.75, 0.2501), ("xor-model-2", 0.25, 0.2508), ("xor-model-3", 0.25, 0.2506)])
def test_every_layer_at_075_ends_where_keras_ends(slug, accuracy, loss):
    """Measured with Keras 3 (3 seeds each) with the output layer also drawn from N(0.75, 0.01)."""
    setup = with_controls(presets.get(slug).setup, out_init="same")
    _, run = finished(setup)
    assert run.train_losses[-1] == pytest.approx(loss, abs=0.001)
    assert pg.current_accuracy(run)[0] == accuracy


def test_model_2s_final_cost_hinges_on_a_billionth_of_its_biases():
    """Where the two units part the run is unstable: b¹ ± 10⁻⁹ ends on different costs, both right."""
    ends = []
    for eps in (1e-9, -1e-9):
        data, run = pg.start(presets.get("xor-model-2").setup)
        run.net.layers[0].b[...] += eps
        run.finish()
        ends.append(run.train_losses[-1])
        assert pg.current_accuracy(run)[0] == 1.0
    assert abs(ends[0] - ends[1]) > 0.01


def test_symmetric_hidden_units_are_explained_as_one_unit():
    setup = presets.get("xor-symmetric").setup
    _, run = finished(setup)
    assert boundary.distinct_units(run.net, run.f_train) == [(1, 3)]
    assert any("same function" in s and "symmetry" in s for s in pg.explain(run, setup))
    _, course = finished(presets.get("xor-model-3").setup)
    assert boundary.distinct_units(course.net, course.f_train)[0][0] > 1
    assert not any("same function" in s for s in pg.explain(course, presets.get("xor-model-3").setup))


@pytest.mark.parametrize("seed", range(5))
def test_breaking_the_symmetry_solves_xor_for_any_seed(seed):
    _, run = finished(with_controls(presets.get("xor-break-symmetry").setup, seed=seed))
    assert pg.current_accuracy(run)[0] == 1.0


def test_a_larger_learning_rate_lets_model_1_solve_xor():
    _, run = finished(presets.get("xor-model-1-faster").setup)
    assert pg.current_accuracy(run)[0] == 1.0


@pytest.mark.parametrize("optimizer,lr,seed", [("adam", 0.1, 0), ("sgd", 1.0, 1), ("adam", 0.01, 2),
                                               ("rmsprop", 0.3, 3)])
def test_no_hidden_layer_never_passes_75_percent_on_xor(optimizer, lr, seed):
    setup = with_controls(presets.get("xor-no-hidden").setup, optimizer=optimizer, lr=lr, seed=seed, epochs=500)
    _, run = finished(setup)
    assert max(a for a in run.accuracies) <= 0.75
    assert any("not linearly separable" in s for s in pg.explain(run, setup))


@pytest.mark.parametrize("slug", ["and-gate", "or-gate", "xor-one-neuron-x1x2", "circle-features"])
def test_one_neuron_suffices_for_linearly_separable_data(slug):
    setup = presets.get(slug).setup
    assert setup.controls.hidden == ()
    _, run = finished(setup)
    assert pg.current_accuracy(run)[0] == 1.0


def test_hidden_layer_makes_xor_linearly_separable():
    """Course 001: after training, one plane through the hidden space separates the classes."""
    _, run = finished(presets.get("xor-break-symmetry").setup)
    hs = boundary.hidden_space(run.net, run.f_train, dims=3)
    assert hs.exact
    w, b = hs.plane
    side = hs.coords @ w + b > 0
    np.testing.assert_array_equal(side, XOR_Y[:, 0] > 0.5)


# ---- one sample, step by step ------------------------------------------------------------------------
def a_network(activation="tanh", l2=0.0):
    controls = cfg.Controls(hidden=(3, 2), activation=activation, reg="l2" if l2 else "none", reg_rate=l2, seed=4)
    return cfg.build_net(controls, 2)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "leaky_relu"])
def test_forward_numbers_are_the_sum_of_a_times_w_plus_b(activation):
    net = a_network(activation)
    x, y = np.array([0.3, -0.7]), np.array([1.0])
    step = stp.step_through(net, x, y, "mse", 0.1)
    a_prev = x
    f = {l.l: activations.get(l.activation) for l in step.layers}
    for layer in step.layers:
        for j in range(len(layer.z)):
            z = sum(a_prev[k] * layer.W[k, j] for k in range(len(a_prev))) + layer.b[j]
            assert layer.z[j] == pytest.approx(z, abs=1e-12)
            assert layer.a[j] == pytest.approx(float(f[layer.l](z)), abs=1e-12)
        a_prev = layer.a
    assert step.output[0] == pytest.approx(float(net.predict(x[None])[0, 0]))


def test_output_delta_is_2_a_minus_y_times_slope_for_mse_and_a_minus_y_for_cross_entropy():
    net = a_network()
    x, y = np.array([0.5, 0.2]), np.array([1.0])
    mse = stp.step_through(net, x, y, "mse", 0.1)
    out = mse.layers[-1]
    s = out.a[0]
    assert out.delta[0] == pytest.approx(2 * (s - 1.0) * s * (1 - s))
    bce = stp.step_through(net, x, y, "binary_crossentropy", 0.1)
    assert bce.layers[-1].delta[0] == pytest.approx(s - 1.0)


def test_hidden_delta_is_the_weighted_sum_of_the_next_deltas_times_the_slope():
    step = stp.step_through(a_network("tanh"), np.array([0.1, 0.9]), np.array([0.0]), "mse", 0.1)
    for l in (1, 2):
        layer, nxt = step.layers[l - 1], step.layers[l]
        for k in range(len(layer.z)):
            back = sum(nxt.W[k, j] * nxt.delta[j] for j in range(len(nxt.delta)))
            assert layer.delta[k] == pytest.approx(back * (1 - np.tanh(layer.z[k]) ** 2))


def test_gradient_is_a_prev_times_delta_and_the_update_steps_against_it():
    net = a_network()
    before = net.get_weights()
    step = stp.step_through(net, np.array([0.4, 0.4]), np.array([1.0]), "mse", 0.5)
    for layer in step.layers:
        np.testing.assert_allclose(layer.dW, np.outer(layer.a_prev, layer.delta))
        np.testing.assert_allclose(layer.W_new, layer.W - 0.5 * layer.dW)
        np.testing.assert_allclose(layer.b_new, layer.b - 0.5 * layer.delta)
    for a, b in zip(before, net.get_weights()):
        np.testing.assert_array_equal(a, b)           # looking does not train


@pytest.mark.parametrize("activation,loss,l2", [("tanh", "mse", 0.0), ("sigmoid", "binary_crossentropy", 0.0),
                                                ("relu", "mse", 0.01), ("tanh", "binary_crossentropy", 0.03)])
def test_finite_differences_agree_with_backpropagation(activation, loss, l2):
    net = a_network(activation, l2)
    check = stp.gradient_check(net, np.array([0.3, -0.6]), np.array([1.0]), loss)
    assert check.relative_error < 1e-6
    rows = stp.gradient_rows(net, check)
    assert len(rows) == net.param_count()
    assert rows[0]["parameter"] == "w^1_11" and max(r["difference"] for r in rows) < 1e-6


def test_latex_shows_the_courses_notation_with_the_numbers():
    net = a_network()
    step = stp.step_through(net, np.array([1.0, 0.0]), np.array([1.0]), "mse", 0.1)
    first = step.layers[0]
    text = stp.forward_latex(first, 0)
    assert text.startswith("z^{1}_{1} = ") and f"{first.z[0]:.4f}" in text and f"{first.a[0]:.4f}" in text
    assert f"{step.layers[-1].delta[0]:.5f}" in stp.output_delta_latex(step)
    assert f"{first.W_new[0, 0]:.5f}" in stp.update_latex(step, 1, 0, 0)


# ---- the plane, dead ReLUs, hidden space ------------------------------------------------------------
def test_plane_maps_are_the_networks_output_at_every_grid_point():
    net = a_network()
    maps = boundary.plane_maps(net, ("x1", "x2"), (-1, 1, -2, 2), resolution=7)
    i, j = 2, 5
    point = np.array([[maps.xs[j], maps.ys[i]]])
    assert maps.output[i, j] == pytest.approx(float(net.predict(point)[0, 0]))
    assert [m.shape for m in maps.layers] == [(2, 7, 7), (3, 7, 7), (2, 7, 7), (1, 7, 7)]


def test_dead_relu_share_counts_units_that_are_zero_for_every_input():
    net = cfg.build_net(cfg.Controls(hidden=(4,), activation="relu"), 2)
    assert boundary.dead_relu_share(net, XOR_X) < 1
    net.layers[0].b[:2] = -10.0                     # z < 0 on all four points for two units
    assert boundary.dead_relu_share(net, XOR_X) == 0.5
    assert boundary.dead_relu_share(cfg.build_net(cfg.Controls(hidden=(4,)), 2), XOR_X) is None


def test_dead_relu_preset_records_the_meter_every_epoch():
    _, run = finished(presets.get("dead-relu").setup)
    assert len(run.dead_relu) == run.epoch and run.dead_relu[-1] > 0
    assert any("dead" in s for s in pg.explain(run, presets.get("dead-relu").setup))


# ---- figures --------------------------------------------------------------------------------------------
def _png_pixels(uri):
    raw = base64.b64decode(uri.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", raw[16:24])
    data = zlib.decompress(raw[raw.index(b"IDAT") + 4:raw.index(b"IEND") - 8])
    rows = [data[r * (3 * w + 1) + 1:(r + 1) * (3 * w + 1)] for r in range(h)]
    return w, h, [[tuple(row[3 * c:3 * c + 3]) for c in range(w)] for row in rows]


def test_neuron_map_is_a_png_blue_where_high_and_orange_where_low():
    a = np.array([[1.0, -1.0], [0.0, 0.0]])          # row 0 is the bottom of the plane
    w, h, px = _png_pixels(fig.thumbnail(a, "tanh"))
    assert (w, h) == (2, 2)
    assert px[1][0] == tuple(fig.BLUE.astype(int)) and px[1][1] == tuple(fig.ORANGE.astype(int))
    assert px[0][0] == tuple(fig.PAPER.astype(int))


def test_network_diagram_draws_every_weight_and_a_map_per_neuron():
    net = a_network()
    maps = boundary.plane_maps(net, ("x1", "x2"), (-1, 1, -1, 1), 10)
    d = fig.network_diagram(net, ["x₁", "x₂"], maps)
    segments = sum(t["x"].count(None) for t in d["data"] if t.get("mode") == "lines")
    assert segments == 2 * 3 + 3 * 2 + 2 * 1
    assert len(d["layout"]["images"]) == 2 + 3 + 2 + 1


def test_between_full_redraws_only_the_neuron_maps_change():
    setup = presets.get("playground").setup
    data, run = pg.start(setup)
    maps = lambda: boundary.plane_maps(run.net, setup.features, data.extent, 10)   # noqa: E731
    diagram = fig.network_diagram(run.net, ["x₁", "x₂"], maps())
    run.advance(200)
    later = fig.with_neuron_maps(diagram, run.net, maps())
    assert later["data"] is diagram["data"]                       # the browser reuses these traces
    assert [i["source"] for i in later["layout"]["images"]] != [i["source"] for i in diagram["layout"]["images"]]
    assert later["layout"]["images"] == fig.network_diagram(run.net, ["x₁", "x₂"], maps())["layout"]["images"]


@pytest.mark.parametrize("slug", ["playground", "xor-model-3", "xor-no-hidden", "spiral"])
def test_every_figure_is_a_valid_plotly_figure(slug):
    setup = presets.get(slug).setup
    data, run = pg.start(setup)
    run.advance(30)
    maps = boundary.plane_maps(run.net, setup.features, data.extent, 12)
    for d in (fig.decision_boundary(maps, data.x_train, data.y_train, data.x_test, data.y_test, discretize=True),
              fig.network_diagram(run.net, setup.features, maps),
              fig.cost_curves(run.epochs, run.train_losses, run.val_losses),
              fig.dead_relu_meter(run.epochs, run.dead_relu),
              fig.hidden_space(boundary.hidden_space(run.net, run.f_train, 2), data.y_train),
              fig.hidden_space(boundary.hidden_space(run.net, run.f_train, 3), data.y_train, dims=3)):
        go.Figure(d)


# ---- Keras --------------------------------------------------------------------------------------------
def test_exported_code_keeps_the_courses_two_initialisers():
    code = pg.export_code(presets.get("xor-model-2").setup)
    dense = [line for line in code.splitlines() if "keras.layers.Dense(" in line]
    assert "RandomNormal(mean=0.75, stddev=0.01)" in dense[0] and "activation='relu'" in dense[0]
    assert "kernel_initializer='glorot_uniform'" in dense[1] and "activation='sigmoid'" in dense[1]
    assert "batch_size=4, epochs=1000" in code and "loss='mean_squared_error'" in code
    symmetric = pg.export_code(presets.get("xor-symmetric").setup)
    assert symmetric.count("RandomNormal(mean=0.75, stddev=0.01)") == 2


@pytest.mark.keras
def test_exported_course_model_runs_in_keras(tmp_path):
    script = tmp_path / "xor.py"
    script.write_text(pg.export_code(presets.get("xor-one-neuron-x1x2").setup))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600,
                         env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Accuracy: 1.0" in out.stdout


@pytest.mark.keras
@pytest.mark.parametrize("slug", ["xor-model-3", "playground"])
def test_keras_trains_the_same_network_to_the_same_costs(slug):
    setup = presets.get(slug).setup
    _, run = pg.start(setup)
    r = pg.keras_replay(setup, run.initial_weights, max_updates=1000)
    assert len(r.keras_losses) == len(r.numpy_losses) == r.epochs
    np.testing.assert_allclose(r.keras_losses, r.numpy_losses, atol=1e-3)
    assert r.max_weight_difference < 1e-3 and r.keras_accuracy == r.numpy_accuracy


# ---- a different activation, dropout rate and L2 rate per layer -------------------------------------------
PER_LAYER = cfg.Controls(hidden=(8, 4), per_layer=True, activations=("relu", "tanh"), dropouts=(0.2, 0.0),
                         l2s=(0.0, 0.001), reg="l2", reg_rate=0.01)


def test_per_layer_controls_become_the_specs_lists_and_the_caption():
    spec = PER_LAYER.network_spec(2)
    assert (spec.activations, spec.dropouts, spec.l2s, spec.l2) == (("relu", "tanh"), (0.2, 0.0), (0.0, 0.001), 0.01)
    assert PER_LAYER.architecture(2) == "2 inputs → 8 relu → 4 tanh → 1 sigmoid"
    net = cfg.build_net(PER_LAYER, 2)
    assert [(l.activation.name, l.dropout, l.l2) for l in net.layers] == [
        ("relu", 0.2, 0.0), ("tanh", 0.0, 0.001), ("sigmoid", 0.0, 0.01)]


def test_rows_are_ignored_until_set_per_layer():
    single = cfg.Controls(hidden=(8, 4), activation="relu", dropout=0.2)
    values = {**cfg.to_values(single), "act1": "sigmoid", "drop2": 0.5}
    assert cfg.from_values(values) == single
    assert single.network_spec(2).activations == ()
    assert single.architecture(2) == "2 inputs → 8 relu → 4 relu → 1 sigmoid"


def test_per_layer_values_round_trip_and_rows_start_at_the_single_values():
    values = cfg.to_values(PER_LAYER)
    assert (values["act1"], values["act2"], values["drop1"], values["l2_2"]) == ("relu", "tanh", 0.2, 0.001)
    assert cfg.from_values(values) == PER_LAYER
    single = cfg.to_values(cfg.Controls(hidden=(8, 4), activation="relu", dropout=0.1, reg="l2", reg_rate=0.003))
    assert [single[f"act{i}"] for i in (1, 2)] == ["relu", "relu"]
    assert [single[f"drop{i}"] for i in (1, 2)] == [0.1, 0.1] and [single[f"l2_{i}"] for i in (1, 2)] == [0.003] * 2


def test_differences_name_a_changed_row_only_when_it_is_used():
    course = presets.get("xor-model-2").setup
    assert course.controls.hidden == (2,) and course.controls.activation == "relu"
    layered = with_controls(course, per_layer=True, activations=("tanh",), dropouts=(0.0,), l2s=(0.0,))
    assert pg.differences(layered, course) == ["per_layer", "act1"]
    assert pg.differences(with_controls(layered, activations=("relu",)), course) == ["per_layer"]
    assert pg.differences(with_controls(course, activation="tanh"), course) == ["activation"]
