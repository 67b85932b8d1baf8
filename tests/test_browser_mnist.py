"""Real Chromium on /mnist: a tiny course preset trains live (progress, curves, the design-flow chart), the test
shows the confusion matrix, then a digit drawn with the mouse is read."""
import re

import pytest
from playwright.sync_api import expect

from tests import browser as b

pytestmark = [pytest.mark.browser, pytest.mark.keras]

# ms for every wait: on the 2-core machine, loaded by the rest of the suite, the page's renderer stalls for tens of
# seconds (its first visit, TensorFlow's first run); Playwright's 30 s and wait_ready's 60 s were too short.
WAIT = 240_000
TESTED = '[data-testid="stMetric"]:has-text("test accuracy")'     # drawn only by the run after training ends


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
    page = b.open_page(chromium, server.url + "/mnist?preset=course-003&epochs=2", height=1400, timeout=WAIT)
    b.assert_no_exception(page)
    expect(page.locator('[data-testid="stCaptionContainer"]').first).to_contain_text("source: ", timeout=WAIT)
    assert page.locator('[data-testid="stMetric"]').first.inner_text().split()[-1] == "25,450"   # 784-32-10
    page.evaluate("""() => { window.__mostFrames = 0; setInterval(() => {     // the most frames any plot has painted
        for (const el of document.querySelectorAll('.nnplay-live-plot'))
            window.__mostFrames = Math.max(window.__mostFrames, Number(el.dataset.frames || 0)); }, 100); }""")
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_selector("text=/epoch \\d\\/2 · batch \\d+\\/225/")        # live progress
    page.wait_for_selector("text=Finished after")
    # The run that says "Finished after" ends with st.rerun(): READY also holds between it and the page's full
    # rerun, which alone draws step 4. Wait for that one to have finished.
    b.wait_drawn(page, TESTED, WAIT)
    plots = page.locator(".nnplay-live-plot")
    expect(plots).to_have_count(3, timeout=WAIT)                     # loss, accuracy, train vs validation loss
    page.wait_for_function("window.__mostFrames >= 2")   # redrawn while training (the end's rerun may draw anew)
    title = "Training vs validation loss"
    expect(plots.nth(2)).to_have_attribute("data-title", title, timeout=WAIT)        # absent while drawn anew
    accuracy = page.locator(TESTED).inner_text()
    assert float(re.search(r"([\d.]+)%", accuracy).group(1)) > 80
    confusion = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Confusion matrix")
    confusion.scroll_into_view_if_needed()
    expect(confusion).to_have_count(1, timeout=WAIT)
    expect(confusion.locator(".heatmaplayer, .hm, image").first).to_be_attached(timeout=WAIT)
    if "784-32-10" not in page.locator('[data-testid="stDataFrame"]').last.inner_text():
        expect(page.get_by_text("Compare runs")).to_have_count(1, timeout=WAIT)
    canvas = page.locator(".nnplay-canvas canvas")
    # The stroke goes to the canvas's coordinates: wait until images and charts drawn late above it stop
    # pushing it down, or part of the seven lands beside the canvas.
    b.wait_still(page, ".nnplay-canvas canvas", WAIT)
    canvas.scroll_into_view_if_needed()
    draw_seven(page, canvas)
    b.wait_drawn(page, '[data-testid="stMetric"]:has-text("the network reads")', WAIT)
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
