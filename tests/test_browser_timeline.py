"""Real Chromium: a paused playground run scrubbed back to epoch 10 shows epoch 10 (the numbers of a fresh run
stopped there), and "↺ Same start θ₀, new settings" trains again with a new α."""
import re

import pytest

from nncore.lessons import playground_lab as pg
from nncore.lessons import presets
from tests import browser as b

pytestmark = pytest.mark.browser

BOUNDARY = ".nnplay-live-plot[data-title^='epoch']"
SLIDER = '.st-key-pg_frame input[type="range"]'
SHOWING = re.compile(r"Showing epoch (\d+) · update (\d+)(?: \(θ₀\))?(?: · test cost ([0-9.]+))?")


def showing(page):
    text = page.locator('[data-testid="stCaptionContainer"]:has-text("Showing")').first.inner_text()
    m = SHOWING.search(text.replace("*", ""))
    assert m, text
    return int(m[1]), int(m[2]), float(m[3]) if m[3] else None


def fresh_run_at_epoch(epoch: int):
    """The page's default set-up, trained in this process and stopped at ``epoch``."""
    _, run = pg.start(presets.get(presets.DEFAULT).setup)
    for _ in range(epoch):
        run.until_epoch_end()
    return run


def test_scrub_back_to_epoch_10_then_same_start_with_a_new_alpha(server, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 2000})
    page.set_default_timeout(120_000)                 # the shared 2-core machine may be loaded
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/playground?speed=10")
    b.wait_ready(page, 120_000)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.train_until(page, BOUNDARY, "^epoch (1[4-9]|[2-9][0-9]) ", settle_ms=500)
    b.assert_no_exception(page)
    newest = showing(page)
    assert newest[0] >= 14
    thumb = page.locator(SLIDER)
    thumb.focus()
    page.keyboard.press("Home")                       # θ₀ …
    page.locator('[data-testid="stCaptionContainer"]:has-text("(θ₀)")').wait_for(timeout=30_000)
    page.locator(SLIDER).focus()
    for _ in range(40):                               # … then frame by frame to the end of epoch 10
        before = showing(page)
        if before[0] >= 10:
            break
        page.locator(SLIDER).focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(t) => [...document.querySelectorAll('[data-testid=stCaptionContainer]')].some("
                               "c => c.innerText.includes('Showing') && !c.innerText.includes(t))",
                               arg=f"update {before[1]} ")
        b.wait_ready(page)
    epoch, step, test_cost = showing(page)
    fresh = fresh_run_at_epoch(10)
    assert (epoch, step) == (10, fresh.step)
    assert test_cost == pytest.approx(fresh.val_losses[-1], abs=5e-7)          # the caption's 6 decimals
    title = page.locator(BOUNDARY).get_attribute("data-title")
    assert title.startswith("epoch 10 · ") and f"{pg.score_text(fresh)}" in title, title
    cost_title = page.locator(".nnplay-live-plot[data-title^='cost']").get_attribute("data-title")
    assert f"test {fresh.val_losses[-1]:.4f}" in cost_title, cost_title
    b.screenshot(page, "timeline")

    page.get_by_label("new α").click()                # ↺ Same start θ₀, new α = 0.03
    page.get_by_role("option", name="0.03", exact=True).click()
    b.wait_ready(page)
    page.get_by_role("button", name="↺ Same start θ₀, new settings").click()
    page.wait_for_url(re.compile(r"[?&]lr=0\.03\b"), timeout=60_000)      # the new run's link (its rerun's)
    b.wait_ready(page)
    b.train_until(page, BOUNDARY, "^epoch ([3-9]|[1-9][0-9]) ", settle_ms=500)
    b.assert_no_exception(page)
    assert "earlier: α = 0.1" in page.locator(".nnplay-live-plot[data-title^='cost']").inner_text()
    epoch, _, _ = showing(page)
    assert epoch >= 3
    assert not errors
    page.close()
