"""The tab memory's hand-over (views/ui/tab_memory.py, views/ui/js/tab_memory.js): what a tab's document hands
its next document in cookies, read by the new session's first run; and, in real Chromium, that a new session
costs no rerun of its own (the answer it once sent undid a page link clicked just before it)."""
import base64
import json
import time

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg

from tests import browser as b
from views.ui.tab_memory import CHUNKS, COOKIE, MAX_BYTES, handed_over

CHUNK = 3000                        # js/tab_memory.js's chunk size


def as_the_tab_writes(kept: dict, chunk: int = CHUNK) -> dict:
    """The cookies js/tab_memory.js's handOver() writes for ``kept``: base64url of its UTF-8 JSON, unpadded."""
    text = base64.urlsafe_b64encode(json.dumps(kept).encode()).decode().rstrip("=")
    return {f"{COOKIE}.{i // chunk}": text[i:i + chunk] for i in range(0, len(text), chunk)}


def test_a_hand_over_reads_back_every_page_link():
    kept = {"regression": {"lr": "0.5", "mode": "stochastic"}, "mnist": {"batch_size": "8"}, "": {},
            "class": {"code": "ÉCOLE-7", "seat": "Ana"}}
    assert handed_over(as_the_tab_writes(kept)) == kept


def test_a_hand_over_in_several_cookies_is_read_in_order():
    kept = {f"page{i}": {"n1": str(i) * 50, "hidden": "tanh,relu,sigmoid"} for i in range(60)}
    cookies = as_the_tab_writes(kept)
    assert len(cookies) > 2
    assert handed_over(dict(reversed(list(cookies.items())))) == kept


@pytest.mark.parametrize("cookies", [
    {},                                                             # no hand-over: a new tab
    {f"{COOKIE}.0": "not base64 ✗"},                                # tampered
    {f"{COOKIE}.0": base64.urlsafe_b64encode(b"[1, 2]").decode()},  # JSON, but not page → link
    {f"{COOKIE}.0": base64.urlsafe_b64encode(b"\xff\xfe").decode()},  # not UTF-8
    {f"{COOKIE}.1": as_the_tab_writes({"mnist": {"a": "1"}})[f"{COOKIE}.0"]},  # chunk 0 missing
    {f"{COOKIE}.{i}": "A" * 3000 for i in range(CHUNKS)},            # larger than MAX_BYTES
])
def test_a_missing_or_tampered_hand_over_is_ignored(cookies):
    assert CHUNKS * 3000 > MAX_BYTES
    assert handed_over(cookies) == {}


def test_a_hand_over_keeps_only_page_links():
    kept = {"mnist": {"batch_size": "8"}, "oops": "a string", "long": {"x": "9" * 500}}
    assert handed_over(as_the_tab_writes(kept)) == {"mnist": {"batch_size": "8"}, "long": {"x": "9" * 200}}


# ---- in real Chromium ------------------------------------------------------------------------------------
def record_reruns(page):
    """Every rerun request the page's frontend sends: (time, page script hash)."""
    sent = []

    def on_ws(ws):
        def frame(payload):
            if isinstance(payload, (bytes, bytearray)):
                msg = BackMsg()
                msg.ParseFromString(payload)
                if msg.WhichOneof("type") == "rerun_script":
                    sent.append((time.time(), msg.rerun_script.page_script_hash))
        ws.on("framesent", frame)
    page.on("websocket", on_ws)
    return sent


def mounted(page):
    """Until the tab memory's component has run in this document (it took the hand-over over)."""
    page.wait_for_function("window.__nnplayTab && window.__nnplayTab.tookOver === true", timeout=60_000)


@pytest.mark.browser
def test_a_new_session_sends_one_run_and_a_page_link_is_never_undone(server, chromium):
    """A new session's first page costs one run: the tab memory sends nothing back (its answer, a rerun of the
    page the frontend showed, undid a page link clicked just before it: 3 of 17 on a busy machine). Then a
    reload: still one run, and the page link clicked at once opens its page."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        sent = record_reruns(page)
        page.goto(server.url + "/losses?loss=mae")
        b.wait_ready(page)
        mounted(page)
        page.wait_for_timeout(1500)
        assert len(sent) == 1, f"a new session sent {len(sent)} runs: {sent}"
        sent.clear()
        page.reload()
        b.wait_ready(page)
        mounted(page)
        page.wait_for_timeout(1500)
        assert len(sent) == 1, f"a reloaded session sent {len(sent)} runs: {sent}"
        page.locator('[data-testid="stSidebarNavLink"]', has_text="Perceptron").first.click()
        page.wait_for_url("**/perceptron*", timeout=60_000)
        expect(page.locator("h1").first).to_contain_text("Perceptron", timeout=60_000)
    finally:
        context.close()


@pytest.mark.browser
def test_a_reload_hands_the_tab_memory_over_and_no_other_tab_gets_it(server, chromium):
    """/mnist?batch_size=8 → sidebar → losses → reload → sidebar → MNIST: batch size 8 again (the hand-over);
    the cookies are gone once the reloaded document has drawn; a second tab opened then starts from defaults."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(server.url + "/mnist?batch_size=8")
        b.wait_ready(page)
        mounted(page)
        page.locator('[data-testid="stSidebarNavLink"]', has_text="Loss functions").first.click()
        page.wait_for_url("**/losses*", timeout=60_000)
        b.wait_ready(page)
        page.reload()
        b.wait_ready(page)
        mounted(page)
        assert COOKIE not in page.evaluate("document.cookie"), "the hand-over's cookies outlived their reading"
        page.locator('[data-testid="stSidebarNavLink"]', has_text="MNIST").first.click()
        page.wait_for_url("**/mnist?*batch_size=8*", timeout=60_000)
        second = context.new_page()
        second.goto(server.url + "/mnist")
        b.wait_ready(second)
        mounted(second)
        second.wait_for_timeout(1000)
        assert "batch_size" not in second.url, f"a second tab got the first tab's memory: {second.url}"
    finally:
        context.close()
