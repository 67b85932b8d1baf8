"""The playground's tasks: K classes with softmax, values with a linear output, the stop rule, hover sentences."""
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

from nncore.data import datasets, tasks
from nncore.engine import losses
from nncore.engine.activations import get as activation
from nncore.engine.network import MLP, Dense
from nncore.engine.specs import SpecError, TrainSpec
from nncore.engine.training import Patience
from nncore.engine.training import run as train_run
from nncore.figures import playground_plots as fig
from nncore.lessons import boundary, presets
from nncore.lessons import playground_lab as pg
from nncore.lessons.boundary import PlaneMaps
from nncore.lessons.configurator import Controls


# ---- the task, read from the labels ----------------------------------------------------------------
def test_task_from_labels():
    assert tasks.from_labels([0, 1, 1]) == tasks.BINARY
    assert tasks.from_labels([0, 2, 1, 2]) == tasks.Task("multiclass", 3)
    assert tasks.from_labels([0.3, -2.5], "values") == tasks.REGRESSION
    for bad in ([0, 0.5], [0, 7], [-1, 0], []):
        with pytest.raises(ValueError):
            tasks.from_labels(bad)


def test_multiclass_output_is_k_softmax_units_and_targets_are_one_hot():
    t = tasks.of_classes(3)
    assert (t.outputs, t.output_activation, t.losses[0]) == (3, "softmax", "categorical_crossentropy")
    assert t.targets([2, 0]).tolist() == [[0, 0, 1], [1, 0, 0]]
    assert t.predicted([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]).tolist() == [1, 0]
    assert tasks.REGRESSION.output_activation == "linear" and tasks.REGRESSION.targets([0.5]).tolist() == [[0.5]]


def test_softmax_with_cross_entropy_gives_delta_a_minus_y():
    """δ^L = ∂J/∂z^L = (a^L − y)/n for softmax outputs and categorical cross-entropy (mean over n samples)."""
    rng = np.random.default_rng(0)
    net = MLP([Dense(rng.normal(size=(2, 3)), rng.normal(size=3), activation("softmax"))])
    x, y = rng.normal(size=(4, 2)), np.eye(3)[[0, 2, 1, 1]]
    fwd = net.forward(x)
    a = fwd.output
    assert np.allclose(a, np.exp(fwd.z[0]) / np.exp(fwd.z[0]).sum(axis=1, keepdims=True))
    assert np.allclose(net.backward(fwd, y, losses.get("categorical_crossentropy")).delta[-1], (a - y) / 4)


# ---- data --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [3, 4, 5])
def test_k_class_sets_are_seeded_and_have_every_class(k):
    for name in datasets.CLASS_SETS:
        x, y = datasets.labelled(name, n=100, seed=3, classes=k)
        again = datasets.labelled(name, n=100, seed=3, classes=k)
        assert np.array_equal(x, again[0]) and np.array_equal(y, again[1])
        assert sorted(np.unique(y)) == list(range(k)) and x.shape == (100, 2)
        assert not np.array_equal(x, datasets.labelled(name, n=100, seed=4, classes=k)[0])


def test_regression_sets_are_the_playgrounds_plane_and_bumps():
    x, y = datasets.plane(n=50, noise=0.0, seed=1)
    assert np.allclose(y[:, 0], (x[:, 0] + x[:, 1]) / 2)
    x, y = datasets.multi_gaussian(n=50, noise=0.0, seed=1)
    assert np.allclose(y[:, 0], datasets.bump_surface(x)) and y.max() > 0 > y.min()


def test_setup_reads_the_task_from_the_data():
    assert pg.Setup().task == tasks.BINARY
    assert pg.Setup(data="spiral", classes=4).task == tasks.Task("multiclass", 4)
    assert pg.Setup(data="plane").task == tasks.REGRESSION
    assert pg.Setup(data="circle", classes=4).task == tasks.BINARY      # a 2-class set ignores "classes"
    with pytest.raises(SpecError) as e:
        pg.Setup(classes=9).validate()
    assert "between 2 and 5" in e.value.problems["classes"]
    with pytest.raises(SpecError) as e:
        pg.Setup(controls=Controls(loss="categorical_crossentropy")).validate()
    assert "binary cross-entropy" in e.value.problems["loss"]


def test_given_data_with_class_labels_trains_a_softmax_network():
    """Data whose labels are classes 0..K-1 (say, uploaded) carries its task; start builds the output from it."""
    x, y = datasets.blobs(n=60, classes=4, seed=0)
    task = tasks.from_labels(y, "classes")
    data = pg.Data(x, y, np.zeros((0, 2)), np.zeros((0, 1)), ("x1", "x2"), (-1, 1, -1, 1), "mine", task)
    assert data.t_train.shape == (60, 4) and data.t_test.shape == (0, 4)


# ---- the acceptance runs -----------------------------------------------------------------------------
def test_three_class_spiral_reaches_95_percent_with_the_pages_default_network():
    """What a student gets on choosing a 3-class spiral (presets.for_task): ≥ 95 % training accuracy."""
    setup = replace(presets.for_task("multiclass"), data="spiral", classes=3)
    assert setup == presets.for_task("multiclass")
    data, run = pg.start(setup)
    assert run.net.sizes[-1] == 3 and run.net.layers[-1].activation.name == "softmax"
    run.finish()
    accuracy, _ = pg.current_accuracy(run)
    assert run.status == "finished" and accuracy >= 0.95
    c = pg.confusion(run, "train")
    assert c.shape == (3, 3) and c.sum() == len(data.x_train) and c.trace() / c.sum() == accuracy


def test_regression_plane_is_learned_by_a_linear_output():
    data, run = pg.start(presets.for_task("regression"))
    assert run.net.layers[-1].activation.name == "linear" and data.task == tasks.REGRESSION
    run.until_epoch_end()
    first = run.train_losses[0]
    run.finish()
    assert run.train_losses[-1] < 0.01 < first
    r2, test_r2 = pg.current_r2(run)
    assert r2 > 0.95 and test_r2 > 0.9 and pg.current_accuracy(run) == (None, None)
    assert "R²" in pg.score_text(run) and any("R² =" in t for t in pg.explain(run, presets.for_task("regression")))


# ---- the stop rule -----------------------------------------------------------------------------------
def test_patience_fires_after_n_epochs_without_a_new_best():
    watch = Patience(3, "training")
    costs = [1.0, 0.5, 0.6, 0.55, 0.5]          # best 0.5 at epoch 2; 0.5 again is no improvement
    assert [watch.stops(e, c) for e, c in enumerate(costs, 1)] == [False, False, False, False, True]
    assert watch.reason == "Stopped at epoch 5: training cost has not improved for 3 epochs (best 0.5 at epoch 2)."
    assert not any(Patience(0, "test").stops(e, 1.0) for e in range(1, 50))


def test_engine_stops_when_the_validation_cost_only_rises():
    """Validation labels the opposite of the training ones: the better the fit, the worse the validation cost,
    so its best is epoch 1 and a patience of 5 stops the run at epoch 6."""
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([[0.0], [0.0], [0.0], [1.0]])
    net = MLP([Dense(np.zeros((2, 1)), np.zeros(1), activation("sigmoid"))])
    spec = TrainSpec(loss="binary_crossentropy", optimizer="sgd", lr=0.5, mode="batch", epochs=100, val_split=0,
                     patience=5)
    snaps = train_run(net, x, y, spec, x, 1 - y)
    assert snaps[-1].status == "early_stop" and snaps[-1].epoch == 6 and len(snaps) == 6
    assert snaps[-1].reason.startswith("Stopped at epoch 6: validation cost has not improved for 5 epochs (best ")
    assert snaps[-1].reason.endswith(" at epoch 1).")


def test_playground_stop_rule_names_the_test_cost_and_its_best_epoch():
    data, run = pg.start(presets.get("spiral-3-stop").setup)
    run.finish()
    best = int(np.argmin(run.val_losses)) + 1
    assert run.status == "early_stop" and run.epoch == best + 100
    assert run.last.reason == (f"Stopped at epoch {best + 100}: test cost has not improved for 100 epochs "
                               f"(best {min(run.val_losses):.3g} at epoch {best}).")


# ---- figures: colours and hover sentences -------------------------------------------------------------
def _maps(outputs):
    outputs = np.asarray(outputs, dtype=float)
    r = outputs.shape[-1]
    return PlaneMaps(np.linspace(-1, 1, r), np.linspace(-1, 1, r), [np.zeros((2, r, r)), outputs])


def test_plane_hover_says_what_the_network_says_there():
    binary = fig.plane_hover(_maps([[[0.83, 0.2], [0.5, 0.5]]]), tasks.BINARY)
    assert binary["type"] == "heatmap" and binary["opacity"] == 0
    assert binary["text"][0][0] == "Here (x₁ = -1.00, x₂ = -1.00) the network says class 1 with p = 0.83."
    assert binary["text"][0][1].endswith("class 0 with p = 0.80.")
    probs = np.array([[[0.1, 0.6]], [[0.2, 0.3]], [[0.7, 0.1]]]).repeat(2, axis=1)
    assert fig.plane_hover(_maps(probs), tasks.of_classes(3))["text"][0][0].endswith("class 2 with p = 0.70.")
    assert fig.plane_hover(_maps([[[0.42, 0], [0, 0]]]), tasks.REGRESSION)["text"][0][0].endswith("y = 0.42.")


def test_class_colours_fade_with_confidence():
    sure = fig.class_colour(np.array([[[0.0]], [[0.0]], [[1.0]]]))
    unsure = fig.class_colour(np.array([[[1 / 3]], [[1 / 3]], [[1 / 3]]]))
    assert tuple(sure[0, 0]) == (0x88, 0x22, 0x55)                      # class 2's colour (Tol's wine)
    assert tuple(unsure[0, 0]) == tuple(fig.PAPER.astype(int))


def test_network_diagram_hover_sentences_for_a_neuron_and_an_edge():
    net = MLP([Dense([[0.3], [-1.2]], [0.1], activation("tanh")), Dense([[2.0]], [0.0], activation("sigmoid"))])
    d = fig.network_diagram(net, ["x₁", "x₂"])
    texts = [t for trace in d["data"] for t in (trace.get("hovertext") or [])]
    assert ("Neuron 1 of hidden layer 1: a = tanh(z), z = 0.3·x₁ − 1.2·x₂ + 0.1;<br>its map shows a at every "
            "point of the plane.") in texts
    assert "w¹₁₂ = −1.20: from x₂ to neuron 1 of layer 1; orange = negative, thickness = |w|." in texts
    assert any(t.startswith("Output neuron: a = sigmoid(z)") and "probability of class 1" in t for t in texts)


def test_confusion_matrix_figure_shows_counts_row_percentages_and_says_each_cell():
    d = fig.confusion_matrix([[3, 1], [0, 4]], part="test")
    cell = d["data"][0]
    assert cell["text"][0][1] == "1<br>25 %" and cell["z"][0] == [75.0, 25.0]
    assert cell["customdata"][0][1] == "1 test point of class 0 (25 % of class 0) was taken for class 1."
    assert cell["customdata"][1][1] == "4 test points of class 1 (100 % of class 1) were classified right."
    go.Figure(d)


@pytest.mark.parametrize("slug", ["spiral-3", "blobs-5", "regression-plane", "regression-gaussians"])
def test_every_figure_of_a_task_is_a_valid_plotly_figure(slug):
    setup = presets.get(slug).setup
    data, run = pg.start(setup)
    run.advance(60)
    maps = boundary.plane_maps(run.net, setup.features, data.extent, 12)
    boundary_fig = fig.decision_boundary(maps, data.x_train, data.y_train, data.x_test, data.y_test, task=data.task,
                                         hover=fig.plane_hover(maps, data.task))
    assert boundary_fig["data"][0]["type"] == "heatmap"
    assert any("colorbar" in t.get("marker", {}) for t in boundary_fig["data"]) == (data.task.kind == "regression")
    for d in (boundary_fig, fig.network_diagram(run.net, setup.features, maps),
              fig.accuracy_curves(run.epochs, run.accuracies, run.val_accuracies),
              fig.confusion_matrix(pg.confusion(run, "test")),
              fig.hidden_space(boundary.hidden_space(run.net, run.f_train, 2), data.y_train, task=data.task)):
        go.Figure(d)


def test_network_diagram_without_edge_texts_draws_the_same_edges():
    net = MLP([Dense([[0.3], [-1.2]], [0.1], activation("tanh")), Dense([[np.nan]], [0.0], activation("sigmoid"))])
    full, light = fig.network_diagram(net, ["x₁", "x₂"]), fig.network_diagram(net, ["x₁", "x₂"], edge_texts=False)
    assert [t for t in full["data"] if t.get("name") != "weights"] == light["data"]
    weights = next(t for t in full["data"] if t.get("name") == "weights")
    assert "w²₁₁ = 0.00: from a¹₁ to the output; blue = positive, thickness = |w|." in weights["hovertext"]
