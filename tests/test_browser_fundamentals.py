"""Real Chromium against a real server: the Fundamentals pages open through the app's router,
react to a click, and leave a screenshot in docs/screenshots/."""
import pytest
from playwright.sync_api import expect

from tests import browser as b

pytestmark = pytest.mark.browser

WAIT = 60_000        # ms: a busy 2-core machine can take a while to load a chart's code
PAGES = [("perceptron", "Perceptron"), ("activations", "Activation functions"), ("losses", "Loss functions")]


def wait_for_figures(page):
    """Until every element is drawn: the app shows skeletons while it loads a chart's or table's code."""
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=WAIT)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(timeout=WAIT)


def screenshot_whole_page(page, name):
    """The app scrolls inside its main block, so grow the window to the page's height first."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": height + 40})
    b.wait_ready(page)
    wait_for_figures(page)
    b.screenshot(page, name)


@pytest.mark.parametrize("url, title", PAGES)
def test_fundamentals_page_opens_from_the_navigation(server, chromium, url, title):
    page = b.open_page(chromium, server.url + "/")
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_contain_text("Fundamentals", timeout=WAIT)
    nav.locator('[data-testid="stSidebarNavLink"]', has_text=title).first.click()
    page.wait_for_url(f"**/{url}*", timeout=WAIT)
    expect(page.locator("h1").first).to_contain_text(title, timeout=WAIT)
    b.wait_ready(page)
    wait_for_figures(page)
    b.assert_no_exception(page)
    assert page.locator('[data-testid="stAlert"]', has_text="link sets").count() == 0
    assert not page.errors
    screenshot_whole_page(page, url)
    page.close()


def test_xor_training_in_the_browser_explains_why_and_links_the_playground(server, chromium):
    page = b.open_page(chromium, server.url + "/perceptron?gate=XOR")
    expect(page.get_by_text("XOR is not linearly separable")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Train until all rows are right").click()
    expect(page.get_by_text("and it never will")).to_be_visible(timeout=WAIT)
    link = page.locator('a[href*="preset=xor-model-1"]')
    assert link.count() >= 1
    b.assert_no_exception(page)
    assert not page.errors
    page.close()


def test_festival_preset_button_shows_the_course_conclusion(server, chromium):
    page = b.open_page(chromium, server.url + "/perceptron")
    page.get_by_role("button", name="w₃ = 10 · threshold 11").click()
    expect(page.get_by_text("Fear of dying of thirst dominates")).to_be_visible(timeout=WAIT)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_contain_text("No", timeout=WAIT)
    assert "w3=10.0" in page.url and "threshold=11.0" in page.url      # the link holds the state
    b.assert_no_exception(page)
    page.close()


def test_outlier_slider_moves_mse_in_the_browser(server, chromium):
    page = b.open_page(chromium, server.url + "/losses")
    mse = page.locator('[data-testid="stMetric"]', has_text="MSE").first.locator('[data-testid="stMetricValue"]')
    before = mse.inner_text()
    slider = page.get_by_role("slider", name="outlier: add a sample that ŷ misses by")
    slider.focus()
    slider.press("End")
    expect(mse).not_to_have_text(before, timeout=WAIT)
    page.wait_for_url("**outlier=20**", timeout=WAIT)   # the link follows once the rerun has finished
    b.assert_no_exception(page)
    page.close()
