"""The lesson panel under AppTest (no browser): drawn above a page by the router for ?lesson=…&step=…, a wrong
lesson is a sentence and the page still runs, ▶ Train waits for the prediction, a goal shows ✓ or ✗ + hint."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_link(script: str, query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.query_params.clear()
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "success", "error", "info", "warning", "caption")
                     for e in getattr(at, kind))


def test_an_unknown_lesson_is_one_sentence_and_the_page_runs():
    at = open_link("views/regression.py", {"lesson": "nope", "step": "1"})
    assert "The link asks for the lesson 'nope', which nnplay does not have" in texts(at)
    assert at.button(key="regression_play").disabled is False


def test_the_prediction_comes_before_train():
    at = open_link("views/regression.py", {"lesson": "004-regression", "step": "2",
                                           "preset": "Learning rate too high (α = 1)"})
    assert "step 2 of 4" in texts(at)
    assert at.button(key="regression_play").disabled is True
    at.radio(key="lesson_answer.004-regression.1").set_value(2).run()
    assert at.button(key="regression_play").disabled is False
    assert dict(at.query_params)["lesson"] in ("004-regression", ["004-regression"])      # the link keeps the lesson
    assert dict(at.query_params)["step"] in ("2", ["2"])


def test_a_perceptron_goal_is_met_or_missed_with_the_hint():
    met = open_link("views/perceptron.py", {"lesson": "003-perceptron", "step": "3", "gate": "AND",
                                           "gate_w1": "1", "gate_w2": "1", "gate_b": "-2"})
    assert "✓ Goal met: `gate_correct == 4`" in texts(met)
    missed = open_link("views/perceptron.py", {"lesson": "003-perceptron", "step": "3", "gate": "AND",
                                              "gate_w1": "1", "gate_w2": "1", "gate_b": "-1"})
    assert "✗ Goal not met" in texts(missed) and "The course's weights for AND" in texts(missed)
