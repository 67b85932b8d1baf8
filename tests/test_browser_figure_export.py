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


def check_png_and_svg(page, plot, png_button: str = PNG_BUTTON) -> None:
    page.wait_for_selector(plot + " .main-svg")
    width, height = page.locator(plot).first.evaluate("el => [el.clientWidth, el.clientHeight]")
    png = download(page, plot, png_button)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    image.load()
    assert abs(image.width - 2 * width) <= 4 and abs(image.height - 2 * height) <= 4, (image.size, width, height)
    svg = download(page, plot, SVG_BUTTON)
    root = ET.fromstring(svg.decode("utf-8"))
    assert root.tag.endswith("svg") and len(list(root.iter())) > 20
    assert b"<image" in svg or b"<path" in svg


def check_gif(page, frames: int = 3) -> None:
    """⬇ GIF of the run downloads a GIF of at least ``frames`` frames, twice as wide as high, ≤ 5 MB."""
    button = page.get_by_role("button", name="⬇ GIF of the run")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as info:
        button.click()
    assert info.value.suggested_filename == "nnplay-run.gif"
    with open(info.value.path(), "rb") as f:
        data = f.read()
    assert len(data) <= 5_000_000
    gif = Image.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.n_frames >= frames and gif.size[0] == 2 * gif.size[1]


def test_playground_figure_png_svg_and_the_run_as_gif(server, chromium):
    page = b.open_page(chromium, server.url + "/playground", timeout=60_000)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.train_until(page, BOUNDARY, "epoch ([2-9][0-9]|[1-9][0-9]{2,})", settle_ms=1500)
    check_png_and_svg(page, BOUNDARY)
    check_gif(page)
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_regression_figure_png_and_svg_and_the_run_as_gif(server, chromium):
    page = b.open_page(chromium, server.url + "/regression", timeout=60_000)
    check_png_and_svg(page, ".nnplay-live-plot")
    fit = page.locator(".nnplay-live-plot[data-title^='epoch']")
    for k in (1, 2, 3):                       # three epochs: θ₀ and three epoch ends on the timeline
        page.get_by_role("button", name="⏩ Epoch").click()
        page.wait_for_function("([el, k]) => (el.dataset.title || '').startsWith(`epoch ${k} `)",
                               arg=[fit.element_handle(), k])
        b.wait_ready(page)
    check_gif(page, frames=4)
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_a_static_figure_saves_png_and_svg_too(server, chromium):
    """The fundamentals' static figures (``components.figure``: Streamlit's plotly chart): plotly's camera saves a
    PNG at scale 2, and ``js/figure_svg.js`` adds the SVG button beside it, also after the figure is redrawn."""
    page = b.open_page(chromium, server.url + "/activations", timeout=60_000)
    chart = '[data-testid="stPlotlyChart"]'
    camera = ".modebar-btn[data-title^='Download plot']:not([data-title='Download plot as an SVG'])"
    check_png_and_svg(page, chart, camera)
    svg = download(page, chart, SVG_BUTTON)
    assert b"<text" in svg                                  # the figure's own words came along
    page.reload()                                           # a new document: the watcher is installed again
    b.wait_ready(page)
    check_png_and_svg(page, chart, camera)
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_a_live_figure_carries_a_text_alternative_that_follows_the_run(server, chromium):
    """Issue 21: each live chart is a ``role="figure"`` whose ``aria-label`` says, in one sentence, its title and
    each line's latest value; after three epochs the cost chart reads the training cost nnplay computes."""
    import re

    from nncore.lessons import regression_lab as reg

    _, run = reg.start(reg.Setup())
    for _ in range(3):
        run.until_epoch_end()
    expected = run.train_losses[-1]
    page = b.open_page(chromium, server.url + "/regression", timeout=60_000)
    cost = page.locator(".nnplay-live-plot[data-title^='Cost per epoch']")
    cost.wait_for()
    fit = page.locator(".nnplay-live-plot[data-title^='epoch']")
    for k in range(1, 4):                    # each click's epoch drawn before the next click (a click in a run
        page.get_by_role("button", name="⏩ Epoch").click()       # that is still on its way may be folded in)
        page.wait_for_function("([el, k]) => (el.dataset.title || '').startsWith(`epoch ${k} `)",
                               arg=[fit.element_handle(), k])
        b.wait_ready(page)
    # the label follows the run: wait for the third epoch's cost (a frame may still be on its way), then check it
    try:
        page.wait_for_function(
            """([el, want]) => { const m = /train ([0-9.e+-]+)/.exec(el.getAttribute('aria-label') || '');
                                 return m && Math.abs(Number(m[1]) - want) <= 0.006 * want; }""",
            arg=[cost.element_handle(), expected], timeout=30_000)
    except Exception:
        pass                                  # the assertion below says what the label read
    assert cost.get_attribute("role") == "figure"
    label = cost.get_attribute("aria-label")
    shown = float(re.search(r"train ([0-9.e+-]+)", label).group(1))
    assert label.startswith("Cost per epoch") and abs(shown - expected) <= 0.006 * expected, (label, expected)
    b.assert_no_exception(page)
    assert not page.errors
    page.close()
