"""Regression: gradient descent fitting a line (or a curve) live — course 004's NumPy lesson."""
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from nncore.engine.losses import get as get_loss
from nncore.engine.specs import TrainSpec
from nncore.export import gif
from nncore.figures import regression_plots as fig
from nncore.lessons import presets
from nncore.lessons import regression_lab as reg
from nncore.lessons.configurator import Controls, to_values
from nncore.lessons.surface import surface_for_path
from views.ui import timeline as timeline_ui
from views.ui.components import live_plot
from views.ui.configurator import network_configurator, network_keys, network_props
from views.ui.live import FRAMES_PER_RERUN, LiveRun
from views.ui.send_to_class import send_to_class
from views.ui.share import share_link
from views.ui.state import PageState, Prop, opening_link

PAGE = "regression"
OPTIMIZER_LABELS = {"sgd": "gradient descent", "momentum": "momentum", "adam": "Adam"}
LRS = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
COURSE = reg.Setup()
PRESETS = presets.REGRESSION
T = COURSE.train
BASE = {                      # the course example's values; a preset's link carries only what differs from it
    "preset": Prop(next(iter(PRESETS)), options=list(PRESETS)),
    "model": Prop("line", options=list(reg.MODELS)),
    "true_w": Prop(COURSE.true_w, -5.0, 5.0),
    "true_b": Prop(COURSE.true_b, -5.0, 5.0),
    "n": Prop(COURSE.n, 1, 1000),
    "noise": Prop(COURSE.noise, 0.0, 2.0),
    "seed": Prop(COURSE.seed, 0, 10_000),
    "val_split": Prop(COURSE.val_split, 0.0, 0.9),
    "loss": Prop(T.loss, options=["mse", "half_mse", "mae"]),
    "optimizer": Prop(T.optimizer, options=["sgd", "momentum", "adam"]),
    "momentum": Prop(T.momentum, 0.0, 0.99),
    "lr": Prop(T.lr, options=LRS),
    "mode": Prop(T.mode, options=["batch", "mini-batch", "stochastic"]),
    "batch_size": Prop(10, 1, 1000),
    "epochs": Prop(T.epochs, 1, 5000),
    "early_stop": Prop(T.early_stop, 0.0, 1.0),
    "course_init": Prop(True),
    "init_seed": Prop(0, 0, 10_000),
    "speed": Prop(1, 1, 100),
    "log_y": Prop(True),
    # The curve's network: the shared configurator's own controls (its training part is the one above).
    **{k: f for k, f in network_props({**to_values(Controls(hidden=(16, 16))), "init": "glorot_uniform"}).items()
       if k in network_keys()},
}


def props_for(preset) -> dict:
    """Every control's property, defaulting to the preset's values (so a link carries only changes)."""
    changes = preset.values()
    return {name: replace(prop, default=changes.get(name, prop.default)) for name, prop in BASE.items()}


def preset_now():
    """The preset the controls start from: chosen on the page, else the link's, else the course example."""
    slug = st.session_state.get(f"{PAGE}.preset") or opening_link(PAGE).get("preset")
    return PRESETS.get(slug, next(iter(PRESETS.values())))


S = PageState(PAGE, props_for(preset_now()))


def apply_preset():
    """Every control to the preset's value; the speed only when the preset names one (a long run's), else the
    student's speed stays."""
    changes = PRESETS[S.preset].values()
    for name, prop in BASE.items():
        if name not in ("preset", "speed", "log_y") or (name == "speed" and name in changes):
            S[name] = changes.get(name, prop.default)


def current_setup() -> reg.Setup:
    s = S
    train = TrainSpec(loss=s.loss, optimizer=s.optimizer, lr=float(s.lr), momentum=s.momentum, mode=s.mode,
                      batch_size=s.batch_size, epochs=s.epochs, early_stop=s.early_stop, shuffle=True, seed=0)
    net = NETWORK if s.model == "curve" else Controls()
    return reg.Setup(model=s.model, true_w=s.true_w, true_b=s.true_b, n=s.n, noise=s.noise, seed=s.seed,
                     val_split=s.val_split, course_init=s.course_init, init_seed=s.init_seed, train=train,
                     hidden=net.hidden, activation=net.activation, initializer=net.init, init_mean=net.init_mean,
                     init_stddev=net.init_stddev)


st.title("📉 Regression: gradient descent, live")
st.markdown("Fit $a = wx + b$ to noisy points by walking down the cost surface, one update at a time: "
            "the course's NumPy example, with every setting yours to change.")
S.open()

with st.sidebar:
    S.control(st.selectbox, "Preset", list(PRESETS), key="preset", on_change=apply_preset,
              help="Each preset sets every control below; the course's example is the default.")
    st.markdown("**Training**")
    S.control(st.select_slider, "learning rate α", LRS, key="lr", format_func=lambda v: f"{v:g}")
    S.control(st.selectbox, "optimiser", ["sgd", "momentum", "adam"], key="optimizer",
              format_func=OPTIMIZER_LABELS.get)
    if S.optimizer == "momentum":
        S.control(st.slider, "momentum μ", 0.0, 0.99, key="momentum", step=0.01)
    S.control(st.selectbox, "descent", ["batch", "mini-batch", "stochastic"], key="mode")
    if S.mode == "mini-batch":
        S.control(st.number_input, "batch size", 1, 1000, key="batch_size")
    S.control(st.selectbox, "cost", ["mse", "half_mse", "mae"], key="loss",
              format_func={"mse": "MSE 1/n Σ(a−y)²", "half_mse": "half-MSE 1/2n Σ(a−y)²",
                           "mae": "MAE 1/n Σ|a−y|"}.get)
    c = st.columns(2)
    S.control(c[0].number_input, "epochs", 1, 5000, key="epochs")
    S.control(c[1].number_input, "stop when J_val <", 0.0, 1.0, key="early_stop", format="%g", step=0.0001)
    with st.expander("Data and model"):
        S.control(st.radio, "Model", reg.MODELS, key="model", horizontal=True,
                  format_func={"line": "line a = wx + b", "curve": "small network (curve)"}.get)
        c = st.columns(2)
        for col, key, label in ((c[0], "true_w", "true w"), (c[1], "true_b", "true b")):
            S.control(col.number_input, label, -5.0, 5.0, key=key, step=0.1, disabled=S.model != "line")
        S.control(st.slider, "noise", 0.0, 2.0, key="noise", step=0.05)
        c = st.columns(2)
        S.control(c[0].number_input, "N points", 1, 1000, key="n")
        S.control(c[1].number_input, "data seed", 0, 10_000, key="seed")
        S.control(st.slider, "validation share", 0.0, 0.9, key="val_split", step=0.05)
        S.control(st.toggle, "start at the course's w, b", key="course_init",
                  help="The script draws w and b with np.random.randn right after the data.")
        if not S.course_init or S.model == "curve":
            S.control(st.number_input, "initial-weight seed", 0, 10_000, key="init_seed")
    NETWORK = None
    if S.model == "curve":
        NETWORK = network_configurator(S, 1, training=False)
        st.caption(f"**1 input → {' → '.join(f'{u} {NETWORK.activation}' for u in NETWORK.hidden)}"
                   f"{' → ' if NETWORK.hidden else ''}1 linear** · "
                   f"{NETWORK.param_count(1):,} parameters")

S.write_url()
lv = LiveRun(PAGE, "reg", timeline_ui.start_from_kept("reg", reg.start_with))
setup = lv.validated(lambda: current_setup().validate())
timeline_ui.restart_if_asked("reg")           # after "↺ Same start θ₀"
data, run = lv.run_for(setup)                  # any change of a control starts afresh
per_epoch = reg.steps_per_epoch(setup, len(data.x_train))
lv.controls(run)


def cost_figure(r, compare=()) -> dict:
    """The cost chart of run ``r`` (the run, or the run at a timeline frame)."""
    return fig.cost_curves(per_epoch, r.steps, r.batch_losses, r.epochs, r.train_losses, r.val_losses,
                           log_y=S.log_y, show_steps=setup.train.mode != "batch", compare=compare)


line = timeline_ui.TimelineUI(PAGE, "reg", S, run, lambda w: reg.start_with(setup, w)[1],
                              settings=timeline_ui.lr_and_optimizer(LRS, BASE["optimizer"].options,
                                                                    OPTIMIZER_LABELS.get),
                              cost_figure=cost_figure, cost_name="validation cost")
shown = line.shown()                           # paused: the run at the frame the timeline shows
lv.speed(S, label="updates per frame", width=300)

surface_loss = get_loss(setup.train.loss)
x_line = np.linspace(min(0.0, data.x.min()), max(1.0, data.x.max()), 100)[:, None]


def moving_figures(r, compare):
    """The figures that change with every update: the fit and (for the line) the cost surface, of run ``r``."""
    figs = {"reg_fit": fig.fit(data.x_train, data.y_train, data.x_val, data.y_val, x_line,
                               np.nan_to_num(r.net.predict(x_line), nan=0, posinf=1e6, neginf=-1e6),
                               title=f"epoch {r.epoch} · update {r.step}")}
    if setup.model == "line":
        path = np.array(r.path)
        grad = r.last.grads if r.last else None
        figs["reg_surface"] = fig.cost_surface(cached_surface(path), path[:, 0], path[:, 1],
                                               grad=[grad[0][0, 0], grad[1][0]] if grad else None,
                                               true_wb=(setup.true_w, setup.true_b), compare=compare)
    return figs


def frame(playing: bool) -> bool:
    """Advance the run (when playing) and draw it: a batch of frames, each ``speed`` updates apart.

    The fit gets every frame of the batch, the surface every other one (its path moves a little per
    frame, and the browser paints one plot at a time); the cost curve, which moves slowly, only the
    newest (one paint per rerun instead of five).
    """
    compare = st.session_state.get("reg_compare", [])
    r = run if playing else shown                # paused: the frame the timeline shows
    batch = []
    for _ in range(FRAMES_PER_RERUN if playing else 1):
        if playing:
            run.advance(S.speed)
            line.capture()                       # θ of this painted frame, for the timeline
        batch.append(moving_figures(r, compare))
        if run.done:
            break
    if r.status == "diverged":
        st.error(f"**The run diverged.** {run.last.reason}", icon="💥")
    elif r.done:
        st.success(run.last.reason, icon="✅")
    left, right = st.columns(2)
    with left:
        live_plot([f["reg_fit"] for f in batch], key="reg_fit")
    with right:
        live_plot(timeline_ui.with_earlier(cost_figure(r, compare), "reg"), key="reg_cost")
    if setup.model == "line":
        left, right = st.columns([3, 2])
        with left:
            live_plot([f["reg_surface"] for f in batch], key="reg_surface", every=2)
        with right:
            update_numbers(r, r.last.grads if r.last else None)
    return run.done


def cached_surface(path):
    """The cost surface for this setup, kept in the session while the path stays inside its frame."""
    key, previous = st.session_state.get("reg_surface", (None, None))
    if key != (setup, surface_loss.name):
        previous = None
    surface = surface_for_path(data.x_train, data.y_train, surface_loss, path, (setup.true_w, setup.true_b),
                               previous)
    st.session_state.reg_surface = ((setup, surface_loss.name), surface)
    return surface


def update_numbers(r, grad):
    """The w, b of run ``r`` now, their gradients and the update rule with today's numbers."""
    wv, bv = reg.line_params(r)
    alpha = setup.train.lr
    st.markdown(f"**Now** (update {r.step}, epoch {r.epoch})")
    st.latex(rf"w = {wv:.6f},\quad b = {bv:.6f}")
    if grad:
        dw, db = float(grad[0][0, 0]), float(grad[1][0])
        st.latex(rf"\frac{{\partial J}}{{\partial w}} = {dw:.5f},\quad \frac{{\partial J}}{{\partial b}} = {db:.5f}")
        if setup.train.optimizer == "sgd":
            st.latex(rf"w := w - \alpha\,\frac{{\partial J}}{{\partial w}} = {wv + alpha * dw:.5f} - "
                     rf"{alpha:g}\times({dw:.5f}) = {wv:.5f}")
            st.latex(rf"b := b - \alpha\,\frac{{\partial J}}{{\partial b}} = {bv + alpha * db:.5f} - "
                     rf"{alpha:g}\times({db:.5f}) = {bv:.5f}")
        else:
            st.caption(f"{setup.train.optimizer} uses these gradients through its own running averages.")
    if r.train_losses:
        st.latex(rf"J_{{train}} = {r.train_losses[-1]:.6g},\quad J_{{val}} = {r.val_losses[-1] or 0:.6g}")
    st.caption(f"True line: w = {setup.true_w:g}, b = {setup.true_b:g}.")


lv.show(frame)
line.draw()                                    # paused: the timeline's slider, under the figures
S.control(st.toggle, "log scale for the cost", key="log_y")

# ---- the course's home task: compare runs ----------------------------------------------------------
st.subheader("Compare runs")
st.caption("The course's home task: run several learning rates (or descent modes) from the same start and "
           "overlay their costs and paths.")
c = st.columns([1, 3, 1, 1])
what = S.widget(c[0].radio, "compare", ["learning rates", "descent modes"], key="compare_what")
if what == "learning rates":
    lrs = S.widget(c[1].multiselect, "learning rates", LRS, default=[0.01, 0.1, 0.5], key="compare_lrs",
                   format_func=lambda v: f"α = {v:g}")
    variants = {f"α = {lr:g}": {"lr": lr} for lr in lrs}
else:
    modes = S.widget(c[1].multiselect, "descent modes", list(reg.DESCENT_VARIANTS),
                     default=list(reg.DESCENT_VARIANTS), key="compare_modes")
    variants = {m: reg.DESCENT_VARIANTS[m] for m in modes}


def compare_runs():
    st.session_state.reg_compare = reg.compare(setup, variants)


c[2].button("Compare", on_click=compare_runs, width="stretch")
c[3].button("Clear", on_click=lambda: st.session_state.pop("reg_compare", None), width="stretch")
if st.session_state.get("reg_compare"):          # the answer where the student looks: under the button
    st.dataframe(pd.DataFrame([{"run": r["label"], "epochs": len(r["epochs"]),
                                "final training cost J": r["final_train"], "how it ended": r["status"]}
                               for r in st.session_state.reg_compare]), hide_index=True, key="reg_compare_table")
    st.caption("↑ Each run is also drawn, dotted, on the cost chart and on the loss surface above.")

with st.expander("The maths, in the course's notation"):
    st.latex(r"J(w, b) = \frac{1}{N}\sum_{i=1}^{N} (w x_i + b - y_i)^2")
    st.latex(r"\frac{\partial J}{\partial w} = \frac{2}{N}\sum_i (w x_i + b - y_i)\,x_i \qquad "
             r"\frac{\partial J}{\partial b} = \frac{2}{N}\sum_i (w x_i + b - y_i)")
    st.latex(r"w := w - \alpha \frac{\partial J}{\partial w} \qquad b := b - \alpha \frac{\partial J}{\partial b}")
    st.markdown("Batch descent makes one update per epoch, stochastic descent one per sample, mini-batch "
                "N / batch size; their cost fluctuates because each update sees only part of the data. "
                "Too small an α crawls; too large an α overshoots the bottom of the bowl and each step lands "
                "higher than the last.")
share_link(S)
line.gif_button("reg_gif", left=gif.fit_panel(data), test_name="validation")   # ⬇ the fit and the cost, θ₀ to now
send_to_class(S, run, setup.model)       # 📤 only when this session joined a class (/class)
