"""Fairness: a student's painted fps on /regression alone, and beside the heaviest set-up another student may run.

    python bench/fairness.py [--seconds 10] [--json out.json] [--env NAME=VALUE ...] [--skip-mnist]
    python bench/fairness.py --tf-cores      # only: the cores one Keras epoch takes, per NNPLAY_TF_THREADS

One server (``streamlit run app.py``), real Chromium, two sessions (two browsers, two students):

- the normal student plays /regression (bench/painted_fps.py's query and measuring code, imported) and
  its painted fps is measured alone (before and after, the mean), then
- beside the heaviest playground a link allows (``HEAVY_PLAYGROUND``: 8 × 24 ReLU, 12 features, the
  largest set, 1,200 points, the largest batch, Adam, speed 100) playing in the other session, and
- beside the heaviest MNIST run a student may start (``HEAVY_MNIST``: just under the run-size cap of
  ``nncore.lessons.mnist_lab``, batches of 8) training in the other session.

Printed: the normal student's fps in each case and the ratio beside/alone (goal ≥ 0.80), the heavy
student's own painted fps and whether its page said it was throttled. ``--env NAME=VALUE`` sets the
server's environment (an empty VALUE removes the variable), e.g. ``--env OPENBLAS_NUM_THREADS=1`` or
``--env NNPLAY_TF_THREADS=0`` (TensorFlow's own thread count) to compare settings.

One machine stands in for a classroom, where every student's browser has its own machine. Linux's
"autogroup" scheduling weighs each session as one group, and Chromium starts its own session: the server
and the browser then get half the cores each whatever their threads' priorities, so the training seat's
lower priority (``nncore.keras.threads.yield_cpu``), which on a real server applies against the server's
live pages, did not apply against the browser that paints them (measured: the normal student kept 56-72%
beside MNIST with autogroups, 95% without). So the bench turns autogroups off for its run where it may
(``/proc/sys/kernel/sched_autogroup_enabled``, as root) and puts them back; it prints which it measured.
For the same reason the heavy student has a Chromium of its own at the lowest priority (``heavy_browser``):
its painting (the 8 × 24 network's 192 neuron maps) would otherwise be taken from the normal student's
browser on the same two cores, which in a classroom it never is.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import painted_fps  # noqa: E402

from tests import browser as b  # noqa: E402

NORMAL = "regression"
HEAVY_PLAYGROUND = {
    "data": "spiral", "n": "1200", "test_ratio": "0.1",
    "features": "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2,sin(3*x1),cos(2*x2),x1*x1*x2,x2*x2*x1,tanh(x1+x2)",
    "layers": "8", **{f"n{i}": "24" for i in range(1, 9)}, "activation": "relu",
    "optimizer": "adam", "lr": "0.001", "batch_size": "5000", "speed": "100", "epochs": "10000",
}
HEAVY_MNIST = {"hidden": "256", "epochs": "20", "batch_size": "8", "n_train": "8000", "val_split": "0.1"}
GOAL = 0.8


def frames_of(page) -> int:
    return max((p["frames"] for p in page.evaluate(painted_fps.SAMPLE_JS)), default=0)


def saw_text(page, text: str, timeout: int = 15_000) -> bool:
    try:
        page.get_by_text(text).first.wait_for(timeout=timeout)
        return True
    except Exception:
        return False


def heavy_browser(playwright, folder: Path):
    """The heavy student's own Chromium, at the lowest priority (``nice -n 19``): it stands in for that
    student's own machine, so that what the normal student loses is what the server takes, not the heavy
    tab's painting on the bench's two cores (see the module's docstring)."""
    wrapper = folder / "chromium-nice"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n 19 {b.CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return playwright.chromium.launch(executable_path=str(wrapper), args=b.CHROMIUM_ARGS, headless=True)


def beside(browser, server, heavy_url: str, start, seconds: float, heavy_in=None) -> dict:
    """The normal student's fps while the other session runs ``heavy_url`` (started by ``start(page)``) in
    ``heavy_in`` (a browser; the normal student's own if not given)."""
    heavy = b.open_page(heavy_in or browser, heavy_url)
    try:
        info = start(heavy) or {}
        f0, t0 = frames_of(heavy), time.monotonic()
        normal = painted_fps.measure_page(browser, server, NORMAL, seconds)
        f1, t1 = frames_of(heavy), time.monotonic()
        info["heavy_fps"] = (f1 - f0) / (t1 - t0)
        info["throttled_note"] = saw_text(heavy, "A heavy set-up")
        b.assert_no_exception(heavy)
        stop = info.pop("stop", None)
        if stop:
            try:
                stop(heavy)
            except Exception as exc:         # the figures stand; the server stops with the bench anyway
                print(f"(could not press Stop: {exc.__class__.__name__})", file=sys.stderr)
    finally:
        heavy.close()
    return {"normal_fps": normal["fps"], **info}


def start_playground(page) -> dict:
    page.wait_for_selector(".nnplay-live-plot .main-svg", timeout=120_000)
    page.locator(".st-key-playground_play button").click()
    page.wait_for_timeout(3000)
    return {}


def start_mnist(page) -> dict:
    page.wait_for_selector(".st-key-mnist_train button", timeout=120_000)
    page.locator(".st-key-mnist_train button").click()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.nnplay-live-plot')).some(e => Number(e.dataset.frames) > 0)",
        timeout=180_000)
    page.wait_for_timeout(3000)            # TensorFlow loaded, the model built: training now

    def stop(p):
        p.locator(".st-key-mnist_stop button").first.click()      # the run stops: its seat is free again
        p.wait_for_timeout(1000)
    return {"stop": stop}


AUTOGROUP = Path("/proc/sys/kernel/sched_autogroup_enabled")


@contextmanager
def one_scheduling_group():
    """Autogroup scheduling off for the bench's run where it may be set (see the module's docstring); yields
    what was measured: "off", "on" (not allowed to change it) or "none" (no such setting)."""
    try:
        was = AUTOGROUP.read_text().strip()
    except OSError:
        yield "none"
        return
    if was == "0":
        yield "off"
        return
    try:
        AUTOGROUP.write_text("0")
    except OSError:
        yield "on"
        return
    try:
        yield "off"
    finally:
        AUTOGROUP.write_text(was)


def measure(seconds: float, mnist: bool) -> dict:
    from playwright.sync_api import sync_playwright

    server = b.Server()
    out = {"seconds": seconds, "env": {k: os.environ.get(k) for k in ENV_SHOWN}}
    try:
        with sync_playwright() as p:
            browser = b.launch(p)
            folder = Path(tempfile.mkdtemp(prefix="nnplay-fairness-"))
            other = heavy_browser(p, folder)
            try:
                alone = [painted_fps.measure_page(browser, server, NORMAL, seconds)["fps"]]
                out["playground"] = beside(browser, server, f"{server.url}/playground?{urlencode(HEAVY_PLAYGROUND)}",
                                           start_playground, seconds, other)
                alone.append(painted_fps.measure_page(browser, server, NORMAL, seconds)["fps"])
                if mnist:
                    out["mnist"] = beside(browser, server, f"{server.url}/mnist?{urlencode(HEAVY_MNIST)}",
                                          start_mnist, seconds, other)
                    alone.append(painted_fps.measure_page(browser, server, NORMAL, seconds)["fps"])
            finally:
                other.close()
                browser.close()
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        server.stop()
    out["alone_fps"] = alone
    out["alone_mean_fps"] = sum(alone) / len(alone)
    for case in ("playground", "mnist"):
        if case in out:
            out[case]["ratio"] = out[case]["normal_fps"] / out["alone_mean_fps"] if out["alone_mean_fps"] else 0.0
    return out


ENV_SHOWN = ("OPENBLAS_NUM_THREADS", "NNPLAY_TF_THREADS", "NNPLAY_LIVE_SLOTS")

# ``--tf-cores``: how many cores one Keras epoch takes (CPU time / wall time), per NNPLAY_TF_THREADS, each in
# a fresh process (TensorFlow reads its pool sizes once): 784-256-10 on 8,000 digits, after a tracing epoch.
TF_EPOCH = """
import os, resource, sys, time
sys.path.insert(0, {root!r})
import numpy as np
import nncore.keras
from nncore.keras.bridge import build_model
from nncore.lessons import mnist_lab as lab
train = lab.train_spec(batch_size={batch}, epochs=1)
model = build_model(lab.network_spec((256,)), train)
rng = np.random.default_rng(0)
x = rng.random((8000, 784), dtype=np.float32)
y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 8000)]
model.fit(x[:800], y[:800], epochs=1, batch_size={batch}, verbose=0)
r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
model.fit(x, y, epochs=1, batch_size={batch}, verbose=0)
r1, t1 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
print(t1 - t0, cpu)
"""


def tf_cores(threads=("1", "0"), batches=(8, 128)) -> list:
    import subprocess

    rows = []
    for n in threads:
        for batch in batches:
            env = {**os.environ, "NNPLAY_TF_THREADS": n, "TF_CPP_MIN_LOG_LEVEL": "3"}
            env.pop("TF_NUM_INTRAOP_THREADS", None)
            env.pop("TF_NUM_INTEROP_THREADS", None)
            out = subprocess.run([sys.executable, "-c", TF_EPOCH.format(root=str(ROOT), batch=batch)], env=env,
                                 capture_output=True, text=True, check=True).stdout.split()
            wall, cpu = float(out[-2]), float(out[-1])
            rows.append({"tf_threads": n, "batch": batch, "wall_s": wall, "cpu_s": cpu, "cores": cpu / wall})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring window per case")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server (empty: unset)")
    parser.add_argument("--skip-mnist", action="store_true", help="only the playground case")
    parser.add_argument("--tf-cores", action="store_true", help="only: cores one Keras epoch takes, per thread cap")
    args = parser.parse_args(argv)
    if args.tf_cores:
        print("| NNPLAY_TF_THREADS | batch | epoch (wall) | CPU | cores used |\n|---|---|---|---|---|")
        for row in tf_cores():
            own = " (TensorFlow's own)" if row["tf_threads"] == "0" else ""
            print(f"| {row['tf_threads']}{own} | "
                  f"{row['batch']} | {row['wall_s']:.1f} s | {row['cpu_s']:.1f} s | {row['cores']:.2f} |")
        print(f"load average {os.getloadavg()[0]:.1f}")
        return 0
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")      # as `make run` and the image serve the app
    for item in args.env:
        name, _, value = item.partition("=")
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    with one_scheduling_group() as autogroup:
        r = measure(max(1.0, args.seconds), not args.skip_mnist)
    r["autogroup"] = autogroup
    print(f"autogroup scheduling during the run: {autogroup}"
          + (" (the browser and the server weighed as two groups: the seat's priority does not apply against the "
             "browser)" if autogroup == "on" else ""))
    env = ", ".join(f"{k}={v if v is not None else '(unset)'}" for k, v in r["env"].items())
    print(f"server environment: {env}")
    print(f"/{NORMAL} alone: {r['alone_mean_fps']:.1f} painted fps (windows: "
          f"{', '.join(f'{f:.1f}' for f in r['alone_fps'])})")
    labels = {"playground": "heaviest playground (8 × 24 ReLU, 12 features, 1,200 points, batch 5,000, speed 100)",
              "mnist": "heaviest MNIST run (784-256-10, 8,000 digits, 20 epochs, batch 8) training"}
    for case, label in labels.items():
        if case in r:
            c = r[case]
            verdict = "ok" if c["ratio"] >= GOAL else "BELOW GOAL"
            print(f"/{NORMAL} beside the {label}: {c['normal_fps']:.1f} fps = {c['ratio']:.0%} of alone "
                  f"(goal ≥ {GOAL:.0%}: {verdict}); the heavy tab painted {c['heavy_fps']:.1f} fps"
                  + ("; its page said it was throttled" if c.get("throttled_note") else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
