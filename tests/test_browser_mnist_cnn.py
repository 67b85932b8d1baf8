"""Real Chromium on /mnist?preset=small-cnn: the CNN preset trains live on the bundled sample (progress, curves),
the test shows the confusion matrix and the learnt filters, then a digit drawn with the mouse shows the feature
maps of each convolution and one pixel's arithmetic. Two short epochs of 1,350 digits keep it near a minute."""
import re

import pytest

from tests import browser as b
from tests.test_browser_mnist import draw_seven

pytestmark = [pytest.mark.browser, pytest.mark.keras]


def test_the_cnn_preset_trains_live_and_shows_the_feature_maps_of_a_drawn_digit(server, chromium):
    page = b.open_page(chromium, server.url + "/mnist?preset=small-cnn&epochs=2&n_train=1500", height=1400)
    b.assert_no_exception(page)
    assert page.locator('[data-testid="stMetric"]').first.inner_text().split()[-1] == "12,810"
    assert page.get_by_text("28×28×1-Conv16(3×3)-Pool2-Conv32(3×3)-Pool2-Flatten-10").count() >= 1
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_selector("text=/epoch \\d\\/2 · batch \\d+\\/43/", timeout=120_000)         # 1,350 / 32 → 43
    page.wait_for_selector("text=Finished after", timeout=120_000)
    b.wait_ready(page)
    plots = page.locator(".nnplay-live-plot")
    assert plots.count() == 3
    assert plots.nth(0).get_attribute("data-title")
    accuracy = page.locator('[data-testid="stMetric"]').filter(has_text="test accuracy").inner_text()
    assert float(re.search(r"([\d.]+)%", accuracy).group(1)) > 50          # 1,350 digits, two epochs
    confusion = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Confusion matrix")
    confusion.scroll_into_view_if_needed()
    assert confusion.count() == 1 and confusion.locator(".heatmaplayer, .hm, image").count() >= 1
    assert page.get_by_text("16 filters of the first convolution").count() == 1
    runs = page.locator('[data-testid="stDataFrame"]').last
    runs.scroll_into_view_if_needed()
    canvas = page.locator(".nnplay-canvas canvas")
    canvas.scroll_into_view_if_needed()
    draw_seven(page, canvas)
    page.wait_for_selector("text=What the CNN sees in your digit", timeout=60_000)
    b.wait_ready(page)
    b.assert_no_exception(page)
    assert page.get_by_text("16 of its 16 maps, 26 × 26 each").count() == 1
    page.get_by_role("tab", name="3 · Conv2D 2 11×11×32").click()
    page.get_by_text("32 of its 32 maps, 11 × 11 each").wait_for(state="visible", timeout=10_000)
    page.get_by_text("One pixel of the first feature map").click()
    page.get_by_text("z = Σ patch × weights + b").wait_for(state="visible", timeout=30_000)
    assert not page.errors
    b.screenshot(page, "mnist-cnn")
