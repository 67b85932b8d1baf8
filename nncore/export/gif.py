"""A run as an animated GIF: what the network computes (left) and the cost curve J (right) side by side.

One frame per recorded moment of the run's timeline (``nncore.engine.timeline``: θ₀, θ at the painted frames
and at every epoch end). Each frame is drawn from that moment's θ = (W¹, b¹, …, W^L, b^L) with the numpy
engine. The left panel is
- for a playground run (``boundary_panel``): one forward pass a^L over a grid of the plane
  (``nncore.lessons.boundary.plane_maps``), coloured as the page colours it (``nncore.figures.playground_plots``:
  P(class 1) orange → blue with the line a^L = 0.5, the most probable of K classes, or a value), the training
  points on top;
- for a regression run (``fit_panel``, /regression): the training and validation points (x, y) and the
  model's ŷ = a^L(x) over them, the line w x + b of course 004 or the small network's curve.

Beside it the training and test (or validation) costs J per epoch up to that moment. No plotly, no browser:
Pillow writes the GIF.

**Size bound.** At most ``MAX_FRAMES`` (120) frames, picked evenly over the timeline (θ₀ and the newest θ
always in), 2 × ``SIDE`` by ``SIDE`` pixels; the file is at most ``MAX_BYTES`` = 5,000,000 bytes: while it is
larger, the frames are halved (down to ``MIN_FRAMES``), then the picture shrinks by a quarter (down to
``MIN_SIDE``). ``Gif`` says what was kept.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np

MAX_BYTES = 5_000_000
MAX_FRAMES = 120
MIN_FRAMES = 8
SIDE = 320
MIN_SIDE = 120
RESOLUTION = 60                 # the grid a^L is computed on (the page's paused boundary uses 80, live 40)
FRAME_MS, LAST_MS = 90, 1500    # each frame shown 90 ms, the last one held 1.5 s
INK, GRID = (49, 51, 63), (220, 220, 220)


@dataclass
class Gif:
    """The GIF's bytes and what it holds: ``frames`` pictures of ``width`` × ``height``, at the timeline's
    frames ``picked`` (indices into ``Timeline.frames``), of ``available`` recorded moments."""

    data: bytes
    frames: int
    width: int
    height: int
    picked: List[int]
    available: int

    @property
    def nbytes(self) -> int:
        return len(self.data)


def pick(n: int, count: int) -> List[int]:
    """``count`` indices spread evenly over 0 … n − 1, the first and the last always among them."""
    if n <= count:
        return list(range(n))
    return sorted(set(np.linspace(0, n - 1, max(2, count)).round().astype(int).tolist()))


# ---- the two panels ----------------------------------------------------------------------------------------
def _rgb(hex_colour: str):
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _output_maps(net, data):
    """a^L over the plane; TF Playground's tanh output a ∈ [−1, 1] drawn as (a + 1)/2, as the page does."""
    from nncore.lessons import boundary

    maps = boundary.plane_maps(net, data.features, data.extent, RESOLUTION)
    if net.layers[-1].activation.name == "tanh":
        maps = boundary.PlaneMaps(maps.xs, maps.ys, [*maps.layers[:-1], (maps.layers[-1] + 1) / 2])
    return maps


def boundary_panel(net, data, side: int = SIDE):
    """The plane as the network with ``net``'s θ sees it: a^L coloured, its boundary, the training points
    (a PIL image ``side`` × ``side``; x₁ to the right, x₂ up, over ``data.extent``)."""
    from PIL import Image, ImageDraw

    from nncore.figures import playground_plots as pp

    task = data.task
    maps = _output_maps(net, data)
    scale = pp.value_scale(data.y_train, data.y_test)
    image = Image.fromarray(pp.plane_colours(maps, task, scale=scale)[::-1]).resize((side, side), Image.BILINEAR)
    if task.kind != "regression":
        edges = pp.class_edges(maps.outputs) if task.kind == "multiclass" else pp.level_image(maps.output)
        line = Image.fromarray(edges[::-1]).resize((side, side), Image.NEAREST)
        image.paste(line, (0, 0), line)
    draw = ImageDraw.Draw(image)
    x0, x1, y0, y1 = data.extent
    r = max(2, side // 80)
    for (a, b), y in zip(np.asarray(data.x_train, float), np.asarray(data.y_train, float).reshape(-1)):
        px, py = (a - x0) / (x1 - x0) * side, (1 - (b - y0) / (y1 - y0)) * side
        if task.kind == "regression":
            fill = tuple(int(v) for v in pp.colour(y / scale))
        elif task.kind == "multiclass":
            fill = _rgb(pp.CLASS_COLORS[int(y) % len(pp.CLASS_COLORS)])
        else:
            fill = _rgb(pp.CLASS_COLORS[1] if y > 0.5 else pp.CLASS_COLORS[0])
        draw.ellipse((px - r, py - r, px + r, py + r), fill=fill, outline="white")
    return image


def fit_panel(data):
    """The left panel of a regression run over ``data`` (a ``datasets.Split``): ``panel(net, side)`` draws the
    points (training blue, validation orange) and ŷ = a^L(x) of ``net`` over x, on axes fixed by the data."""
    from PIL import Image, ImageDraw

    from nncore.figures.style import TRAIN, VALIDATION

    x = np.concatenate([np.ravel(data.x_train), np.ravel(data.x_val)]).astype(float)
    y = np.concatenate([np.ravel(data.y_train), np.ravel(data.y_val)]).astype(float)
    x0, x1 = min(0.0, float(x.min())), max(1.0, float(x.max()))
    pad = 0.1 * (float(y.max() - y.min()) or 1.0)
    y0, y1 = float(y.min()) - pad, float(y.max()) + pad
    grid = np.linspace(x0, x1, 120)[:, None]

    def panel(net, side: int = SIDE):
        image = Image.new("RGB", (side, side), "white")
        draw = ImageDraw.Draw(image)

        def xy(a, b):
            return (a - x0) / (x1 - x0) * (side - 1), (1 - (b - y0) / (y1 - y0)) * (side - 1)

        r = max(2, side // 90)
        for xs, ys, colour in ((data.x_train, data.y_train, TRAIN), (data.x_val, data.y_val, VALIDATION)):
            for a, b in zip(np.ravel(xs), np.ravel(ys)):
                px, py = xy(a, b)
                draw.ellipse((px - r, py - r, px + r, py + r), fill=_rgb(colour))
        y_hat = np.clip(np.nan_to_num(np.ravel(net.predict(grid)), nan=y0), y0 - 10 * (y1 - y0), y1 + 10 * (y1 - y0))
        draw.line([xy(a, b) for a, b in zip(grid[:, 0], y_hat)], fill=INK, width=max(2, side // 110))
        draw.rectangle((0, 0, side - 1, side - 1), outline=GRID)
        return image

    return panel


def cost_panel(train: Sequence[float], test: Sequence[Optional[float]], epochs: int, top: float,
               side: int = SIDE, caption: str = "", test_name: str = "test"):
    """The costs J per epoch so far (training blue, test orange) on axes fixed for the whole GIF:
    epochs 0 … ``epochs``, J from 0 to ``top``."""
    from PIL import Image, ImageDraw, ImageFont

    from nncore.figures.style import TRAIN, VALIDATION

    image = Image.new("RGB", (side, side), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(9, side // 24))
    left, right, up, down = side * 0.17, side * 0.96, side * 0.14, side * 0.84
    draw.rectangle((left, up, right, down), outline=GRID)
    epochs, top = max(int(epochs), 1), top if top > 0 and np.isfinite(top) else 1.0

    def xy(e, j):
        return left + e / epochs * (right - left), down - min(j, top) / top * (down - up)

    for values, colour in ((train, TRAIN), (test, VALIDATION)):
        points = [xy(e + 1, v) for e, v in enumerate(values) if v is not None and np.isfinite(v)]
        if len(points) > 1:
            draw.line(points, fill=_rgb(colour), width=max(1, side // 110))
        elif points:
            draw.ellipse((points[0][0] - 2, points[0][1] - 2, points[0][0] + 2, points[0][1] + 2), fill=_rgb(colour))
    draw.text((left, down + 4), "0", fill=INK, font=font)
    draw.text((right, down + 4), f"{epochs:,}", fill=INK, font=font, anchor="ra")
    draw.text(((left + right) / 2, down + 4), "epoch", fill=INK, font=font, anchor="ma")
    draw.text((left - 4, up), f"{top:.3g}", fill=INK, font=font, anchor="ra")
    draw.text((left - 4, down), "0", fill=INK, font=font, anchor="rs")
    draw.text((left - 4, (up + down) / 2), "J", fill=INK, font=font, anchor="rm")
    draw.text((left, side * 0.03), caption, fill=INK, font=font)
    draw.text((right, side * 0.93), "training", fill=_rgb(TRAIN), font=font, anchor="ra")
    if any(v is not None for v in test):
        draw.text((left, side * 0.93), test_name, fill=_rgb(VALIDATION), font=font)
    return image


# ---- the GIF ------------------------------------------------------------------------------------------------
def _frame_images(run, frames, picked: Sequence[int], side: int, left, test_name: str):
    from PIL import Image

    from nncore.engine.timeline import RunAt

    costs = [v for v in list(run.train_losses) + list(run.val_losses) if v is not None and np.isfinite(v)]
    top = float(max(costs)) * 1.05 if costs else 1.0
    epochs = max(len(run.train_losses), 1)
    out = []
    for k in picked:
        moment = RunAt(run, frames[k])
        caption = f"epoch {moment.frame.epoch:,} · update {moment.step:,}"
        if moment.train_losses:
            caption += f" · J = {moment.train_losses[-1]:.4f}"
        frame = Image.new("RGB", (2 * side, side), "white")
        frame.paste(left(moment.net, side), (0, 0))
        frame.paste(cost_panel(moment.train_losses, moment.val_losses, epochs, top, side, caption, test_name),
                    (side, 0))
        out.append(frame)
    return out


def encode(images) -> bytes:
    """Frames (PIL RGB images) as a looping GIF, one palette of 256 colours per frame."""
    buffer = io.BytesIO()
    frames = [im.quantize(colors=256, method=2) for im in images]      # 2 = fast octree
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_MS]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                   disposal=1, optimize=False)
    return buffer.getvalue()


def of_run(run, timeline, max_bytes: int = MAX_BYTES, max_frames: int = MAX_FRAMES, side: int = SIDE,
           left=None, test_name: str = "test") -> Gif:
    """The run so far as a GIF (``run``: a playground run, whose ``data`` holds the points and the plane;
    ``timeline``: its ``Timeline``), within ``max_bytes`` (see the module's docstring). ``left(net, side)``
    draws the left panel (default: the playground's boundary; ``fit_panel(data)`` for a regression run);
    ``test_name`` names the second cost curve."""
    if left is None:
        def left(net, side):
            return boundary_panel(net, run.data, side)
    frames = list(timeline.frames)          # a copy: a page's run may add (and thin) frames meanwhile
    n = len(frames)
    if n == 0:
        raise ValueError("The timeline is empty: nothing to animate yet.")
    count = min(max_frames, n)
    while True:
        picked = pick(n, count)
        data = encode(_frame_images(run, frames, picked, side, left, test_name))
        if len(data) <= max_bytes:
            return Gif(data, len(picked), 2 * side, side, picked, n)
        if count > MIN_FRAMES:
            count = max(MIN_FRAMES, count // 2)
        elif side > MIN_SIDE:
            side = max(MIN_SIDE, int(side * 0.75))
        else:
            raise ValueError(f"A GIF of {count} frames of {2 * side} × {side} takes {len(data):,} bytes, over "
                             f"{max_bytes:,}.")


def timeline_of(run):
    """The timeline kept for ``run``: the page's own if it attached one as ``run.timeline``, else one this
    module attaches (``Timeline.follow``: θ₀ now and θ at every epoch end; ``capture`` adds painted frames)."""
    from nncore.engine.timeline import Timeline

    line = getattr(run, "timeline", None)
    if line is None:
        line = run.timeline = Timeline().follow(run)
    return line
