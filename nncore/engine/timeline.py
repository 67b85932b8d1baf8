"""A run's timeline: the parameters θ = (W¹, b¹, …, W^L, b^L) kept at the painted frames, to scrub back to.

``Timeline.follow(run)`` hooks a ``training.Run``: from then on θ is copied (one flat float64 array, the
network's own ``MLP.theta``) at the end of every epoch, and ``capture(run)`` copies it at a painted frame.
Frame 0 is θ₀, the weights before the first update. ``at(k)`` reads frame k back and ``view(run, k)`` is the
run as it was then: a network with θ of that frame and the per-epoch curves cut at that moment.

**Memory bound.** A frame holds θ (8 bytes per parameter) and four numbers. The timeline keeps at most
``max_frames`` frames (default ``MAX_FRAMES`` = 400) and at most ``max_bytes`` of θ (default ``MAX_BYTES`` =
4 MiB), whichever bound is reached first: for the playground's largest network (8 hidden layers × 24 neurons,
the 7 built-in features in, 1 output: 4,417 parameters = 35,336 bytes per frame) that is 118 frames, 4.0 MiB;
with 5 softmax outputs 116 frames; for course 003's 2-2-1 network (9 parameters) the 400 frames take 29 KB.
A frame costs one copy of θ (measured 8 µs for the 8 × 24 network, against 3.9 ms for one of its updates).
When a run outgrows the bound the oldest frames are thinned:
every other frame of the older half is dropped (θ₀ and the newest frame always stay), so a long run keeps
its whole span, coarser in the past and fine near now.

Replay. Every run of nnplay is a pure function of its seeds: θ₀ comes from the configurator's ``seed``
(``MLP.from_spec``), the batch order from ``TrainSpec.seed`` (one permutation per epoch), dropout's masks
from ``seed + 1``. So a frame's θ can also be reached by training again from θ₀ for ``step`` updates; this
is how "continue from here" gets the optimiser's state (momentum, Adam's m and v) of that moment exactly.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import List, Optional

import numpy as np

MAX_FRAMES = 400
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Frame:
    """θ after ``step`` updates (``epoch`` whole epochs seen so far: the per-epoch curves' length then)."""

    step: int
    epoch: int
    theta: np.ndarray
    epoch_end: bool = False

    @property
    def nbytes(self) -> int:
        return int(self.theta.nbytes)


class Timeline:
    """θ at the painted frames and epoch ends of one run, bounded (see the module's docstring)."""

    def __init__(self, max_frames: int = MAX_FRAMES, max_bytes: int = MAX_BYTES):
        self.max_frames, self.max_bytes = int(max_frames), int(max_bytes)
        self.frames: List[Frame] = []
        self.thinned = 0                       # how many frames the bound has dropped so far

    # ---- recording ---------------------------------------------------------------------------------------
    def follow(self, run) -> "Timeline":
        """Keep θ₀ now and θ at every epoch end of ``run`` from now on (wraps the run's ``_record``)."""
        if not self.frames or self.frames[-1].step != run.step:
            self.capture(run)
        record = run._record

        def _record(snap) -> None:
            record(snap)
            if snap.epoch_end:
                self.capture(run, epoch_end=True)

        run._record = _record
        return self

    def capture(self, run, epoch_end: bool = False) -> Optional[Frame]:
        """Copy ``run``'s θ as a frame (nothing when the newest frame is already at this update)."""
        if self.frames and self.frames[-1].step == run.step:
            if epoch_end and not self.frames[-1].epoch_end:
                self.frames[-1] = replace(self.frames[-1], epoch_end=True)
            return None
        frame = self._frame(run, epoch_end)
        self.frames.append(frame)
        self._thin()
        return frame

    def _frame(self, run, epoch_end: bool) -> Frame:
        """The frame of ``run`` now (a subclass keeps other things: the race keeps every racer's θ)."""
        return Frame(run.step, len(run.epochs), run.net.theta.copy(), epoch_end)

    @property
    def capacity(self) -> int:
        """Frames kept at most for this run's θ: ``max_frames``, fewer when ``max_bytes`` binds first."""
        if not self.frames:
            return self.max_frames
        return max(3, min(self.max_frames, self.max_bytes // max(1, self.frames[0].nbytes)))

    @property
    def nbytes(self) -> int:
        return sum(f.nbytes for f in self.frames)

    def _thin(self) -> None:
        if len(self.frames) <= self.capacity:
            return
        n = len(self.frames)
        half = n // 2
        older = [f for i, f in enumerate(self.frames[:half]) if i == 0 or i % 2 == 0]
        self.thinned += half - len(older)
        self.frames = older + self.frames[half:]

    def truncate(self, step: int) -> None:
        """Forget the frames after update ``step`` (a branch continues from there)."""
        self.frames = [f for f in self.frames if f.step <= step]

    # ---- reading back ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.frames)

    def at(self, k: int) -> Frame:
        return self.frames[k]

    def index_of_epoch(self, epoch: int) -> Optional[int]:
        """The frame at the end of epoch ``epoch``, if kept."""
        for i, f in enumerate(self.frames):
            if f.epoch_end and f.epoch == epoch:
                return i
        return None

    def weights(self, k: int, net) -> List[np.ndarray]:
        """Frame k's θ as Keras's list [W¹, b¹, …] for a network shaped like ``net``."""
        return [self.frames[k].theta[s].reshape(shape).copy() for views in net._slices for s, shape in views]

    def view(self, run, k: int) -> "RunAt":
        return RunAt(run, self.frames[k])

    def replay_to(self, make_run, frame: Frame):
        """A fresh run from ``make_run()`` at ``frame``'s update, its optimiser's state as it was then (``replay``):
        "▶ Continue from here"."""
        return replay(make_run, frame.step)


class RunAt:
    """``run`` as it was at ``frame``: its network holds that frame's θ; the per-epoch lists, the cost per update
    and the path of (w, b) stop there; everything else (data, features, set-up) is the run's own. Drawing code
    reads it like the run."""

    def __init__(self, run, frame: Frame):
        import copy

        self._run, self.frame = run, frame
        net = copy.copy(run.net)                              # new θ and views; layers copied, not shared
        net.layers = [copy.copy(layer) for layer in run.net.layers]
        net.theta = frame.theta.copy()
        for layer, (W, b) in zip(net.layers, net._views(net.theta)):
            layer.W, layer.b = W, b
        net._grad = np.empty_like(net.theta)                  # its own gradient buffer too
        net._grad_views = net._views(net._grad)
        self.net = net
        n = frame.epoch
        for name in ("epochs", "train_losses", "val_losses", "accuracies", "val_accuracies", "dead_relu"):
            if hasattr(run, name):
                setattr(self, name, list(getattr(run, name))[:n])
        # the per-update history (the cost per update, the path on the cost surface) up to the frame's update
        kept = bisect.bisect_right(getattr(run, "steps", []), frame.step)     # the steps are in order
        self.steps, self.batch_losses = run.steps[:kept], run.batch_losses[:kept]
        if getattr(run, "keep_path", False):
            self.path = run.path[: frame.step // run._path_every + 1]
        # no update's gradient is shown at a past frame; at the run's newest update its own (a diverged run's reason)
        self.last = run.last if frame.step >= run.step else None

    def __getattr__(self, name):
        return getattr(self._run, name)

    @property
    def step(self) -> int:
        return self.frame.step

    @property
    def epoch(self) -> int:
        return self.epochs[-1] if self.epochs else 0

    @property
    def done(self) -> bool:
        return False

    @property
    def status(self) -> str:
        """"paused"; "diverged" at the update where the run diverged (a racer that stopped early in a race)."""
        if self._run.status == "diverged" and self.frame.step >= self._run.step:
            return "diverged"
        return "paused"


def replay(make_run, step: int):
    """A fresh run from ``make_run()`` trained for exactly ``step`` updates: the same θ, optimiser state and
    place in the batch order as the original run had then (runs are pure functions of their seeds)."""
    run = make_run()
    while run.step < step and not run.done:
        if not run.advance(min(1000, step - run.step)):
            break
    return run
