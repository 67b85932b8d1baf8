"""Activation functions (courses 002, 003): curves and slopes, the vanishing gradient, dead ReLUs."""
import numpy as np
import pandas as pd
import streamlit as st

from nncore.engine import activations
from nncore.figures import fundamentals_plots as figs
from nncore.lessons import activation_lab as lab
from views.ui import components
from views.ui.messages import bad_input
from views.ui.share import share_link
from views.ui.state import PageState, Prop

DEAD_LRS = (0.01, 0.1, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0)
VANISH_NAMES = ("sigmoid", "tanh", "relu")
S = PageState("activations", {
    "act": Prop(["sigmoid", "tanh", "relu"], options=activations.NAMES),
    "z_max": Prop(6.0, 1.0, 20.0),
    "leaky_alpha": Prop(0.1, 0.0, 0.5),
    "softmax_z": Prop("2, 1, 0.1"),
    "layers": Prop(10, 1, 30),
    "layer_z": Prop(0.5, -3.0, 3.0),
    "lr": Prop(0.5, options=DEAD_LRS),
    "bias": Prop(0.0, -3.0, 1.0),
})

st.title("〰️ Activation functions")
st.markdown("After its weighted sum z, every neuron applies an activation **a = f(z)**: it sets the range "
            "of the output, and its slope f′(z) decides how much gradient flows back in training.")
S.open()
share_link(S)

# ---- curves and table ------------------------------------------------------------------------
pick, zoom, slope = st.columns([2.2, 1, 1], gap="large")
names = S.control(pick.multiselect, "Activations", activations.NAMES, key="act")
S.control(zoom.slider, "z from −m to m", 1.0, 20.0, step=1.0, key="z_max")
S.control(slope.slider, "leaky ReLU slope α", 0.0, 0.5, step=0.01, key="leaky_alpha",
             disabled="leaky_relu" not in names)
softmax_z = np.array([2.0, 1.0, 0.1])
if "softmax" in names:
    text = S.control(st.text_input, "softmax input vector z (2 to 10 numbers; the curve moves z₁, the others stay)",
                         key="softmax_z")
    try:
        softmax_z = lab.parse_vector(text, "The softmax vector z")
    except ValueError as e:
        bad_input(str(e))
if not names:
    st.info("Pick at least one activation to plot.")
else:
    st.latex(r"\qquad ".join(lab.FORMULAS[n] for n in names))
    curves = lab.curves(names, S.z_max, S.leaky_alpha, softmax_z)
    components.figure(figs.activation_curves(curves), key="curves")
    rows = [lab.facts(n, S.leaky_alpha, softmax_z) for n in names]
    st.dataframe(pd.DataFrame([{
        "activation": f.name, "output range": f.output_range, "f′(0)": round(f.slope_at_0, 4),
        "largest f′": round(f.max_slope, 4), f"gradient vanishes (|f′| < {lab.VANISH_TOL:g})": f.vanishes,
        "in one line": f.description} for f in rows]), hide_index=True, key="facts")
    if "softmax" in names:
        st.caption("softmax takes a whole vector: above, a₁ as z₁ moves with the other units fixed, and its "
                   "slope ∂a₁/∂z₁ = a₁(1 − a₁). Below, the vector you typed.")
        components.figure(figs.softmax_bars(softmax_z, activations.SOFTMAX(softmax_z)), key="softmax")

# ---- vanishing gradient ----------------------------------------------------------------------
st.header("Vanishing gradient")
st.markdown("Back-propagation multiplies the slopes of every layer it passes (here with every weight 1):")
st.latex(r"\frac{\partial J}{\partial z^{1}} \;\propto\; f'(z^{1})\, f'(z^{2}) \cdots f'(z^{k})"
         r" = \prod_{l=1}^{k} f'(z^{l})")
c_k, c_z = st.columns(2, gap="large")
S.control(c_k.slider, "number of layers k", 1, 30, key="layers")
S.control(c_z.slider, "z in every layer", -3.0, 3.0, step=0.1, key="layer_z")
products = lab.gradient_through_layers(VANISH_NAMES, S.layers, S.layer_z)
for col, (name, p) in zip(st.columns(len(products)), products.items()):
    col.metric(f"{name}: gradient left after {S.layers} layers", f"{p[-1]:.3g}")
components.figure(figs.gradient_product(products, S.layer_z), key="vanishing")
st.caption("σ′ is at most 0.25, so after k sigmoid layers at most 0.25ᵏ of the gradient is left: the first "
           "layers barely learn. ReLU′ is exactly 1 for z > 0, so the gradient passes unchanged, "
           "but it is 0 for z < 0 (move z below 0).")

# ---- dead ReLU -------------------------------------------------------------------------------
st.header("Dead ReLU")
st.markdown("A ReLU unit whose z is below 0 for **every** input outputs 0 and gets gradient 0: it never "
            "learns again. One large update can push many biases there.")
st.latex(r"b_j \leftarrow b_j - \alpha \frac{\partial J}{\partial b_j}, \qquad "
         r"\text{unit } j \text{ dead} \iff z_j = \vec{x}\cdot\vec{w}_j + b_j \le 0 \ \text{for every input}")
c_lr, c_b, c_m = st.columns([1.3, 1.3, 1], gap="large")
S.control(c_lr.select_slider, "learning rate (α) of one large update", options=DEAD_LRS, key="lr")
S.control(c_b.slider, "bias b before the update", -3.0, 1.0, step=0.25, key="bias")
layer = lab.dead_relu(S.lr, S.bias)
c_m.metric("dead units", f"{layer.dead_share:.0%}", help=f"of {len(layer.dead)} units, 500 random inputs")
shares = lab.dead_share_curve(DEAD_LRS, S.bias)
components.figure(figs.dead_relu_curve(DEAD_LRS, shares, S.lr, layer.dead_share), key="dead_relu")
st.caption("A layer of 200 ReLU units (He-normal weights, 10 inputs x ~ N(0, 1)) after one update in which "
           "∂J/∂b ≈ 1 for every unit. Course 003: *use ReLU and lower learning rates if you see many "
           "(20–40 %) dead neurons*; leaky ReLU keeps a slope α below 0, so its units never die.")
