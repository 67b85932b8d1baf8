"""Bad and hostile input to the class board: each refused with a sentence, nothing stored, nothing echoed."""
import math

import pytest

from nncore.board import checks, summary
from nncore.board import limits as L
from nncore.board import store as board_store
from nncore.board.errors import BadInput, Unavailable, WrongKey
from nncore.board.limits import Limits
from nncore.board.store import WRONG_KEY, BoardStore, database_url
from tests import pages
from views.ui.send_to_class import MEMBER, SESSION


@pytest.fixture
def store(tmp_path):
    s = BoardStore(database_url({"NNPLAY_DATA_DIR": str(tmp_path)}), limits=Limits())
    yield s
    s.dispose()


@pytest.fixture
def joined(store):
    code, key = store.create_class()
    return code, key, store.join(code, "Ana", "s1")


@pytest.mark.parametrize("figures, sentence", [
    ([1, 2], "not a table"),
    ({f"f{i}": i for i in range(L.FIGURES_MAX_ITEMS + 1)}, "at most 12"),
    ({"acc": math.nan}, "not a finite number"),
    ({"acc": math.inf}, "not a finite number"),
    ({"nested": {"a": 1}}, "neither a number nor short text"),
    ({"list": [1, 2]}, "neither a number nor short text"),
    ({"note": "x" * (L.FIGURE_TEXT_MAX + 1)}, "longer than 80"),
    ({"x" * (L.FIGURE_NAME_MAX + 1): 1}, "name that is too long"),
    ({"": 1}, "no name"),
    ({"\u202e\x00": 1}, "no name"),
])
def test_malformed_or_oversized_figures_are_refused_and_nothing_is_stored(store, joined, figures, sentence):
    code, key, sid = joined
    with pytest.raises(BadInput, match=sentence):
        store.send(code, sid, "s1", "playground", "/playground", figures)
    assert store.counts()["submissions"] == 0


@pytest.mark.parametrize("link, sentence", [
    ("/playground?" + "a" * L.LINK_MAX, "longer than 4000"),
    ("javascript:alert(1)", "not a link of this app"),
    ("data:text/html,<script>", "not a link of this app"),
    ("/playground?x=1\nSet-Cookie: a", "not a link of this app"),
    ("", "no link"),
    (None, "no link"),
])
def test_a_bad_link_is_refused(store, joined, link, sentence):
    code, key, sid = joined
    with pytest.raises(BadInput, match=sentence):
        store.send(code, sid, "s1", "playground", link, {})
    assert store.counts()["submissions"] == 0


@pytest.mark.parametrize("page", ["", "../etc", "x" * 41, None, "play ground"])
def test_a_bad_page_name_is_refused(store, joined, page):
    code, key, sid = joined
    with pytest.raises(BadInput):
        store.send(code, sid, "s1", page, "/playground", {})


@pytest.mark.parametrize("nickname, sentence", [
    ("", "Type a nickname"), ("   \n\t ", "Type a nickname"), ("\x00\x01", "Type a nickname"),
    ("x" * 41, "at most 40"), (None, "is text"), (42, "is text"),
])
def test_a_bad_nickname_is_refused(store, nickname, sentence):
    code, key = store.create_class()
    with pytest.raises(BadInput, match=sentence):
        store.join(code, nickname, "s1")
    assert store.counts()["students"] == 0


def test_control_and_bidi_characters_are_taken_out_of_a_nickname():
    assert checks.nickname("An\u202ea\x07") == "Ana"


@pytest.mark.parametrize("key", ["", None, "A" * 100_000, "' OR 1=1 --", "%00", 12345])
def test_a_hostile_key_is_refused_with_the_same_sentence(store, joined, key):
    code, _, _ = joined
    with pytest.raises(WrongKey) as e:
        store.board(code, key)
    assert str(e.value) == WRONG_KEY


@pytest.mark.parametrize("code", ["", "abc", "'; DROP TABLE classes; --", "KTRAM0", "I" * 6, "x" * 500])
def test_a_malformed_code_is_not_a_class(store, code):
    store.create_class()                         # a real class exists; none of these codes opens it
    assert not store.class_is_open(code)


def test_a_nickname_that_is_a_spreadsheet_formula_is_quoted_in_the_csv(store):
    code, key = store.create_class()
    sid = store.join(code, "=HYPERLINK(\"http://evil\")", "s1")
    store.send(code, sid, "s1", "playground", "/playground", {})
    line = summary.to_csv(store.board(code, key)).splitlines()[1]
    assert ",'=HYPERLINK" in line.replace('"', "")


@pytest.fixture
def page_data(tmp_path, monkeypatch):
    monkeypatch.delenv("NNPLAY_DATABASE_URL", raising=False)
    monkeypatch.setenv("NNPLAY_DATA_DIR", str(tmp_path))
    yield
    board_store._STORES.clear()


@pytest.mark.parametrize("query, sentence", [
    ({"code": "<script>"}, "A class code is 6 letters"),
    ({"code": "ZZZZZZ"}, "no open class with this code"),
    ({"code": "ZZZZZZ", "key": "x"}, WRONG_KEY),
    ({"key": "x"}, WRONG_KEY),
])
def test_the_page_answers_a_bad_link_with_one_sentence(page_data, query, sentence):
    at = pages.open_page("board", query)
    assert not at.exception
    assert [e.value for e in at.error] and all(sentence in e.value for e in at.error)


def test_the_page_caps_an_oversized_nickname_at_40_characters(page_data):
    """The text box keeps 40 characters (Streamlit's max_chars, enforced on the server); the store refuses
    more from any other caller (above)."""
    at = pages.open_page("board")
    at.button(key="board._create").click().run()
    code, key = at.session_state["board.created"]
    at = pages.open_page("board", {"code": code})
    at.text_input(key="board._nickname").set_value("x" * 500)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert at.session_state["board.member"]["nickname"] == "x" * L.NICKNAME_MAX


def test_a_data_folder_that_cannot_be_made_is_a_sentence(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(Unavailable, match="NNPLAY_DATA_DIR"):
        database_url({"NNPLAY_DATA_DIR": str(blocker / "data")})


# --- tampered codes, forged or replayed keys and seats, SQL-looking text, another class's students --------------
SQLISH = ["Robert'); DROP TABLE students;--", "' OR '1'='1", "1; DELETE FROM submissions", "\" OR \"\"=\"",
          "%' UNION SELECT key_hash FROM classes --"]


@pytest.mark.parametrize("text", SQLISH)
def test_sql_looking_text_is_stored_as_text_and_the_tables_are_intact(store, joined, text):
    code, key, sid = joined
    other = store.join(code, text, "s2")
    store.send(code, other, "s2", "playground", "/playground?note=" + text.replace(" ", "+"), {text[:40]: text})
    board = store.board(code, key)
    assert [s.nickname for s in board.students] == ["Ana", text]
    assert board.submissions[0].figures == {text[:40]: text}
    assert store.counts() == {"classes": 1, "students": 2, "submissions": 1}
    assert store.seat(code, text) is None and not store.class_is_open(text)
    with pytest.raises(WrongKey):
        store.board(code, text)


def test_a_student_cannot_post_to_another_class_nor_with_another_students_seat(store, joined):
    code, key, sid = joined
    other_code, other_key = store.create_class()
    bo = store.join(other_code, "Bo", "s2")
    for wrong_code, wrong_id, wrong_seat in ((other_code, sid, "s1"),    # Ana's id and seat, another class
                                             (other_code, bo, "s1"),     # Bo's id, Ana's seat
                                             (code, bo, "s2"),           # Bo's id and seat, Ana's class
                                             (code, sid, "s2")):         # Ana's id, Bo's seat
        with pytest.raises(board_store.NoSuchClass, match="no longer in this class"):
            store.send(wrong_code, wrong_id, wrong_seat, "playground", "/playground", {})
    assert store.counts()["submissions"] == 0
    assert store.board(other_code, other_key).students[0].nickname == "Bo"


def test_a_teacher_key_opens_only_its_own_class_and_not_once_closed(store, joined):
    code, key, _ = joined
    other_code, other_key = store.create_class()
    from nncore.board import keys
    forged = [other_key,                                   # another class's key (replayed on this code)
              keys.hash_key(key),                          # the stored hash itself
              key + " ", " " + key, key.upper() if key.upper() != key else key.lower(),
              key[:-2], key + "A"]
    for wrong in forged:
        with pytest.raises(WrongKey) as e:
            store.board(code, wrong)
        assert str(e.value) == WRONG_KEY
    with pytest.raises(WrongKey):
        store.board(other_code, key)
    store.close_class(code, key)
    for action in (lambda: store.board(code, key), lambda: store.close_class(code, key),
                   lambda: store.remove_student(code, key, 1)):
        with pytest.raises(WrongKey):                      # a replayed key of a closed class: nothing
            action()
    assert store.board(other_code, other_key).code == other_code


@pytest.mark.parametrize("tamper", [
    lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),   # one letter changed
    lambda c: c + "A",                                    # one letter more
    lambda c: c[:-1],                                     # one letter less
    lambda c: c[:3] + "<b>" + c[3:],                      # HTML inside
    lambda c: c + "'--",                                  # SQL-looking tail
])
def test_a_tampered_code_is_not_the_class(store, tamper):
    code, _ = store.create_class()
    assert store.class_is_open(code) and store.class_is_open(code.lower()) and store.class_is_open(f" {code} ")
    assert not store.class_is_open(tamper(code))
    with pytest.raises(board_store.NoSuchClass):
        store.join(tamper(code), "Cy", "s9")
    assert store.counts()["students"] == 0


def _teacher_and_student():
    at = pages.open_page("board")
    at.button(key="board._create").click().run()
    code, key = at.session_state["board.created"]
    at = pages.open_page("board", {"code": code})
    at.text_input(key="board._nickname").set_value("Ana")
    at.button[0].click().run()
    return code, key, at.session_state[SESSION]


def _keeps_serving(code, key):
    """After the hostile link: the right teacher link still opens the board with Ana on it."""
    at = pages.open_page("board", {"code": code, "key": key})
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value["student"]) == ["Ana"]


@pytest.mark.parametrize("name, query, sentence", [
    ("code-one-letter-changed", lambda c, k, s: {"code": c[:-1] + ("A" if c[-1] != "A" else "B")},
     "no open class"),
    ("code-with-html", lambda c, k, s: {"code": f"<img src=x onerror=alert(1)>{c}"}, "A class code is 6 letters"),
    ("code-sql", lambda c, k, s: {"code": "' OR 1=1 --"}, "A class code is 6 letters"),
    ("key-one-letter-changed", lambda c, k, s: {"code": c, "key": k[:-1] + ("x" if k[-1] != "x" else "y")},
     WRONG_KEY),
    ("key-of-another-class", lambda c, k, s: {"code": "ZZZZZZ" if c != "ZZZZZZ" else "YYYYYY", "key": k}, WRONG_KEY),
    ("key-is-the-hash", lambda c, k, s: {"code": c, "key": __import__("hashlib").sha256(k.encode()).hexdigest()},
     WRONG_KEY),
    ("key-sql", lambda c, k, s: {"code": c, "key": "' OR '1'='1"}, WRONG_KEY),
    ("key-huge", lambda c, k, s: {"code": c, "key": "k" * 100_000}, WRONG_KEY),
    ("seat-as-key", lambda c, k, s: {"code": c, "key": s}, WRONG_KEY),
])
def test_a_tampered_link_gets_one_sentence_and_the_class_goes_on(page_data, name, query, sentence):
    code, key, seat = _teacher_and_student()
    at = pages.open_page("board", query(code, key, seat))
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and sentence in errors[0]
    assert not at.dataframe and not at.metric and "Ana" not in str(at.main)
    assert key not in str(at.main) and seat not in str(at.main)
    _keeps_serving(code, key)


@pytest.mark.parametrize("forge", [
    lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"), lambda s: s.upper() if s.upper() != s else s.lower(),
    lambda s: "' OR '1'='1", lambda s: s * 10, lambda s: "",
])
def test_a_forged_seat_gives_no_seat_and_the_nickname_stays_taken(page_data, forge):
    code, key, seat = _teacher_and_student()
    at = pages.open_page("board", {"code": code, "seat": forge(seat)})
    assert not at.exception and MEMBER not in at.session_state
    at.text_input(key="board._nickname").set_value("Ana")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["This nickname is already taken in this class; pick another."]
    _keeps_serving(code, key)


def test_a_seat_of_one_class_is_no_seat_in_another(page_data):
    code, key, seat = _teacher_and_student()
    other = pages.open_page("board")
    other.button(key="board._create").click().run()
    other_code, _ = other.session_state["board.created"]
    at = pages.open_page("board", {"code": other_code, "seat": seat})
    assert not at.exception and MEMBER not in at.session_state
    assert at.text_input(key="board._nickname") is not None          # the join form, not "You are in class"
