"""Every page's link, kept by the browser tab, so that a reload finds every page as the student left it.

A reload is a new server session: ``st.session_state`` starts empty and only the current page's link is in
the address bar. But every page writes its whole state into its link on every run, so the tab's own history
already holds it: ``js/tab_memory.js`` keeps, for each page, the last address the tab showed for it (every
push, replace, Back/Forward and load) in the tab's ``sessionStorage`` (one tab, one student: a second tab
starts empty). When a document of the tab goes (a reload, an address typed in), it hands that memory to the
tab's next document in short-lived cookies (``nnplay.links.0``, ``.1``, …: base64url of the JSON), which the
next document's websocket brings with it: the new session's first run reads them (``st.context.cookies``)
and the next document deletes them, so no other tab gets them. A page that the new session opens for the
first time without parameters of its own starts from that link (``kept_link``), read like any link (a
value the page cannot take is reported and replaced by the default).

Why cookies and not an answer from the component: the component's answer cost a rerun of its own, which
Streamlit's frontend sends with the page it shows at that moment; a page link clicked just before (or Back
pressed) was undone by it: the new page ran, then the old one again (3 of 17 page-link clicks made as soon as
a page was drawn, on a busy 2-core machine)."""
from __future__ import annotations

import base64
import json
from typing import Dict

import streamlit as st

from views.ui.components import _component

KEPT = "_tab.kept"            # page → its link parameters, as the tab kept them before this session
COOKIE = "nnplay.links"       # the hand-over's cookies: nnplay.links.0, .1, … (js/tab_memory.js)
CHUNKS = 8                    # at most this many
MAX_BYTES = 20_000            # what a tab may hand over (a page's link is at most a few hundred bytes)


def kept_link(page: str) -> Dict[str, str]:
    """The link the tab kept for ``page`` before this session began ({} if none)."""
    return dict(st.session_state.get(KEPT, {}).get(page, {}))


def handed_over(cookies) -> Dict[str, Dict[str, str]]:
    """What the tab's last document handed over (``cookies``: name → value): page → {name: text}; {} when
    there is none or it is not what js/tab_memory.js writes (a tampered cookie is ignored, never raised)."""
    parts = []
    for i in range(CHUNKS):
        part = cookies.get(f"{COOKIE}.{i}")
        if not isinstance(part, str) or not part:
            break
        parts.append(part)
    text = "".join(parts)
    if not text or len(text) > MAX_BYTES:
        return {}
    try:
        saved = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8"))
    except ValueError:                    # binascii.Error, UnicodeDecodeError and JSONDecodeError are ValueErrors
        return {}
    if not isinstance(saved, dict):
        return {}
    return {str(page): {str(k): str(v)[:200] for k, v in params.items()}
            for page, params in saved.items() if isinstance(params, dict)}


def tab_memory(page: str) -> None:
    """On a session's first run, what the tab's last document handed over; on every run, the invisible
    component that keeps the tab's addresses, told which page this run draws (``page``: its url path), so
    that after Back/Forward the tab lets only the chosen page's run write the address."""
    s = st.session_state
    if KEPT not in s:
        s[KEPT] = handed_over(dict(st.context.cookies or {}))
    _component("tab_memory")(data={"page": page}, key="_tab_memory", height=0)
