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
"""
from __future__ import annotations

import os
import sys
from typing import MutableMapping, Optional

ENV = "NNPLAY_TF_THREADS"
DEFAULT = 1            # measured on the 2-core lab machine (docs/DEPLOY.md, docs/BENCHMARKS.md)
TF_VARS = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def count(environ: Optional[MutableMapping[str, str]] = None) -> int:
    """Threads per TensorFlow pool from ``NNPLAY_TF_THREADS`` (a whole number ≥ 0; anything else: the default)."""
    environ = os.environ if environ is None else environ
    try:
        n = int(environ.get(ENV, DEFAULT))
    except (TypeError, ValueError):
        return DEFAULT
    return n if n >= 0 else DEFAULT


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
