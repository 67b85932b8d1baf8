"""Real Chromium: the playground with 3 classes and with values; hovering the plane says what is there."""
import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

BOUNDARY = ".nnplay-live-plot[data-title^='epoch']"
NETWORK = ".nnplay-live-plot[data-title*='parameters']"


def hover_text(page, selector, fx, fy, tries: int = 3) -> str:
    """Move the mouse to (fx, fy) of the plot area (fractions) and return plotly's hover label.

    A plot that is being repainted may swap its svg under the mouse: then the move is tried again.
    """
    from playwright.sync_api import Error

    for attempt in range(tries):
        try:
            plot = page.locator(selector + " .main-svg").first
            plot.scroll_into_view_if_needed()
            box = plot.bounding_box()
            page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
            page.wait_for_timeout(300)
            return " ".join(t or "" for t in page.locator(selector + " .hoverlayer").all_text_contents())
        except Error:
            if attempt == tries - 1:
                raise
            page.wait_for_timeout(500)


def test_three_classes_hover_the_plane_and_a_neuron(server, chromium):
    page = b.open_page(chromium, server.url + "/playground?preset=spiral-3", height=2200)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.assert_no_exception(page)
    page.get_by_role("button", name="⏩ Epoch").click()
    b.wait_ready(page)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    # Near a point its label wins; the plane's sentence shows wherever there is no point (the corners).
    said = " | ".join(hover_text(page, BOUNDARY, fx, fy) for fx, fy in ((0.14, 0.15), (0.95, 0.85), (0.95, 0.15)))
    assert "the network says class" in said and "with p =" in said, said
    page.wait_for_selector(NETWORK + " .main-svg")
    assert "confusion matrix" in page.locator('[data-testid="stMain"]').inner_text() or \
        page.locator(".nnplay-live-plot[data-title^='confusion matrix']").count() >= 1
    page.get_by_role("button", name="▶ Train").click()
    # the boundary's title says the accuracy (while the rerun draws, its old element may still be beside it)
    page.wait_for_function("(sel) => [...document.querySelectorAll(sel)].some("
                           "e => (e.dataset.title || '').includes('accuracy'))", arg=BOUNDARY, timeout=30_000)
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_regression_plane_has_a_colour_bar_and_says_values(server, chromium):
    page = b.open_page(chromium, server.url + "/playground?preset=regression-plane", height=1800)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.assert_no_exception(page)
    assert page.locator(BOUNDARY + " .colorbar").count() == 1
    assert "R²" in page.locator(BOUNDARY).get_attribute("data-title")
    said = " | ".join(hover_text(page, BOUNDARY, fx, fy) for fx, fy in ((0.5, 0.5), (0.3, 0.4), (0.7, 0.6)))
    assert "the network says y =" in said, said
    assert not page.errors
    page.close()
