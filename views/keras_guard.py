"""Keep Streamlit's per-rerun clean-up from slowing down a Keras run that trains on another thread.

After every script run, fragment reruns included, Streamlit calls ``keras.backend.clear_session()``
(``streamlit.runtime.scriptrunner.script_runner._clean_problem_modules``). That empties
TensorFlow's eager kernel cache and runs ``gc.collect()`` while a ``keras_jobs`` worker thread is
inside ``model.fit``: with the MNIST page's live fragment rerunning twice a second, training ran
20-50 times slower than a bare ``fit`` (measured: 0.6-0.8 s per epoch bare, 16-36 s per epoch
watched). Keras 3 keeps its global state per thread, and every script run has a thread of its
own, so the reset buys nothing here. ``keep_keras_between_reruns()`` replaces the clean-up with
one that only closes matplotlib figures, as Streamlit's does; it is idempotent and process-wide.

Streamlit also forces ``gc.collect(2)`` after every run (``runner.postScriptGC``). Once TensorFlow
is imported the heap holds about 350,000 tracked objects and each such collection takes ~100 ms
with the GIL held, twice a second per watching student. ``load_tensorflow()`` imports TensorFlow
and then moves what exists at that moment into the collector's permanent generation
(``gc.freeze()``, once per process): later collections skip TensorFlow's modules and take ~0 ms.
(Objects frozen then are never cycle-collected; at that moment they are almost all modules.)

Measured in Chromium on 2 shared cores, course-002 preset, epochs 2-5: bare ``fit`` ~0.7 s per
epoch; the page 16-36 s before, ~1.6 s with the Keras reset removed, ~0.8 s with the GC cheap too.
"""
from __future__ import annotations

import gc
import sys
import threading

_frozen = threading.Event()


def _clean_without_keras() -> None:
    """Streamlit's clean-up after a script run, minus ``keras.backend.clear_session()``."""
    if "matplotlib.pyplot" in sys.modules:
        try:
            sys.modules["matplotlib.pyplot"].close("all")
        except Exception:  # noqa: BLE001 (as Streamlit: never crash the app over clean-up)
            pass


def keep_keras_between_reruns() -> bool:
    """Install the clean-up without Keras's reset (once per process). True if it is in place."""
    try:
        from streamlit.runtime.scriptrunner import script_runner
    except ImportError:          # a Streamlit that moved it: nothing to patch
        return False
    if not hasattr(script_runner, "_clean_problem_modules"):
        return False
    script_runner._clean_problem_modules = _clean_without_keras
    return True


def load_tensorflow():
    """Import Keras/TensorFlow (``nncore.keras.bridge.keras()``); the first time, freeze the heap so that
    Streamlit's forced collection after each rerun no longer walks TensorFlow's objects."""
    from nncore.keras.bridge import keras

    module = keras()
    if not _frozen.is_set():
        _frozen.set()
        gc.collect()
        gc.freeze()
    return module
