"""AppTest of /class: create a class, join it, send a run from a live page, the teacher's board shows it;
a wrong key and the student link show no data; a nickname with HTML is shown as text."""
import pytest

from nncore.board import store as board_store
from nncore.board.store import WRONG_KEY
from tests import pages
from views.ui.send_to_class import MEMBER, SESSION
from views.ui.tab_memory import KEPT


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Every test on its own SQLite database in a temporary folder."""
    monkeypatch.delenv("NNPLAY_DATABASE_URL", raising=False)
    monkeypatch.setenv("NNPLAY_DATA_DIR", str(tmp_path))
    yield tmp_path
    board_store._STORES.clear()


def _create():
    at = pages.open_page("board")
    assert not at.exception
    at.button(key="board._create").click().run()
    code, key = at.session_state["board.created"]
    shown = [c.value for c in at.code]
    assert shown == [f"/class?code={code}", f"/class?code={code}&key={key}"]
    return code, key


def _join(code, nickname):
    at = pages.open_page("board", {"code": code})
    at.text_input(key="board._nickname").set_value(nickname)
    at.button[0].click().run()                   # the form's "Join"
    assert not at.exception
    return at


def _board(code, key):
    at = pages.open_page("board", {"code": code, "key": key})
    assert not at.exception
    return at


def test_create_join_send_from_the_playground_and_the_board_shows_it():
    code, key = _create()
    student = _join(code, "Ana")
    member = student.session_state[MEMBER]
    assert member["code"] == code and member["nickname"] == "Ana"
    assert any("You are in class" in s.value for s in student.success)

    pg = pages.open_page("playground", {"epochs": "5"})
    pages.play_to_end(pg, "playground", limit=100)
    assert not [b for b in pg.button if b.key == "playground._send_to_class"]     # not joined: no 📤
    pg.session_state[MEMBER] = member
    pg.session_state[SESSION] = student.session_state[SESSION]
    pg.run()
    pg.button(key="playground._send_to_class").click().run()
    assert not pg.exception and any(s.value.startswith("Sent") for s in pg.success)

    at = _board(code, key)
    assert not at.error
    assert [m.value for m in at.metric] == ["1", "1", "0"]        # students, runs, lesson steps
    room = at.dataframe[0].value
    assert list(room["student"]) == ["Ana"] and list(room["runs"]) == [1] and list(room["playground"]) == [1]
    assert room["latest run"][0].startswith("/playground")
    leaders = at.dataframe[1].value
    assert list(leaders["student"]) == ["Ana"] and list(leaders["page"]) == ["playground"]
    assert list(leaders["data"]) == ["xor"] and leaders["parameters"][0] > 0
    assert list(leaders["measure"]) == ["test accuracy"] and 0 <= leaders["value"][0] <= 1


def test_the_regression_page_sends_too_once_joined():
    code, key = _create()
    student = _join(code, "Cy")
    at = pages.open_page("regression", {"epochs": "3"})
    at.session_state[MEMBER] = student.session_state[MEMBER]
    at.session_state[SESSION] = student.session_state[SESSION]
    at.run()
    at.button(key="regression._send_to_class").click().run()
    assert not at.exception and any(s.value.startswith("Sent") for s in at.success)
    room = _board(code, key).dataframe[0].value
    assert list(room["regression"]) == [1] and room["latest run"][0].startswith("/regression")


def test_a_wrong_or_altered_key_gives_one_sentence_and_no_data():
    code, key = _create()
    _join(code, "Ana")
    for bad in (key[:-1] + ("x" if key[-1] != "x" else "y"), "", "guess"):
        at = _board(code, bad)
        assert [e.value for e in at.error] == [WRONG_KEY]
        assert not at.dataframe and not at.metric and "Ana" not in str(at.main)


def test_the_student_link_cannot_open_the_board():
    code, key = _create()
    _join(code, "Ana")
    at = pages.open_page("board", {"code": code})
    assert not at.dataframe and not at.metric and "Ana" not in str(at.main)
    assert at.text_input(key="board._nickname") is not None


def test_a_nickname_with_html_is_shown_as_text():
    code, key = _create()
    nick = "<script>alert(1)</script><b>Bo</b>"
    student = _join(code, nick)
    assert student.session_state[MEMBER]["nickname"] == nick
    at = _board(code, key)
    assert list(at.dataframe[0].value["student"]) == [nick]


def test_presentation_mode_hides_nicknames_until_the_teacher_turns_them_on():
    code, key = _create()
    _join(code, "Ana")
    at = pages.open_page("board", {"code": code, "key": key})
    at.session_state["present"] = True
    at.toggle(key="board.show_names").set_value(False).run()
    assert list(at.dataframe[0].value["student"]) == ["student 1"]
    at.toggle(key="board.show_names").set_value(True).run()
    assert list(at.dataframe[0].value["student"]) == ["Ana"]


def test_remove_a_nickname_and_close_the_class():
    code, key = _create()
    _join(code, "Ana")
    _join(code, "Bo")
    at = _board(code, key)
    at.selectbox(key="board._remove_who").set_value(2).run()
    at.button(key="board._remove").click().run()
    assert list(at.dataframe[0].value["student"]) == ["Ana"]
    at.checkbox(key="board._close_sure").check().run()
    at.button(key="board._close").click().run()
    assert any("The class is closed" in s.value for s in at.success)
    assert [e.value for e in _board(code, key).error] == [WRONG_KEY]
    assert any("no open class" in e.value for e in pages.open_page("board", {"code": code}).error)


def test_a_reload_gives_the_student_their_seat_back_and_another_student_cannot_take_the_nickname():
    code, key = _create()
    student = _join(code, "Ana")
    member, token = student.session_state[MEMBER], student.session_state[SESSION]
    assert dict(student.query_params) == {"code": code, "seat": token}     # the link keeps the seat
    # a reload of /class: a new session with the address bar's link only
    again = pages.open_page("board", {"code": code, "seat": token})
    assert not again.exception and again.session_state[MEMBER] == member
    assert any("You are in class" in s.value for s in again.success)
    assert not again.text_input                                                 # no join form
    # a reload of the playground: the tab kept /class's link (views/ui/tab_memory); 📤 sends as Ana
    pg = pages.open_page("regression", {"epochs": "2"})
    assert not [b for b in pg.button if b.key == "regression._send_to_class"]
    pg.session_state[KEPT] = {"class": {"code": code, "seat": token}}
    pg.run()
    pg.button(key="regression._send_to_class").click().run()
    assert not pg.exception and any(s.value.startswith("Sent") for s in pg.success)
    assert list(_board(code, key).dataframe[0].value["student"]) == ["Ana"]
    # /class from the sidebar (no link of its own) shows the student's class and writes the seat back
    side = pages.open_page("board")
    side.session_state[KEPT] = {"class": {"code": code, "seat": token}}
    side.run()
    assert any("You are in class" in s.value for s in side.success)
    assert dict(side.query_params) == {"code": code, "seat": token}
    # another student (another tab: no token, or a forged one) cannot take the nickname
    for forged in (None, token[:-1] + ("A" if token[-1] != "A" else "B")):
        other = pages.open_page("board", {"code": code, **({"seat": forged} if forged else {})})
        assert MEMBER not in other.session_state
        other.text_input(key="board._nickname").set_value("Ana")
        other.button[0].click().run()
        assert any("already taken" in e.value for e in other.error) and MEMBER not in other.session_state
