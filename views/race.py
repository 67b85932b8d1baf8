"""Optimiser race: one network, one start θ₀, one batch order; six update rules side by side (ConvNetJS has one)."""
import streamlit as st

from nncore.board import figures as board_figures
from nncore.figures import race_plots as fig
from nncore.lessons import boundary
from nncore.lessons import configurator as cfg
from nncore.lessons import playground_lab as pg
from nncore.lessons import race_lab as race
from views.ui import timeline as timeline_ui
from views.ui.components import live_plot
from views.ui.configurator import network_configurator, network_keys, network_props
from views.ui.fit import presenting
from views.ui.live import FRAMES_PER_RERUN, LiveRun
from views.ui.send_to_class import send_figures
from views.ui.share import share_link
from views.ui.state import PageState, Prop

PAGE = "race"
VALUES = pg.to_values(pg.Setup(controls=cfg.Controls(epochs=200)))     # the playground's set-up, a shorter race
S = PageState(PAGE, {
    "racers": Prop(list(race.RACERS), options=list(race.RACERS)),
    **{f"lr_{name}": Prop(float(race.DEFAULT_LR[name]), options=cfg.LRS) for name in race.RACERS},
    "data": Prop(VALUES["data"], options=list(race.DATASETS)),
    "noise": Prop(float(VALUES["noise"]), 0.0, 1.0),
    **{k: f for k, f in network_props(VALUES).items()
       if k in (*network_keys(), "loss", "batch_size", "epochs", "seed")},
    "speed": Prop(5, 1, 100),
    "log_y": Prop(True),
})


def current() -> race.RaceSetup:
    """The race the controls describe (not validated)."""
    chosen = [name for name in race.RACERS if name in S.racers]
    return race.RaceSetup(pg.from_values(S), tuple((name, float(S[f"lr_{name}"])) for name in chosen))


st.title("🏁 Optimiser race")
st.markdown("The same network, the same data, the same starting weights θ₀ and the same batches in the same "
            "order, trained side by side: only the update rule differs. Who gets down the cost J first?")
S.open()

with st.sidebar:
    st.markdown("**Racers**")
    S.control(st.multiselect, "optimisers", race.RACERS, key="racers", format_func=race.SHORT.get)
    for name in (n for n in race.RACERS if n in S.racers):
        S.control(st.select_slider, f"α for {race.SHORT[name]}", cfg.LRS, key=f"lr_{name}",
                  format_func=lambda v: f"{v:g}")
    st.markdown("**Data**")
    S.control(st.selectbox, "data set", race.DATASETS, key="data", format_func=pg.DATA_LABELS.get)
    S.control(st.slider, "noise", 0.0, 1.0, key="noise", step=0.05, disabled=S.data in pg.GATE_SETS)
    controls = network_configurator(S, 2, training=False)
    st.markdown("**Training (the same for every racer)**")
    S.control(st.selectbox, "loss", cfg.LOSSES, key="loss", format_func=cfg.LOSS_LABELS.get)
    c = st.columns(2)
    S.control(c[0].number_input, "batch size", 1, cfg.MAX_BATCH, key="batch_size")
    S.control(c[1].number_input, "epochs", 1, cfg.MAX_EPOCHS, key="epochs")
    S.control(st.number_input, "seed (θ₀, batch order)", 0, 10_000, key="seed")
    st.caption(f"**{controls.architecture(2)}** · {controls.param_count(2):,} parameters")

S.write_url()
PRESENT = presenting()     # on a projector the race fits 720 px with its buttons
lv = LiveRun(PAGE, "race", timeline_ui.start_from_kept("race", race.start_with))
race_setup = lv.validated(lambda: current().validate())
timeline_ui.restart_if_asked("race")          # after "↺ Same start θ₀"
data, the_race = lv.run_for(race_setup)      # a change starts a new race
lv.controls(the_race)


def costs_figure(a_race) -> dict:
    """Every racer's training cost J per epoch (of the race, or of the race at a timeline frame)."""
    curves = [dict(name=r.name, label=f"{race.SHORT[r.name]} α {r.lr:g}", epochs=r.run.epochs,
                   losses=r.run.train_losses) for r in a_race.racers]      # short labels: two to a legend row
    return fig.race_costs(curves, log_y=S.log_y, height=390 if PRESENT else 470,
                          title=f"training cost J per epoch · epoch {a_race.epoch}")


line = timeline_ui.TimelineUI(
    PAGE, "race", S, the_race, lambda w: race.start_with(race_setup, w)[1], timeline=race.RaceTimeline,
    settings=[timeline_ui.Setting(f"{race.SHORT[r.name]} α", f"lr_{r.name}", cfg.LRS, lambda v: f"{v:g}")
              for r in the_race.racers], cost_figure=costs_figure)
shown = line.shown()                           # paused: the race at the frame the timeline shows
lv.speed(S, width=400)


def panel_title(r: race.Racer) -> str:
    """'Adam' over 'α 0.01 · J 0.0846 · 95 %' (or 'diverged'): short enough for a third of the page, also in
    a projector's type."""
    name = f"<b>{race.SHORT[r.name]}</b>"
    if r.diverged:
        return f"{name}<br>α {r.lr:g} · 💥 diverged at {r.run.step:,}"
    acc = pg.current_accuracy(r.run)[0]
    cost = f" · J {r.final_loss:.3g}" if r.final_loss is not None else ""
    return f"{name}<br>α {r.lr:g}{cost} · {acc:.0%}"


def boundaries(a_race, resolution: int) -> dict:
    """Every racer's decision boundary, one small panel each."""
    maps = [boundary.plane_maps(r.run.net, race_setup.setup.features, data.extent, resolution)
            for r in a_race.racers]
    return fig.race_boundaries(maps, [panel_title(r) for r in a_race.racers], data.x_train, data.y_train,
                               panel_height=130 if PRESENT else 230, title_px=52 if PRESENT else 40)


def frame(playing: bool) -> bool:
    """Advance every racer (when playing) by ``speed`` updates per frame, a batch of frames per rerun; draw
    (paused: the race at the frame the timeline shows)."""
    a_race = the_race if playing else shown
    batch = []
    for _ in range(FRAMES_PER_RERUN if playing else 1):
        if playing:
            the_race.advance(S.speed)
            line.capture()                       # every racer's θ of this painted frame, for the timeline
        batch.append(boundaries(a_race, 30 if playing else 50))
        if the_race.done:
            break
    left, right = st.columns([5, 6])
    with left:
        live_plot(timeline_ui.with_earlier(costs_figure(a_race), "race", in_legend=False), key="race_costs")
    with right:
        live_plot(batch, key="race_boundaries")
    sentence = race.verdict(a_race)              # under the race, where the eyes are (the figures stay in place)
    if sentence and a_race.done:
        st.success(sentence, icon="🏁")
    elif sentence:
        st.markdown(sentence)
    for r in a_race.racers:
        if r.diverged:
            st.warning(f"**{r.label} stopped.** {r.run.last.reason} The others race on.", icon="💥")
    return the_race.done


lv.show(frame)
S.control(st.toggle, "log scale for the cost", key="log_y")
line.draw()                                    # paused: the timeline's slider, under the figures
send_figures(S, lambda: board_figures.race_figures(the_race, S.data))   # 📤 once this session joined a class
st.caption("Each panel is one racer's network over the plane: orange = class 0, blue = class 1, the dark line "
           "where the output is 0.5. Every racer started from the same weights and sees the same batches. "
           "Momentum's steps add up to about α / (1 − μ) = 10 α, so momentum with α = 0.01 runs close to SGD with "
           "α = 0.1: give it the same α as SGD to see what momentum adds.")
with st.expander("📖 The update rules (g = ∂J/∂θ on the batch)"):
    for name in race.RACERS:
        st.markdown(f"**{race.label(name)}**")
        st.latex(race.RULES[name])
    st.caption("μ = 0.9, ρ = 0.9, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁷ and Adagrad's G starting at 0.1: Keras's "
               "defaults. Course 003 writes the momentum term as α and the learning rate as η; nnplay keeps α "
               "for the learning rate everywhere and calls the momentum term μ.")
share_link(S)
