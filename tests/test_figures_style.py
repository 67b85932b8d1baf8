"""Presentation mode's figure style (issue 21): on a projector a figure's text grows with the page's."""
import subprocess
import sys

import plotly.graph_objects as go

from nncore.figures import style


def _fig_dict():
    return {"data": [{"type": "scatter", "x": [0, 1], "y": [1, 0]}],
            "layout": style.layout("cost per epoch", xaxis=dict(title=dict(text="epoch", font=dict(size=14)),
                                                                 tickfont=dict(size=11)),
                                   annotations=[dict(text="SGD", font=dict(size=13)), dict(text="Adam")],
                                   coloraxis=dict(colorbar=dict(tickfont=dict(size=10))))}


def test_every_font_size_and_margin_grows_by_the_scale_and_the_input_is_left_alone():
    fig = _fig_dict()
    before = repr(fig)
    big = style.for_screen(fig, present=True, scale=2.0)
    assert repr(fig) == before                                        # pure
    lay, old = big["layout"], fig["layout"]
    assert lay["font"]["size"] == 2 * old["font"]["size"]
    assert lay["title"]["font"]["size"] == 2 * old["title"]["font"]["size"]
    assert lay["xaxis"]["title"]["font"]["size"] == 28 and lay["xaxis"]["tickfont"]["size"] == 22
    assert [a["font"].get("size") for a in lay["annotations"]] == [26, None]  # None: inherits the figure's
    assert lay["coloraxis"]["colorbar"]["tickfont"]["size"] == 20
    assert lay["margin"] == {k: 2 * v for k, v in old["margin"].items()}
    assert lay["height"] == old["height"]                              # it keeps its place above the fold
    assert big["data"] is fig["data"]


def test_off_the_projector_a_figure_is_unchanged():
    fig = _fig_dict()
    assert style.for_screen(fig, present=False) is fig


def test_a_plotly_figure_gives_a_plotly_figure_with_plotlys_default_size_scaled():
    fig = style.base_layout(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), "J(w, b)")
    big = style.for_screen(fig, present=True)
    assert isinstance(big, go.Figure)
    assert big.layout.font.size == round(fig.layout.font.size * style.PROJECTOR_SCALE, 1)
    assert big.layout.title.font.size > fig.layout.title.font.size
    bare = style.for_screen(go.Figure(), present=True)
    assert bare.layout.font.size == round(style.BASE_FONT * style.PROJECTOR_SCALE, 1)


def test_the_style_module_does_not_import_streamlit():
    code = "import sys, nncore.figures.style; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_log_cost_axes_write_every_tick_in_full_on_regression_and_race():
    """Issue 21: plotly's own log ticks read "1, 5, 2, 0.1, 5, 2"; every cost chart's log axis writes numbers."""
    from nncore.figures import race_plots, regression_plots

    assert style.cost_axis("J") == dict(title=dict(text="J"), type="linear", automargin=True, rangemode="tozero")
    curves = [dict(name="sgd", label="SGD", epochs=[1, 2, 3], losses=[1.0, 0.3, 0.05])]
    for log in (False, True):
        race = race_plots.race_costs(curves, log_y=log)["layout"]["yaxis"]
        reg = regression_plots.cost_curves(1, [1, 2, 3], [1.0, 0.3, 0.05], [1, 2, 3], [1.0, 0.3, 0.05], [None] * 3,
                                           log_y=log)["layout"]["yaxis"]
        for axis in (race, reg):
            assert axis["type"] == ("log" if log else "linear")
            assert (axis.get("tickformat") == "~g") is log


def test_a_growing_chart_changes_its_axes_in_steps():
    """Live cost charts (layout.meta GROWS) get an x axis that jumps to the next 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8
    × 10ᵏ and a log y axis in whole half-decades: between steps a frame only moves its curves, which the browser
    writes straight into the SVG (views/ui/js/live_patch.js)."""
    from nncore.figures import playground_plots, race_plots

    assert [style.next_step(v) for v in (1, 7, 11, 12, 12.5, 61, 99, 101, 999, 1000, 0.031)] == \
        [1, 8, 12, 12, 15, 80, 100, 120, 1000, 1000, 0.04]
    epochs = list(range(1, 62))
    costs = [1.0 / k for k in epochs]
    fig = style.steady_axes(playground_plots.cost_curves(epochs, costs, [None] * len(epochs)))
    assert fig["layout"]["xaxis"]["range"] == [0, 80]
    assert fig["layout"]["xaxis"]["title"] == dict(text="epoch")            # the rest of the axis kept
    same = style.steady_axes(playground_plots.cost_curves(epochs + [62, 63], costs + [0.016, 0.0159], [None] * 63))
    assert same["layout"]["xaxis"] == fig["layout"]["xaxis"]                   # within the step: the same axes
    race = style.steady_axes(race_plots.race_costs([dict(name="sgd", label="SGD", epochs=epochs, losses=costs)],
                                                   log_y=True))
    assert race["layout"]["yaxis"]["range"] == [-2.0, 0.0]                   # 1/61 = 0.016 → 10^-2 … 10^0
    assert race["layout"]["yaxis"]["type"] == "log"
    plain = dict(data=[dict(x=[1, 2], y=[3, 4])], layout=style.layout("fit"))
    assert style.steady_axes(plain) is plain                                    # a chart that does not grow
    empty = playground_plots.cost_curves([], [], [])
    assert style.steady_axes(empty) is empty
