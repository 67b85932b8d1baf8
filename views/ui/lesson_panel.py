"""The lesson panel: a guided step of a lesson (``nncore.guide``) on top of any page.

A link ``?lesson=<name>&step=<k>`` (k from 1) draws, above the page, the step's text, its prediction (a
multiple choice asked before ▶ Train; the answer and why after the run), its goal with ✓ when the student's
own run meets it (✗ and the hint when a finished run misses it), and Back / Next. Next opens the next step's
page in the step's state: that page's settings are cleared and restored from the step's link, as on a first
visit (``PageState.open``). Without the parameters nothing is drawn.

Pages publish their run's metrics with ``publish(page, metrics)``; the live pages do it in one place
(``views/ui/live.LiveRun.show`` → ``publish_run``). Progress is kept per session (``nncore.guide.progress``).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Optional, Tuple
from urllib.parse import urlencode

import streamlit as st

from nncore.board import figures as board_figures
from nncore.guide import lesson_file, pages, run_metrics
from nncore.guide.progress import Progress
from views.catalog import PAGES
from views.ui import send_to_class
from views.ui.fit import presenting

PARAMS = ("lesson", "step")                            # app-wide link parameters (views/ui/state.APP_PARAMS)
LIVE_PREFIX = {"regression": "reg", "playground": "pg", "race": "race"}   # LiveRun's session prefixes
METRICS = "lesson._metrics"
PROGRESS = "lesson._progress"
UPLOADED = "lesson._uploaded"
FOLDER_ENV = "NNPLAY_LESSONS_DIR"


# ---- the lessons: bundled, a teacher's folder, uploaded in this session ------------------------------
@st.cache_resource(show_spinner=False)
def _bundled() -> Dict[str, lesson_file.Lesson]:
    return lesson_file.bundled()


@st.cache_resource(show_spinner=False, ttl=60)
def _folder(path: str):
    return lesson_file.from_folder(path)


def folder_lessons():
    """(lessons, problems) of the folder ``NNPLAY_LESSONS_DIR`` names; empty without it."""
    path = os.environ.get(FOLDER_ENV, "")
    if not path or not Path(path).is_dir():
        return {}, {}
    return _folder(path)


def lessons() -> Dict[str, lesson_file.Lesson]:
    """Every lesson this session can open: bundled, then the folder's, then the uploaded (same name wins)."""
    return {**_bundled(), **folder_lessons()[0], **st.session_state.get(UPLOADED, {})}


def progress() -> Progress:
    if PROGRESS not in st.session_state:
        st.session_state[PROGRESS] = Progress()
    return st.session_state[PROGRESS]


# ---- the link ------------------------------------------------------------------------------------
def active() -> Optional[Tuple[lesson_file.Lesson, int]]:
    """The lesson and 0-based step the link asks for, or None (a wrong name or step is said on the page)."""
    name = st.query_params.get("lesson")
    if not name:
        return None
    lesson = lessons().get(name)
    if lesson is None:
        st.warning(f"The link asks for the lesson {name[:40]!r}, which nnplay does not have: see the "
                   "[lessons](/lessons).", icon="📘")
        return None
    text = st.query_params.get("step", "1")
    k = int(text) - 1 if text.isdigit() else 0
    if not 0 <= k < len(lesson.steps):
        st.warning(f"The lesson {lesson.title!r} has steps 1 to {len(lesson.steps)}; showing step 1.", icon="📘")
        k = 0
    return lesson, k


def step_query(lesson: lesson_file.Lesson, k: int) -> Dict[str, str]:
    """The link of step k (0-based): the step's own parameters, the lesson's, and presentation mode."""
    query = {**lesson.steps[k].query, "lesson": lesson.name, "step": str(k + 1)}
    if presenting():
        query["present"] = "1"
    return query


def step_link(lesson: lesson_file.Lesson, k: int) -> str:
    """Step k's link, relative (``/regression?preset=…&lesson=…&step=2``), as the board opens it."""
    query = {name: v for name, v in step_query(lesson, k).items() if name != "present"}   # not the projector's
    return f"/{lesson.steps[k].page}?{urlencode(query, safe=',()')}"


def step_figures(lesson: lesson_file.Lesson, k: int, met: Optional[bool], decided: bool) -> dict:
    """What the class board keeps of step k: the prediction's answer (right or wrong), the goal (``met`` on the
    step shown now: True, False once ``decided``; a step done before met its goal), done."""
    step, done = lesson.steps[k], progress().is_done(lesson.name, k)
    answer = progress().answer(lesson.name, k) if step.prediction else None
    goal = None
    if step.goal is not None:
        goal = True if (met or done) else (False if met is False and decided else None)
    return board_figures.lesson_figures(
        lesson.name, step.title, k + 1, len(lesson.steps), None if answer is None else answer + 1,
        None if answer is None else answer == step.prediction.answer, goal, done)


def goto(lesson: lesson_file.Lesson, k: int) -> None:
    """Open step k's page in the step's state: the page's settings and run are cleared, so its next run
    restores them from the step's link as on a first visit."""
    step = lesson.steps[k]
    s = st.session_state
    for key in [key for key in list(s.keys()) if str(key).startswith(f"{step.page}.")]:
        del s[key]
    prefix = LIVE_PREFIX.get(step.page)
    if prefix:
        s.pop(f"{prefix}_setup", None)
        s[f"{step.page}_playing"] = False
    s.get(METRICS, {}).pop(step.page, None)
    script = next(p.script for p in PAGES if p.url == step.page)
    st.switch_page(script, query_params=step_query(lesson, k))


# ---- what pages report ---------------------------------------------------------------------------
def publish(page: str, metrics: dict) -> None:
    """A page's run's metrics (names: nncore.guide.goals.METRICS) for the goal of a lesson step."""
    if st.query_params.get("lesson"):
        st.session_state.setdefault(METRICS, {})[page] = dict(metrics)


def publish_run(page: str, run, setup) -> None:
    """The metrics of a live page's run (LiveRun's), when a lesson is on."""
    if run is None or not st.query_params.get("lesson"):
        return
    if page == "race":
        publish(page, run_metrics.of_race(run))
    else:
        publish(page, run_metrics.of_run(run, setup, "test" if page == "playground" else "val"))


def _answer_key(lesson, k) -> str:
    return f"lesson_answer.{lesson.name}.{k}"


def train_blocked(page: str) -> bool:
    """True while the lesson's step on ``page`` has a prediction the student has not answered yet."""
    if not st.query_params.get("lesson"):
        return False
    here = active()
    if here is None:
        return False
    lesson, k = here
    step = lesson.steps[k]
    return (step.page == page and step.prediction is not None
            and progress().answer(lesson.name, k) is None and st.session_state.get(_answer_key(lesson, k)) is None)


# ---- the panel -----------------------------------------------------------------------------------
@contextmanager
def around(page: str):
    """``with around(page.url_path): page.run()``: a slot above the page, filled with the panel once the page
    has run (so the goal reads this run's metrics). A step whose page reports no run (the MNIST page, whose
    script stops early while nothing is trained, activations, losses) or that happens on another page is drawn
    at once, before the page runs."""
    here = active() if st.query_params.get("lesson") else None
    if here is None:
        yield
        return
    step = here[0].steps[here[1]]
    early = step.page != page or not pages.pages()[step.page].metrics
    slot = st.container()
    if early:
        with slot:
            draw(page, *here)
    yield
    if not early:
        with slot:
            draw(page, *here)


def draw(page: str, lesson: lesson_file.Lesson, k: int) -> None:
    step = lesson.steps[k]
    n = len(lesson.steps)
    done = progress()
    with st.container(border=True, key="lesson_panel"):
        st.markdown(f"📘 **{lesson.title}** · step {k + 1} of {n}: **{step.title}**")
        if step.page != page:
            st.info(f"This step happens on the page /{step.page}.", icon="➡️")
            if st.button(f"Open step {k + 1} on /{step.page}", key="lesson_open", type="primary"):
                goto(lesson, k)
        st.markdown(step.text)
        metrics = st.session_state.get(METRICS, {}).get(step.page, {}) if step.page == page else {}
        live = step.page in LIVE_PREFIX
        finished = bool(metrics.get("finished"))
        met = step.goal.check(metrics) if step.goal else None
        if step.prediction is not None:
            _prediction(lesson, k, reveal=finished or bool(met) or not live, live=live)
        if step.goal is not None:
            if met:
                done.mark_done(lesson.name, k)
                st.success(f"✓ Goal met: `{step.goal.text}`", icon="🎯")
            elif met is False and (finished or not live):
                st.error(f"✗ Goal not met: `{step.goal.text}`. {step.hint}".strip(), icon="🎯")
            else:
                st.info(f"Goal: `{step.goal.text}` (run the page to reach it).", icon="🎯")
        send_to_class.send_lesson_steps([step_figures(lesson, j, met if j == k else None,
                                                      finished or not live) for j in range(n)],
                                        lambda number: step_link(lesson, number - 1))
        back, _, forward = st.columns([1, 2, 1])
        if k > 0 and back.button("← Back", key="lesson_back", width="stretch"):
            goto(lesson, k - 1)
        if k + 1 < n:
            if forward.button("Next →", key="lesson_next", type="primary", width="stretch"):
                if step.goal is None:
                    done.mark_done(lesson.name, k)
                goto(lesson, k + 1)
        elif forward.button("Finish ✓", key="lesson_finish", type="primary", width="stretch"):
            if step.goal is None:
                done.mark_done(lesson.name, k)
            keep = {"present": "1"} if presenting() else None
            st.switch_page("views/lessons.py", query_params=keep)


def _prediction(lesson, k: int, reveal: bool, live: bool) -> None:
    p = lesson.steps[k].prediction
    key = _answer_key(lesson, k)
    kept = progress().answer(lesson.name, k)
    if key not in st.session_state and kept is not None:
        st.session_state[key] = kept
    choice = st.radio(f"🤔 Predict: {p.question}", range(len(p.choices)), format_func=lambda i: p.choices[i],
                      index=None, key=key)
    if choice is None:
        st.caption("Answer before you press ▶ Train: the answer comes after the run." if live else
                   "Answer before you try it on the page: the answer comes next.")
        return
    progress().set_answer(lesson.name, k, choice)
    if not reveal:
        st.caption("Your answer is kept; now run the page to see who was right.")
        return
    right = choice == p.answer
    verdict = "✓ Your prediction was right." if right else f"✗ The answer: **{p.choices[p.answer]}**."
    (st.success if right else st.warning)(f"{verdict} {p.why}", icon="💡")
