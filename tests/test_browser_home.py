"""Real Chromium against a real server: the home page renders without error."""
import pytest

from tests import browser as b

pytestmark = pytest.mark.browser


def test_home_page_renders_in_chromium(server, chromium):
    page = b.open_page(chromium, server.url + "/")
    b.assert_no_exception(page)
    assert "nnplay" in page.locator("h1").first.inner_text()
    # every page's link, drawn (Streamlit first shows page links as grey placeholders: the screenshot waits)
    main = page.get_by_test_id("stMain")
    for title in ("Perceptron", "Playground", "MNIST digits", "Class board"):
        main.get_by_role("link", name=title).first.wait_for(timeout=30_000)
    assert not page.errors
    b.screenshot(page, "home")
    page.close()
