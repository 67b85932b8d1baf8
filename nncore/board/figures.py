"""A run's key figures, what "📤 Send to class" sends beside the run's link: the same names on every page.

From any run of the engine (``nncore.engine.training.Run``: the playground's, regression's): epochs done,
the training and test cost J, the test accuracy (classification), the parameter count of the network
(every W^l and b^l), the optimiser and α, and the run's status; ``data`` names the data set.
The race (``race_figures``) sends its leader's figures and how many racers ran; the MNIST page
(``keras_figures``) a Keras run's: its epochs, last training loss, test accuracy on the test digits, parameters.
A lesson step (``lesson_figures``, sent under the page name ``LESSON_PAGE``) sends where the student is in a
lesson: the step, their prediction's answer and whether it was right, whether the goal is met.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

DATA = "data"
EPOCHS = "epochs"
TRAIN_COST = "training cost J"
TEST_COST = "test cost J"
TEST_ACCURACY = "test accuracy"
PARAMETERS = "parameters"
OPTIMIZER = "optimiser"
LR = "α"
STATUS = "status"
RACERS = "racers"
LEADER = "leader"
LESSON_PAGE = "lesson"          # a lesson step's submissions: not a run
LESSON = "lesson"
STEP = "step"
STEP_TITLE = "step title"
STEPS = "steps"
ANSWER = "answer"
PREDICTION = "prediction"
GOAL = "goal"
DONE = "done"


def _last(values) -> Optional[float]:
    if not values or values[-1] is None:
        return None
    return round(float(values[-1]), 6)


def key_figures(run, data: str) -> Dict[str, Any]:
    """The figures of ``run`` (an engine Run) on the data set ``data``; a figure the run has not got yet is
    left out."""
    figures = {
        DATA: str(data),
        EPOCHS: len(getattr(run, "epochs", []) or []),
        TRAIN_COST: _last(getattr(run, "train_losses", None)),
        TEST_COST: _last(getattr(run, "val_losses", None)),
        TEST_ACCURACY: _last(getattr(run, "val_accuracies", None)),
        PARAMETERS: int(run.net.param_count()),
        OPTIMIZER: str(run.spec.optimizer),
        LR: float(run.spec.lr),
        STATUS: str(getattr(run, "status", "")),
    }
    return {k: v for k, v in figures.items() if v is not None and v != ""}


def race_figures(race, data: str) -> Dict[str, Any]:
    """An optimiser race (``nncore.lessons.race_lab.Race``): the figures of its leader (lowest training cost J
    first, diverged racers last: ``Race.standings``), whose optimiser and α they name, and the number of
    racers."""
    leader = race.standings()[0]
    figures = key_figures(leader.run, data)
    figures[RACERS] = len(race.racers)
    figures[LEADER] = f"{leader.name} (α = {leader.lr:g})"
    return figures


def keras_figures(data: str, parameters: int, test_accuracy: Optional[float] = None, epochs=(),
                  optimizer: Optional[str] = None, lr: Optional[float] = None, status: str = "") -> Dict[str, Any]:
    """A Keras run (the MNIST page): ``epochs`` are its ``EpochMetrics`` (the last one's loss is the training
    cost J), ``test_accuracy`` is on the test digits; a figure not known (a network loaded from a file has no
    training) is left out."""
    figures = {
        DATA: str(data),
        EPOCHS: len(epochs) if epochs else None,
        TRAIN_COST: _last([e.loss for e in epochs]) if epochs else None,
        TEST_ACCURACY: None if test_accuracy is None else round(float(test_accuracy), 6),
        PARAMETERS: int(parameters),
        OPTIMIZER: None if optimizer is None else str(optimizer),
        LR: None if lr is None else float(lr),
        STATUS: str(status or ""),
    }
    return {k: v for k, v in figures.items() if v is not None and v != ""}


def lesson_figures(lesson: str, title: str, step: int, steps: int, answer: Optional[int] = None,
                   right: Optional[bool] = None, goal: Optional[bool] = None, done: bool = False) -> Dict[str, Any]:
    """A lesson step as the board keeps it: the lesson's name, the step (1-based) of ``steps`` and its title,
    the prediction's chosen answer (1-based) and whether it was right, the goal's state (True met, False missed
    by a finished run, None open or none) and whether the step is done. Absent values are left out."""
    figures = {LESSON: str(lesson)[:80], STEP: int(step), STEPS: int(steps), STEP_TITLE: str(title)[:80],
               ANSWER: answer, PREDICTION: None if right is None else ("right" if right else "wrong"),
               GOAL: None if goal is None else ("met" if goal else "missed"), DONE: bool(done)}
    return {k: v for k, v in figures.items() if v is not None}
