"""What a lesson step may name: the pages, the link parameters each understands, the metrics each reports.

A step's link is checked against the page's own property names (the ``Prop`` tables of the page scripts,
listed here from the same ``nncore`` sources the pages build them from; ``tests/test_guide_pages.py`` reads
the page scripts and checks that the lists agree) and, for ``preset=``, against the page's presets
(``nncore.lessons.presets.for_page``). Pure Python: no streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet

APP_PARAMS = ("present",)                 # the app's own (views/ui/state.APP_PARAMS, without lesson/step)
TEACHER_PARAMS = ("lock", "hide")
_RUN = ("epoch", "step", "train_loss", "diverged", "finished", "lr")


@dataclass(frozen=True)
class PageRules:
    """A page a step may open: ``params`` its link's names, ``metrics`` what its run reports for goals."""

    name: str
    params: FrozenSet[str]
    metrics: FrozenSet[str]


@lru_cache(maxsize=1)
def pages() -> Dict[str, PageRules]:
    """Every page a lesson may use (URL path → rules); built once, from nncore's own lists."""
    from nncore.lessons import configurator as cfg
    from nncore.lessons import playground_lab as pg
    from nncore.lessons import race_lab as race

    network = ("layers", *cfg.UNIT_KEYS, "activation", "init", "init_mean", "init_stddev", "out_init")
    playground = {*pg.to_values(pg.Setup()), "preset", "speed", "show_test", "discretize", "hidden_dims"}
    regression = {"preset", "model", "true_w", "true_b", "n", "noise", "seed", "val_split", "loss", "optimizer",
                  "momentum", "lr", "mode", "batch_size", "epochs", "early_stop", "course_init", "init_seed",
                  "speed", "log_y", *network}
    race_params = {"racers", *(f"lr_{r}" for r in race.RACERS), "data", "noise", *network, "loss",
                   "batch_size", "epochs", "seed", "speed", "log_y"}
    perceptron = {"sigmoid", "x1", "x2", "x3", "w1", "w2", "w3", "threshold", "gate", "gate_w1", "gate_w2",
                  "gate_b", "lr", "epochs"}
    # pages without a run: a step shows them in a state and may ask a prediction, but has no goal
    activations = {"act", "z_max", "leaky_alpha", "softmax_z", "layers", "layer_z", "lr", "bias"}
    losses = {"y", "y_hat", "outlier", "label", "p", "z1", "z2", "z3", "true_class"}
    mnist = {"preset", "layers", "hidden", "activation", "dropout", "optimizer", "lr", "batch_size", "epochs",
             "val_split", "n_train", "seed"}
    rules = [
        PageRules("perceptron", frozenset(perceptron), frozenset({"gate_correct"})),
        PageRules("regression", frozenset(regression), frozenset({*_RUN, "val_loss", "w", "b"})),
        PageRules("playground", frozenset(playground),
                  frozenset({*_RUN, "test_loss", "train_accuracy", "test_accuracy", "hidden_neurons",
                             "hidden_layers"})),
        PageRules("race", frozenset(race_params),
                  frozenset({"epoch", "step", "finished", "racers", "diverged_racers", "best_train_loss",
                             *(f"{r}_loss" for r in race.RACERS)})),
        PageRules("activations", frozenset(activations), frozenset()),
        PageRules("losses", frozenset(losses), frozenset()),
        PageRules("mnist", frozenset(mnist), frozenset()),
    ]
    return {r.name: r for r in rules}


def presets(page: str) -> FrozenSet[str]:
    """The preset names a link's ``preset=`` may give on ``page`` (empty: the page has none)."""
    from nncore.lessons import presets as p

    return frozenset(p.for_page(page))
