"""Training loop: the course's regression run, descent modes, early stop, divergence."""
import numpy as np
import pytest

from nncore.data import datasets
from nncore.engine import training
from nncore.engine.network import MLP
from nncore.engine.specs import NetworkSpec, TrainSpec

COURSE = TrainSpec(loss="mse", optimizer="sgd", lr=0.1, mode="batch", epochs=100, early_stop=0.0001)


def course_script():
    """Course 004's NumPy script, line for line (without the plots)."""
    true_w, true_b, N = 2, 1, 100
    np.random.seed(100)
    x = np.random.rand(N, 1)
    epsilon = 0.1 * np.random.randn(N, 1)
    y = true_w * x + true_b + epsilon
    idx = np.arange(N)
    np.random.shuffle(idx)
    idx_train, idx_test = idx[:int(0.8 * N)], idx[int(0.8 * N):]
    x_train, y_train, x_val, y_val = x[idx_train], y[idx_train], x[idx_test], y[idx_test]
    trainLosses, valLosses = [], []
    lr = 0.1
    w = np.random.randn(1)
    b = np.random.randn(1)
    for _ in range(100):
        yhat = w * x_train + b
        error = yhat - y_train
        loss = (error ** 2).mean()
        trainLosses.append(loss)
        db = 2 * error.mean()
        dw = 2 * (x_train * error).mean()
        b = b - lr * db
        w = w - lr * dw
        yhatVal = w * x_val + b
        valLoss = ((yhatVal - y_val) ** 2).mean()
        valLosses.append(valLoss)
        if valLoss < 0.0001:
            break
    return w[0], b[0], trainLosses, valLosses


def course_line():
    data = datasets.course_regression()
    net = MLP.from_spec(NetworkSpec(n_inputs=1, hidden=(), output_activation="linear"))
    net.set_weights([data.w0.reshape(1, 1), data.b0])
    return data, net


def test_course_regression_reproduces_the_course_script():
    w, b, train_losses, val_losses = course_script()
    data, net = course_line()
    snaps = training.run(net, data.x_train, data.y_train, COURSE, data.x_val, data.y_val)
    assert len(snaps) == len(train_losses) == 100
    assert snaps[-1].status == "finished"
    W, B = net.get_weights()
    assert W[0, 0] == pytest.approx(w, abs=1e-9) and B[0] == pytest.approx(b, abs=1e-9)
    np.testing.assert_allclose([s.train_loss for s in snaps], train_losses, atol=1e-9)
    np.testing.assert_allclose([s.val_loss for s in snaps], val_losses, atol=1e-9)


def test_course_data_shapes_match_the_course():
    data = datasets.course_regression()
    assert data.x_train.shape == (80, 1) and data.x_val.shape == (20, 1)


def test_descent_modes_make_n_over_batch_size_updates_per_epoch():
    x, y = datasets.toy("gaussians", n=40)
    for mode, size, per_epoch in [("batch", 10, 1), ("mini-batch", 10, 4), ("mini-batch", 15, 3),
                                  ("stochastic", 10, 40)]:
        net = MLP.from_spec(NetworkSpec(hidden=(3,)))
        spec = TrainSpec(mode=mode, batch_size=size, epochs=2, lr=0.01)
        snaps = list(training.train(net, x, y, spec))
        assert len(snaps) == 2 * per_epoch, mode
        assert [s.epoch_end for s in snaps].count(True) == 2


def test_shuffle_is_seeded():
    """Mini-batches are drawn in a shuffled order (a new one each epoch) that the seed alone decides."""
    n = 30

    def fed(seed=42, shuffle=True):
        """The sample indices, per epoch, in the order ``train`` feeds them to the network."""
        x = np.column_stack([np.arange(n), -np.arange(n)]) / n       # row i identifies sample i
        y = (np.arange(n) % 2).astype(float)
        net = MLP.from_spec(NetworkSpec(hidden=(4,), seed=1))
        seen, forward = [], net.forward

        def spy(xb, training=False, rng=None):
            if training:
                seen.extend(np.rint(xb[:, 0] * n).astype(int).tolist())
            return forward(xb, training=training, rng=rng)

        net.forward = spy
        spec = TrainSpec(mode="mini-batch", batch_size=10, epochs=3, seed=seed, shuffle=shuffle)
        list(training.train(net, x, y, spec))
        return [seen[i:i + n] for i in range(0, len(seen), n)], net.get_weights()

    plain = list(range(n))
    unshuffled, _ = fed(shuffle=False)
    assert unshuffled == [plain] * 3, "shuffle=False must feed the samples in order"
    orders, weights = fed(seed=42)
    assert len(orders) == 3 and all(sorted(o) == plain for o in orders), "each epoch feeds every sample once"
    assert all(o != plain for o in orders), f"shuffle=True fed the samples unshuffled: {orders}"
    assert orders[0] != orders[1] != orders[2], "each epoch must draw a new order"
    again, weights_again = fed(seed=42)
    assert again == orders, "the same seed must give the same order"
    for a, b in zip(weights, weights_again):
        np.testing.assert_array_equal(a, b)
    other, _ = fed(seed=43)
    assert other != orders, "another seed must give another order"


def test_early_stop_when_validation_loss_falls_below_threshold():
    data, net = course_line()
    spec = TrainSpec(loss="mse", optimizer="sgd", lr=0.5, mode="batch", epochs=500, early_stop=0.02)
    snaps = training.run(net, data.x_train, data.y_train, spec, data.x_val, data.y_val)
    assert snaps[-1].status == "early_stop" and snaps[-1].val_loss < 0.02
    assert len(snaps) < 500 and "threshold" in snaps[-1].reason


@pytest.mark.parametrize("lr", [1.5, 10.0])
def test_too_high_learning_rate_diverges_with_an_explanation(lr):
    data, net = course_line()
    spec = TrainSpec(loss="mse", optimizer="sgd", lr=lr, mode="batch", epochs=1000)
    snaps = list(training.train(net, data.x_train, data.y_train, spec))
    last = snaps[-1]
    assert last.status == "diverged" and "learning rate" in last.reason and len(snaps) < 1000
    assert all(np.isfinite(s.batch_loss) or s is last for s in snaps)


def test_xor_with_a_symmetry_breaking_network_reaches_full_accuracy():
    x, y = datasets.xor()
    net = MLP.from_spec(NetworkSpec(hidden=(4,), activation="tanh", seed=0))
    spec = TrainSpec(loss="binary_crossentropy", optimizer="adam", lr=0.05, mode="batch", epochs=500)
    snaps = training.run(net, x, y, spec)
    assert snaps[-1].accuracy == 1.0


def test_snapshots_can_carry_weights_and_gradients():
    x, y = datasets.xor()
    net = MLP.from_spec(NetworkSpec(hidden=(2,)))
    snap = next(training.train(net, x, y, TrainSpec(epochs=1, mode="batch"), keep_weights=True, keep_grads=True))
    assert len(snap.weights) == len(snap.grads) == 4


def test_cost_surface_is_kept_while_the_path_stays_inside_and_redrawn_when_it_leaves():
    from nncore.engine.losses import MSE
    from nncore.lessons.surface import surface_for_path
    data = datasets.course_regression()
    path = [[data.w0[0], data.b0[0]], [1.0, 1.0]]
    first = surface_for_path(data.x_train, data.y_train, MSE, path, (2, 1))
    assert first.holds(path) and surface_for_path(data.x_train, data.y_train, MSE, path, (2, 1), first) is first
    far = path + [[40.0, -30.0]]
    second = surface_for_path(data.x_train, data.y_train, MSE, far, (2, 1), first)
    assert second is not first and second.holds(far)
    # J at the grid point nearest the true line is the smallest: the bowl's bottom is near (2, 1).
    i, j = np.unravel_index(np.argmin(first.J), first.J.shape)
    assert abs(first.w[j] - 2) < 0.3 and abs(first.b[i] - 1) < 0.3


@pytest.mark.parametrize("mode", ["batch", "mini-batch"])
def test_a_diverged_runs_reason_counts_epochs_as_the_chart_does(mode):
    """Issue 21: the reason said "step 13 (epoch 13)" while the chart said "epoch 12 · update 13"; the chart
    counts complete epochs (``Run.epoch``), and so does the reason now."""
    data, net = course_line()
    run = training.Run(net, data.x_train, data.y_train,
                       TrainSpec(loss="mse", optimizer="sgd", lr=5.0, mode=mode, batch_size=10, epochs=100))
    run.finish()
    assert run.status == "diverged"
    done = "in the first epoch" if run.epoch == 0 else \
        f"after {run.epoch} complete epoch{'' if run.epoch == 1 else 's'}"
    assert f"at update {run.step}, {done}:" in run.last.reason, (run.epoch, run.step, run.last.reason)
