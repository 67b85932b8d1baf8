"""A playground run as a Jupyter notebook (nbformat): the same data, the same network in Keras from the same θ₀.

``build(setup, data, initial_weights, epochs, explanations)`` writes a notebook that

1. rebuilds the data set: the page's points, as the features the first layer sees (x₁, x₂, x₁², …) and the
   targets t (0/1, one-hot rows for K classes, or values), embedded as numbers, the split into training and
   test points included;
2. builds the same network in Keras (``playground_lab.export_code``: course 003's style) and sets its weights
   to the page's initial weights θ₀ (Keras's layout: a kernel W^l is (n_in, n_out), as nncore keeps it);
3. trains it on the page's batches: every epoch one permutation of the training points drawn from
   ``numpy.random.default_rng(seed)`` (the engine's shuffle stream), cut into batches of ``batch_size``, one
   update W := W − α ∂J/∂W per batch (``model.train_on_batch``), for ``epochs`` epochs;
4. prints the final figures: the epoch's training cost (the mean of its batch costs, Keras's "loss"), the
   test cost, and the accuracy on the training and test points (classes), and one ``RESULT {json}`` line a
   test reads.

The page's explanations (the data, the notation z^l = a^(l-1) W^l + b^l, what the run shows) are markdown
cells. Not for TensorFlow Playground's rules (its initialiser, carried batch and L1 rule are not Keras's):
``build`` raises ``ValueError`` with a sentence. Keras computes in float32, nncore in float64: the figures
agree to about 10⁻⁴ over short runs, and dropout draws other masks (the notebook says so).
"""
from __future__ import annotations

import json
from typing import Sequence

import numpy as np

NOTATION = ("Course 003's notation: layer l computes $z^l = a^{l-1} W^l + b^l$ and $a^l = f_l(z^l)$, with "
            "$a^0 = x$ the input features; back-propagation gives $\\delta^l$ and $\\partial J/\\partial W^l = "
            "(a^{l-1})^T \\delta^l$, and each update is $W^l := W^l - \\alpha\\, \\partial J/\\partial W^l$ "
            "(plain SGD; momentum, Adam, … change only this step).")


def _array(a: np.ndarray) -> str:
    """numpy source for ``a``, exact: float64 values written with repr (17 significant digits)."""
    return f"np.array({json.dumps(np.asarray(a, dtype=float).tolist())})"


def build(setup, data, initial_weights: Sequence[np.ndarray], epochs: int, explanations: Sequence[str] = ()):
    """The notebook (an ``nbformat`` NotebookNode, v4) for ``setup`` trained ``epochs`` epochs from θ₀."""
    import nbformat
    from nbformat import v4

    from nncore.lessons import playground_lab as pg

    c = setup.controls
    if c.tf_rules:
        raise ValueError("Under TensorFlow Playground's rules the network is not a Keras model (its initialiser, "
                         "its L1 rule, the carried batch): switch the rules to nnplay's to export a notebook.")
    spec = c.train_spec()
    task = data.task
    shuffle = spec.shuffle and spec.mode != "batch"
    size = spec.effective_batch(len(data.x_train))
    sizes = " → ".join(map(str, c.sizes(len(setup.features), task.outputs)))
    md, code = v4.new_markdown_cell, v4.new_code_cell
    cells = [
        md(f"# nnplay's playground in Keras: {pg.DATA_LABELS[setup.data]}, network {sizes}\n\n"
           "This notebook was exported from nnplay's playground. It rebuilds the page's data set, builds the same "
           "network in Keras from the same initial weights θ₀, trains it on the same batches and prints the final "
           "figures, which match the page's run to Keras's float32 precision."),
        md(f"## The data\n\n{data.name}: {len(data.x_train)} training points and {len(data.x_test)} test points "
           f"({task.describe()}). The first layer sees the features "
           f"{', '.join(setup.features)} of each point (x₁, x₂); they are embedded below, exactly as the page "
           "computed them."),
        code("import json\n\nimport numpy as np\n\n"
             f"x_train = {_array(data.f_train)}\nt_train = {_array(data.t_train)}\n"
             f"x_test = {_array(data.f_test)}\nt_test = {_array(data.t_test)}\n"
             "print(x_train.shape, t_train.shape, x_test.shape, t_test.shape)"),
        md(f"## The network\n\n{NOTATION}"),
        code("\n".join(line for line in pg.export_code(setup).splitlines() if not line.startswith("# model.fit")
                       and not line.startswith("#           validation_split"))),
        md("## The initial weights θ₀\n\nThe page's run started from these weights (kernel $W^l$ as "
           "(n_in, n_out), then $b^l$, layer by layer: Keras's order), so Keras starts exactly where the page did."),
        code(f"theta0 = [{', '.join(_array(w) for w in initial_weights)}]\n"
             "floatx = keras.config.floatx()\n"
             "model.set_weights([w.astype(floatx) for w in theta0])"),
        md(f"## Training: the page's batches\n\nEach epoch visits the {len(data.x_train)} training points in "
           + (f"one permutation drawn from `numpy.random.default_rng({spec.seed})` (nncore's shuffle stream), "
              if shuffle else "their order, ")
           + f"cut into batches of {size}; each batch makes one update with `train_on_batch`. The epoch's cost is "
             "the mean of its batch costs (Keras's \"loss\")."
           + (" Dropout draws other random masks in Keras than on the page, so the figures differ a little."
              if any(setup.network_spec().layer_dropouts()) else "")),
        code(f"epochs, batch_size, shuffle, seed = {int(epochs)}, {size}, {shuffle}, {spec.seed}\n"
             "rng = np.random.default_rng(seed) if shuffle else None\n"
             "xf, tf_ = x_train.astype(floatx), t_train.astype(floatx)\n"
             "train_losses = []\n"
             "for epoch in range(epochs):\n"
             "    order = rng.permutation(len(xf)) if rng is not None else np.arange(len(xf))\n"
             "    costs = [float(np.ravel(model.train_on_batch(xf[idx], tf_[idx]))[0])\n"
             "             for idx in (order[i:i + batch_size] for i in range(0, len(xf), batch_size))]\n"
             "    train_losses.append(float(np.mean(costs)))\n"
             "print(f'epoch {epochs}: training cost {train_losses[-1]:.6f}')"),
        md("## The final figures\n\nThe training cost of the last epoch, the test cost with the weights at the "
           "end, and the share of points classified right (for classes)."),
        code(_figures_code(task)),
    ]
    if explanations:
        cells.append(md("## What the page said about this run\n\n" + "\n".join(f"- {t}" for t in explanations)))
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


def _figures_code(task) -> str:
    lines = ["result = {'epochs': epochs, 'train_loss': train_losses[-1]}",
             "if len(x_test):",
             "    result['test_loss'] = float(np.ravel(model.evaluate(x_test.astype(floatx), t_test.astype(floatx),",
             "                                                        batch_size=len(x_test), verbose=0))[0])"]
    if task.is_classification:
        lines += ["def accuracy(x, t):",
                  "    a = model.predict(x.astype(floatx), verbose=0)",
                  "    if a.shape[1] == 1:",
                  "        return float(np.mean((a[:, 0] > 0.5) == (t[:, 0] > 0.5)))",
                  "    return float(np.mean(a.argmax(axis=1) == t.argmax(axis=1)))",
                  "result['accuracy'] = accuracy(x_train, t_train)",
                  "if len(x_test):",
                  "    result['test_accuracy'] = accuracy(x_test, t_test)"]
    lines += ["for name, value in result.items():",
              "    print(f'{name}: {value:.6g}' if isinstance(value, float) else f'{name}: {value}')",
              "print('RESULT', json.dumps(result))"]
    return "\n".join(lines)


def to_bytes(nb) -> bytes:
    """The notebook as the .ipynb file's bytes."""
    import nbformat

    return nbformat.writes(nb).encode()
