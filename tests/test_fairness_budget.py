"""A live frame's fair share (nncore.engine.budget): a time budget per frame and a gate that gives turns in order.

Every clock here is fake: time moves only when an update is made, so the tests count updates, never seconds.
"""
import threading

import numpy as np
import pytest

from nncore.engine import budget
from nncore.engine.budget import BudgetedRun, FairGate, FrameBudget
from nncore.engine.network import MLP
from nncore.engine.specs import NetworkSpec, TrainSpec
from nncore.lessons import playground_lab as pg
from nncore.lessons import race_lab
from nncore.lessons import regression_lab as reg


class FakeClock:
    """Time that moves only when ``spend`` is called."""

    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def spend(self, seconds: float) -> None:
        self.now += seconds


def costly(clock: FakeClock, cost: float, log: list = None):
    """A step(k) that makes k updates of ``cost`` s each."""
    def step(k):
        clock.spend(k * cost)
        if log is not None:
            log.append(k)
        return k
    return step


def test_a_frame_advances_until_its_deadline_and_no_further():
    clock = FakeClock()
    b = FrameBudget(0.05, clock)
    made = b.advance(costly(clock, 0.007), 100)
    assert made == 7                                    # 7 × 7 ms = 49 ms; an 8th would end at 56 ms
    assert clock.now - b.start <= 0.05
    assert b.throttled and b.asked == 100 and b.made == 7
    assert b.advance(costly(clock, 0.007), 100) == 0    # the slice is spent: the next call makes none
    assert clock.now - b.start <= 0.05


def test_a_light_frame_makes_every_update_it_asks_for():
    clock = FakeClock()
    b = FrameBudget(0.05, clock)
    assert b.advance(costly(clock, 0.0001), 100) == 100
    assert not b.throttled and b.note() == ""


def test_the_first_update_of_a_frame_is_made_even_when_it_alone_costs_more_than_the_slice():
    clock = FakeClock()
    b = FrameBudget(0.05, clock)
    assert b.advance(costly(clock, 0.2), 10) == 1       # every run moves
    assert b.advance(costly(clock, 0.2), 10) == 0       # but only once per frame


def test_the_budget_is_spread_over_the_painted_frames_of_a_rerun():
    clock = FakeClock()
    first = FrameBudget(0.05, clock)
    for _ in range(8):                                  # a playground rerun: 8 painted frames
        first.advance(costly(clock, 0.001), 100)
    clock.spend(1.0)                                    # drawing, other sessions' turns …
    b = FrameBudget.following(first, 0.05, clock)       # the next rerun knows it makes 8 calls
    assert b.expected_calls == 8
    per_call = [b.advance(costly(clock, 0.001), 100) for _ in range(8)]
    assert clock.now - b.start <= 0.05 + 1e-9
    assert 45 <= sum(per_call) <= 50
    assert min(per_call) >= 5                           # every painted frame moves, not only the first ones


def test_a_run_that_ends_stops_the_advance():
    clock = FakeClock()
    b = FrameBudget(10.0, clock)
    left = [3]

    def step(k):
        made = min(k, left[0])
        left[0] -= made
        clock.spend(0.001 * made)
        return made

    assert b.advance(step, 100) == 3
    assert not b.throttled and b.note() == ""           # a run that ended was not cut by the budget


def tiny_run(cls=BudgetedRun, epochs=1000):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 2))
    y = (x[:, :1] > 0).astype(float)
    net = NetworkSpec(n_inputs=2, hidden=(3,), output_units=1, output_activation="sigmoid").validate()
    net = MLP.from_spec(net)
    spec = TrainSpec(loss="binary_crossentropy", optimizer="sgd", lr=0.1, mode="stochastic", epochs=epochs)
    return cls(net, x, y, spec)


def test_a_budgeted_run_outside_a_live_frame_makes_every_update():
    run = tiny_run()
    assert len(run.advance(37)) == 37 and run.step == 37


def test_a_budgeted_run_in_a_live_frame_advances_until_the_deadline():
    run = tiny_run()
    base = 5.0
    clock = lambda: base + run.step * 0.01            # noqa: E731  (each update "costs" 10 ms)
    with budget.frame(FrameBudget(0.05, clock)) as b:
        made = run.advance(100)
    assert len(made) == 5 and run.step == 5 and b.made == 5
    assert len(run.advance(100)) == 100               # the frame is over: no budget


def test_the_gate_never_lets_a_session_compute_past_its_slice():
    run = tiny_run()
    clock = lambda: run.step * 0.003                  # noqa: E731
    gate = FairGate(0.05, clock)
    for _ in range(3):
        with gate.turn("heavy") as b:
            start = clock()
            for _ in range(8):
                run.advance(100)
            assert clock() - start <= 0.05
            assert b.throttled and 0 < b.made <= 17


def test_race_racers_stay_in_step_within_the_budget():
    setup = race_lab.RaceSetup(setup=pg.Setup(n=40), racers=(("sgd", 0.1), ("adam", 0.01), ("momentum", 0.1)))
    _, race = race_lab.start(setup)
    clock = lambda: sum(r.run.step for r in race.racers) * 0.004   # noqa: E731 (12 ms per round of 3)
    with budget.frame(FrameBudget(0.05, clock)):
        race.advance(100)
    steps = [r.run.step for r in race.racers]
    assert steps == [4, 4, 4]                         # 4 rounds × 12 ms = 48 ms; every racer the same
    race.advance(10)
    assert [r.run.step for r in race.racers] == [14, 14, 14]


def test_the_pages_runs_are_budgeted():
    _, run = pg.start(pg.Setup(n=40))
    assert isinstance(run, budget.Budgeted)
    _, run = reg.start(reg.Setup())
    assert isinstance(run, budget.Budgeted)


def _wait_for(predicate):
    """Until ``predicate()`` (a thread has reached the gate's line): an event wait, not a timing."""
    done = threading.Event()
    while not predicate():
        done.wait(0.001)


def test_two_sessions_alternate_at_the_gate():
    gate = FairGate(0.05, FakeClock())
    order = []

    def frame_of(who):
        with gate.turn(who):
            order.append(who)

    with gate.turn("a"):                               # a computes; b asks, then a asks again
        b = threading.Thread(target=frame_of, args=("b",))
        b.start()
        _wait_for(lambda: gate.waiting == 1)
        a2 = threading.Thread(target=frame_of, args=("a",))
        a2.start()
        _wait_for(lambda: gate.waiting == 2)
    b.join(10)
    a2.join(10)
    assert order == ["b", "a"]                          # b's turn first: round-robin, not whoever grabs the lock
    assert gate.turns == ["a", "b", "a"]
    assert not gate.busy and gate.waiting == 0


def test_many_sessions_take_turns_in_the_order_they_asked():
    gate = FairGate(0.05, FakeClock())
    order, threads = [], []

    def one(who):
        with gate.turn(who):
            order.append(who)

    with gate.turn("first"):
        for who in "abcde":
            threads.append(threading.Thread(target=one, args=(who,)))
            threads[-1].start()
            _wait_for(lambda n=len(threads): gate.waiting == n)
    for t in threads:
        t.join(10)
    assert order == list("abcde")


def test_a_waiter_that_is_stopped_in_line_does_not_block_the_ones_behind():
    gate = FairGate(0.05, FakeClock())

    class Stop(Exception):
        pass

    def boom(*args):
        raise Stop

    with gate.turn("a"):
        gate._cond.wait = boom                          # the waiting thread is stopped (Streamlit's StopException)
        with pytest.raises(Stop):
            with gate.turn("b"):
                pass
        del gate._cond.wait
        assert gate.waiting == 0
    with gate.turn("c"):
        assert gate.busy


def test_a_throttled_frame_says_so_in_a_sentence():
    clock = FakeClock()
    b = FrameBudget(0.05, clock)
    for _ in range(8):
        b.advance(costly(clock, 0.01), 100)
    note = b.note()
    assert note.startswith("⏱ A heavy set-up: about 1 update per frame instead of the 100 asked")
    assert "at most 50 ms" in note


def test_drawing_between_painted_frames_does_not_eat_the_update_budget():
    clock = FakeClock()
    b = FrameBudget(0.05, clock)
    per_frame = []
    for _ in range(4):
        per_frame.append(b.advance(costly(clock, 0.005), 100))
        clock.spend(0.2)                                # drawing a heavy frame
    assert sum(per_frame) == 10 and b.spent <= 0.05 + 1e-9   # 10 × 5 ms of updates, however long the drawing


def test_a_frame_that_held_the_gate_for_its_slice_lets_the_waiting_session_go_first():
    clock = FakeClock()
    gate = FairGate(0.05, clock)
    order = []

    def normal():
        with gate.turn("normal"):
            order.append("normal")

    with gate.turn("heavy") as b:
        b.advance(costly(clock, 0.001), 5)              # painted frame 1
        order.append("heavy 1")
        t = threading.Thread(target=normal)
        t.start()
        _wait_for(lambda: gate.waiting == 1)
        b.advance(costly(clock, 0.001), 5)              # held 5 ms only: it goes on
        order.append("heavy 2")
        clock.spend(0.1)                                # drawing: the slice is over, and normal waits
        b.advance(costly(clock, 0.001), 5)              # so normal's turn comes first
        order.append("heavy 3")
        t.join(10)
    assert order == ["heavy 1", "heavy 2", "normal", "heavy 3"]
    assert b.passed == 1 and gate.turns == ["heavy", "normal", "heavy"]
    assert not gate.busy and gate.waiting == 0


def test_a_frame_alone_never_passes_its_turn():
    clock = FakeClock()
    gate = FairGate(0.05, clock)
    with gate.turn("alone") as b:
        for _ in range(8):
            b.advance(costly(clock, 0.001), 5)
            clock.spend(0.1)
    assert b.passed == 0 and gate.turns == ["alone"]


def test_a_gate_of_two_slots_lets_two_frames_compute_at_once_and_a_third_waits_its_turn():
    gate = FairGate(0.05, FakeClock(), slots=2)
    order = []

    def one(who):
        with gate.turn(who):
            order.append(who)

    with gate.turn("a"):
        t = threading.Thread(target=one, args=("b",))
        t.start()
        t.join(10)                                      # b did not wait for a: a second slot was free
        assert order == ["b"]
        with gate.turn("c"):
            assert gate.holding == 2
            d = threading.Thread(target=one, args=("d",))
            d.start()
            _wait_for(lambda: gate.waiting == 1)        # both slots taken: d waits
            assert order == ["b"]
        d.join(10)
    assert order == ["b", "d"] and not gate.busy


@pytest.mark.parametrize("value, slots", [(None, 1), ("2", 2), ("0", 1), ("x", 1)])
def test_the_live_slots_come_from_the_environment(value, slots):
    assert budget.live_slots({} if value is None else {budget.SLOTS_ENV: value}) == slots


def test_a_cut_too_small_to_round_away_says_its_tenths():
    """4.6 updates per frame of the 5 asked: the note says 4.6, not "about 5 instead of the 5 asked"."""
    b = FrameBudget(1.0)
    b.calls, b.asked, b.made = 5, 25, 23
    assert "about 4.6 updates per frame instead of the 5 asked" in b.note()
