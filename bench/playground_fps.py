"""Painted frames per second of the playground's live plots, in real Chromium (results: docs/BENCHMARKS.md).

Starts ``streamlit run app.py``, opens /playground with each set-up, presses ▶ Train, waits 1.5 s, then
counts for ``--seconds`` how often each live plot repainted (``dataset.frames`` of its element, as
tests/test_browser_regression.py does) and its mean paint time (``dataset.paintMs``). Prints one
markdown row per set-up and plot. Usage: ``python bench/playground_fps.py [--seconds 5] [--rounds 3]``.

``--paint`` instead times one ``Plotly.react`` per figure in a bare page (no Streamlit, no server): what
each live figure costs the browser per frame, and what the boundary would cost drawn as a plotly
heatmap with a contour (the obvious way) instead of two small images.
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
    "largest (2 + 8×24 ReLU, 200 points)": "?layers=8&" + "&".join(f"n{i}=24" for i in range(1, 9)) +
                                           "&activation=relu&epochs=10000&lr=0.01",
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


REACT_JS = """
async (frames) => {
  const el = document.getElementById('plot');
  let prev = {keys: [], data: []}, times = [];
  for (const f of frames) {       // reuse unchanged traces, as the live-plot component does
    const keys = f.data.map((t) => JSON.stringify(t));
    f.data = f.data.map((t, i) => (prev.keys[i] === keys[i] ? prev.data[i] : t));
    prev = {keys, data: f.data};
    const t0 = performance.now();
    await Plotly.react(el, f.data, f.layout, {displayModeBar: false});
    times.push(performance.now() - t0);
  }
  Plotly.purge(el);
  return times;
}
"""


def paint_costs(browser, frames: int = 14):
    """Median ms of one Plotly.react per live figure of the default set-up, over ``frames`` training frames."""
    import tempfile

    from nncore.figures import playground_plots as fig
    from nncore.figures.style import DIVERGING
    from nncore.lessons import boundary, presets
    from nncore.lessons import playground_lab as pg

    setup = presets.get("playground").setup
    data, run = pg.start(setup)
    figs = {"decision boundary (2 PNGs + points)": [], "same as plotly heatmap + contour": [], "network": [],
            "hidden space": [], "cost": []}
    for _ in range(frames):
        run.advance(20)
        big = boundary.plane_maps(run.net, setup.features, data.extent, 40)
        d = fig.decision_boundary(big, data.x_train, data.y_train, data.x_test, data.y_test, title=f"epoch {run.epoch}")
        figs["decision boundary (2 PNGs + points)"].append(d)
        heat = {**d, "layout": {**d["layout"], "images": []}}
        z = big.output.round(3).tolist()
        heat["data"] = [dict(type="heatmap", x=big.xs.tolist(), y=big.ys.tolist(), z=z, zmin=0, zmax=1,
                             colorscale=DIVERGING, zsmooth="best"),
                        dict(type="contour", x=big.xs.tolist(), y=big.ys.tolist(), z=z, showscale=False,
                             contours=dict(start=0.5, end=0.5, size=1, coloring="none"))] + d["data"]
        figs["same as plotly heatmap + contour"].append(heat)
        small = boundary.plane_maps(run.net, setup.features, data.extent, 20)
        figs["network"].append(fig.network_diagram(run.net, ["x₁", "x₂"], small, title="network"))
        figs["hidden space"].append(fig.hidden_space(boundary.hidden_space(run.net, run.f_train, 2), data.y_train))
        figs["cost"].append(fig.cost_curves(run.epochs, run.train_losses, run.val_losses, title=f"{run.epoch}"))
    plotly_js = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "plotly.min.js")
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as f:
        f.write(f"<html><head><script src='file://{plotly_js}'></script></head><body>"
                "<div id='plot' style='width:600px;height:430px'></div></body></html>")
    page = browser.new_page(viewport={"width": 900, "height": 700})
    page.goto("file://" + f.name)
    page.wait_for_function("window.Plotly")
    print("| figure | one Plotly.react, median ms |")
    print("|---|---|")
    for name, frames_ in figs.items():
        times = page.evaluate(REACT_JS, frames_)[2:]          # the first ones build the plot
        print(f"| {name} | {statistics.median(times):.1f} |", flush=True)
    page.close()
    os.unlink(f.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--paint", action="store_true", help="time Plotly.react per figure, no server")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if args.paint:
        with sync_playwright() as p:
            browser = b.launch(p)
            paint_costs(browser)
            browser.close()
        return

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
