"""Playground: a network learns a 2-D classification live — course 003's XOR story, and TensorFlow Playground's
own set-ups under its rules (paste its link; "Open in TensorFlow Playground" gives one back)."""
from dataclasses import replace

import streamlit as st

from nncore.data import features as feats
from nncore.data import tasks
from nncore.export import notebook as nb_export
from nncore.figures import playground_plots as fig
from nncore.lessons import boundary, configurator, presets
from nncore.lessons import playground_lab as pg
from nncore.lessons import tfplayground as tfp
from views.ui import own_data
from views.ui import timeline as timeline_ui
from views.ui.components import live_plot
from views.ui.configurator import network_configurator, network_props, tf_configurator, tf_props
from views.ui.fit import presenting
from views.ui.live import FRAMES_PER_RERUN, LiveRun
from views.ui.live import crowd as playing_here
from views.ui.playground_panels import keras_comparison_panel, pytorch_code_panel, step_through_panel
from views.ui.send_to_class import send_to_class
from views.ui.share import share_link
from views.ui.state import PageState, Prop, opening_link

PAGE = "playground"
BIG_NETWORK = 200             # above this many parameters the neuron maps are redrawn every 4th frame only
LIVE_EDGE_TEXTS = 1000        # a network with more weights gets its edges' hover texts only when paused
CROWD = 8                     # more students playing on this server: lighter frames (see frame())


def preset_now() -> presets.Preset:
    """The preset the controls start from: chosen on the page, else the link's, else the default."""
    slug = st.session_state.get(f"{PAGE}.preset") or opening_link(PAGE).get("preset", presets.DEFAULT)
    return presets.PRESETS.get(slug, presets.PRESETS[presets.DEFAULT])


def view_dims(setup) -> int:
    """The hidden space in 3-D when the last hidden layer has 3 units (then its axes are the units)."""
    return 3 if setup.controls.hidden and setup.controls.hidden[-1] == 3 else 2


def props_for(preset):
    """Every control's property, defaulting to the preset's values (so a link carries only changes)."""
    values = pg.to_values(preset.setup)
    return {
        "preset": Prop(presets.DEFAULT, options=list(presets.PRESETS)),
        "data": Prop(values["data"], options=list(pg.DATASETS)),
        "n": Prop(int(values["n"]), 4, pg.MAX_POINTS),
        "noise": Prop(float(values["noise"]), 0.0, 1.0),
        "test_ratio": Prop(float(values["test_ratio"]), 0.0, 0.9),
        "data_seed": Prop(int(values["data_seed"]), 0, 99_999),     # TF Playground's seeds 0.00000 … 0.99999
        "features": own_data.FeaturesProp(list(values["features"])),
        "classes": Prop(int(values["classes"]), 2, tasks.MAX_CLASSES),
        "radius": Prop(float(values["radius"]), 0.1, 1.2),
        **network_props(values),
        **tf_props(values),
        "speed": Prop(5, 1, 100),
        "show_test": Prop(True),
        "discretize": Prop(False),
        "hidden_dims": Prop(view_dims(preset.setup), 2, 3),
    }


S = PageState(PAGE, props_for(preset_now()))


def apply_preset(slug=None):
    """Set every control to the preset's value (a follow-up button passes its slug)."""
    if slug:
        S.preset = slug
    setup = presets.get(S.preset).setup
    for name, value in pg.to_values(setup).items():
        S[name] = value
    S.hidden_dims = view_dims(setup)


def open_tf_link():
    """The pasted TensorFlow Playground link: its set-up under its rules; what nnplay cannot honour is kept to
    be said in one sentence."""
    text = S.get("tf_link", "")
    if not text.strip():
        S.tf_note = "Paste a TensorFlow Playground link first (it starts with https://playground.tensorflow.org/#)."
        return
    values, note = tfp.to_values(tfp.parse(text))
    S.preset = "tensorflow-playground"
    for name, value in values.items():
        S[name] = value
    S.hidden_dims = 2
    S.tf_note = note or "nnplay honours every field of this link."


def rules_changed():
    """Switching the rules starts from that mode's default set-up (TF Playground's, or nnplay's own)."""
    apply_preset("tensorflow-playground" if S.rules == "tfplayground" else presets.DEFAULT)


def use_task_defaults(kind: str, keys=None) -> None:
    """Start from the default network of data of ``kind`` (another output needs another network):
    every control but the data's own, or only ``keys``."""
    default = presets.for_task(kind)
    values = pg.to_values(default)
    for name in keys or [k for k in values if k not in ("data", "classes", "noise", "data_seed")]:
        S[name] = values[name]
    S.hidden_dims = view_dims(default)


def task_changed():
    """Data of another kind (K classes, values) needs another output: start from that kind's default network
    (under TF Playground's rules its network stays: its output follows the data)."""
    kind = pg.from_values(S).task.kind
    if S.rules == "tfplayground":
        S.n = tfp.SAMPLES["regression" if kind == "regression" else "classification"]
    elif kind != S.get("pg_kind"):
        use_task_defaults(kind)


st.title("🧪 Playground: watch a network learn")
st.markdown("Choose data and a network, press ▶ Train, and watch the decision boundary form, neuron by neuron; "
            "course 003's XOR models are one click away.")
S.open()
TF = S.rules == "tfplayground"
PRESENT = presenting()      # presentation mode: laid out for a projector's 1280×720


def preset_panel():
    """The preset's choice, its story, TensorFlow Playground's link box and the presets to try next; the preset."""
    S.control(st.selectbox, "Preset", list(presets.PRESETS), key="preset", on_change=apply_preset,
              format_func=lambda s: presets.PRESETS[s].title,
              help="Each preset sets every control; a link can open one: /playground?preset=xor-model-1")
    chosen = presets.get(S.preset)
    st.info(chosen.story, icon="📘")
    with st.expander("🔗 TensorFlow Playground: open its link here", expanded=TF or bool(S.get("tf_note"))):
        st.caption("Paste a link of playground.tensorflow.org (its settings are after the #): the playground opens "
                   "that set-up under TensorFlow Playground's rules.")
        c = st.columns([5, 1])
        S.widget(c[0].text_input, "TensorFlow Playground link", key="tf_link", placeholder=tfp.DEFAULT_LINK,
                 label_visibility="collapsed")
        c[1].button("Open the link", key="tf_open", on_click=open_tf_link, width="stretch")
        if S.get("tf_note"):
            st.caption(f"ℹ️ {S.tf_note}")
    if chosen.follow_ups:
        cols = st.columns(len(chosen.follow_ups) + 1)
        cols[0].markdown("**Try next:**")
        for col, slug in zip(cols[1:], chosen.follow_ups):
            col.button(presets.PRESETS[slug].short, key=f"follow_{slug}", on_click=apply_preset, args=(slug,),
                       help=presets.PRESETS[slug].title, width="stretch")
    return chosen


# On a projector (presentation mode) all this folds into one line, so that the run's buttons and its figures fit a
# 720 px screen; the teacher tells the story.
with st.expander(f"📘 Preset: {presets.get(S.preset).title}") if PRESENT else st.container():
    chosen = preset_panel()

with st.sidebar:
    S.control(st.radio, "rules", configurator.RULES, key="rules", on_change=rules_changed, horizontal=True,
              format_func={"keras": "nnplay's (Keras's)", "tfplayground": "TensorFlow Playground's"}.get,
              help="TensorFlow Playground's rules: its data sets, a tanh output with labels ±1, cost ½(o − t)², "
                   "plain SGD, weights U[−0.5, 0.5) and biases 0.1, points in a fixed order, its L1/L2 and its "
                   "loss display (docs/TFPLAYGROUND.md). Switching starts from that mode's default.")
    st.markdown("**Data**")
    if TF and S.data not in pg.TFP_SETS:
        S.data = pg.TFP_SETS[0]
    S.control(st.selectbox, "data set", pg.TFP_SETS if TF else pg.DATASETS, key="data",
              format_func=pg.DATA_LABELS.get, on_change=task_changed)
    S.control(st.slider, "classes", 2, tasks.MAX_CLASSES, key="classes", on_change=task_changed,
              disabled=S.data not in pg.CLASS_SETS,
              help="Spiral arms or blobs, one per class. 3 or more: one softmax output per class.")
    gate = S.data in pg.GATE_SETS
    c = st.columns(2)
    drawn = gate or S.data == pg.OWN          # points that no generator makes
    S.control(c[0].number_input, "points", 4, pg.MAX_POINTS, key="n", disabled=drawn)
    S.control(c[1].number_input, "data seed", 0, 99_999, key="data_seed", disabled=gate)
    if TF:
        S.control(st.slider, "noise (TF Playground's %)", 0.0, max(0.5, S.noise), key="noise", step=0.05,
                  disabled=drawn,
                  format="%.2f",
                  help="TensorFlow Playground's noise / 100: each point is labelled where it would be after a "
                       "random move of up to noise × the domain's radius, but drawn where it is, so points near "
                       "the boundary may carry the other class.")
    else:
        S.control(st.slider, "noise", 0.0, 1.0, key="noise", step=0.05, disabled=drawn,
                  help="nnplay's noise: after labelling, each point moves by a normal draw scaled by the noise "
                       "(σ = 0.3 × noise for most of its sets), so some points cross the boundary. TensorFlow "
                       "Playground's sets read it as their noise / 100 instead.")
    S.control(st.slider, "test share", 0.0, 0.9, key="test_ratio", step=0.05, disabled=gate,
              help="Points kept out of training to test the network on data it has not seen.")
    if S.data == "disk":
        S.control(st.slider, "radius r", 0.1, 1.2, key="radius", step=0.05)
    if gate:
        st.caption("The 4 points of a truth table: all of them train; there is no test set.")
    S.control(st.multiselect, "input features", own_data.feature_options(S), key="features",
              format_func=feats.label,
              help="What the first layer sees of each point (TensorFlow Playground's features).")
    own_data.formula_adder(S)
    n_inputs = max(1, len(S.features))
    own = own_data.current(S)
    task = replace(pg.from_values(S), own=own).task
    if own is not None and task.kind != S.get("pg_kind"):    # a file or a click made another kind
        network = configurator.to_values(presets.for_task(task.kind).controls)
        use_task_defaults(task.kind, keys=[k for k in network if k != "rules"])   # the rules' radio is drawn
    if S.loss not in task.losses:
        st.warning(pg.loss_problem(S.loss, task) + f" Using {task.losses[0]}.", icon="🔁")
        S.loss = task.losses[0]
    S.pg_kind = task.kind
    if TF:
        tf_configurator(S, n_inputs, outputs=task.outputs, output_activation=task.output_activation)
    else:
        network_configurator(S, n_inputs, outputs=task.outputs, output_activation=task.output_activation,
                             losses=task.losses)

S.write_url()
own = own_data.own_points_panel(S) if S.data == pg.OWN else None
start_run = timeline_ui.start_from_kept("pg", lambda s, w: pg.start_with(s.validate(), pg.make_data(s), w))
lv = LiveRun(PAGE, "pg", start_run, forget=("pg_slow", "pg_curves", "pg_diagram", "pg_hover"))
setup = lv.validated(lambda: replace(pg.from_values(S), own=own).validate())
changed = pg.differences(setup, chosen.setup)
if changed:
    st.caption(f"✏️ Changed from the preset: {', '.join(changed)}. The text above describes the preset's own "
               "settings.")

timeline_ui.restart_if_asked("pg")            # after "↺ Same start θ₀"
data, run = lv.run_for(setup)                  # any change of a control starts afresh
labels = [feats.label(f) for f in setup.features]
task = data.task
note = setup.controls.batch_note(len(data.x_train))
if note:
    st.caption(f"ℹ️ {note}")

lv.controls(run)
line = timeline_ui.TimelineUI(PAGE, "pg", S, run, lambda w: pg.start_with(setup, data, w)[1],
                              settings=timeline_ui.lr_and_optimizer(tfp.LEARNING_RATES if TF else configurator.LRS,
                                                                    () if TF else configurator.OPTIMIZERS,
                                                                    configurator.OPTIMIZER_LABELS.get))
run = line.shown()                             # paused: the run at the frame the timeline shows
MAIN_HEIGHT = 310 if PRESENT else None         # on a projector the network and the boundary fit 720 px with the buttons


def view_options(c) -> None:
    """How the figures show the run (three columns ``c``)."""
    S.control(c[0].toggle, "test points", key="show_test", disabled=not len(data.x_test))
    S.control(c[1].toggle, "discretise output", key="discretize",
              help="Colour each point of the plane by its class (a > 0.5).")
    S.control(c[2].radio, "hidden space", [2, 3], key="hidden_dims", horizontal=True,
              format_func=lambda d: f"{d}-D")


if PRESENT:                                    # the speed beside the buttons, these options under the figures
    lv.speed(S)
else:
    c = st.columns([2, 1, 1, 1])
    lv.speed(S, c[0])
    view_options(c[1:])


def shown_maps(maps):
    """TF Playground's tanh output a ∈ [−1, 1] drawn on the plane's 0 … 1 scale as (a + 1)/2, so its boundary
    a = 0 is the dark line and its colours are TF Playground's (orange −1, blue +1)."""
    if task.output_activation != "tanh" or maps is None:
        return maps
    return boundary.PlaneMaps(maps.xs, maps.ys, [*maps.layers[:-1], (maps.layers[-1] + 1) / 2])


def moving_figures(resolution: int, network: str, note: str = "", hover: bool = True,
                   edge_texts: bool = True) -> dict:
    """The figures painted frame by frame: the decision boundary, and the network ``network`` = 'full'
    (edges and maps), 'maps' (only its neuron maps change) or 'none'; the plane's hover texts renewed
    at the newest frame when ``hover``; the edges' hover texts (one per weight) when ``edge_texts``."""
    big = shown_maps(boundary.plane_maps(run.net, setup.features, data.extent, resolution))
    s = st.session_state                     # this run's cached figures (pg_*); the settings are S
    small = shown_maps(boundary.plane_maps(run.net, setup.features, data.extent, 20)) if network != "none" else None
    if s.get("pg_hover") is None or (network == "full" and hover):   # hover texts: the newest frame only
        s.pg_hover = fig.plane_hover(small or shown_maps(boundary.plane_maps(run.net, setup.features, data.extent,
                                                                             20)), task)
    figs = {"boundary": fig.decision_boundary(big, data.x_train, data.y_train, data.x_test, data.y_test,
                                              show_test=S.show_test, discretize=S.discretize, task=task,
                                              hover=s.pg_hover, height=MAIN_HEIGHT or 430,
                                              title=f"epoch {run.epoch} · {pg.score_text(run)}{note}")}
    if network != "none":
        c = setup.controls
        if network == "full" or s.get("pg_diagram") is None:
            sizes = " → ".join(map(str, c.sizes(len(labels), task.outputs)))   # each column names its f below
            s.pg_diagram = fig.network_diagram(run.net, labels, small, title=f"{sizes} · "
                                               f"{c.param_count(len(labels), task.outputs):,} parameters",
                                               edge_texts=edge_texts, height=MAIN_HEIGHT)
        else:
            s.pg_diagram = fig.with_neuron_maps(s.pg_diagram, run.net, small)
        figs["network"] = s.pg_diagram
    return figs


def frame(playing: bool) -> bool:
    """Advance the run (when playing) and draw it: a batch of frames, each ``speed`` updates apart.

    The boundary changes at every frame of the batch, the neuron maps at every other (every 4th for a network
    of more than ``BIG_NETWORK`` parameters); the network's edges, whose redraw costs the browser far more,
    and the costs, hidden space and dead-ReLU meter, which move slowly, only at the newest. The edges of a
    network of more than ``LIVE_EDGE_TEXTS`` weights carry their hover texts (one per weight: 700 kB for
    8 × 24) only when paused, so that its live frames stay light for the other students (bench/fairness.py).

    When more than ``CROWD`` students play on this server at once, each frame is lighter (a 24×24
    boundary instead of 40×40; the neuron maps at the newest frame only; the slow figures every 4th
    rerun; the plane's hover texts renewed when paused) and a rerun carries twice the frames (a rerun's
    own cost is then shared by more of them): the server's one process then gives everyone live frames
    (docs/BENCHMARKS.md).
    """
    batch = []
    crowd = playing_here() if playing else 0
    crowded = crowd > CROWD
    frames = (2 * FRAMES_PER_RERUN if crowded else FRAMES_PER_RERUN) if playing else 1
    weights = sum(layer.W.size for layer in run.net.layers)
    every = frames if crowded else (2 if run.net.param_count() <= BIG_NETWORK else 4)
    note = f" · {crowd} training here: lighter frames" if crowded else ""
    for i in range(frames):
        if playing:
            run.advance(S.speed)
            line.capture()
        last = i == frames - 1 or run.done
        network = "full" if last else ("maps" if i % every == every - 1 else "none")
        batch.append(moving_figures((24 if crowded else 40) if playing else 80, network, note, hover=not crowded,
                                    edge_texts=not playing or weights <= LIVE_EDGE_TEXTS))
        if run.done:
            break
    left, right = st.columns([6, 5])
    with left:
        network = [f["network"] for f in batch if "network" in f]
        live_plot(network, key="pg_network", fps=25 * len(network) / len(batch))
    with right:
        live_plot([f["boundary"] for f in batch], key="pg_boundary")
    # what the run says, under the figures it is about (they keep their place when it appears)
    if setup.controls.tf_rules:
        st.markdown(tf_loss_text())
    if run.status == "diverged":
        st.error(f"**The run diverged and stopped.** {run.last.reason}", icon="💥")
    elif run.done:
        st.success(f"{run.last.reason} Final training cost J = {run.train_losses[-1]:.4f}.", icon="✅")
    if run.done or not playing:
        for text in pg.explain(run, setup) if run.step else []:
            st.markdown(f"- {text}")
    slow = slow_figures(fresh=not playing or run.done, every=4 if crowded else 2, curves_every=4 if crowded else 1)
    rows = ([("pg_cost", "pg_accuracy", "pg_confusion_train"), ("pg_hidden", "pg_dead", "pg_confusion_test")]
            if task.is_classification else [("pg_cost", "pg_hidden", "pg_dead")])
    for row in rows:
        for column, key in zip(st.columns([4, 4, 3]), row):
            with column:
                if key in slow:
                    live_plot(slow[key], key=key)
    return run.done


def tf_loss_text() -> str:
    """TF Playground's display: the training and test loss, ½(o − t)² averaged over each whole set, after the
    last epoch (before the first: as the weights start)."""
    if run.train_losses:
        train, test, when = run.train_losses[-1], run.val_losses[-1], f"epoch {run.epoch:,}"
    else:
        from nncore.engine import losses
        half = losses.get(tfp.LOSS)
        train = half.value(data.t_train, run.net.predict(run.f_train))
        test = half.value(data.t_test, run.net.predict(data.f_test)) if len(data.x_test) else None
        when = "before training"
    tested = f" · Test loss **{test:.6f}**" if test is not None else ""
    return (f"TensorFlow Playground's loss, {when}: Training loss **{train:.6f}**{tested} "
            "(½(o − t)² averaged over every point of the set)")


def slow_figures(fresh: bool, every: int = 2, curves_every: int = 1) -> dict:
    """The figures beside the boundary, which move slowly: while playing, the cost and accuracy curves are redrawn
    every ``curves_every`` rerun (the browser patches most of their frames: their axes move in steps), the hidden
    space, dead-ReLU meter and confusion matrices (plotly redraws those) every ``every`` rerun; an unchanged
    figure is not sent again. So the browser keeps its time for the boundary."""
    s = st.session_state
    s.pg_tick = s.get("pg_tick", 0) + 1
    due = lambda key, k: fresh or s.get(key) is None or not s.pg_tick % k      # noqa: E731
    if due("pg_curves", curves_every):
        s.pg_curves = curves()
    if due("pg_slow", every):
        s.pg_slow = others()
    return {**s.pg_slow, **s.pg_curves}


def curves() -> dict:
    """The cost per epoch and (classifying) the accuracy per epoch, each with its newest value in its title."""
    test_cost = f" · test {run.val_losses[-1]:.4f}" if run.val_losses and run.val_losses[-1] is not None else ""
    out = {"pg_cost": timeline_ui.with_earlier(fig.cost_curves(
        run.epochs, run.train_losses, run.val_losses, title=f"cost: training {run.train_losses[-1]:.4f}{test_cost}"
        if run.train_losses else "cost per epoch"), "pg")}
    if task.is_classification:
        acc, test_acc = pg.current_accuracy(run)
        tested = f" · test {test_acc:.0%}" if test_acc is not None else ""
        out["pg_accuracy"] = fig.accuracy_curves(run.epochs, run.accuracies, run.val_accuracies,
                                                 title=f"accuracy: training {acc:.0%}{tested}")
    return out


def others() -> dict:
    """The hidden space, the dead-ReLU meter and (classifying) the confusion matrices."""
    dead = run.dead_relu[-1] if run.dead_relu else None
    dims = S.hidden_dims
    out = {
        "pg_hidden": fig.hidden_space(boundary.hidden_space(run.net, run.f_train, dims), data.y_train,
                                      title="hidden space:<br>what the output layer sees", dims=dims, task=task),
        "pg_dead": fig.dead_relu_meter(run.epochs, run.dead_relu,
                                       title=f"dead ReLUs: {dead:.0%}" if dead is not None else "dead ReLUs"),
    }
    if task.is_classification:
        for part, name in (("train", "training"), ("test", "test")):
            if part == "train" or len(data.x_test):
                out[f"pg_confusion_{part}"] = fig.confusion_matrix(
                    pg.confusion(run, part), part=name, title=f"confusion matrix:<br>{name} points")
    return out


lv.show(frame)
if PRESENT:
    view_options(st.columns(3))
line.draw()                                    # paused: the timeline's slider, under the figures
COLOURS = {
    "binary": "Colours: orange = class 0 (output near 0), blue = class 1 (output near 1); the dark line is where "
              "the output is 0.5.",
    "multiclass": f"Colours: one per class (class 0 orange, 1 blue, 2 wine, 3 indigo, 4 sand: apart for colour-blind "
                  "eyes too); each point of the "
                  f"plane has its most probable class's colour, paler where the {task.outputs} softmax outputs are "
                  "less sure; dark lines are where the most probable class changes. The confusion matrices count "
                  "the points of each true class (rows) by the class the network gives them (columns).",
    "regression": "Colours: the network's value at every point of the plane, orange below 0 and blue above (the "
                  "colour bar); each point is coloured by its true value, so a point that stands out from the "
                  "plane's colour is one the network gets wrong.",
}
st.caption(COLOURS[task.kind] + " Circles are training points, diamonds with a dark edge test points. Each small "
           "map shows what one neuron outputs at every point of the plane; edges are blue for positive weights, "
           "orange for negative, thicker for larger |w|. Hover the plane, a neuron or an edge: one sentence says "
           f"what it shows (an edge of a network of over {LIVE_EDGE_TEXTS:,} weights: when paused). The hidden "
           "space shows the training points as the last hidden layer outputs them (with "
           "more units than axes: their first principal components); with one output, the dashed line is where "
           "the output neuron's z is 0.")

tab_step, tab_keras, tab_maths = st.tabs(["🔬 One sample, step by step", "🐍 Keras: code and the same run",
                                          "📖 The course's notation"])
with tab_step:
    st.caption("Pause, pick a training point and follow it through the network as it is now.")
    n_train = len(data.x_train)
    if not 1 <= S.get("sample", 1) <= n_train:
        S.sample = 1
    pick = S.widget(st.number_input, f"training point (1 to {n_train})", 1, n_train, key="sample") - 1
    point = data.x_train[pick]
    label = "value" if task.kind == "regression" else "class"
    st.caption(f"The point (x₁, x₂) = ({point[0]:.3f}, {point[1]:.3f}), {label} {data.y_train[pick, 0]:g}.")
    step_through_panel(run.net, run.f_train[pick], data.t_train[pick], setup.controls.loss,
                         setup.controls.lr, labels)
with tab_keras:
    if setup.controls.tf_rules:
        st.info("Under TensorFlow Playground's rules (its initialiser, its L1 rule, the carried batch, ½(o − t)²) "
                "the network is not a Keras model: switch the rules to nnplay's for the Keras code and the same "
                "run in Keras.", icon="ℹ️")
    else:
        st.markdown("The same network in Keras, as course 003 writes it. Copy it into a notebook and run it.")
        st.code(pg.export_code(setup), language="python")
        keras_comparison_panel(setup, run.initial_weights)
        st.download_button("⬇ Notebook (.ipynb)", lambda: nb_export.to_bytes(nb_export.build(
            setup, data, run.initial_weights, run.epoch or setup.controls.epochs, pg.explain(run, setup))),
            file_name="nnplay-playground.ipynb", mime="application/x-ipynb+json", on_click="ignore",
            help="A Jupyter notebook: this data set, this network in Keras from the same θ₀, trained on the same "
                 f"batches for the {run.epoch or setup.controls.epochs:,} epochs shown; it ends on the page's numbers.")
    pytorch_code_panel(setup, run.initial_weights)
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
tf_link, why_not = tfp.link_for({**pg.to_values(setup), "show_test": S.show_test, "discretize": S.discretize})
if tf_link:
    st.link_button("Open in TensorFlow Playground", tf_link, icon="↗️")
else:
    st.caption(f"Open in TensorFlow Playground: not this set-up, because {'; '.join(why_not)}.")
share_link(S)
line.gif_button("pg_gif")          # ⬇ GIF of the run so far (nncore/export/gif.py)
send_to_class(S, run, setup.data)       # 📤 only when this session joined a class (/class)
