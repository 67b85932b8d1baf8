"""The live pages' timeline widget: scrub a paused run back, continue from a frame, replay from the same θ₀.

A page hands its run over (``TimelineUI(page, prefix, S, run, remake)``; /playground, /regression and /race, whose
"run" is the race and whose timeline is a ``race_lab.RaceTimeline``): the widget keeps the run's
``nncore.engine.timeline.Timeline`` in the session (``<prefix>_timeline``), and
``capture(run)`` after each painted frame's updates copies θ (a few KB). ``shown()``, before the figures, is
what the page should draw: the run itself, or the run as it was at the frame the slider chose. Paused,
``draw()``, after the figures, shows that slider over the kept frames and two buttons: under the picture, as a
video player's scrubber, so that the figures stay where they are (and, on a projector's 720 px, in view).

- **▶ Continue from here**: a new branch. The frames after the chosen one are forgotten and the run is
  trained again from θ₀ to that update (runs are pure functions of their seeds), so it goes on with that
  moment's θ, the optimiser's state (momentum, Adam's m and v) and the place in the batch order.
- **↺ Same start θ₀, new settings**: the next run starts from this run's θ₀ (even if the new settings' own
  initialiser would draw others) and visits the points in the same batch order (the same ``seed``); the
  earlier run's costs stay on the cost chart, faded, for comparison. Which settings it offers is the page's
  (``Setting``): α and the optimiser on /playground and /regression, each racer's α on /race.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import streamlit as st

from nncore.engine.timeline import Timeline
from views.ui.live import is_playing, set_playing

EARLIER_OPACITY = 0.35


def _key(prefix: str, name: str) -> str:
    return f"{prefix}_{name}"


def kept_theta0(prefix: str):
    """The θ₀ that "↺ Same start θ₀" asked the next run to start from (taken once), else None."""
    return st.session_state.pop(_key(prefix, "theta0"), None)


def restart_if_asked(prefix: str) -> None:
    """After "↺ Same start θ₀": forget the set-up the run was made for, so the page makes a fresh run."""
    if st.session_state.pop(_key(prefix, "restart"), False):
        st.session_state.pop(_key(prefix, "setup"), None)


def start_from_kept(prefix: str, start_with: Callable) -> Callable:
    """A page's ``start(setup)``: ``start_with(setup, weights)`` from the θ₀ that "↺ Same start θ₀" kept
    (None: the set-up's own initialiser, also when the kept θ₀ does not fit the network's new shape)."""
    def start(setup):
        weights = kept_theta0(prefix)
        if weights is not None:
            try:
                return start_with(setup, weights)
            except ValueError:
                pass
        return start_with(setup, None)
    return start


def with_earlier(figure: dict, prefix: str, in_legend: bool = True) -> dict:
    """The cost chart with the earlier run's costs ("↺ Same start θ₀") drawn faded and dotted behind it; their
    legend entries name the earlier settings, or (``in_legend=False``: the race's six lines) the chart's title
    says what the dotted lines are."""
    earlier = st.session_state.get(_key(prefix, "earlier"))
    if not earlier:
        return figure
    traces = [dict(trace, opacity=EARLIER_OPACITY, name=f"{trace.get('name', '')} (earlier: {earlier['label']})",
                   line=dict(trace.get("line", {}), dash="dot"), hoverinfo="skip", showlegend=in_legend)
              for trace in earlier["figure"]["data"]]
    out = dict(figure, data=traces + list(figure["data"]))
    title = (figure.get("layout") or {}).get("title")
    if not in_legend and isinstance(title, dict):
        layout = dict(figure["layout"], title=dict(title, text=f"{title.get('text', '')}<br><sup>dotted: the earlier "
                                                           f"run, {earlier['label']}</sup>"))
        layout["margin"] = dict(layout.get("margin") or {}, t=(layout.get("margin") or {}).get("t", 45) + 20)
        out["layout"] = layout
    return out


@dataclass(frozen=True)
class Setting:
    """A setting "↺ Same start θ₀" may change: the page's property ``key`` (of ``PageState``), chosen among
    ``options`` in a box labelled "new <name>" that shows each option as ``show(value)``."""

    name: str
    key: str
    options: Sequence
    show: Callable = str

    def said(self, value) -> str:
        """"α = 0.1" (the earlier run's label on the cost chart)."""
        return f"{self.name} = {self.show(value)}"


def lr_and_optimizer(lrs, optimizers=(), optimizer_label: Callable = str) -> list:
    """The settings of /playground and /regression: α and (when it offers any) the optimiser."""
    out = [Setting("α", "lr", list(lrs), lambda v: f"{v:g}")] if lrs else []
    return out + ([Setting("optimiser", "optimizer", list(optimizers), optimizer_label)] if optimizers else [])


class TimelineUI:
    """One live page's timeline; ``remake(weights)`` makes a fresh run of the page's set-up from ``weights``;
    ``timeline()`` makes an empty timeline (a ``Timeline``; the race's keeps every racer)."""

    def __init__(self, page: str, prefix: str, state, run, remake: Callable, settings: Sequence[Setting] = (),
                 cost_figure: Optional[Callable] = None, cost_name: str = "test cost",
                 timeline: Callable = Timeline):
        self.page, self.prefix, self.S, self.run, self.remake = page, prefix, state, run, remake
        self.cost_figure = cost_figure or _cost_figure      # the run's cost chart, kept faded by "↺ Same start"
        self.cost_name = cost_name                          # what the run's val_losses are on this page
        self.settings = list(settings)
        self._k, self._shown = None, run                   # the frame shown (None: the run itself, no slider)
        s = st.session_state
        line = s.get(_key(prefix, "timeline"))
        if line is None or s.get(_key(prefix, "timeline_of")) is not run:
            line = timeline().follow(run)
            s[_key(prefix, "timeline")], s[_key(prefix, "timeline_of")] = line, run
        self.line: Timeline = line

    def capture(self) -> None:
        """θ of the painted frame (call after the frame's updates)."""
        self.line.capture(self.run)

    @property
    def _pick_key(self) -> str:
        return _key(self.prefix, "frame")

    def _label(self, k: int) -> str:
        f = self.line.at(k)
        return f"epoch {f.epoch:,} · update {f.step:,}" + (" (θ₀)" if k == 0 else "")

    def shown(self):
        """The run the page draws: the run itself, or, paused with the slider moved back, the run as it was at
        the chosen frame (``Timeline.view``). Call it before the figures; ``draw()`` puts the slider under them."""
        s = st.session_state
        self.line.capture(self.run)                   # ⏭ Step and ⏩ Epoch moved it between painted frames
        self._k = None
        if is_playing(self.page) or len(self.line) < 2:
            s.pop(self._pick_key, None)
            return self.run
        last = len(self.line) - 1
        newest = _key(self.prefix, "frame_newest")      # the slider follows the newest frame unless moved back
        pick = s.get(self._pick_key)
        if pick is None or pick == s.get(newest) or not 0 <= pick <= last:
            s[self._pick_key] = last
        s[newest] = last
        self._k = k = s[self._pick_key]
        self._shown = self.run if k == last else self.line.view(self.run, k)
        return self._shown

    def draw(self) -> None:
        """Paused: the slider over the kept frames and the buttons, in a box under the page's figures (a player's
        scrubber under its picture: the figures keep their place whether it shows or not); playing: nothing."""
        if self._k is None:
            return
        last, shown = len(self.line) - 1, self._shown
        with st.container(border=True):
            k = st.select_slider("⏪ timeline: scrub to an earlier frame", options=list(range(last + 1)),
                                 key=self._pick_key, format_func=self._label,
                                 help=f"θ is kept at every painted frame and epoch end ({len(self.line)} frames, "
                                      f"{self.line.nbytes / 1024:,.0f} KB; the oldest are thinned past "
                                      f"{self.line.capacity} frames).")
            costs = getattr(shown, "val_losses", None)
            last_cost = costs[-1] if costs else None
            cost = f" · {self.cost_name} {last_cost:.6f}" if last_cost is not None else ""
            st.caption(f"Showing **{self._label(k)}**{cost}" + ("" if k == last else " — an earlier moment (the "
                                                                   "figures above); ▶ Train goes on from the newest."))
            c = st.columns([2] + [2] * len(self.settings) + [3])
            c[0].button("▶ Continue from here", key=_key(self.prefix, "branch"), disabled=k == last,
                        on_click=self._branch, args=(k,),
                        help="A new branch: forget what came after this frame and train on from its θ, with the "
                             "optimiser's state and the batch order of that moment.")
            chosen = {f.key: where.selectbox(f"new {f.name}", f.options, index=self._index(f.options, self.S[f.key]),
                                             key=_key(self.prefix, f"new_{f.key}"), format_func=f.show)
                      for f, where in zip(self.settings, c[1:])}
            what = " and ".join(f.name for f in self.settings) or "settings"
            c[-1].button("↺ Same start θ₀, new settings", key=_key(self.prefix, "same_start"),
                         on_click=self._same_start, args=(chosen,),
                         help="Train again from this run's initial weights θ₀ and in the same batch order (the same "
                              f"seed), with the {what} chosen here.")

    def gif_button(self, key: str, **how) -> None:
        """⬇ GIF: the run so far (what the network computes and the cost J side by side, one frame per kept
        moment of the timeline, ≤ 5 MB), made when clicked by ``nncore.export.gif.of_run(run, line, **how)``."""
        from nncore.export import gif

        run, line = self.run, self.line
        st.download_button("⬇ GIF of the run", lambda: gif.of_run(run, line, **how).data, file_name="nnplay-run.gif",
                           mime="image/gif", on_click="ignore", key=key, disabled=len(line) < 2,
                           help=f"From θ₀ to now: at most {gif.MAX_FRAMES} frames of the {len(line):,} kept, at most "
                                f"{gif.MAX_BYTES / 1e6:g} MB.")

    @staticmethod
    def _index(options, value) -> int:
        return options.index(value) if value in options else 0

    def _branch(self, k: int) -> None:
        frame = self.line.at(k)
        weights = self.run.initial_weights
        branch = self.line.replay_to(lambda: self.remake(weights), frame)
        self.line.truncate(frame.step)
        self.line.follow(branch)
        s = st.session_state
        s[_key(self.prefix, "run")], s[_key(self.prefix, "timeline_of")] = branch, branch
        s.pop(self._pick_key, None)
        set_playing(self.page, True)

    def _same_start(self, chosen: dict) -> None:
        s = st.session_state
        run = self.run
        s[_key(self.prefix, "theta0")] = run.initial_weights
        label = ", ".join(f.said(self.S[f.key]) for f in self.settings) or "the same settings"
        s[_key(self.prefix, "earlier")] = {"label": label, "figure": self.cost_figure(run)}
        for key, value in chosen.items():
            self.S[key] = value
        s.pop(self._pick_key, None)
        s[_key(self.prefix, "restart")] = True            # a fresh run even when no setting changed


def _cost_figure(run) -> dict:
    from nncore.figures import playground_plots as fig

    return fig.cost_curves(run.epochs, run.train_losses, run.val_losses)
