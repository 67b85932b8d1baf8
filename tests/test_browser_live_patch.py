"""Real Chromium: a live frame patched into plotly's SVG (views/ui/js/live_patch.js) looks as plotly draws it.

Each case plays a run's real frames (nnplay's own figure builders) through ``patchFrame``, falling back to
``Plotly.react`` where it says no, as js/live_plot.js does, then draws the last frame afresh with plotly
beside it: the two pictures must match, and most frames must have been patched (else the fast path is gone
and the test says so). Frames whose axes change must not be patched.
"""
import io
import json
from pathlib import Path

import numpy as np
import pytest

from nncore.figures import playground_plots, race_plots, regression_plots
from nncore.figures.style import steady_axes
from nncore.lessons import boundary
from nncore.lessons import race_lab as race
from nncore.lessons.surface import Surface
from views.ui.components import JS, _json_bytes, component_js, live_payload

pytestmark = pytest.mark.browser

ORIGIN = "http://nnplay.test"
PAGE = """<html><body style="margin:0;font-family:sans-serif">
<div id="patched" style="width:560px"></div><div id="fresh" style="width:560px"></div>
<div id="live" style="width:560px"></div>
<script src="plotly.min.js"></script><script src="live_patch.js"></script>
<script type="module">import play from '/live_plot.js'; window.livePlot = play;</script></body></html>"""

PLAY = """async (frames) => {
  const a = document.getElementById('patched');
  const b = document.getElementById('fresh');
  Plotly.purge(a); Plotly.purge(b);
  a.__shown = null; a.__staleTraces = new Set();
  const patched = [];
  for (const frame of frames) {
    const fig = JSON.parse(JSON.stringify(frame));
    const keys = fig.data.map((t) => JSON.stringify(t));
    if (patchFrame(a, fig, keys)) { patched.push(true); continue; }
    patched.push(false);
    const next = shown(fig, keys);
    await Plotly.react(a, withFreshTraces(a, fig.data), fig.layout);
    a.__shown = { ...next, fig: { ...fig, data: a.data } };
  }
  const last = JSON.parse(JSON.stringify(frames[frames.length - 1]));
  await Plotly.react(b, last.data, last.layout);
  // plotly's own copy follows the patches: an export or a zoom draws the newest frame
  const same = JSON.stringify(a.data.map((t) => [t.x, t.y])) === JSON.stringify(last.data.map((t) => [t.x, t.y]));
  return { patched, same, title: (a.querySelector('text.gtitle') || {}).textContent || '' };
}"""


@pytest.fixture(scope="module")
def page(chromium):
    import plotly

    files = {"/index.html": (PAGE.encode(), "text/html"),
             "/plotly.min.js": ((Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes(),
                                "text/javascript"),      # the copy live plots use (components._ensure_plotly_js)
             "/live_patch.js": ((JS / "live_patch.js").read_bytes(), "text/javascript"),
             "/live_plot.js": (component_js("live_plot").encode(), "text/javascript")}   # as Streamlit gets it
    pg = chromium.new_page(viewport={"width": 600, "height": 1400})
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.route(ORIGIN + "/**", lambda route: route.fulfill(
        body=files[route.request.url[len(ORIGIN):]][0], content_type=files[route.request.url[len(ORIGIN):]][1])
        if route.request.url[len(ORIGIN):] in files else route.fulfill(status=404))
    pg.goto(ORIGIN + "/index.html")
    pg.wait_for_function("() => window.Plotly && window.patchFrame && window.livePlot")
    pg.errors = errors
    yield pg
    assert not errors, errors
    pg.close()


def play(page, frames):
    """Play ``frames``; returns (which were patched, the patched picture, the fresh one, what the page says)."""
    from PIL import Image

    said = page.evaluate(PLAY, json.loads(_json_bytes(frames)))      # as live_plot sends them
    page.wait_for_timeout(200)                       # images decode
    shots = [np.asarray(Image.open(io.BytesIO(page.locator(f"#{which}").screenshot())).convert("RGB"), dtype=float)
             for which in ("patched", "fresh")]
    return said["patched"], shots[0], shots[1], said


def unlike(one, other) -> float:
    """The share of 4×4-pixel blocks whose colour differs visibly (a text moved by a subpixel does not count)."""
    assert one.shape == other.shape
    h, w = (one.shape[0] // 4) * 4, (one.shape[1] // 4) * 4
    blocks = lambda im: im[:h, :w].reshape(h // 4, 4, w // 4, 4, 3).mean(axis=(1, 3))   # noqa: E731
    return float((np.abs(blocks(one) - blocks(other)).sum(axis=-1) > 60).mean())


def fit_frames():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, 40)
    y = 2 * x + 1 + rng.normal(0, 0.2, 40)
    x_line = np.linspace(0, 1, 100)
    return [regression_plots.fit(x[:30], y[:30], x[30:], y[30:], x_line, w * x_line + b0,
                                 title=f"epoch {k} · update {k}")
            for k, (w, b0) in enumerate(zip(np.linspace(0.2, 1.9, 12), np.linspace(0.5, 1.1, 12)))]


def surface_frames():
    w = np.linspace(-1, 3, 41)
    bb = np.linspace(-1, 3, 41)
    surface = Surface(w, bb, (w[None, :] - 2) ** 2 + (bb[:, None] - 1) ** 2 + 0.1)
    path = np.stack([np.linspace(-0.5, 1.8, 30), np.linspace(2.5, 1.1, 30)], axis=1)
    return [regression_plots.cost_surface(surface, path[:k, 0], path[:k, 1],
                                          grad=[2 * (path[k - 1, 0] - 2), 2 * (path[k - 1, 1] - 1)], true_wb=(2, 1))
            for k in range(8, 30, 2)]


def race_frames():
    data, a_race = race.start(race.RaceSetup())
    frames = []
    for _ in range(8):
        for _ in range(5):
            a_race.advance(1)
        maps = [boundary.plane_maps(r.run.net, race.RaceSetup().setup.features, data.extent, 30) for r in a_race.racers]
        titles = [f"<b>{r.name}</b><br>α {r.lr:g} · J {r.final_loss or 0:.3g}" for r in a_race.racers]
        frames.append(race_plots.race_boundaries(maps, titles, data.x_train, data.y_train))
    return frames


def cost_frames(epochs):
    """The playground's cost chart at these epochs, its axes in steps as live_plot sends it."""
    e = list(range(1, max(epochs) + 1))                 # the run's epochs: Python ints, as the engine keeps them
    train = [0.7 * np.exp(-k / 40) + 0.05 for k in e]
    test = [0.75 * np.exp(-k / 45) + 0.07 for k in e]
    return [steady_axes(playground_plots.cost_curves(e[:n], train[:n], test[:n], title=f"training {train[n - 1]:.4f}"))
            for n in epochs]


def regression_cost_frames():
    """/regression's cost chart in batch descent: its per-update trace is only in the legend (nothing to move)."""
    e = list(range(1, 80))
    cost = [0.5 * np.exp(-k / 30) + 0.02 for k in e]
    return [steady_axes(regression_plots.cost_curves(1, e[:n], cost[:n], e[:n], cost[:n], [c * 1.1 for c in cost[:n]],
                                                     log_y=True, show_steps=False)) for n in range(64, 79, 2)]


@pytest.mark.parametrize("name, frames, min_patched", [
    ("fit: the line and the title", fit_frames, 10),
    ("cost surface: the path, the now marker and the −∇J arrow", surface_frames, 9),
    ("race: six boundaries' images and their panel titles", race_frames, 6),
    ("cost curves within one step of the x axis", lambda: cost_frames(range(62, 80, 2)), 7),
    ("log cost curves, one trace only in the legend", regression_cost_frames, 6),
])
def test_a_patched_frame_looks_as_plotly_draws_it(page, name, frames, min_patched):
    patched, mine, plotly_own, said = play(page, frames())
    assert sum(patched) >= min_patched, (name, patched)
    assert said["same"], name
    assert unlike(mine, plotly_own) < 0.002, (name, unlike(mine, plotly_own))


def test_a_frame_whose_axes_change_is_drawn_by_plotly(page):
    patched, mine, plotly_own, _ = play(page, cost_frames([50, 55, 61, 70]))   # x: 0-50, 0-60, 0-80
    assert patched == [False, False, False, True], patched
    assert unlike(mine, plotly_own) < 0.002


def test_the_live_plot_patches_a_playing_batch_and_lets_plotly_draw_it_once_paused(page):
    """The component itself (js/live_plot.js as Streamlit gets it): a batch of the fit's frames plays patched;
    when no frame has come for a second, plotly draws the newest frame, so hover (plotly's calcdata) tells
    the newest line, not the one of the batch's first frame."""
    frames = fit_frames()
    page.evaluate("(text) => window.livePlot({ data: text, parentElement: document.getElementById('live') })",
                  live_payload(frames).decode())
    plot = page.locator("#live .nnplay-live-plot")
    page.wait_for_function("() => Number(document.querySelector('#live .nnplay-live-plot').dataset.frames) === 12")
    assert int(plot.get_attribute("data-patched")) == 11                      # all but the first
    assert plot.get_attribute("data-title") == "epoch 11 · update 11"
    line = "() => { const gd = document.querySelector('#live .nnplay-live-plot'); " \
           "return [gd.data[2].y, gd.calcdata[2].map((c) => c.y)]; }"
    page.wait_for_timeout(1500)
    drawn, hover = page.evaluate(line)
    assert drawn == json.loads(_json_bytes(frames[-1]["data"][2]["y"])) == hover
