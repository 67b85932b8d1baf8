"""Run every benchmark in bench/ and rewrite docs/BENCHMARKS.md from what they print (``make bench``).

    python bench/report.py                  # run them all (about 15 min), then write the document
    python bench/report.py --only cold_start painted_fps   # run some; the others' sections keep their
                                                           # figures from the saved outputs, if any
    python bench/report.py --from tmp/bench # write the document from saved outputs, run nothing

Each script also runs on its own (``python bench/<name>.py``); this one only runs them one after the
other with the arguments below, keeps their outputs in ``--keep`` (default ``tmp/bench/``), and writes
what they measured into the document: the machine (cores, CPU model, memory, versions), the date, the
load average while each script ran, and each figure, a ratio or a rate measured within one run.

The document keeps what people wrote: only the blocks between ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->`` are rewritten (how each script measures, analyses and earlier variants stay
as they are). A script without a block yet gets a new section, with its method, at the end. A script
that is not listed here still runs, and its output goes into a section of its own; a script that fails
gets its error in its block, and the others still run.
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
    render: Callable[[Output], str]      # the figures (the block's body)
    json: bool = False                   # the script writes --json PATH
    intro: str = ""                      # how it measures, for a section written for the first time


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
    return "\n".join(table) + "\n"


def mnist_overhead(out: Output) -> str:
    pattern = (r"batch\s+(\d+): (\d+) steps; bare fit ([\d.]+) s \(([\d.]+) ms/step\), job ([\d.]+) s .*?"
               r"overhead ratio ([\d.]+) \(best/best ([\d.]+)\).*?callback alone ([\d.]+) µs/batch = ([\d.]+) %")
    table = ["| batch | steps | bare fit (best) | job (best) | overhead (paired median) | best/best | callback alone |",
             "|---|---|---|---|---|---|---|"]
    for batch, steps, bare, ms, job, ratio, best, cb, pct in re.findall(pattern, out.stdout):
        table.append(f"| {batch} | {steps} | {bare} s ({ms} ms/step) | {job} s | {ratio} | {best} | "
                     f"{cb} µs/batch ({pct} %) |")
    return "\n".join(table) + "\n"


def mnist_page(out: Output) -> str:
    rounds = re.findall(r"^round \d+: .*$", out.stdout, re.M)
    summary = re.findall(r"^.*page/bare per epoch.*$", out.stdout, re.M)
    return (("**" + summary[-1].strip() + "**\n\n" if summary else "")
            + ("\n".join(f"- {r}" for r in rounds) + "\n" if rounds else ""))


def cold_start(out: Output) -> str:
    r = out.json or {}
    if not r:
        return "```\n" + out.stdout.strip() + "\n```\n"
    tf = r.get("tensorflow_loaded_after", {})
    rows = " · ".join(f"`{p}` {'**loaded**' if v else 'no'}" for p, v in tf.items())
    return (f"Median of {r['rounds']} rounds:\n\n"
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
    before, after = (r.get("before") or {}, r["after"]) if "after" in r else ({}, r)
    ms = lambda plot: "–" if plot.get("paint_ms_per_frame") is None else f"{plot['paint_ms_per_frame']:.1f}"  # noqa: E731
    if before:
        table = [f"| page | plot | painted fps before ({r['before_rev']}) → after | ms per frame before → after "
                 "| after: frames received · dropped per s | after: patched |", "|---|---|---|---|---|---|"]
    else:
        table = ["| page | plot | painted fps | ms per frame | frames received · dropped per s | patched |",
                 "|---|---|---|---|---|---|"]
    for page, res in after.items():
        for key, plot in res["plots"].items():
            old = (before.get(page) or {}).get("plots", {}).get(key)
            fps = f"{plot['fps']:.1f}" if not before else \
                f"{old['fps']:.1f} → **{plot['fps']:.1f}**" if old else f"– → **{plot['fps']:.1f}**"
            paint = ms(plot) if not before else f"{ms(old) if old else '–'} → {ms(plot)}"
            got = f"{plot.get('received_fps', 0):.1f} · {plot.get('dropped_fps', 0):.1f}"
            share = "–" if plot.get("patched") is None else f"{plot['patched']:.0%}"
            table.append(f"| /{page} | `{key}` | {fps} | {paint} | {got} | {share} |")
    seconds = next(iter(after.values()))["seconds"] if after else 0
    return f"Window {seconds:.0f} s per page:\n\n" + "\n".join(table) + "\n"


def verbatim_table(out: Output) -> str:
    tables = "\n".join(l for l in out.stdout.splitlines() if l.startswith("|"))
    return (tables or "```\n" + out.stdout.strip() + "\n```") + "\n"


def classroom(out: Output) -> str:
    text = out.json if isinstance(out.json, str) else ""
    body = "\n".join(l for l in text.splitlines() if not l.startswith("### ")) if text else \
        "\n".join(l for l in out.stdout.splitlines() if l.startswith("|"))
    page = out.args[out.args.index("--page") + 1] if "--page" in out.args else "regression"
    via = ", behind deploy/nginx.conf (its static cache)" if "--nginx" in out.args else ""
    return f"/{page}{via}, the repo's config as it is, a fresh server per N:\n\n" + body.strip() + "\n"


def fairness(out: Output) -> str:
    r = out.json or {}
    if not r:
        return "```\n" + out.stdout.strip() + "\n```\n"
    env = ", ".join(f"`{k}={v}`" if v is not None else f"`{k}` unset" for k, v in r.get("env", {}).items())
    table = ["| the other session runs | /regression painted fps | share of alone (goal ≥ 80%) | heavy tab's fps |",
             "|---|---|---|---|",
             f"| nothing (alone; windows {', '.join(f'{f:.1f}' for f in r['alone_fps'])}) | "
             f"{r['alone_mean_fps']:.1f} | 100% | – |"]
    labels = {"playground": "heaviest playground a link allows (8 × 24 ReLU, 12 features, 1,200 points, batch 5,000, "
                            "speed 100)", "mnist": "heaviest MNIST run a student may start (784-256-10, 8,000 digits, "
                                                   "20 epochs, batch 8), training"}
    for case, label in labels.items():
        if case in r:
            c = r[case]
            note = " (its page says it is throttled)" if c.get("throttled_note") else ""
            table.append(f"| {label} | {c['normal_fps']:.1f} | **{c['ratio']:.0%}** | {c['heavy_fps']:.1f}{note} |")
    group = {"off": "off for the run", "on": "on (not allowed to change it: the seat's priority does not apply "
                                             "against the browser)", "none": "not on this system"}
    autogroup = group.get(r.get("autogroup"), "not recorded")
    return (f"Window {r['seconds']:.0f} s per case; server environment: {env}; autogroup scheduling: {autogroup}."
            "\n\n" + "\n".join(table) + "\n")


PAINTED_BEFORE = "a3afb3b"      # the last commit whose live plots redrew every frame with Plotly.react (issue 21)

BENCHES = [
    Bench("engine_vs_keras", [], "Engine vs Keras", engine),
    Bench("mnist_overhead", ["--rounds", "7", "--batch", "32", "--batch", "8"], "Watching a Keras run live",
          mnist_overhead),
    Bench("mnist_page_overhead", ["--epochs", "5", "--rounds", "5"], "The MNIST page's training overhead",
          mnist_page, intro=(
              "The whole path a student uses: a real server, Chromium on `/mnist`, ▶ Train, the live fragment "
              "rerunning once a second, until \"Finished\"; epoch times from the run's own callback (the "
              "page's history CSV) vs a bare `fit` of the same preset in a process of its own. The first "
              "epoch (tracing) is left out. Chromium paints on the same cores, so this is an upper bound. "
              "Target: ≤ 1.05.")),
    Bench("cold_start", ["--rounds", "3"], "Cold start", cold_start, json=True, intro=(
        "Process start (`streamlit run`) → `/` connected and its script finished in Chromium, for nnplay and "
        "for a bare `st.write(\"Hello, world\")` app with the same server flags; a fresh server each time, "
        "alternating, after one warm-up each. Goal: ≤ 1.3×. Then, on the first nnplay server, every other "
        "page in turn (MNIST last), and whether TensorFlow is loaded in the server process after each (its "
        "shared libraries in `/proc/<pid>/maps`).")),
    Bench("painted_fps", ["--seconds", "10", "--before", PAINTED_BEFORE], "Painted frames per live page", painted,
          json=True, intro=(
              "Each live page in Chromium with a run long enough to outlast the window: ▶ pressed, 2 s warm-up, "
              "then every `.nnplay-live-plot` counted: painted frames per second (`dataset.frames`), the time "
              "a frame took to paint (`dataset.paintMs / frames`: a patch or a `Plotly.react`), the frames it "
              "received and dropped, and the share patched into plotly's SVG (`js/live_patch.js`). The player "
              "plays each rerun's batch of frames at 25 fps. Before → after: the same pages on the code of "
              f"{PAINTED_BEFORE} (before live frames were patched), then on this checkout, in one run. "
              "Target: 25 on every live page.")),
    Bench("playground_fps", ["--rounds", "2", "--seconds", "5"], "Playground painted frames", verbatim_table),
    Bench("playground_fps --paint", ["--paint"], "What one playground frame costs the browser", verbatim_table),
    Bench("classroom", ["--sessions", "1", "10", "30", "--seconds", "20"], "Classroom load", classroom,
          json=True),
    Bench("classroom playground", ["--sessions", "1", "10", "30", "--seconds", "20", "--page", "playground",
                                   "--nginx"], "Classroom load: the playground behind nginx", classroom, json=True,
          intro="The same simulation on /playground (its frames are the heaviest), with deploy/nginx.conf in front "
                "of the server as a lab runs it (`--nginx`: Streamlit's bundles and plotly.js come from nginx's "
                "cache). Goal at N = 30 (issue 21): every session ≥ 10 painted fps, first page ≤ 2 s; one replica "
                "here, the lab's two in the board's bench below."),
    Bench("playground_rerun", ["--rounds", "7", "--reruns", "3"], "The playground's largest network",
          verbatim_table),
    Bench("board_load", ["--students", "30", "--markdown", "-"], "The class board under a class", verbatim_table,
          intro="30 simulated students join a class through nginx and two replicas sharing one PostgreSQL, train "
                "and send; one replica stops, PostgreSQL restarts. Every acknowledged send must be on the board."),
    Bench("fairness", ["--seconds", "10"], "Fairness: one student cannot slow the others", fairness, json=True,
          intro=(
              "One server, two students, each in a Chromium of their own: the normal one plays /regression "
              "(painted_fps's query and measuring code), alone, then beside the heaviest playground a link allows "
              "playing in the other session, then beside the heaviest MNIST run a student may start training. "
              "Each live frame computes for at most 100 ms (`nncore.engine.budget.SLICE`; 50 ms before the "
              "reruns went from 0.2 to 0.4 s) and the live gate gives "
              "turns in order; TensorFlow uses `NNPLAY_TF_THREADS` threads per pool, at `nice` +`NNPLAY_TF_NICE`, "
              "with small batches several to a call (docs/DEPLOY.md). The heavy student's browser runs at "
              "`nice` 19 and autogroup scheduling is off for the run: one machine stands in for a classroom "
              "where each browser has its own (bench/fairness.py says why). Goal: ≥ 80% of alone.")),
]
SKIP = {"report", "__init__"}


# ---- running ----------------------------------------------------------------------------------------
def run(bench: Bench, keep: Path) -> Output:
    script = bench.name.split()[0]
    argv = [sys.executable, str(BENCH / f"{script}.py"), *bench.args]
    extra = None
    if bench.json:
        extra = keep / f"{bench.name.replace(' ', '_')}.json"
        if script == "classroom":
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
    return [Bench(p.stem, [], f"`{p.stem}`", lambda o: "```\n" + o.stdout.strip() + "\n```\n",
                  intro="(No section written for this script yet: its output as printed.)")
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
            f"TensorFlow {version('tensorflow') if version('tensorflow') != '–' else version('tensorflow-cpu')}, "
            f"NumPy {version('numpy')}; {chromium}.")


def block(name: str, body: str) -> str:
    return f"<!-- bench:{name} -->\n{body.strip()}\n<!-- /bench:{name} -->"


def put(text: str, name: str, body: str, section: str) -> str:
    """Replace the block ``name`` in ``text``, or append ``section`` (which holds it) at the end."""
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block(name, body), text, count=1)
    return text.rstrip() + "\n\n" + section.strip() + "\n"


def document(text: str, outputs: List[Output], benches: List[Bench]) -> str:
    """``text`` (the current document) with the machine, the date and every script's figures rewritten."""
    if not text.strip():
        text = ("# Benchmarks\n\nMachines here are shared and noisy: every figure is a ratio or a rate measured "
                "within one run of one script, never a timing asserted in a test.\n")
    today = datetime.date.today().isoformat()
    head = (f"Last `make bench` (`python bench/report.py`): **{today}**. Machine: {machine()} Each block "
            "marked *this run* below was rewritten from that run's output, with the load average while its "
            "script ran; the rest of each section (method, analyses, earlier variants) is kept as written.")
    if "<!-- bench:machine -->" not in text:
        first, _, rest = text.partition("\n\n")
        text = f"{first}\n\n{block('machine', head)}\n\n{rest}"
    text = put(text, "machine", head, "")
    by_name = {o.name: o for o in outputs}
    for bench in benches:
        out = by_name.get(bench.name)
        if out is None:
            continue
        key = bench.name.replace(" --", "-").replace(" ", "-")
        body = (f"*This run* (`{out.command}`, {out.started}, {out.seconds:.0f} s, {load_note(out)}):\n\n"
                + (failed(out) or bench.render(out)))
        section = f"## {bench.title} (`{out.command}`)\n" + (bench.intro + "\n\n" if bench.intro else "\n") \
            + block(key, body)
        text = put(text, key, body, section)
    return text.rstrip() + "\n"


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
    target = Path(args.out)
    current = target.read_text() if target.exists() else (DOC.read_text() if DOC.exists() else "")
    target.write_text(document(current, outputs, benches))
    print(f"wrote {args.out} ({len(outputs)} sections)")
    return 0 if all(o.code == 0 for o in outputs) else 1


if __name__ == "__main__":
    sys.exit(main())
