"""Keras training runs for the MNIST page: a worker thread per run, a room with limited seats.

A run is ``model.fit`` on a worker thread. A process-wide ``Room`` lets only ``size`` runs train
at once (TensorFlow already uses every core for one run); the others wait in line, first come
first served, and can tell the page their place in it. While a run trains, a Keras callback
appends each batch's and each epoch's metrics to a ``MetricsBuffer`` that the page's fragment
reads without waiting for the run. ``stop()`` sets ``model.stop_training``: Keras ends the run
after the batch in progress and the model keeps the weights it has reached.

The callback does little per batch (two floats and a tuple append), so watching a run live
costs a few per cent of ``model.fit`` at most (``bench/mnist_overhead.py`` measures it).
TensorFlow is imported only when a run starts.

A run can be given an ``owner``: a function that says whether someone still watches it (the page
passes "is my browser session still connected?"). Once the owner has been gone for
``ABANDON_AFTER`` seconds (checked at most once a second, in the line and after each batch), the
run stops as if Stop had been pressed, with status ``"abandoned"``: a closed tab frees its seat in
the room, and its thread, model and data go with it. ``stop_reason`` then says so in a sentence, as it
does when the student pressed Stop.

A reload is a new browser session. So that it finds its run again, every run has a ``run_id`` (a
random token, unguessable: it is the only key to the run) and is kept in a process-wide registry:
``find(run_id)`` gives the run back, still training or ended (ended runs stay findable for
``KEEP_ENDED`` s; at most ``REGISTRY_LIMIT`` runs are kept). ``adopt(job, owner)`` makes the new
session its owner, so the run is not abandoned when the old session's ``ABANDON_AFTER`` is up.
"""
from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from typing import Callable, List, NamedTuple, Optional

import numpy as np

from nncore.keras import threads
from nncore.keras.bridge import keras

STATUSES = ("queued", "running", "stopped", "finished", "failed", "abandoned")
ENDED = ("stopped", "finished", "failed", "abandoned")


def _abandon_after() -> float:
    try:
        return max(0.0, float(os.environ.get("NNPLAY_ABANDON_AFTER", "30")))
    except ValueError:
        return 30.0


ABANDON_AFTER = _abandon_after()   # s a run goes on once nobody watches it (a reload reconnects in time)
REGISTRY_LIMIT = 64                # runs ``find`` knows at most (the newest; ended ones are dropped first)
KEEP_ENDED = 30 * 60.0             # s an ended run stays findable, so a reload after the end shows its result

STOPPED_BY_YOU = "You pressed ⏹ Stop."
STOPPED_BY_YOU_IN_LINE = "You pressed ⏹ Stop while the run waited in line."


def abandon_reason(seconds: float, queued: bool = False) -> str:
    """Why a run whose tab closed ended, in a sentence for the page."""
    what = ("so the run left the line before it trained" if queued
            else "so the run was stopped to free the training seat")
    return f"Your tab was closed for more than {seconds:g} s, {what}."


class BatchMetrics(NamedTuple):
    """After one mini-batch: Keras's running mean of the loss J and of the accuracy over this epoch."""

    epoch: int          # 0-based, as Keras counts
    batch: int          # 0-based index of the batch within the epoch
    loss: float
    accuracy: Optional[float]


class EpochMetrics(NamedTuple):
    """After one epoch: training and validation loss/accuracy, the epoch's time, batches it ran."""

    epoch: int
    loss: float
    accuracy: Optional[float]
    val_loss: Optional[float]
    val_accuracy: Optional[float]
    seconds: float
    batches: int        # fewer than ``steps`` when the run was stopped in this epoch


class MetricsBuffer:
    """Append-only lists of metrics, filled by the training thread, read by the page.

    The lock is held only to append one record or to copy a slice, so neither side waits on the
    other; a reader keeps its own counts and asks for what is new (``batches_since(n)``).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._batches: List[BatchMetrics] = []
        self._epochs: List[EpochMetrics] = []
        self.epochs_planned: Optional[int] = None
        self.steps_per_epoch: Optional[int] = None

    def add_batch(self, record: BatchMetrics) -> None:
        with self._lock:
            self._batches.append(record)

    def add_epoch(self, record: EpochMetrics) -> None:
        with self._lock:
            self._epochs.append(record)

    def batches_since(self, n: int = 0) -> List[BatchMetrics]:
        with self._lock:
            return self._batches[n:]

    def epochs_since(self, n: int = 0) -> List[EpochMetrics]:
        with self._lock:
            return self._epochs[n:]

    def latest(self):
        """(last BatchMetrics or None, last EpochMetrics or None)."""
        with self._lock:
            return (self._batches[-1] if self._batches else None,
                    self._epochs[-1] if self._epochs else None)

    def __len__(self):
        return len(self._batches)

    def __repr__(self):
        return f"MetricsBuffer({len(self._batches)} batches, {len(self._epochs)} epochs)"


class Room:
    """At most ``size`` Keras runs train at once in this process; the others queue, first in first out.

    The seats are a ``threading.BoundedSemaphore(size)``; the line is a list guarded by a
    condition, so every waiting run knows its position (1 = next to train).
    """

    def __init__(self, size: int = 1):
        if size < 1:
            raise ValueError("A room needs at least one seat.")
        self.size = size
        self._seats = threading.BoundedSemaphore(size)
        self._line: list = []
        self._changed = threading.Condition()
        self._in_use = 0

    def enter(self, who, give_up: threading.Event, poll: Optional[Callable[[], None]] = None) -> bool:
        """Wait in line for a seat. True once seated; False if ``give_up`` was set while waiting.

        ``poll`` (if given) is called about twice a second while waiting; it may set ``give_up``.
        """
        with self._changed:
            self._line.append(who)
            try:
                while not give_up.is_set():
                    if self._line[0] is who and self._seats.acquire(blocking=False):
                        self._in_use += 1
                        return True
                    self._changed.wait(timeout=0.5)
                    if poll is not None:
                        poll()
                return False
            finally:
                self._line.remove(who)
                self._changed.notify_all()

    def leave(self) -> None:
        with self._changed:
            self._in_use -= 1
            self._seats.release()
            self._changed.notify_all()

    def wake(self) -> None:
        """Let waiting runs look again (after one of them gave up)."""
        with self._changed:
            self._changed.notify_all()

    def position(self, who) -> Optional[int]:
        """1-based place of ``who`` in the line, or None if it is not waiting."""
        with self._changed:
            return self._line.index(who) + 1 if who in self._line else None

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._line)

    @property
    def in_use(self) -> int:
        with self._changed:
            return self._in_use

    def __repr__(self):
        return f"Room({self.in_use}/{self.size} seats in use, {self.waiting} waiting)"


def _default_seats() -> int:
    try:
        return max(1, int(os.environ.get("NNPLAY_KERAS_SEATS", "1")))
    except ValueError:
        return 1


ROOM = Room(_default_seats())    # the whole server's room: one run trains at a time on 2 cores

_CALLBACK_CLASS = None


def _callback_class():
    """The Keras callback class, defined on first use so that importing this module skips TensorFlow."""
    global _CALLBACK_CLASS
    if _CALLBACK_CLASS is None:
        k = keras()

        class StreamMetrics(k.callbacks.Callback):
            """Copies Keras's logs into a MetricsBuffer; honours a stop request after each batch."""

            def __init__(self, buffer: MetricsBuffer, stop: threading.Event,
                         poll: Optional[Callable[[], None]] = None):
                super().__init__()
                self.buffer, self.stop, self._epoch, self._t0, self._seen = buffer, stop, 0, 0.0, 0
                self.poll = poll

            def on_train_begin(self, logs=None):
                self.buffer.epochs_planned = self.params.get("epochs")
                self.buffer.steps_per_epoch = self.params.get("steps")
                if self.stop.is_set():
                    self.model.stop_training = True

            def on_epoch_begin(self, epoch, logs=None):
                self._epoch, self._seen, self._t0 = epoch, 0, time.perf_counter()
                threads.yield_cpu()                  # TensorFlow's threads made since: below the live pages too

            def on_train_batch_end(self, batch, logs=None):
                logs = logs or {}
                steps = self.params.get("steps")
                if steps:                          # a short last call of several batches: Keras says one past
                    batch = min(batch, steps - 1)
                self._seen = batch + 1                 # batches of this epoch made so far
                self.buffer.add_batch(BatchMetrics(self._epoch, batch, logs.get("loss"), logs.get("accuracy")))
                if self.poll is not None:
                    self.poll()
                if self.stop.is_set():
                    self.model.stop_training = True

            def on_epoch_end(self, epoch, logs=None):
                logs = logs or {}
                self.buffer.add_epoch(EpochMetrics(
                    epoch, logs.get("loss"), logs.get("accuracy"), logs.get("val_loss"),
                    logs.get("val_accuracy"), time.perf_counter() - self._t0, self._seen))

        _CALLBACK_CLASS = StreamMetrics
    return _CALLBACK_CLASS


def metrics_callback(buffer: MetricsBuffer, stop: Optional[threading.Event] = None,
                     poll: Optional[Callable[[], None]] = None):
    """A Keras callback that streams batch and epoch metrics into ``buffer``; ``poll()`` runs after each
    batch (it may set ``stop``)."""
    return _callback_class()(buffer, stop or threading.Event(), poll)


SMALL_BATCH = 32           # Keras's default batch; smaller ones go to TensorFlow several batches per call
SAMPLES_PER_CALL = 128     # ... about this many samples per call, at most MAX_STEPS_PER_CALL batches
MAX_STEPS_PER_CALL = 16


def steps_per_call(batch_size) -> int:
    """Batches per call into TensorFlow (Keras's ``steps_per_execution``) for ``batch_size``.

    Between two calls Keras runs Python on the seat's thread, holding the interpreter lock that every live
    page needs. With one batch of 8 digits per call, Python work beside a training seat ran at 73% of its
    speed alone; with 16 batches per call, at 102% (and the run took 5.5 s instead of 6.1 s). So a batch
    smaller than ``SMALL_BATCH`` goes with others, about ``SAMPLES_PER_CALL`` samples a call: the updates are
    the same, in the same order; the live curves and the stop button see the last batch of each call."""
    b = max(1, int(batch_size or SMALL_BATCH))
    return 1 if b >= SMALL_BATCH else max(1, min(MAX_STEPS_PER_CALL, SAMPLES_PER_CALL // b))


class TrainingJob:
    """One ``model.fit`` on its own thread, behind ``room``; the page polls ``status`` and ``metrics``.

    ``fit_kwargs`` go to ``model.fit`` unchanged (``epochs``, ``batch_size``, ``validation_data``,
    ``validation_split``, ``shuffle``, ...); ``callbacks`` are added after the metrics callback.
    ``owner()`` (optional) says whether someone still watches the run; see ``ABANDON_AFTER``.
    ``adopt(owner)`` hands the run to another watcher (a reloaded page). The run gets a ``run_id``
    and is put in ``registry`` (the process-wide ``JOBS`` unless given), where ``find`` looks.
    """

    def __init__(self, model, x, y, *, room: Optional[Room] = None, callbacks=(), name: str = "",
                 owner: Optional[Callable[[], bool]] = None, registry: Optional["JobRegistry"] = None,
                 **fit_kwargs):
        self.run_id = secrets.token_urlsafe(12)         # 16 characters, 96 random bits
        self.model, self.x, self.y = model, x, y
        self._owner_lock = threading.Lock()   # guards the owner, its generation, abandoned, stop_reason
        self._owner = owner
        self._owner_generation = 0            # +1 at each adopt: a check of a former owner is void
        self.abandoned = False
        self.stop_reason: Optional[str] = None  # a sentence, once the run was stopped or abandoned
        self.ended_at: Optional[float] = None   # time.monotonic() when it ended
        self._owner_gone_since: Optional[float] = None
        self._owner_checked = float("-inf")
        self.room = room or ROOM
        self.fit_kwargs = fit_kwargs
        self.extra_callbacks = list(callbacks)
        self.name = name
        self.metrics = MetricsBuffer()
        self.error: Optional[str] = None
        self._status = "queued"
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        (registry if registry is not None else JOBS).add(self)

    # ---- the page's side -----------------------------------------------------------------------
    def start(self) -> "TrainingJob":
        if self._thread is not None:
            raise RuntimeError("This run has already been started.")
        self._thread = threading.Thread(target=self._run, name=f"keras-job {self.name}".strip(), daemon=True)
        self._thread.start()
        return self

    def stop(self, reason: Optional[str] = None) -> None:
        """Stop after the batch in progress (or leave the line if still queued); the model is kept.

        ``reason`` (a sentence) becomes ``stop_reason``; by default it says the student pressed Stop.
        A run that has ended already, or is being stopped, keeps its first reason.
        """
        with self._owner_lock:
            if self.stop_reason is None and not self.done and not self._stop.is_set():
                self.stop_reason = reason or (STOPPED_BY_YOU_IN_LINE if self._status == "queued"
                                              else STOPPED_BY_YOU)
            self._stop.set()
        if self._status == "running":
            self.model.stop_training = True
        self.room.wake()

    def join(self, timeout: Optional[float] = None) -> bool:
        """Wait for the run to end; True if it has."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.done

    @property
    def owner(self) -> Optional[Callable[[], bool]]:
        """The current watcher's check (the one the abandonment watch asks)."""
        return self._owner

    def adopt(self, owner: Callable[[], bool]) -> bool:
        """Make ``owner`` the run's watcher (a reloaded page takes its run over); the former owner's
        absence no longer counts. False if the run was abandoned already (``stop_reason`` says why);
        True otherwise, also for a run that has ended by itself or by Stop.

        Safe against the worker thread: a check of the former owner that is under way when this is
        called is thrown away, and every later check asks ``owner``.
        """
        with self._owner_lock:
            if self.abandoned:
                return False
            self._owner = owner
            self._owner_generation += 1
            self._owner_gone_since = None
            self._owner_checked = float("-inf")
            return True

    @property
    def status(self) -> str:
        return self._status

    @property
    def done(self) -> bool:
        return self._status in ENDED

    @property
    def queue_position(self) -> Optional[int]:
        """1 = next to train; None when not waiting."""
        return self.room.position(self) if self._status == "queued" else None

    def __repr__(self):
        last, _ = self.metrics.latest()
        where = f", epoch {last.epoch + 1}/{self.metrics.epochs_planned}, batch {last.batch + 1}" if last else ""
        return f"TrainingJob({self._status}{where})"

    # ---- the worker thread -----------------------------------------------------------------------
    def _watch_owner(self) -> None:
        """Stop the run once its owner has been gone for ABANDON_AFTER s (asks at most once a second).

        The owner is asked outside the lock (it may take a moment); its answer counts only if no
        ``adopt`` came in meanwhile, and the decision to abandon is taken under the lock.
        """
        with self._owner_lock:
            if self._owner is None or self._stop.is_set():
                return
            now = time.monotonic()
            if now - self._owner_checked < 1.0:
                return
            self._owner_checked = now
            owner, generation = self._owner, self._owner_generation
        try:
            present = bool(owner())
        except Exception:       # a broken check must not end someone's run
            present = True
        with self._owner_lock:
            if generation != self._owner_generation or self._stop.is_set():
                return          # adopted (or stopped) while we asked: the answer is about someone else
            if present:
                self._owner_gone_since = None
            elif self._owner_gone_since is None:
                self._owner_gone_since = now
            if self._owner_gone_since is not None and now - self._owner_gone_since >= ABANDON_AFTER:
                self.abandoned = True
                self.stop_reason = abandon_reason(ABANDON_AFTER, queued=self._status == "queued")
                self._stop.set()

    def _ended(self) -> str:
        return "abandoned" if self.abandoned else "stopped"

    def _end(self, status: str) -> None:
        self.ended_at = time.monotonic()      # before the status, so that ``done`` implies ``ended_at``
        self._status = status

    def _run(self) -> None:
        if not self.room.enter(self, self._stop, poll=self._watch_owner):
            self._end(self._ended())
            self._release()
            return
        try:
            if self._stop.is_set():
                self._end(self._ended())
                return
            self._status = "running"
            threads.yield_cpu()                      # this seat runs below the live pages (nncore.keras.threads)
            if getattr(self.model, "train_function", None) is None and getattr(self.model, "steps_per_execution",
                                                                               1) == 1:
                self.model.steps_per_execution = steps_per_call(self.fit_kwargs.get("batch_size"))
            callbacks = [metrics_callback(self.metrics, self._stop, self._watch_owner), *self.extra_callbacks]
            self.model.fit(self.x, self.y, verbose=0, callbacks=callbacks, **self.fit_kwargs)
            self._end(self._ended() if self._stop.is_set() else "finished")
        except Exception as exc:      # the page shows it; the server goes on
            self.error = error_message(exc)
            self._end("failed")
        finally:
            self.room.leave()
            self._release()

    def _release(self) -> None:
        """An abandoned run lets go of its training data at once (the model is what it has learned)."""
        if self.abandoned:
            self.x = self.y = None
            self.fit_kwargs = {}


class JobRegistry:
    """The runs of this process by ``run_id``, so that a reloaded page finds its run again.

    Bounded: an ended run is dropped ``keep_ended`` s after it ended, and of more than ``limit``
    runs the oldest ended ones go first, then the oldest of all (a dropped run that still trains
    goes on; only ``find`` no longer knows it). Thread-safe.
    """

    def __init__(self, limit: int = REGISTRY_LIMIT, keep_ended: float = KEEP_ENDED):
        if limit < 1:
            raise ValueError("A registry keeps at least one run.")
        self.limit, self.keep_ended = limit, keep_ended
        self._lock = threading.Lock()
        self._jobs: "OrderedDict[str, TrainingJob]" = OrderedDict()

    def add(self, job: "TrainingJob") -> None:
        with self._lock:
            self._jobs[job.run_id] = job
            self._jobs.move_to_end(job.run_id)
            self._prune()

    def find(self, run_id) -> Optional["TrainingJob"]:
        """The run with this id, or None (unknown, malformed, or dropped)."""
        if not isinstance(run_id, str) or not run_id:
            return None
        with self._lock:
            self._prune()
            return self._jobs.get(run_id)

    def _prune(self) -> None:
        now = time.monotonic()
        for run_id, job in list(self._jobs.items()):
            if job.done and job.ended_at is not None and now - job.ended_at > self.keep_ended:
                del self._jobs[run_id]
        while len(self._jobs) > self.limit:
            victim = next((run_id for run_id, job in self._jobs.items() if job.done), None)
            del self._jobs[victim if victim is not None else next(iter(self._jobs))]

    def __len__(self):
        with self._lock:
            return len(self._jobs)

    def __repr__(self):
        return f"JobRegistry({len(self)}/{self.limit} runs)"


JOBS = JobRegistry()     # the whole server's runs, for ``find``


def find(run_id) -> Optional[TrainingJob]:
    """The run with this ``run_id`` (from the page's URL), still training or ended; None if unknown."""
    return JOBS.find(run_id)


def adopt(job: TrainingJob, owner: Callable[[], bool]) -> bool:
    """A reloaded page takes over ``job``: ``owner`` becomes its watcher. See ``TrainingJob.adopt``."""
    return job.adopt(owner)


def error_message(exc: BaseException, limit: int = 500) -> str:
    """A Keras error in a few readable lines: no terminal colours, no dump of the call's arguments."""
    lines = []
    for line in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines():
        if line.strip().startswith("Arguments received"):
            break
        if line.strip():
            lines.append(line.strip())
    return f"{type(exc).__name__}: {' '.join(lines)}"[:limit]


# ---- MNIST arrays as the Dense models take them ------------------------------------------------
def mnist_inputs(x: np.ndarray) -> np.ndarray:
    """Images (n, 28, 28) uint8 → inputs a^0 (n, 784) float32 in [0, 1] for a Dense first layer."""
    x = np.asarray(x)
    scale = 255.0 if x.dtype == np.uint8 else 1.0
    return (x.reshape(len(x), -1) / scale).astype(np.float32)


def one_hot(y: np.ndarray, classes: int = 10) -> np.ndarray:
    """Labels (n,) → one-hot targets (n, classes) float32, for categorical cross-entropy."""
    return np.eye(classes, dtype=np.float32)[np.asarray(y, dtype=int)]
