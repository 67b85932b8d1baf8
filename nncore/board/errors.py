"""What can go wrong with the class board, each error carrying one sentence the page shows as it is."""


class BoardError(Exception):
    """A refusal with a sentence for the page (``str(error)``); never carries a key or a student's text."""


class WrongKey(BoardError):
    """A missing, guessed or altered teacher key: one sentence and no data."""


class NoSuchClass(BoardError):
    """The class code is unknown, closed or expired."""


class LimitReached(BoardError):
    """The class is full (students or submissions), or the student sends too often (``RateLimited``)."""


class RateLimited(LimitReached):
    """Too many sends from one session in the rate window."""


class BadInput(BoardError):
    """A nickname, link or key figures the board refuses (too long, malformed)."""


class Unavailable(BoardError):
    """The database does not answer (restarting, network): nothing was written; the send can be retried."""
