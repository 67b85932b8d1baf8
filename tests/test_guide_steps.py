"""Each bundled step's intended action meets its goal and agrees with its prediction, on nncore's own runs
(the same runs the pages make from the step's link); and the page catalog agrees with the page scripts."""
import ast
from dataclasses import replace
from pathlib import Path

import pytest

from nncore.guide import lesson_file, pages, run_metrics
from nncore.lessons import configurator as cfg
from nncore.lessons import perceptron_lab as pc
from nncore.lessons import playground_lab as pg
from nncore.lessons import presets
from nncore.lessons import race_lab as race
from nncore.lessons import regression_lab as reg

LESSONS = lesson_file.bundled()
STEPS = [(name, k) for name, lesson in LESSONS.items() for k, step in enumerate(lesson.steps) if step.goal]


def regression_run(query):
    values = presets.REGRESSION[query["preset"]].values()
    base = reg.Setup()
    train = replace(base.train, **{k: values[k] for k in values if k in ("lr", "mode", "epochs", "batch_size",
                                                                             "optimizer")})
    setup = replace(base, train=train).validate()
    _, run = reg.start(setup)
    return run_metrics.of_run(run.finish(), setup, "val")


def playground_run(query):
    setup = presets.PRESETS[query["preset"]].setup.validate()
    _, run = pg.start(setup)
    return run_metrics.of_run(run.finish(), setup, "test")


def race_run(query):
    """The race the /race page starts from the step's link: its defaults (the playground's set-up, 200 epochs)
    with the link's values; numbers and lists read as the page reads them."""
    values = dict(pg.to_values(pg.Setup(controls=cfg.Controls(epochs=200))))
    for key, text in query.items():
        if key in values and key != "racers":
            values[key] = type(values[key])(text) if not isinstance(values[key], (list, tuple)) else text.split(",")
    racers = [n for n in race.RACERS if n in query["racers"].split(",")]
    lrs = {n: float(query.get(f"lr_{n}", race.DEFAULT_LR[n])) for n in racers}
    _, the_race = race.start(race.RaceSetup(pg.from_values(values), tuple((n, lrs[n]) for n in racers)))
    while not the_race.done:
        the_race.advance(10_000)
    return run_metrics.of_race(the_race)


def perceptron_state(query):
    gate = query.get("gate", "AND")
    unit = pc.Perceptron((float(query.get("gate_w1", 1)), float(query.get("gate_w2", 1))),
                         float(query.get("gate_b", -2)), "step")
    return {"gate_correct": pc.truth_table(unit, gate).n_right}


@pytest.mark.parametrize("name, k", STEPS)
def test_the_steps_intended_action_meets_its_goal(name, k):
    step = LESSONS[name].steps[k]
    metrics = {"regression": regression_run, "playground": playground_run,
               "perceptron": perceptron_state, "race": race_run}[step.page](step.query)
    assert step.goal.check(metrics) is True, (step.goal.text, metrics)


def test_the_festival_predictions_match_the_lab():
    festival = LESSONS["003-perceptron"].steps
    any_two = pc.festival_table((1, 1, 1), 2)
    assert all(d.go == (sum(d.x) >= 2) for d in any_two) and festival[0].prediction.answer == 1
    thirst = {d.x: d.go for d in pc.festival_table((1, 1, 10), 11)}
    assert thirst[(1, 1, 0)] is False and festival[1].prediction.answer == 1


def test_xor_models_1_to_3_end_as_the_prediction_says():
    acc = {slug: playground_run({"preset": slug})["train_accuracy"]
           for slug in ("xor-model-1", "xor-model-2", "xor-model-3")}
    assert acc == {"xor-model-1": 0.75, "xor-model-2": 1.0, "xor-model-3": 1.0}


def _prop_names(script: str) -> set:
    """The string keys given a Prop(...) in a page script (its PageState table)."""
    tree = ast.parse(Path(script).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if (isinstance(key, ast.Constant) and isinstance(value, ast.Call)
                        and getattr(value.func, "id", getattr(value.func, "attr", "")).endswith("Prop")):
                    names.add(key.value)
    return names


NOT_FOR_LESSONS = {"mnist": {"run"}}      # MNIST's run id: made by the page, never set by a link


@pytest.mark.parametrize("page", sorted(pages.pages()))
def test_the_catalog_knows_every_control_the_page_script_lists(page):
    names = _prop_names(f"views/{page}.py") - NOT_FOR_LESSONS.get(page, set())
    assert names and names <= pages.pages()[page].params, names - pages.pages()[page].params


def test_the_race_step_ends_as_its_why_says():
    """Lesson 002's race: the numbers its answer prints (J = 0.216, 0.032, 0.0012) are the race's own."""
    step = next(s for s in LESSONS["002-neural-networks"].steps if s.page == "race")
    m = race_run(step.query)
    assert (m["racers"], m["diverged_racers"], m["epoch"], m["finished"]) == (3, 0, 200, True)
    assert (round(m["sgd_loss"], 3), round(m["momentum_loss"], 3), round(m["adam_loss"], 4)) == (0.216, 0.032, 0.0012)
    assert m["best_train_loss"] == m["adam_loss"]
    assert step.prediction.choices[step.prediction.answer].startswith("Adam")
    assert all(f"{r}_loss" in pages.pages()["race"].metrics for r in race.RACERS)
