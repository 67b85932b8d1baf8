"""Real Chromium: the regression page trains live and ends on the course's numbers."""
import json

import pytest

from tests import browser as b
from tests.test_training import course_script

pytestmark = pytest.mark.browser


def test_regression_trains_live_and_shows_the_final_numbers(server, chromium):
    page = b.open_page(chromium, server.url + "/regression")
    b.assert_no_exception(page)
    b.screenshot(page, "regression-start")
    page.wait_for_selector(".nnplay-live-plot .main-svg")
    first = page.evaluate(TITLE_JS)
    page.get_by_role("button", name="▶ Train").click()
    # The fit's title (epoch, update) changes while training: polled, not timed (a loaded machine is slow).
    page.wait_for_function(f"() => ({TITLE_JS})() !== {json.dumps(first)}", timeout=20_000)
    page.get_by_text("Trained for all 100 epochs.").wait_for(timeout=30_000)
    w, b_, _, _ = course_script()
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert f"{w:.6f}" in body and f"{b_:.6f}" in body
    b.assert_no_exception(page)
    assert not page.errors
    b.screenshot(page, "regression")
    page.close()


FPS_JS = """
(ms) => new Promise(resolve => {
  const frames = () => Number((document.querySelector('.nnplay-live-plot') || {dataset: {frames: 0}}).dataset.frames);
  const start = frames();
  setTimeout(() => resolve(frames() - start), ms);
})
"""
TITLE_JS = "() => (document.querySelector('.nnplay-live-plot') || {dataset: {}}).dataset.title"


def test_painted_frames_per_second(server, chromium, record_property):
    """Counts redraws of the fit chart while training (recorded, see docs/BENCHMARKS.md)."""
    page = b.open_page(chromium, server.url + "/regression?epochs=5000&early_stop=0.0&lr=0.01")
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_timeout(1000)
    frames = page.evaluate(FPS_JS, 5000)
    fps = frames / 5.0
    record_property("painted_fps", fps)
    print(f"painted frames per second: {fps:.1f}")
    assert fps > 2, "the page must update live while playing"
    # While playing, the fit's frames are patched into plotly's SVG (js/live_patch.js), not redrawn by plotly …
    fit = page.locator(".st-key-reg_fit .nnplay-live-plot")
    assert int(fit.get_attribute("data-patched") or 0) >= 0.5 * int(fit.get_attribute("data-frames")), \
        "the live fit is no longer patched: every frame costs a full Plotly.react"
    # … and once paused, plotly draws the newest frame itself, so hover tells the line's newest values.
    page.get_by_role("button", name="⏸ Pause").click()
    page.wait_for_timeout(2500)
    line, hover = page.evaluate("""() => { const gd = document.querySelector('.st-key-reg_fit .nnplay-live-plot');
      return [gd.data[2].y, gd.calcdata[2].map((c) => c.y)]; }""")
    assert line == hover
    page.close()
