"""Loss functions (courses 000, 003): MSE, half-MSE, MAE on a regression, BCE and CCE on probabilities."""
import pandas as pd
import streamlit as st

from nncore.figures import fundamentals_plots as figs
from nncore.lessons import loss_lab as lab
from views.ui import components
from views.ui.messages import bad_input
from views.ui.share import share_link
from views.ui.state import PageState, Prop

S = PageState("losses", {
    "y": Prop("1, 2, 3, 4, 5"),
    "y_hat": Prop("1.5, 1.8, 3.4, 3.6, 5.2"),
    "outlier": Prop(0.0, 0.0, 20.0),
    "label": Prop(1, options=(0, 1)),
    "p": Prop(0.8, 0.01, 0.99),
    "z1": Prop(2.0, -5.0, 5.0), "z2": Prop(1.0, -5.0, 5.0), "z3": Prop(0.1, -5.0, 5.0),
    "true_class": Prop(1, options=(1, 2, 3)),
})
LABELS = {"mse": "MSE", "half_mse": "half-MSE (course's 1/2n)", "mae": "MAE"}


def samples_from_state():
    """The targets and predictions the link or the table hold, or the defaults with a message."""
    try:
        return lab.check_samples(lab.parse_values(S.y, "The targets y"), lab.parse_values(S.y_hat, "The predictions ŷ"))
    except ValueError as e:
        bad_input(str(e))
        S.y, S.y_hat = S.props["y"].default, S.props["y_hat"].default
        return lab.check_samples(lab.parse_values(S.y, "y"), lab.parse_values(S.y_hat, "ŷ"))


st.title("🎯 Loss functions")
st.markdown("A loss J measures how far the network's predictions ŷ are from the targets y; "
            "training moves the weights to make it smaller. Which loss you pick decides what counts as a big mistake.")
S.open()
share_link(S)

# ---- regression ------------------------------------------------------------------------------
st.header("Regression: MSE, half-MSE and MAE")
st.latex(r"\mathrm{MSE} = \frac{1}{n}\sum_{i=1}^{n}\big(y^{(i)} - \hat{y}^{(i)}\big)^2 \qquad "
         r"C = \frac{1}{2n}\sum_{i=1}^{n}\big(y^{(i)} - \hat{y}^{(i)}\big)^2 \qquad "
         r"\mathrm{MAE} = \frac{1}{n}\sum_{i=1}^{n}\big|y^{(i)} - \hat{y}^{(i)}\big|")
data_col, numbers_col = st.columns([1, 2.2], gap="large")
with data_col:
    st.markdown("**Your samples** (click a cell to edit)")
    y, y_hat = samples_from_state()
    columns = {"target y": "y", "prediction ŷ": "y_hat"}       # a teacher's lock/hide of y, y_hat: per column
    edited = st.data_editor(
        pd.DataFrame({"target y": y, "prediction ŷ": y_hat}, index=[str(i + 1) for i in range(len(y))]),
        key="samples", num_rows="fixed", disabled=[c for c, n in columns.items() if S.is_locked(n)],
        column_order=[c for c, n in columns.items() if not S.is_hidden(n)],
        column_config={c: st.column_config.NumberColumn(c, min_value=-lab.LIMIT, max_value=lab.LIMIT, step=0.1)
                       for c in ("target y", "prediction ŷ")})
    try:
        y, y_hat = lab.check_samples(edited["target y"], edited["prediction ŷ"])
        S.y, S.y_hat = lab.encode_values(y), lab.encode_values(y_hat)
        S.write_url()
    except ValueError as e:
        bad_input(str(e), fallback="the last complete table")
    S.control(st.slider, "outlier: add a sample that ŷ misses by", 0.0, 20.0, step=1.0, format="%.0f", key="outlier")
base = lab.regression(y, y_hat)
y_all, y_hat_all = lab.with_outlier(y, y_hat, S.outlier)
reg = lab.regression(y_all, y_hat_all)
with numbers_col:
    for col, name in zip(st.columns(3), lab.REGRESSION):
        grew = reg.values[name] - base.values[name]
        col.metric(LABELS[name], f"{reg.values[name]:.3f}",
                   delta=f"{grew:+.3f} from the outlier" if S.outlier else None, delta_color="inverse")
    labels = [str(i + 1) for i in range(len(y))] + (["outlier"] if S.outlier else [])
    components.figure(figs.loss_shares({n: reg.share(n) for n in ("mse", "mae")}, labels), key="shares")
st.caption("Squaring makes a big error count much more than a small one: drag the outlier up and watch it take over "
           "MSE while MAE grows only in step with it. Half-MSE is the course's L₂ cost with 1/2n "
           "(the ½ cancels the 2 of the derivative); Keras's MSE uses 1/n, so half-MSE = MSE / 2.")
with st.expander("Each sample's contribution C⁽ⁱ⁾/n (they add up to J)"):
    st.dataframe(pd.DataFrame({
        "sample": labels, "y": reg.y, "ŷ": reg.y_hat, "error ŷ − y": reg.errors,
        **{f"{LABELS[n]} part": reg.contributions[n] for n in lab.REGRESSION}}), hide_index=True, key="contributions")

# ---- classification --------------------------------------------------------------------------
st.header("Classification: binary cross-entropy")
st.latex(r"\mathrm{BCE} = -\frac{1}{n}\sum_{i=1}^{n}\Big[y_i \log p_i + (1 - y_i)\log(1 - p_i)\Big]")
c_y, c_p, c_bce, c_mse = st.columns([1, 2, 1, 1], gap="large")
S.control(c_y.radio, "true label y", (0, 1), key="label", horizontal=True)
S.control(c_p.slider, "predicted probability p (that y = 1)", 0.01, 0.99, step=0.01, key="p")
point = lab.binary_point(S.label, S.p)
c_bce.metric("BCE of this sample", f"{point['binary_crossentropy']:.3f}")
c_mse.metric("MSE of this sample", f"{point['mse']:.3f}")
components.figure(figs.binary_loss_curves(lab.binary_curves(S.label), S.label, S.p, point), key="bce")
st.caption("Cost based on certainty when wrong (course 003): as p moves away from the true label, BCE grows "
           "without bound (−log p → ∞), while MSE never exceeds 1. A confident wrong answer is what BCE punishes.")

st.subheader("Three classes: softmax and categorical cross-entropy")
st.latex(r"a_j = \frac{e^{z_j}}{\sum_k e^{z_k}} \qquad "
         r"\mathrm{CCE} = -\frac{1}{n}\sum_{i=1}^{n}\sum_{j=1}^{M} y_{ij}\log a_{ij} = -\log a_{\text{true class}}")
c_z, c_t, c_fig = st.columns([1, 0.8, 2.2], gap="large")
with c_z:
    for j in (1, 2, 3):
        S.control(st.slider, f"z{j} (class {j}'s logit)", -5.0, 5.0, step=0.1, key=f"z{j}")
S.control(c_t.radio, "true class (one-hot target)", (1, 2, 3), key="true_class")
example = lab.softmax_example((S.z1, S.z2, S.z3), S.true_class)
c_t.metric("CCE", f"{example.cce:.3f}")
c_t.metric("predicted class", f"{example.predicted_class}",
           delta="right" if example.predicted_class == example.true_class else "wrong",
           delta_color="normal" if example.predicted_class == example.true_class else "inverse", delta_arrow="off")
components.figure(figs.softmax_cce_bars(example), key="cce", where=c_fig)
st.caption(f"One-hot target y = {list(map(int, example.target))} (grey bars); bluish-green bar: the true class. "
           "Only its probability counts, "
           "so CCE is −log of it; 0 when the network is sure and right.")
