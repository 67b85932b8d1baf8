"""Time per training step: the numpy engine vs Keras ``train_on_batch``, measured in one run.

    python bench/engine_vs_keras.py

Prints the time per step of each and the ratio Keras/numpy (target: numpy ≥ 30× faster).
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nncore.data import datasets  # noqa: E402
from nncore.engine import losses, optimizers
from nncore.engine.network import MLP  # noqa: E402
from nncore.engine.specs import NetworkSpec, TrainSpec  # noqa: E402
from nncore.keras import bridge as keras_bridge


def per_step(fn, steps):
    fn()  # warm-up (Keras traces its train function on the first call)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(steps):
            fn()
        best = min(best, (time.perf_counter() - t0) / steps)
    return best


def case(name, x, y, net_spec, batch, steps):
    train_spec = TrainSpec(optimizer="adam", lr=0.01, loss="binary_crossentropy")
    net = MLP.from_spec(net_spec)
    loss = losses.get(train_spec.loss)
    opt = optimizers.make(train_spec.optimizer, train_spec.lr)
    xb, yb = x[:batch], y[:batch]

    def numpy_step():
        g = net.backward(net.forward(xb, training=True), yb, loss)
        opt.step([net.theta], [g.flat])

    model = keras_bridge.build_model(net_spec, train_spec)
    xf, yf = xb.astype("float32"), yb.astype("float32")

    def keras_step():
        model.train_on_batch(xf, yf)

    t_np = per_step(numpy_step, steps)
    t_k = per_step(keras_step, max(steps // 10, 20))
    print(f"{name:<34} numpy {t_np * 1e6:8.1f} µs/step   keras {t_k * 1e6:8.1f} µs/step   "
          f"ratio {t_k / t_np:6.1f}×")
    return t_k / t_np


def main():
    x, y = datasets.xor()
    r1 = case("2-4-1 on XOR (batch 4)", x, y, NetworkSpec(hidden=(4,)), 4, 2000)
    x, y = datasets.toy("moons", n=200)
    r2 = case("2-8-8-1 on 200 points (batch 10)", x, y, NetworkSpec(hidden=(8, 8)), 10, 2000)
    print(f"minimum ratio {min(r1, r2):.1f}× (target ≥ 30×)")


if __name__ == "__main__":
    main()
