"""Canary tests for every Streamlit internal that views/ui/streamlit_hooks.py reaches, pinned to the Streamlit
version in requirements.txt. After a Streamlit upgrade, a failure here names the hook that broke and the
internal that moved; the app itself keeps working without the hook, only slower (``report()`` says so).

No browser needed: AppTest runs scripts with Streamlit's own ScriptRunner (but without a server), and the
real-server check starts ``streamlit run`` and opens a session the way the browser does (Streamlit's websocket).
"""
import ast
import dataclasses
import importlib.util
import inspect
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import types
import urllib.request
from pathlib import Path

import streamlit
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.runtime.scriptrunner import ScriptRunContext, get_script_run_ctx, script_runner
from streamlit.runtime.session_manager import ActiveSessionInfo, SessionManager
from streamlit.testing.v1 import AppTest

from tests.browser import free_port
from views.ui import streamlit_hooks as hooks

ROOT = Path(__file__).resolve().parent.parent
HOOKS = "views/ui/streamlit_hooks.py"


def moved(what: str, hook: str) -> str:
    return f"hook {hook!r} broke: Streamlit moved {what}: update {HOOKS} (see its docstring)"


def pinned_streamlit() -> str:
    pins = re.findall(r"^streamlit==(\S+)\s*$", (ROOT / "requirements.txt").read_text(), re.M)
    assert len(pins) == 1, "requirements.txt must pin streamlit==X.Y.Z exactly once"
    return pins[0]


def set_in_init(cls, attr: str):
    """The expression ``cls.__init__`` assigns to ``self.<attr>``, or None (read from Streamlit's source)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls.__init__)))
    for node in ast.walk(tree):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        for t in targets:
            if (isinstance(t, ast.Attribute) and t.attr == attr and isinstance(t.value, ast.Name)
                    and t.value.id == "self"):
                return node.value
    return None


def modules_cleaned(source: str, name: str) -> set:
    """The modules function ``name`` in ``source`` tests for (``"x" in sys.modules``)."""
    fn = next(n for n in ast.walk(ast.parse(textwrap.dedent(source)))
              if isinstance(n, ast.FunctionDef) and n.name == name)
    return {c.left.value for c in ast.walk(fn)
            if isinstance(c, ast.Compare) and isinstance(c.left, ast.Constant) and isinstance(c.ops[0], ast.In)
            and ast.unparse(c.comparators[0]) == "sys.modules"}


def shipped_clean_up():
    """Streamlit's ``_clean_problem_modules`` as shipped (a fresh copy of its module: the one in use may have
    been replaced by the hook already)."""
    spec = importlib.util.spec_from_file_location("_shipped_script_runner", script_runner.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._clean_problem_modules


# ---- the version ----------------------------------------------------------------------------------------
def test_streamlit_is_the_version_the_hooks_were_checked_against():
    pin = pinned_streamlit()
    assert streamlit.__version__ == pin, (f"Streamlit {streamlit.__version__} is installed but requirements.txt "
                                          f"pins {pin}: pip install -r requirements.txt")
    assert hooks.STREAMLIT_PINNED == pin, (
        f"requirements.txt pins streamlit=={pin} but {HOOKS} was checked against {hooks.STREAMLIT_PINNED}: run "
        f"this file against {pin}, fix what it reports in {HOOKS}, then set STREAMLIT_PINNED = {pin!r}")


def test_report_says_every_hook_is_active():
    report = hooks.report()
    assert set(report) == {"session", "browser_queue", "socket_queue", "keras_cleanup"}, f"report() changed: {report}"
    broken = [name for name, active in report.items() if not active]
    assert not broken, (f"hooks {broken} are inactive on Streamlit {streamlit.__version__}: Streamlit moved what "
                        f"they reach (the tests below say what): update {HOOKS}")


# ---- session ----------------------------------------------------------------------------------------------
def test_session_hook_finds_the_runtime_and_the_script_run_context():
    for name in ("exists", "instance", "is_active_session"):
        assert callable(getattr(Runtime, name, None)), moved(f"Runtime.{name}", "session")
    assert list(inspect.signature(Runtime.is_active_session).parameters) == ["self", "session_id"], \
        moved("Runtime.is_active_session(session_id)", "session")
    assert "suppress_warning" in inspect.signature(get_script_run_ctx).parameters, \
        moved("get_script_run_ctx(suppress_warning=...)", "session")
    assert "session_id" in {f.name for f in dataclasses.fields(ScriptRunContext)}, \
        moved("ScriptRunContext.session_id", "session")


def test_this_session_is_none_outside_a_server():
    assert get_script_run_ctx(suppress_warning=True) is None and not Runtime.exists()
    assert hooks.this_session() == (None, None), moved("get_script_run_ctx / Runtime.exists (a session outside "
                                                       "any server)", "session")
    assert hooks.session_id() is None and hooks.owner()() is True and hooks.tab_gone() is False
    assert hooks._browser_queue() is None and hooks._socket_queue() is None and hooks.socket_backlog() == 0


def test_hooks_step_aside_in_apptest():
    """AppTest runs a script with a context but a mock Runtime (``MagicMock(spec=Runtime)``), no session manager:
    the hooks must neither fail nor wait there, or every AppTest of a live page would."""
    at = AppTest.from_string(
        "import time\n"
        "import streamlit as st\n"
        "from views.ui import streamlit_hooks as hooks\n"
        "start = time.monotonic()\n"
        "hooks.wait_until_sent(5.0)\n"
        "st.session_state['probe'] = dict(ctx=hooks.this_session()[0] is not None, owner=bool(hooks.owner()()),\n"
        "    gone=hooks.tab_gone(), queue=hooks._browser_queue(), waited=time.monotonic() - start < 1)\n",
        default_timeout=15).run()
    assert not at.exception, at.exception
    probe = at.session_state["probe"]
    assert probe["ctx"], moved("get_script_run_ctx (None inside a script run)", "session")
    assert probe == dict(ctx=True, owner=True, gone=False, queue=None, waited=True), \
        f"under AppTest's mock Runtime the hooks must step aside, got {probe}: update {HOOKS}"


# ---- browser_queue ------------------------------------------------------------------------------------------
def test_browser_queue_hook_reaches_a_sessions_outgoing_queue():
    """Runtime._session_mgr.get_active_session_info(id).session._browser_queue, checked in Streamlit's source."""
    assert set_in_init(Runtime, "_session_mgr") is not None, moved("Runtime._session_mgr (set in __init__)",
                                                                   "browser_queue")
    assert callable(getattr(SessionManager, "get_active_session_info", None)), \
        moved("SessionManager.get_active_session_info", "browser_queue")
    assert "session" in {f.name for f in dataclasses.fields(ActiveSessionInfo)}, \
        moved("ActiveSessionInfo.session", "browser_queue")
    queue = set_in_init(AppSession, "_browser_queue")
    assert queue is not None, moved("AppSession._browser_queue (set in __init__)", "browser_queue")
    assert ast.unparse(queue) == "ForwardMsgQueue()", moved(f"AppSession._browser_queue (now {ast.unparse(queue)})",
                                                            "browser_queue")
    assert callable(getattr(ForwardMsgQueue, "__len__", None)) and len(ForwardMsgQueue()) == 0, \
        moved("ForwardMsgQueue.__len__", "browser_queue")


# ---- keras_cleanup -------------------------------------------------------------------------------------------
def test_keras_cleanup_hook_replaces_what_streamlits_script_runner_calls_after_a_run():
    assert callable(getattr(script_runner, "_clean_problem_modules", None)), \
        moved("script_runner._clean_problem_modules", "keras_cleanup")
    run = script_runner.ScriptRunner._run_script
    source = inspect.getsource(run)
    call = "_log_if_error(_clean_problem_modules)"
    assert call in source, moved("the call to _clean_problem_modules out of ScriptRunner._run_script",
                                 "keras_cleanup")
    assert source.index("exec_func_with_error_handling(") < source.index("_on_script_finished(") \
        < source.index(call), moved("_clean_problem_modules: no longer called after the script run",
                                    "keras_cleanup")
    # Looked up by name when called, so the module attribute keep_keras_between_reruns() replaces is the one used.
    assert "_clean_problem_modules" in run.__code__.co_names, \
        moved("_clean_problem_modules (no longer read from the module when called)", "keras_cleanup")
    # Our clean-up is Streamlit's minus Keras: if Streamlit cleans more modules, _clean_without_keras must too.
    theirs = modules_cleaned(inspect.getsource(script_runner), "_clean_problem_modules")
    ours = modules_cleaned(inspect.getsource(hooks), "_clean_without_keras")
    assert "keras" in theirs, moved("Keras's reset out of _clean_problem_modules (the hook may not be needed)",
                                    "keras_cleanup")
    assert ours == theirs - {"keras"}, (f"hook 'keras_cleanup' broke: Streamlit's clean-up after a run now "
                                        f"handles {sorted(theirs)}, _clean_without_keras {sorted(ours)}: update "
                                        f"{HOOKS} to do what Streamlit does, minus Keras")


def test_keras_cleanup_hook_stops_streamlits_runner_resetting_keras(monkeypatch):
    """Two real script runs (AppTest runs scripts with Streamlit's ScriptRunner); a stand-in Keras records resets."""
    resets = []
    keras = sys.modules.get("keras")
    if keras is None:                                     # no TensorFlow import for this: a stand-in module
        keras = types.ModuleType("keras")
        keras.backend = types.SimpleNamespace()
        monkeypatch.setitem(sys.modules, "keras", keras)
    monkeypatch.setattr(keras.backend, "clear_session", lambda *a, **kw: resets.append(1), raising=False)
    monkeypatch.setattr(script_runner, "_clean_problem_modules", shipped_clean_up())   # put back after the test

    AppTest.from_string("import streamlit as st\nst.write('no hook')").run()
    assert resets, moved("the Keras reset out of the clean-up after a script run (the hook may not be needed)",
                         "keras_cleanup")
    resets.clear()
    at = AppTest.from_string("import streamlit as st\nfrom views.ui import streamlit_hooks as hooks\n"
                             "st.session_state['installed'] = hooks.keep_keras_between_reruns()\n").run()
    assert not at.exception and at.session_state["installed"], moved("script_runner._clean_problem_modules",
                                                                     "keras_cleanup")
    at.run()
    assert resets == [], moved("the clean-up after a script run: Keras was reset although "
                               "keep_keras_between_reruns() was called", "keras_cleanup")


# ---- all of them on a real server --------------------------------------------------------------------------
PROBE = """\
import json, os, time
import streamlit as st
from views.ui import streamlit_hooks as hooks

ctx, runtime = hooks.this_session()
sid = hooks.session_id()
queue = hooks._browser_queue()
for i in range(20):
    st.write(f"line {i}")                                  # messages for the browser queue
start = time.monotonic()
hooks.wait_until_sent(5.0)
probe = dict(report=hooks.report(), session=ctx is not None and runtime is not None, sid=sid,
             connected=bool(sid) and hooks.session_connected(sid), owner=hooks.owner()(), gone=hooks.tab_gone(),
             queue=queue is not None, left=len(queue) if queue is not None else None,
             waited=time.monotonic() - start, socket=hooks._socket_queue() is not None,
             socket_left=hooks.socket_backlog())
out = os.environ["NNPLAY_PROBE_OUT"]
with open(out + ".part", "w") as f:
    json.dump(probe, f)
os.replace(out + ".part", out)
"""


def run_on_a_real_server(tmp_path, script: str, talk, env=None, receive_buffer=None) -> str:
    """``streamlit run`` ``script`` and open one session over Streamlit's websocket, as a browser does:
    ``talk(ws)`` after the first rerun request. ``receive_buffer`` (bytes) caps the client's socket buffer,
    as a busy browser's would be. Returns the server's log."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.sync.client import connect

    path = tmp_path / "probe.py"
    path.write_text(script)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(path), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--server.enableStaticServing", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "streamlit run did not start"
                time.sleep(0.2)
        sock = socket.socket()
        if receive_buffer:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.connect(("127.0.0.1", port))
        with connect(f"ws://127.0.0.1:{port}/_stcore/stream", sock=sock, subprotocols=["streamlit"],
                     open_timeout=20, max_size=None) as ws:
            rerun = BackMsg()
            rerun.rerun_script.query_string = ""
            ws.send(rerun.SerializeToString())                 # what the browser sends to run the script
            talk(ws)
    finally:
        proc.terminate()
        try:
            log = proc.communicate(timeout=10)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            log = proc.communicate()[0]
    return log


def read_until(ws, done, seconds=60) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        try:
            ws.recv(timeout=0.5)
        except TimeoutError:
            pass


def test_every_hook_works_in_a_session_of_a_real_server(tmp_path):
    out = tmp_path / "probe.json"
    log = run_on_a_real_server(tmp_path, PROBE, lambda ws: read_until(ws, out.exists),
                               env={"NNPLAY_PROBE_OUT": str(out)})
    assert out.exists(), f"the probe script did not run in a session of the real server:\n{log[-3000:]}"
    probe = json.loads(out.read_text())
    assert probe["report"] == {"session": True, "browser_queue": True, "socket_queue": True,
                               "keras_cleanup": True}, f"report() on a real server: {probe['report']}: update {HOOKS}"
    assert probe["session"] and probe["sid"], moved("get_script_run_ctx / Runtime.instance (no session in a "
                                                    "server's script run)", "session")
    assert probe["connected"] and probe["owner"] and not probe["gone"], \
        moved(f"Runtime.is_active_session (an open session looks closed: {probe})", "session")
    assert probe["queue"], moved("Runtime._session_mgr / AppSession._browser_queue (not reachable in a real "
                                 "session)", "browser_queue")
    assert probe["left"] == 0 and probe["waited"] < 5.0, (
        f"hook 'browser_queue' broke: the runtime no longer empties AppSession._browser_queue ({probe['left']} "
        f"messages left after {probe['waited']:.1f} s): Streamlit moved a session's outgoing messages: "
        f"update {HOOKS}")
    assert probe["socket"], moved("StarletteSessionClient._send_queue (not reachable in a real session)",
                                  "socket_queue")
    assert probe["socket_left"] == 0, moved(f"the websocket's sending: {probe['socket_left']} messages still in "
                                            "StarletteSessionClient._send_queue after wait_until_sent", "socket_queue")


# ---- socket_queue: a browser that reads slowly ---------------------------------------------------------------
FLOOD = """\
import base64, json, os
import streamlit as st
from views.ui import streamlit_hooks as hooks

sid = hooks.session_id()
noise = base64.b64encode(os.urandom(60_000)).decode()        # incompressible (the socket may deflate)
for frame in range(40):                                    # 40 "live frames" of 25 messages of 20 kB
    for k in range(25):
        st.text(f"{frame}.{k} " + noise[(frame * 25 + k) % 997:][:20_000])
    backlog = hooks.socket_backlog()
    hooks.wait_until_sent(socket_limit=float(os.environ["NNPLAY_PROBE_SOCKET_LIMIT"]))
    with open(os.environ["NNPLAY_PROBE_OUT"], "a") as f:
        f.write(json.dumps(dict(frame=frame, backlog=backlog, connected=hooks.session_connected(sid))) + "\\n")
"""


def flood_a_slow_reader(tmp_path, socket_limit: float) -> list:
    """1000 messages of 20 kB to a client that reads nothing for its first 10 s (a browser busy drawing):
    what each frame saw (its socket backlog, whether its session was still connected)."""
    out = tmp_path / f"flood-{socket_limit}.jsonl"

    def frames():
        return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []

    def slow_reader(ws):
        time.sleep(10)
        read_until(ws, lambda: len(frames()) == 40 or any(not f["connected"] for f in frames()), seconds=60)

    run_on_a_real_server(tmp_path, FLOOD, slow_reader, receive_buffer=64 * 1024, env={
        "NNPLAY_PROBE_OUT": str(out), "NNPLAY_PROBE_SOCKET_LIMIT": str(socket_limit)})
    return frames()


def test_a_slow_reader_keeps_its_session_when_frames_wait_for_the_socket(tmp_path):
    """Each frame waits for the websocket's queue (hooks.wait_until_sent): the session stays connected. Without
    that wait (socket_limit=0) the same flood fills Streamlit's 500-message queue and the session is dropped
    while its socket stays open: the page would look alive and never answer again."""
    waited = flood_a_slow_reader(tmp_path, socket_limit=60.0)
    assert len(waited) == 40 and all(f["connected"] for f in waited), \
        f"waiting for the socket did not keep the session: {waited[-3:]}"
    assert max(f["backlog"] for f in waited) <= 25, f"frames piled up in the socket: {waited}"
    unwaited = flood_a_slow_reader(tmp_path, socket_limit=0.0)
    assert any(not f["connected"] for f in unwaited) or len(unwaited) < 40, moved(
        f"the websocket's send queue: 1000 unread messages no longer drop the session ({unwaited[-3:]}); if "
        "Streamlit now applies back-pressure itself, the socket_queue hook may go", "socket_queue")


def test_the_router_says_once_in_the_log_which_hooks_are_active(caplog, monkeypatch):
    monkeypatch.setattr(hooks, "_reported", __import__("threading").Event())
    with caplog.at_level("INFO", logger="nnplay"):
        assert hooks.log_report_once() == hooks.report()
        hooks.log_report_once()
    lines = [r.getMessage() for r in caplog.records if r.name == "nnplay"]
    assert lines == ["Streamlit hooks active: session, browser_queue, socket_queue, keras_cleanup"]
    monkeypatch.setattr(hooks, "_reported", __import__("threading").Event())
    monkeypatch.setattr(hooks, "report", lambda: {"session": True, "browser_queue": False, "socket_queue": True,
                                                   "keras_cleanup": True})
    with caplog.at_level("INFO", logger="nnplay"):
        hooks.log_report_once()
    assert "missing" in caplog.records[-1].getMessage() and "browser_queue" in caplog.records[-1].getMessage()
