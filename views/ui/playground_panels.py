"""The playground's two panels: one sample through the network step by step, and the same run in Keras."""
from __future__ import annotations

import streamlit as st

from views.ui import components


def step_through_panel(net, x_features, y, loss: str, lr: float, feature_labels, limit: int = 6) -> None:
    """Forward propagation, the cost, back-propagation and the update for one sample, with the numbers;
    a button compares back-propagation's gradient with finite differences."""
    import pandas as pd

    from nncore.lessons import stepthrough as stp

    step = stp.step_through(net, x_features, y, loss, lr)
    L = len(step.layers)
    inputs = ", ".join(f"{lab} = {v:.4g}" for lab, v in zip(feature_labels, step.x))
    target = (f"({', '.join(f'{v:g}' for v in step.y)}), one-hot for class {list(step.y).index(max(step.y))}"
              if len(step.y) > 1 else f"{step.y[0]:g}")
    st.markdown(f"**Input** a⁰ = x: {inputs} · **target** y = {target}")
    st.markdown("**1 · Forward propagation**: $z^l_j = \\sum_k a^{l-1}_k w^l_{jk} + b^l_j$, "
                "$a^l_j = f(z^l_j)$")
    for layer in step.layers:
        for j in stp.shown(len(layer.z), limit):
            st.latex(stp.forward_latex(layer, j))
        if len(layer.z) > limit:
            st.caption(f"… and {len(layer.z) - limit} more neurons in layer {layer.l}.")
    st.latex(stp.cost_latex(step))
    st.markdown("**2 · Back-propagation**: $\\delta^l_j = \\partial J / \\partial z^l_j$, from the output back")
    st.latex(stp.output_delta_latex(step))
    for l in range(L - 1, 0, -1):
        for k in stp.shown(len(step.layers[l - 1].z), limit):
            st.latex(stp.hidden_delta_latex(step, l, k))
    st.markdown("**3 · The update** $w^l_{jk} := w^l_{jk} - \\alpha\\, a^{l-1}_k \\delta^l_j$ (one step of "
                f"gradient descent on this sample, α = {lr:g}); the first weight of each layer:")
    for l in range(1, L + 1):
        st.latex(stp.update_latex(step, l, 0, 0))
    st.caption("Training uses the chosen optimiser on a batch: SGD makes exactly this step (averaged over the "
               "batch); Adam and RMSprop rescale it per weight. Dropout is off here, as when predicting.")
    if st.button("Check the gradient with finite differences", key="gradcheck"):
        check = stp.gradient_check(net, x_features, y, loss)
        rows = stp.gradient_rows(net, check)
        st.markdown(f"(J(θ + h) − J(θ − h)) / 2h with h = 10⁻⁶ for every parameter θ, next to back-propagation's "
                    f"∂J/∂θ. Relative error ‖g_num − g_bp‖ / (‖g_num‖ + ‖g_bp‖) = **{check.relative_error:.1e}**"
                    f" ({'they agree' if check.relative_error < 1e-6 else 'they differ'}).")
        st.dataframe(pd.DataFrame(rows), hide_index=True, height=min(400, 38 + 35 * len(rows)),
                     column_config={k: st.column_config.NumberColumn(format="%.3e")
                                    for k in ("backprop ∂J/∂θ", "finite difference", "difference")})


def keras_comparison_panel(setup, initial_weights) -> None:
    """A button that trains the playground's network with Keras from the same weights and the same batches,
    then shows both costs (TensorFlow is imported only now, behind a spinner)."""
    from nncore.figures import playground_plots as fig
    from nncore.lessons import playground_lab as pg

    if st.button("Train the same network with Keras and compare", key="keras_run"):
        with st.spinner("Loading TensorFlow and training with Keras (a few seconds)…"):
            try:
                st.session_state.pg_keras = (setup, pg.keras_replay(setup, initial_weights))
            except Exception as exc:        # TensorFlow missing or broken: say so, keep the page
                st.session_state.pg_keras = (setup, f"Keras could not run here: {exc}")
    result = st.session_state.get("pg_keras")
    if not result or result[0] != setup:
        return
    r = result[1]
    if isinstance(r, str):
        st.warning(r, icon="⚠️")
        return
    c = st.columns(3)
    c[0].metric("final cost, numpy", f"{r.numpy_losses[-1]:.5f}")
    c[1].metric("final cost, Keras", f"{r.keras_losses[-1]:.5f}")
    c[2].metric("largest weight difference", f"{r.max_weight_difference:.1e}")
    st.caption(f"Both started from the same weights and saw the same batches for {r.epochs:,} epochs; accuracy "
               f"numpy {r.numpy_accuracy:.0%}, Keras {r.keras_accuracy:.0%}. Keras took {r.seconds:.1f} s. {r.note}")
    components.figure(fig.keras_comparison(list(range(1, r.epochs + 1)), r.numpy_losses, r.keras_losses,
                                           title="the same run, two engines"), key="pg_keras_chart")


def pytorch_code_panel(setup, initial_weights) -> None:
    """The same network in PyTorch (``nncore.export.playground``): shown with this run's θ₀ when the network is
    small, downloadable with θ₀ always. Writing the code imports no torch."""
    from nncore.export import playground as torch_export

    with st.expander("🔥 PyTorch code", expanded=False):
        st.markdown("The same network in PyTorch, the way course 001 writes it (a `torch.nn.Module`): the same "
                    "layers, Keras's initialisers, the same cost and optimiser, in float64 like nnplay, and this "
                    "run's initial weights θ₀, each kernel transposed into PyTorch's (n_out, n_in) layout.")
        shown = torch_export.shown_weights(initial_weights)
        st.code(torch_export.export_code(setup, shown), language="python")
        if shown is None:
            st.caption(f"θ₀ has {sum(w.size for w in initial_weights):,} numbers, too many to read here: the "
                       "download below carries them.")
        st.download_button("⬇ The PyTorch code with θ₀ (.py)", lambda: torch_export.export_code(setup, initial_weights),
                           file_name="nnplay_network_torch.py", mime="text/x-python", on_click="ignore",
                           key="pg_torch_download")
