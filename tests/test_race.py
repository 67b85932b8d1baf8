"""The optimiser race: one start θ₀, one batch order, and each racer exactly its solo run."""
from dataclasses import replace

import numpy as np
import pytest

from nncore.engine import optimizers, training
from nncore.engine.specs import SpecError
from nncore.lessons import configurator
from nncore.lessons import playground_lab as pg
from nncore.lessons import race_lab as race

ALL = tuple((name, race.DEFAULT_LR[name]) for name in race.RACERS)
SETUP = pg.Setup(data="circle", n=60, controls=configurator.Controls(hidden=(3,), batch_size=8, epochs=10, seed=3))


def test_every_racer_starts_from_the_same_weights():
    _, r = race.start(race.RaceSetup(SETUP, ALL))
    theta0 = [p.copy() for p in r.racers[0].run.initial_weights]
    for racer in r.racers:
        assert racer.run.step == 0
        for mine, first in zip(racer.run.net.get_weights(), theta0):
            np.testing.assert_array_equal(mine, first)


def test_every_racer_gets_the_same_batches_in_the_same_order(monkeypatch):
    seen = {}
    real = training.batches

    def recording(n, size, rng):
        parts = real(n, size, rng)
        seen.setdefault(recording.current, []).append([p.tolist() for p in parts])
        return parts

    monkeypatch.setattr(training, "batches", recording)
    _, r = race.start(race.RaceSetup(SETUP, ALL))
    for _ in range(3):                      # three epochs, each racer pulled one update at a time
        for racer in r.racers:
            recording.current = racer.name
            racer.run.until_epoch_end()
    orders = list(seen.values())
    assert len(orders) == len(race.RACERS) and len(orders[0]) == 3
    assert orders[0][0] != orders[0][1], "each epoch reshuffles"
    assert all(order == orders[0] for order in orders)


@pytest.mark.parametrize("name", race.RACERS)
def test_each_racer_after_n_steps_equals_its_solo_playground_run(name):
    lr = race.DEFAULT_LR[name]
    _, r = race.start(race.RaceSetup(SETUP, ALL))
    r.advance(17)
    racer = next(x for x in r.racers if x.name == name)
    _, solo = pg.start(replace(SETUP, controls=replace(SETUP.controls, optimizer=name, lr=lr)))
    solo.advance(17)
    assert racer.run.step == solo.step == 17
    for mine, theirs in zip(racer.run.net.get_weights(), solo.net.get_weights()):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)


def test_the_racers_really_differ():
    _, r = race.start(race.RaceSetup(SETUP, ALL))
    r.advance(10)
    thetas = [x.run.net.theta for x in r.racers]
    assert all(not np.allclose(a, b) for i, a in enumerate(thetas) for b in thetas[i + 1:])


def test_the_playground_offers_nesterov_and_adagrad_and_the_engine_makes_them():
    for name in ("nesterov", "adagrad"):
        assert name in configurator.OPTIMIZERS and name in configurator.OPTIMIZER_LABELS
        assert optimizers.make(name, 0.1) is not None
        configurator.Controls(optimizer=name).validate()


def test_a_diverging_racer_stops_alone_and_the_verdict_says_so():
    racers = (("momentum", 10.0), ("adam", 0.01))
    setup = replace(SETUP, controls=replace(SETUP.controls, hidden=(8, 8, 8), activation="relu",
                                            loss="binary_crossentropy", epochs=30))
    _, r = race.start(race.RaceSetup(setup, racers))
    while not r.done:
        r.advance(50)
    sgd, adam = r.racers
    assert sgd.run.status == "diverged" and adam.run.status == "finished"
    assert adam.run.epoch == 30 and sgd.run.step < adam.run.step
    sentence = race.verdict(r)
    assert sentence.startswith("**Adam (α = 0.01)** won with training cost J = ")
    assert sentence.endswith("Momentum diverged and stopped.")


def test_the_winner_has_the_lowest_final_cost():
    _, r = race.start(race.RaceSetup(SETUP, ALL))
    while not r.done:
        r.advance(100)
    best = min(r.racers, key=lambda x: x.final_loss)
    assert race.verdict(r).startswith(f"**{best.label}** won")
    assert r.standings()[0] is best


@pytest.mark.parametrize("racers,problem", [((), "racers"), ((("sgd", 0.1), ("sgd", 0.01)), "racers"),
                                            ((("lbfgs", 0.1),), "racers"), ((("adam", 0.5),), "lr")])
def test_bad_races_say_what_is_wrong(racers, problem):
    with pytest.raises(SpecError) as e:
        race.RaceSetup(SETUP, racers).validate()
    assert problem in e.value.problems
