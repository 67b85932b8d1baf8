"""Keras shares the server (docs/DEPLOY.md, threads): TensorFlow's pools capped, a run's size capped per student.

The seat of a closed tab is released by ``nncore.keras.jobs`` (``ABANDON_AFTER``); tests/test_soak.py
(``test_a_run_whose_page_closed_stops_and_frees_its_seat``, and the queued case) covers it.
"""
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nncore.engine.specs import SpecError
from nncore.keras import threads
from nncore.lessons import mnist_lab as lab

ROOT = Path(__file__).resolve().parent.parent


# ---- TensorFlow's threads ------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [(None, threads.DEFAULT), ("2", 2), ("0", 0), ("-3", threads.DEFAULT),
                                             ("many", threads.DEFAULT)])
def test_the_thread_count_comes_from_the_environment(value, expected):
    environ = {} if value is None else {threads.ENV: value}
    assert threads.count(environ) == expected


def test_apply_sets_both_pools_and_leaves_an_operators_own_values():
    environ = {threads.ENV: "2", "TF_NUM_INTEROP_THREADS": "4"}
    assert threads.apply(environ) == 2
    assert environ["TF_NUM_INTRAOP_THREADS"] == "2" and environ["TF_NUM_INTEROP_THREADS"] == "4"
    untouched = {threads.ENV: "0"}
    assert threads.apply(untouched) == 0 and set(untouched) == {threads.ENV}


@pytest.mark.parametrize("value, expected", [(None, threads.DEFAULT_NICE), ("0", 0), ("19", 19),
                                             ("20", threads.DEFAULT_NICE), ("-5", threads.DEFAULT_NICE),
                                             ("low", threads.DEFAULT_NICE)])
def test_a_seats_priority_comes_from_the_environment(value, expected):
    environ = {} if value is None else {threads.NICE_ENV: value}
    assert threads.nice(environ) == expected


def test_a_training_thread_yields_the_processor_and_the_others_keep_theirs():
    """yield_cpu() lowers the calling thread (and TensorFlow's tf_* threads, if an earlier test started them) to
    nice + by; the process's other threads keep their priority; 0 leaves everything as it was."""
    import os
    import threading

    seen = {}

    def seat(by):
        seen[by] = (threads.yield_cpu(by), os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    for by in (7, 0):
        t = threading.Thread(target=seat, args=(by,))
        t.start()
        t.join()
    lowered, priority = seen[7]
    assert lowered >= 1 and priority == max(7, main) and seen[0] == (0, main)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main


def test_importing_nncore_keras_caps_tensorflow_before_it_loads_and_does_not_load_it():
    code = ("import os, sys; import nncore.keras.jobs; "
            "print(os.environ.get('TF_NUM_INTRAOP_THREADS'), os.environ.get('TF_NUM_INTEROP_THREADS'), "
            "'tensorflow' in sys.modules)")
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("TF_NUM_", threads.ENV))}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(threads.DEFAULT), str(threads.DEFAULT), "False"]


# ---- a run's size ---------------------------------------------------------------------------------------
def test_the_course_presets_fit_even_on_all_60000_digits_for_course_002():
    for p in lab.PRESETS.values():
        n_fit, _ = lab.fit_sizes(p.n_train, p.val_split)
        lab.check_run_size(p.network(), p.training(), n_fit)
    lab.check_run_size(lab.network_spec((128,), dropout=0.2), lab.train_spec(epochs=5), 54_000)


def test_the_heaviest_run_a_link_asks_for_is_refused_with_a_sentence():
    net, train = lab.network_spec((1024,) * 8), lab.train_spec(batch_size=8, epochs=20)
    with pytest.raises(SpecError) as err:
        lab.check_run_size(net, train, 54_000)
    assert str(err.value) == (
        "A run's size (parameters × training digits × epochs) may be at most 30 billion, so that the training "
        "seat goes round the room; this one would be 8.8 trillion (8,161,290 × 54,000 × 20). Fewer or smaller "
        "hidden layers, fewer training digits or fewer epochs make it fit.")


def test_the_cap_is_exact():
    net = lab.network_spec((128,))
    n_fit = lab.MAX_RUN_SIZE // (net.param_count() * 3)
    lab.check_run_size(net, lab.train_spec(epochs=3), n_fit)
    with pytest.raises(SpecError):
        lab.check_run_size(net, lab.train_spec(epochs=3), n_fit + 1)


def test_the_mnist_page_states_the_cap_and_refuses_a_run_beyond_it():
    at = AppTest.from_file(str(ROOT / "views" / "mnist.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert any("may be at most 30 billion" in c.value and "this one is" in c.value for c in at.caption)
    at = AppTest.from_file(str(ROOT / "views" / "mnist.py"), default_timeout=120)
    at.query_params["hidden"] = ",".join(["1024"] * 8)
    at.query_params["epochs"] = "20"
    at.run()
    assert not at.exception
    assert any("may be at most 30 billion" in e.value and "this one would be" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "mnist_train"]      # nothing to start


# ---- where the app is served -------------------------------------------------------------------------------
def test_make_run_and_the_image_serve_with_one_blas_thread_and_capped_tensorflow():
    make_run = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1}" in make_run
    assert f"NNPLAY_TF_THREADS=$${{NNPLAY_TF_THREADS:-{threads.DEFAULT}}}" in make_run
    env = (ROOT / "Dockerfile").read_text().split("\nENV ", 1)[1].split("\n\n", 1)[0]
    assert "OPENBLAS_NUM_THREADS=1" in env and f"NNPLAY_TF_THREADS={threads.DEFAULT}" in env
    deploy = (ROOT / "docs" / "DEPLOY.md").read_text()
    assert "NNPLAY_TF_THREADS" in deploy and "OPENBLAS_NUM_THREADS" in deploy
