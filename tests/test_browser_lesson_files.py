"""Real Chromium: a teacher's own lessons. A step written by the page's "📝 Add this state as a lesson step" is
pasted into a file; the file, uploaded on /lessons, opens its step on the page in that state. A server given a
lessons folder (``NNPLAY_LESSONS_DIR``) lists the folder's good lesson and names the bad file's problem."""
import re

import pytest

from nncore.guide import lesson_file
from tests import browser as b

pytestmark = pytest.mark.browser
PANEL = ".st-key-lesson_panel"
FOLDER_LESSON = """title = "From the teacher's folder"

[[steps]]
title = "XOR Model 2"
page = "playground"
link = "preset=xor-model-2&lock=lr"
text = "The folder's step: **Model 2** of course 003."
"""


@pytest.fixture(scope="module")
def folder_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lessons")
    (folder / "class-7b.toml").write_text(FOLDER_LESSON, encoding="utf-8")
    (folder / "broken.toml").write_text('title = "Broken"\n[[steps]]\ntitle = "x"\npage = "regresion"\ntext = "t"\n',
                                        encoding="utf-8")
    srv = b.Server(extra_env={"NNPLAY_LESSONS_DIR": str(folder)})
    yield srv
    srv.stop()


def test_a_step_written_on_the_page_uploads_and_opens_in_that_state(folder_server, chromium):
    page = b.open_page(chromium, folder_server.url + "/regression?preset=Learning+rate+too+high+(α+%3D+1)&speed=7",
                       timeout=90_000)
    page.get_by_role("button", name="📝 Add this state as a lesson step").click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]')
    code.wait_for()
    step_text = code.inner_text()
    lesson = lesson_file.load_text('title = "Pasted"\n\n' + step_text, "pasted")        # it loads as it is
    assert lesson.steps[0].query == {"preset": "Learning rate too high (α = 1)", "speed": "7"}, step_text
    page.keyboard.press("Escape")

    page.goto(folder_server.url + "/lessons")
    b.wait_ready(page)
    page.get_by_text("📤 A teacher's lesson file (1 in").click()
    page.locator('input[type="file"]').set_input_files(files=[{
        "name": "my-steps.toml", "mimeType": "application/toml",
        "buffer": ('title = "My own lesson"\n\n' + step_text).encode()}])
    page.get_by_text("The lesson 'My own lesson' (1 step) is ready above.").wait_for(timeout=30_000)
    page.locator(".st-key-lesson_card_my-steps").get_by_role("button", name="▶ Start").click()
    page.wait_for_url(re.compile(r"/regression\?.*lesson=my-steps&step=1"), timeout=30_000)
    page.locator(PANEL).get_by_text("step 1 of 1").wait_for()
    b.wait_ready(page)
    assert "speed=7" in page.url and "Learning+rate+too+high" in page.url.replace("%20", "+"), page.url
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_the_teachers_folder_is_listed_and_a_bad_file_named(folder_server, chromium):
    page = b.open_page(chromium, folder_server.url + "/lessons", timeout=90_000)
    card = page.locator(".st-key-lesson_card_class-7b")
    card.get_by_text("From the teacher's folder").wait_for()
    page.get_by_text("📤 A teacher's lesson file (1 in the lessons folder cannot be read)").click()
    page.get_by_text(re.compile(r"broken\.toml: .*'regresion'")).wait_for()
    card.get_by_role("button", name="▶ Start").click()
    page.wait_for_url(re.compile(r"/playground\?.*lesson=class-7b&step=1"), timeout=30_000)
    page.locator(PANEL).get_by_text("The folder's step").wait_for()
    b.wait_ready(page)
    assert "lock=lr" in page.url
    b.assert_no_exception(page)
    page.close()

    bad = b.open_page(chromium, folder_server.url + "/lessons", timeout=90_000)        # the bad upload
    bad.get_by_text("📤 A teacher's lesson file (1 in").click()
    bad.locator('input[type="file"]').set_input_files(files=[{
        "name": "evil.toml", "mimeType": "application/toml",
        "buffer": b'title = "Evil"\n[[steps]]\ntitle = "x"\npage = "playground"\ntext = "t"\n'
                  b'goal = "().__class__"\n'}])
    bad.get_by_text(re.compile(r"Step 1: An attribute")).wait_for(timeout=30_000)
    bad.locator(".st-key-lesson_card_class-7b").wait_for()                # and the page still serves
    b.assert_no_exception(bad)
    bad.close()
