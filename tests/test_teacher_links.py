"""Teacher links (?lock=…&hide=…): locked controls greyed out with 🔒, hidden ones absent, both at the link's value."""

import pytest

from tests import pages
from views.ui.messages import plain  # a warning shows the link's text escaped (as_text)


def _app(page, query):
    return pages.open_page(page, query)


def _param(at, name):
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def _keys(at):
    return {getattr(e, "key", None) for kind in ("selectbox", "select_slider", "slider", "number_input", "toggle",
                                                 "multiselect", "radio") for e in getattr(at, kind)}


def test_a_playground_link_locks_and_hides_controls_at_the_links_values():
    at = _app("playground", {"lr": "0.03", "optimizer": "adam", "reg": "l2", "reg_rate": "0.01",
                             "lock": "lr,optimizer", "hide": "reg,reg_rate,dropout"})
    assert not at.exception and not at.warning
    lr, opt = at.select_slider(key="playground.lr"), at.selectbox(key="playground.optimizer")
    assert lr.disabled and opt.disabled
    assert lr.value == 0.03 and opt.value == "adam"
    assert lr.label.startswith("🔒") and "Your teacher fixed this control." in lr.help
    assert not at.selectbox(key="playground.activation").disabled          # the rest stay free
    assert {"playground.reg", "playground.reg_rate", "playground.dropout"}.isdisjoint(_keys(at))
    c = at.session_state["pg_setup"].controls
    assert (c.optimizer, c.lr, c.reg, c.reg_rate, c.dropout) == ("adam", 0.03, "l2", 0.01, 0.0)
    assert "Your teacher fixed these: learning rate α = 0.03, optimiser = adam" in at.info[0].value  # labels
    assert _param(at, "lock") == "lr,optimizer" and _param(at, "hide") == "reg,reg_rate,dropout"


def test_a_preset_chosen_by_the_student_keeps_the_locked_values():
    at = _app("playground", {"lr": "0.03", "lock": "lr"})
    at.selectbox(key="playground.preset").set_value("xor-model-1").run()
    assert not at.exception
    assert at.session_state["playground.lr"] == 0.03 and at.session_state["pg_setup"].controls.lr == 0.03
    assert at.session_state["pg_setup"].controls.optimizer == "adam"     # the preset's other settings apply


def test_a_regression_link_locks_the_learning_rate_and_hides_the_optimiser():
    at = _app("regression", {"lr": "0.5", "optimizer": "momentum", "lock": "lr", "hide": "optimizer"})
    assert not at.exception and not at.warning
    assert at.select_slider(key="regression.lr").disabled and at.select_slider(key="regression.lr").value == 0.5
    assert "regression.optimizer" not in _keys(at)
    assert at.session_state["reg_setup"].train.optimizer == "momentum"


def test_a_race_link_locks_the_racers_and_hides_the_data():
    at = _app("race", {"racers": "sgd,adam", "data": "circle", "lock": "racers,lr_adam", "hide": "data"})
    assert not at.exception and not at.warning
    assert at.multiselect(key="race.racers").disabled and at.select_slider(key="race.lr_adam").disabled
    assert not at.select_slider(key="race.lr_sgd").disabled
    assert "race.data" not in _keys(at)
    setup = at.session_state["race_setup"]
    assert setup.setup.data == "circle" and [n for n, _ in setup.racers] == ["sgd", "adam"]


@pytest.mark.parametrize("query,bad", [
    ({"lock": "lr,bogus"}, "lock 'bogus'"),
    ({"hide": "<script>alert(1)</script>"}, "hide '<script>alert(1)</script>'"),
    ({"lock": "x" * 300}, "lock '" + "x" * 40 + "…'"),
])
def test_a_tampered_lock_or_hide_list_says_which_names_are_unknown_and_breaks_nothing(query, bad):
    at = _app("playground", query)
    assert not at.exception and not at.error
    assert any(bad in plain(m.value) and "not a control of this page; it is ignored." in m.value for m in at.warning)
    assert at.session_state["pg_run"] is not None
    if query.get("lock", "").startswith("lr,"):
        assert at.select_slider(key="playground.lr").disabled


def test_the_student_link_builder_writes_lock_and_hide():
    at = _app("playground", {"lr": "0.03"})
    at.multiselect(key="playground._pick_lock").set_value(["lr", "optimizer"]).run()
    at.multiselect(key="playground._pick_hide").set_value(["dropout"]).run()
    links = [c.value for c in at.code if "lock=" in c.value and "[[steps]]" not in c.value]
    assert links and links[-1].endswith("?lr=0.03&lock=lr,optimizer&hide=dropout")
    step = next(c.value for c in at.code if "[[steps]]" in c.value)          # 📝 a lesson step locks the same
    assert 'link = "lr=0.03&lock=lr,optimizer&hide=dropout"' in step
    assert "learning rate α" in at.multiselect(key="playground._pick_lock").options    # labels, not URL names


def test_a_student_link_made_in_presentation_mode_carries_present_only_when_asked():
    at = pages.AppTest.from_file(str(pages.VIEWS / "playground.py"), default_timeout=120)
    at.query_params.update({"lr": "0.03", "present": "1"})
    at.session_state["present"] = True                   # as the router sets it from ?present=1
    at.run()
    at.multiselect(key="playground._pick_lock").set_value(["lr"]).run()
    student = [c.value for c in at.code if "lock=" in c.value and "[[steps]]" not in c.value][-1]
    assert student.endswith("?lr=0.03&lock=lr") and "present" not in student
    at.checkbox(key="playground._pick_present").check().run()
    assert [c.value for c in at.code if "lock=" in c.value and "[[steps]]" not in c.value][-1].endswith(
        "?lr=0.03&lock=lr&present=1")


@pytest.mark.parametrize("page, query, key, kind, value", [
    ("regression", {"lr": "1e6"}, "regression.speed", "slider", 20),
    ("playground", {"n1": "abc"}, "playground.speed", "slider", 20),
])
def test_a_bad_links_warning_stays_until_the_student_changes_something(page, query, key, kind, value):
    """A warning about the link stays on reruns that change nothing (the tab's memory answering made one at once
    and wiped it within a second), and goes when the student changes a setting."""
    at = _app(page, query)
    first = [w.value for w in at.warning]
    assert first and any(k in plain(" ".join(first)) for k in query), first
    at.run()
    at.run()
    assert [w.value for w in at.warning] == first
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.warning, [w.value for w in at.warning]
