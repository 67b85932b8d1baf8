"""Cold start: from `streamlit run` to the first page ready in Chromium, nnplay vs a bare hello-world.

    python bench/cold_start.py [--rounds 3] [--json out.json]

Each round starts a fresh server for each app, alternating (bare, nnplay), on a free loopback port
with the same server flags, and times process start → ``/`` connected and its script finished in
Chromium (one browser, launched before timing; a new tab per measurement). The figure is the ratio
of the medians, nnplay / bare (goal ≤ 1.3×), measured in this one run.

After the first nnplay round's home page, the same server opens every other page, and the script
reports whether TensorFlow is loaded in the server process by then (its shared libraries mapped, read
from ``/proc/<pid>/maps``): it must not be before the MNIST page or the Keras toggle needs it.
Nothing is asserted; the figures are printed (and written as JSON with ``--json``).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import browser as b  # noqa: E402
from views.catalog import PAGES  # noqa: E402

HELLO = 'import streamlit as st\n\nst.write("Hello, world")\n'
FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--server.address", "127.0.0.1"]


def tensorflow_loaded(pid: int) -> bool:
    """Whether TensorFlow's libraries are mapped into process ``pid`` (i.e. it has been imported)."""
    with open(f"/proc/{pid}/maps") as f:
        return any("/tensorflow/" in line for line in f)


class Started:
    """``streamlit run <script>`` in ``cwd``; ``stop()`` ends this process only."""

    def __init__(self, script: str, cwd: Path):
        self.port = b.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port",
                                      str(self.port), *FLAGS], cwd=cwd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

    def wait_healthy(self, limit: float = 120.0) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("streamlit did not become healthy")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def first_page_ready(browser, script: str, cwd: Path, then=None) -> float:
    """Seconds from process start to ``/`` ready in a new tab; ``then(server, browser)`` runs after."""
    server = Started(script, cwd)
    try:
        server.wait_healthy()
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url + "/")
        b.wait_ready(page, timeout=120_000)
        seconds = time.perf_counter() - server.t0
        page.close()
        if then is not None:
            then(server, browser)
        return seconds
    finally:
        server.stop()


def tensorflow_per_page(server: Started, browser) -> dict:
    """Open every page after home, in catalog order (MNIST last); TensorFlow loaded after each?"""
    seen = {"/": tensorflow_loaded(server.proc.pid)}
    pages = sorted((p for p in PAGES if p.url), key=lambda p: p.url == "mnist")
    for info in pages:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server.url}/{info.url}")
        b.wait_ready(page, timeout=120_000)
        page.wait_for_timeout(500)        # a live fragment's first tick
        seen[f"/{info.url}"] = tensorflow_loaded(server.proc.pid)
        page.close()
    return seen


def measure(rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    times = {"bare": [], "nnplay": []}
    tf = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        Path(tmp, "hello.py").write_text(HELLO)
        browser = b.launch(p)
        try:
            first_page_ready(browser, "hello.py", Path(tmp))            # warm the disk cache for both
            first_page_ready(browser, "app.py", ROOT)
            for i in range(rounds):
                times["bare"].append(first_page_ready(browser, "hello.py", Path(tmp)))
                then = (lambda srv, br: tf.update(tensorflow_per_page(srv, br))) if i == 0 else None
                times["nnplay"].append(first_page_ready(browser, "app.py", ROOT, then))
                print(f"round {i + 1}: bare {times['bare'][-1]:.2f} s, nnplay {times['nnplay'][-1]:.2f} s",
                      file=sys.stderr)
        finally:
            browser.close()
    bare, nnplay = statistics.median(times["bare"]), statistics.median(times["nnplay"])
    return {"rounds": rounds, "bare_s": times["bare"], "nnplay_s": times["nnplay"], "bare_median_s": bare,
            "nnplay_median_s": nnplay, "ratio": nnplay / bare, "tensorflow_loaded_after": tf}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    r = measure(max(1, args.rounds))
    print(f"first page ready (median of {r['rounds']}): bare hello-world {r['bare_median_s']:.2f} s, "
          f"nnplay / {r['nnplay_median_s']:.2f} s; ratio {r['ratio']:.2f}× (goal ≤ 1.3×)")
    for path, loaded in r["tensorflow_loaded_after"].items():
        print(f"  after {path:<13} tensorflow {'LOADED' if loaded else 'not loaded'}")
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
