"""Real Chromium: the live pages' keyboard shortcuts (views/ui/shortcuts.py, issue 21) press the run's own buttons:
. one update, E to the end of the epoch, 0 reset, K play and pause; a key typed into a field is left alone."""
import re

import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

FIT = ".nnplay-live-plot[data-title^='epoch']"         # regression's fit: "epoch E · update U"


def count(page) -> tuple:
    title = page.locator(FIT).get_attribute("data-title")
    epoch, update = re.search(r"epoch ([\d,]+) · update ([\d,]+)", title).groups()
    return int(epoch.replace(",", "")), int(update.replace(",", ""))


def press(page, key: str, expect: tuple) -> None:
    page.keyboard.press(key)
    b.wait_ready(page)
    page.wait_for_function(f"() => (document.querySelector({FIT!r}) || {{}}).dataset?.title?.startsWith("
                           f"'epoch {expect[0]} · update {expect[1]}')")
    assert count(page) == expect


def test_keys_step_epoch_reset_and_play_pause_the_regression_run(server, chromium):
    page = b.open_page(chromium, server.url + "/regression", timeout=60_000)
    page.wait_for_selector(FIT)
    assert "Keys: K or Space" in page.locator('[data-testid="stMain"]').inner_text()
    page.locator("h1").first.click()                  # nothing focused: the keys go to the page
    assert count(page) == (0, 0)
    press(page, ".", (1, 1))                          # batch descent: one update is one epoch
    press(page, "e", (2, 2))
    press(page, "0", (0, 0))
    # a key typed into a field is the field's: no update
    field = page.locator('[data-testid="stSidebar"] input[type="number"]').first
    field.click()
    page.keyboard.press(".")
    page.keyboard.press("0")
    page.locator("h1").first.click()
    b.wait_ready(page)
    assert count(page) == (0, 0)
    # K plays, K pauses
    page.keyboard.press("k")
    page.get_by_role("button", name="⏸ Pause").wait_for()
    page.wait_for_function(f"() => !document.querySelector({FIT!r}).dataset.title.startsWith('epoch 0 ')")
    page.keyboard.press("k")
    page.get_by_role("button", name="▶ Train").wait_for()
    b.wait_ready(page)
    paused = count(page)
    assert paused[1] > 0
    page.wait_for_timeout(1500)
    assert count(page) == paused, "K paused the run"
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_k_trains_and_stops_the_mnist_run(server, chromium):
    """On /mnist, K or Space is ▶ Train when nothing trains and ⏹ Stop while it does (its own two buttons)."""
    page = b.open_page(chromium, server.url + "/mnist?hidden=16&epochs=20&n_train=2000&batch_size=8", timeout=120_000)
    assert "Keys: K or Space ▶ Train / ⏹ Stop" in page.locator('[data-testid="stMain"]').inner_text()
    train = page.locator(".st-key-mnist_train button").first
    stop = page.locator(".st-key-mnist_stop button").first
    assert train.is_enabled() and stop.is_disabled()
    page.locator("h1").first.click()                  # nothing focused: the keys go to the page
    page.keyboard.press("k")
    page.wait_for_function("() => !document.querySelector('.st-key-mnist_stop button').disabled", timeout=120_000)
    page.keyboard.press(" ")
    page.get_by_text("You pressed ⏹ Stop").first.wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('.st-key-mnist_train button').disabled", timeout=120_000)
    assert stop.is_disabled()
    b.assert_no_exception(page)
    assert not page.errors
    page.close()
