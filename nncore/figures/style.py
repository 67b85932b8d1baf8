"""Colours and layout shared by every figure: readable on a projector."""
import plotly.graph_objects as go

CLASS_COLORS = ["#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd"]   # TF Playground's orange/blue first
TRAIN = "#0877bd"
VALIDATION = "#e6550d"
PATH = "#222222"
FONT = dict(size=15)
DIVERGING = [[0.0, "#f59322"], [0.5, "#e8eaeb"], [1.0, "#0877bd"]]   # output 0 → orange, 1 → blue


def base_layout(fig: go.Figure, title: str = "", height: int = 380, uirevision: str = "keep") -> go.Figure:
    """Common margins, fonts and ``uirevision`` (keeps zoom across live redraws)."""
    fig.update_layout(
        title=dict(text=title, x=0.02, font=dict(size=17)) if title else None,
        height=height, margin=dict(l=50, r=20, t=50 if title else 20, b=45),
        font=FONT, uirevision=uirevision, template="plotly_white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
    )
    return fig


def layout(title: str = "", height: int = 380, uirevision: str = "keep", **extra) -> dict:
    """The same look as ``base_layout`` for figures built as plain dicts (the live path).

    Plain dicts skip plotly's validation and its template (~10 kB per figure), so a live page can
    send a frame in about a millisecond; ``go.Figure(fig_dict)`` still turns one into a figure.
    """
    out = dict(
        height=height, margin=dict(l=55, r=20, t=45 if title else 20, b=95),
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


def lst(a, digits: int = 5):
    """A JSON-ready list of rounded floats (NaN/inf become None, which plotly draws as gaps)."""
    import numpy as np

    arr = np.round(np.asarray(a, dtype=float), digits)
    if np.all(np.isfinite(arr)):
        return arr.tolist()
    return [None if not np.isfinite(v) else v for v in arr.ravel().tolist()] if arr.ndim == 1 else \
        [[None if not np.isfinite(v) else v for v in row] for row in arr.tolist()]
