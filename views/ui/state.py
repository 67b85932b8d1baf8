"""One page's settings: a typed table of properties, their own namespace, the link, the teacher's locks.

Like TensorFlow Playground's ``state.ts``: each page lists its properties once (``Prop``: default, limits,
options; the dict key is the short URL name), and ``PageState`` keeps them

- in their own namespace of ``st.session_state`` (``"regression.lr"``, never a bare ``"lr"``), so no page
  reads or clamps another page's value;
- across pages: every control is drawn with ``persist_state="session"``, so Streamlit keeps its value when
  the page is left, or when the control is not drawn (a mode that hides it); coming back finds it as it was;
- in the link: the first time a session opens the page, the link's values (or, with no parameters of the
  page's own, the link this browser tab last had for it: ``tab_memory``; or the defaults) go into the
  controls; every run writes the values that differ from the defaults back into the address bar, with the
  teacher's ``lock``/``hide`` and ``present``, so a reload or a shared link opens the same page;
- under the teacher's link: ``lock=lr,optimizer`` draws those controls greyed out with 🔒 and ``hide=…``
  does not draw them; both keep the link's value whatever a preset or a callback does.

A page reads and writes its values through its state as through a dict or attributes
(``S.lr``, ``S["lr"]``, ``S.lr = 0.1``); any other name (``S.rule_history``) is page-local too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence

import streamlit as st

from views.ui import tab_memory
from views.ui.messages import as_text

TEACHER_PARAMS = ("lock", "hide")
APP_PARAMS = ("present", "lesson", "step")   # app-wide parameters every page keeps in its link (lesson_panel)
LOCK_NOTE = "Your teacher fixed this control."
PERSIST = "session"                      # Streamlit keeps a control's value when it is not drawn


@dataclass(frozen=True)
class Prop:
    """A setting that lives in the link: its default and what a link may set it to."""

    default: Any
    lo: Optional[float] = None
    hi: Optional[float] = None
    options: Optional[Sequence[Any]] = None
    teachable: bool = True      # False: a teacher's link cannot lock or hide it (not a control a student sets)

    def parse(self, name: str, text: str):
        """The value a link's text stands for, or ValueError with a sentence for the page."""
        kind = type(self.default)
        shown = text if len(text) <= 40 else text[:40] + "…"      # a sentence, not the whole link back
        try:
            if kind is bool:
                if text not in ("0", "1", "true", "false"):
                    raise ValueError
                value = text in ("1", "true")
            elif kind is tuple or kind is list:
                value = kind(t for t in text.split(",") if t)
            else:
                value = kind(text)
        except (TypeError, ValueError):
            raise ValueError(f"The link sets {name} to {shown!r}, which is not a valid value.") from None
        if isinstance(value, float) and value != value:  # NaN
            raise ValueError(f"The link sets {name} to NaN.")
        if self.options is not None:
            bad = [v for v in (value if isinstance(value, (tuple, list)) else [value]) if v not in self.options]
            if bad:
                raise ValueError(f"The link sets {name} to {shown!r}; allowed: "
                                 f"{', '.join(map(str, self.options))}.")
        if self.lo is not None and not self.lo <= value <= self.hi:
            raise ValueError(f"The link sets {name} to {shown}, outside {self.lo:g} … {self.hi:g}.")
        return value

    def encode(self, value) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, (tuple, list)):
            return ",".join(map(str, value))
        return str(value)


def opening_link(page: str) -> Dict[str, str]:
    """The link a page's first run in a session restores from: the address bar's when it carries parameters
    of the page's own (anything but ``present``), else the one this browser tab kept for the page."""
    query = dict(st.query_params)
    if any(k not in APP_PARAMS for k in query):
        return query
    return {**query, **tab_memory.kept_link(page)}


def shown(value) -> str:
    """A value as a sentence writes it: 0.1, not 0.1000; lists with commas."""
    if isinstance(value, (tuple, list)):
        return ",".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


class PageState:
    """The settings of one page (``page`` is its URL path) under the properties ``props``."""

    def __init__(self, page: str, props: Dict[str, Prop]):
        clash = sorted(n for n in props if hasattr(type(self), n) or n in ("page", "props"))
        if clash:                # S.<name> must read the setting, never a method of PageState
            raise ValueError(f"{page}: properties {clash} are names of PageState itself; rename them.")
        object.__setattr__(self, "page", page)
        object.__setattr__(self, "props", props)

    # ---- values, as a dict or as attributes -----------------------------------------------------------
    def key(self, name: str) -> str:
        """The session-state key of ``name`` on this page: ``"<page>.<name>"``."""
        return f"{self.page}.{name}"

    def __getitem__(self, name: str):
        try:
            return st.session_state[self.key(name)]
        except KeyError:
            raise KeyError(name) from None

    def __setitem__(self, name: str, value) -> None:
        st.session_state[self.key(name)] = value

    def __delitem__(self, name: str) -> None:
        st.session_state.pop(self.key(name), None)

    def __contains__(self, name: str) -> bool:
        return self.key(name) in st.session_state

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{self.page} has no setting {name!r}") from None

    def __setattr__(self, name: str, value) -> None:
        self[name] = value

    def get(self, name: str, default=None):
        return st.session_state.get(self.key(name), default)

    def pop(self, name: str, default=None):
        return st.session_state.pop(self.key(name), default)

    def setdefault(self, name: str, default):
        if name not in self:
            self[name] = default
        return self[name]

    def keys(self):
        return [n for n in self.props if n in self]

    def __iter__(self):
        return iter(self.keys())

    def to_dict(self) -> Dict[str, Any]:
        """The page's settings (its properties) as they are now."""
        return {n: self[n] for n in self.keys()}

    def __repr__(self) -> str:
        return f"PageState({self.page!r}, {len(self.props)} properties)"

    # ---- the link ------------------------------------------------------------------------------------
    def open(self) -> None:
        """At the top of the page, every run: restore from the link on the session's first visit, say what
        the link got wrong, put locked and hidden controls back at the link's value, keep the link current."""
        runs = self.get("_runs", 0) + 1
        self["_runs"] = runs
        if not st.session_state.get(self.key("_opened")):
            st.session_state[self.key("_opened")] = True
            self._restore(opening_link(self.page))
        self._show_problems()
        self._apply_teacher()
        self.write_url()

    def _restore(self, query: Dict[str, str]) -> None:
        """The link's values, or the defaults, into the controls; a value a link cannot set (wrong type, out of
        range, unknown option) is reported on the page and the default used instead; nothing raises."""
        problems = []
        for name, prop in self.props.items():
            value = prop.default
            if name in query:
                try:
                    value = prop.parse(name, query[name][:200])
                except ValueError as e:
                    problems.append(f"{e} Using the default instead.")
            self[name] = value
        problems += self._restore_teacher(query)
        if problems:
            self["_problems"] = {"texts": problems, "run": self["_runs"], "link": None}

    def _show_problems(self) -> None:
        """What the link got wrong, on every run until the student changes the page's link (a rerun that changes
        nothing, such as the tab's memory answering, must not wipe the message before it is read). The link the
        page settled on is the one its first run wrote last (a page may set values after its controls)."""
        problems = self.get("_problems")
        if not problems:
            return
        if problems["run"] != self["_runs"] and self._link() != problems["link"]:
            self.pop("_problems")
            return
        for text in problems["texts"]:
            st.warning(as_text(text), icon="🔗")

    def _link(self) -> Dict[str, str]:
        """The page's link: the values that differ from the defaults and the teacher's ``lock``/``hide``."""
        link = {}
        for name, prop in self.props.items():
            value = self.get(name, prop.default)
            if value != prop.default:
                link[name] = prop.encode(value)
        teacher = self.teacher()
        link.update({p: ",".join(teacher[p]) for p in TEACHER_PARAMS if teacher[p]})
        return link

    def write_url(self) -> None:
        """Mirror the page in the address bar: its link (``_link``: from this page's own record of the teacher's
        ``lock``/``hide``, so they survive a walk through other pages) and ``present``."""
        wanted = self._link()
        problems = self.get("_problems")
        if problems and problems["run"] == self.get("_runs"):
            problems["link"] = dict(wanted)          # the link the page settled on in the run that restored it
        current = {k: st.query_params[k] for k in st.query_params}
        wanted.update({k: current[k] for k in APP_PARAMS if k in current})
        if current != wanted:
            st.query_params.from_dict(wanted)

    def link_params(self) -> Dict[str, str]:
        """The page's own parameters in the link now (without the teacher's and the app's)."""
        return {k: v for k, v in st.query_params.items() if k not in TEACHER_PARAMS + APP_PARAMS}

    # ---- teacher links: ?lock=lr,optimizer&hide=reg,dropout ---------------------------------------------
    # A teaching aid, not security: whoever edits the link can change anything.
    def teacher(self) -> dict:
        """``{"lock": [names], "hide": [names], "values": {name: value}}`` of this page's teacher link."""
        return self.get("_teacher") or {"lock": [], "hide": [], "values": {}}

    def _restore_teacher(self, query: Dict[str, str]) -> list:
        """Read ``lock``/``hide`` from the link once (with the values); unknown names become problems."""
        teacher = {"lock": [], "hide": [], "values": {}}
        problems = []
        for param in TEACHER_PARAMS:
            text = query.get(param, "")[:500]
            for name in dict.fromkeys(t.strip() for t in text.split(",") if t.strip()):
                if name not in self.props:
                    cut = name if len(name) <= 40 else name[:40] + "…"
                    problems.append(f"The link asks to {param} {cut!r}, which is not a control of this page; "
                                    f"it is ignored.")
                elif not self.props[name].teachable:
                    problems.append(f"The link asks to {param} {name!r}, which this page keeps for itself (it is "
                                    f"not a control a student sets); it is ignored.")
                elif name not in teacher["lock"] + teacher["hide"]:
                    teacher[param].append(name)
                    teacher["values"][name] = self[name]
        self["_teacher"] = teacher
        return problems

    def _apply_teacher(self) -> None:
        teacher = self.teacher()
        for name, value in teacher["values"].items():
            self[name] = value
        if teacher["lock"]:
            object.__setattr__(self, "_lock_note", st.empty())      # filled again as each locked control is drawn
            self._write_lock_note()

    def control_label(self, name: str) -> str:
        """The label a student sees for the control ``name`` ("learning rate α"), once it has been drawn in this
        session; its URL name ("lr") before that."""
        return (self.get("_labels") or {}).get(name, name)

    def _write_lock_note(self) -> None:
        teacher, note = self.teacher(), self.__dict__.get("_lock_note")
        if note is None:
            return
        fixed = ", ".join(f"{self.control_label(n)} = {as_text(shown(teacher['values'][n]))}"
                          for n in teacher["lock"])
        note.info(f"Your teacher fixed these: {fixed}. They are greyed out below.", icon="🔒")

    def is_locked(self, name: str) -> bool:
        """True when the teacher's link locks the control ``name``."""
        return name in self.teacher()["lock"]

    def is_hidden(self, name: str) -> bool:
        """True when the teacher's link hides the control ``name``."""
        return name in self.teacher()["hide"]

    # ---- controls ------------------------------------------------------------------------------------
    def control(self, widget, *args, key: str, **kwargs):
        """``widget(*args, **kwargs)`` for the setting ``key`` of this page, kept across pages, as the
        teacher's link wants it: not drawn when hidden (its value is returned), drawn disabled with 🔒 in
        its help when locked. ``S.control(st.slider, "noise", 0.0, 1.0, key="noise")``,
        ``S.control(col.number_input, …)``."""
        if self.is_hidden(key):
            return self.get(key)
        if args and isinstance(args[0], str):          # the label, for the lock note and the student-link picker
            labels = self.get("_labels") or {}
            if labels.get(key) != args[0]:
                self["_labels"] = {**labels, key: args[0]}
                if self.is_locked(key):
                    self._write_lock_note()
        if self.is_locked(key):
            if args and isinstance(args[0], str):
                args = (f"🔒 {args[0]}",) + args[1:]
            kwargs["disabled"] = True
            kwargs["help"] = f"🔒 {LOCK_NOTE}" + (f" {kwargs['help']}" if kwargs.get("help") else "")
        return widget(*args, key=self.key(key), persist_state=PERSIST, **kwargs)

    def widget(self, widget, *args, key: str, **kwargs):
        """A control of this page that is not in the link (a view choice such as the runs to compare): its
        own key, kept across pages, not under the teacher's link."""
        return widget(*args, key=self.key(key), persist_state=PERSIST, **kwargs)
