"""Real Chromium: a teacher creates a class, two students (two browser contexts) join and send a run from
the playground, and the teacher's board, open the whole time, shows both within its 2 s refresh.
Screenshot: docs/screenshots/board.png."""
import re

import pytest

from tests import browser as b

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def board_server(tmp_path_factory):
    srv = b.Server({"NNPLAY_DATA_DIR": str(tmp_path_factory.mktemp("board-data"))})
    yield srv
    srv.stop()


def _student(chromium, link, nickname, live_page):
    """A student in a browser context of their own joins at ``link``, opens ``live_page`` and sends its run."""
    ctx = chromium.new_context(viewport={"width": 1300, "height": 1000})
    page = ctx.new_page()
    page.goto(link)
    b.wait_ready(page)
    page.get_by_label(re.compile("Your nickname")).fill(nickname)
    page.get_by_role("button", name="Join").click()
    page.get_by_text("You are in class").wait_for(timeout=30_000)
    # to the playground through the app's own navigation: the same session, so still in the class
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{live_page}"]').click()
    page.get_by_role("button", name="📤 Send to class").wait_for(timeout=60_000)
    b.wait_ready(page)
    for _ in range(2):                            # two epochs: the run has a cost (and an accuracy) to send
        page.get_by_role("button", name="⏩ Epoch").click()
        b.wait_ready(page)
    page.get_by_role("button", name="📤 Send to class").click()
    page.get_by_text(f"as {nickname}").wait_for(timeout=30_000)
    page.get_by_role("button", name="📤 Send", exact=True).click()
    page.get_by_text("Sent: your teacher's board shows it.").wait_for(timeout=30_000)
    b.assert_no_exception(page)
    return ctx


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

    students = [_student(chromium, student_link, name, live) for name, live in (("Ada", "playground"),
                                                                              ("Grace", "regression"))]

    # the board was open before the students sent: its fragment refreshes every 2 s
    teacher.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.innerText)"
        ".join(',') === '2,2'", timeout=15_000)
    b.assert_no_exception(teacher)
    assert not teacher.errors
    # the tables (a canvas grid) keep their cells in an accessible table: both students, both pages
    words = ["Ada", "Grace", "playground", "regression", "test accuracy", "test cost J"]
    teacher.wait_for_function(
        "words => { const t = [...document.querySelectorAll('[data-testid^=\"glide-cell\"]')]"
        ".map(e => e.innerText); return words.every(w => t.includes(w)); }", arg=words, timeout=15_000)
    teacher.wait_for_timeout(1500)
    b.screenshot(teacher, "board")

    # the student link opens no board, in a fresh context
    other = chromium.new_context().new_page()
    other.goto(student_link)
    b.wait_ready(other)
    assert other.locator('[data-testid="stMetricValue"]').count() == 0
    assert "Ada" not in other.locator('[data-testid="stMain"]').inner_text()
    for ctx in students:
        ctx.close()
    other.context.close()
    teacher.close()
