"""Presentation mode: ?present=1 or the sidebar toggle gives large type and a collapsed sidebar."""
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def page_config(monkeypatch):
    calls = []
    real = streamlit.set_page_config

    def recording(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(streamlit, "set_page_config", recording)
    return calls


def _styles(at):
    return [m.value for m in at.markdown if m.value.startswith("<style>")]


def test_a_present_link_collapses_the_sidebar_and_enlarges_the_type(page_config):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
    assert page_config[-1]["initial_sidebar_state"] == "collapsed"
    assert any("html { font-size: 24px; }" in s for s in _styles(at))
    assert at.sidebar.toggle(key="present").value is True


def test_without_it_the_page_is_as_usual_and_the_toggle_switches_it_on_and_off(page_config):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert page_config[-1]["initial_sidebar_state"] == "auto" and not _styles(at)
    at.sidebar.toggle(key="present").set_value(True).run()
    assert page_config[-1]["initial_sidebar_state"] == "collapsed" and _styles(at)
    assert at.query_params["present"] in ("1", ["1"])
    at.sidebar.toggle(key="present").set_value(False).run()
    assert page_config[-1]["initial_sidebar_state"] == "auto" and not _styles(at)
    assert "present" not in at.query_params


def test_a_bad_present_value_is_simply_off(page_config):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["present"] = "yes<script>"
    at.run()
    assert not at.exception and not _styles(at)
