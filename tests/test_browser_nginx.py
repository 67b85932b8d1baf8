"""Two real app replicas behind nginx (deploy/nginx.conf, upstreams on loopback), real Chromium.

The page loads and connects through the proxy (its websocket is upgraded by nginx: a 101 in the
access log), every request of the session goes to one replica (sticky), and when that replica
stops, a new page is served by the other one. Streamlit's bundles and plotly.js come from nginx's
cache the second time.
"""
import re
import time
import urllib.request

import pytest

from tests import browser as b
from tests import nginx as ngx

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def replicas():
    started = []
    try:
        for _ in range(2):
            started.append(b.Server())
        yield started
    finally:
        for srv in started:
            srv.stop()


@pytest.fixture(scope="module")
def proxy(replicas):
    p = ngx.Proxy([f"127.0.0.1:{srv.port}" for srv in replicas], b.free_port())
    yield p
    p.stop()


def _log_lines(proxy, wanted, timeout=15):
    """Access-log lines once one matches ``wanted`` (nginx logs a websocket when it closes)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        lines = proxy.log().splitlines()
        if any(re.search(wanted, line) for line in lines):
            return lines
        time.sleep(0.2)
    raise AssertionError(f"no access-log line matches {wanted!r}:\n" + proxy.log())


def _open_home(chromium, proxy):
    page = b.open_page(chromium, proxy.url + "/")
    b.assert_no_exception(page)
    assert "nnplay" in page.locator("h1").first.inner_text()
    assert not page.errors, page.errors
    return page


def _fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read(), r.headers.get("X-Cache")


def test_static_files_are_served_from_nginx_cache_the_second_time(replicas, proxy):
    from views.ui.components import _ensure_plotly_js

    _ensure_plotly_js()                                   # what the first live plot of a server does
    index, _ = _fetch(proxy.url + "/")
    bundle = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', index)
    assert bundle, index[:500]
    for path in ("/" + bundle.group(1).decode(), "/app/static/plotly.min.js"):
        first, _ = _fetch(proxy.url + path)
        again, status = _fetch(proxy.url + path)
        assert again == first and len(again) > 100_000, path
        assert status == "HIT", (path, status)
        # nginx logs a request once it is done: wait for both lines of this path, then read the second.
        deadline = time.time() + 15
        while True:
            lines = [line for line in proxy.log().splitlines() if line.startswith(f"GET {path} 200 ")]
            if len(lines) >= 2 or time.time() > deadline:
                break
            time.sleep(0.1)
        assert len(lines) >= 2 and lines[-1].endswith("upstream=-"), lines     # no replica was asked


def test_a_session_works_through_nginx_sticks_to_one_replica_and_fails_over(replicas, proxy, chromium):
    with urllib.request.urlopen(proxy.url + "/_stcore/health", timeout=10) as r:
        assert r.read() == b"ok"
    start = len(proxy.log().splitlines())

    page = _open_home(chromium, proxy)
    page.close()
    lines = _log_lines(proxy, r"^GET /_stcore/stream 101 ")[start:]
    upstreams = {re.search(r"upstream=(\S+)", line).group(1) for line in lines} - {"-"}   # "-": from the cache
    ports = {srv.port for srv in replicas}
    assert len(upstreams) == 1, f"one session, one replica (ip_hash): {lines}"
    (served,) = upstreams
    assert int(served.rsplit(":", 1)[1]) in ports

    # The replica that served the session goes away: nginx sends the next page to the other one.
    gone = next(srv for srv in replicas if f"127.0.0.1:{srv.port}" == served)
    other = next(srv for srv in replicas if srv is not gone)
    gone.stop()
    start = len(proxy.log().splitlines())
    page = _open_home(chromium, proxy)
    page.close()
    lines = _log_lines(proxy, rf"^GET /_stcore/stream 101 upstream=127\.0\.0\.1:{other.port}$")[start:]
    assert any(f"127.0.0.1:{other.port}" in line for line in lines)
    assert "connect() failed" in proxy.log("error.log") or all(served not in line for line in lines)
