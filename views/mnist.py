"""MNIST: look at the digits, build a network (or take the course's), watch it learn, test it, let it read yours."""
import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from nncore.board import figures as board_figures
from nncore.data import datasets, digits
from nncore.engine import conv_specs
from nncore.engine.specs import SpecError
from nncore.figures import mnist_plots as fig
from nncore.keras import upload_check
from nncore.lessons import mnist_lab as lab
from views.ui import components
from views.ui import streamlit_hooks as hooks
from views.ui.components import digit_canvas, live_plot
from views.ui.live import live, set_playing
from views.ui.messages import as_text, bad_input, show_spec_error
from views.ui.send_to_class import send_figures
from views.ui.share import share_link
from views.ui.shortcuts import MNIST_KEYS, MNIST_LEGEND, shortcuts
from views.ui.state import PageState, Prop, opening_link

hooks.keep_keras_between_reruns()     # else every rerun resets Keras under the training thread
PAGE = "mnist"
L = conv_specs.CONV_LIMITS
LIMITS_TEXT = (f"at most {L.max_layers} layers (the output Dense(10, softmax) is added after them), 1–{L.max_filters} "
               f"filters, kernels 1×1 to {L.max_kernel}×{L.max_kernel}, stride 1–{L.max_stride}, pooling 1×1 to "
               f"{L.max_pool}×{L.max_pool}, 1–{L.max_units} neurons per Dense layer, dropout 0–{L.max_dropout:g}, "
               f"{L.max_parameters:,} parameters in all")
LAYER_HELP = (f"Layers separated by commas, first to last: {conv_specs.GRAMMAR}. Example: "
              f"`{lab.SMALL_CNN}`. Limits: {LIMITS_TEXT}.")
LRS = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0]
BATCHES = [8, 16, 32, 64, 128, 256]


def props_for(preset: lab.Preset) -> dict:
    """The controls a link can set; their defaults are the preset's, so a link carries only what differs."""
    v = preset.values()
    return {
        "preset": Prop(lab.DEFAULT_PRESET, options=list(lab.PRESETS)),
        "layers": Prop(v["layers"]),        # a layer list (conv, pool, …); validated with the network below
        "hidden": Prop(v["hidden"]),
        "activation": Prop(v["activation"], options=list(lab.ACTIVATIONS)),
        "dropout": Prop(v["dropout"], 0.0, 0.5),
        "optimizer": Prop(v["optimizer"], options=list(lab.OPTIMIZERS)),
        "lr": Prop(v["lr"], options=LRS),
        "batch_size": Prop(v["batch_size"], options=BATCHES),
        "epochs": Prop(v["epochs"], 1, 20),
        "val_split": Prop(v["val_split"], 0.0, 0.5),
        "n_train": Prop(v["n_train"], 500, 60_000),
        "seed": Prop(v["seed"], 0, 10_000),
        "run": Prop("", teachable=False),   # the Keras run this tab watches: a reload finds it (nncore.keras.jobs)
    }


@st.cache_resource(show_spinner="Loading the MNIST digits…")
def mnist_data():
    return datasets.mnist("auto")


@st.cache_resource(show_spinner=False)
def mnist_arrays():
    """The digits as Keras takes them, once per server: every run trains on read-only views of them."""
    return lab.training_arrays(mnist_data())


@st.cache_resource(show_spinner=False)
def explorer():
    d = mnist_data()
    return dict(samples=lab.samples_per_class(d.x_train, d.y_train, 10), means=lab.mean_images(d.x_train, d.y_train),
                counts=(lab.class_counts(d.y_train), lab.class_counts(d.y_test)))


def reattach(run_id: str, net, train, n_fit: int) -> None:
    """Take over the Keras run ``run_id`` of this tab after a reload, or say plainly why it is gone."""
    from nncore.keras import jobs

    job = jobs.find(run_id)
    if job is None or not jobs.adopt(job, hooks.owner()):
        st.info("The run this link watched is no longer on the server (it ended more than 30 minutes ago, its "
                "tab was closed too long, or the server restarted). Press ▶ Train to start again.", icon="🔁")
        S.run = ""
        return
    s.mnist_job = job
    s.mnist_run_number = s.get("mnist_run_number", 0) + 1
    s.mnist_job_info = dict(number=s.mnist_run_number, net=net, train=train, n_fit=n_fit)
    s.mnist_model, s.mnist_model_label = job.model, "the network you were training before the reload"
    set_playing(PAGE, not job.done)
    st.success("Found your run again after the reload" + ("; it is still training." if not job.done else "."),
               icon="🔁")


def mlp_cnn_rnn() -> None:
    """Course 004's comparison of MLP, CNN and RNN, with a link to the CNN preset; RNNs are not trained here."""
    with st.expander("MLP, CNN or RNN? (course 004)"):
        st.markdown(
            "Course 004 sets three deep architectures side by side. An **MLP** (the dense networks above) "
            "flattens the digit into 784 numbers and gives every pixel its own weight in every neuron: the "
            "parameters grow fast with the image size and the 2-D layout is lost. A **CNN** learns its filters "
            "itself, keeps the spatial layout (a stroke is found wherever it is) and shares parameters (one "
            "3 × 3 filter slides over the whole image). An **RNN** reads a sequence step by step and shares its "
            "parameters across time steps.\n\n"
            "| | MLP | RNN | CNN |\n|---|---|---|---|\n"
            "| data | tabular | sequences (time series, text, audio) | images |\n"
            "| recurrent connections | no | yes | no |\n| parameter sharing | no | yes | yes |\n"
            "| spatial relationship | no | no | yes |\n| vanishing & exploding gradient | yes | yes | yes |\n\n"
            "Try the CNN: [**a small CNN**](?preset=small-cnn) (Conv 16 → pool → Conv 32 → pool → Dense 10) "
            "has half the parameters of course 003's 784-32-10 and reads digits better; train both and compare "
            "them in the table under step 3. **nnplay does not train RNNs**: a digit is an image, not a sequence, "
            "and no page here builds a recurrent layer.")


def code_exports(net, train, n_train: int) -> None:
    """The network and its training as Keras code and as PyTorch code (``nncore.export.mnist``), each to download."""
    from nncore.export import mnist as mnist_export
    from nncore.export.torch_code import ExportError

    try:
        code = mnist_export.export(net, train, n_train)
    except ExportError as err:
        st.caption(as_text(str(err)))
        return
    for title, text, source, name, key in (
            ("🐍 Keras code", "This network and its training in Keras, in course 002's steps: load MNIST, scale the "
             "pixels, build, compile, fit, evaluate. `build_model()` makes the model; running the file trains it.",
             code.keras, code.keras_file, "keras"),
            ("🔥 PyTorch code", "The same network in PyTorch, the way course 001 writes it (a `torch.nn.Module`), with "
             "Keras's initialisers and batch norm's settings, trained on the same digits (the same `mnist.npz`).",
             code.torch, code.torch_file, "torch")):
        with st.expander(title):
            st.markdown(text)
            st.code(source, language="python")
            st.download_button(f"⬇ The {title.split()[1]} code (.py)", source, file_name=name, mime="text/x-python",
                               on_click="ignore", key=f"mnist_{key}_download")


def apply_preset(slug: str) -> None:
    S.preset = slug
    for name, value in lab.PRESETS[slug].values().items():
        S[name] = value


s = st.session_state
st.title("🔢 MNIST: a real network on real handwriting")
st.markdown("A Keras network with 784 inputs (one per pixel) and 10 softmax outputs learns to read "
            "handwritten digits while you watch; then it reads yours.")
slug = s.get(f"{PAGE}.preset") or opening_link(PAGE).get("preset")
S = PageState(PAGE, props_for(lab.PRESETS.get(slug, lab.PRESETS[lab.DEFAULT_PRESET])))
S.open()
data = mnist_data()
if S.n_train > len(data.x_train):       # a link made on a server with more digits
    bad_input(f"The link asks for {S.n_train:,} training digits; this server has "
                f"{len(data.x_train):,}.", fallback=f"all {len(data.x_train):,}")
    S.n_train = len(data.x_train)
st.caption(f"📦 {data.description} (source: `{data.source}`).")

with st.sidebar:
    preset = lab.PRESETS[S.preset]
    changed = lab.preset_changes(preset, S)
    st.markdown(f"**Starting point:** {preset.label}" + (f" · you changed: {', '.join(changed)}" if changed else ""))
    st.markdown("**Network** 784 → hidden layers → 10 (softmax), or a layer list (convolutions) → 10")
    S.control(st.text_input, "layer list (empty: the dense network below)", key="layers",
              placeholder="conv(16, 3), pool(2), flatten", help=LAYER_HELP)
    if str(S.layers).strip():
        st.caption("The layer list is the network: the three dense controls below are not used.")
    S.control(st.text_input, "hidden layers (neurons, comma-separated)", key="hidden", help="128 · 256, 64 · 32")
    S.control(st.selectbox, "activation (hidden layers)", lab.ACTIVATIONS, key="activation")
    S.control(st.slider, "dropout after each hidden layer", 0.0, 0.5, key="dropout", step=0.05)
    st.markdown("**Training** (categorical cross-entropy)")
    S.control(st.selectbox, "optimiser", lab.OPTIMIZERS, key="optimizer", format_func=lab.OPTIMIZER_LABELS.get)
    S.control(st.select_slider, "learning rate α", LRS, key="lr", format_func=lambda v: f"{v:g}")
    S.control(st.select_slider, "batch size", BATCHES, key="batch_size")
    S.control(st.number_input, "epochs", 1, 20, key="epochs")
    S.control(st.number_input, "training digits", 500, len(data.x_train), key="n_train", step=500,
                    help=f"Up to {len(data.x_train):,}; fewer train faster.")
    S.control(st.slider, "validation share (kept from the training digits)", 0.0, 0.5, key="val_split", step=0.05,
              help="The last share of the training digits: never trained on, scored after every epoch.")
    S.control(st.number_input, "seed (initial weights, dropout, batch order)", 0, 10_000, key="seed")
S.write_url()
with st.sidebar:
    share_link(S)

st.subheader("1 · The digits")
ex = explorer()
tabs = st.tabs(["Ten of each digit", "One digit as numbers", "The average digit", "How many of each"])
tabs[0].image(fig.digit_grid(ex["samples"], cols=10, scale=2),
              caption="Row k holds the first ten training images of digit k: the same digit, many hands.")
with tabs[1]:
    c = st.columns([1, 3])
    i = c[0].number_input("training image number", 0, len(data.x_train) - 1, 0, key="mnist_pixel_index")
    c[0].image(fig.digit_grid(data.x_train[i][None], cols=1, scale=5), caption=f"labelled {data.y_train[i]}")
    c[0].markdown("**28 × 28 = 784 inputs after flattening.** Each number is one pixel's ink, from 0 (paper) "
                  "to 255; the network reads them row after row as one list a⁰ of 784 values, divided by 255.")
    components.figure(fig.pixel_values(data.x_train[i]), key="mnist_pixels", where=c[1])
tabs[2].image(fig.digit_grid(ex["means"], cols=10, scale=4),
              caption="The mean of every training image of each digit 0…9: where its ink usually is.")
components.figure(fig.class_counts(*ex["counts"]), key="mnist_counts", where=tabs[3])

st.subheader("2 · The network")
cols = st.columns(len(lab.PRESETS)) if not S.is_hidden("preset") else []     # the teacher's hide=preset
for col, p in zip(cols, lab.PRESETS.values()):
    col.button(("🔒 " if S.is_locked("preset") else "") + p.label, key=f"mnist_preset_{p.slug}", on_click=apply_preset,
               args=(p.slug,), width="stretch", disabled=S.is_locked("preset"),
               type="primary" if p.slug == S.preset and not changed else "secondary")
    col.caption(f"{lab.architecture(p.network())} · {p.network().param_count():,} parameters · "
                f"[link](?preset={p.slug})")
st.caption(preset.story)
try:
    net = lab.page_network(S.layers, S.hidden, S.activation, S.dropout, int(S.seed))
    train = lab.train_spec(S.optimizer, float(S.lr), int(S.batch_size), int(S.epochs), float(S.val_split),
                           int(S.seed))
    lab.check_run_size(net, train, lab.fit_sizes(min(int(S.n_train), len(data.x_train)), train.val_split)[0])
except (SpecError, ValueError) as err:
    show_spec_error(err)
    st.stop()
c = st.columns([3, 1])
c[0].dataframe(pd.DataFrame(lab.layer_table(net)), hide_index=True, width="stretch",
               column_config={"parameters": st.column_config.NumberColumn(format="localized"),
                              "multiply-adds": st.column_config.NumberColumn(format="localized")})
c[1].metric("parameters to learn", f"{net.param_count():,}")
c[1].caption(f"{lab.architecture(net)}: the sum of the table's parameters column, as `model.count_params()` counts.")
if lab.is_layer_list(net):
    c[1].caption(f"{net.macs():,} multiply-adds per digit (forward pass): a filter's weights work at every "
                 f"position of its map. Shapes and counts come from nnplay, not TensorFlow. Limits: {LIMITS_TEXT}.")
mlp_cnn_rnn()
with st.expander("Keras's own `model.summary()`"):
    if st.button("Build this network in Keras", key="mnist_summary_build"):
        with st.spinner("Loading TensorFlow…"):
            hooks.load_tensorflow()
            s.mnist_summary = (net, lab.keras_summary(net))
    if s.get("mnist_summary") and s.mnist_summary[0] == net:
        st.code(s.mnist_summary[1], language=None)
    else:
        st.caption("Loads TensorFlow (a few seconds), builds the network and prints Keras's summary.")
with st.expander("TensorFlow here: version, devices, GPU (course 002's check)"):
    if st.button("Ask TensorFlow", key="mnist_tf_info"):
        with st.spinner("Loading TensorFlow…"):
            hooks.load_tensorflow()
            s.mnist_tf = lab.tensorflow_info()
    if s.get("mnist_tf"):
        info = s.mnist_tf
        st.markdown(f"TensorFlow **{info['tensorflow']}**, Keras **{info['keras']}** · devices: "
                    f"{', '.join(f'`{d}`' for d in info['devices'])} · a new tensor lives on `{info['tensor_device']}`")
        (st.success if info["gpu"] else st.info)(
            "A GPU is available and used." if info["gpu"] else "No GPU here: TensorFlow trains on the CPU.")
    else:
        st.caption("`tf.config.list_physical_devices('GPU')` and where `tf.random.uniform([3, 3])` lives.")

code_exports(net, train, min(int(S.n_train), len(data.x_train)))

st.subheader("3 · Train")
n_train = min(int(S.n_train), len(data.x_train))
n_fit, n_val = lab.fit_sizes(n_train, train.val_split)
if s.pop("mnist_start", False):
    with st.spinner("Loading TensorFlow and building the network…"):
        hooks.load_tensorflow()
        s.mnist_job = lab.start_training(data, net, train, n_train, arrays=mnist_arrays(), owner=hooks.owner())
    s.mnist_run_number = s.get("mnist_run_number", 0) + 1
    s.mnist_job_info = dict(number=s.mnist_run_number, net=net, train=train, n_fit=n_fit)
    s.mnist_model, s.mnist_model_label = s.mnist_job.model, "the network you are training"
    S.run = s.mnist_job.run_id
    set_playing(PAGE, True)
elif s.get("mnist_job") is None and S.run:         # a reload (a new session) while a run of this tab trains
    reattach(S.run, net, train, n_fit)
S.write_url()                                      # the run's id in the link (or no longer)
job = s.get("mnist_job")
active = job is not None and not job.done


def start():
    if s.get("mnist_job") is not None:
        s.mnist_job.stop()
    s.mnist_start = True


def stop():
    if s.get("mnist_job") is not None:
        s.mnist_job.stop()


c = st.columns([1, 1, 4])
c[0].button("▶ Train", key="mnist_train", type="primary", on_click=start, disabled=active, width="stretch")
c[1].button("⏹ Stop", key="mnist_stop", on_click=stop, disabled=not active, width="stretch",
            help="Ends training after the batch in progress; the network keeps what it has learned.")
shortcuts("mnist", MNIST_KEYS, MNIST_LEGEND)
c[2].caption(f"{train.epochs} epochs of {n_fit:,} training digits in batches of {train.batch_size}; "
             + (f"{n_val:,} more are the validation set (never trained on)." if n_val else "no validation set.")
             + f" The {len(data.x_test):,} test digits stay apart for step 4. "
             + lab.run_size_note(net, train, n_fit))


def frame(playing: bool) -> bool:
    run = s.get("mnist_job")
    if run is None:
        st.caption("Press ▶ Train to start. Loss and accuracy appear here, batch by batch.")
        return True
    kind, text, progress = lab.status_message(run)
    if kind == "progress":
        st.progress(progress, text=text)
    else:
        getattr(st, kind)(text)
    if s.get("mnist_curves") is None or s.mnist_curves.metrics is not run.metrics:
        s.mnist_curves = lab.LiveCurves(run.metrics)
    s.mnist_curves.pull()
    epochs = run.metrics.epochs_since(0)
    cols = st.columns(2)
    with cols[0]:
        live_plot(fig.training_curves(s.mnist_curves, epochs, "loss"), key="mnist_loss")
    with cols[1]:
        live_plot(fig.training_curves(s.mnist_curves, epochs, "accuracy"), key="mnist_accuracy")
    st.markdown("**Design flow (course 001)**: start small, watch training and validation loss, grow the "
                "network while both fall, stop when the gap between them grows.")
    cols = st.columns([3, 2])
    with cols[0]:
        live_plot(fig.loss_gap(epochs), key="mnist_gap")
    advice = lab.design_advice(epochs)
    if advice:
        kind, text = advice
        getattr(cols[1], kind)(text)
        cols[1].dataframe(pd.DataFrame(lab.history_rows(epochs)).drop(columns=["batches"]), hide_index=True,
                          column_config={"seconds": st.column_config.NumberColumn("time (s)", format="%.1f")})
    cols[1].caption("Keras's training loss is the mean over the epoch while the weights still moved, with dropout "
                    "on; the validation loss is measured at the end of the epoch. So early on it can sit lower.")
    return run.done


live(PAGE, frame, interval=1.0)

def trained_figures(model, score) -> dict:
    """What 📤 Send to class sends of the network under test: its training (when this page trained it)."""
    ours = job is not None and job.model is model and info
    return board_figures.keras_figures(
        "mnist", info["net"].param_count() if ours else model.count_params(), score.accuracy,
        job.metrics.epochs_since(0) if ours else (), info["train"].optimizer if ours else None,
        info["train"].lr if ours else None, job.status if ours else "")


def score_model(model, key) -> None:
    """The test score and what the first layer learnt, once per network (Keras calls cost more than the layout)."""
    if s.get("mnist_score_key") == key:
        return
    s.mnist_score, s.mnist_score_key = lab.score(model, data.x_test, data.y_test), key
    try:
        s.mnist_weights = ("neurons", lab.first_layer_weights(model, 32))
    except ValueError as err:
        try:
            s.mnist_weights = ("filters", lab.conv_filters(model))
        except ValueError:
            s.mnist_weights = ("none", str(err))


runs = s.setdefault("mnist_runs", [])
info = s.get("mnist_job_info")
if job is not None and job.done and info and info["number"] not in {r["run"] for r in runs}:
    if job.status != "failed" and job.metrics.epochs_since(0):
        score_model(job.model, (id(job.model), len(job.metrics)))
        runs.append(lab.run_row(info["number"], info["net"], info["train"], job.metrics.epochs_since(0),
                                info["n_fit"], job.status, s.mnist_score.accuracy))
if runs:
    st.markdown("**Compare runs** (this session): depth vs width, with or without dropout, MLP vs CNN. Change the "
                "network in the sidebar and train again; each finished run adds a row (test accuracy on the "
                f"{len(data.x_test):,} test digits, time per epoch on this server).")
    st.dataframe(pd.DataFrame(runs), hide_index=True, width="stretch", column_config={
        "best val accuracy": st.column_config.NumberColumn(format="percent"),
        "test accuracy": st.column_config.NumberColumn(format="percent"),
        "parameters": st.column_config.NumberColumn(format="localized")})
    st.button("Clear the table", key="mnist_clear_runs", on_click=runs.clear)

with st.expander("📂 …or load a network you saved (.keras)", expanded=bool(s.get("mnist_load_error"))):
    upload_model = st.file_uploader("A .keras file from this page or from Keras", type=["keras"],
                                    key="mnist_model_file", disabled=active)
    if upload_model is not None and s.get("mnist_model_file_id") != upload_model.file_id:
        s.mnist_model_file_id = upload_model.file_id
        try:
            upload_check.check(upload_model.getvalue())      # sizes, layers, nesting: before TensorFlow loads
            with st.spinner("Loading TensorFlow and reading the file…"):
                hooks.load_tensorflow()
                s.mnist_model = lab.load_digit_model(upload_model.getvalue())
            s.mnist_model_label = f"loaded from {upload_model.name}"
            s.mnist_load_error = None
        except ValueError as err:
            s.mnist_load_error = f"{upload_model.name}: {err}"
    if s.get("mnist_load_error"):
        st.error(as_text(s.mnist_load_error))
    st.caption("Only plain Keras layers load: a file with a Lambda layer or custom code is refused (safe mode). "
               "Dense networks and convolutional ones (Conv2D, pooling, batch norm) load within the builder's limits.")

model = s.get("mnist_model")
if active or model is None or (job is not None and job.model is model and not job.metrics.latest()[0]):
    st.stop()      # nothing to test yet: no network, or it is still training

st.subheader("4 · Test")
st.caption(f"On {len(data.x_test):,} test digits the network never trained on nor was validated on "
           f"({as_text(s.mnist_model_label)}).")
score_model(model, (id(model), len(job.metrics) if job is not None and job.model is model else -1))
score = s.mnist_score
c = st.columns([1, 2])
c[0].metric("test accuracy", f"{score.accuracy:.1%}")
send_figures(S, lambda: trained_figures(model, score))    # 📤 once this session joined a class (/class)
wrong = np.flatnonzero(score.predicted != data.y_test)[:20]
if len(wrong):
    guesses = [str(g) for g in score.predicted[wrong]]
    c[0].image(fig.digit_grid(data.x_test[wrong], cols=5, scale=2),
               caption="Misread test digits. The network read them, row by row, as: "
                       + " · ".join(" ".join(guesses[r:r + 5]) for r in range(0, len(guesses), 5)))
components.figure(fig.confusion(score.confusion), key="mnist_confusion", where=c[1])
c = st.columns([2, 3])
components.figure(fig.per_class_accuracy(lab.per_class_accuracy(score.confusion)), key="mnist_per_class", where=c[0])
kind, weights = s.mnist_weights
if kind == "none":
    c[1].caption(weights)
elif kind == "filters":
    k = weights.shape[1]
    c[1].image(fig.filter_grid(weights), caption=f"The {len(weights)} filters of the first convolution, each "
               f"its {k} × {k} weights (scaled to its largest): learnt from the digits, not drawn by hand "
               "(course 004). Blue weights raise z where the ink is, orange ones lower it: edges, strokes, corners. "
               f"Each filter slides over the whole digit: {k}·{k} + 1 parameters serve all its positions.")
else:
    c[1].image(fig.weight_grid(weights, cols=8), caption=f"The first {len(weights)} neurons of the first layer: "
               "each one's 784 weights as a 28 × 28 image (scaled to its largest weight). Blue pixels raise its z, "
               "orange ones lower it; a neuron that learned little still shows its random start, like noise.")

def what_the_cnn_sees(model, final, read_key) -> None:
    """Each convolution's and pooling's feature maps for the student's digit, and one pixel's arithmetic."""
    if s.get("mnist_maps_key") != read_key:
        s.mnist_maps, s.mnist_maps_key = lab.feature_maps(model, final), read_key
    maps = s.mnist_maps
    st.markdown("**What the CNN sees in your digit**: each feature map shows where its filter found its pattern "
                "(blue: strongly, white: not at all). Pooling keeps the strongest of each 2 × 2 block, so the "
                "maps shrink while the pattern stays.")
    tabs = st.tabs([f"{i + 1} · {name} {m.shape[0]}×{m.shape[1]}×{m.shape[2]}" for i, (name, m) in enumerate(maps)])
    for tab, (name, m) in zip(tabs, maps):
        tab.image(fig.feature_map_grid(m), caption=f"{name}: {min(m.shape[2], 32)} of its {m.shape[2]} maps, "
                  f"{m.shape[0]} × {m.shape[1]} each, for your digit.")
    if type(model.layers[0]).__name__ != "Conv2D":
        return                      # the list starts with pooling or batch norm: map 1 does not read the pixels
    first = maps[0][1]
    with st.expander("One pixel of the first feature map, by hand (as CNN Explainer shows it)"):
        c = st.columns(3)
        f = c[0].number_input("feature map (filter)", 0, first.shape[2] - 1, 0, key="mnist_patch_f")
        i = c[1].number_input("row", 0, first.shape[0] - 1, first.shape[0] // 2, key="mnist_patch_i")
        j = c[2].number_input("column", 0, first.shape[1] - 1, first.shape[1] // 2, key="mnist_patch_j")
        step = lab.patch_arithmetic(model, final, int(f), int(i), int(j))
        components.figure(fig.patch_arithmetic(step), key="mnist_patch")
        st.markdown(f"`{step.sentence()}`; the feature map holds {float(first[i, j, f]):.3f} there. The filter "
                    "slides one stride further for the next pixel, with the same weights (parameter sharing).")


st.subheader("5 · Your digit")
draw, upload = st.tabs(["✏️ Draw", "📁 Upload a photo"])
with draw:
    image = digit_canvas("mnist_canvas")
with upload:
    file = st.file_uploader("A PNG or JPEG of one digit", type=["png", "jpg", "jpeg"], key="mnist_upload")
    if file is not None:
        image = file.getvalue()
if image is None:
    st.caption("Draw a digit (big, in the middle) or upload a photo of one.")
else:
    # Read each digit once per network, not at every rerun: decoding a photo and a Keras call cost far
    # more than the page's layout, and TensorFlow keeps a little of every call.
    read_key = (s.get("mnist_score_key"), hashlib.sha1(image).hexdigest())
    if s.get("mnist_read_key") != read_key:
        try:
            final = digits.preprocess(image)
            s.mnist_read = (final, lab.guess(model, final), None)
        except ValueError as err:
            s.mnist_read = (None, None, str(err))
        s.mnist_read_key = read_key
    final, p, problem = s.mnist_read
    if problem:
        st.warning(as_text(problem), icon="✏️")
    else:
        c = st.columns([1, 2])
        c[0].image(fig.digit_grid(final[None], cols=1, scale=6),
                   caption="What the network gets: 28×28, the digit 20 px high, centred by its mass")
        c[0].metric("the network reads", str(int(p.argmax())), f"{p.max():.0%} sure", delta_color="off")
        components.figure(fig.probabilities(p), key="mnist_guess", where=c[1])
        if s.mnist_weights[0] == "filters":
            what_the_cnn_sees(model, final, read_key)

st.subheader("6 · Keep the network")
c = st.columns(2)
c[0].download_button("⬇ Download the model (.keras)", data=lambda: lab.model_bytes(model), file_name="mnist.keras",
                     mime="application/octet-stream", key="mnist_download",
                     help="Open it in Keras with keras.saving.load_model('mnist.keras').")
if job is not None and job.model is model:
    c[1].download_button("⬇ Training history (.csv)", data=lab.history_csv(job.metrics.epochs_since(0)),
                         file_name="mnist-history.csv", mime="text/csv", key="mnist_history",
                         help="One row per epoch: loss, accuracy, val_loss, val_accuracy, seconds.")
