"""What one live playground rerun costs the server, for the largest networks the configurator could allow.

    python bench/playground_rerun.py                 # 6×16 (the old limit) against larger ones
    python bench/playground_rerun.py --rounds 5 --shape 8x32

One playing rerun of ``views/playground.py``'s fragment makes ``FRAMES_PER_RERUN`` frames: per frame
``run.advance(speed)`` and ``moving_figures`` (the decision boundary at 40×40, the neuron maps at 20×20
as PNGs on the network diagram; the full diagram, edges included, at the newest frame, and for a big
network the maps only every 4th frame). This script does the same work with the same nncore calls
(no Streamlit), spiral data with 200 points (100 train), ReLU, speed 5, and prints per shape the
median milliseconds per rerun over ``--rounds`` rounds of ``--reruns`` reruns, the reruns per second
one core could serve, the ratio to 6×16 (each round times every shape in turn; the ratio is the median
over rounds of the ratio within a round), and the JSON bytes one rerun sends. Run it with and without
``OPENBLAS_NUM_THREADS=1``: on a busy machine OpenBLAS's threads wait for each other and a small
(1600×32)·(32×32) product takes 10-40× longer than on one thread. The page asks for a rerun
every 0.2 s (5 per second); one server process serves ~30 reruns a second in total (docs/DESIGN.md).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nncore.figures import playground_plots as fig  # noqa: E402
from nncore.lessons import boundary, configurator  # noqa: E402
from nncore.lessons import playground_lab as pg
from nncore.lessons.configurator import Controls  # noqa: E402

FRAMES_PER_RERUN = 8        # as views/playground.py
BIG_NETWORK = 200           # as views/playground.py: above this many parameters, maps every 4th frame
SPEED = 5                   # the page's default updates per frame


def setup_for(layers: int, units: int) -> pg.Setup:
    configurator.MAX_UNITS = max(configurator.MAX_UNITS, units)     # measure beyond today's limit
    controls = Controls(hidden=(units,) * layers, activation="relu", epochs=10_000)
    return pg.Setup(data="spiral", n=200, noise=0.1, test_ratio=0.5, controls=controls).validate()


def rerun(run, data, setup, labels, state) -> int:
    """One playing rerun: frames of advance + moving figures, as the page's ``frame(playing=True)``."""
    every = 1 if run.net.param_count() <= BIG_NETWORK else 4
    sent = 0
    for i in range(FRAMES_PER_RERUN):
        run.advance(SPEED)
        network = "full" if i == FRAMES_PER_RERUN - 1 else ("maps" if i % every == every - 1 else "none")
        big = boundary.plane_maps(run.net, setup.features, data.extent, 40)
        figs = {"boundary": fig.decision_boundary(big, data.x_train, data.y_train, data.x_test, data.y_test)}
        if network != "none":
            small = boundary.plane_maps(run.net, setup.features, data.extent, 20)
            if network == "full" or state.get("diagram") is None:
                c = setup.controls
                state["diagram"] = fig.network_diagram(run.net, labels, small,
                                                       title=c.architecture(len(labels)))
            else:
                state["diagram"] = fig.with_neuron_maps(state["diagram"], run.net, small)
            figs["network"] = state["diagram"]
        sent += len(json.dumps(figs, default=lambda o: o.tolist()))
    return sent


class Case:
    """One network on the page's data, its run playing, warmed up."""

    def __init__(self, layers: int, units: int):
        self.setup = setup_for(layers, units)
        self.data, self.run = pg.start(self.setup)
        self.labels = list(self.setup.features)
        self.state = {}
        self.sent = self.rerun()                          # warm-up

    def rerun(self) -> int:
        return rerun(self.run, self.data, self.setup, self.labels, self.state)

    def seconds_per_rerun(self, reruns: int) -> float:
        t0 = time.perf_counter()
        for _ in range(reruns):
            self.sent = self.rerun()
        return (time.perf_counter() - t0) / reruns


def measure(shapes, rounds: int, reruns: int):
    """Rounds of every shape one after the other (paired: load drifts between rounds, not within one);
    per shape the median ms per rerun and the median over rounds of its ratio to 6×16 in the same round."""
    cases = {shape: Case(*shape) for shape in shapes}
    times = {shape: [] for shape in shapes}
    for _ in range(rounds):
        for shape, case in cases.items():
            times[shape].append(case.seconds_per_rerun(reruns))
    base = times[(6, 16)]
    return {shape: (statistics.median(t), statistics.median(a / b for a, b in zip(t, base)), cases[shape].sent,
                    cases[shape].run.net.param_count()) for shape, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--shape", action="append", help="LAYERSxUNITS, e.g. 8x32 (repeatable)")
    args = parser.parse_args()
    shapes = [tuple(int(v) for v in s.split("x")) for s in (args.shape or ["6x16", "8x16", "8x24", "8x32", "8x64"])]
    if (6, 16) not in shapes:
        shapes.insert(0, (6, 16))
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"load average {os.getloadavg()[0]:.1f}; OPENBLAS_NUM_THREADS={threads}", flush=True)
    results = measure(shapes, args.rounds, args.reruns)
    print("| network (hidden layers × neurons, ReLU) | parameters | ms per rerun (8 frames) | reruns/s on one core "
          "| × 6×16 (paired median) | KB sent per rerun |")
    print("|---|---|---|---|---|---|")
    for (layers, units), (seconds, ratio, sent, params) in results.items():
        print(f"| {layers} × {units} | {params:,} | {seconds * 1e3:.0f} | {1 / seconds:.1f} | {ratio:.2f} "
              f"| {sent / 1024:.0f} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
