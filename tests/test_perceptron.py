"""The perceptron of course 003: the cheese festival, the AND/OR tables, the learning rule, XOR."""
import itertools

import numpy as np
import pytest

from nncore.data import datasets
from nncore.lessons import perceptron_lab as pc

SEPARABLE_GATES = ["AND", "OR", "NAND", "NOR"]


def test_and_gate_z_values_match_course():
    # Course 003's AND table: z = x·w + b = -2, -1, -1, 0 and y = h(z) = 0, 0, 0, 1.
    table = pc.truth_table(pc.Perceptron(*pc.COURSE_GATE_WEIGHTS["AND"]), "AND")
    np.testing.assert_array_equal(table.z, [-2, -1, -1, 0])
    np.testing.assert_array_equal(table.output, [0, 0, 0, 1])
    assert table.all_right


def test_or_gate_with_the_course_weights_fires_when_any_input_is_one():
    w, b = pc.COURSE_GATE_WEIGHTS["OR"]
    table = pc.truth_table(pc.Perceptron(w, b), "OR")
    np.testing.assert_array_equal(table.z, table.x @ np.array(w) + b)
    np.testing.assert_array_equal(table.output, table.x.max(axis=1))
    assert table.all_right


def test_the_and_weights_get_the_mixed_rows_of_or_wrong():
    table = pc.truth_table(pc.Perceptron(*pc.COURSE_GATE_WEIGHTS["AND"]), "OR")
    assert table.n_right == 2 and not table.all_right


def test_bias_is_minus_the_threshold_and_z_equal_to_threshold_fires():
    unit = pc.Perceptron.with_threshold((1, 1, 1), 2)
    assert unit.b == -2 and unit.threshold == 2
    assert pc.festival_decision((1, 1, 0), (1, 1, 1), 2).go         # z = 2 = threshold
    assert not pc.festival_decision((1, 0, 0), (1, 1, 1), 2).go     # z = 1


def test_cheese_festival_any_two_preset_goes_when_two_answers_are_yes():
    p = pc.FESTIVAL_PRESETS["any-two"]
    assert (p.weights, p.threshold) == ((1, 1, 1), 2)
    for d in pc.festival_table(p.weights, p.threshold):
        assert d.output == (sum(d.x) >= 2), d


def test_cheese_festival_thirst_preset_needs_pubs_and_one_more_reason():
    p = pc.FESTIVAL_PRESETS["thirst"]
    assert (p.weights, p.threshold) == ((1, 1, 10), 11)
    for d in pc.festival_table(p.weights, p.threshold):
        weather, friend, pubs = d.x
        assert d.output == (pubs and (weather or friend)), d
    # the course's conclusion: without pubs even two yeses are not enough
    assert not pc.festival_decision((1, 1, 0), p.weights, p.threshold).go


def test_festival_table_covers_every_combination_once():
    rows = pc.festival_table((1, 1, 1), 2)
    assert sorted(d.x for d in rows) == list(itertools.product((0, 1), repeat=3))


def test_festival_preset_is_recognised_from_its_weights():
    assert pc.festival_preset((1, 1, 10), 11).key == "thirst"
    assert pc.festival_preset((1, 1, 9), 11) is None


def test_sigmoid_neuron_is_smooth_and_takes_the_same_decisions():
    w, b = pc.COURSE_GATE_WEIGHTS["OR"]
    step = pc.truth_table(pc.Perceptron(w, b, "step"), "OR")
    smooth = pc.truth_table(pc.Perceptron(w, b, "sigmoid"), "OR")
    np.testing.assert_allclose(smooth.output, 1 / (1 + np.exp(-step.z)))
    assert np.all((smooth.output > 0) & (smooth.output < 1))
    np.testing.assert_array_equal(smooth.decision, step.decision)


@pytest.mark.parametrize("gate", SEPARABLE_GATES)
def test_perceptron_rule_converges_on_linearly_separable_gates(gate):
    cap = 50
    history = pc.learn_gate(gate, (0, 0), 0, lr=1.0, max_epochs=cap)
    assert history.converged and history.n_epochs < cap
    assert pc.truth_table(history.final, gate).all_right
    assert history.epochs[-1].wrong == 0 and all(e.wrong > 0 for e in history.epochs[:-1])


@pytest.mark.parametrize("start", [((0, 0), 0), ((1, 1), -2), ((-3, 2.5), 4)])
def test_perceptron_rule_never_converges_on_xor_within_its_cap(start):
    cap = 200
    history = pc.learn_gate("XOR", *start, lr=0.5, max_epochs=cap)
    assert not history.converged
    assert history.n_epochs == cap
    assert all(e.wrong >= 1 for e in history.epochs)
    assert history.separable is False


def test_rule_update_is_alpha_times_error_times_input():
    x, y = datasets.logic_gate("AND")
    lr = 0.25
    first = next(pc.rule_steps(x, y, (0.0, 0.0), 0.0, lr=lr))
    # row (0, 0): z = 0 fires (ŷ = 1) but y = 0, so only the bias moves, by α (y - ŷ) = -α
    assert first.predicted == 1 and first.error == -1
    assert first.w == (0.0, 0.0) and first.b == -lr
    for u, (prev_w, prev_b) in _consecutive(pc.rule_steps(x, y, (0.5, -0.5), 0.25, lr=lr, max_epochs=5)):
        expected = np.asarray(prev_w) + lr * u.error * np.asarray(u.x)
        np.testing.assert_allclose(u.w, expected)
        assert u.b == pytest.approx(prev_b + lr * u.error)


def _consecutive(updates, w0=(0.5, -0.5), b0=0.25):
    prev = (w0, b0)
    for u in updates:
        yield u, prev
        prev = (u.w, u.b)


def test_one_epoch_at_a_time_ends_where_training_in_one_go_ends():
    history = None
    for _ in range(6):
        w, b = (history.final.w, history.final.b) if history else ((0, 0), 0)
        history = pc.continue_learning(history, "NAND", w, b, lr=1.0, epochs=1)
    in_one_go = pc.learn_gate("NAND", (0, 0), 0, lr=1.0, max_epochs=6)
    assert history.final == in_one_go.final
    assert [e.wrong for e in history.epochs] == [e.wrong for e in in_one_go.epochs]


def test_moving_the_weights_between_steps_starts_a_new_run():
    first = pc.continue_learning(None, "AND", (0, 0), 0, epochs=1)
    again = pc.continue_learning(first, "AND", (2, 2), -1, epochs=1)
    assert again.epochs[0].w == (2.0, 2.0) and again.epochs[0].b == -1.0


@pytest.mark.parametrize("gate", list(datasets.GATES))
def test_only_xor_is_not_linearly_separable(gate):
    x, y = datasets.logic_gate(gate)
    assert pc.linearly_separable(x, y) == (gate != "XOR")


def test_separability_check_agrees_with_random_lines_and_rejects_mixed_duplicates():
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = rng.uniform(-1, 1, (12, 2))
        w, b = rng.normal(size=2), rng.normal(scale=0.3)
        z = x @ w + b
        keep = np.abs(z) > 0.05                       # no point exactly on the line
        assert pc.linearly_separable(x[keep], z[keep] > 0)
    same_point = np.array([[0.3, 0.3], [0.3, 0.3], [1.0, 0.0]])
    assert not pc.linearly_separable(same_point, [0, 1, 1])


def test_decision_line_is_where_z_is_zero():
    w, b = (1.5, -0.75), 0.25
    line = pc.decision_line(w, b)
    for x1, x2 in zip(line.x1, line.x2):
        assert w[0] * x1 + w[1] * x2 + b == pytest.approx(0, abs=1e-9)
    assert pc.decision_line((0, 0), 1) is None


def test_unknown_gate_and_unit_are_named_in_the_message():
    with pytest.raises(ValueError, match="XNOR"):
        pc.truth_table(pc.Perceptron((1, 1), 0), "XNOR")
    with pytest.raises(ValueError, match="tanh"):
        pc.Perceptron((1, 1), 0, "tanh")
