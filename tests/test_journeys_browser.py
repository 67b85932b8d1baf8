"""Real Chromium: every page keeps its own settings when the student walks away and comes back.

"The page's settings" are the page's query string as the page writes it once it has settled: every setting
that differs from its default (short names: lr, optimizer, n1, preset, …), plus the teacher's ``lock``/``hide``
and ``present``. A student walks through the sidebar, uses Back/Forward and reloads; each page must come back
with the link it had when the student left it, and nothing may raise.

- round trips: each page with controls, opened by a non-default link, to each of the 7 other pages and back;
- a seeded random walk of 36 steps over every page (sidebar, controls, buttons, Back/Forward, reloads), here
  and at router level (tests/test_journeys_router.py, fast);
- the journeys that broke before, one test each (their docstrings quote them);
- the regression course example after the walk still ends on the course's numbers;
- reloads (the tab's sessionStorage keeps the other pages), a second tab (an independent student), Back/Forward;
- a live run pauses when its page is left; ⏸ Pause takes effect on the first click, 20 tries out of 20.

One server (its log is quoted in failure messages), one browser, one page per student (a browser context:
its own sessionStorage, as a tab has).
"""
from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

# ---- the app's pages, and a non-default link for each page with controls ------------------------------
PAGES = ("", "perceptron", "activations", "losses", "regression", "playground", "race", "mnist")
LINKS = {       # 2-3 real non-default settings per page (the pages' property tables in views/*.py)
    "perceptron": "w1=3.0&threshold=4.5&lr=0.5",
    "activations": "z_max=10.0&layers=20&lr=2.0",
    "losses": "outlier=5.0&p=0.3&true_class=2",
    "regression": "lr=0.5&mode=stochastic",
    "playground": "preset=xor-model-3&lr=0.1&speed=20",
    "race": "racers=sgd,adam&data=circle&speed=20",
    "mnist": "epochs=3&lr=0.01",
}
NAV = '[data-testid="stSidebarNav"] a[href$="/{}"]'
SKELETON = '[data-testid="stSkeleton"]'         # a widget whose code has not loaded yet
ERROR_TEXT = "This app has encountered an error"
PLOTS = {       # each live page's plot whose title names the epoch
    "playground": ".st-key-pg_boundary .nnplay-live-plot",
    "regression": ".st-key-reg_fit .nnplay-live-plot",
    "race": ".st-key-race_costs .nnplay-live-plot",
}
LONG_RUNS = {   # links whose runs last long enough to be paused by hand
    "playground": "epochs=10000",
    "regression": "epochs=5000&early_stop=0.0",
    "race": "epochs=2000",
}
EPOCH_ABOVE_JS = """([sel, e]) => {
  const el = document.querySelector(sel);
  const m = el && (el.dataset.title || '').match(/epoch (\\d+)/g);
  return !!m && Number(m[m.length - 1].slice(6)) > e;
}"""
AWAY = 8                                       # seconds a student stays away from a playing page
SEED = int(os.environ.get("JOURNEY_SEED") or random.SystemRandom().randrange(1, 10**6))
PLANE = ".nnplay-plane"
PLANE_EXTENT = (-1.2, 1.2, -1.2, 1.2)         # nncore.data.userdata.PLANE


def name(path: str) -> str:
    return path or "home"


def canonical(query: str) -> tuple:
    """A query string as a comparable value: its (name, value) pairs in order of name."""
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def shown(q: tuple) -> str:
    return "?" + urlencode(q, safe=",") if q else "(no query: every setting at its default)"


def same_value(a: str, b_: str) -> bool:
    try:
        return float(a) == float(b_)
    except ValueError:
        return a == b_


# ---- the server, with its log kept for failure messages ------------------------------------------------
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class LoggedServer:
    """``streamlit run app.py`` (tests.browser.Server) whose output is read into ``lines`` as it comes."""

    def __init__(self):
        self.server = b.Server()
        self.url = self.server.url
        self.lines: list = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.server.proc.stdout:
            self.lines.append(f"{time.strftime('%H:%M:%S')} {ANSI.sub('', line.rstrip())}")

    def mark(self) -> int:
        return len(self.lines)

    def log(self, since: int = 0, tail: int = 25) -> str:
        lines = self.lines[since:]
        errors = [ln for ln in lines if re.search(r"Traceback|Error|Exception|Uncaught", ln)]
        picked = errors[:10] + ["…"] + lines[-tail:] if errors else lines[-tail:]
        return "\n".join(picked) or "(nothing)"

    def stop(self):
        self.server.stop()


@pytest.fixture(scope="module")
def app():
    srv = LoggedServer()
    yield srv
    srv.stop()


# ---- a student: one page (a tab) and what each page's link was when the student left it ------------------
class Student:
    """One tab in its own browser context, walking through the app. ``links`` is the model: page → the query
    string that page had when the student last left it."""

    def __init__(self, app, context, journey: str):
        self.app, self.context, self.journey = app, context, journey
        self.page = context.new_page()
        self.page.errors = []
        self.page.on("pageerror", lambda e: self.page.errors.append(str(e)))
        self.urls: list = []                # every address the tab's main frame showed, as it changed
        self.page.on("framenavigated", lambda f: self.urls.append(f.url.replace(app.url, ""))
                     if f == self.page.main_frame else None)
        self.links: dict = {}
        self.names: dict = {}               # page → every parameter name its link has had
        self.steps: list = []
        self.mark = app.mark()

    # -- where the student is ---------------------------------------------------------------------------
    def where(self) -> str:
        return urlsplit(self.page.url).path.strip("/")

    def query(self) -> tuple:
        return canonical(urlsplit(self.page.url).query)

    def on_app(self) -> bool:
        return self.page.url.startswith(self.app.url)

    # -- failure messages -------------------------------------------------------------------------------
    def context_text(self) -> str:
        trail = " → ".join(self.steps[-12:])
        return (f"\n  journey: {self.journey}\n  steps (last 12): {trail}\n  now at: {self.page.url}"
                f"\n  addresses (last 10): {' → '.join(self.urls[-10:])}"
                f"\n  browser errors: {self.page.errors[-3:]}\n  server log:\n{self.app.log(self.mark)}")

    def fail(self, text: str):
        pytest.fail(f"{text}{self.context_text()}", pytrace=False)

    # -- waiting ------------------------------------------------------------------------------------------
    def settle(self, quiet: int = 400, timeout: float = 90):
        """Until the app is connected, its script has finished and the address bar has not changed for
        ``quiet`` ms."""
        end = time.monotonic() + timeout
        while True:
            try:
                b.wait_ready(self.page, timeout=int(max(1, end - time.monotonic()) * 1000))
            except Exception:       # noqa: BLE001 - said with the journey below
                self.fail(f"step {len(self.steps)} ({self.steps[-1] if self.steps else 'start'}): the page did "
                          f"not settle within {timeout:g} s")
            url = self.page.url
            self.page.wait_for_timeout(quiet)
            loading = self.page.locator(SKELETON).count()
            if self.page.url == url and self.page.locator(b.READY).count() and not loading:
                return
            if time.monotonic() > end:
                self.fail(f"the page did not settle in {timeout:g} s (the address bar kept changing, or "
                          f"{loading} widgets still loading)")

    def wait_for_url_change(self, before: str, timeout: int = 2500):
        try:
            self.page.wait_for_function("u => location.href !== u", arg=before, timeout=timeout)
        except Exception:           # noqa: BLE001 - an action that changes no setting
            pass

    # -- checks -------------------------------------------------------------------------------------------
    def check_clean(self):
        exc = self.page.locator('[data-testid="stException"]')
        if exc.count():
            self.fail(f"step {len(self.steps)} ({self.steps[-1]}): the page shows an exception:\n"
                      f"{exc.first.inner_text()[:1500]}")
        if self.page.get_by_text(ERROR_TEXT).count():
            self.fail(f"step {len(self.steps)} ({self.steps[-1]}): the page says '{ERROR_TEXT}'")

    def arrived(self):
        """After landing on a page (sidebar, Back/Forward, reload): nothing raised, and a page the student has
        seen before shows the link it had when the student left it."""
        self.check_clean()
        if not self.on_app():
            self.fail(f"step {len(self.steps)} ({self.steps[-1]}): left the app")
        here, now = self.where(), self.query()
        if here in self.links and now != self.links[here]:
            self.fail(f"step {len(self.steps)} ({self.steps[-1]}): {name(here)}'s link changed while the student "
                      f"was away.\n  expected: {shown(self.links[here])}\n  actual:   {shown(now)}")
        self.links[here] = now
        self.names.setdefault(here, set()).update(k for k, _ in now)

    def record(self):
        """After the student changed something on this page: its new link is what it must come back with."""
        self.check_clean()
        self.links[self.where()] = self.query()
        self.names.setdefault(self.where(), set()).update(k for k, _ in self.query())

    # -- moves ----------------------------------------------------------------------------------------------
    def open(self, path: str, query: str = ""):
        """Open a link (typed, or clicked in a mail): a new document."""
        self.steps.append(f"open /{path}{'?' + query if query else ''}")
        self.page.goto(f"{self.app.url}/{path}{'?' + query if query else ''}")
        self.settle()
        self.check_clean()
        here = self.where()
        self.links[here] = self.query()             # the link wins over what the tab kept for this page
        self.names.setdefault(here, set()).update(k for k, _ in self.links[here])
        return self.links[here]

    def go(self, path: str):
        """Through the sidebar."""
        self.steps.append(f"sidebar → {name(path)}")
        self.page.locator(NAV.format(path)).first.click()
        try:
            self.page.wait_for_function("p => location.pathname === p", arg="/" + path, timeout=30_000)
        except Exception:           # noqa: BLE001
            self.fail(f"the sidebar did not open /{path}")
        self.settle()
        self.arrived()

    def history_can(self, delta: int) -> bool:
        """True when the tab's history has an entry ``delta`` away in the same document (so Back/Forward
        return to this session, not to an older document loaded from its stale address)."""
        return bool(self.page.evaluate("""d => {
            if (!window.navigation || !navigation.currentEntry) return false;
            const e = navigation.entries()[navigation.currentEntry.index + d];
            return !!e && e.sameDocument && e.url.startsWith(location.origin);
        }""", delta))

    def back(self):
        self.steps.append("Back")
        self.page.go_back(wait_until="commit")
        self.landed()

    def forward(self):
        self.steps.append("Forward")
        self.page.go_forward(wait_until="commit")
        self.landed()

    def landed(self):
        """After Back/Forward: the history entry itself carried only the landing page's own parameters (a
        sidebar switch once left entries with the next page's settings on the old path: ``/?optimizer=…``)."""
        entry = urlsplit(self.page.url)
        here = entry.path.strip("/")
        foreign = {k for k, _ in parse_qsl(entry.query)} - self.names.get(here, set()) - {"lock", "hide", "present"}
        self.settle()
        self.arrived()
        if foreign:
            self.fail(f"step {len(self.steps)} (Back/Forward): the history entry {entry.path}?{entry.query} carries "
                      f"{sorted(foreign)}, never a setting of {name(here)}")

    def reload(self):
        self.steps.append("reload")
        self.page.reload()
        self.settle()
        self.arrived()

    # -- controls --------------------------------------------------------------------------------------
    def setting(self, key: str) -> str:
        """The CSS selector of the control for setting ``key`` of this page (session key "<page>.<key>")."""
        return f".st-key-{self.where()}-{key}"

    def act(self, label: str, do):
        """Do one thing on the page, let it settle, and take the page's new link as its state."""
        self.steps.append(f"{name(self.where())}: {label}")
        before = self.page.url
        try:
            do()
        except Exception as err:    # noqa: BLE001 - said with the journey
            self.fail(f"step {len(self.steps)} ({label}) could not be done: {str(err).splitlines()[0]}")
        self.wait_for_url_change(before)
        self.settle()
        self.record()

    def press_slider(self, key: str, keys: str = "ArrowRight"):
        thumb = self.page.locator(f"{self.setting(key)} input[type=range]").first
        self.act(f"{key} slider {keys}", lambda: thumb.press(keys))

    def pick(self, key: str, rng: random.Random = None, option: str = None):
        """Choose an option of the selectbox ``key``: the one named ``option``, or one at random."""
        def do():
            box = self.page.locator(f"{self.setting(key)} input[role=combobox]").first
            box.scroll_into_view_if_needed()            # a popup opened while the sidebar scrolls closes again
            self.page.wait_for_timeout(200)
            self.page.locator(f"{self.setting(key)} button[aria-haspopup=listbox]").first.click()
            options = self.page.locator('[role="listbox"] [role="option"]')
            try:
                options.first.wait_for(timeout=3000)
            except Exception:       # noqa: BLE001 - open it from the keyboard instead
                box.press("ArrowDown")
                options.first.wait_for(timeout=10_000)
            if option is not None:
                options.filter(has_text=re.compile(f"^{re.escape(option)}$")).first.click()
            else:
                options.nth(rng.randrange(options.count())).click()
        self.act(f"{key} select {option or 'random'}", do)

    def radio(self, key: str, rng: random.Random):
        def do():
            labels = self.page.locator(f"{self.setting(key)} label[data-testid=stRadioOption]")
            labels.nth(rng.randrange(labels.count())).click()
        self.act(f"{key} radio", do)

    def flip(self, key: str):
        self.act(f"{key} toggle", lambda: self.page.locator(f"{self.setting(key)} label").first.click())

    def button(self, key: str):
        """Press the button with key ``key`` (buttons keep their plain keys), unless it is disabled now."""
        btn = self.page.locator(f".st-key-{key} button").first
        self.steps.append(f"{name(self.where())}: button {key}")
        try:
            btn.wait_for(timeout=10_000)
        except Exception:           # noqa: BLE001
            self.fail(f"no button with key {key} on {name(self.where())}")
        if btn.is_disabled():
            self.steps[-1] += " (disabled, skipped)"
            return
        before = self.page.url
        btn.click()
        self.page.wait_for_timeout(300)
        self.wait_for_url_change(before, timeout=700)
        self.settle()
        self.record()

    def number(self, key: str, value):
        def do():
            box = self.page.locator(f"{self.setting(key)} input[type=number]").first
            box.fill(str(value))
            box.press("Enter")
        self.act(f"{key} = {value}", do)

    def slider_value(self, key: str) -> str:
        """The value a slider shows (a select slider's option, as its label writes it)."""
        thumb = self.page.locator(f"{self.setting(key)} input[type=range]").first
        if not thumb.count():
            return None
        return thumb.get_attribute("aria-valuetext") or thumb.input_value()

    def disabled(self, key: str) -> bool:
        """True when the control ``key`` is drawn greyed out (a slider's thumb, an input, a button)."""
        return bool(self.page.evaluate("""sel => {
            const box = document.querySelector(sel);
            if (!box) return false;
            const el = box.querySelector('input[type=range], input, button, textarea');
            return !!el && (el.disabled || el.getAttribute('aria-disabled') === 'true'
                            || !!el.closest('[disabled], [aria-disabled="true"], [data-disabled]'));
        }""", self.setting(key)))

    def epoch(self, plot: str) -> int:
        title = self.page.locator(plot).first.get_attribute("data-title") or ""
        found = re.findall(r"epoch (\d+)", title)
        if not found:
            self.fail(f"the plot {plot} has no epoch in its title {title!r}")
        return int(found[-1])

    def wait_epoch_above(self, plot: str, epoch: int, timeout: int = 30_000):
        try:
            self.page.wait_for_function(EPOCH_ABOVE_JS, arg=[plot, epoch], timeout=timeout)
        except Exception:           # noqa: BLE001
            self.fail(f"the run on {plot} did not get past epoch {epoch}")


def new_student(chromium, app, journey: str, height: int = 1000) -> Student:
    context = chromium.new_context(viewport={"width": 1400, "height": height})
    return Student(app, context, journey)


@pytest.fixture(scope="module")
def tripper(chromium, app):
    """The student of the round trips (one page, reused)."""
    s = new_student(chromium, app, "round trips")
    yield s
    s.context.close()


@pytest.fixture(scope="module")
def walker(chromium, app):
    """The student of the random walk and of the course example after it (one page, reused)."""
    s = new_student(chromium, app, f"random walk, seed {SEED}")
    yield s
    s.context.close()


@pytest.fixture
def student(chromium, app, request):
    """A fresh student (a new tab in a new context: nothing kept from other tests)."""
    s = new_student(chromium, app, request.node.name, height=1600)
    yield s
    s.context.close()


# ---- (a) every round trip ------------------------------------------------------------------------------
@pytest.mark.parametrize("page", list(LINKS))
def test_every_round_trip_keeps_the_link(tripper, page):
    """Each page with controls, opened by a non-default link, to each other page through the sidebar and back:
    the link is the same and nothing raises."""
    s = tripper
    s.journey = f"round trips from {page}?{LINKS[page]}"
    s.steps, s.links = [], {}          # this page's trips only (a reload's other pages: the reload tests)
    link = s.open(page, LINKS[page])
    settled = dict(link)
    for k, v in parse_qsl(LINKS[page]):
        if k not in settled or not same_value(settled[k], v):
            s.fail(f"{page} opened with ?{LINKS[page]} did not take {k}={v}: its link is {shown(link)}")
    for other in PAGES:
        if other == page:
            continue
        s.go(other)
        s.go(page)
        if s.query() != link:
            s.fail(f"{page}'s link after the round trip to {name(other)}:\n  expected: {shown(link)}\n"
                   f"  actual:   {shown(s.query())}")


# ---- (b) a seeded random walk ---------------------------------------------------------------------------
KEYS = ("ArrowRight", "ArrowLeft", "End", "Home", "PageUp", "PageDown")


def page_actions(s: Student, rng: random.Random) -> list:
    """This page's main actions as a student does them: its sliders (keys), selects, radios, numbers, buttons."""
    slide = lambda key: lambda: s.press_slider(key, rng.choice(KEYS))   # noqa: E731
    return {
        "perceptron": [slide("w1"), slide("threshold"), slide("lr"), lambda: s.radio("gate", rng),
                       lambda: s.button(rng.choice(["preset_thirst", "preset_any-two"])),
                       lambda: s.button("one_epoch")],
        "activations": [slide("z_max"), slide("layers"), slide("lr"), slide("bias")],
        "losses": [slide("outlier"), slide("p"), lambda: s.radio("true_class", rng)],
        "regression": [slide("lr"), slide("speed"), lambda: s.pick("optimizer", rng), lambda: s.pick("mode", rng),
                       lambda: s.button("regression_step"), lambda: s.button("regression_reset")],
        "playground": [slide("lr"), slide("speed"), lambda: s.pick("preset", rng),
                       lambda: s.button("playground_step"), lambda: s.button("playground_reset")],
        "race": [slide("speed"), slide("lr_sgd"), lambda: s.pick("data", rng), lambda: s.button("race_step")],
        "mnist": [slide("lr"), slide("batch_size"), lambda: s.number("epochs", rng.randint(1, 8))],
    }.get(s.where(), [])


def test_seeded_random_walk(walker):
    """36 seeded steps over every page: the sidebar, each page's sliders, selects, radios, numbers and buttons,
    Back, Forward and reloads; after every step nothing raised, and every page the walk comes back to (by the
    sidebar, Back/Forward or a reload) has the link the student left it with. Then a tour of every page checks
    them all once more. ``JOURNEY_SEED=<seed>`` replays a walk; the seed is in every failure message."""
    rng = random.Random(SEED)
    s = walker
    s.journey = f"random walk, seed {SEED} (JOURNEY_SEED={SEED} replays it)"
    s.open("")
    unvisited = [p for p in PAGES if p]
    rng.shuffle(unvisited)
    for _ in range(36):
        actions = page_actions(s, rng)
        r = rng.random()
        if unvisited and (r < 0.3 or not actions):
            s.go(unvisited.pop())
        elif r < 0.4 or not actions:
            s.go(rng.choice([p for p in PAGES if p != s.where()]))
        elif r < 0.82:
            rng.choice(actions)()
        elif r < 0.9 and s.history_can(-1):
            s.back()
        elif r < 0.94 and s.history_can(1):
            s.forward()
        else:
            s.reload()
    for p in PAGES:                 # every page once more, as the student left it
        if p != s.where():
            s.go(p)
    print(f"seed {SEED}: " + " → ".join(s.steps))
    assert len(s.steps) >= 36


PUSH_RECORDER = """(() => { window.__pushes = [];
  const push = history.pushState.bind(history);
  history.pushState = (state, title, url) => { window.__pushes.push(String(url)); return push(state, title, url); };
})();"""


def test_sidebar_switches_leave_no_entry_on_the_wrong_path(student):
    """Every history entry a sidebar switch leaves carries only its own page's settings. Streamlit's frontend
    pushed the new page's query onto the old path before changing the path (2-5 of 40 switches, more under
    load: ``/mnist?lr=0.5&mode=stochastic`` then ``/regression?lr=0.5&mode=stochastic``); views/ui/js/tab_memory.js
    drops those pushes. Every page opened by its link first, then 21 switches, each push recorded."""
    s = student
    s.page.add_init_script(PUSH_RECORDER)
    for page, link in LINKS.items():
        s.open(page, link)
    s.page.evaluate("window.__pushes = []")
    order = ["regression", "playground", "losses", "race", "perceptron", "mnist", "activations", "",
             "regression", "losses", "playground", "race", "", "mnist", "perceptron", "regression", "activations",
             "playground", "race", "losses", "regression"]
    for page in order:
        s.go(page)
    pushes = s.page.evaluate("window.__pushes")
    wrong = []
    for url in pushes:
        entry = urlsplit(url)
        page = entry.path.strip("/")
        foreign = {k for k, _ in parse_qsl(entry.query)} - s.names.get(page, set()) - {"lock", "hide", "present"}
        if foreign:
            wrong.append(f"{url} ({sorted(foreign)} are not settings of {name(page)})")
    if wrong:
        s.fail(f"{len(wrong)} of {len(pushes)} history entries carry another page's settings:\n  " + "\n  ".join(wrong))


def test_back_right_after_a_reload_leaves_no_entry_on_the_wrong_path(student):
    """Back pressed as soon as a reloaded page is drawn: a run of that page still on its way (then, the tab
    memory's answer, which views/ui/tab_memory.py no longer sends; the guard stays for any late run) ended by
    pushing its own path with the query Back brought (``/regression?batch_size=8`` after Back to
    ``/mnist?batch_size=8``), and the tab then kept MNIST's batch size as regression's (3 of 12 rounds under
    load); views/ui/js/tab_memory.js drops it. Six rounds, each push recorded, the tab's memory read."""
    s = student
    s.page.add_init_script(PUSH_RECORDER)
    wrong = []
    for round_ in range(6):
        s.open("mnist", "batch_size=8")
        s.go("regression")
        s.steps.append("reload")
        s.page.reload()
        b.wait_ready(s.page)
        s.back()                                # at once: the reload's second run may still be on its way
        s.page.wait_for_timeout(1500)
        s.settle()
        kept = json.loads(s.page.evaluate("sessionStorage.getItem('nnplay.links')") or "{}")
        for url in s.page.evaluate("window.__pushes"):
            entry = urlsplit(url)
            if entry.path.strip("/") == "regression" and entry.query:
                wrong.append(f"round {round_}: pushed {url}")
        if kept.get("regression"):
            wrong.append(f"round {round_}: the tab kept regression's link as {kept['regression']}")
    if wrong:
        s.fail("Back right after a reload:\n  " + "\n  ".join(wrong))


# ---- (d) after the other journeys: the regression course example ends on the course's numbers ------------
def test_regression_course_example_after_the_walk(walker):
    """After the journeys above: /regression on its default preset "Course example (course 004)", trained to its end
    (speed 100), shows w = 1.761233 and b = 1.102648 in its "Now" panel."""
    s = walker
    s.journey = "regression course example"
    if not s.on_app():
        s.open("regression")
    elif s.where() != "regression":
        s.go("regression")
    s.pick("preset", option="Adam")
    s.pick("preset", option="Course example (course 004)")
    s.press_slider("speed", "End")
    if s.query() != (("speed", "100"),):
        s.fail(f"the course example at speed 100 should differ from the defaults only in speed; its link is "
               f"{shown(s.query())}")
    s.page.locator(".st-key-regression_play button").click()
    try:
        s.page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=120_000)
    except Exception:               # noqa: BLE001
        s.fail("the course example did not end with a ✅ message within 120 s")
    s.settle()
    s.check_clean()
    katex = " ".join(s.page.locator('[data-testid="stMain"] .katex').all_text_contents())
    if "w = 1.761233" not in katex or "b = 1.102648" not in katex:
        now = re.search(r"w = [-\d.]+,\\quad b = [-\d.]+", katex)
        s.fail(f"the Now panel should show w = 1.761233, b = 1.102648; it shows {now.group(0) if now else katex[:300]}")


# ---- (c) the journeys that broke before -----------------------------------------------------------------
def test_playground_regression_playground_perceptron_regression(student):
    """"Playground → Regression → Playground → Perceptron → Regression raises nothing and keeps both links.\""""
    s = student
    pg = s.open("playground", LINKS["playground"])
    s.go("regression")
    s.press_slider("lr", "ArrowRight")
    reg = s.links["regression"]
    for p in ("playground", "perceptron", "regression"):
        s.go(p)
    assert s.links["playground"] == pg and s.links["regression"] == reg


def test_alpha_5_on_regression_leaves_the_playgrounds_lr(student):
    """"Playground → Regression (set α = 5 there) → Playground: the playground's lr unchanged.\""""
    s = student
    pg = s.open("playground", "lr=0.03")
    s.go("regression")
    s.press_slider("lr", "End")                          # α = 10, the last option
    s.press_slider("lr", "ArrowLeft")                    # α = 5
    if dict(s.query()).get("lr") != "5.0":
        s.fail(f"regression's lr should be 5.0 now; its link is {shown(s.query())}")
    s.go("playground")
    if dict(s.query()).get("lr") != "0.03" or s.query() != pg:
        s.fail(f"the playground's lr changed: expected {shown(pg)}, actual {shown(s.query())}")
    if s.slider_value("lr") is None:
        s.fail("the playground's lr slider is missing")


def test_mnist_perceptron_mnist_keeps_lr_and_epochs(student):
    """"MNIST → Perceptron → MNIST keeps lr and epochs.\""""
    s = student
    link = s.open("mnist", LINKS["mnist"])
    assert dict(link).get("epochs") == "3" and float(dict(link).get("lr", 0)) == 0.01, shown(link)
    s.go("perceptron")
    s.go("mnist")                                          # arrived() compares the link


def test_playground_preset_survives_a_visit_home(student):
    """"playground on preset=xor-model-3 → Home → back keeps the preset.\""""
    s = student
    link = s.open("playground", "preset=xor-model-3")
    assert dict(link).get("preset") == "xor-model-3", shown(link)
    s.go("")
    s.go("playground")
    if dict(s.query()).get("preset") != "xor-model-3":
        s.fail(f"the preset was lost: {shown(s.query())}")


@pytest.mark.parametrize("page", ["playground", "regression"])
def test_a_teachers_lock_survives_a_round_trip_and_a_reload(student, page):
    """"a teacher's lock=lr survives a round trip and a reload": /<page>?lock=lr → walk around → back: the
    link still has lock=lr and the control is disabled; after a reload too."""
    s = student
    link = s.open(page, "lock=lr")
    if dict(link).get("lock") != "lr":
        s.fail(f"the teacher's link lost lock=lr at once: {shown(link)}")
    if not s.disabled("lr"):
        s.fail(f"{page}'s lr control is not disabled under lock=lr")
    for other in ("", "perceptron", "regression" if page == "playground" else "playground"):
        s.go(other)
        s.go(page)
        if not s.disabled("lr"):
            s.fail(f"{page}'s lr control is no longer disabled after a visit to {name(other)}")
    s.reload()
    if dict(s.query()).get("lock") != "lr" or not s.disabled("lr"):
        s.fail(f"after a reload: link {shown(s.query())}, lr disabled: {s.disabled('lr')}")


def test_back_twice_after_a_teacher_link(student):
    """"Back twice after a teacher link lands on a page that raises nothing.\""""
    s = student
    s.open("")
    s.go("perceptron")
    s.open("playground", "lock=lr&lr=0.03")                 # the teacher's link, opened in the same tab
    s.go("regression")
    for _ in range(2):
        s.steps.append("Back")
        s.page.go_back(wait_until="commit")
        s.settle()
        s.check_clean()
        if not s.on_app():
            s.fail("Back left the app")
        if s.where() == "playground" and dict(s.query()).get("lock") != "lr":
            s.fail(f"Back landed on the playground without the teacher's lock: {shown(s.query())}")


def click_plane(s: Student, x1: float, x2: float):
    """A mouse click on the own-points plane at the data point (x₁, x₂)."""
    box = s.page.locator(PLANE + " canvas").bounding_box()
    x0, x_1, y0, y1 = PLANE_EXTENT
    s.page.mouse.click(box["x"] + (x1 - x0) / (x_1 - x0) * box["width"],
                       box["y"] + (y1 - x2) / (y1 - y0) * box["height"])


def test_own_points_keep_the_speed_and_test_points_and_stay_visible(student):
    """"own points (playground data=own: click points onto the canvas) keep the speed slider and "test points"
    toggle as they were and all drawn points stay visible"."""
    s = student
    link = s.open("playground", "data=own&speed=20&show_test=0")
    if dict(link).get("speed") != "20" or dict(link).get("show_test") != "0":
        s.fail(f"the link's speed and test points were not taken: {shown(link)}")
    points = [(0.6, 0.6, None), (-0.5, 0.4, None), (-0.3, -0.7, "0"), (0.5, -0.5, "0")]
    for i, (x1, x2, cls) in enumerate(points, start=1):
        if cls is not None:
            s.act(f"class {cls}", lambda cls=cls: s.page.locator(f"{s.setting('own_class')} "
                  "label[data-testid=stRadioOption]").filter(has_text=re.compile(f"^{cls}$")).first.click())
        s.act(f"click ({x1}, {x2})", lambda x1=x1, x2=x2: click_plane(s, x1, x2))
        try:
            s.page.locator(f"{PLANE}[data-points='{i}']").wait_for(timeout=15_000)
        except Exception:           # noqa: BLE001
            s.fail(f"after {i} clicks the plane shows {s.page.locator(PLANE).get_attribute('data-points')} points")
        if dict(s.query()).get("speed") != "20" or dict(s.query()).get("show_test") != "0":
            s.fail(f"click {i} changed the speed or the test points: {shown(s.query())}")
    if s.slider_value("speed") != "20":
        s.fail(f"the speed slider shows {s.slider_value('speed')}, not 20")
    toggle = s.page.locator(f"{s.setting('show_test')} input[type=checkbox]").first
    if toggle.is_checked():
        s.fail("the test points toggle is on; the link turned it off")
    s.press_slider("speed", "ArrowRight")
    after = s.query()
    s.act("click (0.2, 0.9)", lambda: click_plane(s, 0.2, 0.9))
    s.page.locator(f"{PLANE}[data-points='5']").wait_for(timeout=15_000)
    if s.query() != after or s.slider_value("speed") != "21":
        s.fail(f"a click changed the page's link or speed: expected {shown(after)}, actual {shown(s.query())}, "
               f"speed {s.slider_value('speed')}")
    s.go("")
    s.go("playground")
    try:
        s.page.locator(f"{PLANE}[data-points='5']").wait_for(timeout=15_000)
    except Exception:               # noqa: BLE001
        s.fail(f"after a visit home the plane shows {s.page.locator(PLANE).first.get_attribute('data-points')} "
               f"of the 5 points")


# ---- tabs, reloads, Back/Forward ----------------------------------------------------------------------
def test_reload_keeps_the_current_page_and_every_other_page(student):
    """A reload keeps the current page's settings (its link) and every other page's (the tab's
    sessionStorage)."""
    s = student
    s.open("playground", LINKS["playground"])
    s.press_slider("speed", "ArrowRight")
    s.go("regression")
    s.pick("mode", option="stochastic")
    s.go("losses")
    s.press_slider("p", "ArrowRight")
    s.reload()                                             # arrived(): losses keeps its link
    for p in ("regression", "perceptron", "losses", "playground"):
        s.go(p)                                            # arrived() compares each link with the model


def test_a_second_tab_is_an_independent_student(chromium, app):
    """A second tab (a new page in the same browser context) starts every page at its defaults unless its own
    link says otherwise, and leaves the first tab's settings alone."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        one = Student(app, context, "the first tab")
        one.open("regression", LINKS["regression"])
        one.go("losses")
        one.press_slider("p", "ArrowRight")
        one.go("playground")
        one.press_slider("speed", "ArrowRight")
        two = Student(app, context, "the second tab")
        two.open("playground")
        if two.query():
            two.fail(f"a new tab's playground is not at its defaults: {shown(two.query())}")
        for p in ("regression", "losses"):
            two.go(p)
            if two.query():
                two.fail(f"a new tab's {p} is not at its defaults: {shown(two.query())}")
        two.open("race", "speed=30")                       # its own link counts
        if dict(two.query()).get("speed") != "30":
            two.fail(f"the second tab's own link was not taken: {shown(two.query())}")
        one.page.bring_to_front()
        for p in ("regression", "losses", "playground"):
            one.go(p)                                      # the first tab still has its own
    finally:
        context.close()


PRESET_LINKS = {      # a preset page on a non-default preset, with a change from that preset's values
    "playground": "preset=xor-model-3&lr=0.1",
    "regression": "preset=Adam&lr=0.5",
    "mnist": "preset=course-003&lr=0.01",
}


@pytest.mark.parametrize("page", list(PRESET_LINKS))
def test_a_reload_keeps_a_preset_pages_changes_from_its_preset(student, page):
    """A reload keeps every other page's settings through the tab's sessionStorage, also on a page whose
    defaults are its preset's values: /<page>?preset=…&lr=… → another page → reload → back to the page."""
    s = student
    link = s.open(page, PRESET_LINKS[page])
    if dict(link).get("lr") is None:
        s.fail(f"{page} did not take the link's lr: {shown(link)}")
    s.go("losses")
    s.reload()
    s.go(page)                                             # arrived() compares the link with the one left
    # The page's next run must agree: its settings are the preset's with the link's changes, so one more
    # change (speed, or MNIST's seed) adds exactly that parameter to the link.
    key = "seed" if page == "mnist" else "speed"
    if page == "mnist":
        s.number("seed", 7)
    else:
        s.press_slider("speed", "ArrowRight")
    now = dict(s.query())
    if key not in now or {k: v for k, v in now.items() if k != key} != dict(link):
        s.fail(f"after the reload, {page}'s settings are not the ones it was left with: one more change ({key}) "
               f"turned its link into {shown(s.query())}; it was {shown(link)}")


def test_back_and_forward_show_the_settings_the_student_left(student):
    """Back/Forward land on a page that shows the settings the student left it with, and raise nothing."""
    s = student
    s.open("perceptron", LINKS["perceptron"])
    s.go("activations")
    s.press_slider("layers", "ArrowRight")
    s.go("race")
    s.press_slider("speed", "ArrowRight")
    for move in ("back", "back", "back", "forward", "forward"):
        if s.history_can(-1 if move == "back" else 1):
            getattr(s, move)()


# ---- live pages: pausing ---------------------------------------------------------------------------------
def leave_while_playing(s: Student, page: str, away: float) -> tuple:
    """▶ Train, 3 s, the sidebar to Home, ``away`` s there, back: the page says it paused and its run stands
    still. (epoch shown when the student left, epoch on return, when ▶ was pressed, when Home was reached)."""
    plot = PLOTS[page]
    s.page.locator(f".st-key-{page}_play button").click()
    played = time.monotonic()
    s.page.locator(f".st-key-{page}_pause button").wait_for(timeout=15_000)
    s.page.wait_for_timeout(3000)
    left = s.epoch(plot)
    s.go("")
    home = time.monotonic()
    s.page.wait_for_timeout(int(away * 1000))
    s.go(page)
    try:
        s.page.get_by_text("Paused when you left this page").first.wait_for(timeout=10_000)
    except Exception:               # noqa: BLE001
        s.fail(f"{page} does not say 'Paused when you left this page'")
    if s.page.locator(f".st-key-{page}_play button").count() != 1:
        s.fail(f"{page}: the ▶ Train button is not back")
    back = s.epoch(plot)
    s.page.wait_for_timeout(1500)
    if s.epoch(plot) != back:
        s.fail(f"{page}'s run still advances after the return: epoch {back} then {s.epoch(plot)}")
    return left, back, played, home


@pytest.mark.parametrize("page", list(PLOTS))
def test_a_live_run_pauses_when_its_page_is_left(student, page):
    """When a live page is left while playing, its run pauses; on return the page says "Paused when you left
    this page" and the run has not advanced.

    The browser paints behind the server and a page switch takes a moment while a run plays, so the epoch
    shown when the student clicks away is behind the run's when it pauses. Two trips tell that lag from a run
    that goes on: one of 1 s away, one of AWAY s. A run that went on training would come back at least half of
    (AWAY - 1) s of epochs further on the long trip than on the short one."""
    s = student
    s.open(page, LONG_RUNS[page])
    s.page.locator(PLOTS[page] + " .main-svg").first.wait_for(timeout=30_000)
    left1, back1, _, _ = leave_while_playing(s, page, 1)
    left2, back2, played, home = leave_while_playing(s, page, AWAY)
    rate = (back2 - back1) / (home - played)           # at least the run's epochs per second while it played
    extra = (back2 - left2) - (back1 - left1)
    if extra >= max(rate * (AWAY - 1) / 2, 5):
        s.fail(f"{page}'s run advanced while the student was away: after 1 s away it came back "
               f"{back1 - left1} epochs past the one shown when the student left ({left1} → {back1}), after "
               f"{AWAY} s away {back2 - left2} ({left2} → {back2}); it trains at ≥ {rate:.1f} epochs/s")
    print(f"{page}: {left1} → {back1} (1 s away), {left2} → {back2} ({AWAY} s away), {rate:.1f} epochs/s")


def pause_once(s: Student, page: str, plot: str, wait_s: float, attempt: str):
    """▶ Train, wait, ⏸ Pause once: the run must stop within 1 s and ▶ Train come back."""
    s.steps.append(f"{attempt}: ▶, {wait_s:.2f} s, ⏸")
    s.page.locator(f".st-key-{page}_play button").click()
    try:
        s.page.locator(f".st-key-{page}_pause button").wait_for(timeout=15_000)
    except Exception:               # noqa: BLE001
        s.fail(f"{attempt}: ▶ Train did not turn into ⏸ Pause")
    s.page.wait_for_timeout(int(wait_s * 1000))
    s.page.locator(f".st-key-{page}_pause button").click(no_wait_after=True)
    b.wait_ready(s.page)
    s.page.wait_for_timeout(1000)
    first = s.epoch(plot)
    s.page.wait_for_timeout(1000)
    second = s.epoch(plot)
    s.check_clean()
    play = s.page.locator(f".st-key-{page}_play button").count()
    pause = s.page.locator(f".st-key-{page}_pause button").count()
    if first != second or play != 1 or pause:
        s.fail(f"{attempt}: one click on ⏸ Pause after {wait_s:.2f} s did not pause the run: epoch {first} → "
               f"{second} 1 s later, ▶ Train shown: {play == 1}, ⏸ Pause still shown: {pause > 0}")


def test_pause_takes_effect_on_the_first_click_20_of_20(student):
    """Pause is a state: on /playground, ▶ Train, wait 0.5-1.5 s (random), ⏸ Pause once; 20 tries out of 20
    the run stops (the boundary's epoch stops increasing within 1 s) and ▶ Train is back."""
    s = student
    rng = random.Random(SEED)
    s.journey = f"pause 20 of 20 (seed {SEED})"
    s.open("playground", LONG_RUNS["playground"])
    s.page.locator(PLOTS["playground"] + " .main-svg").first.wait_for(timeout=30_000)
    for attempt in range(1, 21):
        pause_once(s, "playground", PLOTS["playground"], rng.uniform(0.5, 1.5), f"try {attempt} of 20")


@pytest.mark.parametrize("page", ["regression", "race"])
def test_pause_takes_effect_on_the_first_click_on_the_other_live_pages(student, page):
    """The same on regression and race, 3 tries each."""
    s = student
    rng = random.Random(SEED + 1)
    s.journey = f"pause on {page} (seed {SEED})"
    s.open(page, LONG_RUNS[page])
    s.page.locator(PLOTS[page] + " .main-svg").first.wait_for(timeout=30_000)
    for attempt in range(1, 4):
        pause_once(s, page, PLOTS[page], rng.uniform(0.5, 1.5), f"try {attempt} of 3")
