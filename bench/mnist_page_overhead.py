"""What watching a run on the MNIST page costs: a bare ``model.fit`` vs the same run trained from the page.

    python bench/mnist_page_overhead.py [--preset course-002] [--epochs 5] [--rounds 3]

``bench/mnist_overhead.py`` times the TrainingJob and its callback outside Streamlit. This one times
the whole path a student uses: a real Streamlit server, Chromium opening ``/mnist?preset=...``,
pressing ▶ Train, the live fragment rerunning once a second, until "Finished". The page's epoch
times come from the run's own callback (its history CSV, downloaded through the page's button);
the bare fit runs the same preset (same 7,200 + 800 digits, seed, batch size) in a process of its
own with the same per-epoch timing. The first epoch holds TensorFlow's tracing and is left out.
Rounds alternate bare/page; the ratio is mean(page epochs 2..n) / mean(bare epochs 2..n) per round,
and the median over rounds is printed. Chromium paints on the same cores, so on a 2-core machine
this is an upper bound of what a classroom server pays (students' browsers are elsewhere).
Target: ≤ 1.05.
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

BARE = r"""
import sys, time
sys.path.insert(0, {root!r})
from nncore.data import datasets
from nncore.keras import bridge as kb
from nncore.lessons import mnist_lab as lab
p = lab.PRESETS[{preset!r}]
x, y, _, _ = lab.training_arrays(datasets.mnist("bundled-sample"))
n_train = min(p.n_train, len(x))
n_fit, _ = lab.fit_sizes(n_train, p.val_split)
k = kb.keras()
k.utils.set_random_seed(p.seed)
model = kb.build_model(p.network(), p.training())
times = []
class Timer(k.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.t0 = time.perf_counter()
    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.t0)
model.fit(x[:n_fit], y[:n_fit], epochs={epochs}, batch_size=p.batch_size, shuffle=True,
          validation_data=(x[n_fit:n_train], y[n_fit:n_train]), verbose=0, callbacks=[Timer()])
print(" ".join(repr(t) for t in times))
"""


def bare(preset: str, epochs: int) -> list:
    code = BARE.format(root=ROOT, preset=preset, epochs=epochs)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [float(t) for t in out.stdout.split()]


def page(preset: str, epochs: int) -> list:
    from playwright.sync_api import sync_playwright

    from tests import browser as b

    server = b.Server()
    try:
        with sync_playwright() as p:
            chromium = b.launch(p)
            tab = b.open_page(chromium, f"{server.url}/mnist?preset={preset}&epochs={epochs}", height=1400)
            tab.get_by_role("button", name="▶ Train").click()
            tab.wait_for_selector("text=Finished after", timeout=900_000)
            b.wait_ready(tab)
            with tab.expect_download() as download:
                tab.get_by_role("button", name="⬇ Training history (.csv)").click()
            with open(download.value.path()) as f:
                rows = list(csv.DictReader(f))
            chromium.close()
    finally:
        server.stop()
    return [float(r["seconds"]) for r in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="course-002")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ratios = []
    for r in range(args.rounds):
        b_times, p_times = bare(args.preset, args.epochs), page(args.preset, args.epochs)
        b_mean, p_mean = statistics.mean(b_times[1:]), statistics.mean(p_times[1:])
        ratios.append(p_mean / b_mean)
        print(f"round {r + 1}: bare {b_mean:.2f} s/epoch {[round(t, 2) for t in b_times]}, "
              f"page {p_mean:.2f} s/epoch {[round(t, 2) for t in p_times]}, ratio {ratios[-1]:.2f}", flush=True)
    print(f"{args.preset}, {args.epochs} epochs: page/bare per epoch (epochs 2-{args.epochs}), median of "
          f"{args.rounds} rounds: {statistics.median(ratios):.2f} (rounds {[round(x, 2) for x in ratios]}); "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
