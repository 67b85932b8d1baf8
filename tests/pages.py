"""AppTest helpers the page tests share: open a page as a link would, play its run to the end."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

VIEWS = Path(__file__).resolve().parent.parent / "views"


def open_page(name: str, query=None, timeout: float = 120) -> AppTest:
    """``views/<name>.py`` run once under AppTest, with ``query`` as the link's parameters."""
    at = AppTest.from_file(str(VIEWS / f"{name}.py"), default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def play_to_end(at: AppTest, page: str, run_key: str = None, limit: int = 500):
    """Speed 100 (the slider ``<page>.speed``), ▶ (the button ``<page>_play``), rerun until the run stops
    playing (at most ``limit`` times); the run in session state under ``run_key``."""
    at.slider(key=f"{page}.speed").set_value(100).run()
    at.button(key=f"{page}_play").click().run()
    for _ in range(limit):
        if not at.session_state[f"{page}_playing"]:
            break
        at.run()
    assert not at.exception
    return at.session_state[run_key] if run_key else None
