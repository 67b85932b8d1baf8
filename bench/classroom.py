"""Classroom load: N students open a live page on one server and press Play, without N browsers.

Each simulated student speaks Streamlit's own websocket protocol, as the real frontend does:

1. GET the page's HTML (and, unless ``--no-assets``, the JS/CSS it references and plotly.js, as a cold
   browser would), GET ``/_stcore/health`` for the XSRF cookie, then open ``/_stcore/stream`` with
   ``["streamlit", <xsrf token>]`` as subprotocols (XSRF protection stays on).
2. Send ``BackMsg.rerun_script`` with the page's URL name and query string; read ``ForwardMsg``s
   (new_session, navigation, delta, auto_rerun, script_finished, ...) until the first run ends:
   that is the "first page" time.
3. Press the page's Play button: a rerun whose ``WidgetState`` has the button's element id (read from
   its delta) and ``trigger_value=True``.
4. Drive ``run_every`` fragments like the frontend's ``handleAutoRerun``: on ``auto_rerun`` start a
   ``setInterval`` that sends ``rerun_script(fragment_id, is_auto_rerun=True)``; a full run (a
   ``new_session`` without fragment ids) or ``stop_auto_rerun`` clears it.
5. Count the frames in each live-plot delta (a ``bidi_component`` whose JSON bytes are
   ``{"frames": [...], "fps": ...}``), and replay them through a model of the browser's player
   (paints one frame per 1/fps s, keeps at most max(2k, 4) queued), so "painted fps" is what
   ``.nnplay-live-plot``'s ``dataset.frames`` would count in a real tab.

A simulated student is an ideal client: it paints in no time, so its timer always fires every
0.2 s. Real tabs on a busy machine fire less often (``--chromium K`` opens K real Chromium tabs
beside the simulated students and reads their websocket traffic with the same counting code), so
the simulation is the heavier load.

Reported per N: painted fps per session (median, worst), live-plot updates/s, the longest gap
between updates, fragment runs/s over the server, server CPU (of one core; /proc), RSS (warm,
max, after everyone left), server CPU once everyone left, first-page time (HTML request → first
run finished, assets included), the same for one student who arrives while the rest train, kB/s.

Bounded: at most 100 sessions and 600 s of measuring; loopback servers only; every wait has a
deadline, and the run stops by itself. Without ``--url`` it starts its own server (``streamlit run
app.py``, the repo's .streamlit/config.toml; add options with ``--server-arg``) on a free loopback
port, a fresh one per N, and stops it.

    .venv/bin/python bench/classroom.py --sessions 1 10 30 --seconds 30 --page regression
    .venv/bin/python bench/classroom.py --url http://127.0.0.1:8501 --sessions 5 --markdown -
    .venv/bin/python bench/classroom.py --sessions 3 --chromium 2 --ramp 2     # cross-check
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import ipaddress
import json
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
MAX_SESSIONS = 100
MAX_SECONDS = 600
LIVE_PLOT = "nnplay_live_plot"


@dataclass(frozen=True)
class PageSpec:
    path: str                        # URL path of the page ("" is home)
    query: str                       # query string that makes a run last through the measurement
    play_key: str                    # the key of the page's Play button
    count_key: Optional[str] = None  # the live plot whose frames count (default: the first one drawn)
    dom_index: int = 0               # its position among the page's .nnplay-live-plot elements


PAGES = {
    # 5000 epochs of batch descent: one update per epoch, long enough for any window used here.
    "regression": PageSpec("regression", "epochs=5000&early_stop=0.0&lr=0.01", "regression_play", "reg_fit", 0),
    # The boundary gets every frame of a batch (the network every third).
    "playground": PageSpec("playground", "epochs=5000", "playground_play", "pg_boundary", 1),
}


# ---- the server --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnServer:
    """``streamlit run app.py`` on a free loopback port; ``stop()`` ends it (and only it)."""

    def __init__(self, extra_args=(), env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.devnull, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", *extra_args],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("streamlit did not listen within 60 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()


def check_loopback(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"refusing {url}: this bench only loads servers on loopback (127.0.0.0/8, ::1)")


def pid_listening_on(port: int) -> Optional[int]:
    """The pid of the local process listening on ``port`` (from /proc), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


class ProcStats:
    """CPU seconds and RSS of the server's process(es), summed, from /proc (no psutil)."""

    def __init__(self, pids):
        self.pids = [p for p in (pids if isinstance(pids, (list, tuple)) else [pids]) if p]
        self.tick = os.sysconf("SC_CLK_TCK")

    def cpu(self) -> Optional[float]:
        try:
            total = 0.0
            for pid in self.pids:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / self.tick
            return total if self.pids else None
        except OSError:
            return None

    def rss_mb(self) -> Optional[float]:
        try:
            total = 0.0
            for pid in self.pids:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
            return total if self.pids else None
        except OSError:
            return None


# ---- HTTP, just enough -------------------------------------------------------------------------------
async def http_get(host: str, port: int, path: str, timeout: float = 30, gzip: bool = False, source=None):
    """(status, headers, body) of one GET on a fresh connection (from loopback address ``source``)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(
        host, port, local_addr=(source, 0) if source else None), timeout)
    try:
        enc = "gzip, deflate, br" if gzip else "identity"
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
                     f"Accept-Encoding: {enc}\r\nUser-Agent: nnplay-classroom-bench\r\n\r\n".encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = [tuple(x.strip() for x in line.split(":", 1)) for line in lines[1:] if ":" in line]
    return status, headers, body


ASSET_RE = re.compile(r'(?:src|href)="\./(static/[^"]+\.(?:js|css|woff2))"')


async def fetch_assets(host, port, base, html: bytes, parallel: int = 6, source=None) -> int:
    """Fetch what a cold browser fetches for the page (its JS/CSS and plotly.js), 6 at a time."""
    paths = [base + p for p in ASSET_RE.findall(html.decode("utf-8", "replace"))]
    paths.append(base + "app/static/plotly.min.js")
    sem = asyncio.Semaphore(parallel)
    total = 0

    async def one(p):
        nonlocal total
        async with sem:
            _, _, body = await http_get(host, port, p, gzip=True, source=source)
            total += len(body)

    await asyncio.gather(*(one(p) for p in paths))
    return total


# ---- one simulated student ---------------------------------------------------------------------------
class Player:
    """The browser's live-plot player (views/ui/js/live_plot.js): one paint per 1/fps s, a capped queue."""

    def __init__(self):
        self.queue = 0
        self.next_t = 0.0
        self.painted: List[float] = []

    def advance(self, now: float, fps: float) -> None:
        while self.queue and self.next_t <= now:
            self.painted.append(self.next_t)
            self.queue -= 1
            self.next_t += 1.0 / fps

    def push(self, now: float, frames: int, fps: float) -> None:
        self.advance(now, fps)
        if self.queue == 0 and self.next_t < now:
            self.next_t = now
        self.queue = min(self.queue + frames, max(2 * frames, 4))


@dataclass
class Session:
    n: int
    url: str
    page: PageSpec
    assets: bool = True
    source: Optional[str] = None     # loopback address to connect from (127.0.<k>.1: one "classroom machine")
    # results
    first_page_s: Optional[float] = None
    connected: bool = False
    pressed_play: bool = False
    playing_since: Optional[float] = None
    errors: List[str] = field(default_factory=list)
    exceptions: List[str] = field(default_factory=list)
    deltas: List[float] = field(default_factory=list)            # arrival time of every delta
    plot_updates: Dict[str, List[tuple]] = field(default_factory=dict)   # key -> [(t, frames)]
    players: Dict[str, Player] = field(default_factory=dict)
    fragment_runs: List[float] = field(default_factory=list)     # start time of each fragment run
    reruns_sent: int = 0
    bytes_in: int = 0
    primary_key: Optional[str] = None
    last_title: str = ""

    def __post_init__(self):
        parts = urllib.parse.urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.base = (parts.path.rstrip("/") + "/") if parts.path else "/"
        self.ws = None
        self.query_string = self.page.query
        self.page_hash = ""
        self.timers: Dict[str, tuple] = {}
        self.widget_ids: Dict[str, str] = {}
        self.run_done = asyncio.Event()
        self.fps: Dict[str, float] = {}
        self.cache: Dict[str, bytes] = {}
        self.finished: List[tuple] = []
        self.trace: Optional[list] = None
        self.auto_sent: List[float] = []
        self.t_open = 0.0

    # -- sending
    async def send_rerun(self, fragment_id: str = "", auto: bool = False, trigger: Optional[str] = None):
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query_string
        if self.page_hash:
            rs.page_script_hash = self.page_hash
        else:
            rs.page_name = self.page.path
        if fragment_id:
            rs.fragment_id = fragment_id
        rs.is_auto_rerun = auto
        if trigger:
            ws_ = rs.widget_states.widgets.add()
            ws_.id = trigger
            ws_.trigger_value = True
        rs.cached_message_hashes.extend(self.cache)
        rs.context_info.timezone = "UTC"
        rs.context_info.locale = "en-US"
        rs.context_info.url = f"{self.url.rstrip('/')}/{self.page.path}"
        self.reruns_sent += 1
        if auto:
            self.auto_sent.append(asyncio.get_running_loop().time())
        await self.ws.send(msg.SerializeToString())

    async def _interval(self, fragment_id: str, interval: float):
        """The frontend's setInterval: a rerun request every ``interval`` s, whatever the server does."""
        loop = asyncio.get_running_loop()
        nxt = loop.time() + interval
        while True:
            await asyncio.sleep(max(0.0, nxt - loop.time()))
            nxt = max(nxt + interval, loop.time())
            await self.send_rerun(fragment_id, auto=True)

    def _clear_timer(self, fid):
        old = self.timers.pop(fid, None)
        if old:
            old[1].cancel()

    # -- receiving
    def _on_delta(self, fwd: ForwardMsg, now: float):
        self.deltas.append(now)
        d = fwd.delta
        if d.WhichOneof("type") == "new_element":
            self._on_element(d.new_element, d.new_element.WhichOneof("type"), now)

    def _on_element(self, el, kind: str, now: float):
        """One element the run drew (``kind``: its proto's type): buttons, exceptions, the live plots' frames."""
        if kind == "exception":
            self.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
        elif kind == "button":
            self.widget_ids[el.button.id.rsplit("-", 1)[-1]] = el.button.id
        elif kind == "bidi_component" and el.bidi_component.component_name.endswith(LIVE_PLOT):
            bc = el.bidi_component
            key = bc.id.rsplit("-", 1)[-1]
            try:        # live_plot sends JSON bytes (an older nnplay: the proto's JSON field)
                data = json.loads(bc.bytes if bc.WhichOneof("data") == "bytes" else bc.json)
            except ValueError:
                return
            frames = data.get("frames", [data]) if isinstance(data, dict) else []
            fps = float(data.get("fps", 25) or 25) if isinstance(data, dict) else 25.0
            self.plot_updates.setdefault(key, []).append((now, len(frames)))
            self.players.setdefault(key, Player()).push(now, len(frames), fps)
            self.fps[key] = fps
            if self.primary_key is None and key == (self.page.count_key or key):
                self.primary_key = key
            if key == self.primary_key and frames:
                title = ((frames[-1].get("layout") or {}).get("title") or {})
                self.last_title = title.get("text", "") if isinstance(title, dict) else str(title)

    async def _receive(self):
        loop = asyncio.get_running_loop()
        async for raw in self.ws:
            now = loop.time()
            self.bytes_in += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if self.trace is not None and len(self.trace) < 400:
                what = fwd.delta.WhichOneof("type") if kind == "delta" else ""
                self.trace.append((round(now - self.t_open, 3), kind, what))
            if kind == "ref_hash":          # a message we said we hold: replay it from our cache
                cached = self.cache.get(fwd.ref_hash)
                if cached is None:
                    self.errors.append(f"unknown ref_hash {fwd.ref_hash}")
                    continue
                fwd = ForwardMsg()
                fwd.ParseFromString(cached)
                kind = fwd.WhichOneof("type")
            elif fwd.metadata.cacheable and fwd.hash:
                self.cache[fwd.hash] = raw
            if kind == "delta":
                self._on_delta(fwd, now)
            elif kind == "new_session":
                if fwd.metadata.run.fragment_ids:
                    self.fragment_runs.append(now)
                else:                       # a full run: the frontend clears every timer
                    for fid in list(self.timers):
                        self._clear_timer(fid)
            elif kind == "navigation":
                if fwd.navigation.page_script_hash:
                    self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "auto_rerun":
                fid, interval = fwd.auto_rerun.fragment_id, fwd.auto_rerun.interval
                if fid and self.timers.get(fid, (None,))[0] != interval:
                    self._clear_timer(fid)
                    self.timers[fid] = (interval, asyncio.ensure_future(self._interval(fid, interval)))
            elif kind == "stop_auto_rerun":
                for fid in fwd.stop_auto_rerun.fragment_ids:
                    self._clear_timer(fid)
            elif kind == "script_finished":
                self.finished.append((now, fwd.script_finished))
                self.run_done.set()
            elif kind == "page_not_found":
                self.errors.append(f"page not found: {self.page.path}")

    # -- the student's day
    async def open(self, timeout: float = 60) -> None:
        """Load the page like a cold browser; ``first_page_s`` is HTML request → first run finished."""
        loop = asyncio.get_running_loop()
        t0 = self.t_open = loop.time()
        page_url = f"{self.base}{self.page.path}" + (f"?{self.query_string}" if self.query_string else "")
        status, _, html = await http_get(self.host, self.port, page_url, timeout, source=self.source)
        if status != 200:
            raise RuntimeError(f"GET {page_url}: HTTP {status}")
        self.stages = {"html": loop.time() - t0}
        if self.assets:
            await fetch_assets(self.host, self.port, self.base, html, source=self.source)
            self.stages["assets"] = loop.time() - t0
        _, headers, _ = await http_get(self.host, self.port, f"{self.base}_stcore/health", timeout,
                                       source=self.source)
        xsrf = next((v.split(";")[0].split("=", 1)[1] for k, v in headers
                     if k.lower() == "set-cookie" and v.startswith("_streamlit_xsrf=")), "")
        ws_url = f"ws://{self.host}:{self.port}{self.base}_stcore/stream"
        self.ws = await asyncio.wait_for(connect(
            ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"], max_size=None,
            origin=f"http://{self.host}:{self.port}", open_timeout=timeout,
            local_addr=(self.source, 0) if self.source else None,
            additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"} if xsrf else None), timeout)
        self.connected = True
        self.stages["ws"] = loop.time() - t0
        self._rx = asyncio.ensure_future(self._receive())
        self.run_done.clear()
        await self.send_rerun()
        await self._wait_run(timeout)
        self.first_page_s = loop.time() - t0

    async def _wait_run(self, timeout):
        done, _ = await asyncio.wait({asyncio.ensure_future(self.run_done.wait()), self._rx},
                                     timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if self._rx in done:
            raise RuntimeError(f"websocket closed: {self._rx.exception()!r}")
        if not self.run_done.is_set():
            raise TimeoutError(f"no script_finished within {timeout:.0f} s")

    async def press_play(self, timeout: float = 60) -> None:
        button = self.widget_ids.get(self.page.play_key)
        if button is None:
            raise RuntimeError(f"no button with key {self.page.play_key!r} on /{self.page.path}")
        self.run_done.clear()
        await self.send_rerun(trigger=button)
        self.pressed_play = True
        await self._wait_run(timeout)
        self.playing_since = asyncio.get_running_loop().time()
        if not self.timers:
            self.errors.append("no auto_rerun after pressing Play")

    async def close(self) -> None:
        for fid in list(self.timers):
            self._clear_timer(fid)
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:
                pass
        rx = getattr(self, "_rx", None)
        if rx is not None:
            rx.cancel()

    # -- what it saw in [t0, t1]
    def window(self, t0: float, t1: float) -> dict:
        span = t1 - t0
        key = self.primary_key
        updates = [u for u in self.plot_updates.get(key, []) if t0 <= u[0] <= t1]
        player = self.players.get(key)
        if player:
            player.advance(t1, self.fps.get(key, 25))
        painted = [t for t in (player.painted if player else []) if t0 <= t <= t1]
        times = [t0] + [u[0] for u in updates] + [t1]
        return {
            "painted_fps": len(painted) / span,
            "frames_per_s": sum(u[1] for u in updates) / span,
            "updates_per_s": len(updates) / span,
            "deltas_per_s": sum(t0 <= t <= t1 for t in self.deltas) / span,
            "fragment_runs_per_s": sum(t0 <= t <= t1 for t in self.fragment_runs) / span,
            "auto_reruns_sent_per_s": sum(t0 <= t <= t1 for t in self.auto_sent) / span,
            "max_gap_s": max(b - a for a, b in zip(times, times[1:])),
        }


# ---- real tabs, to cross-check the simulation --------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
FRAMES_JS = """(i) => { const d = (document.querySelectorAll('.nnplay-live-plot')[i] || {dataset: {}}).dataset;
                        return [Number(d.frames || 0), Number(d.paintMs || 0)]; }"""


class Tabs:
    """K real Chromium tabs (Playwright, Debian's chromium) that open the page and press Play."""

    def __init__(self, url: str, page: PageSpec, k: int):
        self.url, self.spec, self.k = url, page, k
        self.pages, self.errors = [], []
        self.taps: List[Session] = []   # each tab's websocket, read with the simulator's own counting

    def _tap(self, tab):
        """Decode the tab's websocket traffic exactly as a simulated session decodes its own."""
        loop = asyncio.get_running_loop()
        tap = Session(-1, self.url, self.spec)
        self.taps.append(tap)

        def received(payload):
            if isinstance(payload, (bytes, bytearray)):
                fwd = ForwardMsg()
                fwd.ParseFromString(bytes(payload))
                if fwd.WhichOneof("type") == "delta":
                    tap._on_delta(fwd, loop.time())

        def sent(payload):
            if isinstance(payload, (bytes, bytearray)):
                back = BackMsg()
                back.ParseFromString(bytes(payload))
                if back.WhichOneof("type") == "rerun_script" and back.rerun_script.is_auto_rerun:
                    tap.auto_sent.append(loop.time())

        tab.on("websocket", lambda ws: (ws.on("framereceived", received), ws.on("framesent", sent)))

    async def start(self):
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        self.browser = await self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(self.k):
            try:
                tab = await self.browser.new_page(viewport={"width": 1400, "height": 1000})
                self._tap(tab)
                query = f"?{self.spec.query}" if self.spec.query else ""
                await tab.goto(f"{self.url}/{self.spec.path}{query}", timeout=60_000)
                await tab.wait_for_selector(READY, timeout=60_000)
                await tab.wait_for_selector(".nnplay-live-plot .main-svg", timeout=60_000)
                await tab.get_by_role("button", name="▶ Train").click(timeout=30_000)
                self.pages.append(tab)
            except Exception as e:  # noqa: BLE001
                self.errors.append(f"chromium: {type(e).__name__}: {e}"[:300])

    async def frames(self) -> List[list]:
        """[frames painted, ms spent in Plotly.react] of the counted plot, per tab."""
        return [await tab.evaluate(FRAMES_JS, self.spec.dom_index) for tab in self.pages]

    async def stop(self):
        try:
            await asyncio.wait_for(self.browser.close(), 30)
        finally:
            await self._pw.stop()


# ---- one classroom -------------------------------------------------------------------------------------
async def classroom(url: str, page: PageSpec, sessions: int, seconds: float, ramp: float, think: float,
                    assets: bool, server_pid, seed: int = 0, log=print, chromium: int = 0,
                    sources: int = 0) -> dict:
    loop = asyncio.get_running_loop()
    proc = ProcStats(server_pid)
    rng = random.Random(seed)
    rss = {"start": proc.rss_mb()}
    # Warm up: "/" once (st.navigation takes over from a legacy pages/ folder), then the page itself.
    warm = Session(-1, url, PageSpec("", "", ""), assets=False)
    await warm.open()
    await warm.close()
    warm = Session(-1, url, page, assets=False)
    await warm.open()
    await warm.close()
    rss["warm"] = proc.rss_mb()

    def source(i):   # nginx's ip_hash keys on the first three octets: vary the third
        return f"127.0.{1 + i % sources}.1" if sources else None

    students = [Session(i, url, page, assets=assets, source=source(i)) for i in range(sessions)]
    rss_samples = []
    stop_sampling = asyncio.Event()

    async def sample():
        while not stop_sampling.is_set():
            r = proc.rss_mb()
            if r:
                rss_samples.append(r)
            try:
                await asyncio.wait_for(stop_sampling.wait(), 1.0)
            except asyncio.TimeoutError:
                pass

    sampler = asyncio.ensure_future(sample())

    async def student(s: Session):
        await asyncio.sleep(rng.uniform(0, ramp) if sessions > 1 else 0)
        try:
            await asyncio.wait_for(s.open(), 60)
            await asyncio.sleep(think)
            await asyncio.wait_for(s.press_play(), 60)
        except Exception as e:   # noqa: BLE001 - a student who failed is a result, not a crash
            s.errors.append(f"{type(e).__name__}: {e}"[:300])

    tabs = Tabs(url, page, chromium) if chromium else None
    await asyncio.gather(*(student(s) for s in students), *([tabs.start()] if tabs else []))
    settle = 2.0
    await asyncio.sleep(settle)
    tab_frames0 = await tabs.frames() if tabs else []
    t0, cpu0 = loop.time(), proc.cpu()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    bytes0 = [s.bytes_in for s in students]
    await asyncio.sleep(seconds)
    t1, cpu1 = loop.time(), proc.cpu()
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    kb_per_s = [(s.bytes_in - b) / 1e3 / (t1 - t0) for s, b in zip(students, bytes0) if s.playing_since]
    loadavg = Path("/proc/loadavg").read_text().split()[:3]
    tab_frames1 = await tabs.frames() if tabs else []
    tab_fps = [(b[0] - a[0]) / (t1 - t0) for a, b in zip(tab_frames0, tab_frames1)]
    tab_paint_ms = [(b[1] - a[1]) / max(1, b[0] - a[0]) for a, b in zip(tab_frames0, tab_frames1)]
    tab_windows = [t.window(t0, t1) for t in tabs.taps] if tabs else []
    if tabs:
        await tabs.stop()
    rss["loaded"] = proc.rss_mb()
    # A student who arrives late, while the rest are training.
    late = Session(sessions, url, page, assets=assets, source=source(sessions))
    late.trace = []
    try:
        await asyncio.wait_for(late.open(), 30)
    except Exception as e:  # noqa: BLE001
        late.errors.append(f"{type(e).__name__}: {e}"[:300])
    await late.close()
    windows = [s.window(t0, t1) for s in students if s.playing_since]
    per_session = [{"deltas": len(s.deltas), "last_delta": s.deltas[-1] - t0 if s.deltas else None,
                    "fragment_runs": len(s.fragment_runs), "finished": len(s.finished),
                    "last_finished": s.finished[-1][0] - t0 if s.finished else None,
                    "statuses": sorted({f[1] for f in s.finished}), "sent": s.reruns_sent,
                    "playing_since": s.playing_since - t0 if s.playing_since else None,
                    "first_page": s.first_page_s, "timers": len(s.timers)} for s in students]
    still_training = [s.last_title for s in students]
    await asyncio.gather(*(s.close() for s in students))
    # Tabs gone: the server must go quiet (no fragment runs for closed sessions).
    await asyncio.sleep(2.0)
    c0, q0 = proc.cpu(), loop.time()
    await asyncio.sleep(3.0)
    c1, q1 = proc.cpu(), loop.time()
    rss["after_leave"] = proc.rss_mb()
    stop_sampling.set()
    await sampler

    def col(name):
        return [w[name] for w in windows]

    def med(xs):
        return statistics.median(xs) if xs else float("nan")

    result = {
        "page": page.path, "sessions": sessions, "seconds": seconds, "ramp": ramp, "assets": assets,
        "playing": len(windows),
        "errors": [e for s in students + [late] for e in s.errors + s.exceptions] + (tabs.errors if tabs else []),
        "chromium_tabs": chromium, "chromium_painted_fps": tab_fps, "chromium_paint_ms": tab_paint_ms,
        "chromium_ws": tab_windows, "sim_auto_reruns_sent_per_s_median": med(col("auto_reruns_sent_per_s")),
        "painted_fps_median": med(col("painted_fps")), "painted_fps_worst": min(col("painted_fps"), default=0),
        "frames_per_s_median": med(col("frames_per_s")), "frames_per_s_worst": min(col("frames_per_s"), default=0),
        "updates_per_s_median": med(col("updates_per_s")), "updates_per_s_worst": min(col("updates_per_s"), default=0),
        "deltas_per_s_median": med(col("deltas_per_s")),
        "fragment_runs_per_s_total": sum(col("fragment_runs_per_s")),
        "max_gap_s_worst": max(col("max_gap_s"), default=float("nan")),
        "server_cpu_pct": (100 * (cpu1 - cpu0) / (t1 - t0)) if cpu0 is not None and cpu1 is not None else None,
        "server_cpu_after_leave_pct": (100 * (c1 - c0) / (q1 - q0)) if c0 is not None and c1 is not None else None,
        "bench_cpu_pct": 100 * ((ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)) / (t1 - t0),
        "rss_mb": {**rss, "max": max(rss_samples, default=None)},
        "first_page_s_median": med([s.first_page_s for s in students if s.first_page_s is not None]),
        "first_page_s_max": max((s.first_page_s for s in students if s.first_page_s is not None), default=None),
        "late_first_page_s": late.first_page_s,
        "kb_per_s_per_session_median": med(kb_per_s),
        "machine_loadavg": loadavg,
        "connected": sum(s.connected for s in students),
        "pressed_play": sum(s.pressed_play for s in students),
        "titles": still_training[:3],
        "per_session": per_session,
        "late_trace": late.trace,
        "late_stages": getattr(late, "stages", None),
        "stages_max": {k: max(getattr(s, "stages", {}).get(k, 0) for s in students) for k in ("html", "assets", "ws")},
    }
    log(f"N={sessions}: painted fps median {result['painted_fps_median']:.1f} worst {result['painted_fps_worst']:.1f}, "
        f"server CPU {fmt(result['server_cpu_pct'])}%, first page max {fmt(result['first_page_s_max'], 2)} s")
    return result


# ---- report --------------------------------------------------------------------------------------------
def fmt(x, digits=1):
    return "–" if x is None or x != x else f"{x:.{digits}f}"


HEADER = ("| N | painted fps/session median · worst | updates/s median · worst | worst gap s | fragment runs/s "
          "(server total) | server CPU % | bench CPU % | RSS MB warm → max → after leave | CPU % after leave | "
          "first page s median · max | late joiner s | kB/s/session | errors |")


def row(r: dict) -> str:
    m = r["rss_mb"]
    return (f"| {r['sessions']} | {fmt(r['painted_fps_median'])} · {fmt(r['painted_fps_worst'])} "
            f"| {fmt(r['updates_per_s_median'])} · {fmt(r['updates_per_s_worst'])} | {fmt(r['max_gap_s_worst'], 2)} "
            f"| {fmt(r['fragment_runs_per_s_total'])} | {fmt(r['server_cpu_pct'], 0)} | {fmt(r['bench_cpu_pct'], 0)} "
            f"| {fmt(m.get('warm'), 0)} → {fmt(m.get('max'), 0)} → {fmt(m.get('after_leave'), 0)} "
            f"| {fmt(r['server_cpu_after_leave_pct'], 0)} "
            f"| {fmt(r['first_page_s_median'], 2)} · {fmt(r['first_page_s_max'], 2)} "
            f"| {fmt(r['late_first_page_s'], 2)} "
            f"| {fmt(r['kb_per_s_per_session_median'], 0)} | {len(r['errors'])} |")


def markdown(results: List[dict], command: str) -> str:
    first = results[0]
    lines = [f"### /{first['page']}, {datetime.date.today().isoformat()} (`{command}`)", "",
             HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    lines += [row(r) for r in results]
    lines += ["", "Machine load average (1, 5, 15 min) at the end of each window: "
              + "; ".join(f"N={r['sessions']}: {' '.join(r['machine_loadavg'])}" for r in results) + "."]
    lines += [cross_check_text(r) for r in results if r["chromium_tabs"]]
    return "\n".join(lines) + "\n"


def cross_check_text(r: dict) -> str:
    def join(xs, d=1):
        return ", ".join(fmt(x, d) for x in xs)
    ws = r["chromium_ws"]
    return (f"\nCross-check (N={r['sessions']} simulated + {r['chromium_tabs']} Chromium tabs on the same server), "
            f"per session:\n"
            f"- auto-rerun requests sent/s: tabs {join(w['auto_reruns_sent_per_s'] for w in ws)}; "
            f"simulated median {fmt(r['sim_auto_reruns_sent_per_s_median'])}\n"
            f"- live-plot updates received/s: tabs {join(w['updates_per_s'] for w in ws)}; "
            f"simulated median {fmt(r['updates_per_s_median'])}\n"
            f"- frames received/s: tabs {join(w['frames_per_s'] for w in ws)}; "
            f"simulated median {fmt(r['frames_per_s_median'])}\n"
            f"- painted fps: tabs (dataset.frames) {join(r['chromium_painted_fps'])}, model of the player on the tabs' "
            f"streams {join(w['painted_fps'] for w in ws)}; simulated median {fmt(r['painted_fps_median'])}\n"
            f"- tabs' Plotly.react ms per painted frame: {join(r['chromium_paint_ms'], 0)}")


# ---- main ------------------------------------------------------------------------------------------------
def run(args) -> List[dict]:
    page = PAGES.get(args.page, PageSpec(args.page, "", f"{args.page}_play"))
    page = PageSpec(page.path, args.query if args.query is not None else page.query,
                    args.play_key or page.play_key, page.count_key, page.dom_index)
    results = []
    for n in args.sessions:
        server = proxy = None
        try:
            if args.url:
                url = args.url.rstrip("/")
                pid = args.server_pid or pid_listening_on(urllib.parse.urlsplit(url).port or 80)
            else:
                server = OwnServer(args.server_arg)
                url, pid = server.url, server.pid
                if args.nginx:       # deploy/nginx.conf in front (its static cache), as tests/nginx.py runs it
                    sys.path.insert(0, str(ROOT))
                    from tests import browser, nginx

                    proxy = nginx.Proxy([urllib.parse.urlsplit(url).netloc], browser.free_port())
                    url = proxy.url
            budget = args.seconds + args.ramp + args.think + 120
            results.append(asyncio.run(asyncio.wait_for(
                classroom(url, page, n, args.seconds, args.ramp, args.think, args.assets, pid, seed=n,
                          log=lambda *a: print(*a, file=sys.stderr), chromium=args.chromium,
                          sources=args.sources), budget)))
        finally:
            if proxy:
                proxy.stop()
            if server:
                server.stop()
    return results


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30], help="one or more N (≤ 100)")
    p.add_argument("--seconds", type=float, default=20, help="measuring window per N (≤ 600)")
    p.add_argument("--page", default="regression", help=f"one of {', '.join(PAGES)} (or any page name)")
    p.add_argument("--query", default=None, help="query string for the page (default: a long run)")
    p.add_argument("--play-key", default=None, help="key of the page's Play button")
    p.add_argument("--url", default=None, help="a running server on loopback (default: start one per N)")
    p.add_argument("--server-pid", type=int, nargs="+", default=None,
                   help="pid(s) of --url's server(s), summed (default: the listener on --url's port, from /proc)")
    p.add_argument("--nginx", action="store_true",
                   help="put deploy/nginx.conf (Debian's nginx, `make nginx`) in front of the server it starts")
    p.add_argument("--server-arg", action="append", default=[], help="extra `streamlit run` argument")
    p.add_argument("--ramp", type=float, default=10.0, help="students arrive uniformly over this many s")
    p.add_argument("--think", type=float, default=1.0, help="s between the first page and pressing Play")
    p.add_argument("--no-assets", dest="assets", action="store_false",
                   help="skip fetching the page's JS/CSS and plotly.js (a warm browser cache)")
    p.add_argument("--sources", type=int, default=0,
                   help="connect from this many loopback addresses 127.0.<k>.1 (for an ip_hash proxy in front of "
                        "replicas); default: 127.0.0.1 for all")
    p.add_argument("--chromium", type=int, default=0,
                   help="also open this many real Chromium tabs (≤ 5) and count their painted frames")
    p.add_argument("--markdown", default=None, help="write a markdown section to this file ('-' = stdout)")
    p.add_argument("--json", default=None, help="write the raw results as JSON to this file")
    args = p.parse_args(argv)
    if any(not 1 <= n <= MAX_SESSIONS for n in args.sessions):
        p.error(f"--sessions must be within 1..{MAX_SESSIONS}")
    if not 0 < args.seconds <= MAX_SECONDS or not 0 <= args.ramp <= 120 or not 0 <= args.think <= 30:
        p.error(f"--seconds must be within (0, {MAX_SECONDS}], --ramp ≤ 120, --think ≤ 30")
    if not 0 <= args.sources <= 250:
        p.error("--sources must be within 0..250")
    if not 0 <= args.chromium <= 5:
        p.error("--chromium must be within 0..5")
    if args.url:
        check_loopback(args.url)
    results = run(args)
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    for r in results:
        print(row(r))
        if r["chromium_tabs"]:
            print(cross_check_text(r))
        for e in r["errors"][:5]:
            print(f"  error (N={r['sessions']}): {e}")
    command = "python bench/classroom.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.markdown:
        text = markdown(results, command)
        if args.markdown == "-":
            print(text)
        else:
            with open(args.markdown, "a") as f:
                f.write(text + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0 if all(not r["errors"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
