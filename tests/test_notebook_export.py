"""The exported notebook executes (nbclient, the venv's Python as its kernel) and ends on the page's numbers."""
import json
import sys
from dataclasses import replace

import numpy as np
import pytest

from nncore.export import notebook
from nncore.lessons import playground_lab as pg

pytestmark = pytest.mark.keras

KERNEL = "nnplay-venv"


@pytest.fixture
def venv_kernel(tmp_path, monkeypatch):
    """A kernel spec that runs this very interpreter (the venv's), found through JUPYTER_PATH."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "nnplay venv", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return KERNEL


def execute(nb, kernel: str) -> dict:
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name=kernel, timeout=600).execute()
    text = "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                   for out in cell.get("outputs", []) if out.get("output_type") == "stream")
    line = next(line for line in text.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


@pytest.mark.parametrize("controls", [dict(epochs=15), dict(epochs=10, optimizer="adam", lr=0.01)],
                         ids=["sgd", "adam"])
def test_exported_notebook_runs_and_ends_on_the_page_numbers(controls, venv_kernel, tmp_path):
    setup = replace(pg.Setup(), controls=replace(pg.Setup().controls, **controls))
    data, run = pg.start(setup)
    run.finish()
    said = pg.explain(run, setup) + ["Every sentence the page shows under the run goes into the notebook."]
    nb = notebook.build(setup, data, run.initial_weights, run.epoch, said)
    (tmp_path / "run.ipynb").write_bytes(notebook.to_bytes(nb))
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "z^l = a^{l-1} W^l + b^l" in md and all(f"- {s}" in md for s in said)
    got = execute(nb, venv_kernel)
    assert got["epochs"] == run.epoch == controls["epochs"]
    assert got["train_loss"] == pytest.approx(run.train_losses[-1], abs=1e-4)
    assert got["test_loss"] == pytest.approx(run.val_losses[-1], abs=1e-4)
    assert got["accuracy"] == pytest.approx(run.accuracies[-1], abs=1 / len(data.x_train))
    assert got["test_accuracy"] == pytest.approx(run.val_accuracies[-1], abs=1 / len(data.x_test))
    assert run.train_losses[-1] < run.train_losses[0]             # a run that learnt something, not a flat one


def test_notebook_embeds_the_page_data_and_theta0_exactly():
    data, run = pg.start(pg.Setup())
    nb = notebook.build(pg.Setup(), data, run.initial_weights, 3)
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    scope = {"np": np}
    exec(src.split("print(x_train.shape")[0], scope)
    assert np.array_equal(scope["x_train"], data.f_train) and np.array_equal(scope["t_test"], data.t_test)
    theta_line = next(line for line in src.splitlines() if line.startswith("theta0 = "))
    exec(theta_line, scope)
    assert all(np.array_equal(a, b) for a, b in zip(scope["theta0"], run.initial_weights))


def test_tf_playground_rules_cannot_export_a_keras_notebook():
    setup = replace(pg.Setup(), controls=replace(pg.Setup().controls, rules="tfplayground"))
    with pytest.raises(ValueError, match="TensorFlow Playground"):
        notebook.build(setup, pg.make_data(pg.Setup()), [], 1)
