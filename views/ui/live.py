"""The live-page skeleton that playground, regression and race share, and the room's fair share of the CPU.

A live page reads like this (DESIGN.md: training is a generator, frames come in batches)::

    S = PageState("race", PROPS); S.open()            # its settings, from the link the first time
    ...controls...                                     # in the sidebar, through S.control
    lv = LiveRun(S, "race", race.start)                # the skeleton
    setup = lv.validated(lambda: current().validate()) # a SpecError is a message and the page stops
    data, run = lv.run_for(setup)                      # one run per set-up, kept in the session
    lv.controls(run); lv.speed(S)                      # ▶ Train / ⏸ Pause, ⏭ Step, ⏩ Epoch, ↺ Reset; speed
    lv.show(frame)                                     # a fragment that advances and draws while playing

The run's state is ``st.session_state["<page>_playing"]``. Pause is a state, not a toggle: ▶ sets it, ⏸
clears it, so a click never undoes another; the next frame reads it. When the student leaves a live page
its run pauses (``pause_when_left``) and the page says so on return.
"""
from __future__ import annotations

import time
from typing import Callable, Dict, Sequence

import streamlit as st

from nncore.engine import budget
from views.ui import lesson_panel
from views.ui import streamlit_hooks as hooks
from views.ui.fit import presenting
from views.ui.messages import show_spec_error
from views.ui.shortcuts import shortcuts

LIVE_PAGES = ("playground", "regression", "race")      # numpy runs that pause when their page is left

# A playing page reruns every RERUN_EVERY s and sends FRAMES_PER_RERUN frames, which the browser plays at 25 fps
# (js/live_plot.js): 0.48 s of frames per 0.4 s, so a rerun that comes late leaves no gap, and the browser drops
# the oldest when it falls two batches behind. Each rerun costs the browser ~15-20 ms of Streamlit's own
# rendering and the server a script run, whatever it carries: fewer, fuller reruns leave both more time for
# frames (docs/BENCHMARKS.md, "Painted frames per live page").
RERUN_EVERY = 0.4
FRAMES_PER_RERUN = 12


def playing_key(page: str) -> str:
    return f"{page}_playing"


def set_playing(page: str, value: bool) -> None:
    st.session_state[playing_key(page)] = value


def is_playing(page: str) -> bool:
    return bool(st.session_state.get(playing_key(page), False))


def pause_when_left(page_now: str) -> None:
    """Called by the router on every run: a live run on a page other than ``page_now`` pauses, and its page
    will say why when the student comes back."""
    for page in LIVE_PAGES:
        if page != page_now and is_playing(page):
            set_playing(page, False)
            st.session_state[f"{page}._paused_by_leaving"] = True


class LiveRun:
    """One live page's run: made from the page's set-up by ``start(setup) -> (data, run)``, kept in the
    session as ``<prefix>_data`` / ``<prefix>_run`` / ``<prefix>_setup``; ``forget`` names session keys
    that belong to one run (cached figures) and go when a new run starts."""

    def __init__(self, page: str, prefix: str, start: Callable, forget: Sequence[str] = ()):
        self.page, self.prefix, self.start, self.forget = page, prefix, start, tuple(forget)
        self._speed_slot = None              # presentation mode: the buttons' row's place for the speed slider

    def validated(self, make: Callable):
        """``make()`` (a validated set-up), or its SpecError's messages on the page and a stop."""
        from nncore.engine.specs import SpecError

        try:
            return make()
        except SpecError as err:
            show_spec_error(err)
            st.stop()

    def run_for(self, setup):
        """The (data, run) for ``setup``: a fresh one, paused, when any control changed the set-up."""
        s = st.session_state
        if s.get(f"{self.prefix}_setup") != setup:
            self._restart(setup)
            set_playing(self.page, False)
        return s[f"{self.prefix}_data"], s[f"{self.prefix}_run"]

    def _restart(self, setup) -> None:
        s = st.session_state
        data, run = self.validated(lambda: self.start(setup))
        s[f"{self.prefix}_data"], s[f"{self.prefix}_run"], s[f"{self.prefix}_setup"] = data, run, setup
        for key in self.forget:
            s.pop(key, None)

    def controls(self, run) -> None:
        """▶ Train / ⏸ Pause, ⏭ one update, ⏩ one epoch, ↺ Reset (one row)."""
        page = self.page
        playing = is_playing(page)
        if st.session_state.pop(f"{page}._paused_by_leaving", False) and not run.done:
            st.info("Paused when you left this page: press ▶ Train to go on.", icon="⏸")

        def pause_then(fn):
            def cb():
                set_playing(page, False)
                fn()
            return cb

        # On a projector (presentation mode) the speed slider joins this row, so the figures start higher up.
        c = st.columns([1, 1, 1, 1, 1.6] if presenting() else 4, vertical_alignment="bottom")
        self._speed_slot = c[4] if len(c) > 4 else None
        if playing:
            c[0].button("⏸ Pause", key=f"{page}_pause", type="primary", on_click=set_playing, args=(page, False),
                        width="stretch")
        else:
            blocked = lesson_panel.train_blocked(page)          # a lesson's prediction not answered yet
            c[0].button("▶ Train", key=f"{page}_play", type="primary", on_click=set_playing, args=(page, True),
                        disabled=run.done or blocked, width="stretch",
                        help="The run has ended: ↺ Reset to train again." if run.done else (
                            "Answer the lesson's prediction first." if blocked else None))
        c[1].button("⏭ Step", key=f"{page}_step", on_click=pause_then(lambda: run.advance(1)), disabled=run.done,
                    help="One update: W := W − α ∂J/∂W on one batch.", width="stretch")
        c[2].button("⏩ Epoch", key=f"{page}_epoch", on_click=pause_then(run.until_epoch_end), disabled=run.done,
                    help="Updates until the end of this epoch.", width="stretch")
        c[3].button("↺ Reset", key=f"{page}_reset", on_click=pause_then(lambda: self._restart(st.session_state[
            f"{self.prefix}_setup"])), width="stretch")
        if run.done and run.step:
            st.caption("The run has ended: ↺ Reset to train again from the same start.")
        shortcuts(page)

    def speed(self, state, where=st, label: str = "speed: updates per frame", **kwargs):
        """The page's ``speed`` slider: how many updates each painted frame shows (in ``where``; in presentation
        mode beside the run's buttons)."""
        if self._speed_slot is not None:
            where = self._speed_slot
            kwargs.pop("width", None)
        return state.control(where.slider, label, 1, 100, key="speed",
                             help="How many updates each painted frame shows (fewer for a heavy set-up: each "
                                  f"live frame computes for at most {budget.SLICE * 1000:.0f} ms).", **kwargs)

    def show(self, frame: Callable[[bool], bool], interval: float = RERUN_EVERY) -> None:
        """Draw ``frame(playing)`` in a fragment that reruns every ``interval`` s while the run plays.

        ``frame`` advances the run by a few updates (when playing) and draws it; it returns True when the run
        has ended, which stops the timer with one full rerun (so the buttons show the final state). Paused,
        the fragment is registered without a timer.
        """
        def framed(playing: bool) -> bool:           # and the run's metrics, for a lesson step's goal
            ended = frame(playing)
            s = st.session_state
            lesson_panel.publish_run(self.page, s.get(f"{self.prefix}_run"), s.get(f"{self.prefix}_setup"))
            return ended

        live(self.page, framed, interval)


def live(page: str, frame: Callable[[bool], bool], interval: float = RERUN_EVERY) -> None:
    """The fragment behind ``LiveRun.show`` (the MNIST page, whose run is a Keras job, uses it directly)."""
    playing = is_playing(page)

    @st.fragment(run_every=interval if playing else None)
    def _frame():
        now_playing = is_playing(page)
        _count_playing(now_playing)
        if now_playing:
            # One live frame is computed at a time in the whole process, in turn, each within its
            # time budget (see _LIVE_GATE); a heavy set-up says why it makes fewer updates per frame.
            key = f"{page}._frame_budget"
            before = st.session_state.get(key)
            note = st.empty()                    # the last frame's note stays up while this one computes
            if before is not None and before.throttled:
                note.caption(before.note())
            with _LIVE_GATE.turn(hooks.session_id() or "", before) as spent:
                if hooks.tab_gone():
                    return
                ended = frame(True)
            st.session_state[key] = spent
            if spent.throttled:
                note.caption(spent.note())
            else:
                note.empty()
            hooks.wait_until_sent()
        else:
            ended = frame(False)
        if now_playing and ended:
            set_playing(page, False)
            st.rerun()

    _frame()


# Classroom load (docs/BENCHMARKS.md, bench/classroom.py). Every student's fragment reruns on its
# own script thread, and one event loop thread sends every session's messages, one message per
# loop turn. When many script threads compute at once they starve that loop of the GIL; and when a
# session's next rerun starts before its last output was sent, Streamlit drops that output. The
# server then burns its CPU and paints nothing (measured: 30 students, 0 frames per second). So:
# - one live frame is computed at a time in the process (_LIVE_GATE), which keeps the loop fed; the
#   turns go round in order of asking, and a frame advances its run for at most budget.SLICE s (100 ms),
#   so a heavy set-up in one tab makes fewer updates per frame instead of slowing every other tab
#   (nncore.engine.budget; bench/fairness.py);
# - a rerun ends only once its messages have left the session's queue and the websocket has written
#   them (hooks.wait_until_sent, waiting without the GIL), so no computed frame is thrown away, and a
#   browser that reads slowly gets fewer frames instead of a session Streamlit drops at 500 unsent
#   messages (the page then stays "running" for good);
# - a session whose browser has gone computes nothing.
# First pages and paused pages are not gated: a student who arrives does not queue behind the
# ones who are training.
_LIVE_GATE = budget.FairGate(slots=budget.live_slots())
_PLAYING: Dict[str, float] = {}        # session id → when it last computed a live frame


def _count_playing(playing: bool) -> None:
    sid = hooks.session_id()
    if sid is None:
        return
    if playing:
        _PLAYING[sid] = time.monotonic()
    else:
        _PLAYING.pop(sid, None)


def crowd() -> int:
    """How many sessions of this server are playing a live run now (the last 3 s), this one included.

    Pages lighten each frame when the room is full (a coarser boundary, fewer redrawn figures),
    so that every student keeps a live picture rather than a few students a perfect one.
    """
    recent = time.monotonic() - 3.0
    for sid, when in list(_PLAYING.items()):
        if when < recent:
            _PLAYING.pop(sid, None)
    return len(_PLAYING)
