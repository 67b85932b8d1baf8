"""The playground's set-up → its PyTorch code (``torch_code.export_code`` with the playground's extras).

The extras: the input features named in a comment, the output kernel's own initialiser (``out_init``) and the
biases' start value, the four points of XOR/AND/OR trained and printed (as the Keras export does), the run's
initial weights θ₀ when given, and what TensorFlow Playground's rules do that the PyTorch loop does not.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np

from nncore.data import datasets
from nncore.data import features as feats
from nncore.export import torch_code
from nncore.lessons import playground_lab as pg

# Above this many parameters the page shows the code without θ₀ (the download still carries it).
SHOWN_WEIGHTS = 300


def tf_rule_notes(setup: pg.Setup) -> List[str]:
    """What TensorFlow Playground's rules do that this PyTorch loop does not, one comment each."""
    c = setup.controls
    if not c.tf_rules:
        return []
    notes = ["TensorFlow Playground's rules: its points in a fixed order (shuffle=False), its U[-0.5, 0.5) start",
             "and its cost ½(a - t)² are written above. Two of its rules are not PyTorch's and are left out:"]
    notes.append("- a short last batch is applied here; TF Playground carries it into the next epoch's first batch"
                 " (the same when the batch size divides the number of points);")
    if c.reg == "l1":
        notes.append("- its L1 rule (a weight the L1 step moves across 0 is set to 0 and frozen) is replaced by "
                     "Keras's: λ1 Σ|W| added to the cost.")
    else:
        notes.append("- its L1 rule (weights frozen at 0) does not matter here: no L1 is set.")
    return notes


def export_code(setup: pg.Setup, weights: Optional[Sequence[np.ndarray]] = None) -> str:
    """Runnable PyTorch code for the playground's network (and, for the four-point sets, its data and a run)."""
    c = setup.controls
    train = c.train_spec(setup.test_ratio)
    header = [f"Inputs: {', '.join(feats.label(f) for f in setup.features)}; data: {pg.DATA_LABELS[setup.data]}."]
    data = None
    if setup.is_gate:
        x, y = datasets.logic_gate(pg.GATE_SETS[setup.data])
        x = np.round(feats.expand(x, setup.features), 6)
        t = setup.task.targets(y)
        data = (x.tolist(), np.asarray(t, dtype=float).tolist())
    return torch_code.export_code(setup.network_spec(), train, weights=weights, out_init=c.out_init,
                                  bias_init=c.bias_init, header=header, notes=tf_rule_notes(setup), data=data)


def shown_weights(weights: Sequence[np.ndarray]) -> Optional[Sequence[np.ndarray]]:
    """θ₀ for the code the page shows: the weights when the network is small, else None (too long to read)."""
    return weights if sum(np.size(w) for w in weights) <= SHOWN_WEIGHTS else None
