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
