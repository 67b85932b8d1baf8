"""TensorFlow Playground's own runs (tests/data/tfplayground/, see its README) reproduced by the playground's
TF Playground mode to 1e-9: the set-up is read from TF Playground's settings by ``tfplayground.to_values`` as a
pasted link is, the run is ``playground_lab.start_with``'s ``PlaygroundRun`` (the page's path), fed TF
Playground's points and initial weights; weights, biases, dead flags and both losses are compared after
1, 10, 100, 1000 updates and 1, 10, 100, 1000 epochs."""
import json
from pathlib import Path

import numpy as np
import pytest

from nncore.data import datasets
from nncore.engine import losses
from nncore.lessons import playground_lab as pg
from nncore.lessons import tfplayground as tfp

DATA = Path(__file__).parent / "data" / "tfplayground"
RUNS = ("xor", "circle", "xor_l2")
TOL = 1e-9


def reference(name):
    return json.loads((DATA / f"{name}.json").read_text())


def setup_of(config) -> pg.Setup:
    """The playground's set-up for the run's settings, through the link reader (as a pasted link goes)."""
    state = tfp.TFState(dataset=config["dataset"], learningRate=config["learningRate"],
                        regularization={"none": "none", "L1": "L1", "L2": "L2"}[config["regularization"]],
                        regularizationRate=config["regularizationRate"], batchSize=config["batchSize"],
                        noise=config["noise"], percTrainData=config["percTrainData"], activation=config["activation"],
                        networkShape=tuple(config["networkShape"]), initZero=config["initZero"], seed=config["seed"])
    values, _ = tfp.to_values(state)
    return pg.from_values({**values, "epochs": config["epochs"]}).validate()


def data_of(ref, setup) -> pg.Data:
    """TF Playground's points (labels ±1 → nnplay's classes 0/1), in the order its engine visits them."""
    train, test = np.asarray(ref["train"]), np.asarray(ref["test"])
    return pg.Data(train[:, :2], (train[:, 2:] > 0).astype(float), test[:, :2], (test[:, 2:] > 0).astype(float),
                   setup.features, datasets.TFP_DOMAIN, "TF Playground's points", setup.task)


def weights_of(snap):
    return [np.asarray(a, dtype=float) for W, b in zip(snap["W"], snap["b"]) for a in (W, b)]


def worst_difference(run, snap) -> float:
    ours = run.net.get_weights()
    return max(float(np.abs(a - b).max()) for a, b in zip(ours, weights_of(snap)))


@pytest.mark.parametrize("name", RUNS)
def test_tf_playground_run_reproduced(name):
    ref = reference(name)
    setup = setup_of(ref["config"])
    data, run = pg.start_with(setup, data_of(ref, setup), weights_of(ref["init"]))
    assert run.spec.loss == "half_mse" and not run.spec.shuffle and run.spec.last_batch == "carry"
    start = [losses.get(run.spec.loss).value(t, run.net.predict(f)) for f, t in ((run.f_train, data.t_train),
                                                                       (data.f_test, data.t_test))]
    assert np.allclose(start, ref["initLoss"], rtol=0, atol=TOL)
    checked = []
    steps, epochs = ref["steps"], ref["epochs"]
    while not run.done:
        for snap in run.advance(1):
            if str(snap.step) in steps:
                want = steps[str(snap.step)]
                assert snap.epoch == want["epoch"]
                assert worst_difference(run, want) < TOL, f"weights after update {snap.step}"
                assert [d.tolist() for d in run.net.dead_masks()] == [np.asarray(d, dtype=bool).tolist()
                                                                     for d in want["dead"]]
                checked.append(f"step {snap.step}")
            if snap.epoch_end and str(snap.epoch) in epochs:
                want = epochs[str(snap.epoch)]
                assert snap.step == want["updates"]
                assert worst_difference(run, want) < TOL, f"weights after epoch {snap.epoch}"
                assert [d.tolist() for d in run.net.dead_masks()] == [np.asarray(d, dtype=bool).tolist()
                                                                     for d in want["dead"]]
                assert abs(snap.train_loss - want["loss"][0]) < TOL, f"training loss after epoch {snap.epoch}"
                assert abs(snap.val_loss - want["loss"][1]) < TOL, f"test loss after epoch {snap.epoch}"
                # the page's numbers: the run's per-epoch history is TF Playground's displayed loss
                assert run.train_losses[-1] == snap.train_loss and run.val_losses[-1] == snap.val_loss
                checked.append(f"epoch {snap.epoch}")
    assert len(checked) == len(steps) + len(epochs), checked
    assert run.status == "finished" and run.epoch == ref["config"]["epochs"]
