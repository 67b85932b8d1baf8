"""MNIST: a Keras network learns handwritten digits live, then reads the digit you draw."""
import numpy as np
import streamlit as st

from nncore import datasets, digits, keras_jobs, mnist_lab as lab
from nncore.figures import mnist as fig
from nncore.specs import SpecError
from views import sessions, widgets as w

PAGE = "mnist"
LRS = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0]
FIELDS = {
    "hidden": w.UrlField("128"),
    "activation": w.UrlField("relu", options=["relu", "sigmoid", "tanh", "leaky_relu"]),
    "dropout": w.UrlField(0.0, 0.0, 0.5),
    "optimizer": w.UrlField("adam", options=["adam", "sgd", "momentum", "rmsprop"]),
    "lr": w.UrlField(1e-3, options=LRS),
    "batch_size": w.UrlField(32, options=[8, 16, 32, 64, 128, 256]),
    "epochs": w.UrlField(3, 1, 20),
    "n_train": w.UrlField(8000, 500, 60_000),
}


@st.cache_resource(show_spinner="Loading the MNIST digits…")
def mnist_data():
    return datasets.mnist("auto")


@st.cache_resource(show_spinner=False)
def mnist_arrays():
    """The digits as Keras takes them, once per server: every run trains on read-only views of them."""
    return lab.training_arrays(mnist_data())


st.title("🔢 MNIST: a real network on real handwriting")
st.markdown("A Keras network with 784 inputs (one per pixel) and 10 softmax outputs learns to read "
            "handwritten digits while you watch; then it reads yours.")
w.url_state(FIELDS, PAGE)
w.keep_defaults(FIELDS)
data = mnist_data()
if st.session_state.n_train > len(data.x_train):       # a link made on a server with more digits
    w.bad_input(f"The link asks for {st.session_state.n_train:,} training digits; this server has "
                f"{len(data.x_train):,}.", fallback=f"all {len(data.x_train):,}")
    st.session_state.n_train = len(data.x_train)
st.caption(f"📦 {data.description} (source: `{data.source}`).")
st.image(fig.digit_grid(data.x_train[:20], cols=20, scale=2), caption="The first 20 training digits: "
         + " ".join(str(d) for d in data.y_train[:20]))

with st.sidebar:
    st.markdown("**Network** 784 → hidden → 10")
    st.text_input("hidden layers (neurons, comma-separated)", key="hidden")
    st.selectbox("activation", FIELDS["activation"].options, key="activation")
    st.slider("dropout", 0.0, 0.5, key="dropout", step=0.05)
    st.markdown("**Training** (categorical cross-entropy)")
    st.selectbox("optimiser", FIELDS["optimizer"].options, key="optimizer")
    st.select_slider("learning rate α", LRS, key="lr", format_func=lambda v: f"{v:g}")
    st.select_slider("batch size", FIELDS["batch_size"].options, key="batch_size")
    st.number_input("epochs", 1, 20, key="epochs")
    st.number_input("training digits", 500, len(data.x_train), key="n_train", step=500,
                    help=f"Up to {len(data.x_train):,}; fewer train faster.")
w.write_url(FIELDS)

s = st.session_state
try:
    net = lab.network_spec(lab.parse_hidden(s.hidden), s.activation, s.dropout)
    train = lab.train_spec(s.optimizer, float(s.lr), int(s.batch_size), int(s.epochs))
except (SpecError, ValueError) as err:
    w.show_spec_error(err)
    st.stop()

job = s.get("mnist_job")
active = job is not None and not job.done


def start():
    if s.get("mnist_job") is not None:
        s.mnist_job.stop()
    s.mnist_job = lab.start_training(data, net, train, min(int(s.n_train), len(data.x_train)),
                                     arrays=mnist_arrays(), owner=sessions.owner())
    s.mnist_model, s.mnist_model_label = s.mnist_job.model, "the network you are training"
    s[f"{PAGE}_playing"] = True


def stop():
    if s.get("mnist_job") is not None:
        s.mnist_job.stop()


st.subheader("1 · Train")
c = st.columns([1, 1, 4])
c[0].button("▶ Train", key="mnist_train", type="primary", on_click=start, disabled=active, width="stretch")
c[1].button("⏹ Stop", key="mnist_stop", on_click=stop, disabled=not active, width="stretch",
            help="Ends training after the batch in progress; the network keeps what it has learned.")
c[2].caption(f"{net.param_count():,} weights and biases · {train.epochs} epochs of "
             f"{min(int(s.n_train), len(data.x_train)):,} digits in batches of {train.batch_size}")


def status_line(run) -> None:
    last, epoch = run.metrics.latest()
    steps, epochs = run.metrics.steps_per_epoch, run.metrics.epochs_planned
    if run.status == "queued":
        st.info(f"⏳ The training room is busy: you are number {run.queue_position or 1} in line. "
                "Your run starts by itself when a seat frees up.")
    elif run.status == "running" and last is not None and steps:
        done = (last.epoch * steps + last.batch + 1) / (steps * epochs)
        st.progress(min(done, 1.0), text=f"epoch {last.epoch + 1}/{epochs} · batch {last.batch + 1}/{steps} · "
                                         f"J = {last.loss:.3f} · accuracy {last.accuracy:.1%}")
    elif run.status == "running":
        st.progress(0.0, text="starting (TensorFlow builds the training step)…")
    elif run.status == "failed":
        st.error(f"Training failed: {run.error}")
    elif run.status in ("stopped", "finished") and last is not None:
        verb = "Stopped" if run.status == "stopped" else "Finished"
        test = f", test accuracy {epoch.val_accuracy:.1%}" if epoch and epoch.val_accuracy is not None else ""
        st.success(f"{verb} after epoch {last.epoch + 1}, batch {last.batch + 1}{test}. "
                   "The network keeps what it has learned.")
    elif run.status == "stopped":
        st.info("Stopped before training began.")
    elif run.status == "abandoned":
        st.info("This run stopped because its page was closed; press ▶ Train to start again.")


def frame(playing: bool) -> bool:
    run = s.get("mnist_job")
    if run is None:
        st.caption("Press ▶ Train to start. Loss and accuracy appear here, batch by batch.")
        return True
    status_line(run)
    batches, epochs = run.metrics.batches_since(0), run.metrics.epochs_since(0)
    cols = st.columns(2)
    with cols[0]:
        w.live_plot(fig.training_curves(batches, epochs, run.metrics.steps_per_epoch, "loss"), key="mnist_loss")
    with cols[1]:
        w.live_plot(fig.training_curves(batches, epochs, run.metrics.steps_per_epoch, "accuracy"),
                    key="mnist_accuracy")
    return run.done


w.live(PAGE, frame, interval=0.5)

with st.expander("📂 …or load a network you saved (.keras)", expanded=bool(s.get("mnist_load_error"))):
    upload_model = st.file_uploader("A .keras file from this page or from Keras", type=["keras"],
                                    key="mnist_model_file", disabled=active)
    if upload_model is not None and s.get("mnist_model_file_id") != upload_model.file_id:
        s.mnist_model_file_id = upload_model.file_id
        try:
            s.mnist_model = lab.load_digit_model(upload_model.getvalue())
            s.mnist_model_label = f"loaded from {upload_model.name}"
            s.mnist_load_error = None
        except ValueError as err:
            s.mnist_load_error = str(err)
    if s.get("mnist_load_error"):
        st.error(s.mnist_load_error)
    st.caption("Only plain Keras layers load: a file with a Lambda layer or custom code is refused (safe mode).")

model = s.get("mnist_model")
if active or model is None or (job is not None and job.model is model and not job.metrics.latest()[0]):
    st.stop()      # nothing to test yet: no network, or it is still training

st.subheader("2 · Test")
st.caption(f"On {len(data.x_test):,} test digits the network never trained on ({s.mnist_model_label}).")
score_key = (id(model), len(job.metrics) if job is not None and job.model is model else -1)
if s.get("mnist_score_key") != score_key:
    s.mnist_score, s.mnist_score_key = lab.score(model, data.x_test, data.y_test), score_key
score = s.mnist_score
c = st.columns([1, 2])
c[0].metric("test accuracy", f"{score.accuracy:.1%}")
wrong = np.flatnonzero(score.predicted != data.y_test)[:20]
if len(wrong):
    c[0].image(fig.digit_grid(data.x_test[wrong], cols=5, scale=2),
               caption="Some misread digits (guess): " + " ".join(str(g) for g in score.predicted[wrong]))
c[1].plotly_chart(fig.confusion(score.confusion), key="mnist_confusion")

st.subheader("3 · Your digit")
draw, upload = st.tabs(["✏️ Draw", "📁 Upload a photo"])
with draw:
    image = w.digit_canvas("mnist_canvas")
with upload:
    file = st.file_uploader("A PNG or JPEG of one digit", type=["png", "jpg", "jpeg"], key="mnist_upload")
    if file is not None:
        image = file.getvalue()
if image is None:
    st.caption("Draw a digit (big, in the middle) or upload a photo of one.")
else:
    try:
        steps = digits.preprocess_steps(image)
    except ValueError as err:
        st.warning(str(err), icon="✏️")
    else:
        p = lab.guess(model, steps["final"])
        c = st.columns([1, 2])
        c[0].image(fig.digit_grid(steps["final"][None], cols=1, scale=6),
                   caption="What the network gets: 28×28, the digit 20 px high, centred by its mass")
        c[0].metric("the network reads", str(int(p.argmax())), f"{p.max():.0%} sure", delta_color="off")
        c[1].plotly_chart(fig.probabilities(p), key="mnist_guess")

st.subheader("4 · Keep the network")
st.download_button("⬇ Download the model (.keras)", data=lambda: lab.model_bytes(model), file_name="mnist.keras",
                     mime="application/octet-stream", key="mnist_download",
                     help="Open it in Keras with keras.saving.load_model('mnist.keras').")
