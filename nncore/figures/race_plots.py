"""Figures of the optimiser race: every racer's cost per epoch on one chart, and a small boundary each.

Plain dicts (``style.layout``) for the live path. The boundaries are one figure with a small panel
per racer (the playground's PNG output map and its 0.5 line), so the browser repaints one chart.
"""
from __future__ import annotations

from typing import Dict, List, Sequence

import numpy as np

from nncore.figures.playground_plots import _points, colour, level_image, png_uri
from nncore.figures.style import GROWS, SERIES_COLORS, cost_axis, layout, lst
from nncore.lessons.boundary import PlaneMaps
from nncore.lessons.race_lab import RACERS

COLOURS = dict(zip(RACERS, SERIES_COLORS))          # colour-blind safe (style.SERIES_COLORS)


def race_costs(curves: Sequence[dict], log_y: bool = False, title: str = "", height: int = 360) -> dict:
    """One line per racer: ``curves`` are dicts with name, label, epochs, losses (training cost J per epoch)."""
    data = [dict(type="scatter", x=list(c["epochs"]), y=lst(c["losses"], 6), mode="lines", name=c["label"],
                 line=dict(color=COLOURS.get(c["name"], "#444444"), width=2.5)) for c in curves]
    # The title says what x and y are (the training cost J per epoch): no axis titles, so the plot gets the width
    # for a legend two entries to a row (three rows for six racers, also in a projector's type) and no axis title
    # stands between the numbers and the legend.
    return dict(data=data, layout=layout(
        title, height=height, margin=dict(l=50, r=10, t=45 if title else 15, b=100),
        legend=dict(entrywidth=0.5, entrywidthmode="fraction", y=-0.15, x=-0.18),   # from under the numbers
        yaxis=cost_axis("", log_y), meta=GROWS))


def race_boundaries(maps: Sequence[PlaneMaps], titles: Sequence[str], x_train, y_train, columns: int = 3,
                    panel_height: int = 230, title_px: int = 40) -> dict:
    """A grid of small decision boundaries, one per racer (orange → 0, blue → 1, dark line at a^L = 0.5);
    ``titles`` may hold two lines (``<br>``), ``title_px`` high above each panel (more for a projector's type)."""
    n = len(maps)
    columns = max(1, min(columns, n))
    rows = int(np.ceil(n / columns)) if n else 1
    total = rows * (panel_height + title_px)
    gap_x, gap_y = 0.04, title_px / total
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    data: List[dict] = []
    images: List[dict] = []
    annotations: List[dict] = []
    axes: Dict[str, dict] = {}
    for i, (m, title) in enumerate(zip(maps, titles)):
        row, col = divmod(i, columns)
        suffix = "" if i == 0 else str(i + 1)
        x0, y1 = col * (width + gap_x), 1 - row * (height + gap_y)
        xs, ys = m.xs, m.ys
        dx, dy = (xs[-1] - xs[0]) / max(len(xs) - 1, 1), (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        box = dict(xref=f"x{suffix}", yref=f"y{suffix}", sizing="stretch", layer="below")
        images += [
            dict(source=png_uri(colour(2 * m.output - 1)[::-1]), x=float(xs[0] - dx / 2), y=float(ys[-1] + dy / 2),
                 sizex=float(xs[-1] - xs[0] + dx), sizey=float(ys[-1] - ys[0] + dy), opacity=0.9, **box),
            dict(source=png_uri(level_image(m.output)[::-1]), x=float(xs[0]), y=float(ys[-1]),
                 sizex=float(xs[-1] - xs[0]), sizey=float(ys[-1] - ys[0]), **box)]
        points = _points(x_train, y_train, "training points", test=False)
        points.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}", marker=dict(points["marker"], size=5))
        data.append(points)
        common = dict(showgrid=False, zeroline=False, showticklabels=False, ticks="")
        axes[f"xaxis{suffix}"] = dict(common, domain=[x0, x0 + width], anchor=f"y{suffix}",
                                      range=[float(xs[0] - dx / 2), float(xs[-1] + dx / 2)])
        axes[f"yaxis{suffix}"] = dict(common, domain=[y1 - height, y1], anchor=f"x{suffix}",
                                      range=[float(ys[0] - dy / 2), float(ys[-1] + dy / 2)],
                                      scaleanchor=f"x{suffix}", constrain="domain")
        annotations.append(dict(text=title, x=x0 + width / 2, y=y1, xref="paper", yref="paper", xanchor="center",
                                yanchor="bottom", showarrow=False, font=dict(size=13)))
    return dict(data=data, layout=layout("", height=total, margin=dict(l=10, r=10, t=title_px, b=10),
                                         showlegend=False, images=images, annotations=annotations,
                                         **axes))
