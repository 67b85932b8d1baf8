"""The training timeline: θ kept at frames (bounded), read back exactly, and replays from the same θ₀."""
from dataclasses import replace

import numpy as np
import pytest

from nncore.engine import timeline as tl
from nncore.engine import training
from nncore.lessons import playground_lab as pg
from nncore.lessons.configurator import Controls

SETUP = pg.Setup()                                           # noisy XOR, 4-2 tanh, SGD α = 0.1, batches of 10


def followed(setup=SETUP, **limits):
    data, run = pg.start(setup)
    return run, tl.Timeline(**limits).follow(run)


def play(run, epochs: int, speed: int = 7) -> None:
    """Advance as the page does: ``speed`` updates per painted frame, whatever the epoch boundaries."""
    while run.epoch < epochs and not run.done:
        run.advance(speed)


def fresh_to_epoch(setup, epochs: int):
    _, run = pg.start(setup)
    for _ in range(epochs):
        run.until_epoch_end()
    return run


def test_frame_zero_is_theta0_and_epoch_10_equals_a_fresh_run_stopped_at_epoch_10():
    run, line = followed()
    theta0 = run.net.theta.copy()
    play(run, 25)
    assert line.at(0).step == 0 and np.array_equal(line.at(0).theta, theta0)
    k = line.index_of_epoch(10)
    assert k is not None
    fresh = fresh_to_epoch(SETUP, 10)
    assert line.at(k).step == fresh.step
    assert np.array_equal(line.at(k).theta, fresh.net.theta)          # exactly, not approximately
    assert not np.array_equal(line.at(k).theta, run.net.theta)        # the live run has moved on


def test_view_of_a_frame_draws_that_moment_network_and_curves():
    run, line = followed()
    play(run, 20)
    k = line.index_of_epoch(10)
    fresh = fresh_to_epoch(SETUP, 10)
    then = line.view(run, k)
    assert then.epoch == 10 and then.step == fresh.step
    assert then.val_losses == fresh.val_losses and then.train_losses == fresh.train_losses
    assert np.array_equal(then.net.predict(run.f_train), fresh.net.predict(run.f_train))
    assert pg.current_accuracy(then) == pg.current_accuracy(fresh)
    assert run.epoch >= 20 and len(run.val_losses) >= 20          # the run itself is untouched


def test_painted_frames_are_kept_between_epoch_ends():
    run, line = followed()
    run.advance(3)
    line.capture(run)
    assert line.at(-1).step == 3 and np.array_equal(line.at(-1).theta, run.net.theta)
    line.capture(run)                                         # the same update again: no second frame
    assert len(line) == 2


def batch_orders(setup, epochs: int, monkeypatch):
    """The index arrays the engine really trained on (recorded from inside ``training.train``)."""
    seen = []
    real = training.batches

    def spy(n, size, rng):
        parts = real(n, size, rng)
        seen.append([p.copy() for p in parts])
        return parts

    monkeypatch.setattr(training, "batches", spy)
    _, run = pg.start(setup)
    theta0 = run.net.theta.copy()
    for _ in range(epochs):
        run.until_epoch_end()
    monkeypatch.undo()
    return theta0, seen, run


@pytest.mark.parametrize("change", [{"lr": 0.03}, {"optimizer": "adam", "lr": 0.01}, {"optimizer": "momentum"}])
def test_same_start_new_settings_replays_identical_theta0_and_batch_order(change, monkeypatch):
    theta0, order, run = batch_orders(SETUP, 5, monkeypatch)
    other = replace(SETUP, controls=replace(SETUP.controls, **change))
    theta0_b, order_b, run_b = batch_orders(other, 5, monkeypatch)
    assert np.array_equal(theta0, theta0_b)
    assert len(order) == len(order_b) == 5
    for a, b in zip(order, order_b):
        assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert len(order[0]) == run.data.x_train.shape[0] // 10 + (run.data.x_train.shape[0] % 10 > 0)
    assert not np.array_equal(run.net.theta, run_b.net.theta)          # the new setting did change the run


def test_same_start_keeps_theta0_even_when_the_initialiser_would_draw_another():
    data, run = pg.start(SETUP)
    other = replace(SETUP, controls=replace(SETUP.controls, lr=0.5, seed=7))
    _, run_b = pg.start_with(other, data, weights=run.initial_weights)
    assert np.array_equal(run_b.net.theta, run.net.theta)
    _, drawn = pg.start(other)
    assert not np.array_equal(drawn.net.theta, run.net.theta)


def test_replay_to_a_frame_gives_its_theta_and_continues_like_the_original_run():
    setup = replace(SETUP, controls=replace(SETUP.controls, optimizer="adam", lr=0.01))   # optimiser state
    run, line = followed(setup)
    play(run, 12)
    k = line.index_of_epoch(8)
    frame = line.at(k)
    branch = tl.replay(lambda: pg.start(setup)[1], frame.step)
    assert branch.step == frame.step and np.array_equal(branch.net.theta, frame.theta)
    branch.until_epoch_end()
    assert np.array_equal(branch.net.theta, line.at(line.index_of_epoch(9)).theta)


def test_the_bound_thins_the_oldest_frames_and_keeps_theta0_and_now():
    big = replace(SETUP, features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"),
                  controls=Controls(hidden=(24,) * 8, batch_size=200, epochs=1000))
    run, line = followed(big)
    per_frame = run.net.param_count() * 8
    assert line.at(0).nbytes == per_frame
    assert line.capacity == tl.MAX_BYTES // per_frame < tl.MAX_FRAMES
    theta0 = run.net.theta.copy()
    for _ in range(3 * line.capacity):
        run.advance(1)
        line.capture(run)
    assert len(line) <= line.capacity and line.nbytes <= tl.MAX_BYTES
    assert line.thinned > 0
    assert line.at(0).step == 0 and np.array_equal(line.at(0).theta, theta0)
    assert line.at(-1).step == run.step and np.array_equal(line.at(-1).theta, run.net.theta)
    steps = [f.step for f in line.frames]
    assert steps == sorted(steps)
    gaps = np.diff(steps)
    assert gaps[0] > gaps[-1]                               # coarser in the past, fine near now


def test_max_frames_binds_for_a_small_network_and_truncate_forgets_the_future():
    run, line = followed(max_frames=20)
    for _ in range(100):
        run.advance(1)
        line.capture(run)
    assert len(line) <= 20 and line.at(0).step == 0
    middle = line.at(len(line) // 2).step
    line.truncate(middle)
    assert line.at(-1).step == middle


def test_page_scrubs_continues_from_a_frame_and_restarts_from_the_same_theta0():
    """AppTest of /playground: ⏩ Epoch × 12, scrub to epoch 10, ▶ Continue from here, ↺ Same start θ₀, new α."""
    from tests import pages

    at = pages.open_page("playground", None)
    for _ in range(12):
        next(b for b in at.button if b.label == "⏩ Epoch").click().run()
    run = at.session_state["pg_run"]
    theta0 = run.initial_weights
    slider = next(s for s in at.select_slider if "timeline" in s.label)
    assert slider.value == len(slider.options) - 1                   # the newest frame by default
    slider.set_value(10).run()
    assert not at.exception
    assert any("Showing **epoch 10 · update 100**" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "▶ Continue from here").click().run()
    branch = at.session_state["pg_run"]
    assert branch is not run and branch.step >= 100
    fresh = fresh_to_epoch(SETUP, 10)
    assert branch.val_losses[:10] == fresh.val_losses
    assert at.session_state["playground_playing"]                     # it trains on at once
    next(b for b in at.button if b.label == "⏸ Pause").click().run()
    next(s for s in at.selectbox if s.label == "new α").set_value(0.03).run()
    next(b for b in at.button if b.label.startswith("↺ Same start")).click().run()
    again = at.session_state["pg_run"]
    assert not at.exception and again.spec.lr == 0.03 and again.step == 0
    assert all(np.array_equal(a, b) for a, b in zip(again.initial_weights, theta0))
