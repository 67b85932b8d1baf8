"""The class board under a class's load: N simulated students join a class and send runs through nginx to two app
replicas that share one PostgreSQL; the teacher's board watches; then one replica stops and PostgreSQL restarts.

Everything is real but the browsers: Debian's PostgreSQL (a cluster of the bench's own, ``tests/postgres.py``),
two ``streamlit run app.py`` replicas with ``NNPLAY_DATABASE_URL``, Debian's nginx with ``deploy/nginx.conf``
(``ip_hash``: each "classroom machine" 127.0.k.1 sticks to one replica). Each student speaks Streamlit's
websocket protocol as the classroom harness does (``bench/classroom.py``'s ``Session``):

1. opens the student link ``/class?code=…``, types a nickname and presses **Join** (one rerun carrying the text
   input's value and the form's submit), and waits for "You are in class";
2. opens ``/playground`` in the same session (the app's navigation), presses **▶ Train**, lets it play;
3. presses **📤 Send** (the popover's button) and waits for "Sent"; the time of that answer is the send's.

The teacher's board (``/class?code=…&key=…``, its fragment refreshing every 2 s) is one more session, on the
replica that stays up; its "runs sent" metric gives, for every acknowledged send, how long the board took to
show it. Painted frame rate of the students' playgrounds is measured over the class (the classroom harness's
player model) while everyone trains and sends.

Faults, in order: (a) the replica the teacher is not on is stopped: its students' websockets close; each
"reloads" (a new session through nginx, which now sends it to the other replica) from its seat link
``/class?code=…&seat=…``, gets its seat back, opens the playground again and sends again; (b) PostgreSQL is
stopped: a send now answers "The class database is not answering…" (counted); PostgreSQL starts again and the
same students press 📤 Send again, which goes through. At the end every acknowledged send must be on the board
(the database's count, and the teacher's metric).

    .venv/bin/python bench/board_load.py --students 30 --markdown -
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.classroom import PAGES, OwnServer, PageSpec, Session  # noqa: E402
from nncore.board.store import UNAVAILABLE, BoardStore, database_url  # noqa: E402
from tests import browser, nginx  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402

JOINED = "You are in class"
SENT = "Sent: your teacher's board shows it."
PLAYGROUND = PAGES["playground"]


class Student(Session):
    """A simulated student: Session's protocol, plus text inputs, labelled buttons, alerts and metrics."""

    def __post_init__(self):
        super().__post_init__()
        self.inputs: Dict[str, str] = {}
        self.labels: Dict[str, str] = {}
        self.alerts: List[tuple] = []
        self.metrics: List[tuple] = []

    def _on_element(self, el, kind, now):
        super()._on_element(el, kind, now)
        if kind == "text_input":
            self.inputs[el.text_input.id.rsplit("-", 1)[-1]] = el.text_input.id
        elif kind == "button":
            self.labels[el.button.label] = el.button.id
        elif kind == "alert":
            self.alerts.append((now, el.alert.body))
        elif kind == "metric":
            self.metrics.append((now, el.metric.label, el.metric.body))

    async def rerun_with(self, states: List[tuple], timeout: float = 60) -> None:
        """One rerun carrying widget states ``(id, field, value)``; waits for its run to finish."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query_string
        rs.page_script_hash = self.page_hash
        for wid, name, value in states:
            w = rs.widget_states.widgets.add()
            w.id = wid
            setattr(w, name, value)
        rs.context_info.timezone = "UTC"
        rs.context_info.url = f"{self.url.rstrip('/')}/{self.page.path}"
        self.run_done.clear()
        await self.ws.send(msg.SerializeToString())
        await self._wait_run(timeout)

    async def wait_alert(self, text: str, since: float, timeout: float = 30) -> float:
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while loop.time() < end:
            hit = next((t for t, body in self.alerts if t >= since and text in body), None)
            if hit is not None:
                return hit
            await asyncio.sleep(0.05)
        said = [body[:80] for t, body in self.alerts if t >= since]
        raise TimeoutError(f"no {text!r} within {timeout:.0f} s (said: {said})")

    async def join(self, nickname: str) -> None:
        since = asyncio.get_running_loop().time()
        await self.rerun_with([(self.inputs["board._nickname"], "string_value", nickname),
                               (self.labels["Join"], "trigger_value", True)])
        await self.wait_alert(JOINED, since)

    async def open_playground(self) -> None:
        """The app's navigation to /playground in this session (as a sidebar link click does)."""
        self.page, self.page_hash, self.query_string = PLAYGROUND, "", PLAYGROUND.query
        self.run_done.clear()
        await self.send_rerun()
        await self._wait_run(60)
        await self.press_play()

    async def send_run(self, expect: str = SENT) -> float:
        """📤 Send; the time the page said ``expect``."""
        since = asyncio.get_running_loop().time()
        await self.rerun_with([(self.widget_ids["playground._send_to_class"], "trigger_value", True)])
        return await self.wait_alert(expect, since)


def runs_sent(teacher: Student) -> List[tuple]:
    return [(t, int(v)) for t, label, v in teacher.metrics if label == "runs sent"]


def board_delay(acks: List[float], seen: List[tuple]) -> List[float]:
    """For the k-th acknowledged send (in time order), the wait until the board first showed ≥ k runs."""
    out = []
    for k, t in enumerate(sorted(acks), 1):
        shown = next((s for s, n in seen if n >= k and s >= t - 5), None)
        out.append((shown - t) if shown is not None else float("inf"))
    return out


async def a_class(url: str, code: str, key: str, students: int, sources: int, store: BoardStore, cluster,
                  replicas, stop_index: int, play_s: float, steady_s: float = 10.0, log=print) -> dict:
    loop = asyncio.get_running_loop()

    def source(i):
        return f"127.0.{1 + i % sources}.1"

    # the teacher sits on the replica that stays up
    teacher_third = next(t for t in range(1, 250) if nginx.ip_hash_peer(f"127.0.{t}.1", 2) != stop_index)
    teacher = Student(-1, url, PageSpec("class", f"code={code}&key={key}", ""), assets=False,
                      source=f"127.0.{teacher_third}.1")
    await teacher.open()
    class_page = PageSpec("class", f"code={code}", "")
    crowd = [Student(i, url, class_page, assets=False, source=source(i)) for i in range(students)]
    acks: List[float] = []
    errors: List[str] = []

    async def day(s: Student, i: int):
        try:
            await asyncio.sleep(i * 0.1)
            await s.open(60)
            await s.join(f"student {i + 1}")
            s.class_query = s.query_string                   # …&seat=…: the seat link
            await s.open_playground()
            await asyncio.sleep(play_s)
            acks.append(await s.send_run())
        except Exception as e:      # noqa: BLE001 - a student who failed is a result
            errors.append(f"student {i + 1}: {type(e).__name__}: {e}"[:300])

    t0 = loop.time()
    await asyncio.gather(*(day(s, i) for i, s in enumerate(crowd)))
    t_sent = loop.time()
    await asyncio.sleep(3)                                   # one more board refresh (every 2 s)
    t1 = loop.time()
    windows = [s.window(t0 + 5, t1) for s in crowd if s.playing_since]
    fps = sorted(w["painted_fps"] for w in windows)
    phase1 = {"acks": len(acks), "db": store.counts().get("submissions"),
              "board_delay": board_delay(acks, runs_sent(teacher)),
              "fps_median": statistics.median(fps) if fps else 0, "fps_worst": fps[0] if fps else 0,
              "seconds": t_sent - t0}
    s0 = loop.time()                         # everyone trains, the board refreshes: the live pages' steady rate
    await asyncio.sleep(steady_s)
    steady = sorted(s.window(s0, loop.time())["painted_fps"] for s in crowd if s.playing_since)
    phase1["steady_fps_median"] = statistics.median(steady) if steady else 0
    phase1["steady_fps_worst"] = steady[0] if steady else 0
    log(f"phase 1: {phase1['acks']} sends acknowledged, {phase1['db']} in the database; board within "
        f"{max(phase1['board_delay'], default=0):.2f} s; painted fps median {phase1['fps_median']:.1f} while "
        f"arriving and sending, {phase1['steady_fps_median']:.1f} training with the board open")

    # (a) one replica stops mid-class
    on_stopped = [s for i, s in enumerate(crowd) if nginx.ip_hash_peer(source(i), 2) == stop_index]
    t_stop = loop.time()
    replicas[stop_index].stop()
    back: List[float] = []

    async def reload(s: Student):
        try:
            await s.close()
            again = Student(s.n, url, PageSpec("class", s.class_query, ""), assets=False, source=s.source)
            await again.open(60)
            await again.wait_alert(JOINED, 0, 30)            # the seat came back from the link
            await again.open_playground()
            await asyncio.sleep(1.0)
            acks.append(await again.send_run())
            back.append(loop.time() - t_stop)
            crowd[s.n] = again
        except Exception as e:      # noqa: BLE001
            errors.append(f"reload of student {s.n + 1}: {type(e).__name__}: {e}"[:300])

    await asyncio.gather(*(reload(s) for s in on_stopped))
    log(f"replica {stop_index + 1} stopped: {len(back)} of {len(on_stopped)} students back and sent again, the last "
        f"{max(back, default=0):.1f} s after the stop")

    # (b) PostgreSQL restarts mid-class: a send during the outage is refused with the sentence, then retried
    senders = [s for s in crowd if s.playing_since][:5]
    cluster.stop()
    refused = 0
    for s in senders:
        try:
            await s.send_run(expect=UNAVAILABLE[:40])
            refused += 1
        except Exception as e:      # noqa: BLE001
            errors.append(f"during the outage: {type(e).__name__}: {e}"[:300])
    cluster.start()
    retried = 0
    for s in senders:
        for _ in range(10):                                  # the pool's pre-ping reconnects on the next try
            try:
                acks.append(await s.send_run())
                retried += 1
                break
            except TimeoutError:
                await asyncio.sleep(1)
    await asyncio.sleep(3)
    db = store.counts().get("submissions")
    shown = max((n for _, n in runs_sent(teacher)), default=0)
    log(f"PostgreSQL restarted: {refused} sends refused with the sentence during the outage, {retried} retried after")
    await asyncio.gather(*(s.close() for s in crowd), teacher.close())
    return {"students": students, "phase1": phase1, "stopped_replica_students": len(on_stopped),
            "back_after_stop_s": back, "outage_refused": refused, "outage_retried": retried,
            "acks": len(acks), "db_submissions": db, "board_shows": shown, "errors": errors,
            "loadavg": Path("/proc/loadavg").read_text().split()[:3]}


def markdown(r: dict, command: str) -> str:
    p = r["phase1"]
    delays = [d for d in p["board_delay"] if d != float("inf")]
    lines = [
        f"`{command}` (load average {' '.join(r['loadavg'])} at the end)", "",
        "| students | sends acknowledged | in the database | on the board | board shows a send within (median · max) "
        "| painted fps while arriving and sending · then training (median / worst) "
        "| replica stopped: students back and sent again | PostgreSQL restart: refused with the sentence · retried |",
        "|---|---|---|---|---|---|---|---|",
        f"| {r['students']} | {r['acks']} | {r['db_submissions']} | {r['board_shows']} | "
        f"{statistics.median(delays) if delays else float('nan'):.2f} s · {max(delays, default=float('nan')):.2f} s "
        f"({len(delays)} of {len(p['board_delay'])}) | {p['fps_median']:.1f} / {p['fps_worst']:.1f} · "
        f"{p['steady_fps_median']:.1f} / {p['steady_fps_worst']:.1f} | "
        f"{len(r['back_after_stop_s'])} of {r['stopped_replica_students']}, the last after "
        f"{max(r['back_after_stop_s'], default=0):.1f} s | {r['outage_refused']} · {r['outage_retried']} |",
    ]
    if r["errors"]:
        lines += ["", "Errors: " + "; ".join(r["errors"][:5])]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--sources", type=int, default=10, help="classroom machines (loopback addresses)")
    ap.add_argument("--play", type=float, default=4.0, help="seconds each student trains before sending")
    ap.add_argument("--steady", type=float, default=10.0, help="seconds of training measured after the sends")
    ap.add_argument("--markdown", help="write the table here ('-': stdout)")
    ap.add_argument("--json", help="write the raw result here")
    args = ap.parse_args(argv)
    if not 1 <= args.students <= 60:
        ap.error("--students must be 1 … 60")
    cluster = PostgresCluster()
    replicas, proxy = [], None
    try:
        url = database_url({"NNPLAY_DATABASE_URL": cluster.url})
        store = BoardStore(url)
        code, key = store.create_class()
        env = {"NNPLAY_DATABASE_URL": cluster.url}
        replicas = [OwnServer(env=env), OwnServer(env=env)]
        proxy = nginx.Proxy([urllib.parse.urlsplit(r.url).netloc for r in replicas], browser.free_port())
        stop_index = 0
        started = time.monotonic()
        result = asyncio.run(a_class(proxy.url, code, key, args.students, args.sources, store, cluster, replicas,
                                     stop_index, args.play, args.steady))
        result["wall_s"] = time.monotonic() - started
        store.dispose()
    finally:
        if proxy:
            proxy.stop()
        for r in replicas:
            if r.proc.poll() is None:
                r.stop()
        cluster.remove()
    command = "python bench/board_load.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = markdown(result, command.strip())
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    if args.markdown == "-":
        print(text)
    elif args.markdown:
        Path(args.markdown).write_text(text + "\n")
    ok = result["acks"] == result["db_submissions"] == result["board_shows"] and not result["errors"]
    print("every acknowledged send is on the board" if ok else "MISMATCH or errors: see above", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
