"""Nnplay's own Streamlit components: the live plot, the clickable plane, the digit canvas.

Each is a small components-v2 element whose JavaScript lives beside this file in ``js/`` (one file each).
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
from pathlib import Path
from typing import Sequence

import streamlit as st

from nncore.figures.style import PLOTLY_CONFIG, for_screen, steady_axes
from views.ui.fit import presenting

JS = Path(__file__).resolve().parent / "js"
_components = {}


# The shared JavaScript each component's own file is put after: js/plotly_loader.js loads plotly.js once per
# window, js/live_patch.js writes a live frame's moving parts into plotly's SVG.
PRELUDES = {"live_plot": ("plotly_loader.js", "live_patch.js"), "figure_svg": ("plotly_loader.js",)}


def component_js(name: str) -> str:
    """The JavaScript of the component ``nnplay_<name>``: its shared preludes, then ``js/<name>.js``."""
    return "".join((JS / f).read_text() for f in (*PRELUDES.get(name, ()), f"{name}.js"))


def _component(name: str):
    """The component ``nnplay_<name>`` made from ``component_js(name)`` (once per process)."""
    if name not in _components:
        if "plotly_loader.js" in PRELUDES.get(name, ()):
            _ensure_plotly_js()
        _components[name] = st.components.v2.component(f"nnplay_{name}", js=component_js(name), isolate_styles=False)
    return _components[name]

# ---- live plots ------------------------------------------------------------------------------------
# st.plotly_chart re-validates a figure in Python (~15 ms) and, because its element id hashes the
# spec, remounts the chart on every change. A live page instead sends plain figure dicts to this
# small component, which keeps one plotly div per key and calls Plotly.react on it: ~1 ms in
# Python, no remount, no flicker, zoom kept through layout.uirevision. plotly.js itself is the copy
# that ships inside the plotly package, served by Streamlit's static file serving. A frame that only
# moves what a run moves (words, images, lines, markers) is patched into plotly's SVG instead
# (js/live_patch.js, docs/ARCHITECTURE.md): under a millisecond where Plotly.react takes 10-30.
#
# Frames come in batches (ARCHITECTURE.md): one fragment rerun sends several frames, and the browser
# plays them at ``fps``. The server then reruns a few times a second per student instead of once
# per painted frame. A player that falls behind drops its oldest frames, so it never lags.


def _ensure_plotly_js() -> None:
    """Put plotly.js (from the installed plotly package) where Streamlit serves static files."""
    import plotly

    target = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "static",
                          "plotly.min.js")
    source = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    if not os.path.exists(target) or os.path.getsize(target) != os.path.getsize(source):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = f"{target}.{os.getpid()}.tmp"
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)


_NOT_JSON = re.compile(r"(?<=[\[,:])-?(?:NaN|Infinity)(?=[,\]}])")


def _json_bytes(value) -> bytes:
    """Compact JSON as UTF-8; a NaN or infinity that slipped into a figure becomes null (a gap)."""
    try:
        text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:
        text = _NOT_JSON.sub("null", json.dumps(value, separators=(",", ":")))
    return text.encode()


def without_repeats(frames: Sequence[dict]) -> list:
    """The frames, each trace that equals the one in the frame before it sent as null (the player takes it
    from that frame). Within a batch most traces do not move (points, hover layers, a network's edges
    between its newest frames): they cross the wire once per batch instead of once per frame."""
    out = list(frames[:1])
    for before, fig in zip(frames, frames[1:]):
        old, new = before.get("data") or [], fig.get("data") or []
        if len(old) == len(new):
            fig = {**fig, "data": [None if t is o or t == o else t for t, o in zip(new, old)]}
        out.append(fig)
    return out


def live_plot(figures, key: str, fps: float = 25, every: int = 1) -> None:
    """Draw a plain-dict plotly figure, or play a list of them at ``fps``, updating in place.

    ``every`` = k keeps every k-th frame of the list (counting back from the newest, which is always
    kept) and plays them at fps/k: a plot beside the page's main one repaints at half its rate, so
    the browser's one painting thread keeps up with the main one. One figure is the state now (a paused
    run, a slow figure): the player drops the frames it still has queued and paints it at once.
    """
    frames = [steady_axes(f) for f in (figures if isinstance(figures, list) else [figures])]   # growing x: steps
    if presenting():              # presentation mode: the figures' type grows with the page's
        frames = [for_screen(f, True) for f in frames]
    if every > 1:
        kept = frames[::-1][::every][::-1]            # every k-th, counting back from the newest
        fps = fps * len(kept) / len(frames)
        frames = kept
    height = frames[-1].get("layout", {}).get("height", 380)
    _component("live_plot")(data=live_payload(frames, fps), key=key, height=height)


def live_payload(frames: Sequence[dict], fps: float = 25) -> bytes:
    """What ``live_plot`` sends its JavaScript: the frames (repeated traces as null), the rate, whether this is the
    state now (one frame: drop what is still queued), and the modebar's config (⬇ PNG at scale 2, ⬇ SVG).

    As bytes, Streamlit forwards the payload untouched and hashes it once; a dict it would JSON-encode twice
    (the payload, then sorted again for the element's identity)."""
    return _json_bytes({"frames": without_repeats(frames), "fps": fps, "reset": len(frames) == 1,
                        "config": PLOTLY_CONFIG})


def figure(fig, key: str, where=st, **kwargs) -> None:
    """A static plotly figure (``go.Figure``) in ``where`` (``st``, a column, a tab): the modebar's camera saves
    a PNG at twice the screen's resolution (``PLOTLY_CONFIG``) and a second button an SVG (``figure_svg``,
    drawn once per page by the router), and in presentation mode its type grows as the live plots' does.
    Every page draws its static figures through here, never ``st.plotly_chart``."""
    if presenting():
        fig = for_screen(fig, True)
    where.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, **kwargs)


def figure_svg() -> None:
    """The invisible watcher that gives every static figure's modebar a "Download plot as an SVG" button
    (``js/figure_svg.js``); the router draws it once per page run."""
    _component("figure_svg")(data={}, key="_figure_svg", height=0)


# ---- drawing a digit: a 280×280 canvas (ten screen pixels per MNIST pixel), white ink on black ----------
def digit_canvas(key: str, pen: int = 20):
    """A drawing canvas; returns the drawing as PNG bytes once a stroke is made, else None."""
    import base64

    result = _component("digit_canvas")(data={"pen": pen}, key=key, default={"png": None}, height=330,
                                         width=300, on_png_change=lambda: None)
    url = getattr(result, "png", None)
    prefix = "data:image/png;base64,"
    if isinstance(url, str) and url.startswith(prefix):
        return base64.b64decode(url[len(prefix):])
    return None



# ---- clicking points onto the plane (playground: your own data) ----------------------------------------
def point_plane(points, extent, kind: str, key: str, size: int = 360) -> None:
    """A plane of ``extent`` showing ``points`` [(x₁, x₂, label), …]; a click stores {x1, x2, id} in
    ``st.session_state[key]['click']`` and reruns (``new_click(key)`` reads it once)."""
    _component("point_plane")(data={"points": [list(p) for p in points], "extent": list(extent), "kind": kind,
                                     "size": size},
                               key=key, default={"click": None}, height=size + 4, width=size + 4,
                               on_click_change=lambda: None)


def new_click(key: str):
    """The (x₁, x₂) of a click on ``point_plane(key=key)`` not taken before, else None."""
    state = st.session_state.get(key) or {}
    click = state.get("click") if hasattr(state, "get") else None
    seen = f"{key}_seen"
    if not isinstance(click, dict) or click.get("id") in (None, st.session_state.get(seen)):
        return None
    st.session_state[seen] = click["id"]
    try:
        x1, x2 = float(click["x1"]), float(click["x2"])
    except (KeyError, TypeError, ValueError):
        return None
    return (x1, x2) if math.isfinite(x1) and math.isfinite(x2) else None
