"""A run's key figures, what "📤 Send to class" sends beside the run's link: the same names on every page.

From any run of the engine (``nncore.engine.training.Run``: the playground's, regression's): epochs done,
the training and test cost J, the test accuracy (classification), the parameter count of the network
(every W^l and b^l), the optimiser and α, and the run's status; ``data`` names the data set.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

DATA = "data"
EPOCHS = "epochs"
TRAIN_COST = "training cost J"
TEST_COST = "test cost J"
TEST_ACCURACY = "test accuracy"
PARAMETERS = "parameters"
OPTIMIZER = "optimiser"
LR = "α"
STATUS = "status"


def _last(values) -> Optional[float]:
    if not values or values[-1] is None:
        return None
    return round(float(values[-1]), 6)


def key_figures(run, data: str) -> Dict[str, Any]:
    """The figures of ``run`` (an engine Run) on the data set ``data``; a figure the run has not got yet is
    left out."""
    figures = {
        DATA: str(data),
        EPOCHS: len(getattr(run, "epochs", []) or []),
        TRAIN_COST: _last(getattr(run, "train_losses", None)),
        TEST_COST: _last(getattr(run, "val_losses", None)),
        TEST_ACCURACY: _last(getattr(run, "val_accuracies", None)),
        PARAMETERS: int(run.net.param_count()),
        OPTIMIZER: str(run.spec.optimizer),
        LR: float(run.spec.lr),
        STATUS: str(getattr(run, "status", "")),
    }
    return {k: v for k, v in figures.items() if v is not None and v != ""}
