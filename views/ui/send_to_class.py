""""📤 Send to class": a live page sends its run's link and key figures to the class its session joined.

Shown only when this session has joined a class on /class (``MEMBER`` in session state); sending is an
explicit click, and the popover shows exactly what is sent. The database's sentence (rate limit, full class,
database not answering) is shown as it is, and the student can retry.
"""
from __future__ import annotations

import uuid
from typing import Any, Dict, Optional
from urllib.parse import urlencode

import streamlit as st

from nncore.board import figures as board_figures
from nncore.board.errors import BoardError
from nncore.board.store import BoardStore, default_store
from views.ui.messages import as_text
from views.ui.state import PageState

MEMBER = "board.member"          # {"code", "id", "nickname"} of the class this session joined
SESSION = "board.session"        # this browser session's random id: who may send as the member


def session_id() -> str:
    """A random id for this Streamlit session (a second tab is a second student)."""
    if SESSION not in st.session_state:
        st.session_state[SESSION] = uuid.uuid4().hex
    return st.session_state[SESSION]


def membership() -> Optional[Dict[str, Any]]:
    return st.session_state.get(MEMBER)


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
    member = membership()
    if not member or run is None:
        return
    link, figures = run_link(S), board_figures.key_figures(run, data)
    with st.popover("📤 Send to class"):
        st.markdown(f"Sends to class **{member['code']}** as **{as_text(member['nickname'])}**: this run's link "
                    "(every setting of the page) and these figures. Nothing else is sent.")
        st.code(link, language=None)
        st.dataframe([{"figure": k, "value": str(v)} for k, v in figures.items()], hide_index=True)
        if st.button("📤 Send", key=f"{S.page}._send_to_class"):
            try:
                store().send(member["code"], member["id"], session_id(), S.page, link, figures)
                st.success("Sent: your teacher's board shows it.")
            except BoardError as e:
                st.error(str(e))
