"""The engine's TensorFlow Playground options, each on its own, against a per-point oracle written the way TF
Playground's ``nn.ts`` computes (a loop over points and links, derivatives accumulated and averaged at each
``(i + 1) % batchSize == 0``), and each default unchanged."""
import math

import numpy as np
import pytest

from nncore.engine import activations, initializers
from nncore.engine.network import MLP, Dense
from nncore.engine.specs import SpecError, TrainSpec
from nncore.engine.training import accuracy, batches, carried, train

ACT = {"tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2),
       "relu": (lambda z: max(0.0, z), lambda z: 0.0 if z <= 0 else 1.0)}


def oracle(weights, x, t, hidden_act, lr, batch, epochs, reg=None, rate=0.0):
    """TF Playground's training, link by link: tanh output, ½(o − t)², its L1/L2 rules, carried batches."""
    W = [np.array(w, dtype=float) for w in weights[::2]]
    b = [np.array(v, dtype=float) for v in weights[1::2]]
    dead = [np.zeros(w.shape, dtype=bool) for w in W]
    accW = [np.zeros(w.shape) for w in W]
    accb = [np.zeros(v.shape) for v in b]
    count = 0
    acts = [ACT[hidden_act]] * (len(W) - 1) + [ACT["tanh"]]
    for _ in range(epochs):
        for i in range(len(x)):
            a, zs = [list(x[i])], []
            for l, (Wl, bl) in enumerate(zip(W, b)):
                z = [bl[j] + sum(Wl[k, j] * a[-1][k] for k in range(Wl.shape[0])) for j in range(Wl.shape[1])]
                zs.append(z)
                a.append([acts[l][0](v) for v in z])
            out_der = [a[-1][0] - t[i]]
            for l in range(len(W) - 1, -1, -1):
                in_der = [out_der[j] * acts[l][1](zs[l][j]) for j in range(W[l].shape[1])]
                for j in range(W[l].shape[1]):
                    accb[l][j] += in_der[j]
                    for k in range(W[l].shape[0]):
                        if not dead[l][k, j]:
                            accW[l][k, j] += in_der[j] * a[l][k]
                out_der = [sum(W[l][k, j] * in_der[j] for j in range(W[l].shape[1])) for k in range(W[l].shape[0])]
            count += 1
            if (i + 1) % batch == 0:
                for l in range(len(W)):
                    b[l] -= lr * accb[l] / count
                    for k, j in np.ndindex(W[l].shape):
                        if dead[l][k, j]:
                            continue
                        w0 = W[l][k, j]
                        der = {None: 0.0, "L1": float(np.sign(w0)), "L2": w0}[reg]
                        w = w0 - (lr / count) * accW[l][k, j]
                        new = w - lr * rate * der
                        if reg == "L1" and w * new < 0:
                            W[l][k, j], dead[l][k, j] = 0.0, True
                        else:
                            W[l][k, j] = new
                    accW[l][:] = 0
                    accb[l][:] = 0
                count = 0
    return [p for pair in zip(W, b) for p in pair], dead


def tf_net(weights, hidden_act, l1=0.0, l2=0.0):
    acts = [hidden_act] * (len(weights) // 2 - 1) + ["tanh"]
    return MLP([Dense(W.copy(), bb.copy(), activations.get(a)) for W, bb, a in zip(weights[::2], weights[1::2], acts)],
               l1=l1, l2=l2)


def tf_spec(lr, batch, epochs):
    return TrainSpec(loss="half_mse", optimizer="sgd", lr=lr, batch_size=batch, epochs=epochs, shuffle=False,
                     last_batch="carry", l1_rule="clip", epoch_loss="whole_set").validate()


def problem(seed=3, n=23, sizes=(2, 3, 2, 1)):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, (n, 2))
    t = np.where(x[:, 0] * x[:, 1] >= 0, 1.0, -1.0)
    weights = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        weights += [initializers.initialize("tfp_uniform", (a, b), rng), np.full(b, 0.1)]
    return x, t, weights


@pytest.mark.parametrize("reg, rate, act", [(None, 0.0, "tanh"), ("L2", 0.03, "tanh"), ("L1", 0.3, "relu"),
                                            ("L1", 0.1, "tanh")])
def test_engine_matches_the_per_point_oracle(reg, rate, act):
    """23 points, batches of 5: each epoch's 3 left-over points join the next epoch's first batch."""
    x, t, weights = problem()
    want, dead = oracle(weights, x, t, act, lr=0.1, batch=5, epochs=12, reg=reg, rate=rate)
    net = tf_net(weights, act, l1=rate if reg == "L1" else 0.0, l2=rate / 2 if reg == "L2" else 0.0)
    list(train(net, x, t, tf_spec(0.1, 5, 12)))
    assert max(float(np.abs(a - b).max()) for a, b in zip(net.get_weights(), want)) < 1e-12
    assert [d.tolist() for d in net.dead_masks()] == [d.tolist() for d in dead]
    if reg == "L1":
        assert any(d.any() for d in dead), "this L1 rate must kill some weights, or the test shows nothing"
        for layer in net.layers:
            assert np.all(layer.W[layer.dead] == 0)


def test_carry_is_needed_to_match():
    """Without the carried batch (Keras's short last update) the run is another run."""
    x, t, weights = problem()
    want, _ = oracle(weights, x, t, "tanh", lr=0.1, batch=5, epochs=3)
    net = tf_net(weights, "tanh")
    spec = TrainSpec(loss="half_mse", optimizer="sgd", lr=0.1, batch_size=5, epochs=3, shuffle=False).validate()
    list(train(net, x, t, spec))
    assert max(float(np.abs(a - b).max()) for a, b in zip(net.get_weights(), want)) > 1e-4


def test_carried_batches():
    parts, left = carried(batches(23, 5, None), np.zeros(0, dtype=int), 5)
    assert [len(p) for p in parts] == [5, 5, 5, 5] and left.tolist() == [20, 21, 22]
    parts, left = carried(batches(23, 5, None), left, 5)
    assert parts[0].tolist() == [20, 21, 22, 0, 1, 2, 3, 4] and left.tolist() == [20, 21, 22]
    parts, left = carried(batches(20, 5, None), np.zeros(0, dtype=int), 5)
    assert len(parts) == 4 and len(left) == 0


def test_updates_per_epoch_with_carry():
    x, t, weights = problem()
    snaps = list(train(tf_net(weights, "tanh"), x, t, tf_spec(0.1, 5, 3)))
    assert [s.step for s in snaps if s.epoch_end] == [4, 8, 12]


def test_whole_set_loss_is_the_data_cost_after_the_epoch():
    x, t, weights = problem()
    net = tf_net(weights, "tanh", l2=0.05)
    end = [s for s in train(net, x, t, tf_spec(0.1, 5, 2), x_val=x[:7], y_val=t[:7]) if s.epoch_end][-1]
    out = net.predict(x)
    assert end.train_loss == pytest.approx(float(np.mean(0.5 * (out[:, 0] - t) ** 2)), abs=1e-15)
    assert end.val_loss == pytest.approx(float(np.mean(0.5 * (out[:7, 0] - t[:7]) ** 2)), abs=1e-15)


def test_defaults_unchanged():
    spec = TrainSpec()
    assert (spec.l1_rule, spec.last_batch, spec.epoch_loss, spec.shuffle) == ("subgradient", "apply",
                                                                              "batch_mean", True)
    x, t, weights = problem()
    net = tf_net(weights, "tanh", l1=0.3)
    snaps = list(train(net, x, t, TrainSpec(loss="half_mse", optimizer="sgd", lr=0.1, batch_size=5, epochs=2,
                                            shuffle=False).validate()))
    assert [s.step for s in snaps if s.epoch_end] == [5, 10]             # the short last batch is an update
    assert not any(d.any() for d in net.dead_masks())                      # subgradient L1: nothing dies
    ends = [s for s in snaps if s.epoch_end]
    assert ends[-1].train_loss == pytest.approx(np.mean([s.batch_loss for s in snaps if s.epoch == 2]))


def test_options_are_checked():
    for field in ("l1_rule", "last_batch", "epoch_loss"):
        with pytest.raises(SpecError) as err:
            TrainSpec(**{field: "bogus"}).validate()
        assert field in err.value.problems


def test_tfp_uniform_initialiser():
    w = initializers.initialize("tfp_uniform", (300, 40), np.random.default_rng(0))
    assert w.min() >= -0.5 and w.max() < 0.5 and abs(w.mean()) < 0.01 and w.std() == pytest.approx(1 / 12 ** 0.5,
                                                                                                      rel=0.02)


def test_accuracy_of_signed_targets():
    t = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    assert accuracy(t, np.array([[0.2], [-0.1], [-0.3], [0.4]])) == 0.5
    assert accuracy(np.array([[1.0], [0.0]]), np.array([[0.6], [0.4]])) == 1.0          # 0/1 targets: cut 0.5
