import pytest

from tests import browser as b


@pytest.fixture(scope="session")
def server():
    srv = b.Server()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        br = b.launch(p)
        yield br
        br.close()
