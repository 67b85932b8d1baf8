"""The class board's limits, each configurable by an environment variable (docs/BOARD.md lists them).

| variable | default | what |
|---|---|---|
| ``NNPLAY_BOARD_MAX_STUDENTS`` | 60 | nicknames per class |
| ``NNPLAY_BOARD_MAX_SUBMISSIONS`` | 3000 | submissions per class |
| ``NNPLAY_BOARD_RATE_MAX`` / ``NNPLAY_BOARD_RATE_WINDOW_S`` | 5 / 60 | sends per student session per window |
| ``NNPLAY_BOARD_EXPIRY_H`` | 168 (a week) | a class older than this is deleted |
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional

NICKNAME_MAX = 40           # characters, any script
LINK_MAX = 4000             # characters of a run's link (its full state)
PAGE_MAX = 40               # characters of a page name
FIGURES_MAX_ITEMS = 12      # key figures per submission
FIGURE_NAME_MAX = 40        # characters of a figure's name
FIGURE_TEXT_MAX = 80        # characters of a text figure


@dataclass(frozen=True)
class Limits:
    """How much a class may hold and how often a student may send."""

    max_students: int = 60
    max_submissions: int = 3000
    rate_max: int = 5
    rate_window_s: float = 60.0
    expiry_s: float = 7 * 24 * 3600.0

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Limits":
        """The limits set by ``NNPLAY_BOARD_*`` (defaults for unset ones); ValueError names a bad one."""
        env = os.environ if env is None else env
        base = cls()

        def read(name, kind, default, lo):
            text = env.get(name)
            if text is None or text == "":
                return default
            try:
                value = kind(text)
            except ValueError:
                raise ValueError(f"{name}={text!r} is not a number.") from None
            if value < lo:
                raise ValueError(f"{name}={text!r} must be at least {lo}.")
            return value

        return cls(
            max_students=read("NNPLAY_BOARD_MAX_STUDENTS", int, base.max_students, 1),
            max_submissions=read("NNPLAY_BOARD_MAX_SUBMISSIONS", int, base.max_submissions, 1),
            rate_max=read("NNPLAY_BOARD_RATE_MAX", int, base.rate_max, 1),
            rate_window_s=read("NNPLAY_BOARD_RATE_WINDOW_S", float, base.rate_window_s, 0.0),
            expiry_s=3600.0 * read("NNPLAY_BOARD_EXPIRY_H", float, base.expiry_s / 3600.0, 0.001),
        )
