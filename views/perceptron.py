"""Perceptron (course 003): the cheese-festival decision, logic gates, the learning rule, the sigmoid neuron."""
from importlib import metadata

import pandas as pd
import streamlit as st

from nncore.data import datasets
from nncore.figures import fundamentals_plots as figs
from nncore.lessons import perceptron_lab as pc
from nncore.lessons import sklearn_xor as sx
from views.ui import components, lesson_panel
from views.ui.messages import right_wrong_table
from views.ui.share import share_link
from views.ui.state import PageState, Prop

GATE_RANGE = (-8.0, 8.0)
S = PageState("perceptron", {
    "sigmoid": Prop(False),
    "x1": Prop(True), "x2": Prop(True), "x3": Prop(False),
    "w1": Prop(1.0, -10.0, 10.0), "w2": Prop(1.0, -10.0, 10.0), "w3": Prop(1.0, -10.0, 10.0),
    "threshold": Prop(2.0, -5.0, 15.0),
    "gate": Prop("AND", options=tuple(datasets.GATES)),
    "gate_w1": Prop(1.0, *GATE_RANGE), "gate_w2": Prop(1.0, *GATE_RANGE),
    "gate_b": Prop(-2.0, *GATE_RANGE),
    "lr": Prop(1.0, options=(0.25, 0.5, 1.0)),
    "epochs": Prop(20, 1, 100),
})


def set_festival_preset(key):
    p = pc.FESTIVAL_PRESETS[key]
    S.w1, S.w2, S.w3 = p.weights
    S.threshold = p.threshold


def set_course_gate_weights():
    (S.gate_w1, S.gate_w2), S.gate_b = pc.COURSE_GATE_WEIGHTS[S.gate]


def run_rule(epochs=None):
    h = pc.continue_learning(S.get("rule_history"), S.gate, (S.gate_w1, S.gate_w2), S.gate_b, S.lr,
                             epochs or S.epochs)
    lo, hi = GATE_RANGE
    S.gate_w1, S.gate_w2 = (min(max(v, lo), hi) for v in h.final.w)
    S.gate_b = min(max(h.final.b, lo), hi)
    S.rule_history = h


def run_sklearn_xor():
    S.sklearn_xor = sx.runs()


def sklearn_xor_example():
    """Course 003's scikit-learn example, run by scikit-learn on a click (imported then, not before)."""
    results = S.get("sklearn_xor")
    with st.expander("🧪 The note's scikit-learn example: a hidden layer of 2 units on XOR, logistic vs ReLU",
                     expanded=results is not None):
        st.code(sx.CODE, language="python")
        st.button("▶ Run it with scikit-learn", on_click=run_sklearn_xor, key="sklearn_xor_run")
        if results is not None:
            st.dataframe(pd.DataFrame([{"activation": r.activation, "score": r.score,
                                        "predictions": str(list(r.predictions)), "expected": str(list(sx.YS)),
                                        "solves XOR": "✓" if r.solved else "✗", "passes": r.iterations}
                                       for r in results]), hide_index=True)
            st.caption(f"Run here by scikit-learn {metadata.version('scikit-learn')}, as the note ran it: the "
                       "logistic network predicts 1 for every row (score 0.5), the ReLU one solves XOR (1.0). Same "
                       "two hidden units, same start (random_state=20): the logistic fit stops when its loss no "
                       "longer improves (scikit-learn's `tol`), long before the ReLU one finds XOR.")


st.title("🔘 Perceptron")
st.markdown("One neuron: it weighs yes/no inputs, adds them up, and **fires when the sum reaches a threshold**.")
S.open()
share_link(S)
sigmoid = S.control(st.toggle, "Sigmoid neuron: σ(z) instead of the step (a smooth output, course 003)", key="sigmoid")
unit = "sigmoid" if sigmoid else "step"

# ---- 1. the cheese festival ------------------------------------------------------------------
st.header("1 · Go to the cheese festival?")
st.latex(r"z = x_1 w_1 + x_2 w_2 + x_3 w_3 \qquad " + (
    r"y = \sigma(z - \text{threshold})" if sigmoid else
    r"y = \begin{cases} 1 & \text{if } z \ge \text{threshold} \\ 0 & \text{otherwise} \end{cases}"))
answers, weights, result = st.columns([1.1, 1, 1.4], gap="large")
with answers:
    st.markdown("**Your answers** (ticked = yes = 1)")
    for j, q in enumerate(pc.FESTIVAL_QUESTIONS, start=1):
        S.control(st.checkbox, f"x{j}: {q}", key=f"x{j}")
    st.markdown("**The course's presets**")
    for p in pc.FESTIVAL_PRESETS.values():
        st.button(p.label, key=f"preset_{p.key}", on_click=set_festival_preset, args=(p.key,), width="stretch")
with weights:
    st.markdown("**How much each answer counts**")
    for j, factor in enumerate(pc.FESTIVAL_FACTORS, start=1):
        S.control(st.slider, f"w{j} ({factor})", -10.0, 10.0, step=0.5, key=f"w{j}")
    S.control(st.slider, "threshold", -5.0, 15.0, step=0.5, key="threshold")
w_festival = (S.w1, S.w2, S.w3)
decision = pc.festival_decision((S.x1, S.x2, S.x3), w_festival, S.threshold, unit)
with result:
    verdict = "Yes, go! ✅" if decision.go else "No, stay home ❌"
    st.metric("Decision", f"{verdict}  y = {decision.output:.2f}" if sigmoid else f"{verdict}  y = {decision.output:g}")
    components.figure(figs.festival_bar(decision, pc.FESTIVAL_QUESTIONS), key="festival_bar")
preset = pc.festival_preset(w_festival, S.threshold)
if preset:
    st.success(f"**Preset {preset.label}.** {preset.conclusion}", icon="🧀")
else:
    st.caption("Your own weights: the table below shows what they decide for every combination of answers.")
with st.expander("All 8 combinations of answers with these weights"):
    rows = pc.festival_table(w_festival, S.threshold, unit)
    df = pd.DataFrame([dict(x1=d.x[0], x2=d.x[1], x3=d.x[2], z=d.z, y=d.output) for d in rows])
    right_wrong_table(df, [d.go for d in rows], formats={"z": "{:g}", "y": "{:.2f}" if sigmoid else "{:g}"},
                      key="festival_table")
    st.caption("Green: you go (z ≥ threshold). Red: you stay home.")

# ---- 2. logic gates ---------------------------------------------------------------------------
st.header("2 · Logic gates with one perceptron")
st.latex(r"z = \vec{x} \cdot \vec{w} + b = x_1 w_1 + x_2 w_2 + b \qquad " + (
    r"y = \sigma(z)" if sigmoid else r"y = h(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}"))
controls, table_col, plot_col = st.columns([1, 1.25, 1.5], gap="medium")
with controls:
    gate = S.control(st.radio, "Gate", tuple(datasets.GATES), key="gate", horizontal=True)
    S.control(st.slider, "w1", *GATE_RANGE, step=0.25, key="gate_w1")
    S.control(st.slider, "w2", *GATE_RANGE, step=0.25, key="gate_w2")
    S.control(st.slider, "bias b (= −threshold)", *GATE_RANGE, step=0.25, key="gate_b")
    if gate in pc.COURSE_GATE_WEIGHTS:
        st.button(f"The course's weights for {gate}", on_click=set_course_gate_weights, key="course_weights",
                  width="stretch")
neuron = pc.Perceptron((S.gate_w1, S.gate_w2), S.gate_b, unit)
table = pc.truth_table(neuron, gate)
history = S.get("rule_history")
history = history if history is not None and history.gate == gate else None
with table_col:
    out = "σ(z)" if sigmoid else "h(z)"
    df = pd.DataFrame([{"x1": r["x1"], "x2": r["x2"], "target y": r["y"], "z": r["z"], out: r["a"],
                        "": "✓" if r["right"] else "✗"} for r in table.rows()])
    right_wrong_table(df, table.right, formats={"z": "{:g}", out: "{:.3f}" if sigmoid else "{:g}"},
                      key="truth_table")
    st.metric("Rows right", f"{table.n_right} of 4")
    lesson_panel.publish("perceptron", {"gate_correct": table.n_right})     # for a lesson step's goal
    if sigmoid:
        st.caption("A row is right when σ(z) is on the target's side of 0.5 (that is z ≥ 0 for a 1).")
with plot_col:
    components.figure(figs.gate_plane(table, neuron, history), key="gate_plane")
    st.caption("Background: where the unit outputs 1 (blue) or 0 (orange). Ring: bluish green = row right, "
               "vermillion = wrong.")
if sigmoid:
    components.figure(figs.unit_response(table, unit), key="unit_response")
    st.caption("The step jumps from 0 to 1 at z = 0, so a small change of a weight changes the output "
               "by 0 or by 1; σ moves smoothly, so a small change gives a small change: that is what "
               "lets calculus (gradient descent) train a network.")
x_gate, y_gate = datasets.logic_gate(gate)
separable = pc.linearly_separable(x_gate, y_gate)
if not separable:
    st.warning(f"**{gate} is not linearly separable:** its 1s, (0, 1) and (1, 0), sit on one diagonal and its "
               "0s on the other, so **no single line** puts the 1s on one side and the 0s on the other. "
               "One perceptron cannot do it; a hidden layer can: "
               "[open XOR in the playground](/playground?preset=xor-model-1).", icon="✖️")
    sklearn_xor_example()

# ---- 3. the learning rule ---------------------------------------------------------------------
st.subheader("The perceptron learning rule")
st.latex(r"w_j \leftarrow w_j + \alpha\,(y - \hat{y})\,x_j \qquad b \leftarrow b + \alpha\,(y - \hat{y})")
st.caption("Row after row: when the output ŷ is wrong, move the line towards the row. "
           "One pass over the four rows is an epoch; the rule stops when every row is right.")
c_lr, c_ep, c_step, c_train = st.columns([1, 1, 1, 1.3], vertical_alignment="bottom")
S.control(c_lr.select_slider, "learning rate (α)", options=(0.25, 0.5, 1.0), key="lr")
S.control(c_ep.slider, "at most N epochs", 1, 100, key="epochs")
c_step.button("⏭ One epoch", on_click=run_rule, args=(1,), key="one_epoch", width="stretch")
c_train.button("▶ Train until all rows are right", on_click=run_rule, key="train", type="primary",
               width="stretch")
if history is not None:
    w = ", ".join(f"{v:g}" for v in history.final.w)
    if history.converged:
        st.success(f"All four rows right after **{history.n_epochs} epoch(s)**: w = ({w}), b = {history.final.b:g}. "
                   "The sliders now show these weights.", icon="✅")
    elif history.separable is False:
        st.error(f"**Not converged after {history.n_epochs} epochs**, and it never will: {history.epochs[-1].wrong} "
                 f"rows are still wrong, because no single line separates {gate}'s classes, so every "
                 "correction breaks another row and the line goes round in circles. "
                 "[Solve XOR with a hidden layer in the playground](/playground?preset=xor-model-1).", icon="🔁")
    else:
        st.info(f"{history.epochs[-1].wrong} rows still wrong after {history.n_epochs} epochs: "
                "train again, or allow more epochs.", icon="⏳")
    curve, steps = st.columns([1, 1.4])
    components.figure(figs.learning_curve(history), key="learning_curve", where=curve)
    with steps:
        st.markdown("**Every update** (dotted lines on the plot: the line after each earlier epoch)")
        st.dataframe(pd.DataFrame([{"epoch": u.epoch, "x": f"({u.x[0]:g}, {u.x[1]:g})", "y": u.target,
                                    "ŷ": u.predicted, "y − ŷ": u.error, "w1": u.w[0], "w2": u.w[1], "b": u.b}
                                   for u in history.updates]), hide_index=True, height=240)
