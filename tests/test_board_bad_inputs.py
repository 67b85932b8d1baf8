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
