"""Real Chromium: every bundled lesson played from its first step to its last, as a student would: follow Next,
answer each prediction, press ▶ Train, read the ✓ (and the prediction's answer) in the lesson panel."""
import re

import pytest

from nncore.guide import lesson_file
from tests import browser as b

pytestmark = pytest.mark.browser
PANEL = ".st-key-lesson_panel"


def panel_text(page) -> str:
    return page.locator(PANEL).inner_text()


LIVE = ("regression", "playground", "race")


def play(page, lesson, screenshot_at=None, screenshot_name="", present=False):
    """Follow the lesson from step 1 to its end: answer, train on a live page, read the ✓, press Next."""
    n = len(lesson.steps)
    for k, step in enumerate(lesson.steps):
        page.locator(PANEL).get_by_text(f"step {k + 1} of {n}").wait_for()
        page.wait_for_url(re.compile(rf"/{step.page}\?.*step={k + 1}"))
        b.wait_ready(page)
        assert present == ("present=1" in page.url), page.url
        live = step.page in LIVE
        train = page.get_by_role("button", name="▶ Train")
        if step.prediction:
            if live:
                assert train.is_disabled(), "▶ Train waits for the prediction"
            page.locator(PANEL).get_by_text(step.prediction.choices[step.prediction.answer], exact=True).click()
            if live:
                page.locator(PANEL).get_by_text("Your answer is kept").wait_for()
            else:
                page.locator(PANEL).get_by_text("✓ Your prediction was right.").wait_for()
            b.wait_ready(page)
        if live:
            train.click()
        if step.goal:
            page.locator(PANEL).get_by_text("✓ Goal met").wait_for(timeout=180_000)
            assert step.goal.text in panel_text(page)
        if step.prediction:
            page.locator(PANEL).get_by_text("✓ Your prediction was right.").wait_for()
            assert step.prediction.why.split()[0] in panel_text(page)
        if k == screenshot_at:
            page.locator(PANEL).scroll_into_view_if_needed()
            b.screenshot(page, screenshot_name)
        b.assert_no_exception(page)
        page.locator(PANEL).get_by_role("button", name="Next →" if k + 1 < n else "Finish ✓").click()
    page.wait_for_url(re.compile(r"/lessons"))
    page.get_by_text(f"{n} of {n} steps done").wait_for()


def progress_link(lesson) -> str:
    """Every step done, each prediction answered right: ``004-regression:1c2.2c3.3c3.4c2``."""
    return lesson.name + ":" + ".".join(
        f"{k + 1}" + (f"c{step.prediction.answer + 1}" if step.prediction else "")
        for k, step in enumerate(lesson.steps))


def start(chromium, server, name, present=False):
    page = b.open_page(chromium, server.url + "/lessons" + ("?present=1" if present else ""), timeout=90_000)
    page.locator(f".st-key-lesson_card_{name}").get_by_role("button", name="▶ Start").click()
    return page


def test_lesson_004_from_first_step_to_last(server, chromium):
    lesson = lesson_file.bundled()["004-regression"]
    page = start(chromium, server, lesson.name)
    play(page, lesson, screenshot_at=0, screenshot_name="lesson-step-regression")
    code = page.locator('[data-testid="stCode"]').first.inner_text()
    assert f"/lessons?progress={progress_link(lesson)}" in code, code
    assert not page.errors
    page.close()


def test_lesson_003_in_presentation_mode_from_first_step_to_last(server, chromium):
    """The perceptron's steps (goals met by the step's own weights) and XOR Model 2 trained in the playground;
    presentation mode is kept by every Next."""
    lesson = lesson_file.bundled()["003-perceptron"]
    page = start(chromium, server, lesson.name, present=True)
    play(page, lesson, screenshot_at=len(lesson.steps) - 1, screenshot_name="lesson-step-playground-present",
         present=True)
    assert "present=1" in page.url
    assert not page.errors
    page.close()


SCREENSHOT_AT = {"001-libraries": ("playground", "lesson-step-playground"),
                 "002-neural-networks": ("race", "lesson-step-race")}


@pytest.mark.parametrize("name", ["000-tutorial", "001-libraries", "002-neural-networks"])
def test_lesson_from_first_step_to_last(server, chromium, name):
    """Lessons 000-002: the activations and losses pages (predictions only), regression runs with goals, the
    playground's design flow (001), the optimiser race (002) and the MNIST page's network (predictions)."""
    lesson = lesson_file.bundled()[name]
    where, shot = SCREENSHOT_AT.get(name, (None, ""))
    at = next((k for k, step in enumerate(lesson.steps) if step.page == where), None)
    page = start(chromium, server, lesson.name)
    play(page, lesson, screenshot_at=at, screenshot_name=shot)
    code = page.locator('[data-testid="stCode"]').first.inner_text()
    assert f"/lessons?progress={progress_link(lesson)}" in code, code
    assert not page.errors
    page.close()


def test_a_missed_goal_shows_a_cross_and_the_hint(server, chromium):
    """Step 2 asks for a diverged run; the course's α = 0.1 (set on the page) finishes without diverging."""
    step = lesson_file.bundled()["004-regression"].steps[1]
    page = b.open_page(chromium, server.url + "/regression?preset=Course+example+(course+004)&speed=50"
                       "&lesson=004-regression&step=2", timeout=90_000)
    page.locator(PANEL).get_by_text(step.prediction.choices[0], exact=True).click()
    page.locator(PANEL).get_by_text("Your answer is kept").wait_for()
    b.wait_ready(page)
    page.get_by_role("button", name="▶ Train").click()
    page.locator(PANEL).get_by_text("✗ Goal not met").wait_for(timeout=120_000)
    text = panel_text(page)
    assert step.hint in text and "✗ The answer:" in text
    b.assert_no_exception(page)
    page.close()
