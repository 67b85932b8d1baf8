"""Colours and layout shared by every figure: readable on a projector."""
import math

import plotly.graph_objects as go

# Colour-blind safe (tests/test_palette.py simulates protan-, deutan- and tritanopia and checks that every two
# colours of a palette stay apart, ΔE ≥ 20 in CIELAB): TF Playground's orange and blue first, then Paul Tol's
# wine, indigo and sand. The old set's blue and purple were the same colour to a protanope (ΔE 1.2).
CLASS_COLORS = ["#f59322", "#0877bd", "#882255", "#332288", "#ddcc77"]
# Lines told apart by their legend (the race's racers, regression's compared runs): Okabe-Ito and Tol, ΔE ≥ 20.
SERIES_COLORS = ["#0072b2", "#cc79a7", "#d55e00", "#000000", "#332288", "#88ccee", "#ddcc77", "#882255"]
NOW = "#d55e00"               # the cost surface's "now" marker and −∇J arrow (vermillion) …
TRUE = "#0072b2"              # … and the true (w, b) (blue star): apart for every colour vision
RIGHT = "#009e73"             # a right row or answer (bluish green) and a wrong one (vermillion), not red/green
WRONG = "#d55e00"
TRAIN = "#0877bd"
VALIDATION = "#e6550d"
PATH = "#222222"
FONT = dict(size=15)
DIVERGING = [[0.0, "#f59322"], [0.5, "#e8eaeb"], [1.0, "#0877bd"]]   # output 0 → orange, 1 → blue

# The modebar of every figure: its camera saves a PNG at twice the screen's resolution (slides); the live plot
# (views/ui/js/live_plot.js) adds a second button for SVG beside it, which plotly.js's JSON config cannot carry
# (a button is a function). Pass it as ``config=`` to ``st.plotly_chart``; ``components.live_plot`` sends it.
PLOTLY_CONFIG = dict(displaylogo=False, modeBarButtonsToRemove=["sendDataToCloud"],
                     toImageButtonOptions=dict(format="png", scale=2, filename="nnplay-figure"))


def base_layout(fig: go.Figure, title: str = "", height: int = 380, uirevision: str = "keep") -> go.Figure:
    """Common margins, fonts and ``uirevision`` (keeps zoom across live redraws)."""
    fig.update_layout(
        title=dict(text=title, x=0.02, font=dict(size=17)) if title else None,
        height=height, margin=dict(l=50, r=20, t=50 + 20 * title.count("<br>") if title else 20, b=45),
        font=FONT, uirevision=uirevision, template="plotly_white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
    )
    return fig


def layout(title: str = "", height: int = 380, uirevision: str = "keep", **extra) -> dict:
    """The same look as ``base_layout`` for figures built as plain dicts (the live path). A title too long for a
    narrow chart is cut by plotly: break it with ``<br>``, each line gets its room at the top.

    Plain dicts skip plotly's validation and its template (~10 kB per figure), so a live page can
    send a frame in about a millisecond; ``go.Figure(fig_dict)`` still turns one into a figure.
    """
    out = dict(
        height=height, margin=dict(l=55, r=20, t=45 + 20 * title.count("<br>") if title else 20, b=95),
        font=dict(FONT, family="Source Sans Pro, sans-serif", color="#31333f"), uirevision=uirevision,
        paper_bgcolor="white", plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.3, xanchor="left", x=0.0),
        xaxis=dict(gridcolor="#ebebeb", zerolinecolor="#d0d0d0"),
        yaxis=dict(gridcolor="#ebebeb", zerolinecolor="#d0d0d0"),
    )
    if title:
        out["title"] = dict(text=title, x=0.02, font=dict(size=17))
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


# ---- presentation mode: the figure's type grows with the page's ------------------------------------------
PROJECTOR_SCALE = 1.35   # page type 16 → 24 px in presentation mode; figures follow, a bit less (in columns)
BASE_FONT = 12               # plotly's own default, for a layout that does not set one
_TEXT_KEYS = ("title", "legend", "coloraxis", "hoverlabel")


def _scaled_font(font, scale: float, default: float = None) -> dict:
    font = dict(font or {})
    size = font.get("size", default)
    if size is not None:
        font["size"] = round(size * scale, 1)
    return font


def _scaled_box(box: dict, scale: float) -> dict:
    """An axis, title, legend or colour bar with its explicit font sizes scaled (the rest inherit the figure's)."""
    box = dict(box)
    for sub in ("tickfont", "font"):
        if isinstance(box.get(sub), dict):
            box[sub] = _scaled_font(box[sub], scale)
    for sub in ("title", "colorbar"):
        if isinstance(box.get(sub), dict):
            box[sub] = _scaled_box(box[sub], scale)
    return box


def projector_layout(layout: dict, scale: float = PROJECTOR_SCALE) -> dict:
    """A copy of a figure's ``layout`` whose every font size (the figure's, its title's, its axes' titles and
    ticks, its annotations', its legend's) and margins are ``scale`` times larger: on a projector the figure's
    text grows with the page's (24 px instead of 16 px) instead of staying ~10 px. Pure: the input is left
    as it is; the height stays, so the figure keeps its place above the fold."""
    out = dict(layout)
    out["font"] = _scaled_font(layout.get("font"), scale, BASE_FONT)
    for key, value in layout.items():
        if not isinstance(value, dict):
            continue
        if key.startswith(("xaxis", "yaxis")) or key in _TEXT_KEYS or key.startswith("coloraxis"):
            out[key] = _scaled_box(value, scale)
    if isinstance(layout.get("annotations"), (list, tuple)):
        out["annotations"] = [{**a, "font": _scaled_font(a.get("font"), scale)} if isinstance(a, dict) else a
                              for a in layout["annotations"]]
    if isinstance(layout.get("margin"), dict):
        out["margin"] = {k: round(v * scale) if k in ("l", "r", "t", "b") and isinstance(v, (int, float)) else v
                         for k, v in layout["margin"].items()}
    legend = _legend_below(layout, out, scale)
    if isinstance(legend, dict):
        out["legend"] = _scaled_legend(legend, scale)
    return out


def _legend_below(before: dict, after: dict, scale: float):
    """A legend under the x axis (paper y < 0) moved ``scale`` times as far below the axis, in pixels, as it was:
    the axis's ticks and title above it grew by ``scale``, and the plot (the unit of paper y) got shorter as the
    margins grew, so the same y would put it on the axis title."""
    legend = before.get("legend")
    if not isinstance(legend, dict) or legend.get("yref", "paper") != "paper" or not (legend.get("y") or 0) < 0:
        return after.get("legend", legend)

    def plot_height(lay):
        m = lay.get("margin") or {}
        return (lay.get("height") or 450) - (m.get("t") or 100) - (m.get("b") or 80)

    was, now = plot_height(before), plot_height(after)
    if was <= 0 or now <= 0:
        return after.get("legend", legend)
    return {**after.get("legend", legend), "y": round(legend["y"] * was * scale / now, 3)}


def _scaled_legend(legend: dict, scale: float) -> dict:
    """A legend whose entries have a width in pixels: that width grows with the type."""
    if legend.get("entrywidthmode") == "pixels" and isinstance(legend.get("entrywidth"), (int, float)):
        return {**legend, "entrywidth": round(legend["entrywidth"] * scale)}
    return legend


def for_screen(fig, present: bool = False, scale: float = PROJECTOR_SCALE):
    """``fig`` as the screen wants it: unchanged on a laptop, its text ``scale`` times larger on a projector
    (``present``: the page's presentation flag, read by the view and passed down; nncore never asks Streamlit).
    A plain figure dict (the live path) gives a new dict; a ``go.Figure`` gives a new ``go.Figure``."""
    if not present:
        return fig
    if isinstance(fig, dict):
        return {**fig, "layout": projector_layout(fig.get("layout") or {}, scale)}
    spec = fig.to_plotly_json()
    return go.Figure({**spec, "layout": projector_layout(spec.get("layout") or {}, scale)})


def cost_axis(title: str, log: bool = False) -> dict:
    """A cost axis, linear or logarithmic. On a log axis plotly labels the ticks between powers of ten with
    their first digit only ("1, 5, 2, 0.1, 5, 2"); ``tickformat`` makes it write each number in full
    ("1, 0.5, 0.2, 0.1, 0.05"), which a student can read."""
    axis = dict(title=dict(text=title), type="log" if log else "linear", automargin=True)   # room for "0.256"
    if log:
        axis["tickformat"] = "~g"
    else:
        axis["rangemode"] = "tozero"            # a cost is ≥ 0: a falling curve stays inside the axis it started in
    return axis


# ---- live charts whose x axis grows (cost per epoch): axes that move in steps ------------------------------
# The browser writes a live frame straight into the SVG plotly drew when only the curves moved
# (views/ui/js/live_patch.js); a new axis range needs plotly again (10-30 ms). So a chart that grows along x
# (layout.meta ``GROWS``) gets ranges that change in steps: x to the next of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8
# times a power of ten (the curve fills 80-100 % of the width), a log y axis to whole half-decades.
GROWS = {"grows": True}
_LADDER = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def next_step(v: float) -> float:
    """The smallest 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ᵏ that is ≥ v (v > 0)."""
    power = 10.0 ** math.floor(math.log10(v))
    return next(step * power for step in _LADDER if step * power >= v * (1 - 1e-12))


def steady_axes(fig: dict) -> dict:
    """``fig`` with its axes set in steps (see ``GROWS``) when its layout asks for them; else ``fig`` itself."""
    lay = fig.get("layout") or {}
    if not (lay.get("meta") or {}).get("grows"):
        return fig
    xs, ys = [], []
    for trace in fig.get("data") or []:
        if trace.get("visible", True) is not True:
            continue
        for name, into in (("x", xs), ("y", ys)):
            into.extend(v for v in trace.get(name) or () if isinstance(v, (int, float)) and math.isfinite(v))
    if not xs or not ys:
        return fig
    start = min(0.0, min(xs))
    end = max(xs)
    xaxis = dict(lay.get("xaxis") or {}, range=[start, start + next_step(end - start) if end > start else start + 1])
    yaxis = dict(lay.get("yaxis") or {})
    positive = [v for v in ys if v > 0]
    if yaxis.get("type") == "log" and positive:
        low = math.floor(2 * math.log10(min(positive))) / 2
        high = math.ceil(2 * math.log10(max(positive))) / 2
        yaxis["range"] = [low, high if high > low else low + 0.5]
    return {**fig, "layout": {**lay, "xaxis": xaxis, "yaxis": yaxis}}


def lst(a, digits: int = 5):
    """A JSON-ready list of rounded floats (NaN/inf become None, which plotly draws as gaps)."""
    import numpy as np

    arr = np.round(np.asarray(a, dtype=float), digits)
    if np.all(np.isfinite(arr)):
        return arr.tolist()
    return [None if not np.isfinite(v) else v for v in arr.ravel().tolist()] if arr.ndim == 1 else \
        [[None if not np.isfinite(v) else v for v in row] for row in arr.tolist()]
