"""Real Chromium: "Take it home". The modebar of a live figure saves a PNG at slide resolution (scale 2) and an
SVG (nncore/figures/style.py PLOTLY_CONFIG, views/ui/js/live_plot.js), on /playground and /regression; the
playground's ⬇ GIF downloads the run so far as a GIF Pillow reads."""
import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from tests import browser as b

pytestmark = pytest.mark.browser

BOUNDARY = ".nnplay-live-plot[data-title^='epoch']"
PNG_BUTTON = ".modebar-btn[data-title='Download plot as a PNG']"
SVG_BUTTON = ".modebar-btn[data-title='Download plot as an SVG']"


def download(page, plot, button: str) -> bytes:
    """Hover the figure ``plot`` (its modebar shows on hover), click ``button``, return the downloaded bytes."""
    figure = page.locator(plot).first
    figure.hover()
    with page.expect_download(timeout=30_000) as info:
        figure.locator(button).click()
    path = info.value.path()
    with open(path, "rb") as f:
        return f.read()


def check_png_and_svg(page, plot) -> None:
    page.wait_for_selector(plot + " .main-svg")
    width, height = page.locator(plot).first.evaluate("el => [el.clientWidth, el.clientHeight]")
    png = download(page, plot, PNG_BUTTON)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    image.load()
    assert abs(image.width - 2 * width) <= 4 and abs(image.height - 2 * height) <= 4, (image.size, width, height)
    svg = download(page, plot, SVG_BUTTON)
    root = ET.fromstring(svg.decode("utf-8"))
    assert root.tag.endswith("svg") and len(list(root.iter())) > 20
    assert b"<image" in svg or b"<path" in svg


def test_playground_figure_png_svg_and_the_run_as_gif(server, chromium):
    page = b.open_page(chromium, server.url + "/playground", timeout=60_000)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.train_until(page, BOUNDARY, "epoch ([2-9][0-9]|[1-9][0-9]{2,})", settle_ms=1500)
    check_png_and_svg(page, BOUNDARY)
    button = page.get_by_role("button", name="⬇ GIF of the run")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as info:
        button.click()
    assert info.value.suggested_filename == "nnplay-run.gif"
    with open(info.value.path(), "rb") as f:
        data = f.read()
    assert len(data) <= 5_000_000
    gif = Image.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.n_frames >= 3 and gif.size[0] == 2 * gif.size[1]
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_regression_figure_png_and_svg(server, chromium):
    page = b.open_page(chromium, server.url + "/regression", timeout=60_000)
    check_png_and_svg(page, ".nnplay-live-plot")
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_a_live_figure_carries_a_text_alternative_that_follows_the_run(server, chromium):
    """Issue 21: each live chart is a ``role="figure"`` whose ``aria-label`` says, in one sentence, its title and
    each line's latest value; after three epochs the cost chart reads the training cost nnplay computes."""
    import re

    from nncore.lessons import regression_lab as reg

    page = b.open_page(chromium, server.url + "/regression", timeout=60_000)
    cost = page.locator(".nnplay-live-plot[data-title^='Cost per epoch']")
    cost.wait_for()
    for _ in range(3):
        page.get_by_role("button", name="⏩ Epoch").click()
        b.wait_ready(page)
    page.wait_for_function("el => /train [0-9]/.test(el.getAttribute('aria-label') || '')", arg=cost.element_handle())
    assert cost.get_attribute("role") == "figure"
    label = cost.get_attribute("aria-label")
    _, run = reg.start(reg.Setup())
    for _ in range(3):
        run.until_epoch_end()
    shown = float(re.search(r"train ([0-9.e+-]+)", label).group(1))
    assert label.startswith("Cost per epoch") and abs(shown - run.train_losses[-1]) <= 0.006 * run.train_losses[-1], \
        (label, run.train_losses[-1])
    b.assert_no_exception(page)
    assert not page.errors
    page.close()
