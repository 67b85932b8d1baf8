"""Training as a generator of snapshots: ``for snap in train(net, x, y, spec): ...``.

The loop is the course's: for each epoch, (shuffle and) cut the training set into batches;
for each batch, forward, cost, back-propagation, one optimiser update. Batch descent makes
one update per epoch, stochastic descent one per sample, mini-batch N / batch_size.
After each epoch the validation cost is measured with the updated weights (as the course's
script does) and the run may stop early: when it falls below ``early_stop`` (the course's rule), or
when it has not improved for ``patience`` epochs (``Patience``; the training cost without validation). A page
pulls as many snapshots as it wants per
frame, so pausing and stepping cost nothing.

A run that blows up (NaN, inf, or a cost 10⁴ times its start) ends with status
``"diverged"`` and a reason a student can act on, never with an exception.

TensorFlow Playground's rules are options of the ``TrainSpec``, each on its own (the defaults are Keras's):

- ``shuffle=False``: the points are visited in the order given, every epoch (TF Playground shuffles its data
  once, when it makes it, and never again);
- ``last_batch="carry"``: when the batch size does not divide N, the short last batch is not applied; its
  points join the next epoch's first batch (that update averages ∂J/∂θ over r + batch_size points), and
  at the end of training they are never applied (TF Playground updates after every batch_size-th point of an
  epoch, ``(i + 1) % batchSize == 0``, and keeps what it accumulated);
- ``l1_rule="clip"``: the L1 step is taken apart, after the gradient step, and a weight it moves across 0
  is set to 0 and frozen (``MLP.clip_l1``);
- ``epoch_loss="whole_set"``: the epoch's training cost is the data cost of the whole training set with the
  weights at the end of the epoch, and the test cost likewise, without the penalty: what TF Playground
  shows as "Training loss" / "Test loss" (Keras's "loss" is the mean of the batch costs, penalty included).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional

import numpy as np

from nncore.engine import losses as losses_mod
from nncore.engine import optimizers
from nncore.engine.network import MLP
from nncore.engine.specs import TrainSpec

EXPLODE_FACTOR = 1e4


@dataclass
class Snapshot:
    """The state after one update (``step`` counts updates from 1)."""

    step: int
    epoch: int                     # 1-based epoch this update belongs to
    batch: int                     # index of the batch within the epoch
    batch_loss: float              # J on this batch, before its update (as the course logs it)
    epoch_end: bool = False
    train_loss: Optional[float] = None     # epoch mean of batch losses (Keras's "loss")
    val_loss: Optional[float] = None       # after the epoch's updates
    accuracy: Optional[float] = None
    val_accuracy: Optional[float] = None
    weights: Optional[List[np.ndarray]] = None
    grads: Optional[List[np.ndarray]] = None
    status: str = "running"        # running | early_stop | finished | diverged
    reason: str = ""

    @property
    def done(self) -> bool:
        return self.status != "running"


def signed(y) -> bool:
    """Targets ±1 (TF Playground's labels, a tanh output) rather than 0/1."""
    y = np.asarray(y)
    return y.size > 0 and bool(np.all(np.abs(y) == 1)) and bool(np.any(y < 0))


def accuracy(y, a) -> Optional[float]:
    """Share of samples classified right: threshold 0.5 for one output (0 for ±1 targets), argmax for several."""
    y = np.asarray(y, dtype=float)
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a[:, None]
    y = y.reshape(len(a), -1)
    if a.shape[1] == 1:
        cut = 0.0 if signed(y) else 0.5
        return float(np.mean((a > cut) == (y > cut)))
    return float(np.mean(a.argmax(axis=1) == y.argmax(axis=1)))


def is_classification(y, loss_name: str) -> bool:
    """Accuracy makes sense for cross-entropy, or for targets that are all 0/1."""
    if loss_name in ("binary_crossentropy", "categorical_crossentropy"):
        return True
    y = np.asarray(y)
    return y.size > 0 and (bool(np.all((y == 0) | (y == 1))) or signed(y))


def batches(n: int, size: int, rng: Optional[np.random.Generator]):
    """Index arrays for one epoch: a permutation cut into pieces of ``size`` (the last may be short)."""
    order = rng.permutation(n) if rng is not None else np.arange(n)
    return [order[i:i + size] for i in range(0, n, size)]


def carried(parts, left, size: int):
    """``last_batch="carry"``: the points ``left`` over from the last epoch join this epoch's first batch,
    and a short last batch is kept back (returned as the new ``left``) instead of being applied."""
    parts = list(parts)
    if len(left) and parts:
        parts[0] = np.concatenate([left, parts[0]])
    if parts and len(parts[-1]) < size:
        return parts[:-1], parts[-1]
    return parts, np.zeros(0, dtype=int)


def epochs_done(n: int) -> str:
    """The epoch count as the pages show it beside the update count ("epoch 12 · update 13"): epochs completed."""
    return f"after {n:,} complete epoch{'' if n == 1 else 's'}" if n else "in the first epoch"


def _diverged(loss, start, net) -> str:
    if not np.isfinite(loss) or not all(np.all(np.isfinite(p)) for p in net.parameters()):
        return "The cost became infinite or NaN"
    if loss > EXPLODE_FACTOR * max(start, 1e-3):
        return f"The cost exploded from {start:.3g} to {loss:.3g}"
    return ""


def train(net: MLP, x, y, spec: TrainSpec, x_val=None, y_val=None,
          keep_weights: bool = False, keep_grads: bool = False, val_name: str = "validation") -> Iterator[Snapshot]:
    """Train ``net`` in place on (x, y); yield a Snapshot after every update.

    ``val_name`` is what the messages call the held-out set ("validation", or the playground's "test").
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).reshape(len(x), -1)
    has_val = x_val is not None and len(x_val) > 0
    if has_val:
        x_val = np.asarray(x_val, dtype=float)
        y_val = np.asarray(y_val, dtype=float).reshape(len(x_val), -1)
    loss = losses_mod.get(spec.loss)
    opt = optimizers.make(spec.optimizer, spec.lr, spec.momentum)
    classify = is_classification(y, spec.loss)
    size = spec.effective_batch(len(x))
    shuffle_rng = np.random.default_rng(spec.seed) if spec.shuffle and spec.mode != "batch" else None
    dropout_rng = np.random.default_rng(spec.seed + 1)
    start = None
    step = 0
    watch = Patience(spec.patience, val_name if has_val else "training")
    clip = spec.l1_rule == "clip" and any(layer.l1 for layer in net.layers)
    left = np.zeros(0, dtype=int)
    for epoch in range(1, spec.epochs + 1):
        epoch_losses = []
        parts = batches(len(x), size, shuffle_rng)
        if spec.last_batch == "carry":
            parts, left = carried(parts, left, size)
        for i, idx in enumerate(parts):
            fwd = net.forward(x[idx], training=True, rng=dropout_rng)
            grads = net.backward(fwd, y[idx], loss, l1_gradient=not clip)
            before = [layer.W.copy() for layer in net.layers] if clip else None
            opt.step([net.theta], [grads.flat])
            if clip:
                net.clip_l1(opt.lr, before)
            step += 1
            start = grads.loss if start is None else start
            epoch_losses.append(grads.loss)
            snap = Snapshot(step, epoch, i, grads.loss,
                            weights=net.get_weights() if keep_weights else None,
                            grads=[g.copy() for g in grads.as_list()] if keep_grads else None)
            problem = _diverged(grads.loss, start, net)
            if problem:
                snap.status = "diverged"
                snap.reason = (f"{problem} at update {step}, {epochs_done(epoch - 1)}: each update overshot the "
                               f"minimum by more than the last. The learning rate α = {spec.lr:g} is probably too "
                               f"high; try a smaller one.")
                yield snap
                return
            if i == len(parts) - 1:
                _end_epoch(snap, net, loss, x, y, x_val, y_val, has_val, classify, epoch_losses,
                           whole_set=spec.epoch_loss == "whole_set")
                if has_val and spec.early_stop > 0 and snap.val_loss < spec.early_stop:
                    snap.status = "early_stop"
                    snap.reason = (f"The validation cost {snap.val_loss:.3g} fell below the threshold "
                                   f"{spec.early_stop:g} in epoch {epoch}.")
                elif watch.stops(epoch, snap.val_loss if has_val else snap.train_loss):
                    snap.status = "early_stop"
                    snap.reason = watch.reason
                elif epoch == spec.epochs:
                    snap.status = "finished"
                    snap.reason = f"Trained for all {spec.epochs} epochs."
            yield snap
            if snap.done:
                return


class Patience:
    """The stop rule "stop when the cost has not improved for ``patience`` epochs" (0 = never stop).

    Keras's ``EarlyStopping(patience=N)`` with ``min_delta=0``: an epoch improves when its cost is
    below the best so far; after N epochs in a row that do not, the run stops.
    """

    def __init__(self, patience: int, cost_name: str):
        self.patience = patience
        self.cost_name = cost_name
        self.best = np.inf
        self.best_epoch = 0
        self.reason = ""

    def stops(self, epoch: int, cost: float) -> bool:
        """Record this epoch's cost; True when the rule fires (``reason`` then says why)."""
        if not self.patience:
            return False
        if cost < self.best:
            self.best, self.best_epoch = cost, epoch
            return False
        if epoch - self.best_epoch < self.patience:
            return False
        self.reason = (f"Stopped at epoch {epoch}: {self.cost_name} cost has not improved for {self.patience} "
                       f"epochs (best {self.best:.3g} at epoch {self.best_epoch}).")
        return True


def _end_epoch(snap, net, loss, x, y, x_val, y_val, has_val, classify, epoch_losses, whole_set=False):
    """The epoch's costs: Keras's (the mean of the batch costs; the validation cost with the penalty) or,
    ``whole_set``, TF Playground's (the data cost of each whole set, as the weights are now, no penalty)."""
    snap.epoch_end = True
    out = net.predict(x) if classify or whole_set else None
    snap.train_loss = loss.value(y, out) if whole_set else float(np.mean(epoch_losses))
    if classify:
        snap.accuracy = accuracy(y, out)
    if has_val:
        fwd = net.forward(x_val)
        snap.val_loss = loss.value(y_val, fwd.output) if whole_set else net.loss(x_val, y_val, loss, fwd)
        if classify:
            snap.val_accuracy = accuracy(y_val, fwd.output)


def run(net: MLP, x, y, spec: TrainSpec, x_val=None, y_val=None) -> List[Snapshot]:
    """Train to the end; return the epoch-end snapshots (and the last one, whatever it is)."""
    out = []
    for snap in train(net, x, y, spec, x_val, y_val):
        if snap.epoch_end or snap.done:
            out.append(snap)
    return out


class Run:
    """A training run that a page advances a few updates at a time, keeping what it plots.

    ``history`` holds per-update numbers (step, batch cost, optionally θ for the descent path)
    and per-epoch numbers (train/validation cost, accuracy). The generator lives inside, so a
    paused run costs nothing and a closed tab leaves no thread behind.

    Per-update numbers are bounded: past ``MAX_HISTORY`` updates every other one is dropped and
    from then on only every 2nd (4th, ...) update is kept, so a run of millions of updates holds
    (and a page redraws) at most ``MAX_HISTORY`` points; ``step`` and ``last`` stay exact.
    """

    MAX_PATH = 20_000     # θ kept for at most this many updates (then every other one is dropped)
    MAX_HISTORY = 20_000  # step and batch cost kept for at most this many updates (the same way)

    def __init__(self, net: MLP, x, y, spec: TrainSpec, x_val=None, y_val=None, keep_path: bool = False,
                 val_name: str = "validation"):
        self.net = net
        self.spec = spec
        self.keep_path = keep_path
        self.initial_weights = net.get_weights()       # θ₀, for a replay from the same start
        self._gen = train(net, x, y, spec, x_val, y_val, keep_grads=True, val_name=val_name)
        self.last: Optional[Snapshot] = None
        self.steps: List[int] = []
        self.batch_losses: List[float] = []
        self.epochs: List[int] = []
        self.train_losses: List[float] = []
        self.val_losses: List[Optional[float]] = []
        self.accuracies: List[Optional[float]] = []
        self.val_accuracies: List[Optional[float]] = []
        self.path: List[np.ndarray] = [net.theta.copy()] if keep_path else []
        self._path_every = 1
        self._history_every = 1

    @property
    def done(self) -> bool:
        return self.last is not None and self.last.done

    @property
    def status(self) -> str:
        return self.last.status if self.last else "ready"

    @property
    def step(self) -> int:
        return self.last.step if self.last else 0

    @property
    def epoch(self) -> int:
        return self.epochs[-1] if self.epochs else 0

    def advance(self, n: int = 1) -> List[Snapshot]:
        """Make up to ``n`` updates; return their snapshots (fewer when the run ends)."""
        out = []
        for _ in range(n):
            if self.done:
                break
            snap = next(self._gen)
            self._record(snap)
            out.append(snap)
        return out

    def until_epoch_end(self) -> List[Snapshot]:
        """Advance to the end of the current epoch."""
        out = []
        while not self.done:
            out += self.advance(1)
            if out[-1].epoch_end:
                break
        return out

    def finish(self, max_steps: int = 1_000_000) -> "Run":
        """Run to the end (bounded)."""
        while not self.done and self.step < max_steps:
            self.advance(min(1000, max_steps - self.step))
        return self

    def _record(self, snap: Snapshot) -> None:
        self.last = snap
        if snap.step % self._history_every == 0 or snap.done:
            self.steps.append(snap.step)
            self.batch_losses.append(snap.batch_loss)
            if len(self.steps) > self.MAX_HISTORY:
                self.steps, self.batch_losses = self.steps[::2], self.batch_losses[::2]
                self._history_every *= 2
        if self.keep_path and snap.step % self._path_every == 0:
            self.path.append(self.net.theta.copy())
            if len(self.path) > self.MAX_PATH:
                self.path = self.path[::2]
                self._path_every *= 2
        if snap.epoch_end:
            self.epochs.append(snap.epoch)
            self.train_losses.append(snap.train_loss)
            self.val_losses.append(snap.val_loss)
            self.accuracies.append(snap.accuracy)
            self.val_accuracies.append(snap.val_accuracy)
