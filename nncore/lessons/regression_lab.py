"""The regression lesson (course 004) as data: a setup, its data set, its model, its run.

``Setup()`` with no arguments is the course's example: true w=2, b=1, N=100, seed 100, noise
0.1, an 80/20 split, the line a = w x + b started where the script's ``np.random.randn`` puts
it, MSE, plain gradient descent with α = 0.1 on the whole batch, 100 epochs, and a stop when
the validation cost falls below 0.0001.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Tuple

import numpy as np

from nncore.data import datasets
from nncore.engine.budget import BudgetedRun
from nncore.engine.network import MLP
from nncore.engine.specs import LIMITS, NetworkSpec, SpecError, TrainSpec
from nncore.engine.training import Run

MODELS = ("line", "curve")


@dataclass(frozen=True)
class Setup:
    """Everything the regression page lets a student choose."""

    model: str = "line"               # line: a = w x + b;  curve: a small network on y = sin(2πx)
    true_w: float = 2.0
    true_b: float = 1.0
    n: int = 100
    noise: float = 0.1
    seed: int = 100
    val_split: float = 0.2
    course_init: bool = True          # line only: start at the script's w, b from the data's stream
    init_seed: int = 0
    hidden: Tuple[int, ...] = (16, 16)   # curve only: the network from the shared configurator
    activation: str = "tanh"
    initializer: str = "glorot_uniform"
    init_mean: float = 0.0
    init_stddev: float = 0.05
    train: TrainSpec = TrainSpec(loss="mse", optimizer="sgd", lr=0.1, mode="batch", epochs=100,
                                 early_stop=0.0001, shuffle=True)

    def validate(self) -> "Setup":
        problems = {}
        if self.model not in MODELS:
            problems["model"] = f"The model must be one of {', '.join(MODELS)}."
        if not 1 <= self.n <= LIMITS.max_points:
            problems["n"] = f"N must be between 1 and {LIMITS.max_points} (got {self.n})."
        if not 0 <= self.noise <= 10:
            problems["noise"] = f"The noise must be between 0 and 10 (got {self.noise:g})."
        if self.train.loss not in ("mse", "half_mse", "mae"):
            problems["loss"] = "Regression uses MSE, half-MSE or MAE."
        if problems:
            raise SpecError(problems)
        self.train.validate()
        self.network_spec().validate()
        return self

    def network_spec(self) -> NetworkSpec:
        if self.model == "line":
            return NetworkSpec(n_inputs=1, hidden=(), output_activation="linear", seed=self.init_seed,
                               initializer="random_normal", init_stddev=1.0, bias_initializer="random_normal")
        return NetworkSpec(n_inputs=1, hidden=self.hidden, activation=self.activation,
                           output_activation="linear", initializer=self.initializer, init_mean=self.init_mean,
                           init_stddev=self.init_stddev, seed=self.init_seed)


def make_data(setup: Setup) -> datasets.Split:
    if setup.model == "line":
        return datasets.linear(setup.true_w, setup.true_b, setup.n, setup.noise, setup.seed, setup.val_split)
    return datasets.curve(setup.n, setup.noise, setup.seed, setup.val_split)


def make_net(setup: Setup, data: datasets.Split) -> MLP:
    net = MLP.from_spec(setup.network_spec())
    if setup.model == "line" and setup.course_init:
        net.set_weights([data.w0.reshape(1, 1), data.b0])
    return net


def start(setup: Setup) -> Tuple[datasets.Split, Run]:
    """Data and a fresh run for ``setup`` (validated first)."""
    return start_with(setup, None)


def start_with(setup: Setup, weights=None) -> Tuple[datasets.Split, Run]:
    """``start``, from ``weights`` (the network's list of W and b) when given: the timeline's "↺ Same start θ₀"
    and "▶ Continue from here" (a replay from θ₀)."""
    setup.validate()
    data = make_data(setup)
    if len(data.x_train) == 0:
        raise SpecError({"val_split": "The split leaves no training data: lower the validation share."})
    net = make_net(setup, data)
    if weights is not None:
        net.set_weights(weights)
    run = BudgetedRun(net, data.x_train, data.y_train, setup.train, data.x_val, data.y_val,
                      keep_path=setup.model == "line")      # a live frame advances it within its time budget
    return data, run


def line_params(run: Run) -> Tuple[float, float]:
    """(w, b) of the line model now."""
    return float(run.net.theta[0]), float(run.net.theta[1])


def with_train(setup: Setup, **changes) -> Setup:
    """The same setup with some training settings changed (for comparisons)."""
    return replace(setup, train=replace(setup.train, **changes))


def steps_per_epoch(setup: Setup, n_train: int) -> int:
    size = setup.train.effective_batch(n_train)
    return int(np.ceil(n_train / size)) if n_train else 1


DESCENT_VARIANTS = {
    "batch": {"mode": "batch"},
    "mini-batch (10)": {"mode": "mini-batch", "batch_size": 10},
    "stochastic": {"mode": "stochastic"},
}


# One click on "Compare" trains every variant inside the page's rerun, so the whole comparison shares
# one budget (about 5 s of CPU at worst on the lab machines): at most this many updates, and at most
# this many samples through the network (updates × batch size), split evenly between the variants.
COMPARE_MAX_STEPS = 60_000
COMPARE_MAX_SAMPLES = 4_000_000


def compare(setup: Setup, variants: dict, max_steps: int = COMPARE_MAX_STEPS,
            max_samples: int = COMPARE_MAX_SAMPLES) -> list:
    """The course's home task: train each variant of ``setup`` (a label → TrainSpec changes) to the
    end from the same start; return what the comparison chart needs, one dict per run.

    ``max_steps`` and ``max_samples`` bound the whole comparison (see ``COMPARE_MAX_STEPS``); a run
    cut short by them says so in its label."""
    results = []
    share = max(1, len(variants))
    for label, changes in variants.items():
        varied = with_train(setup, **changes)
        data, run = start(varied)
        batch = varied.train.effective_batch(len(data.x_train))
        budget = max(1, min(max_steps // share, max_samples // (share * batch)))
        run.finish(max_steps=budget)
        path = np.array(run.path) if run.path else np.zeros((0, 2))
        note = (" (diverged)" if run.status == "diverged" else
                f" (first {run.step:,} updates)" if not run.done else "")
        results.append({
            "label": label + note,
            "epochs": run.epochs, "train_losses": run.train_losses,
            "final_train": run.train_losses[-1] if run.train_losses else None,
            "status": run.status,
            "path_w": path[:, 0] if len(path) else [], "path_b": path[:, 1] if len(path) else [],
        })
    return results
