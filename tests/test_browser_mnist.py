"""Real Chromium on /mnist: a short run plays live, then a digit drawn with the mouse is read."""
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


def test_mnist_trains_live_and_reads_a_drawn_seven(server, chromium):
    page = b.open_page(chromium, server.url + "/mnist?epochs=2&n_train=4000", height=1400)
    b.assert_no_exception(page)
    assert "source: " in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_selector("text=Finished after", timeout=240_000)
    b.wait_ready(page)
    plots = page.locator(".nnplay-live-plot")
    assert plots.count() == 2
    assert int(plots.first.get_attribute("data-frames")) >= 2          # it was redrawn while training
    accuracy = page.locator('[data-testid="stMetric"]').first.inner_text()
    assert float(accuracy.split()[-1].rstrip("%")) > 80
    canvas = page.locator(".nnplay-canvas canvas")
    canvas.scroll_into_view_if_needed()
    draw_seven(page, canvas)
    page.wait_for_selector("text=the network reads", timeout=60_000)
    b.wait_ready(page)
    b.assert_no_exception(page)
    read = page.locator('[data-testid="stMetric"]').filter(has_text="the network reads").inner_text()
    assert read.split()[3] == "7", read
    assert not page.errors
    b.screenshot(page, "mnist")
    page.close()
