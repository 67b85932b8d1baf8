"""AppTest of the optimiser race page: a race to the end, a verdict, a racer that diverges alone, bad links."""

from nncore.lessons import race_lab as race
from tests import pages


def _app(query=None):
    return pages.open_page("race", query)


def _play_to_end(at):
    return pages.play_to_end(at, "race", "race_run", limit=300)


def test_the_race_page_starts_every_optimiser_from_one_start():
    at = _app()
    assert not at.exception and not at.warning and not at.error
    assert at.multiselect(key="race.racers").value == list(race.RACERS)
    the_race = at.session_state["race_run"]
    assert [r.name for r in the_race.racers] == list(race.RACERS)
    assert [r.lr for r in the_race.racers] == [race.DEFAULT_LR[n] for n in race.RACERS]
    first = the_race.racers[0].run.net.theta
    assert all((r.run.net.theta == first).all() for r in the_race.racers)


def test_a_race_to_the_end_says_who_won():
    at = _app({"racers": "sgd,adam", "data": "circle", "epochs": "20"})
    the_race = _play_to_end(at)
    assert the_race.done and all(r.run.status == "finished" for r in the_race.racers)
    best = min(the_race.racers, key=lambda r: r.final_loss)
    assert any(s.value.startswith(f"**{best.label}** won with training cost J = ") for s in at.success)


def test_a_diverging_racer_stops_with_a_note_and_the_other_finishes():
    at = _app({"racers": "momentum,adam", "lr_momentum": "10.0", "data": "xor", "layers": "3", "n1": "8",
               "n2": "8", "n3": "8", "activation": "relu", "loss": "binary_crossentropy", "epochs": "30"})
    the_race = _play_to_end(at)
    momentum, adam = the_race.racers
    assert momentum.run.status == "diverged" and adam.run.status == "finished"
    assert any("Momentum (α = 10) stopped." in w.value and "The others race on." in w.value for w in at.warning)
    assert any("Momentum diverged and stopped." in s.value for s in at.success)


def test_a_link_with_an_unknown_racer_or_alpha_falls_back_to_the_defaults():
    at = _app({"racers": "sgd,lbfgs", "lr_adam": "0.5"})
    assert not at.exception
    texts = " ".join(w.value for w in at.warning)
    assert "The link sets racers to 'sgd,lbfgs'" in texts and "The link sets lr_adam to '0.5'" in texts
    assert at.session_state["race_setup"].racers == tuple((n, race.DEFAULT_LR[n]) for n in race.RACERS)


def test_no_racer_chosen_says_so():
    at = _app()
    at.multiselect(key="race.racers").set_value([]).run()
    assert not at.exception
    assert any("Choose at least one optimiser to race." in e.value for e in at.error)


def test_the_log_scale_toggle_and_a_step_change_the_race():
    at = _app({"racers": "sgd,rmsprop"})
    at.button(key="race_epoch").click().run()
    assert at.session_state["race_run"].epoch == 1
    at.toggle(key="race.log_y").set_value(False).run()
    assert not at.exception and at.session_state["race_run"].epoch == 1
