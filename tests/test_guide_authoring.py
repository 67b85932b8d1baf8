"""A teacher's "📝 Add this state as a lesson step": the text it gives loads as a lesson step, opens the same
page in the same state (the link read back equals the page's parameters), and keeps the teacher's locks."""
import pytest

from nncore.guide import authoring, lesson_file, pages

STATES = {
    "regression": {"preset": "Learning rate too high (α = 1)", "lr": "1.0", "speed": "50"},
    "playground": {"preset": "xor-model-2", "layers": "1", "n1": "2", "activation": "sigmoid"},
    "race": {"racers": "sgd,momentum,adam", "lr_sgd": "0.01", "data": "xor"},
    "perceptron": {"gate": "XOR", "gate_w1": "1", "gate_w2": "-1", "gate_b": "0.5"},
    "activations": {"act": "sigmoid,tanh", "z_max": "6"},
    "losses": {"y": "1,2,3", "y_hat": "1.5,1.8,3.4"},
    "mnist": {"preset": "course-002", "epochs": "3"},
}


def as_lesson(step_text: str):
    return lesson_file.load_text(f'title = "A teacher\'s lesson"\n\n{step_text}', "mine")


@pytest.mark.parametrize("page", sorted(STATES))
def test_the_step_loads_and_opens_the_page_in_its_state(page):
    text, left_out = authoring.step_toml(page, STATES[page])
    step = as_lesson(text).steps[0]
    assert (step.page, step.query, left_out) == (page, STATES[page], [])
    assert ("# goal = " in text) == bool(pages.pages()[page].metrics)


def test_the_commented_goal_loads_when_uncommented():
    for page in ("regression", "playground", "race", "perceptron"):
        text, _ = authoring.step_toml(page, STATES[page])
        goal_line = next(line for line in text.splitlines() if line.startswith("# goal = "))
        step = as_lesson(text + goal_line[2:].split("   #")[0] + "\n").steps[0]
        assert step.goal is not None and step.goal.check({}) is None


def test_locks_and_hides_go_into_the_link_and_foreign_names_are_left_out():
    params = {"preset": "xor-model-2", "run": "3f2a", "lr": "0.1"}
    text, left_out = authoring.step_toml("playground", params, lock=["lr", "nonsense"], hide=["activation"])
    step = as_lesson(text).steps[0]
    assert step.query == {"preset": "xor-model-2", "lr": "0.1", "lock": "lr", "hide": "activation"}
    assert left_out == ["run"]


def test_quotes_in_a_title_stay_toml():
    text, _ = authoring.step_toml("losses", {}, title='The "outlier" \\ step')
    assert as_lesson(text).steps[0].title == 'The "outlier" \\ step'
