"""Streamlit pieces that pages share: state in the URL, messages for bad input, live training.

Pages stay thin: they describe their controls and figures and call these helpers.
"""
from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence

import streamlit as st


# ---- state in the URL ------------------------------------------------------------------------
@dataclass(frozen=True)
class UrlField:
    """A widget value that lives in the link: its default and what a link may set it to."""

    default: Any
    lo: Optional[float] = None
    hi: Optional[float] = None
    options: Optional[Sequence[Any]] = None

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


def restore_from_url(fields: Dict[str, UrlField], page: str) -> None:
    """Once per session and page: put the link's values (or the defaults) in ``st.session_state``.

    Widgets use the same names as keys, so each control starts where the link says. A value a
    link cannot set (wrong type, out of range, unknown option) is reported on the page and the
    default is used instead; nothing raises.
    """
    flag = f"_url_restored_{page}"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    problems = []
    for name, field in fields.items():
        value = field.default
        if name in st.query_params:
            try:
                value = field.parse(name, st.query_params[name][:200])
            except ValueError as e:
                problems.append(f"{e} Using the default instead.")
        st.session_state[name] = value
    problems += _restore_teacher_link(fields, page)
    if problems:
        st.session_state[f"_url_problems_{page}"] = problems


def show_url_problems(page: str) -> None:
    for text in st.session_state.pop(f"_url_problems_{page}", []):
        st.warning(text, icon="🔗")


def write_url(fields: Dict[str, UrlField]) -> None:
    """Mirror the current values in the address bar (only those that differ from the defaults)."""
    wanted = {}
    for name, field in fields.items():
        value = st.session_state.get(name, field.default)
        if value != field.default:
            wanted[name] = field.encode(value)
    current = {k: st.query_params[k] for k in st.query_params}
    wanted.update({k: current[k] for k in KEPT_PARAMS if k in current})    # a teacher link stays one
    if current != wanted:
        st.query_params.from_dict(wanted)


def url_state(fields: Dict[str, UrlField], page: str) -> None:
    """Restore from the link on first load, report bad link values, keep the link current."""
    restore_from_url(fields, page)
    show_url_problems(page)
    apply_teacher_link(page)
    write_url(fields)


def share_link(label: str = "🔗 Link to this state", fields: Optional[Dict[str, UrlField]] = None) -> None:
    """A copyable link to the page as it is now (its query params hold the state); with the page's
    ``fields``, also a "📋 Link for students" that locks or hides the controls the teacher picks."""
    url = st.context.url or ""
    params = {k: v for k, v in st.query_params.items() if k not in TEACHER_PARAMS}
    base = url.split("?")[0]

    def link(extra=None) -> str:
        query = "&".join(f"{k}={v}" for k, v in {**params, **(extra or {})}.items())
        return f"{base}?{query}" if query else base

    c = st.columns(2) if fields else [st.container()]
    with c[0].popover(label):
        st.caption("Copy this link: it opens the page with every control as it is now.")
        st.code(link(), language=None)
    if fields:
        with c[1].popover("📋 Link for students"):
            st.caption("The link opens the page as it is now. Locked controls are shown greyed out with "
                       "🔒; hidden ones are not shown at all. Both keep the values they have now.")
            names = list(fields)
            lock = st.multiselect("lock (shown, cannot be changed)", names, key="_teacher_pick_lock")
            hide = st.multiselect("hide", [n for n in names if n not in lock], key="_teacher_pick_hide")
            extra = {k: ",".join(v) for k, v in (("lock", lock), ("hide", hide)) if v}
            st.code(link(extra), language=None)
            st.caption("A teaching aid, not a lock on a door: a student who edits the link can change anything.")


# ---- teacher links: ?lock=lr,optimizer&hide=reg,dropout ------------------------------------------------
# A teacher's link can lock controls (drawn greyed out, with 🔒) and hide others (not drawn); both keep
# the link's value, even when a preset or a callback would change them. The names are the URL names of
# the page's UrlFields. It is a teaching aid, not security: whoever edits the link can change anything.
TEACHER_PARAMS = ("lock", "hide")
KEPT_PARAMS = TEACHER_PARAMS + ("present",)      # app-wide params that write_url keeps in the link
LOCK_NOTE = "Your teacher fixed this control."
_NO_TEACHER = {"lock": (), "hide": (), "values": {}}


def _restore_teacher_link(fields: Dict[str, UrlField], page: str) -> list:
    """Read ``lock``/``hide`` from the link once (with restore_from_url); unknown names become problems."""
    teacher = {"lock": [], "hide": [], "values": {}}
    problems = []
    for param in TEACHER_PARAMS:
        text = st.query_params.get(param, "")[:500]
        for name in dict.fromkeys(t.strip() for t in text.split(",") if t.strip()):
            if name not in fields:
                shown = name if len(name) <= 40 else name[:40] + "…"
                problems.append(f"The link asks to {param} {shown!r}, which is not a control of this page; "
                                f"it is ignored.")
            elif name not in teacher["lock"] + teacher["hide"]:
                teacher[param].append(name)
                teacher["values"][name] = st.session_state[name]
    st.session_state[f"_teacher_{page}"] = teacher
    return problems


def apply_teacher_link(page: str) -> None:
    """Every run: put locked and hidden controls back at the link's value and say what is fixed."""
    teacher = st.session_state.get(f"_teacher_{page}", _NO_TEACHER)
    st.session_state["_teacher_now"] = teacher
    for name, value in teacher["values"].items():
        st.session_state[name] = value
    if teacher["lock"]:
        fixed = ", ".join(f"{n} = {_shown(teacher['values'][n])}" for n in teacher["lock"])
        st.info(f"Your teacher fixed these: {fixed}. They are greyed out below.", icon="🔒")


def _shown(value) -> str:
    if isinstance(value, (tuple, list)):
        return ",".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def locked(key: str) -> bool:
    """True when this run's teacher link locks the control ``key``."""
    return key in st.session_state.get("_teacher_now", _NO_TEACHER)["lock"]


def hidden(key: str) -> bool:
    """True when this run's teacher link hides the control ``key``."""
    return key in st.session_state.get("_teacher_now", _NO_TEACHER)["hide"]


def control(widget, *args, key: str, **kwargs):
    """``widget(*args, key=key, **kwargs)`` as a teacher link wants it: not drawn when hidden (its value
    is returned), drawn disabled with 🔒 in its help when locked. Every URL-backed control goes through it:
    ``w.control(st.slider, "noise", 0.0, 1.0, key="noise")``, ``w.control(col.number_input, …)``."""
    if hidden(key):
        return st.session_state.get(key)
    if locked(key):
        if args and isinstance(args[0], str):
            args = (f"🔒 {args[0]}",) + args[1:]
        kwargs["disabled"] = True
        kwargs["help"] = f"🔒 {LOCK_NOTE}" + (f" {kwargs['help']}" if kwargs.get("help") else "")
    return widget(*args, key=key, **kwargs)


# ---- bad input -----------------------------------------------------------------------------------
def show_spec_error(err) -> None:
    """One readable message per problem of a SpecError (or any ValueError)."""
    problems = getattr(err, "problems", None) or {"": str(err)}
    for text in problems.values():
        st.error(text, icon="⚠️")


# ---- live training ------------------------------------------------------------------------------
def run_controls(key: str, on_step, on_epoch, on_reset, can_play: bool = True) -> None:
    """▶ Train / ⏸ Pause, ⏭ one update, ⏩ one epoch, ↺ Reset. State: ``st.session_state[key + '_playing']``."""
    flag = f"{key}_playing"
    playing = st.session_state.get(flag, False)

    def toggle():
        st.session_state[flag] = not st.session_state.get(flag, False)

    def stop_then(fn):
        def cb():
            st.session_state[flag] = False
            fn()
        return cb

    c = st.columns(4)
    c[0].button("⏸ Pause" if playing else "▶ Train", key=f"{key}_play", type="primary", on_click=toggle,
                disabled=not can_play and not playing, width="stretch")
    c[1].button("⏭ Step", key=f"{key}_step", on_click=stop_then(on_step), disabled=not can_play,
                help="One update: W := W − α ∂J/∂W on one batch.", width="stretch")
    c[2].button("⏩ Epoch", key=f"{key}_epoch", on_click=stop_then(on_epoch), disabled=not can_play,
                help="Updates until the end of this epoch.", width="stretch")
    c[3].button("↺ Reset", key=f"{key}_reset", on_click=stop_then(on_reset), width="stretch")


def run_for(page: str, prefix: str, setup, start, forget: Sequence[str] = ()):
    """The (data, run) for ``setup``, kept in the session as ``{prefix}_data`` / ``{prefix}_run``.

    One run per configuration: when any control changed the setup, ``start(setup)`` makes a fresh
    one (paused, and the keys in ``forget`` dropped); a SpecError from it is shown and the page stops.
    """
    from nncore.engine.specs import SpecError

    s = st.session_state
    if s.get(f"{prefix}_setup") != setup:
        try:
            s[f"{prefix}_data"], s[f"{prefix}_run"] = start(setup)
        except SpecError as err:
            show_spec_error(err)
            st.stop()
        s[f"{prefix}_setup"] = setup
        for key in forget:
            s.pop(key, None)
        s[f"{page}_playing"] = False
    return s[f"{prefix}_data"], s[f"{prefix}_run"]


def live(key: str, frame, interval: float = 0.2) -> None:
    """Draw ``frame()`` in a fragment that reruns every ``interval`` s while the run plays.

    ``frame`` advances the run held in session state by a few updates and draws it; it returns
    True when the run has ended, which stops the timer with one full rerun (so the page's
    buttons show the final state). Pausing simply registers the fragment without a timer.
    """
    flag = f"{key}_playing"
    playing = st.session_state.get(flag, False)

    @st.fragment(run_every=interval if playing else None)
    def _frame():
        now_playing = st.session_state.get(flag, False)
        _count_playing(now_playing)
        if now_playing:
            # One live frame is computed at a time in the whole process (see _LIVE_GATE).
            with _LIVE_GATE:
                if _tab_gone():
                    return
                ended = frame(True)
            _wait_until_sent()
        else:
            ended = frame(False)
        if now_playing and ended:
            st.session_state[flag] = False
            st.rerun()

    _frame()


# Classroom load (docs/BENCHMARKS.md, bench/classroom.py). Every student's fragment reruns on its
# own script thread, and one event loop thread sends every session's messages, one message per
# loop turn. When many script threads compute at once they starve that loop of the GIL; and when a
# session's next rerun starts before its last output was sent, Streamlit drops that output. The
# server then burns its CPU and paints nothing (measured: 30 students, 0 frames per second). So:
# - one live frame is computed at a time in the process (_LIVE_GATE), which keeps the loop fed;
# - a rerun ends only once its messages have left the session's queue (_wait_until_sent, waiting
#   without the GIL), so no computed frame is thrown away;
# - a session whose browser has gone computes nothing.
# First pages and paused pages are not gated: a student who arrives does not queue behind the
# ones who are training.
_LIVE_GATE = threading.Lock()


_PLAYING: Dict[str, float] = {}        # session id → when it last computed a live frame


def _count_playing(playing: bool) -> None:
    import time

    ctx, _ = _this_session()
    if ctx is None:
        return
    if playing:
        _PLAYING[ctx.session_id] = time.monotonic()
    else:
        _PLAYING.pop(ctx.session_id, None)


def crowd() -> int:
    """How many sessions of this server are playing a live run now (the last 3 s), this one included.

    Pages lighten each frame when the room is full (a coarser boundary, fewer redrawn figures),
    so that every student keeps a live picture rather than a few students a perfect one.
    """
    import time

    recent = time.monotonic() - 3.0
    for sid, when in list(_PLAYING.items()):
        if when < recent:
            _PLAYING.pop(sid, None)
    return len(_PLAYING)


def _this_session():
    """(script run context, runtime) of the running script, or (None, None) outside a server."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return None, None
    return ctx, Runtime.instance()


def _tab_gone() -> bool:
    """True when this session's browser has disconnected: its frame would be drawn for nobody."""
    ctx, runtime = _this_session()
    return bool(ctx and not runtime.is_active_session(ctx.session_id))


def _wait_until_sent(limit: float = 1.0) -> None:
    """Wait (≤ ``limit`` s) until the runtime has taken this session's messages off its queue.

    Reads Streamlit internals (pinned 1.67: session manager → AppSession → ForwardMsgQueue); if
    they are not there, it does not wait.
    """
    import time

    ctx, runtime = _this_session()
    if ctx is None:
        return
    try:
        queue = runtime._session_mgr.get_active_session_info(ctx.session_id).session._browser_queue
        len(queue)
    except Exception:  # noqa: BLE001 - another Streamlit, or the session has gone
        return
    deadline = time.monotonic() + limit
    while len(queue) and time.monotonic() < deadline:
        time.sleep(0.005)


# ---- live plots ------------------------------------------------------------------------------------
# st.plotly_chart re-validates a figure in Python (~15 ms) and, because its element id hashes the
# spec, remounts the chart on every change. A live page instead sends plain figure dicts to this
# small component, which keeps one plotly div per key and calls Plotly.react on it: ~1 ms in
# Python, no remount, no flicker, zoom kept through layout.uirevision. plotly.js itself is the copy
# that ships inside the plotly package, served by Streamlit's static file serving.
#
# Frames come in batches (DESIGN.md): one fragment rerun sends several frames, and the browser
# plays them at ``fps``. The server then reruns a few times a second per student instead of once
# per painted frame. A player that falls behind drops its oldest frames, so it never lags.
_LIVE_PLOT_JS = """
function loadPlotly() {
  if (window.Plotly) return Promise.resolve();
  window.__nnplayPlotly = window.__nnplayPlotly || new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = new URL('app/static/plotly.min.js', document.baseURI).href;
    s.onload = resolve;
    s.onerror = () => reject(new Error('plotly.js could not be loaded'));
    document.head.appendChild(s);
  });
  return window.__nnplayPlotly;
}

async function paint(el, fig) {
  // Hand plotly the previous object for every trace that did not change, so Plotly.react skips
  // recomputing it (a contour of a fixed cost surface costs more to redraw than all the rest).
  const prev = el.__nnplay || { keys: [], data: [] };
  const keys = fig.data.map((t, i) => (prev.data[i] === t ? prev.keys[i] : JSON.stringify(t)));
  fig.data = fig.data.map((t, i) => (prev.keys[i] === keys[i] ? prev.data[i] : t));
  el.__nnplay = { keys, data: fig.data };
  el.style.height = ((fig.layout && fig.layout.height) || 380) + 'px';
  const t0 = performance.now();
  await window.Plotly.react(el, fig.data, fig.layout, { displayModeBar: false, responsive: true });
  el.dataset.paintMs = String(Number(el.dataset.paintMs || 0) + performance.now() - t0);
  el.dataset.frames = String(Number(el.dataset.frames) + 1);
  el.dataset.title = (fig.layout && fig.layout.title && fig.layout.title.text) || '';
}

export default async function (component) {
  const { data, parentElement } = component;
  let el = parentElement.querySelector('.nnplay-live-plot');
  if (!el) {
    el = document.createElement('div');
    el.className = 'nnplay-live-plot';
    el.dataset.frames = '0';
    el.__queue = [];
    parentElement.appendChild(el);
  }
  // live_plot sends its frames as UTF-8 JSON bytes (see live_plot); a string or an object works too.
  const text = (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) ? new TextDecoder().decode(data) : data;
  const msg = typeof text === 'string' ? JSON.parse(text) : text;
  const frames = msg.frames || [msg];
  // A trace sent as null is the same as in the frame before it (see live_plot on the server).
  for (let i = 1; i < frames.length; i++) {
    const before = frames[i - 1].data || [];
    if (frames[i].data) frames[i].data = frames[i].data.map((t, j) => (t === null ? before[j] : t));
  }
  el.__fps = msg.fps || 25;
  el.__queue.push(...frames);
  const cap = Math.max(2 * frames.length, 4);
  if (el.__queue.length > cap) el.__queue.splice(0, el.__queue.length - cap);
  await loadPlotly();
  if (el.__playing) return;
  el.__playing = true;
  try {
    while (el.__queue.length) {
      const t0 = performance.now();
      await paint(el, el.__queue.shift());
      if (el.__queue.length) {
        const wait = 1000 / el.__fps - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    el.__playing = false;
  }
}
"""
_components = {}


def _ensure_plotly_js() -> None:
    """Put plotly.js (from the installed plotly package) where Streamlit serves static files."""
    import os
    import shutil

    import plotly

    target = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "plotly.min.js")
    source = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    if not os.path.exists(target) or os.path.getsize(target) != os.path.getsize(source):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = f"{target}.{os.getpid()}.tmp"
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)


_NOT_JSON = re.compile(r"(?<=[\[,:])-?(?:NaN|Infinity)(?=[,\]}])")


def _json_bytes(value) -> bytes:
    """Compact JSON as UTF-8; a NaN or infinity that slipped into a figure becomes null (a gap)."""
    try:
        text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:
        text = _NOT_JSON.sub("null", json.dumps(value, separators=(",", ":")))
    return text.encode()


def without_repeats(frames: Sequence[dict]) -> list:
    """The frames, each trace that equals the one in the frame before it sent as null (the player takes it
    from that frame). Within a batch most traces do not move (points, hover layers, a network's edges
    between its newest frames): they cross the wire once per batch instead of once per frame."""
    out = list(frames[:1])
    for before, fig in zip(frames, frames[1:]):
        old, new = before.get("data") or [], fig.get("data") or []
        if len(old) == len(new):
            fig = {**fig, "data": [None if t is o or t == o else t for t, o in zip(new, old)]}
        out.append(fig)
    return out


def live_plot(figures, key: str, fps: float = 25, every: int = 1) -> None:
    """Draw a plain-dict plotly figure, or play a list of them at ``fps``, updating in place.

    ``every`` = k keeps every k-th frame of the list (counting back from the newest, which is always
    kept) and plays them at fps/k: a plot beside the page's main one repaints at half its rate, so
    the browser's one painting thread keeps up with the main one.
    """
    if "live_plot" not in _components:
        _ensure_plotly_js()
        _components["live_plot"] = st.components.v2.component(
            "nnplay_live_plot", js=_LIVE_PLOT_JS, isolate_styles=False)
    frames = figures if isinstance(figures, list) else [figures]
    if every > 1:
        kept = frames[::-1][::every][::-1]            # every k-th, counting back from the newest
        fps = fps * len(kept) / len(frames)
        frames = kept
    height = frames[-1].get("layout", {}).get("height", 380)
    # As bytes, Streamlit forwards the payload untouched and hashes it once; a dict it would
    # JSON-encode twice (the payload, then sorted again for the element's identity).
    payload = _json_bytes({"frames": without_repeats(frames), "fps": fps})
    _components["live_plot"](data=payload, key=key, height=height)


# ---- small pieces of the Fundamentals pages (perceptron, activations, losses) ---------------------
def keep_defaults(fields: Dict[str, UrlField]) -> None:
    """Give a control back its default when Streamlit has dropped its value.

    Streamlit forgets the state of widgets a run did not draw (another page was open); without
    this, a slider would come back at its minimum instead of its default. Call after ``url_state``.
    """
    for name, field in fields.items():
        if name not in st.session_state:
            st.session_state[name] = field.default


def right_wrong_table(df, right: Sequence[bool], formats: Optional[Dict[str, str]] = None, **kwargs) -> None:
    """A table whose rows are green where ``right`` is true and red where it is false."""
    colours = ["background-color: #d4efd4" if r else "background-color: #f7d0d0" for r in right]
    styler = df.style.apply(lambda _: colours, axis=0)
    if formats:
        styler = styler.format(formats)
    st.dataframe(styler, hide_index=True, **kwargs)


def bad_input(message: str, fallback: str = "the default") -> None:
    """A value on the page (typed, or set by a link) that cannot be used: say why, never raise."""
    st.warning(f"{message} Using {fallback} instead.", icon="⚠️")


# ---- drawing a digit --------------------------------------------------------------------------------
# A 280×280 canvas (ten screen pixels per MNIST pixel): white ink on a transparent sheet shown black,
# as MNIST's digits are. When a stroke ends, the drawing goes to Python as a PNG data URL.
_CANVAS_JS = """
export default function (component) {
  const { parentElement, setStateValue, data } = component;
  if (parentElement.querySelector('.nnplay-canvas')) return;
  const wrap = document.createElement('div');
  wrap.className = 'nnplay-canvas';
  wrap.innerHTML = '<canvas width="280" height="280" style="background:#111;border-radius:8px;' +
    'touch-action:none;cursor:crosshair;display:block"></canvas>' +
    '<button type="button" style="margin-top:6px">Clear</button>';
  parentElement.appendChild(wrap);
  const canvas = wrap.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  ctx.lineCap = 'round'; ctx.lineJoin = 'round';
  ctx.strokeStyle = '#fff'; ctx.fillStyle = '#fff';
  ctx.lineWidth = (data && data.pen) || 20;
  let drawing = false, last = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true; canvas.setPointerCapture(e.pointerId); last = at(e);
    ctx.beginPath(); ctx.arc(last[0], last[1], ctx.lineWidth / 2, 0, 2 * Math.PI); ctx.fill();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const p = at(e);
    ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke(); last = p;
  });
  const end = () => { if (drawing) { drawing = false; setStateValue('png', canvas.toDataURL('image/png')); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  wrap.querySelector('button').addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height); setStateValue('png', null);
  });
}
"""


def digit_canvas(key: str, pen: int = 20):
    """A drawing canvas; returns the drawing as PNG bytes once a stroke is made, else None."""
    import base64

    if "digit_canvas" not in _components:
        _components["digit_canvas"] = st.components.v2.component(
            "nnplay_digit_canvas", js=_CANVAS_JS, isolate_styles=False)
    result = _components["digit_canvas"](data={"pen": pen}, key=key, default={"png": None}, height=330,
                                         width=300, on_png_change=lambda: None)
    url = getattr(result, "png", None)
    prefix = "data:image/png;base64,"
    if isinstance(url, str) and url.startswith(prefix):
        return base64.b64decode(url[len(prefix):])
    return None


# ---- the network configurator (playground; any page that trains a small classifier) -----------------
# One control per field of nncore.lessons.configurator.Controls; widget keys are the URL names, so a link
# restores every control. ``network_fields(values)`` gives their UrlFields with ``values`` (for example
# a preset's) as defaults, so a link only carries what differs from the preset.
def network_fields(values: Dict[str, Any]) -> Dict[str, UrlField]:
    """URL fields of the configurator's controls, defaulting to ``values`` (see configurator.to_values)."""
    from nncore.lessons import configurator as cfg

    return {
        "layers": UrlField(int(values["layers"]), 0, cfg.MAX_LAYERS),
        **{k: UrlField(int(values[k]), 1, cfg.MAX_UNITS) for k in cfg.UNIT_KEYS},
        "activation": UrlField(values["activation"], options=cfg.ACTIVATIONS),
        "init": UrlField(values["init"], options=cfg.INITIALIZERS),
        "init_mean": UrlField(float(values["init_mean"]), -10.0, 10.0),
        "init_stddev": UrlField(float(values["init_stddev"]), 0.0, 10.0),
        "out_init": UrlField(values["out_init"], options=cfg.OUTPUT_INITS),
        "optimizer": UrlField(values["optimizer"], options=cfg.OPTIMIZERS),
        "lr": UrlField(float(values["lr"]), options=cfg.LRS),
        "reg": UrlField(values["reg"], options=cfg.REGULARISERS),
        "reg_rate": UrlField(float(values["reg_rate"]), options=cfg.REG_RATES),
        "dropout": UrlField(float(values["dropout"]), 0.0, 0.9),
        "batch_size": UrlField(int(values["batch_size"]), 1, cfg.MAX_BATCH),
        "loss": UrlField(values["loss"], options=cfg.LOSSES),
        "epochs": UrlField(int(values["epochs"]), 1, cfg.MAX_EPOCHS),
        "seed": UrlField(int(values["seed"]), 0, 10_000),
        "patience": UrlField(int(values.get("patience", 0)), 0, cfg.MAX_EPOCHS),
        **per_layer_fields(values),
    }


def per_layer_fields(values: Dict[str, Any]) -> Dict[str, UrlField]:
    """``per_layer`` and each hidden layer's row: ``act1``…, ``drop1``…, ``l2_1``… (cfg.PER_LAYER_KEYS)."""
    from nncore.lessons import configurator as cfg

    keys = cfg.PER_LAYER_KEYS
    return {
        "per_layer": UrlField(bool(values["per_layer"])),
        **{k: UrlField(values[k], options=cfg.ACTIVATIONS) for k in keys["activations"]},
        **{k: UrlField(float(values[k]), 0.0, 0.9) for k in keys["dropouts"]},
        **{k: UrlField(float(values[k]), options=cfg.REG_RATES) for k in keys["l2s"]},
    }


def network_keys():
    """The widget keys of the network's own controls (the configurator without its training part)."""
    from nncore.lessons import configurator as cfg

    return ("layers", *cfg.UNIT_KEYS, "activation", "init", "init_mean", "init_stddev", "out_init")


def network_configurator(n_inputs: int, training: bool = True, outputs: int = 1, output_activation: str = "sigmoid",
                          losses: Optional[Sequence[str]] = None):
    """The configurator's controls (hidden layers and neurons, activation, initialisers, optimiser and α,
    L1/L2, dropout, batch size, loss, epochs, seed), then the architecture and parameter count. With
    "set per layer" on, one row per hidden layer l: its neurons, f_l, dropout rate and L2 rate λ_l.

    With ``training=False`` only the network's own controls (layers, neurons, activation,
    initialisers) are drawn, for a page that has its training controls already (regression).
    ``outputs``/``output_activation`` describe the output layer the data needs, ``losses`` the losses
    that fit it (default: all of the configurator's).
    Returns the ``Controls`` the widgets describe (not validated: ``Controls.validate`` says what is wrong).
    """
    from nncore.lessons import configurator as cfg

    s = st.session_state

    def reg_changed():
        if s.reg != "none" and s.reg_rate == 0:
            s.reg_rate = 0.001

    st.markdown("**Network**")
    control(st.slider, "hidden layers", 0, cfg.MAX_LAYERS, key="layers",
            help=f"0 hidden layers: the output neuron alone, one straight line through the plane. {cfg.LIMIT_NOTE}")
    per_layer = False
    if training:      # the rows hold training settings (dropout, λ) too: pages with their own training keep one f
        per_layer = control(st.toggle, "set per layer", key="per_layer", on_change=_rows_from_single_values,
                            disabled=not s.layers, help="Give each hidden layer its own activation, dropout "
                            "rate and L2 rate λ (one row per layer).") and bool(s.layers)
    if per_layer:
        layer_rows(s.layers)
    elif s.layers:
        st.caption("neurons per hidden layer")
        cols = st.columns(3)
        for i in range(s.layers):
            control(cols[i % 3].number_input, f"layer {i + 1}", 1, cfg.MAX_UNITS, key=cfg.UNIT_KEYS[i],
                    help=f"Neurons in this hidden layer (1 to {cfg.MAX_UNITS}). {cfg.LIMIT_NOTE}")
    control(st.selectbox, "activation f (hidden layers)", cfg.ACTIVATIONS, key="activation",
            disabled=not s.layers or per_layer, help="Set per layer above." if per_layer else None)
    control(st.selectbox, "kernel initialiser", cfg.INITIALIZERS, key="init",
            help="How the weights W^l start (Keras's names). The biases start at 0.")
    control(st.selectbox, "output layer's kernel initialiser", cfg.OUTPUT_INITS, key="out_init",
            format_func=lambda v: "same as the hidden layers" if v == "same" else v,
            help="Keras uses glorot_uniform for any layer whose initialiser you do not set: course 003 "
                 "sets only the hidden layer's.")
    if "random_normal" in (s.init, s.out_init):
        c = st.columns(2)
        control(c[0].number_input, "mean", -10.0, 10.0, key="init_mean", step=0.05, format="%g")
        control(c[1].number_input, "stddev", 0.0, 10.0, key="init_stddev", step=0.01, format="%g")
    if not training:
        return cfg.from_values({k: s[k] for k in network_keys() if k in s})
    st.markdown("**Training**")
    control(st.selectbox, "optimiser", cfg.OPTIMIZERS, key="optimizer", format_func=cfg.OPTIMIZER_LABELS.get)
    control(st.select_slider, "learning rate α", cfg.LRS, key="lr", format_func=lambda v: f"{v:g}")
    control(st.selectbox, "loss", list(losses or cfg.LOSSES), key="loss", format_func=cfg.LOSS_LABELS.get)
    c = st.columns(2)
    control(c[0].number_input, "batch size", 1, cfg.MAX_BATCH, key="batch_size")
    control(c[1].number_input, "epochs", 1, cfg.MAX_EPOCHS, key="epochs")
    c = st.columns(2)
    control(c[0].selectbox, "regularisation", cfg.REGULARISERS, key="reg", on_change=reg_changed,
            format_func={"none": "none", "l1": "L1: λΣ|w|", "l2": "L2: λΣw²"}.get,
            help="Set per layer, the rows give each hidden layer's L2 rate; this one is then the output "
                 "layer's L2 rate (or every layer's L1 rate)." if per_layer else None)
    control(c[1].select_slider, "rate λ", cfg.REG_RATES, key="reg_rate", disabled=s.reg == "none",
            format_func=lambda v: f"{v:g}")
    control(st.slider, "dropout rate", 0.0, 0.9, key="dropout", step=0.05, disabled=not s.layers or per_layer,
            help="Set per layer above." if per_layer else
            "While training, each hidden neuron's output is set to 0 with this probability.")
    control(st.number_input, "seed (initial weights, batch order)", 0, 10_000, key="seed")
    control(st.number_input, "stop rule: patience (0 = train all epochs)", 0, cfg.MAX_EPOCHS, key="patience",
            help="Stop when the test cost (the training cost if there is no test set) has not improved "
                 "for this many epochs in a row: early stopping, Keras's EarlyStopping(patience=N).")
    controls = cfg.from_values(s)
    st.caption(f"**{controls.architecture(n_inputs, outputs, output_activation)}** · "
               f"{controls.param_count(n_inputs, outputs):,} parameters")
    return controls


def _rows_from_single_values():
    """Switched to 'set per layer': every row starts at the single activation, dropout and L2 rate."""
    from nncore.lessons import configurator as cfg

    s = st.session_state
    if s.per_layer:
        single = cfg.to_values(cfg.from_values({**s.to_dict(), "per_layer": False}))
        for keys in cfg.PER_LAYER_KEYS.values():
            for key in keys:
                s[key] = single[key]


def layer_rows(n_layers: int) -> None:
    """One row per hidden layer l: its neurons, activation f_l, dropout rate and L2 rate λ_l."""
    from nncore.lessons import configurator as cfg

    keys = cfg.PER_LAYER_KEYS
    for i in range(n_layers):
        st.caption(f"hidden layer {i + 1}")
        c = st.columns(2)
        control(c[0].number_input, "neurons", 1, cfg.MAX_UNITS, key=cfg.UNIT_KEYS[i],
                help=f"Neurons in this hidden layer (1 to {cfg.MAX_UNITS}). {cfg.LIMIT_NOTE}")
        control(c[1].selectbox, "activation f", cfg.ACTIVATIONS, key=keys["activations"][i])
        c = st.columns(2)
        control(c[0].number_input, "dropout rate", 0.0, 0.9, key=keys["dropouts"][i], step=0.05, format="%g",
                help="While training, each neuron of this layer outputs 0 with this probability.")
        control(c[1].selectbox, "L2 rate λ", cfg.REG_RATES, key=keys["l2s"][i], format_func=lambda v: f"{v:g}",
                help="This layer adds λ Σ w² of its weights to the cost J (Keras's L2(λ)).")


# ---- one sample through the network (playground) -------------------------------------------------------
def step_through_panel(net, x_features, y, loss: str, lr: float, feature_labels, limit: int = 6) -> None:
    """Forward propagation, the cost, back-propagation and the update for one sample, with the numbers;
    a button compares back-propagation's gradient with finite differences."""
    import pandas as pd

    from nncore.lessons import stepthrough as stp

    step = stp.step_through(net, x_features, y, loss, lr)
    L = len(step.layers)
    inputs = ", ".join(f"{lab} = {v:.4g}" for lab, v in zip(feature_labels, step.x))
    target = (f"({', '.join(f'{v:g}' for v in step.y)}), one-hot for class {list(step.y).index(max(step.y))}"
              if len(step.y) > 1 else f"{step.y[0]:g}")
    st.markdown(f"**Input** a⁰ = x: {inputs} · **target** y = {target}")
    st.markdown("**1 · Forward propagation**: $z^l_j = \\sum_k a^{l-1}_k w^l_{jk} + b^l_j$, "
                "$a^l_j = f(z^l_j)$")
    for layer in step.layers:
        for j in stp.shown(len(layer.z), limit):
            st.latex(stp.forward_latex(layer, j))
        if len(layer.z) > limit:
            st.caption(f"… and {len(layer.z) - limit} more neurons in layer {layer.l}.")
    st.latex(stp.cost_latex(step))
    st.markdown("**2 · Back-propagation**: $\\delta^l_j = \\partial J / \\partial z^l_j$, from the output back")
    st.latex(stp.output_delta_latex(step))
    for l in range(L - 1, 0, -1):
        for k in stp.shown(len(step.layers[l - 1].z), limit):
            st.latex(stp.hidden_delta_latex(step, l, k))
    st.markdown("**3 · The update** $w^l_{jk} := w^l_{jk} - \\alpha\\, a^{l-1}_k \\delta^l_j$ (one step of "
                f"gradient descent on this sample, α = {lr:g}); the first weight of each layer:")
    for l in range(1, L + 1):
        st.latex(stp.update_latex(step, l, 0, 0))
    st.caption("Training uses the chosen optimiser on a batch: SGD makes exactly this step (averaged over the "
               "batch); Adam and RMSprop rescale it per weight. Dropout is off here, as when predicting.")
    if st.button("Check the gradient with finite differences", key="gradcheck"):
        check = stp.gradient_check(net, x_features, y, loss)
        rows = stp.gradient_rows(net, check)
        st.markdown(f"(J(θ + h) − J(θ − h)) / 2h with h = 10⁻⁶ for every parameter θ, next to back-propagation's "
                    f"∂J/∂θ. Relative error ‖g_num − g_bp‖ / (‖g_num‖ + ‖g_bp‖) = **{check.relative_error:.1e}**"
                    f" ({'they agree' if check.relative_error < 1e-6 else 'they differ'}).")
        st.dataframe(pd.DataFrame(rows), hide_index=True, height=min(400, 38 + 35 * len(rows)),
                     column_config={k: st.column_config.NumberColumn(format="%.3e")
                                    for k in ("backprop ∂J/∂θ", "finite difference", "difference")})


def keras_comparison_panel(setup, initial_weights) -> None:
    """A button that trains the playground's network with Keras from the same weights and the same batches,
    then shows both costs (TensorFlow is imported only now, behind a spinner)."""
    from nncore.lessons import playground_lab as pg
    from nncore.figures import playground_plots as fig

    if st.button("Train the same network with Keras and compare", key="keras_run"):
        with st.spinner("Loading TensorFlow and training with Keras (a few seconds)…"):
            try:
                st.session_state.pg_keras = (setup, pg.keras_replay(setup, initial_weights))
            except Exception as exc:        # TensorFlow missing or broken: say so, keep the page
                st.session_state.pg_keras = (setup, f"Keras could not run here: {exc}")
    result = st.session_state.get("pg_keras")
    if not result or result[0] != setup:
        return
    r = result[1]
    if isinstance(r, str):
        st.warning(r, icon="⚠️")
        return
    c = st.columns(3)
    c[0].metric("final cost, numpy", f"{r.numpy_losses[-1]:.5f}")
    c[1].metric("final cost, Keras", f"{r.keras_losses[-1]:.5f}")
    c[2].metric("largest weight difference", f"{r.max_weight_difference:.1e}")
    st.caption(f"Both started from the same weights and saw the same batches for {r.epochs:,} epochs; accuracy "
               f"numpy {r.numpy_accuracy:.0%}, Keras {r.keras_accuracy:.0%}. Keras took {r.seconds:.1f} s. {r.note}")
    st.plotly_chart(fig.keras_comparison(list(range(1, r.epochs + 1)), r.numpy_losses, r.keras_losses,
                                         title="the same run, two engines"), key="pg_keras_chart")


# ---- clicking points onto the plane (playground: your own data) -------------------------------------
# The plane [x₁ from, x₁ to] × [x₂ from, x₂ to] on a canvas, with the points drawn so far coloured by
# class (or shaded by value). A click sends its (x₁, x₂) in data coordinates, with a fresh id so that
# two clicks on the same spot are two points; the page adds the point on its next run.
_PLANE_JS = """
const CLASS = ['#f59322', '#0877bd', '#2ca02c', '#d62728', '#9467bd'];

function draw(wrap) {
  const { points, extent, kind } = wrap.__data;
  const canvas = wrap.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const [x0, x1, y0, y1] = extent;
  const px = (x) => (x - x0) / (x1 - x0) * canvas.width;
  const py = (y) => (y1 - y) / (y1 - y0) * canvas.height;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#fafafa'; ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#ddd'; ctx.lineWidth = 1;
  for (const t of [-1, -0.5, 0.5, 1]) {
    ctx.beginPath(); ctx.moveTo(px(t), 0); ctx.lineTo(px(t), canvas.height); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(0, py(t)); ctx.lineTo(canvas.width, py(t)); ctx.stroke();
  }
  ctx.strokeStyle = '#999';
  ctx.beginPath(); ctx.moveTo(px(0), 0); ctx.lineTo(px(0), canvas.height); ctx.stroke();
  ctx.beginPath(); ctx.moveTo(0, py(0)); ctx.lineTo(canvas.width, py(0)); ctx.stroke();
  ctx.fillStyle = '#666'; ctx.font = '11px sans-serif';
  ctx.fillText('x₁', canvas.width - 16, py(0) - 4); ctx.fillText('x₂', px(0) + 4, 12);
  ctx.fillText('1', px(1) + 2, py(0) + 12); ctx.fillText('1', px(0) + 4, py(1) - 2);
  const labels = points.map((p) => p[2]);
  const lo = Math.min(...labels), hi = Math.max(...labels);
  for (const [a, b, label] of points) {
    let colour = CLASS[Math.round(label)] || '#333';
    if (kind === 'values') {
      const t = hi > lo ? (label - lo) / (hi - lo) : 0.5;
      colour = `rgb(${Math.round(245 + t * (8 - 245))}, ${Math.round(147 + t * (119 - 147))}, ${Math.round(34 + t * (189 - 34))})`;
    }
    ctx.beginPath(); ctx.arc(px(a), py(b), 5, 0, 2 * Math.PI);
    ctx.fillStyle = colour; ctx.fill(); ctx.strokeStyle = '#fff'; ctx.lineWidth = 1; ctx.stroke();
  }
  wrap.dataset.points = String(points.length);
}

export default function (component) {
  const { parentElement, setStateValue, data } = component;
  let wrap = parentElement.querySelector('.nnplay-plane');
  if (!wrap) {
    wrap = document.createElement('div');
    wrap.className = 'nnplay-plane';
    wrap.innerHTML = '<canvas width="' + data.size + '" height="' + data.size + '" style="border:1px solid #ccc;' +
      'border-radius:6px;cursor:crosshair;display:block;touch-action:manipulation"></canvas>';
    parentElement.appendChild(wrap);
    wrap.querySelector('canvas').addEventListener('click', (e) => {
      const canvas = e.currentTarget, r = canvas.getBoundingClientRect();
      const [x0, x1, y0, y1] = wrap.__data.extent;
      const a = x0 + (e.clientX - r.left) / r.width * (x1 - x0);
      const b = y1 - (e.clientY - r.top) / r.height * (y1 - y0);
      const id = Date.now().toString(36) + Math.random().toString(36).slice(2);
      wrap.__set('click', { x1: a, x2: b, id });
    });
  }
  wrap.__set = setStateValue;
  wrap.__data = data;
  draw(wrap);
}
"""


def point_plane(points, extent, kind: str, key: str, size: int = 360) -> None:
    """A plane of ``extent`` showing ``points`` [(x₁, x₂, label), …]; a click stores {x1, x2, id} in
    ``st.session_state[key]['click']`` and reruns (``new_click(key)`` reads it once)."""
    if "point_plane" not in _components:
        _components["point_plane"] = st.components.v2.component(
            "nnplay_point_plane", js=_PLANE_JS, isolate_styles=False)
    _components["point_plane"](data={"points": [list(p) for p in points], "extent": list(extent), "kind": kind,
                                     "size": size},
                               key=key, default={"click": None}, height=size + 4, width=size + 4,
                               on_click_change=lambda: None)


def new_click(key: str):
    """The (x₁, x₂) of a click on ``point_plane(key=key)`` not taken before, else None."""
    state = st.session_state.get(key) or {}
    click = state.get("click") if hasattr(state, "get") else None
    seen = f"{key}_seen"
    if not isinstance(click, dict) or click.get("id") in (None, st.session_state.get(seen)):
        return None
    st.session_state[seen] = click["id"]
    try:
        x1, x2 = float(click["x1"]), float(click["x2"])
    except (KeyError, TypeError, ValueError):
        return None
    return (x1, x2) if math.isfinite(x1) and math.isfinite(x2) else None
