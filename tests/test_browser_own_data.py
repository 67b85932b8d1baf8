"""Real Chromium: the playground's own points are clicked onto the plane, then trained."""
from pathlib import Path

import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

PLANE = ".nnplay-plane"
BOUNDARY = ".nnplay-live-plot[data-title^='epoch']"


def click_at(page, x1, x2, extent=(-1.2, 1.2, -1.2, 1.2)):
    """A mouse click on the plane at the data point (x₁, x₂)."""
    box = page.locator(PLANE + " canvas").bounding_box()
    px = box["x"] + (x1 - extent[0]) / (extent[1] - extent[0]) * box["width"]
    py = box["y"] + (extent[3] - x2) / (extent[3] - extent[2]) * box["height"]
    page.mouse.click(px, py)
    b.wait_ready(page)


def test_three_clicked_points_train_and_show_on_the_boundary(server, chromium):
    """docs/screenshots/playground-own-data.png: three points clicked (two of class 1, one of class 0), trained."""
    page = b.open_page(chromium, server.url + "/playground?data=own&test_ratio=0.0&layers=0&lr=1.0", height=1800)
    b.assert_no_exception(page)
    page.locator(PLANE + " canvas").wait_for()
    click_at(page, 0.6, 0.6)
    page.locator(f"{PLANE}[data-points='1']").wait_for()
    click_at(page, -0.5, 0.4)
    page.locator(f"{PLANE}[data-points='2']").wait_for()
    page.get_by_text("0", exact=True).last.click()                 # class 0 for the next point
    b.wait_ready(page)
    click_at(page, -0.3, -0.7)
    page.locator(f"{PLANE}[data-points='3']").wait_for()
    main = page.locator('[data-testid="stMain"]')
    assert "Drawn: 3 points; labels: classes (0: 1, 1: 2)" in main.inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="⬇ CSV").click()
    rows = Path(download.value.path()).read_text().splitlines()
    assert rows[0] == "x1,x2,label" and [r.split(",")[2] for r in rows[1:]] == ["1", "1", "0"]
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.train_until(page, BOUNDARY, "accuracy 100%")
    b.assert_no_exception(page)
    assert not page.errors
    b.screenshot(page, "playground-own-data")
    page.close()
