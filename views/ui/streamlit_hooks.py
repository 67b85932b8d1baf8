"""Every Streamlit internal nnplay reaches, in one place, each with a check that it is still there.

Streamlit's public API has no way to do four things a classroom server needs. Each is a *hook* here;
``report()`` says which are active, and ``tests/test_streamlit_hooks.py`` (canary tests, pinned to the
Streamlit version in requirements.txt) fails loudly when an upgrade moves one:

- ``session``: the script run's session id and the runtime (``streamlit.runtime.scriptrunner``), for
  "is this tab still open?" (``session_connected``, ``owner``, ``tab_gone``).
- ``browser_queue``: a session's outgoing message queue (``Runtime._session_mgr`` → ``AppSession
  ._browser_queue``), so a live frame's rerun ends only once its messages have left (``wait_until_sent``).
- ``socket_queue``: the websocket's own send queue behind it (``ActiveSessionInfo.client`` →
  ``StarletteSessionClient._send_queue``, at most 500 messages). When a browser reads slower than the
  server writes (a busy tab, a slow machine), that queue fills; at 500 Streamlit marks the session
  disconnected but leaves the socket open, and the page stays "running" for good, deaf to every click
  (seen: TensorFlow Playground's default at speed 100 on a loaded machine). ``wait_until_sent`` therefore
  also waits for this queue to drain: a slow browser gets fewer frames, never a dead page.
- ``keras_cleanup``: the clean-up Streamlit runs after every script run
  (``script_runner._clean_problem_modules``), which calls ``keras.backend.clear_session()`` and would
  reset Keras under a training thread (``keep_keras_between_reruns``).

Without a hook the app still works, more slowly or less safely (no wait, Keras resets), and ``report()`` says so.
"""
from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from typing import Callable, Dict, Optional, Tuple

STREAMLIT_PINNED = "1.67.0"              # the version these hooks were checked against (requirements.txt)


# ---- session: which session runs this script, and is its browser still there? ------------------------
def this_session() -> Tuple[Optional[object], Optional[object]]:
    """(script run context, runtime) of the running script, or (None, None) outside a server."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return None, None
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return None, None
    return ctx, Runtime.instance()


def session_id() -> Optional[str]:
    """The id of this script run's session, or None outside a script run (bare mode). Under AppTest, which
    stands a mock runtime in, it is AppTest's own id."""
    ctx, _ = this_session()
    return ctx.session_id if ctx is not None else None


def session_connected(sid: str) -> bool:
    """True while the server holds a connected session with this id (a closed tab is gone at once)."""
    from streamlit.runtime import Runtime

    return not Runtime.exists() or Runtime.instance().is_active_session(sid)


def owner() -> Callable[[], bool]:
    """A check, callable from any thread, that this script run's session is still connected. It holds only
    the session's id (never its state), and stays true where there is no server to ask."""
    sid = session_id()
    if sid is None:
        return lambda: True
    return lambda: session_connected(sid)


def tab_gone() -> bool:
    """True when this session's browser has disconnected: a frame would be drawn for nobody."""
    ctx, runtime = this_session()
    return bool(ctx and not runtime.is_active_session(ctx.session_id))


# ---- browser_queue: wait until this run's messages have left ----------------------------------------
def _active_session_info():
    """This session's ActiveSessionInfo (private: ``Runtime._session_mgr``), or None."""
    ctx, runtime = this_session()
    if ctx is None:
        return None
    try:
        return runtime._session_mgr.get_active_session_info(ctx.session_id)
    except Exception:  # noqa: BLE001 - another Streamlit, AppTest's mock runtime, or the session has gone
        return None


def _browser_queue():
    """This session's ForwardMsgQueue (private: ``AppSession._browser_queue``)."""
    try:
        queue = _active_session_info().session._browser_queue
        len(queue)
    except Exception:  # noqa: BLE001 - another Streamlit, or the session has gone
        return None
    return queue


def _socket_queue():
    """The websocket's send queue of this session (private: ``StarletteSessionClient._send_queue``, an
    ``asyncio.Queue`` read only for its size here), or None."""
    try:
        queue = _active_session_info().client._send_queue
        queue.qsize()
    except Exception:  # noqa: BLE001 - another Streamlit, or the session has gone
        return None
    return queue


def socket_backlog() -> int:
    """How many messages of this session wait in its websocket's send queue (0 when it cannot be read)."""
    queue = _socket_queue()
    return queue.qsize() if queue is not None else 0


def wait_until_sent(limit: float = 1.0, socket_limit: float = 10.0) -> None:
    """Wait, without the GIL, until the runtime has taken this session's messages off its queue (≤ ``limit``
    s), then until the websocket has written them to the browser (≤ ``socket_limit`` s, while the tab is
    there). A queue that cannot be reached is not waited for."""
    queue = _browser_queue()
    if queue is not None:
        deadline = time.monotonic() + limit
        while len(queue) and time.monotonic() < deadline:
            time.sleep(0.005)
    socket = _socket_queue()
    if socket is not None:
        connected = owner()                  # the session looked up once, not on every 10 ms turn
        deadline = time.monotonic() + socket_limit
        while socket.qsize() and time.monotonic() < deadline and connected():
            time.sleep(0.01)


# ---- keras_cleanup: no Keras reset after every script run ---------------------------------------------
# After every script run, fragment reruns included, Streamlit calls ``keras.backend.clear_session()``.
# That empties TensorFlow's eager kernel cache and runs ``gc.collect()`` while a ``nncore.keras.jobs``
# worker thread is inside ``model.fit``: with the MNIST page's live fragment rerunning, training ran 20-50
# times slower than a bare ``fit`` (0.6-0.8 s per epoch bare, 16-36 s watched). Keras 3 keeps its global
# state per thread and every script run has a thread of its own, so the reset buys nothing here.
# Streamlit also forces ``gc.collect(2)`` after every run; once TensorFlow is imported the heap holds
# ~350,000 tracked objects and each collection takes ~100 ms with the GIL held. ``load_tensorflow`` imports
# TensorFlow and moves what exists then into the collector's permanent generation (``gc.freeze()``, once).
_frozen = threading.Event()


def _clean_without_keras() -> None:
    """Streamlit's clean-up after a script run, minus ``keras.backend.clear_session()``."""
    if "matplotlib.pyplot" in sys.modules:
        try:
            sys.modules["matplotlib.pyplot"].close("all")
        except Exception:  # noqa: BLE001 (as Streamlit: never crash the app over clean-up)
            pass


def _script_runner_module():
    try:
        from streamlit.runtime.scriptrunner import script_runner
    except ImportError:          # a Streamlit that moved it
        return None
    return script_runner if hasattr(script_runner, "_clean_problem_modules") else None


def keep_keras_between_reruns() -> bool:
    """Install the clean-up without Keras's reset (idempotent, process-wide). True if it is in place."""
    module = _script_runner_module()
    if module is None:
        return False
    module._clean_problem_modules = _clean_without_keras
    return True


def load_tensorflow():
    """Import Keras/TensorFlow (``nncore.keras.bridge.keras()``); the first time, freeze the heap so that
    Streamlit's forced collection after each rerun no longer walks TensorFlow's objects."""
    from nncore.keras.bridge import keras

    module = keras()
    if not _frozen.is_set():
        _frozen.set()
        gc.collect()
        gc.freeze()
    return module


# ---- which hooks are active -----------------------------------------------------------------------------
def report() -> Dict[str, bool]:
    """{hook: available} for this Streamlit, read from its classes (no running session needed)."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.app_session import AppSession
        from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: F401
        from streamlit.runtime.session_manager import SessionManager
    except ImportError:
        return {"session": False, "browser_queue": False, "socket_queue": False,
                "keras_cleanup": _script_runner_module() is not None}
    reach = "_session_mgr" in Runtime.__init__.__code__.co_names and hasattr(SessionManager, "get_active_session_info")
    return {
        "session": all(hasattr(Runtime, a) for a in ("exists", "instance", "is_active_session")),
        "browser_queue": reach and "_browser_queue" in AppSession.__init__.__code__.co_names,
        "socket_queue": reach and "_send_queue" in _names_set_in_init(_socket_client_class()),
        "keras_cleanup": _script_runner_module() is not None,
    }


def _names_set_in_init(cls) -> tuple:
    """The attribute names ``cls.__init__`` refers to (empty for no class, or one without a Python __init__)."""
    code = getattr(getattr(cls, "__init__", None), "__code__", None)
    return code.co_names if code is not None else ()


def _socket_client_class():
    """The class of a session's websocket client (Starlette's, in the Streamlit pinned above), or None."""
    try:
        from streamlit.web.server.starlette.starlette_websocket import StarletteSessionClient
    except ImportError:
        return None
    return StarletteSessionClient


_reported = threading.Event()


def log_report_once() -> Dict[str, bool]:
    """Say in the server's log, once per process, which hooks are active (a missing one is a warning)."""
    hooks = report()
    if not _reported.is_set():
        _reported.set()
        log = logging.getLogger("nnplay")
        missing = [name for name, ok in hooks.items() if not ok]
        if missing:
            log.warning("Streamlit hooks missing in this Streamlit (%s): %s; nnplay runs without them, more "
                        "slowly. See views/ui/streamlit_hooks.py.", STREAMLIT_PINNED, ", ".join(missing))
        else:
            log.info("Streamlit hooks active: %s", ", ".join(hooks))
    return hooks
