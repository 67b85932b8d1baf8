"""The router under AppTest (no browser): every page keeps its own settings when the student walks away.

``AppTest.from_file("app.py")`` walks through the pages with ``switch_page`` as the sidebar does (a sidebar
link carries no query string, so the query is cleared first); a link is a query set before the switch; Back
is the previous page with the query its address had. Each page's settings live in ``st.session_state`` under
"<page>.<name>" and in its link; after any walk they are as the student left them and nothing raised.
The same named journeys as tests/test_journeys_browser.py, and a seeded random walk
(``JOURNEY_SEED=…`` replays one; the seed is in every failure message).
"""
from __future__ import annotations

import os
import random
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ("", "perceptron", "activations", "losses", "regression", "playground", "race", "mnist")
SCRIPT = {p: f"views/{p or 'home'}.py" for p in PAGES}
SIMPLE = (bool, int, float, str, list, tuple)       # a setting's value (not a run, points or a component state)
SEED = int(os.environ.get("JOURNEY_SEED") or random.SystemRandom().randrange(1, 10**6))


def name(page: str) -> str:
    return page or "home"


def canonical(params) -> tuple:
    pairs = []
    for k, v in dict(params).items():
        for one in (v if isinstance(v, list) else [v]):
            pairs.append((k, str(one)))
    return tuple(sorted(pairs))


def shown(q: tuple) -> str:
    return "?" + urlencode(q, safe=",") if q else "(no query)"


class Student:
    """One session walking through the router. ``links`` is the model: page → its query when last left."""

    def __init__(self, journey: str):
        self.journey = journey
        self.at = AppTest.from_file(APP, default_timeout=180)
        self.steps = ["start at home"]
        self.links: dict = {}
        self.history: list = []          # (page, query) as the browser's history would hold them
        self.page = ""
        self.at.run()
        self.check()
        self.links[""] = self.query()
        self.history.append(("", self.query()))

    # -- reading ------------------------------------------------------------------------------------------
    def query(self) -> tuple:
        return canonical(self.at.query_params)

    def state(self, key: str):
        return self.at.session_state[f"{self.page}.{key}"]

    def fail(self, text: str):
        pytest.fail(f"{text}\n  journey: {self.journey}\n  steps (last 12): {' → '.join(self.steps[-12:])}",
                    pytrace=False)

    def check(self):
        if self.at.exception:
            self.fail(f"step {len(self.steps)} ({self.steps[-1]}) raised: "
                      f"{self.at.exception[0].message}\n{''.join(self.at.exception[0].stack_trace[-6:])}")

    # -- moving -------------------------------------------------------------------------------------------
    def _switch(self, page: str, query: str | tuple | None):
        self.at.query_params.clear()
        pairs = parse_qsl(query) if isinstance(query, str) else list(query or ())
        for k, v in pairs:
            self.at.query_params[k] = v
        self.at.switch_page(SCRIPT[page]).run()
        self.page = page
        self.check()

    def open(self, page: str, query: str | tuple = "") -> tuple:
        """A link to ``page`` with ``query`` (the page takes it the first time this session opens it)."""
        self.steps.append(f"link /{page}{shown(query) if isinstance(query, tuple) else '?' + query}")
        self._switch(page, query)
        self.links[page] = self.query()
        self.history.append((page, self.query()))
        return self.links[page]

    def go(self, page: str):
        """Through the sidebar: the page's address carries no query; the page must write its own back."""
        self.steps.append(f"sidebar → {name(page)}")
        self._switch(page, None)
        self.arrived()
        self.history.append((page, self.query()))

    def back(self):
        """The browser's Back: the previous page, with the query its address had."""
        self.history.pop()
        page, query = self.history[-1]
        self.steps.append(f"Back → {name(page)}")
        self._switch(page, query)
        self.arrived()
        self.history[-1] = (page, self.query())

    def arrived(self):
        now = self.query()
        if self.page in self.links and now != self.links[self.page]:
            self.fail(f"step {len(self.steps)} ({self.steps[-1]}): {name(self.page)}'s link changed while the "
                      f"student was away.\n  expected: {shown(self.links[self.page])}\n  actual:   {shown(now)}")
        self.links[self.page] = now

    # -- controls -----------------------------------------------------------------------------------------
    def set(self, kind: str, key: str, value):
        """Set the control ``key`` of this page (an AppTest widget kind: slider, select_slider, …)."""
        self.steps.append(f"{name(self.page)}: {key} = {value!r}")
        widget = getattr(self.at, kind)(key=f"{self.page}.{key}")
        widget.set_value(value).run()
        self.check()
        self.changed()

    def click(self, key: str):
        self.steps.append(f"{name(self.page)}: button {key}")
        self.at.button(key=key).click().run()
        self.check()
        self.changed()

    def changed(self):
        self.links[self.page] = self.query()
        if self.history and self.history[-1][0] == self.page:
            self.history[-1] = (self.page, self.query())


# ---- the journeys that broke before ---------------------------------------------------------------------
def test_playground_regression_playground_perceptron_regression():
    """"Playground → Regression → Playground → Perceptron → Regression raises nothing and keeps both links.\""""
    s = Student("Playground → Regression → Playground → Perceptron → Regression")
    s.go("playground")
    s.set("select_slider", "lr", 0.03)
    s.set("slider", "speed", 20)
    pg = s.links["playground"]
    s.go("regression")
    s.set("select_slider", "lr", 0.5)
    reg = s.links["regression"]
    for page in ("playground", "perceptron", "regression"):
        s.go(page)
    assert s.links["playground"] == pg and s.links["regression"] == reg
    assert s.state("lr") == 0.5
    s.go("playground")
    assert s.state("lr") == 0.03 and s.state("speed") == 20


def test_alpha_5_on_regression_leaves_the_playgrounds_lr():
    """"Playground → Regression (set α = 5 there) → Playground: the playground's lr unchanged.\""""
    s = Student("Playground → Regression (α = 5) → Playground")
    s.go("playground")
    s.set("select_slider", "lr", 0.03)
    s.go("regression")
    s.set("select_slider", "lr", 5.0)
    assert dict(s.query()).get("lr") == "5.0", shown(s.query())
    s.go("playground")
    assert s.state("lr") == 0.03, s.state("lr")
    assert s.at.select_slider(key="playground.lr").value == 0.03
    assert s.at.session_state["regression.lr"] == 5.0


def test_mnist_perceptron_mnist_keeps_lr_and_epochs():
    """"MNIST → Perceptron → MNIST keeps lr and epochs.\""""
    s = Student("MNIST → Perceptron → MNIST")
    s.go("mnist")
    s.set("select_slider", "lr", 0.01)
    s.set("number_input", "epochs", 3)
    s.go("perceptron")
    s.set("slider", "w1", 3.0)
    s.go("mnist")
    assert s.state("lr") == 0.01 and s.state("epochs") == 3
    assert s.at.number_input(key="mnist.epochs").value == 3


def test_playground_preset_survives_a_visit_home():
    """"playground on preset=xor-model-3 → Home → back keeps the preset.\""""
    s = Student("playground?preset=xor-model-3 → Home → Playground")
    link = s.open("playground", "preset=xor-model-3")
    assert dict(link).get("preset") == "xor-model-3", shown(link)
    s.go("")
    s.go("playground")
    assert s.state("preset") == "xor-model-3"
    assert s.at.session_state["pg_setup"].controls.optimizer == "adam"      # xor-model-3's own settings


@pytest.mark.parametrize("page", ["playground", "regression"])
def test_a_teachers_lock_survives_a_round_trip_and_a_reload(page):
    """"a teacher's lock=lr survives a round trip and a reload": the link keeps lock=lr, the control stays
    disabled at the link's value."""
    s = Student(f"/{page}?lock=lr&lr=… → around → back → reload")
    link = s.open(page, "lock=lr&lr=0.01")
    assert dict(link).get("lock") == "lr" and s.at.select_slider(key=f"{page}.lr").disabled, shown(link)
    for other in ("", "perceptron", "regression" if page == "playground" else "playground"):
        s.go(other)
        s.go(page)
        assert s.at.select_slider(key=f"{page}.lr").disabled, f"{page}.lr not disabled after {name(other)}"
        assert s.state("lr") == 0.01
    reload = Student(f"reload of /{page}{shown(s.query())}")           # a reload: a new session, the same link
    reload.open(page, s.query())
    assert dict(reload.query()).get("lock") == "lr", shown(reload.query())
    assert reload.at.select_slider(key=f"{page}.lr").disabled and reload.state("lr") == 0.01


def reload_of(s: Student) -> Student:
    """A reload of ``s``'s tab: a new session at the same link, which the tab tells every page's link it kept
    (the last address the tab showed for each page, as ``views/ui/js/tab_memory.js`` keeps it in sessionStorage,
    set as its answer would set it)."""
    kept = {page: dict(params) for page, params in s.links.items()}
    new = Student(f"reload of: {s.journey}")
    new.at.session_state["_tab.kept"] = kept
    new.open(s.page, s.query())
    new.links.update({p: q for p, q in s.links.items() if p != s.page})
    return new


@pytest.mark.parametrize("page, link, change", [
    ("playground", "preset=xor-model-3&lr=0.1", ("slider", "speed", 20)),
    ("regression", "preset=Adam&lr=0.5", ("slider", "speed", 20)),
    ("mnist", "preset=course-003&lr=0.01", ("number_input", "seed", 7)),
])
def test_a_reload_keeps_a_preset_pages_changes_from_its_preset(page, link, change):
    """A reload keeps every other page's settings (the tab's sessionStorage), also on a page whose defaults are
    its preset's: /<page>?preset=…&lr=… → Losses → reload → <page>: the same link, the same settings, and one
    more change adds exactly that parameter."""
    s = Student(f"/{page}?{link} → losses → reload → {page}")
    left = s.open(page, link)
    values = {k: v for k, v in s.at.session_state.to_dict().items()
              if k.startswith(f"{page}.") and not k[len(page) + 1:].startswith("_") and isinstance(v, SIMPLE)}
    s.go("losses")
    r = reload_of(s)
    r.go(page)                                              # arrived() compares the link
    now = {k: v for k, v in r.at.session_state.to_dict().items() if k in values}
    diff = {k: (values[k], now.get(k)) for k in values if now.get(k) != values[k]}
    if diff:
        r.fail(f"after the reload {page}'s settings differ from the ones it was left with (name: (left with, "
               f"found)): {diff}")
    r.set(*change)
    q = dict(r.query())
    assert {k: v for k, v in q.items() if k != change[1]} == dict(left), shown(r.query())


def test_back_twice_after_a_teacher_link():
    """"Back twice after a teacher link lands on a page that raises nothing.\""""
    s = Student("home → perceptron → teacher link → regression → Back → Back")
    s.go("perceptron")
    s.open("playground", "lock=lr&lr=0.03")
    s.go("regression")
    s.back()
    assert s.page == "playground" and dict(s.query()).get("lock") == "lr", shown(s.query())
    s.back()
    assert s.page == "perceptron"


def _click(s: Student, x1: float, x2: float, n: int):
    """A click on the own-points plane: what its JavaScript stores in the component's state."""
    s.steps.append(f"click ({x1}, {x2})")
    s.at.session_state["playground.own_plane"] = {"click": {"x1": x1, "x2": x2, "id": f"click-{n}"}}
    s.at.run()
    s.check()


def test_own_points_keep_the_speed_and_test_points():
    """"own points (playground data=own: click points onto the canvas) keep the speed slider and "test points"
    toggle as they were and all drawn points stay visible"."""
    s = Student("playground?data=own: clicks, home, back")
    link = s.open("playground", "data=own&speed=20&show_test=0")
    assert dict(link).get("speed") == "20" and dict(link).get("show_test") == "0", shown(link)
    for n, (x1, x2, cls) in enumerate([(0.6, 0.6, 1), (-0.5, 0.4, 1), (-0.3, -0.7, 0), (0.5, -0.5, 0)], 1):
        if s.at.session_state["playground.own_class"] != cls:
            s.set("radio", "own_class", cls)
        _click(s, x1, x2, n)
        assert len(s.state("own_points").points) == n
        assert s.state("speed") == 20 and s.state("show_test") is False, (s.state("speed"), s.state("show_test"))
        assert dict(s.query()).get("speed") == "20", shown(s.query())
    assert s.at.slider(key="playground.speed").value == 20
    assert s.at.toggle(key="playground.show_test").value is False
    s.go("")
    s.go("playground")
    assert len(s.state("own_points").points) == 4 and s.state("speed") == 20


def test_a_live_run_left_while_playing_pauses_and_says_so():
    """A live page left while playing pauses; on return it says "Paused when you left this page" and the run
    has not advanced."""
    s = Student("playground ▶ → home → playground")
    s.open("playground", "epochs=10000")
    s.click("playground_play")
    s.at.run()
    assert s.at.session_state["playground_playing"]
    step = s.at.session_state["pg_run"].step
    s.go("")
    assert not s.at.session_state["playground_playing"]
    s.go("playground")
    assert any("Paused when you left this page" in i.value for i in s.at.info), [i.value for i in s.at.info]
    assert s.at.session_state["pg_run"].step == step
    assert s.at.button(key="playground_play").label == "▶ Train"


def test_pause_is_a_state_not_a_toggle():
    """▶ sets playing, ⏸ clears it: a ⏸ that arrives after the run already paused does not start it again."""
    s = Student("playground ▶ ⏸")
    s.go("playground")
    for _ in range(5):
        s.click("playground_play")
        assert s.at.session_state["playground_playing"]
        s.click("playground_pause")
        assert not s.at.session_state["playground_playing"]
        assert s.at.button(key="playground_play").label == "▶ Train"


# ---- a seeded random walk ------------------------------------------------------------------------------
def _choices(s: Student, rng: random.Random):
    """Each page's main actions, with values its controls accept."""
    from nncore.lessons import configurator as cfg

    lrs = list(cfg.LRS)
    return {
        "perceptron": [lambda: s.set("slider", "w1", rng.choice([-2.0, 0.5, 3.0, 7.5])),
                       lambda: s.set("slider", "threshold", rng.choice([0.0, 2.5, 11.0])),
                       lambda: s.set("select_slider", "lr", rng.choice([0.25, 0.5, 1.0])),
                       lambda: s.set("radio", "gate", rng.choice(["AND", "OR", "XOR", "NAND"])),
                       lambda: s.click(rng.choice(["preset_thirst", "preset_any-two"])),
                       lambda: s.click("one_epoch")],
        "activations": [lambda: s.set("slider", "z_max", rng.choice([2.0, 6.0, 12.0])),
                        lambda: s.set("slider", "layers", rng.randint(1, 30)),
                        lambda: s.set("select_slider", "lr", rng.choice([0.1, 2.0, 7.0])),
                        lambda: s.set("slider", "bias", rng.choice([-2.0, 0.0, 0.75]))],
        "losses": [lambda: s.set("slider", "outlier", float(rng.randint(0, 20))),
                   lambda: s.set("slider", "p", rng.choice([0.05, 0.5, 0.9])),
                   lambda: s.set("radio", "true_class", rng.choice([1, 2, 3]))],
        "regression": [lambda: s.set("select_slider", "lr", rng.choice([0.001, 0.05, 0.5, 1.0, 5.0])),
                       lambda: s.set("selectbox", "optimizer", rng.choice(["sgd", "momentum", "adam"])),
                       lambda: s.set("selectbox", "mode", rng.choice(["batch", "mini-batch", "stochastic"])),
                       lambda: s.set("slider", "speed", rng.randint(1, 100)),
                       lambda: s.click("regression_step"), lambda: s.click("regression_reset")],
        "playground": [lambda: s.set("select_slider", "lr", rng.choice(lrs[2:9])),
                       lambda: s.set("selectbox", "preset", rng.choice(
                           ["playground", "xor-model-1", "xor-model-3", "and-gate", "circle-features"])),
                       lambda: s.set("slider", "speed", rng.randint(1, 100)),
                       lambda: s.click("playground_step"), lambda: s.click("playground_reset")],
        "race": [lambda: s.set("slider", "speed", rng.randint(1, 100)),
                 lambda: s.set("select_slider", "lr_sgd", rng.choice(lrs[3:9])),
                 lambda: s.set("selectbox", "data", rng.choice(["xor", "circle", "gaussians"])),
                 lambda: s.click("race_step")],
        "mnist": [lambda: s.set("select_slider", "lr", rng.choice([0.0003, 0.001, 0.01, 0.1])),
                  lambda: s.set("select_slider", "batch_size", rng.choice([16, 64, 128])),
                  lambda: s.set("number_input", "epochs", rng.randint(1, 8))],
    }.get(s.page, [])


def test_seeded_random_walk():
    """At least 30 steps over every page: the sidebar, each page's controls and buttons, Back; after every step
    nothing raised and each page the walk comes back to has its link and its values as the walk left them."""
    rng = random.Random(SEED)
    s = Student(f"random walk, seed {SEED} (JOURNEY_SEED={SEED} replays it)")
    values: dict = {}                    # page → its settings in session state when last left

    def settings(page):
        prefix = f"{page}."
        return {k: v for k, v in s.at.session_state.to_dict().items()
                if k.startswith(prefix) and not k[len(prefix):].startswith("_") and isinstance(v, SIMPLE)}

    unvisited = [p for p in PAGES if p]
    rng.shuffle(unvisited)
    for _ in range(36):
        actions = _choices(s, rng)
        r = rng.random()
        before = s.page
        if unvisited and (r < 0.35 or not actions):
            target = unvisited.pop()
        elif r < 0.45 or not actions:
            target = rng.choice([p for p in PAGES if p != s.page])
        elif r < 0.9 or len(s.history) < 2:
            rng.choice(actions)()
            continue
        else:
            values[before] = settings(before)
            s.back()
            _same(s, values, settings)
            continue
        values[before] = settings(before)
        s.go(target)
        _same(s, values, settings)
    for p in PAGES:
        if p != s.page:
            values[s.page] = settings(s.page)
            s.go(p)
            _same(s, values, settings)
    print(f"seed {SEED}: " + " → ".join(s.steps))
    assert len(s.steps) >= 30


def _same(s: Student, values: dict, settings):
    if s.page in values and values[s.page] and settings(s.page) != values[s.page]:
        was, now = values[s.page], settings(s.page)
        diff = {k: (was.get(k), now.get(k)) for k in set(was) | set(now) if was.get(k) != now.get(k)}
        s.fail(f"step {len(s.steps)} ({s.steps[-1]}): {name(s.page)}'s settings changed while the student was "
               f"away (name: (left with, found)): {diff}")
