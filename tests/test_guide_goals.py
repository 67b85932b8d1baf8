"""Goals (nncore.guide.goals): a safe little language over a run's metrics, never eval."""
import pytest

from nncore.guide import goals
from nncore.guide.progress import Progress, from_link


@pytest.mark.parametrize("text, metrics, expected", [
    ("test_accuracy >= 0.95 and hidden_neurons <= 4", {"test_accuracy": 0.96, "hidden_neurons": 4}, True),
    ("test_accuracy >= 0.95 and hidden_neurons <= 4", {"test_accuracy": 0.96, "hidden_neurons": 5}, False),
    ("diverged", {"diverged": True}, True),
    ("not diverged", {"diverged": True}, False),
    ("val_loss < 0.02 within 50 epochs", {"val_loss": 0.01, "epoch": 50}, True),
    ("val_loss < 0.02 within 50 epochs", {"val_loss": 0.01, "epoch": 51}, False),
    ("0 < train_loss <= 1 or finished", {"train_loss": 2.0, "finished": False}, False),
    ("gate_correct == 4", {"gate_correct": 4}, True),
    ("train_loss > -1", {"train_loss": 0.5}, True),
])
def test_goals_are_checked_on_metrics(text, metrics, expected):
    assert goals.parse_goal(text).check(metrics) is expected


def test_a_metric_not_reported_yet_leaves_the_goal_undecided():
    assert goals.parse_goal("val_loss < 0.02 and finished").check({"finished": False}) is None


@pytest.mark.parametrize("text", ["__import__('os').system('x')", "val_loss.__class__", "[].__class__",
                                  "(lambda: 1)()", "val_loss[0] > 1", "9**9**9 > 1", "f'{val_loss}' == 1",
                                  "val_loss if 1 else 2", "(epoch := 3) > 1", "epoch in (1, 2)"])
def test_anything_else_is_refused_with_a_sentence(text):
    with pytest.raises(goals.GoalError) as err:
        goals.parse_goal(text)
    assert str(err.value)[0].isupper() and len(str(err.value)) < 300


def test_the_progress_link_round_trips_and_drops_what_it_does_not_know():
    p = Progress()
    p.mark_done("004-regression", 0)
    p.mark_done("004-regression", 2)
    link = p.to_link()
    assert link == "004-regression:1.3"
    back = from_link(link + ",nope:1,004-regression:99.x", {"004-regression": 4})
    assert back.done == {"004-regression": {0, 2}} and back.resume_at("004-regression", 4) == 1


def test_the_progress_link_keeps_the_predictions_answers():
    p = Progress()
    p.mark_done("004-regression", 0)
    p.set_answer("004-regression", 0, 1)
    p.set_answer("004-regression", 2, 0)              # answered, goal not met yet: not done
    link = p.to_link()
    assert link == "004-regression:1c2.a3c1"
    back = from_link(link, {"004-regression": 4}, {"004-regression": {0: 3, 2: 3}})
    assert back.done == {"004-regression": {0}} and back.answers == {"004-regression": {0: 1, 2: 0}}
    assert back.resume_at("004-regression", 4) == 1
    # an answer that is not one of the step's choices, or for a step without a prediction, is dropped
    odd = from_link("004-regression:1c4.2c1.a3c0.a9c1", {"004-regression": 4}, {"004-regression": {0: 3, 2: 3}})
    assert odd.done == {"004-regression": {0, 1}} and odd.answers == {}
