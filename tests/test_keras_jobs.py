"""Keras runs on a worker thread behind the room: live metrics, a queue, and Stop at the next batch."""
import re
import threading
import time

import numpy as np
import pytest

from nncore.data import datasets
from nncore.engine.specs import NetworkSpec, TrainSpec
from nncore.keras import bridge as kb
from nncore.keras import jobs as kj

SPEC = NetworkSpec(n_inputs=784, hidden=(64,), activation="relu", output_units=10, output_activation="softmax")
ADAM = TrainSpec(loss="categorical_crossentropy", optimizer="adam", lr=0.001)


@pytest.fixture(scope="module")
def digits():
    """3,000 training digits from the bundled sample and its 2,000 test digits, as a^0 and one-hot y."""
    data = datasets.mnist("bundled-sample")
    return (kj.mnist_inputs(data.x_train[:3000]), kj.one_hot(data.y_train[:3000]),
            kj.mnist_inputs(data.x_test), kj.one_hot(data.y_test))


def model():
    return kb.build_model(SPEC, ADAM)


def wait_until(condition, limit=60.0):
    """Poll (no timing is asserted; the limit only keeps a broken run from hanging the suite)."""
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, "gave up waiting"
        time.sleep(0.01)


class StopAt:
    """A test callback that presses Stop from inside batch ``n`` (the metrics callback has recorded it)."""

    def __new__(cls, job_box, n):
        k = kb.keras()

        class _Stop(k.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                if batch == n:
                    job_box[0].stop()

        return _Stop()


# ---- data for Dense models ---------------------------------------------------------------------
def test_mnist_inputs_flatten_and_scale_to_unit_interval():
    x = np.zeros((2, 28, 28), dtype=np.uint8)
    x[1, 27, 27] = 255
    a0 = kj.mnist_inputs(x)
    assert a0.shape == (2, 784) and a0.dtype == np.float32
    assert a0[1, 783] == 1.0 and a0.sum() == 1.0


def test_one_hot_puts_a_one_at_the_label():
    y = kj.one_hot(np.array([3, 0, 9], dtype=np.uint8))
    assert y.shape == (3, 10) and y.argmax(axis=1).tolist() == [3, 0, 9] and y.sum() == 3


# ---- the room ----------------------------------------------------------------------------------
def test_room_seats_in_order_and_shows_positions():
    room = kj.Room(1)
    never = threading.Event()
    seated = []

    def arrive(name):
        if room.enter(name, never):
            seated.append(name)

    assert room.enter("a", never)
    threads = []
    for name in ("b", "c"):
        t = threading.Thread(target=arrive, args=(name,), daemon=True)
        t.start()
        threads.append(t)
        wait_until(lambda name=name: room.position(name) is not None)
    assert (room.position("b"), room.position("c"), room.position("a")) == (1, 2, None)
    assert room.in_use == 1 and room.waiting == 2
    room.leave()                       # a leaves: b gets the seat, c moves up
    threads[0].join(10)
    assert seated == ["b"] and room.position("c") == 1
    room.leave()
    threads[1].join(10)
    assert seated == ["b", "c"] and room.waiting == 0
    room.leave()
    with pytest.raises(ValueError):    # a BoundedSemaphore: more leaves than entries is a bug
        room.leave()


def test_giving_up_leaves_the_line():
    room = kj.Room(1)
    assert room.enter("a", threading.Event())
    give_up = threading.Event()
    result = []
    t = threading.Thread(target=lambda: result.append(room.enter("b", give_up)), daemon=True)
    t.start()
    wait_until(lambda: room.position("b") == 1)
    give_up.set()
    room.wake()
    t.join(10)
    assert result == [False] and room.waiting == 0 and room.in_use == 1


def test_a_room_needs_a_seat():
    with pytest.raises(ValueError):
        kj.Room(0)


# ---- real training through the job -------------------------------------------------------------
def test_one_epoch_on_3000_digits_learns_and_streams_every_batch(digits):
    x, y, xt, yt = digits
    job = kj.TrainingJob(model(), x, y, room=kj.Room(1), epochs=1, batch_size=32,
                         validation_data=(xt, yt)).start()
    assert job.join(120) and job.status == "finished", job.error
    batches = job.metrics.batches_since(0)
    steps = -(-3000 // 32)
    assert [b.batch for b in batches] == list(range(steps)) and {b.epoch for b in batches} == {0}
    assert job.metrics.steps_per_epoch == steps and job.metrics.epochs_planned == 1
    assert batches[0].loss > 2.0 > batches[-1].loss              # J starts near ln 10 ≈ 2.3, then falls
    (epoch,) = job.metrics.epochs_since(0)
    assert epoch.batches == steps and epoch.seconds > 0
    assert epoch.val_accuracy > 0.8                               # on 2,000 digits it never saw
    assert epoch.loss == pytest.approx(batches[-1].loss)          # Keras's running mean ends at the epoch's
    predicted = job.model.predict(xt, verbose=0).argmax(axis=1)
    assert (predicted == yt.argmax(axis=1)).mean() == pytest.approx(epoch.val_accuracy, abs=1e-6)


def test_stop_pressed_during_batch_10_ends_the_run_after_it_and_keeps_the_model(digits):
    x, y, _, _ = digits
    m = model()
    before = [w.copy() for w in m.get_weights()]
    box = []
    job = kj.TrainingJob(m, x, y, room=kj.Room(1), epochs=3, batch_size=32, callbacks=[StopAt(box, 10)])
    box.append(job)
    job.start()
    assert job.join(120) and job.status == "stopped", job.error
    batches = job.metrics.batches_since(0)
    assert [b.batch for b in batches] == list(range(11))          # batch 10 was the last one
    (epoch,) = job.metrics.epochs_since(0)
    assert epoch.batches == 11 < job.metrics.steps_per_epoch
    assert job.model is m and not all(np.array_equal(a, b) for a, b in zip(before, m.get_weights()))
    assert m.predict(x[:5], verbose=0).shape == (5, 10)


def test_stop_from_the_page_thread_ends_the_run_mid_epoch(digits):
    x, y, _, _ = digits
    job = kj.TrainingJob(model(), x, y, room=kj.Room(1), epochs=20, batch_size=8).start()
    wait_until(lambda: len(job.metrics) >= 5)
    job.stop()
    assert job.join(120) and job.status == "stopped"
    seen = len(job.metrics)
    assert seen < 20 * job.metrics.steps_per_epoch
    assert len(job.metrics.epochs_since(0)) <= 2


def test_second_run_waits_in_line_and_runs_after_the_first(digits):
    x, y, _, _ = digits
    room = kj.Room(1)
    first = kj.TrainingJob(model(), x, y, room=room, epochs=50, batch_size=8).start()
    wait_until(lambda: first.status == "running")
    second = kj.TrainingJob(model(), x[:64], y[:64], room=room, epochs=1, batch_size=32).start()
    wait_until(lambda: second.queue_position == 1)
    assert second.status == "queued" and len(second.metrics) == 0
    first.stop()
    assert second.join(120) and second.status == "finished", second.error
    assert first.status == "stopped" and second.queue_position is None and len(second.metrics) == 2
    assert room.in_use == 0


def test_stop_while_queued_never_trains(digits):
    x, y, _, _ = digits
    room = kj.Room(1)
    first = kj.TrainingJob(model(), x, y, room=room, epochs=50, batch_size=8).start()
    wait_until(lambda: first.status == "running")
    second = kj.TrainingJob(model(), x, y, room=room, epochs=1).start()
    wait_until(lambda: second.queue_position == 1)
    second.stop()
    assert second.join(30) and second.status == "stopped" and len(second.metrics) == 0
    assert first.status == "running"
    first.stop()
    assert first.join(120)


def test_a_failing_run_reports_why_and_frees_its_seat(digits):
    x, y, _, _ = digits
    room = kj.Room(1)
    bad = kj.TrainingJob(model(), x[:, :100], y, room=room, epochs=1).start()   # 100 inputs, not 784
    assert bad.join(60) and bad.status == "failed"
    assert bad.error and "784" in bad.error
    good = kj.TrainingJob(model(), x[:64], y[:64], room=room, epochs=1, batch_size=32).start()
    assert good.join(60) and good.status == "finished"


def test_a_job_runs_only_once(digits):
    x, y, _, _ = digits
    job = kj.TrainingJob(model(), x[:32], y[:32], room=kj.Room(1), epochs=1).start()
    with pytest.raises(RuntimeError):
        job.start()
    job.join(60)


def test_importing_keras_jobs_does_not_import_tensorflow():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, nncore.keras.jobs; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"


# ---- a reloaded page finds its run: run_id, the registry, adopt, and why a run stopped ------------
class Owner:
    """A page's "is my session connected?" check that counts how often the run asks it."""

    def __init__(self, present=True):
        self.present, self.asked = present, 0

    def __call__(self):
        self.asked += 1
        return self.present


@pytest.fixture
def quick_abandon(monkeypatch):
    monkeypatch.setattr(kj, "ABANDON_AFTER", 0.5)


def test_every_run_gets_its_own_unguessable_run_id():
    registry = kj.JobRegistry(limit=5)
    ids = [kj.TrainingJob(None, None, None, registry=registry).run_id for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)


def test_find_gives_back_a_running_and_an_ended_run_and_nothing_for_an_unknown_id(digits):
    x, y, _, _ = digits
    running = kj.TrainingJob(model(), x, y, room=kj.Room(1), epochs=50, batch_size=8).start()
    wait_until(lambda: len(running.metrics) >= 3)
    assert kj.find(running.run_id) is running
    finished = kj.TrainingJob(model(), x[:64], y[:64], room=kj.Room(1), epochs=1, batch_size=32).start()
    assert finished.join(60) and finished.status == "finished"
    assert kj.find(finished.run_id) is finished                  # a reload after the end shows the result
    running.stop()
    assert running.join(120) and kj.find(running.run_id) is running
    for unknown in ("", None, 42, "x" * 16, running.run_id[:-1], running.run_id + "x"):
        assert kj.find(unknown) is None


def test_the_registry_keeps_the_newest_runs_and_drops_ended_ones_first_and_old_ones(digits):
    x, y, _, _ = digits
    registry = kj.JobRegistry(limit=3)
    jobs = [kj.TrainingJob(None, None, None, registry=registry) for _ in range(5)]   # never started
    assert len(registry) == 3
    assert [registry.find(j.run_id) for j in jobs] == [None, None, *jobs[2:]]
    ended = kj.TrainingJob(model(), x[:32], y[:32], room=kj.Room(1), epochs=1, batch_size=32).start()
    assert ended.join(60) and ended.done
    registry = kj.JobRegistry(limit=2)
    older = kj.TrainingJob(None, None, None, registry=registry)
    registry.add(ended)
    newer = kj.TrainingJob(None, None, None, registry=registry)
    assert registry.find(ended.run_id) is None                   # ended, so it went before the older one
    assert registry.find(older.run_id) is older and registry.find(newer.run_id) is newer
    kept, gone = kj.JobRegistry(keep_ended=600.0), kj.JobRegistry(keep_ended=0.0)
    kept.add(ended)
    gone.add(ended)
    assert kept.find(ended.run_id) is ended and gone.find(ended.run_id) is None
    with pytest.raises(ValueError):
        kj.JobRegistry(limit=0)


def test_the_process_registry_is_bounded(monkeypatch):
    monkeypatch.setattr(kj, "JOBS", kj.JobRegistry(limit=kj.REGISTRY_LIMIT))
    jobs = [kj.TrainingJob(None, None, None) for _ in range(kj.REGISTRY_LIMIT + 10)]
    assert len(kj.JOBS) == kj.REGISTRY_LIMIT == 64
    assert kj.find(jobs[0].run_id) is None and kj.find(jobs[-1].run_id) is jobs[-1]


def test_an_adopted_run_outlives_the_tab_that_started_it(digits, quick_abandon):
    x, y, _, _ = digits
    first, second = Owner(), Owner()
    job = kj.TrainingJob(model(), x, y, room=kj.Room(1), owner=first, epochs=50, batch_size=8).start()
    wait_until(lambda: first.asked >= 1 and len(job.metrics) >= 3)
    first.present = False                               # the student reloads: the first session is gone
    seen = first.asked
    wait_until(lambda: first.asked > seen)              # the run has noticed the first owner is gone
    assert kj.adopt(job, second) and job.owner is second
    wait_until(lambda: second.asked >= 3 or job.done)   # > 2 s later: long past ABANDON_AFTER (0.5 s)
    assert job.status == "running" and not job.abandoned and job.stop_reason is None
    second.present = False                              # now the reloaded tab closes too
    wait_until(lambda: job.done)
    assert job.status == "abandoned" and job.owner is second
    assert not kj.adopt(job, Owner())                   # too late: it was given up
    assert "tab was closed" in job.stop_reason


def test_adopt_wins_over_a_check_of_the_former_owner_that_is_under_way(digits, monkeypatch):
    """The run asks its old owner; while it waits for the answer ("gone"), the new page adopts it.
    The stale answer must not abandon the run (ABANDON_AFTER = 0: one "gone" would be enough)."""
    monkeypatch.setattr(kj, "ABANDON_AFTER", 0.0)
    x, y, _, _ = digits
    asking, answer = threading.Event(), threading.Event()

    def old_owner():
        asking.set()
        answer.wait(60)
        return False

    job = kj.TrainingJob(model(), x, y, room=kj.Room(1), owner=old_owner, epochs=50, batch_size=8).start()
    assert asking.wait(60)                              # the worker thread is inside old_owner()
    new = Owner()
    assert job.adopt(new)
    answer.set()                                        # old_owner() now says "gone"
    wait_until(lambda: new.asked >= 2 or job.done)
    assert job.status == "running" and not job.abandoned
    job.stop()
    assert job.join(120) and job.status == "stopped"


def test_an_abandoned_run_says_its_tab_was_closed_and_the_page_shows_it(digits, quick_abandon):
    from nncore.lessons import mnist_lab as lab

    x, y, _, _ = digits
    here = Owner()
    job = kj.TrainingJob(model(), x, y, room=kj.Room(1), owner=here, epochs=50, batch_size=8).start()
    wait_until(lambda: len(job.metrics) >= 3)
    here.present = False
    assert job.join(120) and job.status == "abandoned"
    assert job.stop_reason == ("Your tab was closed for more than 0.5 s, so the run was stopped to free "
                               "the training seat.")
    kind, text, _ = lab.status_message(job)
    assert kind == "info" and job.stop_reason in text and "Press ▶ Train to start again." in text
    # waiting in line when its tab closed: it leaves the line, and says so
    room = kj.Room(1)
    busy = kj.TrainingJob(model(), x, y, room=room, epochs=50, batch_size=8).start()
    wait_until(lambda: busy.status == "running")
    queued = kj.TrainingJob(model(), x, y, room=room, owner=Owner(False), epochs=1).start()
    assert queued.join(60) and queued.status == "abandoned" and "left the line" in queued.stop_reason
    busy.stop()
    assert busy.join(120)


def test_stop_says_the_student_pressed_it_and_keeps_the_first_reason(digits):
    from nncore.lessons import mnist_lab as lab

    x, y, _, _ = digits
    job = kj.TrainingJob(model(), x, y, room=kj.Room(1), epochs=50, batch_size=8).start()
    wait_until(lambda: len(job.metrics) >= 3)
    job.stop()
    job.stop("Something else.")                         # the first reason stays
    assert job.join(120) and job.status == "stopped" and job.stop_reason == kj.STOPPED_BY_YOU
    kind, text, _ = lab.status_message(job)
    assert kind == "success" and text.startswith("You pressed ⏹ Stop. Stopped after epoch")
    done = kj.TrainingJob(model(), x[:32], y[:32], room=kj.Room(1), epochs=1, batch_size=32).start()
    assert done.join(60) and done.status == "finished"
    done.stop()                                         # too late to stop: no reason is made up
    assert done.stop_reason is None and "Finished after epoch 1" in lab.status_message(done)[1]


@pytest.mark.parametrize("batch_size, steps", [(1, 16), (8, 16), (20, 6), (31, 4), (32, 1), (128, 1), (None, 1)])
def test_small_batches_go_to_tensorflow_several_per_call(batch_size, steps):
    assert kj.steps_per_call(batch_size) == steps


def test_a_small_batch_run_makes_the_same_updates_as_one_batch_per_call(digits):
    """Batch 8 runs 16 batches per call into TensorFlow (the seat's thread then holds Python's lock far less
    often, see steps_per_call): the weights after an epoch are those of a fit that calls once per batch; the
    metrics arrive at the last batch of each call, and a stop is honoured at the next."""
    x, y, _, _ = digits
    kb.keras().utils.set_random_seed(3)
    m = model()
    start = [w.copy() for w in m.get_weights()]
    job = kj.TrainingJob(m, x[:800], y[:800], room=kj.Room(1), epochs=1, batch_size=8, shuffle=False).start()
    assert job.join(120) and job.status == "finished", job.error
    assert m.steps_per_execution == 16
    assert [b.batch for b in job.metrics.batches_since(0)] == [*range(15, 100, 16), 99]
    assert job.metrics.epochs_since(0)[0].batches == 100
    plain = model()
    plain.set_weights(start)
    plain.fit(x[:800], y[:800], epochs=1, batch_size=8, shuffle=False, verbose=0)
    assert plain.steps_per_execution == 1
    for a, b in zip(m.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)
