"""📤 Send to class on the optimiser race and the MNIST page (AppTest): the popover appears only once the session
joined a class, and what arrives on the board is the page's link and its figures (the race's leader; the Keras
run's epochs, training loss, test accuracy and parameters)."""
import pytest

from nncore.board import figures as F
from nncore.board import keys
from nncore.board import store as board_store
from nncore.lessons import race_lab as race
from tests import pages
from tests.test_mnist_page import app as mnist_app
from tests.test_mnist_page import metric
from tests.test_mnist_page import train as mnist_train
from views.ui.send_to_class import MEMBER, SESSION


@pytest.fixture()
def member(tmp_path, monkeypatch):
    """A class on a fresh SQLite database and a student seat in it: ``(store, code, key, session values)``."""
    monkeypatch.delenv("NNPLAY_DATABASE_URL", raising=False)
    monkeypatch.setenv("NNPLAY_DATA_DIR", str(tmp_path))
    store = board_store.default_store()
    code, key = store.create_class()
    token = keys.new_seat_token()
    sid = store.join(code, "Ana", token)
    yield store, code, key, {MEMBER: {"code": code, "id": sid, "nickname": "Ana"}, SESSION: token}
    board_store._STORES.clear()


def _join(at, values):
    for k, v in values.items():
        at.session_state[k] = v
    return at.run()


def test_the_race_sends_its_leader_and_its_link(member):
    store, code, key, seat = member
    at = pages.open_page("race", {"racers": "sgd,adam", "data": "circle", "epochs": "5"})
    assert not [b for b in at.button if b.key == "race._send_to_class"]              # not joined: no 📤
    the_race = pages.play_to_end(at, "race", "race_run", limit=300)
    at = _join(at, seat)
    at.button(key="race._send_to_class").click().run()
    assert not at.exception and any(s.value.startswith("Sent") for s in at.success)
    [sub] = store.board(code, key).submissions
    leader = the_race.standings()[0]
    assert sub.page == "race" and sub.link.startswith("/race?") and "racers=sgd,adam" in sub.link
    assert sub.figures[F.LEADER] == f"{leader.name} (α = {leader.lr:g})" and sub.figures[F.RACERS] == 2
    assert sub.figures[F.OPTIMIZER] == leader.name and sub.figures[F.EPOCHS] == 5
    assert sub.figures[F.TRAIN_COST] == pytest.approx(leader.final_loss, abs=1e-6)
    assert sub.figures[F.DATA] == "circle" and sub.figures[F.PARAMETERS] == leader.run.net.param_count()


def test_race_figures_name_the_racer_with_the_lowest_cost_not_the_first():
    _, the_race = race.start(race.RaceSetup(race.pg.Setup(), (("sgd", 0.001), ("adam", 0.03))))
    the_race.advance(200)
    best = min(the_race.racers, key=lambda r: r.final_loss)
    assert best.name == "adam"                               # SGD with a tiny α is still near θ₀
    figures = F.race_figures(the_race, "xor")
    assert figures[F.OPTIMIZER] == "adam" and figures[F.LR] == 0.03
    assert figures[F.TRAIN_COST] == pytest.approx(best.final_loss, abs=1e-6)


def test_keras_figures_leave_out_what_a_loaded_network_does_not_know():
    assert F.keras_figures("mnist", 25_450, 0.91) == {F.DATA: "mnist", F.PARAMETERS: 25_450, F.TEST_ACCURACY: 0.91}


@pytest.mark.keras
def test_the_mnist_page_sends_a_trained_network(member):
    store, code, key, seat = member
    at, job = mnist_train(mnist_app({"preset": "course-003"}), epochs=1, n_train=600)
    assert not [b for b in at.button if b.key == "mnist._send_to_class"]
    at = _join(at, seat)
    at.button(key="mnist._send_to_class").click().run()
    assert not at.exception and any(s.value.startswith("Sent") for s in at.success)
    [sub] = store.board(code, key).submissions
    shown = float(metric(at, "test accuracy").rstrip("%")) / 100
    assert sub.page == "mnist" and sub.link.startswith("/mnist?") and "run=" not in sub.link
    assert sub.figures[F.PARAMETERS] == 25_450 and sub.figures[F.EPOCHS] == 1
    assert sub.figures[F.TEST_ACCURACY] == pytest.approx(shown, abs=0.0005)
    assert sub.figures[F.TRAIN_COST] == pytest.approx(job.metrics.epochs_since(0)[-1].loss, abs=1e-6)
    assert sub.figures[F.OPTIMIZER] == job_optimizer(at) and sub.figures[F.STATUS] == "finished"


def job_optimizer(at):
    return at.session_state["mnist_job_info"]["train"].optimizer


def test_lesson_steps_reach_the_board_once_the_student_turns_sending_on(member):
    """The lesson panel of a joined session: off by default (nothing sent); on, a step's goal met and its
    prediction's answer are sent, each change once; the board's lesson table shows them (AppTest, the perceptron
    steps 3 and 4, whose links' weights meet their goals)."""
    from nncore.board import summary
    from tests.test_guide_panel import open_link
    from views.ui.send_to_class import STEPS_ON

    store, code, key, seat = member
    at = open_link("views/perceptron.py", {"lesson": "003-perceptron", "step": "3", "gate": "AND",
                                          "gate_w1": "1", "gate_w2": "1", "gate_b": "-2"})
    assert not [t for t in at.toggle if t.key == f"{STEPS_ON}._toggle"]             # not joined: no toggle
    at = _join(at, seat)
    assert at.toggle(key=f"{STEPS_ON}._toggle").value is False and not store.board(code, key).submissions
    at.toggle(key=f"{STEPS_ON}._toggle").set_value(True).run()
    assert not at.exception, at.exception
    subs = store.board(code, key).submissions
    assert [(s.page, s.figures[F.STEP], s.figures.get(F.GOAL), s.figures[F.DONE]) for s in subs] == [
        ("lesson", 3, "met", True)]                     # step 3's goal (the AND weights) is met on this page
    assert subs[0].link.startswith("/perceptron?") and "lesson=003-perceptron&step=3" in subs[0].link
    at.run()
    assert len(store.board(code, key).submissions) == 1                   # nothing new: nothing sent again
    at.button(key="lesson_next").click().run()                            # step 4 (OR) has a prediction
    at.radio(key="lesson_answer.003-perceptron.3").set_value(0).run()        # a wrong answer (choice 1)
    last = store.board(code, key).submissions[-1].figures
    assert (last[F.STEP], last[F.ANSWER], last[F.PREDICTION], last[F.GOAL]) == (4, 1, "wrong", "met")
    table = summary.lessons(store.board(code, key))["003-perceptron"]
    assert table["steps"] == 7 and table["rows"] == [
        {"student": "Ana", **{str(k): "" for k in range(1, 8)}, "3": "✅", "4": "✅ 🤔✗1", "done": 2}]
    assert not at.exception, at.exception
