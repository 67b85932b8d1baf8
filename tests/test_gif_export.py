"""⬇ GIF of a playground run (nncore.export.gif): a real GIF Pillow reads back, its frames, its size bound, and
its first and last frames are the boundaries of θ₀ and of the newest θ."""
import io

import numpy as np
import pytest
from PIL import Image

from nncore.export import gif
from nncore.lessons import playground_lab as pg

SETUP = pg.Setup()                                           # noisy XOR, 4-2 tanh, SGD α = 0.1, batches of 10


def played(epochs: int, speed: int = 7, setup=SETUP):
    """A run played as the page plays it (``speed`` updates per painted frame), its timeline kept."""
    _, run = pg.start(setup)
    line = gif.timeline_of(run)
    while run.epoch < epochs and not run.done:
        run.advance(speed)
        line.capture(run)
    return run, line


@pytest.fixture(scope="module")
def long_run():
    return played(150)


def frames_of(data: bytes):
    im = Image.open(io.BytesIO(data))
    assert im.format == "GIF"
    out = []
    for i in range(im.n_frames):
        im.seek(i)
        out.append(np.asarray(im.convert("RGB"), dtype=float))
    return out


def test_a_real_gif_one_frame_per_recorded_moment_when_few():
    run, line = played(6)
    assert 2 < len(line) <= gif.MAX_FRAMES
    g = gif.of_run(run, line, side=160)
    frames = frames_of(g.data)
    assert len(frames) == g.frames == len(line) and g.picked == list(range(len(line)))
    assert frames[0].shape == (160, 320, 3) and (g.width, g.height) == (320, 160)


def test_long_runs_are_thinned_evenly_keeping_theta0_and_the_newest(long_run):
    run, line = long_run
    assert len(line) > gif.MAX_FRAMES
    g = gif.of_run(run, line, side=160)
    assert g.frames == gif.MAX_FRAMES == len(frames_of(g.data))
    assert g.picked[0] == 0 and g.picked[-1] == len(line) - 1
    gaps = np.diff(g.picked)
    assert gaps.max() - gaps.min() <= 1                         # evenly spread


def test_first_and_last_frames_are_the_boundaries_of_theta0_and_theta_end(long_run):
    run, line = long_run
    side = 200
    frames = frames_of(gif.of_run(run, line, side=side).data)
    start = np.asarray(gif.boundary_panel(run.initial_net(), run.data, side), dtype=float)
    end = np.asarray(gif.boundary_panel(run.net, run.data, side), dtype=float)
    assert np.abs(start - end).mean() > 20                      # the run has moved: the two pictures differ
    for frame, same, other in ((frames[0], start, end), (frames[-1], end, start)):
        left = frame[:, :side]
        assert np.abs(left - same).mean() < 3                   # only the GIF's 256-colour palette differs
        assert np.abs(left - other).mean() > 15


def test_the_size_cap_thins_frames_then_shrinks_the_picture(long_run):
    run, line = long_run
    full = gif.of_run(run, line, side=160)
    cap = full.nbytes // 3
    small = gif.of_run(run, line, max_bytes=cap, side=160)
    assert small.nbytes <= cap < full.nbytes
    assert small.frames < full.frames and small.picked[0] == 0 and small.picked[-1] == len(line) - 1
    few = gif.of_run(run, line, max_frames=gif.MIN_FRAMES)                # the fewest frames, full size
    tiny = gif.of_run(run, line, max_bytes=few.nbytes // 2)
    assert tiny.nbytes <= few.nbytes // 2
    assert tiny.frames == gif.MIN_FRAMES and tiny.height < gif.SIDE and len(frames_of(tiny.data)) == gif.MIN_FRAMES


def test_the_default_gif_of_a_long_run_keeps_under_5_mb(long_run):
    run, line = long_run
    g = gif.of_run(run, line)
    assert gif.MAX_BYTES == 5_000_000 and g.nbytes <= gif.MAX_BYTES
    assert len(frames_of(g.data)) == g.frames


@pytest.mark.parametrize("data_set", ["spiral", "plane"])
def test_three_classes_and_values_draw_too(data_set):
    setup = pg.from_values({**pg.to_values(SETUP), "data": data_set})
    run, line = played(3, setup=setup)
    frames = frames_of(gif.of_run(run, line, side=120).data)
    assert len(frames) == len(line) and frames[0].std() > 10


def test_an_empty_timeline_says_so():
    from nncore.engine.timeline import Timeline

    _, run = pg.start(SETUP)
    with pytest.raises(ValueError, match="empty"):
        gif.of_run(run, Timeline())


def test_the_page_timeline_is_reused_not_doubled():
    _, run = pg.start(SETUP)
    line = gif.timeline_of(run)
    assert gif.timeline_of(run) is line and len(line) == 1     # θ₀
    run.until_epoch_end()
    assert len(line) == 2 and line.at(1).epoch_end


def test_a_regression_run_gif_shows_the_fit_of_theta0_then_of_the_newest_theta():
    """/regression's ⬇ GIF: the points and the line w x + b of each moment beside the training and validation
    costs; its first frame is θ₀'s line, its last the newest's."""
    from nncore.engine.timeline import RunAt
    from nncore.lessons import regression_lab as reg

    data, run = reg.start(reg.Setup())
    line = gif.timeline_of(run)
    while run.epoch < 40 and not run.done:
        run.advance(3)
        line.capture(run)
    side = 160
    left = gif.fit_panel(data)
    g = gif.of_run(run, line, side=side, left=left, test_name="validation")
    frames = frames_of(g.data)
    assert len(frames) == g.frames == len(line) and frames[0].shape == (side, 2 * side, 3)
    start = np.asarray(left(RunAt(run, line.at(0)).net, side), dtype=float)
    end = np.asarray(left(run.net, side), dtype=float)
    assert np.abs(start - end).mean() > 1                        # the line has moved
    for frame, same, other in ((frames[0], start, end), (frames[-1], end, start)):
        assert np.abs(frame[:, :side] - same).mean() < np.abs(frame[:, :side] - other).mean() / 3
    ink = np.all(np.abs(end - gif.INK) < 40, axis=-1)             # the drawn line ŷ = w x + b of the newest θ
    w, b = reg.line_params(run)
    xs = np.concatenate([np.ravel(data.x_train), np.ravel(data.x_val)])
    ys = np.concatenate([np.ravel(data.y_train), np.ravel(data.y_val)])
    x0, x1 = min(0.0, xs.min()), max(1.0, xs.max())
    pad = 0.1 * (ys.max() - ys.min())
    y0, y1 = ys.min() - pad, ys.max() + pad
    col = side // 2
    x = x0 + col / (side - 1) * (x1 - x0)
    row = int(round((1 - (w * x + b - y0) / (y1 - y0)) * (side - 1)))
    assert ink[max(0, row - 3):row + 4, col].any(), "the line passes through w x + b"
