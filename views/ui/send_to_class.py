""""📤 Send to class": a live page sends its run's link and key figures to the class its session joined.

Shown only when this session has joined a class on /class (``MEMBER`` in session state); sending is an
explicit click, and the popover shows exactly what is sent. The database's sentence (rate limit, full class,
database not answering) is shown as it is, and the student can retry.

A reload is a new Streamlit session, so the membership is kept the way the app keeps every page's state: in
the link. A student's seat token (``keys.new_seat_token``, their own secret) goes into /class's link
(``/class?code=…&seat=…``), which the browser tab keeps (``views/ui/tab_memory``); a new session finds it in
the address bar (on /class) or in the tab's memory (any other page) and asks the store for that seat
(``BoardStore.seat``): the same student gets their nickname back; another tab has no token and is another
student, who cannot take a nickname in use.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import urlencode

import streamlit as st

from nncore.board import figures as board_figures
from nncore.board import keys
from nncore.board.errors import BoardError, LimitReached
from nncore.board.store import BoardStore, default_store
from views.ui import tab_memory
from views.ui.messages import as_text
from views.ui.state import PageState

MEMBER = "board.member"          # {"code", "id", "nickname"} of the class this session joined
SESSION = "board.session"        # this student's seat token: who may send as the member (kept across reloads)
SEAT = "seat"                    # its name in /class's link
_TRIED = "board._seat_tried"     # the (code, token) a new session already looked up and did not find
STEPS_ON = "board.send_steps"    # the student's choice: send lesson steps to the class as they go
_STEPS_SENT = "board._steps_sent"   # (code, lesson, step) → the figures last sent
_STEPS_WAIT = "board._steps_wait"   # (time to try again, why) after a refused send
RETRY_S = 15.0


def session_id() -> str:
    """This student's seat token: restored from the link or the tab's memory after a reload, else a new one
    (a second tab is a second student)."""
    if SESSION not in st.session_state:
        st.session_state[SESSION] = keys.new_seat_token()
    return st.session_state[SESSION]


def kept_seat() -> Optional[Dict[str, str]]:
    """``{"code", "seat"}`` from this page's link (a reload of /class) or the /class link the tab kept."""
    for params in (dict(st.query_params), tab_memory.kept_link("class")):
        code, token = keys.normalise_code(params.get("code", "")), params.get(SEAT, "")
        if code and token:
            return {"code": code, SEAT: token}
    return None


def membership() -> Optional[Dict[str, Any]]:
    """The class this session joined; after a reload, the seat its token holds (one look-up per token)."""
    s = st.session_state
    if MEMBER in s:
        return s[MEMBER]
    kept = kept_seat()
    if kept is None or s.get(_TRIED) == (kept["code"], kept[SEAT]):
        return None
    try:
        student = store().seat(kept["code"], kept[SEAT])
    except BoardError:                   # the database does not answer: try again on a later run
        return None
    s[_TRIED] = (kept["code"], kept[SEAT])
    if student is None:
        return None
    s[SESSION] = kept[SEAT]
    s[MEMBER] = {"code": kept["code"], "id": student.id, "nickname": student.nickname}
    return s[MEMBER]


def seat_link(member: Dict[str, Any]) -> Dict[str, str]:
    """/class's link parameters that give this student their seat back after a reload."""
    return {"code": member["code"], SEAT: session_id()}


def store() -> BoardStore:
    """The app's board store (raises ``BoardError``: ``Unavailable`` when the database does not answer)."""
    return default_store()


def run_link(S: PageState) -> str:
    """The page's link as it is now, relative (``/playground?lr=0.1``), without the tab's own ``run``."""
    params = {k: v for k, v in S.link_params().items() if k != "run"}
    query = urlencode(params, safe=",")
    return f"/{S.page}" + (f"?{query}" if query else "")


def send_to_class(S: PageState, run, data: str) -> None:
    """The "📤 Send to class" popover for the page of ``S`` and its engine run ``run`` on the data set
    ``data``; draws nothing unless this session joined a class."""
    if run is not None:
        send_figures(S, lambda: board_figures.key_figures(run, data))


def send_figures(S: PageState, figures: Callable[[], Dict[str, Any]]) -> None:
    """The "📤 Send to class" popover for the page of ``S``: its link and the key figures ``figures()``
    (called only when this session joined a class; ``nncore.board.figures`` builds them)."""
    member = membership()
    if not member:
        return
    link, values = run_link(S), figures()
    with st.popover("📤 Send to class"):
        st.markdown(f"Sends to class **{member['code']}** as **{as_text(member['nickname'])}**: this run's link "
                    "(every setting of the page) and these figures. Nothing else is sent.")
        st.code(link, language=None)
        st.dataframe([{"figure": k, "value": str(v)} for k, v in values.items()], hide_index=True)
        if st.button("📤 Send", key=f"{S.page}._send_to_class"):
            try:
                store().send(member["code"], member["id"], session_id(), S.page, link, values)
                st.success("Sent: your teacher's board shows it.")
            except BoardError as e:
                st.error(str(e))


def send_lesson_steps(steps: List[Dict[str, Any]], link: Callable[[int], str]) -> None:
    """In the lesson panel, once this session joined a class: a toggle "📤 Send my steps to class …" and, when
    it is on, each step's figures (``nncore.board.figures.lesson_figures``: ``steps``, one per step of the
    lesson) that changed since they were last sent, with the step's link ``link(step)``. A refused send (the
    rate limit, the database away) is tried again on a later run, ``RETRY_S`` s on; the panel says so."""
    member = membership()
    if not member:
        return
    s = st.session_state
    widget = f"{STEPS_ON}._toggle"        # the choice outlives the widget (pages without a panel drop it)
    on = st.toggle(f"📤 Send my steps to class {member['code']} as I go", value=bool(s.get(STEPS_ON)), key=widget,
                   on_change=lambda: s.__setitem__(STEPS_ON, bool(s[widget])),
                   help="Your teacher's board then shows, for each step: your prediction's answer and whether it "
                        "was right, whether the goal is met, whether the step is done. Nothing else is sent.")
    if not on:
        return
    sent = s.setdefault(_STEPS_SENT, {})
    todo = [f for f in steps if (f.get(board_figures.ANSWER) is not None or f.get(board_figures.DONE)
                                 or f.get(board_figures.GOAL))
            and sent.get((member["code"], f[board_figures.LESSON], f[board_figures.STEP])) != f]
    wait_until, why = s.get(_STEPS_WAIT, (0.0, ""))
    if todo and time.time() >= wait_until:
        try:
            for f in todo:
                store().send(member["code"], member["id"], session_id(), board_figures.LESSON_PAGE,
                             link(f[board_figures.STEP]), f)
                sent[(member["code"], f[board_figures.LESSON], f[board_figures.STEP])] = f
            s.pop(_STEPS_WAIT, None)
            why = ""
        except BoardError as e:
            why = str(e)
            s[_STEPS_WAIT] = (time.time() + (RETRY_S if isinstance(e, LimitReached) else RETRY_S / 3), why)
    if why and todo:
        st.caption(f"Not all sent yet ({why}) It is tried again in a few seconds.")
    else:
        st.caption(f"Your teacher sees your steps: {sum(1 for k in sent if k[0] == member['code'])} sent.")
