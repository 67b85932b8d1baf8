"""Links to share: the page as it is now, and a teacher's link for students with locked or hidden controls."""
from __future__ import annotations

from typing import Dict, Optional

import streamlit as st

from nncore.guide import authoring, pages
from views.ui.fit import presenting
from views.ui.state import PageState


def share_link(S: PageState, label: str = "🔗 Link to this state", teacher: bool = True) -> None:
    """A copyable link to the page as it is now (its query params hold the state) and, with ``teacher``,
    a "📋 Link for students" that locks or hides the controls the teacher picks, listed by their labels
    ("learning rate α", not ``lr``). Neither link carries presentation mode (``present=1``): a teacher's
    projector type is not the students'; the student link adds it only when the teacher ticks it."""
    url = st.context.url or ""
    params = S.link_params()
    params.pop("run", None)            # a run belongs to its tab: a shared link does not carry it
    base = url.split("?")[0]

    def link(extra: Optional[Dict[str, str]] = None) -> str:
        query = "&".join(f"{k}={v}" for k, v in {**params, **(extra or {})}.items())
        return f"{base}?{query}" if query else base

    c = st.columns(3 if teacher and S.page in pages.pages() else 2) if teacher else [st.container()]
    with c[0].popover(label):
        st.caption("Copy this link: it opens the page with every control as it is now.")
        st.code(link(), language=None)
    if teacher:
        with c[1].popover("📋 Link for students"):
            st.caption("The link opens the page as it is now. Locked controls are shown greyed out with "
                       "🔒; hidden ones are not shown at all. Both keep the values they have now.")
            names = [n for n, prop in S.props.items() if prop.teachable]
            lock = st.multiselect("lock (shown, cannot be changed)", names, key=S.key("_pick_lock"),
                                  format_func=S.control_label)
            hide = st.multiselect("hide", [n for n in names if n not in lock], key=S.key("_pick_hide"),
                                  format_func=S.control_label)
            extra = {k: ",".join(v) for k, v in (("lock", lock), ("hide", hide)) if v}
            if presenting() and st.checkbox(
                    "📽️ open it in presentation mode too", key=S.key("_pick_present"),
                    help="Off: students get the usual type, whatever this screen shows."):
                extra["present"] = "1"
            st.code(link(extra), language=None)
            st.caption("A teaching aid, not a lock on a door: a student who edits the link can change anything.")
    if len(c) == 3:
        with c[2].popover("📝 Add this state as a lesson step"):
            lesson_step(S, params)


def lesson_step(S: PageState, params: Dict[str, str]) -> None:
    """The page as it is now as a lesson file's ``[[steps]]`` table (``nncore.guide.authoring``), with the
    controls the student link locks or hides, to paste into a lesson file (docs/LESSONS.md)."""
    st.caption("Paste this into a lesson file (docs/LESSONS.md): the step opens this page as it is now. Write "
               "its text; add a goal and a prediction if you like. It locks and hides what the student link "
               "beside it does.")
    lock, hide = (st.session_state.get(S.key(f"_pick_{what}")) or [] for what in ("lock", "hide"))
    text, left_out = authoring.step_toml(S.page, params, lock, hide)
    st.code(text, language="toml")
    if left_out:
        st.caption(f"Not in the step (a lesson does not set them on this page): {', '.join(left_out)}.")
