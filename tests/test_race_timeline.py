"""The race's timeline (issue 20): every racer's θ kept at each painted frame; a paused race scrubs back to epoch
10 and shows each racer as a fresh race stopped at epoch 10 has it; "▶ Continue from here" goes on like the
original race; "↺ Same start θ₀, new α" restarts every racer from the same θ₀ with the α chosen there."""
from dataclasses import replace

import numpy as np
import pytest

from nncore.lessons import race_lab as race
from tests import pages

SETUP = race.RaceSetup()            # the playground's XOR set-up; SGD 0.1, momentum 0.01, Adam 0.01
PAGE = race.RaceSetup(SETUP.setup, tuple((name, race.DEFAULT_LR[name]) for name in race.RACERS))   # /race's six


def fresh_to_epoch(epoch: int, race_setup=SETUP):
    _, r = race.start(race_setup)
    while r.epoch < epoch:
        r.until_epoch_end()
    return r


def thetas(a_race):
    return [r.run.net.theta for r in a_race.racers]


def test_a_frame_holds_every_racer_and_reads_back_as_that_moment():
    _, r = race.start(SETUP)
    line = race.RaceTimeline().follow(r)
    assert len(line) == 1 and [p.step for p in line.at(0).parts] == [0, 0, 0]       # θ₀ of every racer
    for _ in range(10):
        r.until_epoch_end()
        line.capture(r)
    r.advance(37)
    line.capture(r)
    k = next(i for i in range(len(line)) if line.at(i).epoch == 10)
    at10 = line.view(r, k)
    fresh = fresh_to_epoch(10)
    assert at10.epoch == 10 and at10.step == fresh.step and not at10.done
    for a, b in zip(thetas(at10), thetas(fresh)):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(at10.racers, fresh.racers):
        assert a.run.train_losses == b.run.train_losses and a.label == b.label
    assert race.verdict(at10) == race.verdict(fresh).replace("won", f"leads after epoch {fresh.epoch}")
    again = line.replay_to(lambda: race.start_with(SETUP, r.initial_weights)[1], line.at(k))
    for a, b in zip(thetas(again), thetas(fresh)):                  # "▶ Continue from here": the same θ, and it
        np.testing.assert_array_equal(a, b)                          # goes on as the original race did
    again.advance(37)
    for a, b in zip(thetas(again), thetas(r)):
        np.testing.assert_array_equal(a, b)


def test_a_racer_that_diverged_keeps_its_last_theta_and_says_so_at_its_last_frame():
    controls = replace(SETUP.setup.controls, hidden=(8, 8, 8), activation="relu", loss="binary_crossentropy",
                       epochs=30)                                    # as tests/test_race.py makes momentum diverge
    setup = race.RaceSetup(replace(SETUP.setup, controls=controls), (("momentum", 10.0), ("adam", 0.01)))
    _, r = race.start(setup)
    line = race.RaceTimeline().follow(r)
    while not r.racers[0].diverged and not r.done:
        r.advance(5)
        line.capture(r)
    assert r.racers[0].diverged, "momentum at α = 10 diverges"
    r.advance(20)
    line.capture(r)
    last = line.view(r, len(line) - 1)
    assert last.racers[0].diverged and last.racers[0].run.last.reason == r.racers[0].run.last.reason
    assert last.racers[1].run.step == r.racers[1].run.step > last.racers[0].run.step
    assert not line.view(r, 0).racers[0].diverged


def test_the_memory_bound_is_shared_by_the_racers():
    _, r = race.start(SETUP)
    line = race.RaceTimeline(max_bytes=3 * 40 * r.racers[0].run.net.theta.nbytes).follow(r)
    for _ in range(100):
        r.advance(1)
        line.capture(r)
    assert line.capacity == 40 and len(line) <= 40 and line.at(0).step == 0 and line.at(-1).step == r.step


def test_start_with_weights_of_another_shape_is_refused():
    with pytest.raises(ValueError):
        race.start_with(SETUP, [np.zeros((3, 3))])


def test_the_race_page_scrubs_continues_and_restarts_from_the_same_theta0():
    """AppTest of /race: ⏩ Epoch × 12, scrub to epoch 10, ▶ Continue from here, ↺ Same start θ₀, new SGD α."""
    at = pages.open_page("race", None)
    for _ in range(12):
        next(b for b in at.button if b.label == "⏩ Epoch").click().run()
    assert not at.exception, at.exception
    the_race = at.session_state["race_run"]
    theta0 = the_race.initial_weights
    slider = next(s for s in at.select_slider if "timeline" in s.label)
    assert slider.value == len(slider.options) - 1                   # the newest frame by default
    k = next(i for i, label in enumerate(slider.options) if label.startswith("epoch 10 ·"))
    slider.set_value(k).run()
    assert not at.exception, at.exception
    fresh = fresh_to_epoch(10, PAGE)
    assert any(f"Showing **epoch 10 · update {fresh.step}**" in c.value for c in at.caption)
    said = "\n".join(m.value for m in at.markdown)
    assert race.verdict(fresh).replace("won", "leads after epoch 10") in said       # the standings of that moment

    next(b for b in at.button if b.label == "▶ Continue from here").click().run()
    branch = at.session_state["race_run"]
    assert branch is not the_race and branch.step >= fresh.step
    for a, b in zip(branch.racers, fresh.racers):
        assert a.run.train_losses[:10] == b.run.train_losses
    assert at.session_state["race_playing"]                           # it races on at once
    next(b for b in at.button if b.label == "⏸ Pause").click().run()
    next(s for s in at.selectbox if s.label == "new SGD α").set_value(0.03).run()
    next(b for b in at.button if b.label.startswith("↺ Same start")).click().run()
    again = at.session_state["race_run"]
    assert not at.exception, at.exception
    assert again.step == 0 and dict((r.name, r.lr) for r in again.racers)["sgd"] == 0.03
    assert all(np.array_equal(a, b) for a, b in zip(again.initial_weights, theta0))
    assert at.session_state["race_earlier"]["label"].startswith("SGD α = 0.1")
