"""Real Chromium: the playground trains live, steps through one sample, and paints fast enough."""
import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

BOUNDARY = ".nnplay-live-plot[data-title^='epoch']"
FRAMES_JS = """
([selector, ms]) => new Promise(resolve => {
  const el = () => document.querySelector(selector);
  const count = () => Number((el() || {dataset: {frames: 0}}).dataset.frames);
  const paint = () => Number((el() || {dataset: {paintMs: 0}}).dataset.paintMs || 0);
  const f0 = count(), p0 = paint();
  setTimeout(() => resolve([count() - f0, paint() - p0]), ms);
})
"""


def boundary_png(page) -> bytes:
    return page.locator(BOUNDARY).screenshot()


def test_playground_trains_live_and_steps_through_one_sample(server, chromium):
    page = b.open_page(chromium, server.url + "/playground?preset=xor-model-3", height=2400)
    b.assert_no_exception(page)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    before = boundary_png(page)
    title = page.locator(BOUNDARY).get_attribute("data-title")
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_timeout(1500)
    during = boundary_png(page)
    assert during != before, "the heatmap must change while training"
    assert page.locator(BOUNDARY).get_attribute("data-title") != title
    page.get_by_text("Trained for all 1000 epochs.").wait_for(timeout=60_000)
    b.wait_ready(page)
    assert boundary_png(page) != during
    main = page.locator('[data-testid="stMain"]')
    assert "accuracy 100%" in page.locator(BOUNDARY).get_attribute("data-title")
    text = main.inner_text()
    assert "Forward propagation" in text and "Back-propagation" in text
    formulas = page.locator('[data-testid="stMain"] .katex')
    assert formulas.count() >= 8
    first = formulas.first.inner_text()
    assert "z" in first and "=" in first and any(ch.isdigit() for ch in first)
    page.get_by_role("button", name="Check the gradient with finite differences").click()
    # the check's sentence, not a comment of the PyTorch code (it says "they agree to ~ε")
    page.locator('[data-testid="stMarkdownContainer"] p').filter(has_text="they agree").wait_for(timeout=30_000)
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_playground_screenshot(server, chromium):
    """docs/screenshots/playground.png: the default set-up, trained until it separates the XOR cloud."""
    page = b.open_page(chromium, server.url + "/playground?speed=20", height=1700)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.train_until(page, BOUNDARY, "accuracy (9[5-9]|100)%", settle_ms=1500)
    b.assert_no_exception(page)
    b.screenshot(page, "playground")
    page.close()


def test_painted_frames_per_second(server, chromium, record_property):
    """Counts redraws of the decision boundary while training (recorded in docs/BENCHMARKS.md)."""
    page = b.open_page(chromium, server.url + "/playground?epochs=10000")
    page.wait_for_selector(BOUNDARY + " .main-svg")
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_timeout(1500)
    frames, paint_ms = page.evaluate(FRAMES_JS, [BOUNDARY, 5000])
    fps = frames / 5.0
    record_property("painted_fps", fps)
    print(f"playground: painted frames per second {fps:.1f}, mean paint {paint_ms / max(frames, 1):.1f} ms")
    assert fps > 2, "the page must update live while playing"
    page.close()
