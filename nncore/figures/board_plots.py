"""The class board's figure: a histogram of the room's results (each student's best run on one page and data
set, ``nncore.board.summary.results``)."""
from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go

from nncore.board import figures as F
from nncore.figures.style import TRAIN, base_layout


def results_histogram(values: Sequence[float], page: str, data: str, measure: str) -> go.Figure:
    """How the room's best results spread: one bar per bin, its height the number of students. Accuracies are
    binned by tenths over 0 … 1 (so two classes read alike); costs over the room's own range."""
    fig = go.Figure(go.Histogram(x=list(values), marker_color=TRAIN, marker_line=dict(color="white", width=1),
                                 hovertemplate=f"{measure} %{{x}}<br>%{{y}} students<extra></extra>",
                                 **(dict(xbins=dict(start=0.0, end=1.0001, size=0.1))
                                    if measure == F.TEST_ACCURACY else {})))
    base_layout(fig, f"/{page} · {data}: each student's best {measure} "
                     f"({len(values)} student{'s' * (len(values) != 1)})", height=300)
    fig.update_xaxes(title_text=measure, range=[0, 1.0001] if measure == F.TEST_ACCURACY else None)
    fig.update_yaxes(title_text="students", dtick=1, rangemode="tozero")
    fig.update_layout(bargap=0.05)
    return fig
