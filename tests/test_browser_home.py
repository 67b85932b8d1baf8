"""Real Chromium against a real server: the home page renders without error."""
import pytest

from tests import browser as b

pytestmark = pytest.mark.browser


def test_home_page_renders_in_chromium(server, chromium):
    page = b.open_page(chromium, server.url + "/")
    b.assert_no_exception(page)
    assert "nnplay" in page.locator("h1").first.inner_text()
    assert not page.errors
    b.screenshot(page, "home")
    page.close()
