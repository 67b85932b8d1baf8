"""Painted frames per second in Chromium, per live page, while a run plays.

    python bench/painted_fps.py [--seconds 10] [--json out.json] [--before REV]

One server (``streamlit run app.py`` on a free loopback port), one Chromium tab per live page: the
page opens with a run long enough to outlast the window, ▶ is pressed, and after a 2 s warm-up every
``.nnplay-live-plot`` on the page is sampled at the start and end of the window. A plot's figures:
its painted frames per second (``dataset.frames``) and the time Plotly.react took per frame
(``dataset.paintMs / frames``). The live pages are the regression page and, when it exists,
the playground (``views/playground.py``); both use the same ``live_plot`` component, which plays
each rerun's batch of frames at 25 fps. Nothing is asserted; figures are printed (and written as
JSON with ``--json``). Each plot also tells the frames it received and dropped (its player fell two batches
behind) and the share it patched into plotly's SVG (js/live_patch.js) instead of redrawing with Plotly.react.

``--before REV`` first measures the same pages on the code of git revision REV (``git archive`` into a
temporary folder, its own server, the same Chromium), then on this checkout: before → after in one run,
as the machine is then (these machines are noisy: compare within a run, not across runs).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import browser as b  # noqa: E402

LIVE_PAGES = {       # page → a query that makes its run outlast the window
    "regression": "epochs=5000&early_stop=0.0&lr=0.01",
    "playground": "epochs=10000&data=spiral",
    "race": "epochs=10000",
}

SAMPLE_JS = """
() => Array.from(document.querySelectorAll('.nnplay-live-plot')).map((el) => {
  const holder = el.closest('[class*="st-key-"]');
  const key = holder ? (Array.from(holder.classList).find((c) => c.startsWith('st-key-')) || '').slice(7) : '';
  return { key, frames: Number(el.dataset.frames || 0), paintMs: Number(el.dataset.paintMs || 0),
           patched: Number(el.dataset.patched || 0), received: Number(el.dataset.received || 0),
           dropped: Number(el.dataset.dropped || 0) };
})
"""


def live_pages():
    return [p for p in LIVE_PAGES if (ROOT / "views" / f"{p}.py").exists()]


def measure_page(browser, server, name: str, seconds: float) -> dict:
    page = b.open_page(browser, f"{server.url}/{name}?{LIVE_PAGES[name]}")
    try:
        page.wait_for_selector(".nnplay-live-plot .main-svg", timeout=60_000)
        page.locator(f".st-key-{name}_play button").click()
        page.wait_for_timeout(2000)
        start = {p["key"]: p for p in page.evaluate(SAMPLE_JS)}
        page.wait_for_timeout(int(seconds * 1000))
        end = {p["key"]: p for p in page.evaluate(SAMPLE_JS)}
        b.assert_no_exception(page)
    finally:
        page.close()
    plots = {}
    for key, e in end.items():
        s = start.get(key, {"frames": 0, "paintMs": 0.0, "patched": 0, "received": 0, "dropped": 0})
        frames = e["frames"] - s["frames"]
        plots[key] = {"fps": frames / seconds, "received_fps": (e["received"] - s["received"]) / seconds,
                      "dropped_fps": (e["dropped"] - s["dropped"]) / seconds,
                      "paint_ms_per_frame": (e["paintMs"] - s["paintMs"]) / frames if frames else None,
                      "patched": (e["patched"] - s["patched"]) / frames if frames else None}
    return {"seconds": seconds, "plots": plots, "fps": max((p["fps"] for p in plots.values()), default=0.0)}


def measure(seconds: float, root: Path = ROOT) -> dict:
    from playwright.sync_api import sync_playwright

    server = b.Server(root=root)
    try:
        with sync_playwright() as p:
            browser = b.launch(p)
            try:
                return {name: measure_page(browser, server, name, seconds) for name in live_pages()}
            finally:
                browser.close()
    finally:
        server.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring window per page")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--before", default=None, metavar="REV", help="measure git revision REV first")
    args = parser.parse_args(argv)
    seconds = max(1.0, args.seconds)
    before = None
    if args.before:
        with tempfile.TemporaryDirectory(prefix="nnplay-before-") as old:
            archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
            before = measure(seconds, Path(old))
        show(before, f"before ({args.before})")
    results = measure(seconds)
    show(results, "after" if before else "")
    if args.json:
        out = {"before_rev": args.before, "before": before, "after": results} if before else results
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


def show(results: dict, label: str) -> None:
    if label:
        print(f"== {label}")
    for name, r in results.items():
        print(f"/{name}: {r['fps']:.1f} painted fps (fastest plot, {r['seconds']:.0f} s window; target 25)")
        for key, plot in r["plots"].items():
            ms = plot["paint_ms_per_frame"]
            print(f"  {key or '?':<14} {plot['fps']:5.1f} fps of {plot['received_fps']:4.1f} received "
                  f"({plot['dropped_fps']:.1f} dropped)   {ms:.1f} ms/frame, {plot['patched']:.0%} patched"
                  if ms is not None else f"  {key or '?':<14} {plot['fps']:5.1f} fps")


if __name__ == "__main__":
    sys.exit(main())
