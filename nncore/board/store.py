"""The class board's database, through SQLAlchemy 2 Core: one code path for SQLite and PostgreSQL.

Where: ``NNPLAY_DATABASE_URL`` (``postgresql://user:pw@host/db``; psycopg 3 is the driver) when set, else
SQLite at ``$NNPLAY_DATA_DIR/board.sqlite3`` (``NNPLAY_DATA_DIR`` defaults to ``./data``). Nothing of a class
lives in memory only: every call is one transaction, so a restarted app (or another replica) sees it all.

Schema: versioned by Alembic (``nncore.board.migrate``, ``nncore/board/migrations``), upgraded when a store
opens; a database at a version this nnplay does not know is refused rather than misread. The tables below are
what the newest version holds (the queries' view of them; the migrations make them).

| table | columns |
|---|---|
| ``classes`` | code (6 letters), key_hash (SHA-256 of the teacher key), created (epoch s) |
| ``students`` | id, code, nickname, session (SHA-256 of the student's seat token), joined |
| ``submissions`` | id, code, student_id, page, link (the run's full state), figures (JSON), sent |
"""
from __future__ import annotations

import hmac
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from nncore.board import checks, keys, migrate
from nncore.board.errors import BadInput, LimitReached, NoSuchClass, RateLimited, Unavailable, WrongKey
from nncore.board.limits import Limits

UNAVAILABLE = ("The class database is not answering right now; nothing was saved. "
               "Wait a moment and try again.")
WRONG_KEY = "This link does not open a class board (the teacher key is missing or wrong)."
NO_CLASS = "There is no open class with this code (it may have been closed or have expired)."
NO_FOLDER = ("The class board has no folder it may write to: set NNPLAY_DATA_DIR to a writable folder, or "
             "NNPLAY_DATABASE_URL to a PostgreSQL database.")

meta = sa.MetaData()
classes = sa.Table(
    "classes", meta,
    sa.Column("code", sa.String(keys.CODE_LENGTH), primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)
students = sa.Table(
    "students", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(keys.CODE_LENGTH), sa.ForeignKey("classes.code", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("nickname", sa.Text, nullable=False),
    sa.Column("session", sa.String(64), nullable=False),
    sa.Column("joined", sa.Float, nullable=False),
    sa.UniqueConstraint("code", "nickname", name="one_nickname_per_class"),
)
submissions = sa.Table(
    "submissions", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(keys.CODE_LENGTH), sa.ForeignKey("classes.code", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("page", sa.String(40), nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("figures", sa.Text, nullable=False),
    sa.Column("sent", sa.Float, nullable=False),
    sa.Index("ix_submissions_student_sent", "student_id", "sent"),
)


def database_url(env=None) -> str:
    """The database to use: ``NNPLAY_DATABASE_URL`` (a ``postgresql://`` URL gets the psycopg 3 driver),
    else SQLite in ``NNPLAY_DATA_DIR`` (default ``./data``), the folder made if missing."""
    env = os.environ if env is None else env
    url = env.get("NNPLAY_DATABASE_URL", "").strip()
    if url:
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                url = "postgresql+psycopg://" + url[len(plain):]
        return url
    folder = Path(env.get("NNPLAY_DATA_DIR") or "data").resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise Unavailable(NO_FOLDER) from None
    return f"sqlite:///{folder / 'board.sqlite3'}"


@dataclass(frozen=True)
class Student:
    id: int
    nickname: str
    joined: float


@dataclass(frozen=True)
class Submission:
    id: int
    student_id: int
    nickname: str
    page: str
    link: str
    figures: Dict[str, Any]
    sent: float


@dataclass(frozen=True)
class Board:
    """What the teacher sees of one class."""

    code: str
    created: float
    students: List[Student]
    submissions: List[Submission]


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")        # ON DELETE CASCADE: closing a class deletes its rows
    cur.execute("PRAGMA journal_mode=WAL")       # readers (the board) do not block a student's send
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


class BoardStore:
    """Classes, students and submissions in one database; every method is one transaction.

    Errors are ``BoardError``s with a sentence: ``WrongKey``, ``NoSuchClass``, ``LimitReached`` /
    ``RateLimited``, ``BadInput``, and ``Unavailable`` when the database does not answer (nothing written).
    """

    def __init__(self, url: Optional[str] = None, limits: Optional[Limits] = None, clock=time.time):
        self.url = url or database_url()
        self.limits = limits or Limits.from_env()
        self.clock = clock
        sqlite = self.url.startswith("sqlite")
        self.engine = sa.create_engine(
            self.url, pool_pre_ping=True,
            **({"connect_args": {"timeout": 5}} if sqlite else {"connect_args": {"connect_timeout": 3}}))
        if sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self._create_schema()

    # --- plumbing -------------------------------------------------------------------------------------
    def _run(self, fn):
        """``fn(conn)`` in one transaction; a database that does not answer becomes ``Unavailable``."""
        try:
            with self.engine.begin() as conn:
                return fn(conn)
        except IntegrityError:
            raise                        # a constraint (a taken code or nickname): the caller decides
        except DBAPIError:
            raise Unavailable(UNAVAILABLE) from None

    def _create_schema(self) -> None:
        """The schema at its newest version (Alembic); a database that does not answer is ``Unavailable``."""
        try:
            migrate.upgrade(self.engine)
        except DBAPIError:
            raise Unavailable(UNAVAILABLE) from None

    def _open_class(self, conn, code: str, lock: bool = False):
        q = sa.select(classes).where(classes.c.code == code)
        if lock:
            q = q.with_for_update()        # PostgreSQL: joins and sends to one class count one at a time
        row = conn.execute(q).first()
        if row is None or row.created < self.clock() - self.limits.expiry_s:
            raise NoSuchClass(NO_CLASS)
        return row

    def _teacher(self, conn, code: str, key: str, lock: bool = False):
        code = keys.normalise_code(code)
        row = conn.execute(sa.select(classes).where(classes.c.code == code)).first() if code else None
        # one sentence whether the code or the key is wrong: a wrong key says nothing about the class
        if row is None or not keys.key_matches(key, row.key_hash):
            raise WrongKey(WRONG_KEY)
        return self._open_class(conn, code, lock)

    # --- the teacher -----------------------------------------------------------------------------------
    def create_class(self) -> Tuple[str, str]:
        """A new class: ``(code, teacher_key)``. The key is returned once and stored only as its hash."""
        for _ in range(20):
            code, key = keys.new_class_code(), keys.new_teacher_key()
            try:
                self._run(lambda conn, code=code, key=key: conn.execute(classes.insert().values(
                    code=code, key_hash=keys.hash_key(key), created=self.clock())))
                return code, key
            except IntegrityError:
                continue                 # a code already taken: draw another
        raise LimitReached("No free class code was found; try again.")

    def board(self, code: str, key: str) -> Board:
        """Everything the teacher sees: students and submissions in the order they came."""
        def read(conn):
            row = self._teacher(conn, code, key)
            studs = [Student(r.id, r.nickname, r.joined) for r in conn.execute(
                sa.select(students).where(students.c.code == row.code).order_by(students.c.id))]
            names = {s.id: s.nickname for s in studs}
            subs = [Submission(r.id, r.student_id, names.get(r.student_id, "?"), r.page, r.link,
                               json.loads(r.figures), r.sent) for r in conn.execute(
                sa.select(submissions).where(submissions.c.code == row.code).order_by(submissions.c.id))]
            return Board(row.code, row.created, studs, subs)
        return self._run(read)

    def remove_student(self, code: str, key: str, student_id: int) -> bool:
        """The teacher removes a nickname and what it sent; False when it was not in this class."""
        def remove(conn):
            row = self._teacher(conn, code, key)
            n = conn.execute(students.delete().where(students.c.code == row.code,
                                                     students.c.id == int(student_id))).rowcount
            return n > 0
        return self._run(remove)

    def close_class(self, code: str, key: str) -> None:
        """"Close the class": the class, its students and its submissions are deleted."""
        def close(conn):
            row = self._teacher(conn, code, key)
            self._delete(conn, [row.code])
        self._run(close)

    # --- a student ------------------------------------------------------------------------------------
    def class_is_open(self, code: str) -> bool:
        code = keys.normalise_code(code)
        if not code:
            return False
        try:
            self._run(lambda conn: self._open_class(conn, code))
            return True
        except NoSuchClass:
            return False

    def join(self, code: str, nickname: str, session: str) -> int:
        """A student joins with a nickname: their id. ``session`` is the student's seat token (kept by their
        tab across reloads, stored as its hash): joining again with the same token and nickname is the same
        student; a nickname taken with another token is refused."""
        name = checks.nickname(nickname)
        session = keys.hash_seat(str(session))
        if session == "-":
            raise BadInput("This browser tab has no seat in the class; open the student link again.")

        def join_(conn):
            cls = self._open_class(conn, keys.normalise_code(code), lock=True)
            same = conn.execute(sa.select(students).where(students.c.code == cls.code,
                                                          students.c.nickname == name)).first()
            if same is not None:
                if same.session == session:
                    return same.id
                raise BadInput("This nickname is already taken in this class; pick another.")
            count = conn.execute(sa.select(sa.func.count()).select_from(students)
                                 .where(students.c.code == cls.code)).scalar()
            if count >= self.limits.max_students:
                raise LimitReached(f"This class is full ({self.limits.max_students} students).")
            return conn.execute(students.insert().values(code=cls.code, nickname=name, session=session,
                                                         joined=self.clock())).inserted_primary_key[0]
        try:
            return self._run(join_)
        except IntegrityError:
            raise BadInput("This nickname is already taken in this class; pick another.") from None

    def send(self, code: str, student_id: int, session: str, page: str, link: str,
             figures: Dict[str, Any]) -> int:
        """A student sends a run: its page, link and key figures; the submission's id."""
        page, link, figures = checks.page(page), checks.link(link), checks.figures(figures)
        now = self.clock()

        def send_(conn):
            cls = self._open_class(conn, keys.normalise_code(code), lock=True)
            who = conn.execute(sa.select(students).where(students.c.code == cls.code,
                                                         students.c.id == int(student_id))).first()
            if who is None or not hmac.compare_digest(who.session, keys.hash_seat(str(session))):
                raise NoSuchClass("You are no longer in this class (the teacher may have removed your "
                                  "nickname); join again to send.")
            recent = conn.execute(sa.select(sa.func.count()).select_from(submissions).where(
                submissions.c.student_id == who.id,
                submissions.c.sent > now - self.limits.rate_window_s)).scalar()
            if recent >= self.limits.rate_max:
                raise RateLimited(f"You sent {recent} runs in the last {self.limits.rate_window_s:g} s; "
                                  "wait a little before sending again.")
            total = conn.execute(sa.select(sa.func.count()).select_from(submissions)
                                 .where(submissions.c.code == cls.code)).scalar()
            if total >= self.limits.max_submissions:
                raise LimitReached(f"This class has its {self.limits.max_submissions} submissions; "
                                   "the teacher can remove some or open a new class.")
            return conn.execute(submissions.insert().values(
                code=cls.code, student_id=who.id, page=page, link=link, figures=json.dumps(figures),
                sent=now)).inserted_primary_key[0]
        return self._run(send_)

    def seat(self, code: str, session: str) -> Optional[Student]:
        """The student of the open class ``code`` whose seat token is ``session`` (a reload gives the same
        student their seat back), or None: an unknown token, a removed nickname, a closed or expired class."""
        code = keys.normalise_code(code)
        token = keys.hash_seat(session)
        if not code or token == "-":
            return None

        def find(conn):
            try:
                cls = self._open_class(conn, code)
            except NoSuchClass:
                return None
            row = conn.execute(sa.select(students).where(students.c.code == cls.code,
                                                         students.c.session == token)).first()
            return None if row is None else Student(row.id, row.nickname, row.joined)
        return self._run(find)

    # --- housekeeping ---------------------------------------------------------------------------------
    def expire(self) -> int:
        """Delete the classes older than the expiry time; how many were deleted."""
        def expire_(conn):
            old = [r.code for r in conn.execute(sa.select(classes.c.code).where(
                classes.c.created < self.clock() - self.limits.expiry_s))]
            self._delete(conn, old)
            return len(old)
        return self._run(expire_)

    @staticmethod
    def _delete(conn, codes) -> None:
        """Rows of ``codes`` deleted explicitly, children first (not relying on the cascade alone)."""
        if not codes:
            return
        conn.execute(submissions.delete().where(submissions.c.code.in_(codes)))
        conn.execute(students.delete().where(students.c.code.in_(codes)))
        conn.execute(classes.delete().where(classes.c.code.in_(codes)))

    def counts(self) -> Dict[str, int]:
        """Rows per table (all classes): for tests and the operator."""
        def count(conn):
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                    for t in (classes, students, submissions)}
        return self._run(count)

    def dispose(self) -> None:
        self.engine.dispose()


_STORES: Dict[str, BoardStore] = {}


def default_store() -> BoardStore:
    """The app's store for the current ``NNPLAY_DATABASE_URL`` / ``NNPLAY_DATA_DIR`` (one per URL); old
    classes are expired when it is first opened."""
    url = database_url()
    if url not in _STORES:
        store = BoardStore(url)
        store.expire()
        _STORES[url] = store
    return _STORES[url]
