"""Real Chromium on /mnist: a tiny course preset trains live (progress, curves, the design-flow chart), the test
shows the confusion matrix, then a digit drawn with the mouse is read."""
import re

import pytest

from tests import browser as b

pytestmark = [pytest.mark.browser, pytest.mark.keras]


def draw_seven(page, canvas):
    box = canvas.bounding_box()
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + 70, y0 + 60)
    page.mouse.down()
    for t in range(21):
        page.mouse.move(x0 + 70 + 7 * t, y0 + 60)
    for t in range(21):
        page.mouse.move(x0 + 210 - 4 * t, y0 + 60 + 9 * t)
    page.mouse.up()


def test_mnist_trains_a_course_preset_live_and_reads_a_drawn_seven(server, chromium):
    page = b.open_page(chromium, server.url + "/mnist?preset=course-003&epochs=2", height=1400)
    b.assert_no_exception(page)
    assert "source: " in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert page.locator('[data-testid="stMetric"]').first.inner_text().split()[-1] == "25,450"   # 784-32-10
    page.evaluate("""() => { window.__mostFrames = 0; setInterval(() => {     // the most frames any plot has painted
        for (const el of document.querySelectorAll('.nnplay-live-plot'))
            window.__mostFrames = Math.max(window.__mostFrames, Number(el.dataset.frames || 0)); }, 100); }""")
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_selector("text=/epoch \\d\\/2 · batch \\d+\\/225/", timeout=240_000)        # live progress
    page.wait_for_selector("text=Finished after", timeout=240_000)
    b.wait_ready(page)
    plots = page.locator(".nnplay-live-plot")
    assert plots.count() == 3                                        # loss, accuracy, train vs validation loss
    assert page.evaluate("window.__mostFrames") >= 2    # redrawn while training (the end's rerun may draw anew)
    assert plots.nth(2).get_attribute("data-title") == "Training vs validation loss"
    accuracy = page.locator('[data-testid="stMetric"]').filter(has_text="test accuracy").inner_text()
    assert float(re.search(r"([\d.]+)%", accuracy).group(1)) > 80
    confusion = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Confusion matrix")
    confusion.scroll_into_view_if_needed()
    assert confusion.count() == 1 and confusion.locator(".heatmaplayer, .hm, image").count() >= 1
    assert "784-32-10" in page.locator('[data-testid="stDataFrame"]').last.inner_text() or \
        page.get_by_text("Compare runs").count() == 1
    canvas = page.locator(".nnplay-canvas canvas")
    canvas.scroll_into_view_if_needed()
    draw_seven(page, canvas)
    page.wait_for_selector('[data-testid="stMetric"]:has-text("the network reads")', timeout=60_000)
    b.wait_ready(page)
    b.assert_no_exception(page)
    read = page.locator('[data-testid="stMetric"]').filter(has_text="the network reads").inner_text()
    assert read.split()[3] == "7", read
    assert not page.errors
    # the whole page in one picture: Streamlit scrolls an inner container, so grow the window to its height
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 9000)})
    page.wait_for_timeout(500)
    b.screenshot(page, "mnist")
    page.close()
