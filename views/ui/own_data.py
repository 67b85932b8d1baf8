"""The playground's own data and own features: a formula typed as an input feature; points drawn on the
plane or read from a CSV file. ``views/playground.py`` calls these with its PageState ``S``; the logic is in
``nncore.data.formula`` and ``nncore.data.userdata``. Points live in the page's session state only (never in
a link, never on disk), so they stay while the student visits other pages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import streamlit as st

from nncore.data import features as feats
from nncore.data import tasks, userdata
from nncore.data.formula import compile_formula
from views.ui.components import new_click, point_plane
from views.ui.messages import as_text, bad_input
from views.ui.state import PERSIST, PageState, Prop

PLANE = "own_plane"          # the clickable plane's key
POINTS = "own_points"        # the DrawnPoints of this session


# ---- own features ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeaturesProp(Prop):
    """The link's list of input features: built-in names and formulas, each checked by ``features.check``."""

    def parse(self, name: str, text: str):
        chosen = [t for t in text.split(",") if t.strip()]
        try:
            return list(feats.check(chosen)) if chosen else []
        except ValueError as err:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise ValueError(f"The link sets {name} to {shown!r}. {err}") from None


def feature_options(S: PageState) -> List[str]:
    """The built-in features, then every formula added in this session (or brought by the link)."""
    formulas = list(S.get("own_formulas", []))
    formulas += [f for f in S.get("features", []) if feats.is_formula(f) and f not in formulas]
    S.own_formulas = formulas
    return list(feats.NAMES) + formulas


def _add_formula(S: PageState) -> None:
    try:
        text = compile_formula(S.own_formula).text
        feats.check([*S.features, text])                # not one too many
    except ValueError as err:
        S.own_formula_problem = str(err)
        return
    if text not in S.own_formulas:
        S.own_formulas.append(text)
    if text not in S.features:
        S.features = [*S.features, text]
    S.own_formula = ""


def formula_adder(S: PageState) -> None:
    """A text box for a feature formula (x1*x2, sin(3*x1), …) and a button that adds it to the features."""
    st.text_input("your own feature (formula)", key=S.key("own_formula"),
                  placeholder="e.g. sin(3*x1) or x1**2 + x2**2",
                  help="x1, x2, numbers, pi, e, + − * / ** and sin, cos, tan, tanh, exp, log, sqrt, abs, "
                       "sigmoid, relu.")
    st.button("➕ Add feature", key="own_formula_add", on_click=_add_formula, args=(S,))
    problem = S.pop("own_formula_problem", None)
    if problem:
        bad_input(problem, "the features you had")


# ---- own points ------------------------------------------------------------------------------------------
def _points(S: PageState) -> userdata.DrawnPoints:
    return S.setdefault(POINTS, userdata.DrawnPoints())


def _take_click(S: PageState) -> None:
    """A click on the plane since the last run becomes a point with the chosen class or value."""
    click = new_click(S.key(PLANE))
    if click is None:
        return
    label = S.get("own_value", 0.0) if S.get("own_kind") == "values" else S.get("own_class", 1)
    try:
        _points(S).add(*click, label)
    except ValueError as err:
        bad_input(str(err), "the points you have")


def _take_upload(S: PageState, file) -> None:
    """A new CSV file replaces the points (once per file); what was read, or why not, is kept to show."""
    if file is None or S.get("own_upload_id") == file.file_id:
        return
    S.own_upload_id = file.file_id
    try:
        data = userdata.load_csv(file.getvalue())
    except ValueError as err:
        S.own_upload_note = ("error", f"{file.name}: {err}")
        return
    _points(S).points = [(float(a), float(b), float(c)) for (a, b), c in zip(data.x, data.y[:, 0])]
    S.own_kind = data.kind
    S.own_upload_note = ("success", f"{file.name}: {data.description}")


def current(S: PageState) -> Optional[userdata.OwnData]:
    """The student's points as they are now, a new click or upload taken first (so that the network's
    output fits them before the panel is drawn); None when this is not the own-points data set or
    they cannot train yet."""
    if S.get("data") != "own":
        return None
    _take_upload(S, S.get("own_upload"))
    _take_click(S)
    try:
        return _points(S).to_data(kind=S.get("own_kind", "classes"))
    except ValueError:
        return None


def own_points_panel(S: PageState) -> Optional[userdata.OwnData]:
    """Draw points on the plane (class 0/1, or a value) or upload a CSV file; Undo, Clear, Download.

    Returns the points as OwnData; while they cannot train (none yet, one class) it says why and stops
    the page.
    """
    st.subheader("✏️ Your own points")
    left, right = st.columns([3, 4])
    with right:
        labels = st.container()
        file = st.file_uploader("…or upload a CSV file: x1, x2, label per row (header optional)", type=["csv"],
                                key=S.key("own_upload"))
        _take_upload(S, file)
        note = S.get("own_upload_note")
        if note:
            (st.success if note[0] == "success" else st.error)(as_text(note[1]))
    with labels:
        st.radio("labels", userdata.KINDS, key=S.key("own_kind"), horizontal=True, persist_state=PERSIST,
                 format_func={"classes": "classes (0, 1, …)", "values": "values (regression)"}.get)
        if S.own_kind == "classes":
            st.radio("class of the next point", list(range(tasks.MAX_CLASSES)), index=1, key=S.key("own_class"),
                     persist_state=PERSIST,
                     horizontal=True, help="Classes 0 and 1: one sigmoid output; 3 to 5 classes: one softmax "
                                           "output per class.")
        else:
            st.number_input("value of the next point", -1000.0, 1000.0, 0.0, key=S.key("own_value"), format="%g",
                            persist_state=PERSIST)
    _take_click(S)
    points = _points(S)
    with left:
        st.caption("Click on the plane to add a point.")
        point_plane(points.points, userdata.PLANE, S.own_kind, key=S.key(PLANE))
    with labels:
        c = st.columns(3)
        c[0].button("↶ Undo", key="own_undo", on_click=points.undo, disabled=not len(points), width="stretch")
        c[1].button("🗑 Clear", key="own_clear", on_click=points.clear, disabled=not len(points), width="stretch")
        c[2].download_button("⬇ CSV", points.to_csv, file_name="my-points.csv", mime="text/csv", on_click="ignore",
                             key="own_download", disabled=not len(points), width="stretch",
                             help="Save the points as a CSV file that this page reads back.")
    try:
        data = points.to_data(kind=S.own_kind)
    except ValueError as err:
        st.info(as_text(err), icon="✏️")
        st.stop()
    st.caption(data.description)
    return data
