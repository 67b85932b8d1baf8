"""Painted frames per second of the playground's live plots, in real Chromium (results: docs/BENCHMARKS.md).

Starts ``streamlit run app.py``, opens /playground with each set-up, presses ▶ Train, waits 1.5 s, then
counts for ``--seconds`` how often each live plot repainted (``dataset.frames`` of its element, as
tests/test_browser_regression.py does) and its mean paint time (``dataset.paintMs``). Prints one
markdown row per set-up and plot. Usage: ``python bench/playground_fps.py [--seconds 5] [--rounds 3]``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests import browser as b  # noqa: E402

SETUPS = {
    "default (XOR cloud, 2-4-2-1 tanh)": "?epochs=10000",
    "course Model 3 (XOR, 2-3-1 ReLU)": "?preset=xor-model-3&epochs=10000",
    "spiral (2-8-8-6-1 tanh)": "?preset=spiral&epochs=10000",
    "largest (2 + 6×16 ReLU, 200 points)": "?layers=6&n1=16&n2=16&n3=16&n4=16&n5=16&n6=16&activation=relu&epochs=10000"
                                           "&lr=0.01",
}
COUNT_JS = """
(ms) => new Promise(resolve => {
  const read = () => Array.from(document.querySelectorAll('.nnplay-live-plot')).map(e => ({
    title: e.dataset.title || '', frames: Number(e.dataset.frames), paint: Number(e.dataset.paintMs || 0)}));
  const start = read();
  setTimeout(() => resolve(read().map((e, i) => ({title: e.title, frames: e.frames - start[i].frames,
                                                  paint: e.paint - start[i].paint}))), ms);
})
"""
NAMES = ["network", "decision boundary", "cost", "hidden space", "dead ReLUs"]


def measure(browser, url: str, seconds: float):
    page = b.open_page(browser, url, height=1600)
    page.wait_for_selector(".nnplay-live-plot .main-svg", timeout=60_000)
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_timeout(1500)
    counts = page.evaluate(COUNT_JS, int(seconds * 1000))
    page.close()
    return [(c["frames"] / seconds, c["paint"] / max(c["frames"], 1)) for c in counts]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = b.Server()
    try:
        with sync_playwright() as p:
            browser = b.launch(p)
            print("| set-up | plot | painted fps (median of rounds) | mean paint ms |")
            print("|---|---|---|---|")
            for label, query in SETUPS.items():
                rounds = [measure(browser, server.url + "/playground" + query, args.seconds)
                          for _ in range(args.rounds)]
                for i, name in enumerate(NAMES):
                    fps = statistics.median(r[i][0] for r in rounds)
                    paint = statistics.median(r[i][1] for r in rounds)
                    print(f"| {label} | {name} | {fps:.1f} | {paint:.1f} |", flush=True)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
