"""Is the browser tab behind this script run still open? Streamlit's own session registry says.

Work that outlives a rerun (a Keras run on its worker thread) takes ``owner()``: a function that
answers on any thread, holds only the session's id (never its state), and stays true where there
is no server to ask (AppTest, bare mode).
"""
from typing import Callable

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx


def session_connected(session_id: str) -> bool:
    """True while the server holds a connected session with this id (a closed tab is gone at once;
    a reload within ``keras_jobs.ABANDON_AFTER`` s does not lose its run)."""
    return not runtime.exists() or runtime.get_instance().is_active_session(session_id)


def owner() -> Callable[[], bool]:
    """A check, callable from any thread, that this script run's session is still connected."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return lambda: True
    session_id = ctx.session_id
    return lambda: session_connected(session_id)
