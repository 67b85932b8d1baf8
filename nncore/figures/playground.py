"""Figures of the playground: decision boundary, the network with its neurons' maps, costs, hidden space.

Plain dicts (see ``style.layout``), built fast enough to redraw many times a second. Colours are
TensorFlow Playground's: orange for class 0 / low values, blue for class 1 / high values. The
neurons' small maps are PNG images (a few hundred bytes each) placed on the diagram.
"""
from __future__ import annotations

import base64
import struct
import zlib
from typing import List, Optional, Sequence

import numpy as np

from ..boundary import HiddenSpace, PlaneMaps
from .style import CLASS_COLORS, TRAIN, VALIDATION, layout, lst

ORANGE = np.array([245, 147, 34], dtype=float)
BLUE = np.array([8, 119, 189], dtype=float)
PAPER = np.array([232, 234, 235], dtype=float)
POSITIVE, NEGATIVE = "#0877bd", "#f59322"
EDGE_WIDTHS = (0.6, 1.4, 2.4, 3.6, 5.2)


# ---- tiny PNGs for the neuron maps ------------------------------------------------------------------
def colour(values) -> np.ndarray:
    """Values in [-1, 1] → RGB uint8: -1 orange, 0 grey-white, +1 blue."""
    v = np.clip(np.nan_to_num(np.asarray(values, dtype=float)), -1, 1)[..., None]
    rgb = np.where(v >= 0, PAPER + v * (BLUE - PAPER), PAPER - v * (ORANGE - PAPER))
    return rgb.round().astype(np.uint8)


def png_uri(rgb: np.ndarray) -> str:
    """An (h, w, 3) RGB or (h, w, 4) RGBA uint8 image as a data: URI (PNG, no dependencies)."""
    h, w, channels = rgb.shape
    raw = b"".join(b"\x00" + rgb[i].tobytes() for i in range(h))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6 if channels == 4 else 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def neuron_values(a: np.ndarray, activation: str) -> np.ndarray:
    """A neuron's map scaled to [-1, 1] for colouring: sigmoid's (0, 1) → 2a-1; others shrunk if beyond 1."""
    if activation == "sigmoid":
        return 2 * a - 1
    top = float(np.abs(a).max()) if a.size else 0.0
    return a / top if top > 1 else a


def thumbnail(a: np.ndarray, activation: str) -> str:
    """A neuron's map over the plane (rows are x₂ from bottom to top) as a PNG data URI."""
    return png_uri(colour(neuron_values(a, activation))[::-1])


# ---- the decision boundary ------------------------------------------------------------------------------
def _points(x, y, name, test: bool, visible: bool = True) -> dict:
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    y = np.asarray(y).reshape(-1)
    colours = [CLASS_COLORS[1] if v > 0.5 else CLASS_COLORS[0] for v in y]
    few = len(x) <= 10                  # a truth table: big points with a dark edge, visible on any colour
    size = 18 if few else (9 if test else 10)
    edge = "#222222" if test or few else "white"
    return dict(type="scatter", x=lst(x[:, 0], 4), y=lst(x[:, 1], 4), mode="markers", name=name,
                visible=visible, hovertemplate="x₁=%{x:.2f}, x₂=%{y:.2f}<extra>" + name + "</extra>",
                marker=dict(color=colours, size=size, symbol="diamond" if test else "circle",
                            line=dict(color=edge, width=2 if few else (1.5 if test else 1.2))))


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
                      discretize: bool = False, title: str = "", height: int = 430) -> dict:
    """The network's output a^L over the plane (orange → 0, blue → 1), its line a^L = 0.5, and the points.

    The output map and the line are two small PNGs stretched over the plane, so that while training
    only images change and the points (unchanged traces) are not redrawn: a few ms per frame.
    """
    z = maps.output
    shade = np.where(z > 0.5, 0.75, -0.75) if discretize else 2 * z - 1
    xs, ys = maps.xs, maps.ys
    dx, dy = (xs[-1] - xs[0]) / max(len(xs) - 1, 1), (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
    box = dict(xref="x", yref="y", sizing="stretch", layer="below")
    images = [
        dict(source=png_uri(colour(shade)[::-1]), x=float(xs[0] - dx / 2), y=float(ys[-1] + dy / 2),
             sizex=float(xs[-1] - xs[0] + dx), sizey=float(ys[-1] - ys[0] + dy), opacity=0.9, **box),
        dict(source=png_uri(level_image(z)[::-1]), x=float(xs[0]), y=float(ys[-1]), sizex=float(xs[-1] - xs[0]),
             sizey=float(ys[-1] - ys[0]), **box),
    ]
    data = [_points(x_train, y_train, "training points", test=False),
            _points(x_test, y_test, "test points", test=True, visible=bool(show_test) and len(x_test) > 0)]
    x_range = [float(xs[0] - dx / 2), float(xs[-1] + dx / 2)]
    y_range = [float(ys[0] - dy / 2), float(ys[-1] + dy / 2)]
    return dict(data=data, layout=layout(
        title, height=height, margin=dict(l=55, r=10, t=45 if title else 15, b=40), showlegend=False,
        images=images, plot_bgcolor="white",
        xaxis=dict(title=dict(text="x₁"), range=x_range, constrain="domain", showgrid=False, zeroline=False),
        yaxis=dict(title=dict(text="x₂", standoff=4), range=y_range, scaleanchor="x", constrain="domain",
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
                    height: Optional[int] = None) -> dict:
    """Neurons in columns (inputs, hidden layers, output), edges coloured by the sign of w and sized by |w|.

    With ``maps`` each neuron carries a small map of its a^l_j over the plane, as TensorFlow
    Playground shows. Hovering a neuron shows its bias and incoming weights.
    """
    sizes = net.sizes
    cols = len(sizes)
    dx, box = DX, BOX
    ys = [_rows(n) for n in sizes]
    wmax = max((float(np.abs(layer.W).max()) for layer in net.layers if layer.W.size), default=1.0) or 1.0
    buckets = {(s, b): ([], []) for s in (1, -1) for b in range(len(EDGE_WIDTHS))}
    for l, layer in enumerate(net.layers, 1):
        x0, x1 = (l - 1) * dx + box / 2, l * dx - box / 2
        W = np.nan_to_num(layer.W)
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
            if c == 0:
                hover.append(f"input {input_labels[j]}")
            else:
                layer = net.layers[c - 1]
                ws = ", ".join(f"w<sup>{c}</sup><sub>{j + 1}{k + 1}</sub>={layer.W[k, j]:.3f}"
                               for k in range(min(layer.n_in, 8)))
                more = " …" if layer.n_in > 8 else ""
                hover.append(f"{'output' if c == cols - 1 else f'hidden layer {c}'}, neuron {j + 1} "
                             f"({layer.activation.name})<br>b<sup>{c}</sup><sub>{j + 1}</sub>={layer.b[j]:.3f}"
                             f"<br>{ws}{more}")
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
                                         yaxis=dict(title=dict(text="cost J"), rangemode="tozero")))


def dead_relu_meter(epochs, shares, title: str = "", height: int = 300) -> dict:
    """The share of dead ReLU units (0 for every input) per epoch, in %."""
    if not shares or all(s is None for s in shares):
        return dict(data=[dict(type="scatter", x=[], y=[], mode="lines")], layout=layout(
            title, height=height, xaxis=dict(visible=False), yaxis=dict(visible=False),
            annotations=[dict(text="No ReLU layer:<br>nothing can die here.", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper", font=dict(size=15, color="#666666"))]))
    ep, sh = _thin(epochs, [100 * (s or 0.0) for s in shares])
    return dict(data=[dict(type="scatter", x=ep, y=lst(sh, 2), mode="lines", fill="tozeroy", name="dead ReLUs",
                           line=dict(color="#d62728", width=2), hovertemplate="epoch %{x}: %{y:.0f} %<extra></extra>")],
                layout=layout(title, height=height, showlegend=False, margin=dict(l=55, r=10, t=45 if title else 15, b=45),
                              xaxis=dict(title=dict(text="epoch")),
                              yaxis=dict(title=dict(text="dead ReLUs (%)"), range=[0, 100])))


def hidden_space(hs: Optional[HiddenSpace], y, title: str = "", height: int = 360, dims: int = 2) -> dict:
    """The training points as the last hidden layer sees them, with the output's boundary line (plane) if exact."""
    if hs is None:
        return dict(data=[dict(type="scatter", x=[], y=[], mode="markers")], layout=layout(
            title, height=height, xaxis=dict(visible=False), yaxis=dict(visible=False),
            annotations=[dict(text="No hidden layer: the output neuron<br>sees the inputs themselves.",
                              showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                              font=dict(size=15, color="#666666"))]))
    y = np.asarray(y).reshape(-1)
    colours = [CLASS_COLORS[1] if v > 0.5 else CLASS_COLORS[0] for v in y]
    c = hs.coords
    k = c.shape[1]
    marker = dict(color=colours, size=7 if dims == 3 else 10, line=dict(color="white", width=1))
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
             line=dict(color="#d62728", width=2, dash="dash")),
    ], layout=layout(title, height=300, xaxis=dict(title=dict(text="epoch")),
                     yaxis=dict(title=dict(text="training cost J"))))
