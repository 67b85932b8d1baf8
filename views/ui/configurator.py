"""The network configurator: hidden layers and neurons, activation, initialisers, optimiser and α, L1/L2,
dropout, batch size, loss, epochs, seed; with "set per layer", one row per hidden layer l (its neurons, f_l,
dropout rate and L2 rate λ_l); under TensorFlow Playground's rules its own controls (``tf_configurator``). The
values are ``nncore.lessons.configurator.Controls``; every control is a
property of the page that draws it (``network_props``), so a link restores it and a teacher can lock it.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

import numpy as np
import streamlit as st

from nncore.lessons import configurator as cfg
from nncore.lessons import tfplayground as tfp
from views.ui.state import PageState, Prop


# ---- the network configurator (playground; any page that trains a small classifier) -----------------
# One control per field of nncore.lessons.configurator.Controls; widget keys are the URL names, so a link
# restores every control. ``network_fields(values)`` gives their Props with ``values`` (for example
# a preset's) as defaults, so a link only carries what differs from the preset.
def network_props(values: Dict[str, Any]) -> Dict[str, Prop]:
    """URL fields of the configurator's controls, defaulting to ``values`` (see configurator.to_values)."""
    return {
        "layers": Prop(int(values["layers"]), 0, cfg.MAX_LAYERS),
        **{k: Prop(int(values[k]), 1, cfg.MAX_UNITS) for k in cfg.UNIT_KEYS},
        "activation": Prop(values["activation"], options=cfg.ACTIVATIONS),
        "init": Prop(values["init"], options=cfg.INITIALIZERS),
        "init_mean": Prop(float(values["init_mean"]), -10.0, 10.0),
        "init_stddev": Prop(float(values["init_stddev"]), 0.0, 10.0),
        "out_init": Prop(values["out_init"], options=cfg.OUTPUT_INITS),
        "optimizer": Prop(values["optimizer"], options=cfg.OPTIMIZERS),
        "lr": Prop(float(values["lr"]), options=cfg.LRS),
        "reg": Prop(values["reg"], options=cfg.REGULARISERS),
        "reg_rate": Prop(float(values["reg_rate"]), options=cfg.REG_RATES),
        "dropout": Prop(float(values["dropout"]), 0.0, 0.9),
        "batch_size": Prop(int(values["batch_size"]), 1, cfg.MAX_BATCH),
        "loss": Prop(values["loss"], options=cfg.LOSSES),
        "epochs": Prop(int(values["epochs"]), 1, cfg.MAX_EPOCHS),
        "seed": Prop(int(values["seed"]), 0, 10_000),
        "patience": Prop(int(values.get("patience", 0)), 0, cfg.MAX_EPOCHS),
        **per_layer_props(values),
    }


def per_layer_props(values: Dict[str, Any]) -> Dict[str, Prop]:
    """``per_layer`` and each hidden layer's row: ``act1``…, ``drop1``…, ``l2_1``… (cfg.PER_LAYER_KEYS)."""
    keys = cfg.PER_LAYER_KEYS
    return {
        "per_layer": Prop(bool(values["per_layer"])),
        **{k: Prop(values[k], options=cfg.ACTIVATIONS) for k in keys["activations"]},
        **{k: Prop(float(values[k]), 0.0, 0.9) for k in keys["dropouts"]},
        **{k: Prop(float(values[k]), options=cfg.REG_RATES) for k in keys["l2s"]},
    }


def network_keys():
    """The widget keys of the network's own controls (the configurator without its training part)."""
    return ("layers", *cfg.UNIT_KEYS, "activation", "init", "init_mean", "init_stddev", "out_init")


def network_configurator(S: PageState, n_inputs: int, training: bool = True, outputs: int = 1,
                          output_activation: str = "sigmoid", losses: Optional[Sequence[str]] = None):
    """The configurator's controls (hidden layers and neurons, activation, initialisers, optimiser and α,
    L1/L2, dropout, batch size, loss, epochs, seed), then the architecture and parameter count. With
    "set per layer" on, one row per hidden layer l: its neurons, f_l, dropout rate and L2 rate λ_l.

    With ``training=False`` only the network's own controls (layers, neurons, activation,
    initialisers) are drawn, for a page that has its training controls already (regression).
    ``outputs``/``output_activation`` describe the output layer the data needs, ``losses`` the losses
    that fit it (default: all of the configurator's).
    Returns the ``Controls`` the widgets describe (not validated: ``Controls.validate`` says what is wrong).
    """
    def reg_changed():
        if S.reg != "none" and S.reg_rate == 0:
            S.reg_rate = 0.001

    st.markdown("**Network**")
    S.control(st.slider, "hidden layers", 0, cfg.MAX_LAYERS, key="layers",
            help=f"0 hidden layers: the output neuron alone, one straight line through the plane. {cfg.LIMIT_NOTE}")
    per_layer = False
    if training:      # the rows hold training settings (dropout, λ) too: pages with their own training keep one f
        per_layer = S.control(st.toggle, "set per layer", key="per_layer", on_change=_rows_from_single_values,
                              args=(S,),
                            disabled=not S.layers, help="Give each hidden layer its own activation, dropout "
                            "rate and L2 rate λ (one row per layer).") and bool(S.layers)
    if per_layer:
        layer_rows(S, S.layers)
    elif S.layers:
        st.caption("neurons per hidden layer")
        cols = st.columns(3)
        for i in range(S.layers):
            S.control(cols[i % 3].number_input, f"layer {i + 1}", 1, cfg.MAX_UNITS, key=cfg.UNIT_KEYS[i],
                    help=f"Neurons in this hidden layer (1 to {cfg.MAX_UNITS}). {cfg.LIMIT_NOTE}")
    S.control(st.selectbox, "activation f (hidden layers)", cfg.ACTIVATIONS, key="activation",
            disabled=not S.layers or per_layer, help="Set per layer above." if per_layer else None)
    S.control(st.selectbox, "kernel initialiser", cfg.INITIALIZERS, key="init",
            help="How the weights W^l start (Keras's names). The biases start at 0.")
    S.control(st.selectbox, "output layer's kernel initialiser", cfg.OUTPUT_INITS, key="out_init",
            format_func=lambda v: "same as the hidden layers" if v == "same" else v,
            help="Keras uses glorot_uniform for any layer whose initialiser you do not set: course 003 "
                 "sets only the hidden layer'S.")
    if "random_normal" in (S.init, S.out_init):
        c = st.columns(2)
        S.control(c[0].number_input, "mean", -10.0, 10.0, key="init_mean", step=0.05, format="%g")
        S.control(c[1].number_input, "stddev", 0.0, 10.0, key="init_stddev", step=0.01, format="%g")
    if not training:
        return cfg.from_values({k: S[k] for k in network_keys() if k in S})
    st.markdown("**Training**")
    S.control(st.selectbox, "optimiser", cfg.OPTIMIZERS, key="optimizer", format_func=cfg.OPTIMIZER_LABELS.get)
    S.control(st.select_slider, "learning rate α", cfg.LRS, key="lr", format_func=lambda v: f"{v:g}")
    S.control(st.selectbox, "loss", list(losses or cfg.LOSSES), key="loss", format_func=cfg.LOSS_LABELS.get)
    c = st.columns(2)
    S.control(c[0].number_input, "batch size", 1, cfg.MAX_BATCH, key="batch_size")
    S.control(c[1].number_input, "epochs", 1, cfg.MAX_EPOCHS, key="epochs")
    c = st.columns(2)
    S.control(c[0].selectbox, "regularisation", cfg.REGULARISERS, key="reg", on_change=reg_changed,
            format_func={"none": "none", "l1": "L1: λΣ|w|", "l2": "L2: λΣw²"}.get,
            help="Set per layer, the rows give each hidden layer's L2 rate; this one is then the output "
                 "layer's L2 rate (or every layer's L1 rate)." if per_layer else None)
    S.control(c[1].select_slider, "rate λ", cfg.REG_RATES, key="reg_rate", disabled=S.reg == "none",
            format_func=lambda v: f"{v:g}")
    S.control(st.slider, "dropout rate", 0.0, 0.9, key="dropout", step=0.05, disabled=not S.layers or per_layer,
            help="Set per layer above." if per_layer else
            "While training, each hidden neuron's output is set to 0 with this probability.")
    S.control(st.number_input, "seed (initial weights, batch order)", 0, 10_000, key="seed")
    S.control(st.number_input, "stop rule: patience (0 = train all epochs)", 0, cfg.MAX_EPOCHS, key="patience",
            help="Stop when the test cost (the training cost if there is no test set) has not improved "
                 "for this many epochs in a row: early stopping, Keras's EarlyStopping(patience=N).")
    controls = cfg.from_values(S)
    st.caption(f"**{controls.architecture(n_inputs, outputs, output_activation)}** · "
               f"{controls.param_count(n_inputs, outputs):,} parameters")
    return controls


def _rows_from_single_values(S: PageState):
    """Switched to 'set per layer': every row starts at the single activation, dropout and L2 rate."""
    if S.per_layer:
        single = cfg.to_values(cfg.from_values({**S.to_dict(), "per_layer": False}))
        for keys in cfg.PER_LAYER_KEYS.values():
            for key in keys:
                S[key] = single[key]


def layer_rows(S: PageState, n_layers: int) -> None:
    """One row per hidden layer l: its neurons, activation f_l, dropout rate and L2 rate λ_l."""
    keys = cfg.PER_LAYER_KEYS
    for i in range(n_layers):
        st.caption(f"hidden layer {i + 1}")
        c = st.columns(2)
        S.control(c[0].number_input, "neurons", 1, cfg.MAX_UNITS, key=cfg.UNIT_KEYS[i],
                help=f"Neurons in this hidden layer (1 to {cfg.MAX_UNITS}). {cfg.LIMIT_NOTE}")
        S.control(c[1].selectbox, "activation f", cfg.ACTIVATIONS, key=keys["activations"][i])
        c = st.columns(2)
        S.control(c[0].number_input, "dropout rate", 0.0, 0.9, key=keys["dropouts"][i], step=0.05, format="%g",
                help="While training, each neuron of this layer outputs 0 with this probability.")
        S.control(c[1].selectbox, "L2 rate λ", cfg.REG_RATES, key=keys["l2s"][i], format_func=lambda v: f"{v:g}",
                help="This layer adds λ Σ w² of its weights to the cost J (Keras's L2(λ)).")




# ---- TensorFlow Playground's rules: its controls, its lists, its limits ----------------------------------
def tf_props(values: Dict[str, Any]) -> Dict[str, Prop]:
    """The playground's properties for TF Playground's rules: ``rules``, ``bias_init``, and the configurator's
    with TF Playground's values allowed too (its initialiser, ½(o − t)², its regularisation rates up to 10)."""
    return {
        "rules": Prop(values["rules"], options=cfg.RULES),
        "bias_init": Prop(float(values["bias_init"]), -1.0, 1.0),
        "init": Prop(values["init"], options=cfg.INITIALIZERS + (cfg.TF_INIT,)),
        "out_init": Prop(values["out_init"], options=cfg.OUTPUT_INITS + (cfg.TF_INIT,)),
        "loss": Prop(values["loss"], options=cfg.LOSSES + cfg.TF_LOSSES),
        "reg_rate": Prop(float(values["reg_rate"]), options=sorted(set(cfg.REG_RATES) | set(tfp.REG_RATES))),
    }


def _tf_fit(S: PageState) -> None:
    """Values TF Playground has no control for moved to its nearest (a set-up switched to its rules)."""
    S.layers = min(S.layers, tfp.MAX_LAYERS)
    for key in cfg.UNIT_KEYS[:S.layers]:
        S[key] = min(max(int(S[key]), 1), tfp.MAX_UNITS)
    if S.activation not in tfp.ACTIVATIONS:
        S.activation = "tanh"
    if S.lr not in tfp.LEARNING_RATES:
        S.lr = min(tfp.LEARNING_RATES, key=lambda a: abs(np.log10(a) - np.log10(S.lr)))
    if S.reg_rate not in tfp.REG_RATES:
        S.reg_rate = min(tfp.REG_RATES, key=lambda a: abs(a - S.reg_rate))
    S.batch_size = min(max(int(S.batch_size), 1), tfp.MAX_BATCH)
    if S.init not in (cfg.TF_INIT, "zeros"):
        S.init = cfg.TF_INIT


def tf_configurator(S: PageState, n_inputs: int, outputs: int = 1, output_activation: str = "tanh"):
    """TF Playground's own controls, with its lists and limits: hidden layers (≤ 6) and neurons (≤ 8),
    activation, learning rate α, L1/L2 and its rate r, batch size (1 … 30), and whether every weight starts
    at 0 (its initZero); the rest is its rules (plain SGD, ½(o − t)², U[−0.5, 0.5) and 0.1, fixed order)."""
    _tf_fit(S)
    st.markdown("**Network** (TensorFlow Playground's)")
    S.control(st.slider, "hidden layers", 0, tfp.MAX_LAYERS, key="layers",
              help=f"TensorFlow Playground: up to {tfp.MAX_LAYERS} hidden layers of {tfp.MAX_UNITS} neurons.")
    if S.layers:
        cols = st.columns(3)
        for i in range(S.layers):
            S.control(cols[i % 3].number_input, f"layer {i + 1}", 1, tfp.MAX_UNITS, key=cfg.UNIT_KEYS[i])
    S.control(st.selectbox, "activation f (hidden layers)", tfp.ACTIVATIONS, key="activation",
              disabled=not S.layers)
    st.markdown("**Training** (plain SGD on ½(o − t)²)")
    S.control(st.select_slider, "learning rate α", tfp.LEARNING_RATES, key="lr", format_func=lambda v: f"{v:g}")
    c = st.columns(2)
    S.control(c[0].selectbox, "regularisation", cfg.REGULARISERS, key="reg",
              format_func={"none": "none", "l1": "L1: r Σ|w|", "l2": "L2: r · ½Σw²"}.get,
              help="TensorFlow Playground's: L2 adds r·½w² per weight (nnplay's λ = r/2); L1 steps each weight by "
                   "α r sign(w) after the update and sets a weight it moves across 0 to 0 for good (dead).")
    S.control(c[1].select_slider, "rate r", tfp.REG_RATES, key="reg_rate", disabled=S.reg == "none",
              format_func=lambda v: f"{v:g}")
    if S.reg != "none" and S.reg_rate == 0:
        st.caption("With rate 0 the penalty is 0 (TensorFlow Playground allows it; nnplay asks for a rate).")
    c = st.columns(2)
    S.control(c[0].slider, "batch size", 1, tfp.MAX_BATCH, key="batch_size")
    S.control(c[1].number_input, "epochs", 1, cfg.MAX_EPOCHS, key="epochs",
              help="TensorFlow Playground trains until you pause; here the run stops after these epochs.")
    S.control(st.radio, "weights start", (cfg.TF_INIT, "zeros"), key="init", horizontal=True,
              format_func={cfg.TF_INIT: "U[−0.5, 0.5), biases 0.1", "zeros": "all 0 (initZero)"}.get,
              help="TensorFlow Playground starts every weight from U[−0.5, 0.5) and every bias at 0.1, or all "
                   "at 0 with its initZero.")
    S.bias_init, S.out_init = (0.0 if S.init == "zeros" else tfp.BIAS_INIT), "same"
    S.optimizer, S.loss, S.dropout, S.per_layer, S.patience = "sgd", tfp.LOSS, 0.0, False, 0
    controls = cfg.from_values(S)
    st.caption(f"**{controls.architecture(n_inputs, outputs, output_activation)}** · "
               f"{controls.param_count(n_inputs, outputs):,} parameters")
    return controls
