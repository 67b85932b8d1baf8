"""What the playground's timeline (issue 20) adds to one painted frame, in-process (no Streamlit, no browser).

    python bench/timeline_frame.py                  # TF Playground's default (2-4-2-1 tanh, 500 points, batch 10)
    python bench/timeline_frame.py --rounds 5 --frames 80

A playing frame of /playground does ``run.advance(speed)`` and, with the timeline, ``Timeline.capture(run)``
(one copy of θ) after it; ``Timeline.follow(run)`` also wraps the run's per-update ``_record`` to copy θ at
each epoch end. This script times frames of ``--speed`` updates with and without the timeline, rounds
interleaved, and prints the median of the ratio (with / without) over rounds, then the cost of one
``capture`` alone for the default network and for the playground's largest (8 × 24, 4,417 parameters).
The ratio, not the milliseconds, is the figure to read on the shared machine.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nncore.engine.timeline import Timeline  # noqa: E402
from nncore.lessons import playground_lab as pg  # noqa: E402
from nncore.lessons import presets  # noqa: E402


def tf_default_run():
    return pg.start(presets.get("tensorflow-playground").setup)[1]


def frame_seconds(with_timeline: bool, frames: int, speed: int) -> float:
    """Median seconds of one frame (``speed`` updates, plus the capture when ``with_timeline``)."""
    run = tf_default_run()
    line = Timeline().follow(run) if with_timeline else None
    times = []
    for _ in range(frames):
        t = time.perf_counter()
        run.advance(speed)
        if line is not None:
            line.capture(run)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def capture_us(run, number: int = 2000) -> float:
    """µs for one ``capture`` of a new frame (θ copied and appended, the bound applied)."""
    line = Timeline().follow(run)

    def one():
        line.frames.pop()                   # the newest frame goes, so the next capture copies again
        line.capture(run)

    run.advance(1)
    line.capture(run)
    return timeit.timeit(one, number=number) / number * 1e6


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--frames", type=int, default=60)
    p.add_argument("--speed", type=int, default=100)
    a = p.parse_args()
    ratios = []
    for r in range(a.rounds):
        off = frame_seconds(False, a.frames, a.speed)
        on = frame_seconds(True, a.frames, a.speed)
        ratios.append(on / off)
        print(f"round {r}: frame of {a.speed} updates {off * 1e3:.2f} ms without the timeline, {on * 1e3:.2f} ms "
              f"with (×{on / off:.3f})")
    print(f"median ratio with / without: ×{statistics.median(ratios):.3f}")
    print(f"one capture, TF default (25 parameters): {capture_us(tf_default_run()):.1f} µs")
    big = presets.get(presets.DEFAULT).setup
    from dataclasses import replace

    try:
        big = replace(big, controls=replace(big.controls, hidden=(24,) * 8)).validate()
        run = pg.start(big)[1]
        print(f"one capture, 8 × 24 ({run.net.param_count():,} parameters): {capture_us(run):.1f} µs")
    except (TypeError, ValueError) as err:          # a set-up without that field: say so, do not guess
        print(f"8 × 24 not built here ({err})")


if __name__ == "__main__":
    main()
