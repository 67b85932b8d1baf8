"""A student's input checked before it reaches the database: nickname, page, the run's link, key figures.

Each check returns the cleaned value or raises ``BadInput`` with one sentence (never echoing the input).
"""
from __future__ import annotations

import json
import math
import unicodedata
from typing import Any, Dict

from nncore.board import limits as L
from nncore.board.errors import BadInput


def _printable(text: str) -> str:
    """``text`` without control characters (newlines, NUL, bidi overrides), inner runs of spaces squeezed."""
    kept = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    return " ".join(kept.split())


def nickname(text: Any) -> str:
    """A nickname in any script, 1 to ``NICKNAME_MAX`` characters; shown escaped, stored as text."""
    if not isinstance(text, str):
        raise BadInput("A nickname is text.")
    name = _printable(unicodedata.normalize("NFC", text))
    if not name:
        raise BadInput("Type a nickname (any letters, up to 40 characters).")
    if len(name) > L.NICKNAME_MAX:
        raise BadInput(f"A nickname has at most {L.NICKNAME_MAX} characters.")
    return name


def page(text: Any) -> str:
    """The page a run comes from (``playground``, ``regression``, …)."""
    if not isinstance(text, str) or not text or len(text) > L.PAGE_MAX or not text.replace("_", "").isalnum():
        raise BadInput("The run does not say which page it comes from.")
    return text


def link(text: Any) -> str:
    """The run's link: a relative or http(s) URL, at most ``LINK_MAX`` characters."""
    if not isinstance(text, str) or not text:
        raise BadInput("The run has no link to send.")
    if len(text) > L.LINK_MAX:
        raise BadInput(f"The run's link is longer than {L.LINK_MAX} characters; it was not sent.")
    if not (text.startswith("/") or text.startswith("http://") or text.startswith("https://")) \
            or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in text):
        raise BadInput("The run's link is not a link of this app; it was not sent.")
    return text


def figures(values: Any) -> Dict[str, Any]:
    """Key figures: at most ``FIGURES_MAX_ITEMS`` names → a finite number, a bool or short text."""
    if not isinstance(values, dict):
        raise BadInput("The key figures are not a table of names and values.")
    if len(values) > L.FIGURES_MAX_ITEMS:
        raise BadInput(f"A run sends at most {L.FIGURES_MAX_ITEMS} key figures.")
    clean: Dict[str, Any] = {}
    for name, value in values.items():
        if not isinstance(name, str) or not _printable(name) or len(name) > L.FIGURE_NAME_MAX:
            raise BadInput("A key figure has no name, or a name that is too long.")
        if isinstance(value, bool) or value is None:
            clean[_printable(name)] = value
        elif isinstance(value, (int, float)):
            if not math.isfinite(float(value)):
                raise BadInput(f"The key figure '{_printable(name)}' is not a finite number.")
            clean[_printable(name)] = float(value) if isinstance(value, float) else int(value)
        elif isinstance(value, str):
            if len(value) > L.FIGURE_TEXT_MAX:
                raise BadInput(f"The key figure '{_printable(name)}' is longer than {L.FIGURE_TEXT_MAX} characters.")
            clean[_printable(name)] = _printable(value)
        else:
            raise BadInput(f"The key figure '{_printable(name)}' is neither a number nor short text.")
    json.dumps(clean)             # cannot fail after the checks above; kept as the contract of storage
    return clean
