"""How many threads TensorFlow may use: a training seat shares the server with every live page.

By default TensorFlow sizes its thread pools to every core of the machine, so one MNIST run on a 2-core
classroom server took both cores and the live pages beside it lost two thirds of their frames
(docs/BENCHMARKS.md, fairness). nnplay caps both pools, the one inside an operation (a matrix product
split over threads: "intra-op") and the one that runs independent operations side by side ("inter-op"),
to ``NNPLAY_TF_THREADS`` threads each (default ``DEFAULT``; ``0`` leaves TensorFlow's own choice).

TensorFlow reads its pools' sizes when it makes them, from ``TF_NUM_INTRAOP_THREADS`` and
``TF_NUM_INTEROP_THREADS``; ``apply()`` sets those (an operator's own values win) before TensorFlow is first
imported: ``nncore/keras/__init__.py`` calls it, and every import of TensorFlow in nnplay goes through
``nncore.keras``. Nothing here imports TensorFlow.

A training seat also *yields* the processor to the live pages (``yield_cpu``): on Linux its threads, the one
that runs ``model.fit`` and TensorFlow's own (``tf_*``), run at a lower priority (``nice`` +``NNPLAY_TF_NICE``,
default ``DEFAULT_NICE``; ``0`` turns it off), so a core that a live page needs goes to the page and training
takes what is left (bench/fairness.py; docs/DEPLOY.md).
"""
from __future__ import annotations

import os
import sys
from typing import MutableMapping, Optional

ENV = "NNPLAY_TF_THREADS"
NICE_ENV = "NNPLAY_TF_NICE"
DEFAULT_NICE = 10      # a live page's thread weighs ~9× a training thread when both want a core
DEFAULT = 1            # measured on the 2-core lab machine (docs/DEPLOY.md, docs/BENCHMARKS.md)
TF_VARS = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def _whole_number(environ, name: str, default: int, most: Optional[int] = None) -> int:
    """``environ[name]`` as a whole number from 0 to ``most``; missing or anything else: ``default``."""
    environ = os.environ if environ is None else environ
    try:
        n = int(environ.get(name, default))
    except (TypeError, ValueError):
        return default
    return n if 0 <= n and (most is None or n <= most) else default


def count(environ: Optional[MutableMapping[str, str]] = None) -> int:
    """Threads per TensorFlow pool from ``NNPLAY_TF_THREADS`` (a whole number ≥ 0; anything else: the default)."""
    return _whole_number(environ, ENV, DEFAULT)


def apply(environ: Optional[MutableMapping[str, str]] = None) -> int:
    """Set TensorFlow's pool sizes for this process (before it starts); returns the threads per pool (0: TF's)."""
    environ = os.environ if environ is None else environ
    n = count(environ)
    if n:
        for var in TF_VARS:
            environ.setdefault(var, str(n))
        if environ is os.environ and "tensorflow" in sys.modules:     # imported before nnplay could say
            _set_in_tensorflow(n)
    return n


def _set_in_tensorflow(n: int) -> None:
    tf = sys.modules["tensorflow"]
    for setter in ("set_intra_op_parallelism_threads", "set_inter_op_parallelism_threads"):
        try:
            getattr(tf.config.threading, setter)(n)
        except (AttributeError, RuntimeError):         # already running: its pools are made
            pass


def nice(environ: Optional[MutableMapping[str, str]] = None) -> int:
    """How much lower a training seat's threads run (``NNPLAY_TF_NICE``: 0 … 19; anything else: the default)."""
    return _whole_number(environ, NICE_ENV, DEFAULT_NICE, most=19)


def yield_cpu(by: Optional[int] = None) -> int:
    """Lower the priority of the calling thread and of TensorFlow's threads (named ``tf_*``) to ``nice`` + ``by``
    (Linux threads each have their own; a thread starts at its creator's). Called when a seat starts training
    and at every epoch (TensorFlow makes threads as it needs them). Returns how many threads were lowered
    (0 where the system has no per-thread priority)."""
    by = nice() if by is None else by
    if not by or not hasattr(os, "setpriority") or not os.path.isdir("/proc/self/task"):
        return 0
    import threading

    targets = {threading.get_native_id()}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                if f.read().startswith("tf_"):
                    targets.add(int(tid))
        except (OSError, ValueError):           # the thread has ended
            continue
    lowered = 0
    for tid in targets:
        try:
            if os.getpriority(os.PRIO_PROCESS, tid) < by:
                os.setpriority(os.PRIO_PROCESS, tid, by)
            lowered += 1
        except OSError:                          # ended, or not allowed: it keeps its priority
            continue
    return lowered
