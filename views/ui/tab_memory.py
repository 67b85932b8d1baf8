"""Every page's link, kept by the browser tab, so that a reload finds every page as the student left it.

A reload is a new server session: ``st.session_state`` starts empty and only the current page's link is in
the address bar. But every page writes its whole state into its link on every run, so the tab's own history
already holds it: ``js/tab_memory.js`` keeps, for each page, the last address the tab showed for it (every
push, replace, Back/Forward and load) in the tab's ``sessionStorage`` (one tab, one student: a second tab
starts empty). The router draws ``tab_memory()`` on every run; on a session's first run it asks the tab what
it kept, and a page that the new session opens for the first time without parameters of its own starts from
that link (``kept_link``), read like any link (a value the page cannot take is reported and replaced by the
default). The tab records the address itself, so a link is kept even when its session ran only once (a link
opened, then another link opened in the same tab).
"""
from __future__ import annotations

import json
from typing import Dict

import streamlit as st

from views.ui.components import _component

KEPT = "_tab.kept"            # page → its link parameters, as the tab kept them before this session
MAX_BYTES = 20_000            # what a tab may hand back (a page's link is at most a few hundred bytes)


def kept_link(page: str) -> Dict[str, str]:
    """The link the tab kept for ``page`` before this session began ({} if none)."""
    return dict(st.session_state.get(KEPT, {}).get(page, {}))


def _take_saved() -> None:
    """The tab's answer: a JSON object page → {name: text}; anything else is ignored."""
    value = getattr(st.session_state.get("_tab_memory"), "saved", None)
    if not isinstance(value, str) or len(value) > MAX_BYTES:
        return
    try:
        saved = json.loads(value)
    except ValueError:
        return
    if isinstance(saved, dict):
        st.session_state[KEPT] = {str(page): {str(k): str(v)[:200] for k, v in params.items()}
                                  for page, params in saved.items() if isinstance(params, dict)}


def tab_memory(page: str) -> None:
    """The invisible component: asks the tab once per session what it kept (it keeps the addresses itself),
    and tells it which page this run draws (``page``: its url path), so that after Back/Forward the tab lets
    only the chosen page's run write the address."""
    s = st.session_state
    ask = not s.get("_tab.asked")
    s["_tab.asked"] = True
    _component("tab_memory")(data={"ask": ask, "page": page}, key="_tab_memory", default={"saved": None}, height=0,
                             on_saved_change=_take_saved)
