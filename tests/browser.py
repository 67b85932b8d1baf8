"""Helpers for the browser tests: a real Streamlit server and real (Debian) Chromium via Playwright."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` on a free loopback port, stopped on exit (``root``: another checkout's app.py,
    for a bench that compares two versions of the code in one run)."""

    def __init__(self, extra_env=None, root=ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(extra_env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("streamlit exited:\n" + self.proc.stdout.read()) from None
                time.sleep(0.3)
        raise RuntimeError("streamlit did not become healthy in 60 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium.")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def open_page(browser, url, width=1400, height=1000, timeout=None):
    """A new page at ``url``, waited on until the app is connected and its script has finished. ``timeout``
    (ms), when given, is the page's default for every wait and action (a loaded machine: Playwright's 30 s)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    if timeout is not None:
        page.set_default_timeout(timeout)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    wait_ready(page, timeout or 60_000)
    page.errors = errors
    return page


def wait_ready(page, timeout=60_000):
    page.wait_for_selector(READY, timeout=timeout)


def wait_drawn(page, selector: str, timeout: int = 60_000):
    """Until ``selector`` (an element only the awaited run draws) is on the page and the script has finished.

    READY alone can match between two runs: a ``st.rerun()`` ends its run (notRunning) before the next one
    starts, and a first visit reruns once the tab's memory answers; on a loaded machine that gap is long."""
    page.wait_for_selector(selector, state="attached", timeout=timeout)
    wait_ready(page, timeout)


# True once the element is in place for good: every image loaded, no skeleton (a chart's or table's code still
# loading), every plotly chart drawn, and its box the same as at the previous poll. Images and charts that come
# in late grow the page above the element and push it down.
_STILL = """(sel) => {
    const el = document.querySelector(sel);
    const loading = [...document.images].some((i) => !i.complete)
        || document.querySelector('[data-testid="stSkeleton"]')
        || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].some((c) => !c.querySelector('.main-svg'));
    const r = el && el.getBoundingClientRect();
    const box = el && !loading && r.width > 0 ? [r.x, r.y, r.width, r.height].join() : null;
    const still = box !== null && window.__nnplayStillBox === box;
    window.__nnplayStillBox = box;
    return still;
}"""


def wait_still(page, selector: str, timeout: int = 60_000, poll_ms: int = 250):
    """Until the element ``selector`` stops moving (see _STILL): before the mouse acts at its coordinates."""
    page.evaluate("() => { window.__nnplayStillBox = null; }")
    page.wait_for_function(_STILL, arg=selector, polling=poll_ms, timeout=timeout)


def train_until(page, plot: str, title_pattern: str, settle_ms: int = 1000, timeout: int = 90_000):
    """▶ Train, wait until the live plot ``plot`` (a CSS selector) has a title matching the JS regex
    ``title_pattern``, ⏸ Pause, and let the page settle."""
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_function(f"() => {{ const el = document.querySelector(\"{plot}\"); "      # absent while redrawn
                           f"return !!el && /{title_pattern}/.test(el.dataset.title || ''); }}", timeout=timeout)
    page.get_by_role("button", name="⏸ Pause").click()
    wait_ready(page)
    page.wait_for_timeout(settle_ms)


def assert_no_exception(page):
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
