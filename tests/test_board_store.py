"""The class board's store, the same cases against real PostgreSQL (Debian's package: a cluster of the test's
own, in a temporary folder, on a loopback port) and against SQLite in a temporary folder.

PostgreSQL missing is a failure, not a skip: `make test` installs it (`make postgresql`).
"""
from __future__ import annotations

import pytest

from nncore.board import keys, migrate
from nncore.board.errors import BadInput, LimitReached, NoSuchClass, RateLimited, Unavailable, WrongKey
from nncore.board.limits import Limits
from nncore.board.store import UNAVAILABLE, WRONG_KEY, BoardStore, database_url
from tests.postgres import PostgresCluster

LINK = "/playground?data=xor&lr=0.03"


class Clock:
    """A clock the test moves by hand: expiry and the rate window without waiting."""

    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def postgres():
    cluster = PostgresCluster()
    yield cluster
    cluster.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """``(make_store, cluster)``: a function making a store on a fresh, empty database of the backend."""
    if request.param == "sqlite":
        url, cluster = database_url({"NNPLAY_DATA_DIR": str(tmp_path)}), None
    else:
        cluster = request.getfixturevalue("postgres")
        url = database_url({"NNPLAY_DATABASE_URL": cluster.url})
        BoardStore(url).dispose()
        import sqlalchemy as sa
        eng = sa.create_engine(url)
        with eng.begin() as conn:                      # every test starts on an empty database
            conn.execute(sa.text("DROP TABLE IF EXISTS submissions, students, classes, schema_version, "
                                 "alembic_version"))
        eng.dispose()
    stores = []

    def make(limits=None, clock=None):
        s = BoardStore(url, limits=limits or Limits(), clock=clock or Clock())
        stores.append(s)
        return s
    make.url = url
    yield make, cluster
    for s in stores:
        s.dispose()


def _class(store, names=("Ana", "Bo")):
    code, key = store.create_class()
    ids = {n: store.join(code, n, f"session-{n}") for n in names}
    return code, key, ids


def test_the_default_database_is_sqlite_in_the_data_folder_and_a_postgres_url_gets_psycopg(tmp_path):
    assert database_url({"NNPLAY_DATA_DIR": str(tmp_path)}) == f"sqlite:///{tmp_path / 'board.sqlite3'}"
    assert database_url({"NNPLAY_DATABASE_URL": "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"


def test_create_join_send_and_the_board_shows_it(backend):
    make, _ = backend
    store = make()
    code, key, ids = _class(store)
    assert len(code) == 6 and keys.normalise_code(code.lower()) == code
    store.send(code, ids["Ana"], "session-Ana", "playground", LINK, {"test accuracy": 0.95, "optimizer": "adam"})
    store.send(code, ids["Bo"], "session-Bo", "regression", "/regression?lr=0.5", {"loss": 0.12, "epochs": 40})
    board = store.board(code, key)
    assert [s.nickname for s in board.students] == ["Ana", "Bo"]
    assert [(s.nickname, s.page, s.link) for s in board.submissions] == [
        ("Ana", "playground", LINK), ("Bo", "regression", "/regression?lr=0.5")]
    assert board.submissions[0].figures == {"test accuracy": 0.95, "optimizer": "adam"}
    assert board.submissions[1].figures == {"loss": 0.12, "epochs": 40}
    assert store.counts() == {"classes": 1, "students": 2, "submissions": 2}


def test_the_key_is_stored_only_as_its_hash(backend):
    make, _ = backend
    store = make()
    code, key = store.create_class()
    import sqlalchemy as sa
    with store.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text("SELECT * FROM classes"))]
    assert len(key) >= 22 and all(key not in str(cell) for row in rows for cell in row)
    assert rows[0][1] == keys.hash_key(key)


def test_a_wrong_altered_or_missing_key_is_refused_with_one_sentence(backend):
    make, _ = backend
    store = make()
    code, key, ids = _class(store)
    other_code, other_key = store.create_class()
    altered = key[:-1] + ("A" if key[-1] != "A" else "B")
    for bad in (altered, keys.new_teacher_key(), "", None, key.upper() if key.upper() != key else key + "x",
                other_key, "x" * 10_000):
        for action in (lambda k: store.board(code, k), lambda k: store.close_class(code, k),
                       lambda k: store.remove_student(code, k, ids["Ana"])):
            with pytest.raises(WrongKey) as e:
                action(bad)
            assert str(e.value) == WRONG_KEY
    with pytest.raises(WrongKey):
        store.board("ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", key)     # the right key on another code
    assert store.counts()["students"] == 2 and len(store.board(code, key).students) == 2


def test_a_nickname_in_any_script_is_kept_as_text_and_a_taken_one_is_refused(backend):
    make, _ = backend
    store = make()
    code, key = store.create_class()
    names = ["Zoë", "李小龍", "Дарья", "<script>alert(1)</script>", "  two   spaces\n"]
    for i, n in enumerate(names):
        store.join(code, n, f"s{i}")
    assert [s.nickname for s in store.board(code, key).students] == names[:4] + ["two spaces"]
    assert store.join(code, "Zoë", "s0") == store.board(code, key).students[0].id      # same session: same
    with pytest.raises(BadInput, match="already taken"):
        store.join(code, "Zoë", "another session")
    with pytest.raises(BadInput, match="at most 40"):
        store.join(code, "x" * 41, "s9")


def test_the_class_limits_students_and_submissions(backend):
    make, _ = backend
    clock = Clock()
    store = make(Limits(max_students=2, max_submissions=3, rate_max=100), clock)
    code, key, ids = _class(store)
    with pytest.raises(LimitReached, match=r"full \(2 students\)"):
        store.join(code, "Cy", "session-Cy")
    for i in range(3):
        store.send(code, ids["Ana"], "session-Ana", "playground", LINK, {"i": i})
    with pytest.raises(LimitReached, match="3 submissions"):
        store.send(code, ids["Bo"], "session-Bo", "playground", LINK, {})
    assert store.counts() == {"classes": 1, "students": 2, "submissions": 3}


def test_sending_is_rate_limited_per_session(backend):
    make, _ = backend
    clock = Clock()
    store = make(Limits(rate_max=3, rate_window_s=60), clock)
    code, key, ids = _class(store)
    for _ in range(3):
        store.send(code, ids["Ana"], "session-Ana", "playground", LINK, {})
        clock.t += 1
    with pytest.raises(RateLimited, match="wait a little"):
        store.send(code, ids["Ana"], "session-Ana", "playground", LINK, {})
    store.send(code, ids["Bo"], "session-Bo", "playground", LINK, {})        # another session is not held up
    clock.t += 60
    store.send(code, ids["Ana"], "session-Ana", "playground", LINK, {})      # the window has moved on
    assert len(store.board(code, key).submissions) == 5


def test_a_student_id_from_another_session_or_class_cannot_send(backend):
    make, _ = backend
    store = make()
    code, key, ids = _class(store)
    other, _ = store.create_class()
    with pytest.raises(NoSuchClass):
        store.send(code, ids["Ana"], "session-Bo", "playground", LINK, {})
    with pytest.raises(NoSuchClass):
        store.send(other, ids["Ana"], "session-Ana", "playground", LINK, {})
    with pytest.raises(NoSuchClass):
        store.join("AAAAAA" if code != "AAAAAA" else "BBBBBB", "Cy", "x")
    assert store.counts()["submissions"] == 0


def test_old_classes_expire(backend):
    make, _ = backend
    clock = Clock()
    store = make(Limits(expiry_s=3600), clock)
    old_code, old_key, ids = _class(store)
    store.send(old_code, ids["Ana"], "session-Ana", "playground", LINK, {})
    clock.t += 1800
    new_code, new_key = store.create_class()
    clock.t += 1801                              # the first class is 3601 s old, the second 1801 s
    assert not store.class_is_open(old_code) and store.class_is_open(new_code)
    with pytest.raises(NoSuchClass):
        store.send(old_code, ids["Ana"], "session-Ana", "playground", LINK, {})
    assert store.expire() == 1
    assert store.counts() == {"classes": 1, "students": 0, "submissions": 0}
    assert store.board(new_code, new_key).students == []


def test_remove_a_nickname_and_close_the_class_delete_their_rows(backend):
    make, _ = backend
    store = make()
    code, key, ids = _class(store)
    keep, keep_key, keep_ids = _class(store, ("Di",))
    for n in ("Ana", "Bo"):
        store.send(code, ids[n], f"session-{n}", "playground", LINK, {})
    store.send(keep, keep_ids["Di"], "session-Di", "playground", LINK, {})
    assert store.remove_student(code, key, ids["Bo"]) is True
    assert store.remove_student(code, key, keep_ids["Di"]) is False            # not in this class
    board = store.board(code, key)
    assert [s.nickname for s in board.students] == ["Ana"] and [s.nickname for s in board.submissions] == ["Ana"]
    store.close_class(code, key)
    assert store.counts() == {"classes": 1, "students": 1, "submissions": 1}    # only the other class is left
    with pytest.raises(WrongKey):
        store.board(code, key)
    assert not store.class_is_open(code)


def test_a_restarted_store_finds_everything(backend):
    """Nothing lives in memory only: a new store (an app restart, another replica) on the same database."""
    make, _ = backend
    first = make()
    code, key, ids = _class(first)
    first.send(code, ids["Ana"], "session-Ana", "playground", LINK, {"acc": 1.0})
    first.dispose()
    second = make()
    assert [s.figures for s in second.board(code, key).submissions] == [{"acc": 1.0}]
    second.send(code, ids["Bo"], "session-Bo", "playground", LINK, {})
    assert len(second.board(code, key).submissions) == 2


def test_postgresql_restarted_mid_class_loses_nothing_and_a_send_in_the_outage_is_a_clear_error(backend):
    make, cluster = backend
    if cluster is None:                          # the SQLite file has no server to restart: its case is above
        store = make()
        code, key, ids = _class(store)
        store.send(code, ids["Ana"], "session-Ana", "playground", LINK, {})
        assert len(store.board(code, key).submissions) == 1
        return
    store = make()
    code, key, ids = _class(store)
    store.send(code, ids["Ana"], "session-Ana", "playground", LINK, {"n": 1})
    cluster.stop()
    try:
        with pytest.raises(Unavailable) as e:
            store.send(code, ids["Bo"], "session-Bo", "playground", LINK, {"n": 2})
        assert str(e.value) == UNAVAILABLE and "try again" in str(e.value)
        with pytest.raises(Unavailable):
            store.board(code, key)
    finally:
        cluster.start()
    store.send(code, ids["Bo"], "session-Bo", "playground", LINK, {"n": 2})      # the retry goes through
    assert [(s.nickname, s.figures) for s in store.board(code, key).submissions] == [
        ("Ana", {"n": 1}), ("Bo", {"n": 2})]


def test_the_limits_are_read_from_the_environment():
    lim = Limits.from_env({"NNPLAY_BOARD_MAX_STUDENTS": "5", "NNPLAY_BOARD_MAX_SUBMISSIONS": "7",
                           "NNPLAY_BOARD_RATE_MAX": "2", "NNPLAY_BOARD_RATE_WINDOW_S": "10",
                           "NNPLAY_BOARD_EXPIRY_H": "2"})
    assert (lim.max_students, lim.max_submissions, lim.rate_max, lim.rate_window_s, lim.expiry_s) == (
        5, 7, 2, 10.0, 7200.0)
    assert Limits.from_env({}) == Limits()
    for bad in ({"NNPLAY_BOARD_MAX_STUDENTS": "many"}, {"NNPLAY_BOARD_RATE_MAX": "0"}):
        with pytest.raises(ValueError, match="NNPLAY_BOARD_"):
            Limits.from_env(bad)


def test_a_seat_token_gives_the_same_student_their_seat_back_after_a_reload(backend):
    make, _ = backend
    store = make()
    code, key = store.create_class()
    other, _ = store.create_class()
    ana, bo = keys.new_seat_token(), keys.new_seat_token()
    assert ana != bo and len(ana) >= 22
    ana_id = store.join(code, "Ana", ana)
    store.join(code, "Bo", bo)
    # a reload: a new session holding only the token (from the link or the tab) finds the seat
    seat = store.seat(code, ana)
    assert seat is not None and (seat.id, seat.nickname) == (ana_id, "Ana")
    assert store.seat(code.lower(), ana).id == ana_id                   # the code as typed
    assert store.join(code, "Ana", ana) == ana_id                        # joining again: the same seat
    store.send(code, ana_id, ana, "playground", LINK, {})                # and it may send as Ana
    # another student (another token, none, a forged one, the stored hash itself) has no seat and no nickname
    for wrong in (keys.new_seat_token(), "", "x" * 500, ana[:-1], keys.hash_seat(ana), None):
        assert store.seat(code, wrong) is None
    with pytest.raises(BadInput, match="already taken"):
        store.join(code, "Ana", keys.new_seat_token())
    with pytest.raises(BadInput, match="no seat"):
        store.join(code, "Cy", "")
    assert store.seat(other, ana) is None                                # the token is a seat in one class
    # the database keeps only the token's hash
    import sqlalchemy as sa
    with store.engine.connect() as conn:
        kept = set(conn.execute(sa.text("SELECT session FROM students")).scalars())
    assert kept == {keys.hash_seat(ana), keys.hash_seat(bo)} and ana not in kept
    # a removed nickname or a closed class has no seat any more
    store.remove_student(code, key, ana_id)
    assert store.seat(code, ana) is None and store.seat(code, bo) is not None
    store.close_class(code, key)
    assert store.seat(code, bo) is None


# ---- the schema's versions (Alembic) -------------------------------------------------------------------
def _tables_and_version(url):
    import sqlalchemy as sa
    eng = sa.create_engine(url)
    with eng.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        version = migrate.current(conn)
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("submissions")}
    eng.dispose()
    return tables, version, indexes


def test_a_new_database_is_made_at_the_newest_version(backend):
    make, _ = backend
    make()
    tables, version, indexes = _tables_and_version(make.url)
    assert version == migrate.head() == "0002"
    assert {"classes", "students", "submissions", "alembic_version"} <= tables and "schema_version" not in tables
    assert "ix_submissions_student_sent" in indexes
    make()                                                      # a second start finds it done
    assert _tables_and_version(make.url)[1] == "0002"


def test_a_database_made_before_alembic_is_upgraded_and_keeps_its_classes(backend):
    """The pre-Alembic schema (what version 0001 makes, with ``schema_version`` = 1 and no Alembic table), a
    class in it; opening it stamps 0001 and upgrades: the class, its student and run are still there."""
    import sqlalchemy as sa
    from alembic import command

    make, _ = backend
    eng = sa.create_engine(make.url)
    with eng.begin() as conn:
        command.upgrade(migrate._config(conn), "0001")
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("INSERT INTO classes (code, key_hash, created) VALUES (:c, :k, :t)"),
                     {"c": "KTRAMW", "k": keys.hash_key("the-key"), "t": 1_000_000.0})
        sid = conn.execute(sa.text("INSERT INTO students (code, nickname, session, joined) VALUES "
                                   "('KTRAMW', 'Ana', :s, 1000000.0) RETURNING id"),
                           {"s": keys.hash_seat("seat-of-ana")}).scalar()
        conn.execute(sa.text("INSERT INTO submissions (code, student_id, page, link, figures, sent) VALUES "
                             "('KTRAMW', :i, 'playground', :l, '{\"test accuracy\": 0.9}', 1000000.0)"),
                     {"i": sid, "l": LINK})
    eng.dispose()
    assert _tables_and_version(make.url)[1] is None
    store = make()
    board = store.board("KTRAMW", "the-key")
    assert [s.nickname for s in board.students] == ["Ana"] and board.submissions[0].figures == {"test accuracy": 0.9}
    assert store.seat("KTRAMW", "seat-of-ana").nickname == "Ana"
    tables, version, _ = _tables_and_version(make.url)
    assert version == "0002" and "schema_version" not in tables
    store.send("KTRAMW", sid, "seat-of-ana", "regression", "/regression?lr=0.1", {"epochs": 3})
    assert len(store.board("KTRAMW", "the-key").submissions) == 2


def test_a_version_this_nnplay_does_not_know_is_refused(backend):
    import sqlalchemy as sa

    make, _ = backend
    make().dispose()
    eng = sa.create_engine(make.url)
    with eng.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    eng.dispose()
    with pytest.raises(migrate.SchemaError) as err:
        BoardStore(make.url)
    assert "schema version '0099'" in str(err.value) and "Update nnplay" in str(err.value)


def test_replicas_starting_together_on_postgresql_take_turns(postgres):
    """Four stores opened at once on one empty PostgreSQL database (replicas starting): the advisory lock
    lets one migrate; every one opens, and the schema is made once."""
    from concurrent.futures import ThreadPoolExecutor

    import sqlalchemy as sa

    url = database_url({"NNPLAY_DATABASE_URL": postgres.url})
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS submissions, students, classes, schema_version, alembic_version"))
    eng.dispose()
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: BoardStore(url), range(4)))
    code, key = stores[0].create_class()
    assert all(s.class_is_open(code) for s in stores)
    assert _tables_and_version(url)[1] == "0002"
    for s in stores:
        s.dispose()
