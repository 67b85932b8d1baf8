"""What watching a run live costs: bare ``model.fit`` vs the same fit through a TrainingJob.

    python bench/mnist_overhead.py [--epochs 3] [--rounds 5] [--batch 32 --batch 8]

Same model, same data (the bundled MNIST sample: 8,000 training digits, 2,000 for validation,
a 784-128-10 ReLU/softmax MLP with Adam): the bare fit runs with ``verbose=0`` and no callback;
the job runs fit on its worker thread, behind the room, with the metrics callback recording every
batch. Rounds alternate bare/job after a warm-up; the overhead ratio is the median over rounds of
job/bare within a round (the two runs of a round are back to back, so load from other processes
hits both alike); best(job)/best(bare) is printed too. Target: ≤ 1.05. The callback's own cost per batch is timed
separately (``callback_cost``), since that figure is below the machine's noise.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nncore.data import datasets  # noqa: E402
from nncore.engine.specs import NetworkSpec, TrainSpec  # noqa: E402
from nncore.keras import bridge as keras_bridge
from nncore.keras import jobs as keras_jobs

SPEC = NetworkSpec(n_inputs=784, hidden=(128,), activation="relu", output_units=10,
                   output_activation="softmax")
TRAIN = TrainSpec(loss="categorical_crossentropy", optimizer="adam", lr=0.001)


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(batch: int, epochs: int, rounds: int):
    data = datasets.mnist("bundled-sample")
    x, y = keras_jobs.mnist_inputs(data.x_train), keras_jobs.one_hot(data.y_train)
    val = (keras_jobs.mnist_inputs(data.x_test), keras_jobs.one_hot(data.y_test))
    model = keras_bridge.build_model(SPEC, TRAIN)
    room = keras_jobs.Room(1)
    kw = dict(epochs=epochs, batch_size=batch, validation_data=val)

    def bare():
        model.fit(x, y, verbose=0, **kw)

    def job():
        run = keras_jobs.TrainingJob(model, x, y, room=room, **kw).start()
        run.join()
        assert run.status == "finished", run.error
        assert len(run.metrics) == epochs * -(-len(x) // batch)

    bare(), job()                                # warm-up: tracing, caches
    times = {"bare": [], "job": []}
    for _ in range(rounds):
        times["bare"].append(timed(bare))
        times["job"].append(timed(job))
    b, j = min(times["bare"]), min(times["job"])
    ratio = statistics.median(tj / tb for tb, tj in zip(times["bare"], times["job"]))
    steps = epochs * -(-len(x) // batch)
    per_call = callback_cost()
    print(f"batch {batch:>3}: {steps} steps; bare fit {b:.2f} s ({1e3 * b / steps:.2f} ms/step), "
          f"job {j:.2f} s (best of each); overhead ratio {ratio:.3f} (best/best {j / b:.3f})  "
          f"(rounds bare {[round(t, 2) for t in times['bare']]}, job {[round(t, 2) for t in times['job']]}); "
          f"callback alone {1e6 * per_call:.1f} µs/batch = {100 * per_call * steps / b:.2f} % of the bare fit")
    return b, j


def callback_cost(calls: int = 100_000) -> float:
    """Seconds per ``on_train_batch_end`` call of the metrics callback (the part noise cannot hide)."""
    callback = keras_jobs.metrics_callback(keras_jobs.MetricsBuffer())
    callback.set_model(keras_bridge.build_model(SPEC, TRAIN))
    logs = {"loss": 0.5, "accuracy": 0.9}
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for i in range(calls):
            callback.on_train_batch_end(i, logs)
        best = min(best, (time.perf_counter() - t0) / calls)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, action="append")
    args = parser.parse_args()
    for batch in args.batch or [32]:
        measure(batch, args.epochs, args.rounds)


if __name__ == "__main__":
    main()
