"""Course 003's scikit-learn example (nncore/lessons/sklearn_xor.py), run by scikit-learn: the note's result."""
import subprocess
import sys
from pathlib import Path

import pytest

from nncore.lessons import sklearn_xor as sx

ROOT = Path(__file__).resolve().parent.parent


def test_logistic_predicts_one_everywhere_and_relu_solves_xor_as_the_note_prints():
    logistic, relu = sx.runs()
    assert (logistic.activation, logistic.score, logistic.predictions, logistic.solved) == \
        ("logistic", 0.5, (1, 1, 1, 1), False)
    assert (relu.activation, relu.score, relu.predictions, relu.solved) == ("relu", 1.0, (0, 1, 1, 0), True)
    assert logistic.iterations < relu.iterations <= sx.SETTINGS["max_iter"]


def test_the_shown_code_is_the_notes_and_runs_to_the_same_printout():
    out = subprocess.run([sys.executable, "-c", sx.CODE], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "Using activation logistic score: 0.5 predictions: [1 1 1 1] expected: [0 1 1 0]" in text
    assert "Using activation relu score: 1.0 predictions: [0 1 1 0] expected: [0 1 1 0]" in text


def test_an_activation_the_note_does_not_run_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="logistic and relu"):
        sx.run("tanh")


def test_scikit_learn_is_imported_only_when_a_run_is_asked_for():
    code = ("import sys; import nncore.lessons.sklearn_xor as sx; assert 'sklearn' not in sys.modules; "
            "sx.run('relu'); assert 'sklearn' in sys.modules")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
