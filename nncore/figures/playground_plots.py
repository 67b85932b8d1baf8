"""Figures of the playground: decision boundary, the network with its neurons' maps, costs, hidden space.

Plain dicts (see ``style.layout``), built fast enough to redraw many times a second. Colours are
TensorFlow Playground's: orange for class 0 / low values, blue for class 1 / high values; with K
classes each class has its colour (``CLASS_COLORS``). The neurons' small maps are PNG images (a few
hundred bytes each) placed on the diagram. Images do not hover, so every figure that shows one
carries invisible traces whose hover text says, in a sentence, what is under the pointer.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np

from nncore.data.tasks import BINARY, Task
from nncore.figures.raster import png_uri
from nncore.figures.style import CLASS_COLORS, DIVERGING, GROWS, SERIES_COLORS, TRAIN, VALIDATION, WRONG, layout, lst
from nncore.lessons.boundary import HiddenSpace, PlaneMaps, _sub, _sup

ORANGE = np.array([245, 147, 34], dtype=float)
BLUE = np.array([8, 119, 189], dtype=float)
PAPER = np.array([232, 234, 235], dtype=float)
POSITIVE, NEGATIVE = "#0877bd", "#f59322"
EDGE_WIDTHS = (0.6, 1.4, 2.4, 3.6, 5.2)


# ---- tiny PNGs for the neuron maps ------------------------------------------------------------------
def _palette(levels: int = 511) -> np.ndarray:
    """``levels`` colours from -1 (orange) through 0 (grey-white) to +1 (blue), as RGB uint8."""
    v = np.linspace(-1, 1, levels)[:, None]
    rgb = np.where(v >= 0, PAPER + v * (BLUE - PAPER), PAPER - v * (ORANGE - PAPER))
    return rgb.round().astype(np.uint8)


PALETTE = _palette()


def colour(values) -> np.ndarray:
    """Values in [-1, 1] → RGB uint8: -1 orange, 0 grey-white, +1 blue (NaN → 0).

    A look-up in a 511-colour palette (steps of 1/255, below one RGB unit): 3× faster than
    interpolating every pixel, and a live page colours a few thousand pixels per frame.
    """
    v = np.asarray(values, dtype=float)
    index = np.rint((np.clip(np.nan_to_num(v, nan=0.0), -1, 1) + 1) * ((len(PALETTE) - 1) / 2))
    return PALETTE[index.astype(np.intp)]


def neuron_values(a: np.ndarray, activation: str) -> np.ndarray:
    """A neuron's map scaled to [-1, 1] for colouring: sigmoid's and softmax's (0, 1) → 2a-1; others shrunk if
    beyond 1."""
    if activation in ("sigmoid", "softmax"):
        return 2 * a - 1
    top = float(np.abs(a).max()) if a.size else 0.0
    return a / top if top > 1 else a


def thumbnail(a: np.ndarray, activation: str) -> str:
    """A neuron's map over the plane (rows are x₂ from bottom to top) as a PNG data URI."""
    return png_uri(colour(neuron_values(a, activation))[::-1])


def class_colour(probs: np.ndarray, discretize: bool = False) -> np.ndarray:
    """K class probabilities (K, …) → RGB uint8: the most probable class's colour, paler the less sure.

    Confidence c = (max_j a_j − 1/K) / (1 − 1/K): 0 when every class is equally probable (paper
    white), 1 when one class has p = 1 (its full colour); ``discretize`` paints every point at 0.75.
    """
    probs = np.nan_to_num(np.asarray(probs, dtype=float))
    k = len(probs)
    palette = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in CLASS_COLORS[:k]], dtype=float)
    top = probs.max(axis=0)
    sure = np.full_like(top, 0.75) if discretize else np.clip((top - 1 / k) / (1 - 1 / k), 0, 1)
    rgb = PAPER + sure[..., None] * (palette[probs.argmax(axis=0)] - PAPER)
    return rgb.round().astype(np.uint8)


# ---- the decision boundary ------------------------------------------------------------------------------
def point_colours(y, task: Task = BINARY, scale: float = 1.0) -> dict:
    """Marker colours for labels ``y``: a class colour each, or (values) a diverging scale ±``scale``."""
    y = np.asarray(y, dtype=float).reshape(-1)
    if task.kind == "regression":
        return dict(color=lst(y, 4), colorscale=DIVERGING, cmin=-scale, cmax=scale)
    if task.kind == "multiclass":
        return dict(color=[CLASS_COLORS[int(v) % len(CLASS_COLORS)] for v in np.nan_to_num(y, posinf=0, neginf=0)])
    return dict(color=[CLASS_COLORS[1] if v > 0.5 else CLASS_COLORS[0] for v in y])


def _points(x, y, name, test: bool, visible: bool = True, task: Task = BINARY, scale: float = 1.0) -> dict:
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    few = len(x) <= 10                  # a truth table: big points with a dark edge, visible on any colour
    size = 18 if few else (9 if test else 10)
    edge = "#222222" if test or few else "white"
    label = "value %{marker.color:.2f}, " if task.kind == "regression" else ""
    return dict(type="scatter", x=lst(x[:, 0], 4), y=lst(x[:, 1], 4), mode="markers", name=name,
                visible=visible, hovertemplate=label + "x₁=%{x:.2f}, x₂=%{y:.2f}<extra>" + name + "</extra>",
                marker=dict(**point_colours(y, task, scale), size=size, symbol="diamond" if test else "circle",
                            line=dict(color=edge, width=2 if few else (1.5 if test else 1.2))))


def value_scale(*ys) -> float:
    """The largest |value| of the labels: the colours' ±range for a regression (fixed while training)."""
    top = max((float(np.abs(np.asarray(y, dtype=float)).max()) for y in ys if np.size(y)), default=1.0)
    return top if top > 0 and np.isfinite(top) else 1.0


def plane_colours(maps: PlaneMaps, task: Task = BINARY, discretize: bool = False, scale: float = 1.0) -> np.ndarray:
    """The output over the plane as RGB: P(class 1) orange→blue, the most probable of K classes, or values."""
    if task.kind == "multiclass":
        return class_colour(maps.outputs, discretize)
    z = maps.output
    if task.kind == "regression":
        return colour(z / scale)
    return colour(np.where(z > 0.5, 0.75, -0.75) if discretize else 2 * z - 1)


def class_edges(probs: np.ndarray, factor: int = 4) -> np.ndarray:
    """An RGBA image, transparent but for a dark line where the most probable class changes."""
    fine = np.stack([upsample(p, factor) for p in probs]).argmax(axis=0)
    edge = np.zeros(fine.shape, dtype=bool)
    edge[:, 1:] |= fine[:, 1:] != fine[:, :-1]
    edge[1:, :] |= fine[1:, :] != fine[:-1, :]
    edge[:, :-1] |= edge[:, 1:].copy()
    rgba = np.zeros(fine.shape + (4,), dtype=np.uint8)
    rgba[edge] = (40, 40, 40, 230)
    return rgba


def plane_hover(maps: PlaneMaps, task: Task = BINARY) -> dict:
    """An invisible heatmap over the plane (use a coarse grid) whose hover says what the network says there."""
    xs, ys = maps.xs, maps.ys
    gx, gy = np.meshgrid(xs, ys)
    if task.kind == "regression":
        says = [f"the network says y = {v:.2f}" for v in maps.output.ravel()]
    else:
        probs = maps.outputs if task.kind == "multiclass" else np.stack([1 - maps.output, maps.output])
        best, p = probs.argmax(axis=0).ravel(), probs.max(axis=0).ravel()
        says = [f"the network says class {c} with p = {q:.2f}" for c, q in zip(best, p)]
    text = [f"Here (x₁ = {x:.2f}, x₂ = {y:.2f}) {t}." for x, y, t in zip(gx.ravel(), gy.ravel(), says)]
    r = len(ys)
    return dict(type="heatmap", x=lst(xs, 4), y=lst(ys, 4), z=np.zeros((r, len(xs))).tolist(), opacity=0,
                showscale=False, text=[text[i * len(xs):(i + 1) * len(xs)] for i in range(r)],
                hovertemplate="%{text}<extra></extra>", name="the network's answer")


def colour_bar(scale: float, title: str = "value") -> dict:
    """A colour bar for the values ±``scale`` (an empty trace that carries only the bar)."""
    return dict(type="scatter", x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
                marker=dict(color=[0.0], colorscale=DIVERGING, cmin=-scale, cmax=scale, showscale=True,
                            colorbar=dict(title=dict(text=title), thickness=14, len=0.8)))


def upsample(z: np.ndarray, factor: int) -> np.ndarray:
    """Bilinear interpolation of a grid onto one ``factor`` times as fine (same corners)."""
    r, c = z.shape
    yi, xi = np.linspace(0, r - 1, (r - 1) * factor + 1), np.linspace(0, c - 1, (c - 1) * factor + 1)
    y0, x0 = np.minimum(yi.astype(int), r - 2), np.minimum(xi.astype(int), c - 2)
    ty, tx = (yi - y0)[:, None], (xi - x0)[None, :]
    z00, z01 = z[y0][:, x0], z[y0][:, x0 + 1]
    z10, z11 = z[y0 + 1][:, x0], z[y0 + 1][:, x0 + 1]
    return (z00 * (1 - tx) + z01 * tx) * (1 - ty) + (z10 * (1 - tx) + z11 * tx) * ty


def level_image(z: np.ndarray, level: float = 0.5, factor: int = 4) -> np.ndarray:
    """An RGBA image, transparent but for a dark line where the (upsampled) grid crosses ``level``."""
    fine = upsample(z, factor) > level
    edge = np.zeros_like(fine)
    edge[:, 1:] |= fine[:, 1:] != fine[:, :-1]
    edge[1:, :] |= fine[1:, :] != fine[:-1, :]
    edge[:, :-1] |= edge[:, 1:].copy()          # two pixels wide: visible once stretched
    rgba = np.zeros(fine.shape + (4,), dtype=np.uint8)
    rgba[edge] = (40, 40, 40, 230)
    return rgba


def decision_boundary(maps: PlaneMaps, x_train, y_train, x_test, y_test, show_test: bool = True,
                      discretize: bool = False, title: str = "", height: int = 430, task: Task = BINARY,
                      hover: Optional[dict] = None, scale: Optional[float] = None) -> dict:
    """The network's output a^L over the plane, its boundary, and the points.

    Binary: P(class 1) orange → blue and the line a^L = 0.5. K classes: each point of the plane in
    its most probable class's colour, paler the less sure, with lines where that class changes.
    Values: the predicted value on a diverging scale ±``scale`` with a colour bar.
    The output map and the line are two small PNGs stretched over the plane, so that while training
    only images change and the points (unchanged traces) are not redrawn: a few ms per frame.
    ``hover`` (``plane_hover`` of a coarse grid) says what the network says under the pointer.
    """
    z = maps.output
    scale = scale or value_scale(y_train, y_test)
    xs, ys = maps.xs, maps.ys
    dx, dy = (xs[-1] - xs[0]) / max(len(xs) - 1, 1), (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
    box = dict(xref="x", yref="y", sizing="stretch", layer="below")
    images = [
        dict(source=png_uri(plane_colours(maps, task, discretize, scale)[::-1]), x=float(xs[0] - dx / 2),
             y=float(ys[-1] + dy / 2), sizex=float(xs[-1] - xs[0] + dx), sizey=float(ys[-1] - ys[0] + dy),
             opacity=0.9, **box),
    ]
    if task.kind != "regression":
        edges = class_edges(maps.outputs) if task.kind == "multiclass" else level_image(z)
        images.append(dict(source=png_uri(edges[::-1]), x=float(xs[0]), y=float(ys[-1]),
                           sizex=float(xs[-1] - xs[0]), sizey=float(ys[-1] - ys[0]), **box))
    data = [hover] if hover else []
    data += [_points(x_train, y_train, "training points", test=False, task=task, scale=scale),
             _points(x_test, y_test, "test points", test=True, visible=bool(show_test) and len(x_test) > 0,
                     task=task, scale=scale)]
    if task.kind == "regression":
        data.append(colour_bar(scale))
    x_range = [float(xs[0] - dx / 2), float(xs[-1] + dx / 2)]
    y_range = [float(ys[0] - dy / 2), float(ys[-1] + dy / 2)]
    return dict(data=data, layout=layout(
        title, height=height, margin=dict(l=55, r=10, t=45 if title else 15, b=40), showlegend=False,
        images=images, plot_bgcolor="white",
        hoverdistance=1,          # a point says its label only right on it; everywhere else the plane speaks
        xaxis=dict(title=dict(text="x₁"), range=x_range, constrain="domain", showgrid=False, zeroline=False,
                   nticks=4),          # few numbers: they stay level on a small plane in a projector's type
        yaxis=dict(title=dict(text="x₂", standoff=4), range=y_range, scaleanchor="x", constrain="domain", nticks=4,
                   automargin=True, showgrid=False, zeroline=False)))


# ---- the network diagram --------------------------------------------------------------------------------
DX, BOX = 3.0, 0.78          # columns 3 units apart, neuron boxes 0.78 wide (rows are 1 apart)


def _rows(units: int) -> np.ndarray:
    return (units - 1) / 2 - np.arange(units)


def neuron_maps(net, maps: PlaneMaps) -> List[dict]:
    """Every neuron's map over the plane, as layout images placed on its box in the diagram."""
    acts = ["linear"] + [layer.activation.name for layer in net.layers]
    images = []
    for c, layer_maps in enumerate(maps.layers):
        ys = _rows(len(layer_maps))
        for j, m in enumerate(layer_maps):
            values = m / max(float(np.abs(m).max()), 1e-12) if c == 0 else m
            images.append(dict(source=thumbnail(values, acts[c]), x=c * DX, y=float(ys[j]), sizex=BOX, sizey=BOX,
                               xref="x", yref="y", xanchor="center", yanchor="middle", sizing="stretch",
                               layer="above"))
    return images


def with_neuron_maps(diagram: dict, net, maps: PlaneMaps) -> dict:
    """The same diagram (same edges, same traces) with fresh neuron maps: between two full redraws a live
    page changes only these images, which the browser repaints in a few ms (changed traces cost far more)."""
    return {"data": diagram["data"], "layout": {**diagram["layout"], "images": neuron_maps(net, maps)}}


def network_diagram(net, input_labels: Sequence[str], maps: Optional[PlaneMaps] = None, title: str = "",
                    height: Optional[int] = None, edge_texts: bool = True) -> dict:
    """Neurons in columns (inputs, hidden layers, output), edges coloured by the sign of w and sized by |w|.

    With ``maps`` each neuron carries a small map of its a^l_j over the plane, as TensorFlow
    Playground shows. Hovering a neuron shows its bias and incoming weights; hovering an edge names its
    weight when ``edge_texts`` (a live frame of a large network leaves them out: see ``edge_hover``).
    """
    sizes = net.sizes
    cols = len(sizes)
    dx, box = DX, BOX
    ys = [_rows(n) for n in sizes]
    # Edge widths from finite weights: a diverged run's NaN is drawn as 0 and ±inf as the largest float, so
    # |w| / max |w| is always a number in [0, 1] (from NaN weights it was NaN, and int(NaN) raised).
    finite = [np.nan_to_num(layer.W) for layer in net.layers]
    wmax = max((float(np.abs(W).max()) for W in finite if W.size), default=1.0) or 1.0
    buckets = {(s, b): ([], []) for s in (1, -1) for b in range(len(EDGE_WIDTHS))}
    for l, (layer, W) in enumerate(zip(net.layers, finite), 1):
        x0, x1 = (l - 1) * dx + box / 2, l * dx - box / 2
        for k in range(layer.n_in):
            for j in range(layer.n_out):
                w = W[k, j]
                b = min(int(abs(w) / wmax * len(EDGE_WIDTHS)), len(EDGE_WIDTHS) - 1)
                xs, yv = buckets[(1 if w >= 0 else -1, b)]
                xs += [x0, x1, None]
                yv += [float(ys[l - 1][k]), float(ys[l][j]), None]
    data = [dict(type="scatter", x=xs, y=yv, mode="lines", hoverinfo="skip", showlegend=False,
                 line=dict(color=POSITIVE if s > 0 else NEGATIVE, width=EDGE_WIDTHS[b]),
                 opacity=0.35 + 0.13 * b) for (s, b), (xs, yv) in buckets.items()]
    if edge_texts:
        data.append(edge_hover(net, input_labels, ys))
    top = (max(sizes) - 1) / 2 + 0.6
    h = height or int(max(300, min(640, 110 + 44 * max(sizes))))
    # Below the neurons, 32 px for the two lines of column names; the rows share the rest (34 px each up to
    # 16 neurons a layer, fewer for taller layers: the boxes then shrink with the rows, never overlap).
    row_px = (h - (40 if title else 10) - 10 - 32) / (2 * top)
    bottom = top + 32 / row_px
    nx, ny, hover = [], [], []
    for c, n in enumerate(sizes):
        for j in range(n):
            nx.append(c * dx)
            ny.append(float(ys[c][j]))
            hover.append(neuron_sentence(net, input_labels, c, j))
    data.append(dict(type="scatter", x=nx, y=ny, mode="markers", hovertext=hover, hoverinfo="text",
                     showlegend=False, marker=dict(symbol="square", size=min(34, int(row_px)),
                                                   color="rgba(0,0,0,0)",
                                                   line=dict(color="#555555", width=1))))
    images = neuron_maps(net, maps) if maps is not None else []
    # Labels as text traces, not annotations: an unchanged trace costs nothing to redraw.
    data.append(dict(type="scatter", x=[-box / 2 - 0.2] * sizes[0], y=[float(v) for v in ys[0]], mode="text",
                     text=list(input_labels), textposition="middle left", hoverinfo="skip", showlegend=False,
                     textfont=dict(size=14)))
    names = ["<b>input</b>"] + [f"<b>{'output' if c == cols - 1 else f'hidden {c}'}</b><br>"
                                f"{net.layers[c - 1].activation.name}" for c in range(1, cols)]
    data.append(dict(type="scatter", x=[c * dx for c in range(cols)], y=[-top] * cols, mode="text", text=names,
                     textposition="bottom center", hoverinfo="skip", showlegend=False,
                     textfont=dict(size=12 if cols <= 8 else 10)))
    return dict(data=data, layout=layout(
        title, height=h, showlegend=False, images=images,
        margin=dict(l=10, r=10, t=40 if title else 10, b=10), hovermode="closest",
        xaxis=dict(visible=False, range=[-1.8, (cols - 1) * dx + 0.8], fixedrange=True),
        yaxis=dict(visible=False, range=[-bottom, top], fixedrange=True)))


def _signed(v: float) -> str:
    return f"− {abs(v):.2g}" if v < 0 else f"+ {v:.2g}"


def _source(input_labels, l: int, k: int) -> str:
    """What feeds layer l's k-th input: an input feature (l = 1) or neuron k of the layer before."""
    return input_labels[k] if l == 1 else f"a{_sup(l - 1)}{_sub(k + 1)}"


def neuron_sentence(net, input_labels, c: int, j: int, max_terms: int = 4) -> str:
    """One sentence for hovering neuron j of column c (0 = inputs): what it computes and what its map shows."""
    if c == 0:
        return (f"Input {input_labels[j]}: its map shows {input_labels[j]} at every point of the plane "
                "(orange negative, blue positive).")
    layer, L = net.layers[c - 1], len(net.layers)
    W, b, f = layer.W[:, j], float(layer.b[j]), layer.activation.name
    terms = [f"{W[k]:.2g}·{_source(input_labels, c, k)}".replace("-", "−") if k == 0
             else f"{_signed(W[k])}·{_source(input_labels, c, k)}" for k in range(min(layer.n_in, max_terms))]
    z = " ".join(terms) + (" + …" if layer.n_in > max_terms else "") + f" {_signed(b)}"
    if c < L:
        return (f"Neuron {j + 1} of hidden layer {c}: a = {f}(z), z = {z};<br>its map shows a at every point "
                "of the plane.")
    if f == "softmax":
        return (f"Output neuron {j + 1}: a = e^z{_sub(j + 1)} / Σₖ e^zₖ, z{_sub(j + 1)} = {z};<br>its map shows "
                f"the probability of class {j} at every point of the plane.")
    what = "the predicted value" if f == "linear" else "the probability of class 1"
    return f"Output neuron: a = {f}(z), z = {z};<br>its map shows {what} at every point of the plane."


def edge_hover(net, input_labels, ys) -> dict:
    """Invisible points at the middle of every edge; hovering one names its weight and says how it is drawn.

    One text per weight: 4,600 of them (about 700 kB) for 8 layers of 24, built in one pass per layer (a NaN
    weight is named 0.00, like its edge's width)."""
    hx, hy, text = [], [], []
    for l, layer in enumerate(net.layers, 1):
        target = "the output" if l == len(net.layers) and layer.n_out == 1 else (
            "output neuron {j}" if l == len(net.layers) else f"neuron {{j}} of layer {l}")
        W = np.nan_to_num(layer.W).tolist()
        targets = [target.format(j=j + 1) for j in range(layer.n_out)]
        subs = [_sub(j + 1) for j in range(layer.n_out)]
        x, sup = round((l - 0.5) * DX, 3), _sup(l)
        for k in range(layer.n_in):
            source, sub_k, y_k = _source(input_labels, l, k), _sub(k + 1), float(ys[l - 1][k])
            for j, w in enumerate(W[k]):
                hx.append(x)
                hy.append(round((y_k + float(ys[l][j])) / 2, 3))
                name = f"w{sup}{subs[j]}{sub_k} = {w:.2f}".replace("-", "−")
                text.append(f"{name}: from {source} to {targets[j]}; "
                            f"{'orange = negative' if w < 0 else 'blue = positive'}, thickness = |w|.")
    return dict(type="scatter", x=hx, y=hy, mode="markers", hovertext=text, hoverinfo="text", showlegend=False,
                marker=dict(size=8, color="rgba(0,0,0,0)"), name="weights")


# ---- costs, dead ReLUs, hidden space -----------------------------------------------------------------
def _thin(x, *ys, limit: int = 800):
    stride = max(1, len(x) // limit)
    return (list(x)[::stride],) + tuple(list(y)[::stride] for y in ys)


def cost_curves(epochs, train_losses, test_losses, title: str = "", height: int = 300) -> dict:
    """Training and test cost per epoch."""
    test = [np.nan if v is None else v for v in test_losses]
    ep, tr, te = _thin(epochs, train_losses, test)
    data = [dict(type="scatter", x=ep, y=lst(tr, 6), mode="lines", name="training cost",
                 line=dict(color=TRAIN, width=2.5)),
            dict(type="scatter", x=ep, y=lst(te, 6), mode="lines", name="test cost",
                 line=dict(color=VALIDATION, width=2.5), visible=bool(np.any(np.isfinite(np.asarray(te, float)))))]
    return dict(data=data, layout=layout(title, height=height, margin=dict(l=55, r=10, t=45 if title else 15, b=45),
                                         legend=dict(orientation="h", yanchor="top", y=0.99, xanchor="right", x=1.0,
                                                     bgcolor="rgba(255,255,255,0.7)"),
                                         xaxis=dict(title=dict(text="epoch")),
                                         yaxis=dict(title=dict(text="cost J"), rangemode="tozero"), meta=GROWS))


def accuracy_curves(epochs, accuracies, test_accuracies, title: str = "", height: int = 300) -> dict:
    """Training and test accuracy per epoch, in %."""
    pct = [[np.nan if v is None else 100 * v for v in vs] for vs in (accuracies, test_accuracies)]
    ep, tr, te = _thin(epochs, *pct)
    data = [dict(type="scatter", x=ep, y=lst(tr, 2), mode="lines", name="training accuracy",
                 line=dict(color=TRAIN, width=2.5), hovertemplate="epoch %{x}: %{y:.1f} % of the training points "
                                                                  "right<extra></extra>"),
            dict(type="scatter", x=ep, y=lst(te, 2), mode="lines", name="test accuracy",
                 line=dict(color=VALIDATION, width=2.5), visible=bool(np.any(np.isfinite(np.asarray(te, float)))),
                 hovertemplate="epoch %{x}: %{y:.1f} % of the test points right<extra></extra>")]
    return dict(data=data, layout=layout(title, height=height, margin=dict(l=55, r=10, t=45 if title else 15, b=45),
                                         legend=dict(orientation="h", yanchor="bottom", y=0.01, xanchor="right",
                                                     x=1.0, bgcolor="rgba(255,255,255,0.7)"),
                                         xaxis=dict(title=dict(text="epoch")),
                                         yaxis=dict(title=dict(text="accuracy (%)"), range=[0, 101]), meta=GROWS))


def confusion_matrix(counts, title: str = "", part: str = "training", height: int = 300) -> dict:
    """A K × K confusion matrix: rows the true class, columns the predicted one; each cell its count and the
    row's % (coloured by it), hovering a cell says what it counts."""
    from nncore.engine.metrics import row_percentages

    c = np.asarray(counts, dtype=int)
    pct = row_percentages(c)
    k = len(c)
    labels = [f"class {i}" for i in range(k)]
    text = [[f"{c[i, j]}<br>{pct[i, j]:.0f} %" for j in range(k)] for i in range(k)]
    says = [[(f"{c[i, j]} {part} point{'' if c[i, j] == 1 else 's'} of class {i} ({pct[i, j]:.0f} % of class {i}) "
              + (f"{'was' if c[i, j] == 1 else 'were'} classified right." if i == j else
                 f"{'was' if c[i, j] == 1 else 'were'} taken for class {j}."))
             for j in range(k)] for i in range(k)]
    data = [dict(type="heatmap", x=labels, y=labels, z=lst(pct, 1), zmin=0, zmax=100, text=text,
                 texttemplate="%{text}", customdata=says, hovertemplate="%{customdata}<extra></extra>",
                 colorscale=[[0, "#ffffff"], [1, TRAIN]], showscale=False, xgap=2, ygap=2)]
    return dict(data=data, layout=layout(
        title, height=height, margin=dict(l=70, r=10, t=45 if title else 15, b=50),
        xaxis=dict(title=dict(text="predicted class"), side="bottom", showgrid=False),
        yaxis=dict(title=dict(text="true class"), autorange="reversed", showgrid=False)))


def dead_relu_meter(epochs, shares, title: str = "", height: int = 300) -> dict:
    """The share of dead ReLU units (0 for every input) per epoch, in %."""
    if not shares or all(s is None for s in shares):
        return dict(data=[dict(type="scatter", x=[], y=[], mode="lines")], layout=layout(
            title, height=height, xaxis=dict(visible=False), yaxis=dict(visible=False),
            annotations=[dict(text="No ReLU layer:<br>nothing can die here.", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper", font=dict(size=15, color="#666666"))]))
    ep, sh = _thin(epochs, [100 * (s or 0.0) for s in shares])
    return dict(data=[dict(type="scatter", x=ep, y=lst(sh, 2), mode="lines", fill="tozeroy", name="dead ReLUs",
                           line=dict(color=WRONG, width=2), hovertemplate="epoch %{x}: %{y:.0f} %<extra></extra>")],
                layout=layout(title, height=height, showlegend=False,
                              margin=dict(l=55, r=10, t=45 if title else 15, b=45),
                              xaxis=dict(title=dict(text="epoch")),
                              yaxis=dict(title=dict(text="dead ReLUs (%)"), range=[0, 100]), meta=GROWS))


def hidden_space(hs: Optional[HiddenSpace], y, title: str = "", height: int = 360, dims: int = 2,
                 task: Task = BINARY) -> dict:
    """The training points as the last hidden layer sees them, with the output's boundary line (plane) if exact."""
    if hs is None:
        return dict(data=[dict(type="scatter", x=[], y=[], mode="markers")], layout=layout(
            title, height=height, xaxis=dict(visible=False), yaxis=dict(visible=False),
            annotations=[dict(text="No hidden layer: the output neuron<br>sees the inputs themselves.",
                              showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                              font=dict(size=15, color="#666666"))]))
    c = hs.coords
    k = c.shape[1]
    marker = dict(**point_colours(y, task, value_scale(y)), size=7 if dims == 3 else 10,
                  line=dict(color="white", width=1))
    if dims == 3 and k >= 3:
        data = [dict(type="scatter3d", x=lst(c[:, 0]), y=lst(c[:, 1]), z=lst(c[:, 2]), mode="markers",
                     marker=marker, name="training points", hoverinfo="skip")]
        if hs.exact and hs.plane is not None:
            data.append(_plane(c, *hs.plane))
        return dict(data=data, layout=layout(title, height=height, showlegend=False,
                                             margin=dict(l=0, r=0, t=40 if title else 0, b=0),
                                             scene=dict(xaxis=dict(title=dict(text=hs.labels[0])),
                                                        yaxis=dict(title=dict(text=hs.labels[1])),
                                                        zaxis=dict(title=dict(text=hs.labels[2])))))
    px = c[:, 0]
    py = c[:, 1] if k >= 2 else np.zeros(len(c))
    data = [dict(type="scatter", x=lst(px), y=lst(py), mode="markers", marker=marker, name="training points",
                 hoverinfo="skip")]
    if hs.exact and hs.plane is not None and k <= 2:
        data.append(_line(px, py, *hs.plane))

    def span(v):                       # the points' range, padded: the line may run out of it
        v = np.asarray(v, dtype=float)
        v = v[np.isfinite(v)] if np.isfinite(v).any() else np.zeros(1)      # a diverged layer's NaN: no range
        lo, hi = float(np.min(v)), float(np.max(v))
        pad = 0.15 * (hi - lo) + 1e-3 * max(1.0, abs(hi)) + (0.5 if hi - lo < 1e-9 else 0)
        return [lo - pad, hi + pad]

    return dict(data=data, layout=layout(
        title, height=height, showlegend=False, margin=dict(l=55, r=10, t=45 if title else 15, b=50),
        xaxis=dict(title=dict(text=hs.labels[0]), automargin=True, exponentformat="power", range=span(px)),
        yaxis=dict(title=dict(text=hs.labels[1] if k >= 2 else "", standoff=6), automargin=True,
                   exponentformat="power", range=span(py))))


def _line(px, py, w, b) -> dict:
    """The output neuron's boundary w·a + b = 0 (where its sigmoid is 0.5) across the points' range."""
    lo_x, hi_x = float(np.min(px)), float(np.max(px))
    lo_y, hi_y = float(np.min(py)), float(np.max(py))
    pad_x, pad_y = 0.2 * (hi_x - lo_x) + 0.1, 0.2 * (hi_y - lo_y) + 0.1
    style = dict(type="scatter", mode="lines", name="output's line w·a + b = 0", hoverinfo="skip",
                 line=dict(color="#333333", width=2, dash="dash"))
    if len(w) == 1 or abs(w[1]) < 1e-12:
        if abs(w[0]) < 1e-12:
            return {**style, "x": [], "y": []}
        x0 = -b / w[0]
        return {**style, "x": [x0, x0], "y": [lo_y - pad_y, hi_y + pad_y]}
    xs = np.array([lo_x - pad_x, hi_x + pad_x])
    return {**style, "x": lst(xs), "y": lst(-(w[0] * xs + b) / w[1])}


def _plane(c, w, b) -> dict:
    """The plane w·a + b = 0 in 3-D hidden space, as a small mesh across the points' range."""
    lo, hi = c.min(axis=0), c.max(axis=0)
    pad = 0.2 * (hi - lo) + 0.1
    i = int(np.argmax(np.abs(w)))
    others = [d for d in range(3) if d != i]
    g0, g1 = np.meshgrid(np.linspace(lo[others[0]] - pad[others[0]], hi[others[0]] + pad[others[0]], 2),
                         np.linspace(lo[others[1]] - pad[others[1]], hi[others[1]] + pad[others[1]], 2))
    pts = np.zeros((4, 3))
    pts[:, others[0]], pts[:, others[1]] = g0.ravel(), g1.ravel()
    pts[:, i] = -(b + w[others[0]] * pts[:, others[0]] + w[others[1]] * pts[:, others[1]]) / (w[i] or 1e-12)
    return dict(type="mesh3d", x=lst(pts[:, 0]), y=lst(pts[:, 1]), z=lst(pts[:, 2]), i=[0, 1], j=[1, 3], k=[2, 2],
                opacity=0.35, color="#888888", hoverinfo="skip", name="output's plane")


def keras_comparison(epochs: List[int], numpy_losses, keras_losses, title: str = "") -> dict:
    """The per-epoch cost of the numpy run and of the Keras run from the same start."""
    return dict(data=[
        dict(type="scatter", x=epochs, y=lst(numpy_losses, 6), mode="lines", name="numpy engine",
             line=dict(color=TRAIN, width=5), opacity=0.5),
        dict(type="scatter", x=epochs, y=lst(keras_losses, 6), mode="lines", name="Keras",
             line=dict(color=SERIES_COLORS[2], width=2, dash="dash")),
    ], layout=layout(title, height=300, xaxis=dict(title=dict(text="epoch")),
                     yaxis=dict(title=dict(text="training cost J"))))
