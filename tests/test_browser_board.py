"""Real Chromium: a teacher creates a class, two students (two browser contexts) join and send a run, one from
the playground and one from regression, and the teacher's board, open the whole time, shows both within its
1.5 s refresh. A reload keeps a student's seat (the tab keeps /class's link with the seat token): 📤 is back and
sends as the same nickname; a lesson step Ada sends shows in the board's lesson table; a third student cannot take
that nickname. Screenshots: docs/screenshots/board.png, board-lessons.png.

The two students act side by side (each step is started in both contexts, then awaited in both), so their
pages' first runs overlap on the server instead of queuing one after the other.
"""
import re

import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

SEND = "📤 Send to class"
SENT = "Sent: your teacher's board shows it."
METRICS = ("() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.innerText)"
           ".join(',')")


@pytest.fixture(scope="module")
def board_server(tmp_path_factory):
    srv = b.Server({"NNPLAY_DATA_DIR": str(tmp_path_factory.mktemp("board-data"))})
    yield srv
    srv.stop()


def _each(pages, step):
    for i, page in enumerate(pages):
        step(i, page)


def _send(pages, nicknames):
    """📤 Send to class in every page: the popover names the student, the send is confirmed."""
    _each(pages, lambda i, p: p.get_by_role("button", name=SEND).click())
    _each(pages, lambda i, p: p.get_by_text(f"as {nicknames[i]}").wait_for(timeout=30_000))
    _each(pages, lambda i, p: p.get_by_role("button", name="📤 Send", exact=True).click())
    _each(pages, lambda i, p: p.get_by_text(SENT).wait_for(timeout=30_000))
    _each(pages, lambda i, p: b.assert_no_exception(p))


def _students(chromium, link, students):
    """Students ``[(nickname, live_page)]``, each in a browser context of their own, join at ``link``, open
    their live page and send its run after one epoch; their pages."""
    pages = [chromium.new_context(viewport={"width": 1300, "height": 1000}).new_page() for _ in students]
    names = [name for name, _ in students]
    _each(pages, lambda i, p: p.goto(link))
    _each(pages, lambda i, p: b.wait_ready(p))
    _each(pages, lambda i, p: p.get_by_label(re.compile("Your nickname")).fill(names[i]))
    _each(pages, lambda i, p: p.get_by_role("button", name="Join").click())
    _each(pages, lambda i, p: p.get_by_text("You are in class").wait_for(timeout=30_000))
    # the seat token is in /class's link, which the tab keeps
    _each(pages, lambda i, p: p.wait_for_url(re.compile(r"[?&]seat=[\w-]{22}"), timeout=30_000))
    # to the live page through the app's own navigation: the same session, so still in the class
    _each(pages, lambda i, p: p.locator(f'[data-testid="stSidebarNav"] a[href$="/{students[i][1]}"]').click())
    _each(pages, lambda i, p: p.get_by_role("button", name=SEND).wait_for(timeout=60_000))
    _each(pages, lambda i, p: b.wait_ready(p))
    # one epoch: the run has a cost (and an accuracy) to send; the board's leaderboard below checks they came
    _each(pages, lambda i, p: p.get_by_role("button", name="⏩ Epoch").click())
    _each(pages, lambda i, p: b.wait_ready(p))
    _send(pages, names)
    return pages


def test_a_teacher_and_two_students(board_server, chromium):
    teacher = b.open_page(chromium, board_server.url + "/class", width=1400, height=1100)
    teacher.get_by_role("button", name="➕ Create a class").click()
    teacher.get_by_text("Teacher link").wait_for(timeout=30_000)
    teacher.locator('[data-testid="stCode"]').nth(1).wait_for(timeout=30_000)
    b.wait_ready(teacher)
    codes = teacher.locator('[data-testid="stCode"]').all_inner_texts()
    student_link, teacher_link = (c.strip() for c in codes[:2])
    assert re.fullmatch(rf"{board_server.url}/class\?code=[A-Z]{{6}}", student_link)
    assert teacher_link.startswith(student_link + "&key=") and len(teacher_link) > len(student_link) + 25

    teacher.goto(teacher_link)
    b.wait_ready(teacher)
    teacher.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=30_000)
    assert "The room" in teacher.locator('[data-testid="stMain"]').inner_text()

    ada, grace = _students(chromium, student_link, [("Ada", "playground"), ("Grace", "regression")])

    # the board was open before the students sent: its fragment refreshes every 1.5 s
    teacher.wait_for_function(f"() => ({METRICS})() === '2,2,0'", timeout=15_000)
    b.assert_no_exception(teacher)
    assert not teacher.errors
    # the tables (a canvas grid) keep their cells in an accessible table: both students, both pages
    words = ["Ada", "Grace", "playground", "regression", "test accuracy", "test cost J"]
    teacher.wait_for_function(
        "words => { const t = [...document.querySelectorAll('[data-testid^=\"glide-cell\"]')]"
        ".map(e => e.innerText); return words.every(w => t.includes(w)); }", arg=words, timeout=15_000)
    teacher.wait_for_timeout(1500)
    b.screenshot(teacher, "board")

    # a reload is a new session: the seat comes back from the tab's memory, 📤 sends as Ada again
    ada.reload()
    ada.get_by_role("button", name=SEND).wait_for(timeout=60_000)
    b.wait_ready(ada)
    _send([ada], ["Ada"])
    teacher.wait_for_function(f"() => ({METRICS})() === '2,3,0'", timeout=15_000)

    # a lesson step: Ada opens step 3 of the perceptron lesson (its weights meet the goal) and turns sending on
    ada.goto(board_server.url + "/perceptron?lesson=003-perceptron&step=3&gate=AND&gate_w1=1&gate_w2=1&gate_b=-2")
    ada.get_by_text("Send my steps to class").wait_for(timeout=60_000)
    b.wait_ready(ada)
    ada.get_by_text("Send my steps to class").click()
    ada.get_by_text("Your teacher sees your steps: 1 sent.").wait_for(timeout=30_000)
    teacher.wait_for_function(f"() => ({METRICS})() === '2,3,1'", timeout=15_000)
    teacher.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid^=\"glide-cell\"]')].some(e => e.innerText === '✅')",
        timeout=15_000)
    assert "Lesson 003-perceptron" in teacher.locator('[data-testid="stMain"]').inner_text()
    assert "The room's results" in teacher.locator('[data-testid="stMain"]').inner_text()
    teacher.get_by_text("Lesson 003-perceptron").scroll_into_view_if_needed()
    teacher.wait_for_timeout(1500)
    b.screenshot(teacher, "board-lessons")

    # the student link opens no board, and a third student (a fresh context) cannot take Ada's nickname
    other = chromium.new_context().new_page()
    other.goto(student_link)
    b.wait_ready(other)
    assert other.locator('[data-testid="stMetricValue"]').count() == 0
    assert "Ada" not in other.locator('[data-testid="stMain"]').inner_text()
    other.get_by_label(re.compile("Your nickname")).fill("Ada")
    other.get_by_role("button", name="Join").click()
    other.get_by_text("This nickname is already taken").wait_for(timeout=30_000)
    assert other.get_by_text("You are in class").count() == 0
    assert teacher.evaluate(METRICS) == "2,3,1"
    for page in (ada, grace, other):
        page.context.close()
    teacher.close()
