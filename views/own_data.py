"""The playground's own data and own features: a formula typed as an input feature; points drawn on the
plane or read from a CSV file. ``views/playground.py`` calls these; the logic is in ``nncore.data.formula``
and ``nncore.data.userdata``. Points live in the session only (never in a link, never on disk)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import streamlit as st

from nncore.data import features as feats, tasks, userdata
from nncore.data.formula import compile_formula
from views import widgets as w

PLANE = "own_plane"          # the clickable plane's key
POINTS = "own_points"        # the DrawnPoints of this session


# ---- own features ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeaturesField(w.UrlField):
    """The link's list of input features: built-in names and formulas, each checked by ``features.check``."""

    def parse(self, name: str, text: str):
        chosen = [t for t in text.split(",") if t.strip()]
        try:
            return list(feats.check(chosen)) if chosen else []
        except ValueError as err:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise ValueError(f"The link sets {name} to {shown!r}. {err}") from None


def feature_options() -> List[str]:
    """The built-in features, then every formula added in this session (or brought by the link)."""
    s = st.session_state
    formulas = list(s.get("own_formulas", []))
    formulas += [f for f in s.get("features", []) if feats.is_formula(f) and f not in formulas]
    s.own_formulas = formulas
    return list(feats.NAMES) + formulas


def _add_formula() -> None:
    s = st.session_state
    try:
        text = compile_formula(s.own_formula).text
        feats.check([*s.features, text])                # not one too many
    except ValueError as err:
        s.own_formula_problem = str(err)
        return
    if text not in s.own_formulas:
        s.own_formulas.append(text)
    if text not in s.features:
        s.features = [*s.features, text]
    s.own_formula = ""


def formula_adder() -> None:
    """A text box for a feature formula (x1*x2, sin(3*x1), …) and a button that adds it to the features."""
    st.text_input("your own feature (formula)", key="own_formula", placeholder="e.g. sin(3*x1) or x1**2 + x2**2",
                  help="x1, x2, numbers, pi, e, + − * / ** and sin, cos, tan, tanh, exp, log, sqrt, abs, "
                       "sigmoid, relu.")
    st.button("➕ Add feature", key="own_formula_add", on_click=_add_formula)
    problem = st.session_state.pop("own_formula_problem", None)
    if problem:
        w.bad_input(problem, "the features you had")


# ---- own points ------------------------------------------------------------------------------------------
def _points() -> userdata.DrawnPoints:
    return st.session_state.setdefault(POINTS, userdata.DrawnPoints())


def _take_click() -> None:
    """A click on the plane since the last run becomes a point with the chosen class or value."""
    s = st.session_state
    click = w.new_click(PLANE)
    if click is None:
        return
    label = s.get("own_value", 0.0) if s.get("own_kind") == "values" else s.get("own_class", 1)
    try:
        _points().add(*click, label)
    except ValueError as err:
        w.bad_input(str(err), "the points you have")


def _take_upload(file) -> None:
    """A new CSV file replaces the points (once per file); what was read, or why not, is kept to show."""
    s = st.session_state
    if file is None or s.get("own_upload_id") == file.file_id:
        return
    s.own_upload_id = file.file_id
    try:
        data = userdata.load_csv(file.getvalue())
    except ValueError as err:
        s.own_upload_note = ("error", f"{file.name}: {err}")
        return
    _points().points = [(float(a), float(b), float(c)) for (a, b), c in zip(data.x, data.y[:, 0])]
    s.own_kind = data.kind
    s.own_upload_note = ("success", f"{file.name}: {data.description}")


def current() -> Optional[userdata.OwnData]:
    """The student's points as they are now, a new click or upload taken first (so that the network's
    output fits them before the panel is drawn); None when this is not the own-points data set or
    they cannot train yet."""
    s = st.session_state
    if s.get("data") != "own":
        return None
    _take_upload(s.get("own_upload"))
    _take_click()
    try:
        return _points().to_data(kind=s.get("own_kind", "classes"))
    except ValueError:
        return None


def own_points_panel() -> Optional[userdata.OwnData]:
    """Draw points on the plane (class 0/1, or a value) or upload a CSV file; Undo, Clear, Download.

    Returns the points as OwnData; while they cannot train (none yet, one class) it says why and stops
    the page.
    """
    s = st.session_state
    st.subheader("✏️ Your own points")
    left, right = st.columns([3, 4])
    with right:
        labels = st.container()
        file = st.file_uploader("…or upload a CSV file: x1, x2, label per row (header optional)", type=["csv"],
                                key="own_upload")
        _take_upload(file)
        note = s.get("own_upload_note")
        if note:
            (st.success if note[0] == "success" else st.error)(note[1])
    with labels:
        st.radio("labels", userdata.KINDS, key="own_kind", horizontal=True,
                 format_func={"classes": "classes (0, 1, …)", "values": "values (regression)"}.get)
        if s.own_kind == "classes":
            st.radio("class of the next point", list(range(tasks.MAX_CLASSES)), index=1, key="own_class",
                     horizontal=True, help="Classes 0 and 1: one sigmoid output; 3 to 5 classes: one softmax "
                                           "output per class.")
        else:
            st.number_input("value of the next point", -1000.0, 1000.0, 0.0, key="own_value", format="%g")
    _take_click()
    points = _points()
    with left:
        st.caption("Click on the plane to add a point.")
        w.point_plane(points.points, userdata.PLANE, s.own_kind, key=PLANE)
    with labels:
        c = st.columns(3)
        c[0].button("↶ Undo", key="own_undo", on_click=points.undo, disabled=not len(points), width="stretch")
        c[1].button("🗑 Clear", key="own_clear", on_click=points.clear, disabled=not len(points), width="stretch")
        c[2].download_button("⬇ CSV", points.to_csv, file_name="my-points.csv", mime="text/csv", on_click="ignore",
                             key="own_download", disabled=not len(points), width="stretch",
                             help="Save the points as a CSV file that this page reads back.")
    try:
        data = points.to_data(kind=s.own_kind)
    except ValueError as err:
        st.info(str(err), icon="✏️")
        st.stop()
    st.caption(data.description)
    return data
