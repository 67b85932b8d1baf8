"""Playground: a network learns a 2-D classification live — course 003's XOR story, and TensorFlow Playground's."""
import numpy as np
import streamlit as st

from nncore import boundary, features as feats, playground as pg, presets
from nncore.figures import playground as fig
from nncore.specs import SpecError
from views import widgets as w

PAGE = "playground"
FRAMES_PER_RERUN = 8          # the boundary, painted by the browser at 25 fps: 0.32 s of frames per rerun
BIG_NETWORK = 200             # above this many parameters the neuron maps are redrawn every 4th frame only


def preset_now() -> presets.Preset:
    """The preset the controls start from: chosen on the page, else the link's, else the default."""
    slug = st.session_state.get("preset") or st.query_params.get("preset", presets.DEFAULT)
    return presets.PRESETS.get(slug, presets.PRESETS[presets.DEFAULT])


def view_dims(setup) -> int:
    """The hidden space in 3-D when the last hidden layer has 3 units (then its axes are the units)."""
    return 3 if setup.controls.hidden and setup.controls.hidden[-1] == 3 else 2


def fields_for(preset):
    """Every control's URL field, defaulting to the preset's values (so a link carries only changes)."""
    values = pg.to_values(preset.setup)
    return {
        "preset": w.UrlField(presets.DEFAULT, options=list(presets.PRESETS)),
        "data": w.UrlField(values["data"], options=list(pg.DATASETS)),
        "n": w.UrlField(int(values["n"]), 4, pg.MAX_POINTS),
        "noise": w.UrlField(float(values["noise"]), 0.0, 1.0),
        "test_ratio": w.UrlField(float(values["test_ratio"]), 0.0, 0.9),
        "data_seed": w.UrlField(int(values["data_seed"]), 0, 10_000),
        "features": w.UrlField(list(values["features"]), options=list(feats.NAMES)),
        **w.network_fields(values),
        "speed": w.UrlField(5, 1, 100),
        "show_test": w.UrlField(True),
        "discretize": w.UrlField(False),
        "hidden_dims": w.UrlField(view_dims(preset.setup), 2, 3),
    }


FIELDS = fields_for(preset_now())


def apply_preset(slug=None):
    """Set every control to the preset's value (a follow-up button passes its slug)."""
    if slug:
        st.session_state.preset = slug
    setup = presets.get(st.session_state.preset).setup
    for name, value in pg.to_values(setup).items():
        st.session_state[name] = value
    st.session_state.hidden_dims = view_dims(setup)


st.title("🧪 Playground: watch a network learn")
st.markdown("Choose data and a network, press ▶ Train, and watch the decision boundary form, neuron by neuron; "
            "course 003's XOR models are one click away.")
w.url_state(FIELDS, PAGE)
w.keep_defaults(FIELDS)

st.selectbox("Preset", list(presets.PRESETS), key="preset", on_change=apply_preset,
             format_func=lambda s: presets.PRESETS[s].title,
             help="Each preset sets every control; a link can open one: /playground?preset=xor-model-1")
chosen = presets.get(st.session_state.preset)
st.info(chosen.story, icon="📘")
if chosen.follow_ups:
    cols = st.columns(len(chosen.follow_ups) + 1)
    cols[0].markdown("**Try next:**")
    for col, slug in zip(cols[1:], chosen.follow_ups):
        col.button(presets.PRESETS[slug].short, key=f"follow_{slug}", on_click=apply_preset, args=(slug,),
                   help=presets.PRESETS[slug].title, width="stretch")

with st.sidebar:
    st.markdown("**Data**")
    st.selectbox("data set", pg.DATASETS, key="data", format_func=pg.DATA_LABELS.get)
    gate = st.session_state.data in pg.GATE_SETS
    c = st.columns(2)
    c[0].number_input("points", 4, pg.MAX_POINTS, key="n", disabled=gate)
    c[1].number_input("data seed", 0, 10_000, key="data_seed", disabled=gate)
    st.slider("noise", 0.0, 1.0, key="noise", step=0.05, disabled=gate)
    st.slider("test share", 0.0, 0.9, key="test_ratio", step=0.05, disabled=gate,
              help="Points kept out of training to test the network on data it has not seen.")
    if gate:
        st.caption("The 4 points of a truth table: all of them train; there is no test set.")
    st.multiselect("input features", feats.NAMES, key="features", format_func=feats.label,
                   help="What the first layer sees of each point (TensorFlow Playground's features).")
    n_inputs = max(1, len(st.session_state.features))
    w.network_configurator(n_inputs)

w.write_url(FIELDS)
try:
    setup = pg.from_values(st.session_state).validate()
except SpecError as err:
    w.show_spec_error(err)
    st.stop()
changed = pg.differences(setup, chosen.setup)
if changed:
    st.caption(f"✏️ Changed from the preset: {', '.join(changed)}. The text above describes the preset's own "
               "settings.")

data, run = w.run_for(PAGE, "pg", setup, pg.start, forget=("pg_slow", "pg_diagram"))   # a change starts afresh
labels = [feats.label(f) for f in setup.features]
note = setup.controls.batch_note(len(data.x_train))
if note:
    st.caption(f"ℹ️ {note}")


def reset():
    st.session_state.pg_data, st.session_state.pg_run = pg.start(setup)
    for key in ("pg_slow", "pg_diagram"):
        st.session_state.pop(key, None)


w.run_controls(PAGE, on_step=lambda: run.advance(1), on_epoch=run.until_epoch_end, on_reset=reset)
c = st.columns([2, 1, 1, 1])
c[0].slider("speed: updates per frame", 1, 100, key="speed")
c[1].toggle("test points", key="show_test", disabled=not len(data.x_test))
c[2].toggle("discretise output", key="discretize", help="Colour each point of the plane by its class (a > 0.5).")
c[3].radio("hidden space", [2, 3], key="hidden_dims", horizontal=True, format_func=lambda d: f"{d}-D")


def moving_figures(resolution: int, network: str) -> dict:
    """The figures painted frame by frame: the decision boundary, and the network ``network`` = 'full'
    (edges and maps), 'maps' (only its neuron maps change) or 'none'."""
    acc, test_acc = pg.current_accuracy(run)
    tested = f" · test {test_acc:.0%}" if test_acc is not None else ""
    big = boundary.plane_maps(run.net, setup.features, data.extent, resolution)
    s = st.session_state
    figs = {"boundary": fig.decision_boundary(big, data.x_train, data.y_train, data.x_test, data.y_test,
                                              show_test=s.show_test, discretize=s.discretize,
                                              title=f"epoch {run.epoch} · accuracy {acc:.0%}{tested}")}
    if network != "none":
        small = boundary.plane_maps(run.net, setup.features, data.extent, 20)
        c = setup.controls
        if network == "full" or s.get("pg_diagram") is None:
            sizes = " → ".join(map(str, c.sizes(len(labels))))     # each column names its activation below
            s.pg_diagram = fig.network_diagram(run.net, labels, small, title=f"{sizes} · "
                                               f"{c.param_count(len(labels)):,} parameters")
        else:
            s.pg_diagram = fig.with_neuron_maps(s.pg_diagram, run.net, small)
        figs["network"] = s.pg_diagram
    return figs


def frame(playing: bool) -> bool:
    """Advance the run (when playing) and draw it: a batch of frames, each ``speed`` updates apart.

    The boundary and the neuron maps change at every frame of the batch; the network's edges, whose
    redraw costs the browser far more, and the costs, hidden space and dead-ReLU meter, which move
    slowly, only at the newest.
    """
    batch = []
    frames = FRAMES_PER_RERUN if playing else 1
    every = 1 if run.net.param_count() <= BIG_NETWORK else 4
    for i in range(frames):
        if playing:
            run.advance(st.session_state.speed)
        last = i == frames - 1 or run.done
        network = "full" if last else ("maps" if i % every == every - 1 else "none")
        batch.append(moving_figures(40 if playing else 80, network))
        if run.done:
            break
    if run.status == "diverged":
        st.error(f"**The run diverged and stopped.** {run.last.reason}", icon="💥")
    elif run.done:
        st.success(f"{run.last.reason} Final training cost J = {run.train_losses[-1]:.4f}.", icon="✅")
    if run.done or not playing:
        for text in pg.explain(run, setup) if run.step else []:
            st.markdown(f"- {text}")
    left, right = st.columns([6, 5])
    with left:
        network = [f["network"] for f in batch if "network" in f]
        w.live_plot(network, key="pg_network", fps=25 * len(network) / len(batch))
    with right:
        w.live_plot([f["boundary"] for f in batch], key="pg_boundary")
    left, middle, right = st.columns([4, 4, 3])
    slow = slow_figures(fresh=not playing or run.done)
    for column, key in zip((left, middle, right), ("pg_cost", "pg_hidden", "pg_dead")):
        with column:
            w.live_plot(slow[key], key=key)
    return run.done


def slow_figures(fresh: bool) -> dict:
    """Costs, hidden space and dead-ReLU meter: while playing, redrawn every other rerun (they move slowly;
    an unchanged figure is not sent again), so the browser keeps its time for the boundary."""
    s = st.session_state
    s.pg_tick = s.get("pg_tick", 0) + 1
    cached = s.get("pg_slow")
    if cached is not None and not fresh and s.pg_tick % 2:
        return cached
    test_cost = f" · test {run.val_losses[-1]:.4f}" if run.val_losses and run.val_losses[-1] is not None else ""
    dead = run.dead_relu[-1] if run.dead_relu else None
    dims = s.hidden_dims
    s.pg_slow = {
        "pg_cost": fig.cost_curves(run.epochs, run.train_losses, run.val_losses,
                                   title=f"cost: training {run.train_losses[-1]:.4f}{test_cost}"
                                   if run.train_losses else "cost per epoch"),
        "pg_hidden": fig.hidden_space(boundary.hidden_space(run.net, run.f_train, dims), data.y_train,
                                      title="hidden space: what the output neuron sees", dims=dims),
        "pg_dead": fig.dead_relu_meter(run.epochs, run.dead_relu,
                                       title=f"dead ReLUs: {dead:.0%}" if dead is not None else "dead ReLUs"),
    }
    return s.pg_slow


w.live(PAGE, frame)
st.caption("Colours: orange = class 0 (output near 0), blue = class 1 (output near 1); the dark line is where the "
           "output is 0.5. Circles are training points, diamonds with a dark edge test points. Each small map "
           "shows what one neuron outputs at every point of the plane; edges are blue for positive weights, "
           "orange for negative, thicker for larger |w|. Hover a neuron for its weights. The hidden space shows "
           "the training points as the last hidden layer outputs them (with more units than axes: their first "
           "principal components); the dashed line is where the output neuron's z is 0.")

tab_step, tab_keras, tab_maths = st.tabs(["🔬 One sample, step by step", "🐍 Keras: code and the same run",
                                          "📖 The course's notation"])
with tab_step:
    st.caption("Pause, pick a training point and follow it through the network as it is now.")
    n_train = len(data.x_train)
    if not 1 <= st.session_state.get("sample", 1) <= n_train:
        st.session_state.sample = 1
    pick = st.number_input(f"training point (1 to {n_train})", 1, n_train, key="sample") - 1
    point = data.x_train[pick]
    st.caption(f"The point (x₁, x₂) = ({point[0]:.3f}, {point[1]:.3f}), class {data.y_train[pick, 0]:g}.")
    w.step_through_panel(run.net, run.f_train[pick], data.y_train[pick], setup.controls.loss,
                         setup.controls.lr, labels)
with tab_keras:
    st.markdown("The same network in Keras, as course 003 writes it. Copy it into a notebook and run it.")
    st.code(pg.export_code(setup), language="python")
    w.keras_comparison_panel(setup, run.initial_weights)
with tab_maths:
    st.markdown("Course 003 counts the input as layer 1; nnplay writes it a⁰ = x, so layer l = 1 is the first "
                "hidden layer and L the output. $w^l_{jk}$ is the weight from neuron k of layer l−1 to neuron j "
                "of layer l.")
    st.latex(r"z^l_j = \sum_k a^{l-1}_k\, w^l_{jk} + b^l_j \qquad a^l_j = f_l(z^l_j)")
    st.latex(r"\delta^L_j = \frac{\partial J}{\partial a^L_j} f'(z^L_j) \qquad "
             r"\delta^l_k = \Big(\sum_j w^{l+1}_{jk}\, \delta^{l+1}_j\Big) f'(z^l_k)")
    st.latex(r"\frac{\partial J}{\partial w^l_{jk}} = a^{l-1}_k\, \delta^l_j \qquad "
             r"w^l_{jk} := w^l_{jk} - \alpha \frac{\partial J}{\partial w^l_{jk}}")
    st.markdown("Each layer l has its activation $f_l$ (the same for every hidden layer unless set per layer). "
                "Regularisation adds $\\lambda\\sum w^2$ (L2) or $\\lambda\\sum |w|$ (L1) to J, per layer "
                "$\\lambda_l \\sum (w^l)^2$ when set per layer; dropout sets a "
                "hidden neuron's output to 0 with the chosen probability while training. A ReLU whose z is "
                "below 0 for every input is *dead*: its slope is 0, so no gradient reaches its weights again.")
w.share_link()
