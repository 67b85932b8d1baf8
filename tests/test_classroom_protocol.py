"""bench/classroom.py speaks Streamlit's websocket protocol: against a real server, simulated students
connect, press ▶ Train, and receive live-plot frames (no timing thresholds: the machine is shared)."""
import asyncio
import importlib.util
import sys
import threading

import pytest

from tests.browser import ROOT


def load_classroom():
    spec = importlib.util.spec_from_file_location("classroom", ROOT / "bench" / "classroom.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run_async(coro, timeout):
    """``asyncio.run`` on a thread of its own: Playwright's sync API (the browser tests' session
    fixture) may already run an event loop in this one."""
    out = {}

    def target():
        try:
            out["value"] = asyncio.run(asyncio.wait_for(coro, timeout))
        except BaseException as e:  # noqa: BLE001 - re-raised in the test's thread
            out["error"] = e

    t = threading.Thread(target=target)
    t.start()
    t.join(timeout + 30)
    if "error" in out:
        raise out["error"]
    return out["value"]


@pytest.fixture(scope="module")
def classroom():
    return load_classroom()


def test_two_students_connect_press_play_and_receive_frames(server, classroom):
    result = run_async(classroom.classroom(
        server.url, classroom.PAGES["regression"], sessions=2, seconds=3, ramp=0, think=0.2, assets=False,
        server_pid=server.proc.pid, log=lambda *a: None), 180)
    assert result["errors"] == []
    assert result["connected"] == 2 and result["pressed_play"] == 2 and result["playing"] == 2
    assert result["frames_per_s_worst"] > 0 and result["painted_fps_worst"] > 0
    assert result["fragment_runs_per_s_total"] > 0
    assert result["late_first_page_s"] is not None          # a student arriving later gets a page
    assert result["server_cpu_pct"] is not None and result["rss_mb"]["max"]


def test_a_student_reads_the_play_button_and_live_plots_from_the_deltas(server, classroom):
    async def one():
        s = classroom.Session(0, server.url, classroom.PAGES["regression"], assets=False)
        try:
            await s.open()
            assert s.page.play_key in s.widget_ids                 # the button's element id, from its delta
            assert s.primary_key == "reg_fit" and s.plot_updates["reg_fit"]       # the live plot, drawn paused
            await s.press_play()
            assert s.timers, "pressing Play starts the fragment's auto-rerun timer"
            await asyncio.sleep(2)
            assert s.fragment_runs and s.auto_sent                  # the timer drives fragment reruns
            assert len(s.plot_updates["reg_fit"]) > 1               # live frames arrived while playing
        finally:
            await s.close()
        return s

    s = run_async(one(), 120)
    assert not s.errors and not s.exceptions


def test_refuses_servers_off_loopback(classroom):
    classroom.check_loopback("http://127.0.0.1:8501")
    classroom.check_loopback("http://localhost:8501")
    with pytest.raises(SystemExit):
        classroom.check_loopback("http://192.168.1.10:8501")
