"""Run every benchmark in bench/ and rewrite docs/BENCHMARKS.md from what they print (``make bench``).

    python bench/report.py                  # run them all (about 15 min), then write the document
    python bench/report.py --only cold_start painted_fps   # run some; the others' sections keep their
                                                           # figures from the saved outputs, if any
    python bench/report.py --from tmp/bench # write the document from saved outputs, run nothing

Each script also runs on its own (``python bench/<name>.py``); this one only runs them one after the
other with the arguments below, keeps their outputs in ``--keep`` (default ``tmp/bench/``), and turns the
outputs into the document's sections: the machine (cores, CPU model, memory, versions), the date, the
load average while each script ran, and each figure, a ratio or a rate measured within one run.
A script that is not listed here still runs, and its output goes under "Other benchmarks"; a script
that fails gets its error in its section, and the others still run.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, List, Optional

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "BENCHMARKS.md"


@dataclass
class Output:
    """What one script printed, and when it ran."""

    name: str
    args: List[str]          # the script's own arguments (without the output file report.py adds)
    stdout: str
    stderr: str
    code: int
    started: str
    seconds: float
    load: List[float]            # 1-minute load average before and after
    json: Optional[object] = None

    @property
    def command(self) -> str:
        return " ".join(["python", f"bench/{self.name.split()[0]}.py", *self.args])


@dataclass
class Bench:
    name: str
    args: List[str]
    title: str
    render: Callable[[Output], str]
    json: bool = False           # the script writes --json PATH


# ---- sections ---------------------------------------------------------------------------------------
def load_note(out: Output) -> str:
    return f"load average {out.load[0]:.1f} → {out.load[1]:.1f}"


def failed(out: Output) -> Optional[str]:
    if out.code == 0:
        return None
    tail = "\n".join((out.stderr or out.stdout).strip().splitlines()[-8:])
    return f"**Failed in this run** (exit {out.code}):\n\n```\n{tail}\n```\n"


def engine(out: Output) -> str:
    rows = re.findall(r"^(.+?)\s+numpy\s+([\d.]+) µs/step\s+keras\s+([\d.]+) µs/step\s+ratio\s+([\d.]+)×",
                      out.stdout, re.M)
    table = ["| case | numpy µs/step | Keras µs/step | ratio |", "|---|---|---|---|"]
    table += [f"| {c.strip()} | {float(n):.1f} | {float(k):.0f} | {float(r):.1f}× |" for c, n, k, r in rows]
    return ("Time per training step (Adam, binary cross-entropy), best of three repeats; Keras is "
            "`model.train_on_batch` on the same network and batch. Target: numpy ≥ 30× faster.\n\n"
            + "\n".join(table) + "\n\n"
            "How: all of a network's parameters live in one flat vector θ (each W^l, b^l is a view), so an "
            "optimiser makes one vectorised update per step instead of one per array.\n")


def mnist_overhead(out: Output) -> str:
    pattern = (r"batch\s+(\d+): (\d+) steps; bare fit ([\d.]+) s \(([\d.]+) ms/step\), job ([\d.]+) s .*?"
               r"overhead ratio ([\d.]+) \(best/best ([\d.]+)\).*?callback alone ([\d.]+) µs/batch = ([\d.]+) %")
    table = ["| batch | steps | bare fit (best) | job (best) | overhead (paired median) | best/best | callback alone |",
             "|---|---|---|---|---|---|---|"]
    for batch, steps, bare, ms, job, ratio, best, cb, pct in re.findall(pattern, out.stdout):
        table.append(f"| {batch} | {steps} | {bare} s ({ms} ms/step) | {job} s | {ratio} | {best} | "
                     f"{cb} µs/batch ({pct} %) |")
    return ("A bare `model.fit(verbose=0)` vs the same fit through `nncore.keras_jobs.TrainingJob` (worker "
            "thread, room, metrics callback recording every batch), same model and data: 784-128-10 "
            "ReLU/softmax MLP, Adam, 3 epochs on the bundled sample's 8,000 training digits with its 2,000 test "
            "digits as validation. Rounds alternate bare/job after a warm-up. Overhead = median over rounds of "
            "job/bare within a round; best/best is the ratio of the fastest round of each. Target: ≤ 1.05.\n\n"
            + "\n".join(table) + "\n\n"
            "Round-to-round noise on a shared 2-core machine (±10 %) is larger than the overhead itself. What "
            "the overhead is made of, measured apart: the callback costs ~2 µs per batch (a tuple appended under "
            "a lock), and a fit started on a fresh thread pays a fixed ~15 ms once (TensorFlow's per-thread "
            "set-up).\n")


def mnist_page(out: Output) -> str:
    rounds = re.findall(r"^round \d+: .*$", out.stdout, re.M)
    summary = re.findall(r"^.*page/bare per epoch.*$", out.stdout, re.M)
    return ("The whole path a student uses: a real server, Chromium on `/mnist`, ▶ Train, the live fragment "
            "rerunning twice a second, until \"Finished\"; epoch times from the run's own callback (the page's "
            "history CSV) vs a bare `fit` of the same preset in a process of its own. The first epoch (tracing) "
            "is left out. Chromium paints on the same cores, so this is an upper bound. Target: ≤ 1.05.\n\n"
            + ("**" + summary[-1].strip() + "**\n\n" if summary else "")
            + ("\n".join(f"- {r}" for r in rounds) + "\n" if rounds else ""))


def cold_start(out: Output) -> str:
    r = out.json or {}
    if not r:
        return "```\n" + out.stdout.strip() + "\n```\n"
    tf = r.get("tensorflow_loaded_after", {})
    rows = " · ".join(f"`{p}` {'**loaded**' if v else 'no'}" for p, v in tf.items())
    return ("Process start (`streamlit run`) → `/` connected and its script finished in Chromium, for nnplay "
            "and for a bare `st.write(\"Hello, world\")` app, same server flags, fresh server each time, "
            f"alternating, {r['rounds']} rounds after one warm-up each (median). Goal: ≤ 1.3×.\n\n"
            "| bare hello-world | nnplay `/` | ratio |\n|---|---|---|\n"
            f"| {r['bare_median_s']:.2f} s | {r['nnplay_median_s']:.2f} s | **{r['ratio']:.2f}×** |\n\n"
            f"Rounds: bare {[round(t, 2) for t in r['bare_s']]}, nnplay {[round(t, 2) for t in r['nnplay_s']]} s.\n\n"
            "TensorFlow in the server process (its libraries mapped, `/proc/<pid>/maps`) after opening each page "
            f"in turn, MNIST last: {rows}. Start-up imports no TensorFlow; the MNIST page loads it only when it "
            "trains, loads a file or is asked for Keras's summary.\n")


def painted(out: Output) -> str:
    r = out.json or {}
    if not r:
        return "```\n" + out.stdout.strip() + "\n```\n"
    table = ["| page | plot | painted fps | Plotly.react ms per frame |", "|---|---|---|---|"]
    for page, res in r.items():
        for key, plot in res["plots"].items():
            ms = plot["paint_ms_per_frame"]
            table.append(f"| /{page} | `{key}` | {plot['fps']:.1f} | {'–' if ms is None else f'{ms:.1f}'} |")
    seconds = next(iter(r.values()))["seconds"] if r else 0
    return ("Each live page in Chromium with a run long enough to outlast the window: ▶ pressed, 2 s warm-up, "
            f"then every `.nnplay-live-plot` counted over {seconds:.0f} s: painted frames per second "
            "(`dataset.frames`) and the time `Plotly.react` took per frame (`dataset.paintMs / frames`). The "
            "component plays each rerun's batch of frames at 25 fps.\n\n" + "\n".join(table) + "\n")


def verbatim_table(intro: str) -> Callable[[Output], str]:
    def render(out: Output) -> str:
        tables = "\n".join(l for l in out.stdout.splitlines() if l.startswith("|"))
        return intro + "\n\n" + (tables or "```\n" + out.stdout.strip() + "\n```") + "\n"
    return render


def classroom(out: Output) -> str:
    text = out.json if isinstance(out.json, str) else ""
    body = "\n".join(l for l in text.splitlines() if not l.startswith("### ")) if text else \
        "\n".join(l for l in out.stdout.splitlines() if l.startswith("|"))
    return ("N simulated students (`bench/classroom.py`: Streamlit's own websocket protocol, no browsers) open "
            "the regression page on one server and press ▶; per N, a fresh server, students arriving over 10 s, "
            "then a 20 s window. Painted fps is what each tab's live plot would paint (the browser's player "
            "replayed on the frames received).\n\n" + body.strip() + "\n")


BENCHES = [
    Bench("engine_vs_keras", [], "Engine vs Keras", engine),
    Bench("mnist_overhead", ["--rounds", "5", "--batch", "32", "--batch", "8"], "Watching a Keras run live",
          mnist_overhead),
    Bench("mnist_page_overhead", ["--epochs", "5", "--rounds", "2"], "The MNIST page's training overhead",
          mnist_page),
    Bench("cold_start", ["--rounds", "3"], "Cold start", cold_start, json=True),
    Bench("painted_fps", ["--seconds", "10"], "Painted frames per live page", painted, json=True),
    Bench("playground_fps", ["--rounds", "2", "--seconds", "5"], "Playground painted frames", verbatim_table(
        "Real Chromium against `streamlit run app.py` on the same cores: `/playground` with each set-up, ▶ "
        "Train, 1.5 s, then for 5 s how often each live plot repainted (`dataset.frames`) and its mean paint "
        "time; median of 2 rounds. Target: the decision boundary at ≥ 20 painted fps.")),
    Bench("playground_fps --paint", ["--paint"], "What one playground frame costs the browser", verbatim_table(
        "One `Plotly.react` per figure in a bare page (no Streamlit, no server), 12 training frames of the "
        "default set-up, median. The boundary is drawn as two small PNG layout images (its output map and "
        "its 0.5 line): the heatmap + contour row is what the obvious drawing would cost.")),
    Bench("classroom", ["--sessions", "1", "10", "30", "--seconds", "20"], "Classroom load", classroom,
          json=True),
]
SKIP = {"report", "__init__"}


# ---- running ----------------------------------------------------------------------------------------
def run(bench: Bench, keep: Path) -> Output:
    script = bench.name.split()[0]
    argv = [sys.executable, str(BENCH / f"{script}.py"), *bench.args]
    extra = None
    if bench.json:
        extra = keep / f"{bench.name.replace(' ', '_')}.json"
        if bench.name == "classroom":
            extra = keep / "classroom.md"
            if extra.exists():
                extra.unlink()
            argv += ["--markdown", str(extra)]
        else:
            argv += ["--json", str(extra)]
    print(f"== {' '.join(argv[1:])}", flush=True)
    load0, started, t0 = os.getloadavg()[0], datetime.datetime.now().isoformat(timespec="seconds"), time.time()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    out = Output(bench.name, bench.args, proc.stdout, proc.stderr, proc.returncode, started, time.time() - t0,
                 [load0, os.getloadavg()[0]])
    sys.stdout.write(proc.stdout)
    if proc.returncode:
        sys.stdout.write(proc.stderr[-2000:])
    if extra is not None and extra.exists():
        out.json = extra.read_text() if extra.suffix == ".md" else json.loads(extra.read_text())
    (keep / f"{bench.name.replace(' ', '_')}.out.json").write_text(json.dumps(out.__dict__, indent=1))
    return out


def saved(bench: Bench, keep: Path) -> Optional[Output]:
    path = keep / f"{bench.name.replace(' ', '_')}.out.json"
    return Output(**json.loads(path.read_text())) if path.exists() else None


def others() -> List[Bench]:
    known = {b.name.split()[0] for b in BENCHES}
    return [Bench(p.stem, [], p.stem, lambda o: "```\n" + o.stdout.strip() + "\n```\n")
            for p in sorted(BENCH.glob("*.py")) if p.stem not in known | SKIP and not p.stem.startswith("_")]


# ---- the document -------------------------------------------------------------------------------------
def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = 0.0
    try:
        mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 2**20
    except (OSError, StopIteration):
        pass

    def version(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "–"
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip() or "–"
    except (OSError, subprocess.SubprocessError):
        chromium = "–"
    return (f"{os.cpu_count()} cores (`nproc`), {cpu}, {mem:.1f} GiB memory; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}, Streamlit {version('streamlit')}, "
            f"TensorFlow {version('tensorflow') if version('tensorflow') != '–' else version('tensorflow-cpu')}, NumPy {version('numpy')}; {chromium}.")


def document(outputs: List[Output], benches: List[Bench]) -> str:
    today = datetime.date.today().isoformat()
    lines = ["# Benchmarks", "",
             f"Written by `make bench` (`python bench/report.py`) on **{today}**. Machine: {machine()}", "",
             "Machines here are shared and noisy: every figure is a ratio or a rate measured within one run of "
             "one script (never a timing asserted in a test), and each section gives the load average while "
             "its script ran. Each script also runs on its own; its command is in its section's title.", ""]
    by_name = {o.name: o for o in outputs}
    rest = []
    for bench in benches:
        out = by_name.get(bench.name)
        if out is None:
            continue
        if bench in BENCHES:
            lines += [f"## {bench.title} (`{out.command}`)",
                      f"_{out.started}, {out.seconds:.0f} s, {load_note(out)}._", ""]
            lines.append(failed(out) or bench.render(out))
        else:
            rest.append((bench, out))
    if rest:
        lines += ["## Other benchmarks", ""]
        for bench, out in rest:
            lines += [f"### `{out.command}`", f"_{out.started}, {out.seconds:.0f} s, {load_note(out)}._", "",
                      failed(out) or bench.render(out)]
    return "\n".join(lines).rstrip() + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=None, help="run only these (names as in bench/)")
    parser.add_argument("--from", dest="source", default=None, help="write from saved outputs, run nothing")
    parser.add_argument("--keep", default=str(ROOT / "tmp" / "bench"), help="where outputs are kept (git ignores tmp/)")
    parser.add_argument("--out", default=str(DOC))
    args = parser.parse_args(argv)
    keep = Path(args.source or args.keep)
    keep.mkdir(parents=True, exist_ok=True)
    benches = BENCHES + others()
    outputs = []
    for bench in benches:
        wanted = args.source is None and (args.only is None or bench.name.split()[0] in args.only)
        out = run(bench, keep) if wanted else saved(bench, keep)
        if out is not None:
            outputs.append(out)
    Path(args.out).write_text(document(outputs, benches))
    print(f"wrote {args.out} ({len(outputs)} sections)")
    return 0 if all(o.code == 0 for o in outputs) else 1


if __name__ == "__main__":
    sys.exit(main())
