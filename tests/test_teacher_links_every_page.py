"""A teacher's link locks and hides on every page with controls (before, /mnist, /perceptron, /losses and
/activations showed "greyed out below" while nothing was locked, and the student's edits silently reverted)."""
import pytest

from tests import pages

KINDS = ("selectbox", "select_slider", "slider", "number_input", "toggle", "checkbox", "multiselect", "radio",
         "text_input")
# page → (a control to lock with a value the link sets, its URL text, a control to hide)
CASES = {
    "perceptron": ("threshold", "3.5", 3.5, "w3"),
    "activations": ("z_max", "8.0", 8.0, "leaky_alpha"),
    "losses": ("p", "0.3", 0.3, "outlier"),
    "mnist": ("epochs", "3", 3, "dropout"),
    "regression": ("lr", "0.5", 0.5, "optimizer"),
    "playground": ("lr", "0.03", 0.03, "dropout"),
    "race": ("epochs", "50", 50, "loss"),
}


def _widget(at, key):
    for kind in KINDS:
        for e in getattr(at, kind):
            if getattr(e, "key", None) == key:
                return e
    return None


@pytest.mark.parametrize("page", list(CASES))
def test_a_teacher_link_locks_and_hides_on_every_page(page):
    locked, text, value, hidden = CASES[page]
    at = pages.open_page(page, {locked: text, "lock": locked, "hide": hidden})
    assert not at.exception
    w = _widget(at, f"{page}.{locked}")
    assert w is not None and w.disabled and w.label.startswith("🔒"), f"{page}: {locked} is not locked"
    assert w.value == value
    assert _widget(at, f"{page}.{hidden}") is None, f"{page}: {hidden} is still drawn"
    assert any("Your teacher fixed these" in i.value for i in at.info)
    # the value stays the link's, whatever the session state says
    at.session_state[f"{page}.{locked}"] = type(value)(value * 2) if not isinstance(value, str) else value
    at.run()
    assert at.session_state[f"{page}.{locked}"] == value
