"""A network spec → runnable PyTorch source, written the way course 001 writes PyTorch.

Course 001 defines a network as a ``torch.nn.Module``: its layers in ``__init__`` (``self.layer1 =
torch.nn.Linear(2, 10)``), the forward propagation in ``forward``. ``export_code`` writes that class for a
``NetworkSpec`` (the playground's networks, the MNIST page's dense models) with Keras's semantics kept, so the
code trains the same network nnplay trains:

- layer l is ``torch.nn.Linear(n_(l-1), n_l)``: z^l = a^(l-1) W^l + b^l, a^l = f_l(z^l). PyTorch keeps the
  weight as (n_out, n_in), the transpose of Keras's and nnplay's kernel W^l (n_in, n_out): embedded weights
  are transposed on loading (``load_initial_weights``), and the code says so;
- the initialisers are Keras's (``glorot_uniform`` → ``xavier_uniform_``, ``he_uniform`` → ``kaiming_uniform_``,
  ``glorot_normal``/``he_normal`` → ``trunc_normal_`` cut at ±2σ as Keras cuts them), not PyTorch's default;
- sigmoid + binary cross-entropy and softmax + categorical cross-entropy are computed from the logits z^L
  (``BCEWithLogitsLoss``, ``CrossEntropyLoss``), as Keras and nnplay do; ``forward`` then returns z^L and
  ``predict`` a^L; other losses (MSE, MAE, the course's ½(a − t)²) read a^L;
- the L1/L2 penalties λ_l Σ (W^l)² + λ1 Σ |W^l| are added to the cost (``penalty``), as Keras's
  ``kernel_regularizer`` does, not PyTorch's ``weight_decay`` (which also decays the biases);
- the optimisers are Keras's: SGD, momentum, Nesterov and Adagrad make the same updates in PyTorch's form;
  Adam and RMSprop put ε in another place (said in the code): over 20 updates on XOR Adam stays within 3e-4
  of nnplay's weights, RMSprop parts by 2.5e-2 (Keras's √(v + ε) floors the divisor at √ε, PyTorch's √v + ε
  at ε, so a weight with tiny gradients moves further in PyTorch);
- the code computes in float64, as nnplay does (numpy), so 20 SGD steps agree with nnplay to ~1e-15.

``export_layers`` writes a plain layer list with convolutions (its dict format is in its docstring), for the
MNIST page's layer builder. Nothing here imports torch: it only writes text.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from nncore.engine.specs import NetworkSpec, TrainSpec

_TRUNC_STD = 0.87962566103423978        # the stddev of a unit normal cut at ±2 (Keras divides by it)

_ACTIVATIONS = {"sigmoid": "torch.sigmoid({z})", "tanh": "torch.tanh({z})", "relu": "torch.relu({z})",
                "leaky_relu": "torch.nn.functional.leaky_relu({z}, negative_slope={alpha!r})",
                "linear": "{z}", "softmax": "torch.softmax({z}, dim=1)"}
_FUSED = {("sigmoid", "binary_crossentropy"): ("torch.nn.BCEWithLogitsLoss()", "torch.sigmoid({z})"),
          ("softmax", "categorical_crossentropy"): ("torch.nn.CrossEntropyLoss()", "torch.softmax({z}, dim=1)")}
_LOSSES = {"mse": "torch.nn.MSELoss()", "mae": "torch.nn.L1Loss()"}


class ExportError(ValueError):
    """What the PyTorch export cannot write, in a sentence."""


# ---- pieces ---------------------------------------------------------------------------------------
def _activation(name: str, z: str, alpha: float = 0.01) -> str:
    try:
        return _ACTIVATIONS[name].format(z=z, alpha=alpha)
    except KeyError:
        raise ExportError(f"PyTorch code: no activation called {name!r}.") from None


def init_line(target: str, name: str, shape: Tuple[int, ...], mean: float = 0.0, stddev: float = 0.05) -> str:
    """One ``torch.nn.init`` call drawing ``target`` (of Keras's ``shape``, (n_in, n_out) for a kernel) as
    Keras's initialiser ``name`` does: same distribution, other random numbers."""
    fan_in, fan_out = (shape[0], shape[1]) if len(shape) > 1 else (shape[0], shape[0])
    if name == "zeros":
        return f"torch.nn.init.zeros_({target})"
    if name == "ones":
        return f"torch.nn.init.ones_({target})"
    if name == "random_normal":
        return f"torch.nn.init.normal_({target}, mean={mean!r}, std={stddev!r})"
    if name == "tfp_uniform":
        return f"torch.nn.init.uniform_({target}, -0.5, 0.5)  # TensorFlow Playground's U[-0.5, 0.5)"
    if name in ("glorot_uniform", "he_uniform"):
        limit = math.sqrt(6.0 / (fan_in + fan_out) if name == "glorot_uniform" else 6.0 / fan_in)
        if len(shape) > 1:
            call = ("torch.nn.init.xavier_uniform_({t})" if name == "glorot_uniform"
                    else 'torch.nn.init.kaiming_uniform_({t}, nonlinearity="relu")').format(t=target)
            return f"{call}  # {name}: U(±{limit:.4g})"
        return f"torch.nn.init.uniform_({target}, {-limit!r}, {limit!r})  # {name}"
    if name in ("glorot_normal", "he_normal"):
        std = math.sqrt(2.0 / (fan_in + fan_out) if name == "glorot_normal" else 2.0 / fan_in) / _TRUNC_STD
        return (f"torch.nn.init.trunc_normal_({target}, std={std:.6g}, a={-2 * std:.6g}, b={2 * std:.6g})"
                f"  # {name}: cut at ±2σ as Keras cuts it")
    raise ExportError(f"PyTorch code: no initialiser called {name!r}.")


def optimizer_code(train: TrainSpec) -> Tuple[str, str]:
    """(the ``torch.optim`` call on ``model.parameters()``, a comment on how it relates to Keras's)."""
    lr, mu = train.lr, train.momentum
    return {
        "sgd": (f"torch.optim.SGD(model.parameters(), lr={lr!r})", "W := W - α ∂J/∂W, as Keras's SGD"),
        "momentum": (f"torch.optim.SGD(model.parameters(), lr={lr!r}, momentum={mu!r})",
                     "PyTorch keeps b := μ b + g and steps -α b; Keras keeps m := μ m - α g (m = -α b): the "
                     "same updates"),
        "nesterov": (f"torch.optim.SGD(model.parameters(), lr={lr!r}, momentum={mu!r}, nesterov=True)",
                     "the same updates as Keras's SGD(nesterov=True)"),
        "rmsprop": (f"torch.optim.RMSprop(model.parameters(), lr={lr!r}, alpha=0.9, eps=1e-07)",
                    "Keras's ρ = 0.9 (PyTorch's default 0.99). PyTorch divides by √v + ε, Keras by √(v + ε): "
                    "where |g| < √ε ≈ 3e-4 PyTorch's steps are larger, so the runs part"),
        "adam": (f"torch.optim.Adam(model.parameters(), lr={lr!r}, betas=(0.9, 0.999), eps=1e-07)",
                 "Keras's ε = 1e-7 (PyTorch's default 1e-8); PyTorch adds ε to √v̂, Keras to √v: they agree to ~ε"),
        "adagrad": (f"torch.optim.Adagrad(model.parameters(), lr={lr!r}, initial_accumulator_value=0.1, "
                    "eps=1e-07)", "Keras's accumulator starts at 0.1; PyTorch divides by √acc + ε, Keras by "
                                  "√(acc + ε): with acc ≥ 0.1 the same to ~1e-9"),
    }[train.optimizer]


def _loss_code(output_activation: str, loss: str) -> Tuple[List[str], bool, str]:
    """(lines defining ``loss_fn``, whether forward returns the logits z^L, how predict makes a^L)."""
    fused = _FUSED.get((output_activation, loss))
    if fused:
        call, predict = fused
        note = ("# Computed from the logits z^L (forward returns them), as Keras and nnplay compute "
                + ("σ + binary cross-entropy." if loss == "binary_crossentropy" else
                   "softmax + cross-entropy;\n# y_train holds one-hot rows (class probabilities)."))
        return [note, f"loss_fn = {call}"], True, predict
    if loss in _LOSSES:
        return [f"loss_fn = {_LOSSES[loss]}  # mean over outputs and samples, as Keras's"], False, "{z}"
    if loss == "half_mse":
        return ["def loss_fn(a, t):",
                '    """The course\'s cost 1/(2n) Σ ||t - a||² (TensorFlow Playground\'s ½(a - t)²)."""',
                "    return 0.5 * ((a - t) ** 2).sum(dim=1).mean()"], False, "{z}"
    raise ExportError(f"PyTorch code: the loss {loss!r} does not fit a {output_activation} output (a sigmoid "
                      "output for binary cross-entropy, a softmax output for categorical cross-entropy).")


def _array(a) -> str:
    return repr(np.asarray(a, dtype=float).tolist())


def _weights_block(weights: Sequence[np.ndarray]) -> List[str]:
    """θ₀ in Keras's layout and the function that loads it, transposing each kernel."""
    lines = ["", "",
             "# nnplay's initial weights θ₀ in Keras's layout: kernel W^l is (n_in, n_out), bias b^l is (n_out,).",
             "INITIAL_WEIGHTS = ["]
    for i, (W, b) in enumerate(zip(weights[::2], weights[1::2]), 1):
        rows = [_array(row) for row in np.atleast_2d(W)]
        for j, row in enumerate(rows):
            lines.append(("    ([" if j == 0 else "      ") + row + ("]," if j == len(rows) - 1 else ",")
                         + (f"  # W^{i}" if j == 0 else ""))
        lines.append(f"     {_array(b)}),  # b^{i}")
    lines += ["]", "", "",
              "def load_initial_weights(model):",
              '    """Copy θ₀ into the model. torch.nn.Linear keeps its weight as (n_out, n_in), the TRANSPOSE',
              "    of Keras's kernel W^l (n_in, n_out): PyTorch computes z = x Wᵀ + b, the course writes",
              '    z^l = a^(l-1) W^l + b^l. So each kernel is transposed (.T) on the way in."""',
              "    with torch.no_grad():",
              "        for layer, (W, b) in zip(model.linear_layers(), INITIAL_WEIGHTS):",
              "            layer.weight.copy_(torch.tensor(W).T)",
              "            layer.bias.copy_(torch.tensor(b))"]
    return lines


def _train_block(train: TrainSpec, notes: Sequence[str]) -> List[str]:
    batch = {"batch": "None", "stochastic": "1"}.get(train.mode, str(train.batch_size))
    lines = ["", "",
             f"def train(model, optimizer, x_train, y_train, epochs={train.epochs}, batch_size={batch}, "
             f"shuffle={train.shuffle!r}):",
             '    """Mini-batch gradient descent, the course\'s loop: each epoch (shuffle and) cut the points into',
             "    batches; per batch: forward, cost J (+ the penalty), back-propagation (autograd), one update.",
             '    batch_size=None: all points at once (batch descent). Returns each epoch\'s mean batch cost."""',
             "    n = len(x_train)",
             "    size = batch_size or n",
             "    history = []",
             "    model.train()  # dropout on",
             "    for epoch in range(epochs):",
             "        # The order differs from nnplay's (another random generator) unless shuffle=False.",
             "        order = torch.randperm(n) if shuffle else torch.arange(n)",
             "        costs = []",
             "        for start in range(0, n, size):",
             "            idx = order[start:start + size]",
             "            cost = loss_fn(model(x_train[idx]), y_train[idx]) + model.penalty()",
             "            optimizer.zero_grad()",
             "            cost.backward()  # ∂J/∂W^l and ∂J/∂b^l for every layer",
             "            optimizer.step()",
             "            costs.append(cost.item())",
             "        history.append(sum(costs) / len(costs))",
             "    model.eval()",
             "    return history"]
    return lines + [f"# {n}" for n in notes]


def _flat(shape: Optional[Tuple[int, ...]]) -> int:
    return int(np.prod(shape)) if shape else 0


# ---- dense networks (the playground's, the MNIST page's) ----------------------------------------------
def export_code(spec: NetworkSpec, train: TrainSpec, *, weights: Optional[Sequence[np.ndarray]] = None,
                out_init: str = "same", bias_init: float = 0.0, image_shape: Optional[Tuple[int, ...]] = None,
                header: Sequence[str] = (), notes: Sequence[str] = (),
                data: Optional[Tuple[list, list]] = None, main: Optional[Sequence[str]] = None) -> str:
    """Runnable PyTorch code for ``spec`` trained as ``train`` says.

    ``weights``: Keras's list [W^1, b^1, …] to embed as θ₀ (loaded transposed); ``out_init``: the output
    kernel's own initialiser ('same': the spec's); ``bias_init``: every bias's start value (0: the spec's
    bias initialiser); ``image_shape``: the inputs come as images of this shape (MNIST's (28, 28)) and
    ``forward`` flattens them first; ``header``/``notes``: comment lines at the top / after ``train``;
    ``data``: (x rows, y rows) to train on and print, as the Keras export does for the four-point sets;
    ``main``: lines that replace the closing ``if __name__ == "__main__":`` block (the MNIST export's data
    loading and training, ``nncore.export.mnist``).
    """
    spec.validate()
    train.validate()
    if image_shape and _flat(image_shape) != spec.n_inputs:
        raise ExportError(f"PyTorch code: images of shape {image_shape} give {_flat(image_shape)} inputs, "
                          f"not the network's {spec.n_inputs}.")
    sizes = spec.sizes
    acts, drops, l2s = spec.layer_activations(), spec.layer_dropouts(), spec.layer_l2s()
    n_layers = len(sizes) - 1
    loss_lines, logits, predict = _loss_code(spec.output_activation, train.loss)
    arch = " → ".join([f"{spec.n_inputs} inputs", *(f"{u} {f}" for u, f in zip(spec.hidden, acts)),
                       f"{spec.output_units} {spec.output_activation}"])
    init_names = [spec.initializer] * (n_layers - 1) + [spec.initializer if out_init == "same" else out_init]
    cls = ["class Net(torch.nn.Module):",
           f'    """{arch}: z^l = a^(l-1) W^l + b^l, a^l = f_l(z^l)."""', "",
           "    # initialization", "    def __init__(self):", "        super().__init__()"]
    if image_shape:
        cls.append(f"        self.flatten = torch.nn.Flatten()  # {' × '.join(map(str, image_shape))} pixels "
                   f"→ {spec.n_inputs} inputs")
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        cls.append(f"        self.layer{i} = torch.nn.Linear({n_in}, {n_out})  # W^{i}, b^{i}")
        if drops[i - 1]:
            cls.append(f"        self.dropout{i} = torch.nn.Dropout({drops[i - 1]!r})  # inverted dropout, as "
                       "Keras's (other random masks)")
    cls.append("        # Keras's initialisers, not PyTorch's default U(±1/√n_in): the same distributions as nnplay's, "
               "other numbers.")
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        cls.append("        " + init_line(f"self.layer{i}.weight", init_names[i - 1], (n_in, n_out),
                                          spec.init_mean, spec.init_stddev))
        if bias_init:
            cls.append(f"        torch.nn.init.constant_(self.layer{i}.bias, {bias_init!r})")
        else:
            cls.append("        " + init_line(f"self.layer{i}.bias", spec.bias_initializer, (n_out,),
                                              spec.init_mean, spec.init_stddev))
    cls += ["", "    # forward path", "    def forward(self, x):"]
    if image_shape:
        cls.append("        x = self.flatten(x)  # a^0 = x, one row of pixels per image")
    for i, act in enumerate(acts, 1):
        if i == n_layers and logits:
            cls.append(f"        return self.layer{i}(x)  # z^{i}: the loss applies {spec.output_activation}")
            break
        cls.append(f"        x = {_activation(act, f'self.layer{i}(x)', spec.leaky_alpha)}  # a^{i} = {act}(z^{i})")
        if drops[i - 1]:
            cls.append(f"        x = self.dropout{i}(x)  # while training only")
        if i == n_layers:
            cls.append("        return x")
    cls += ["", "    def predict(self, x):",
            '        """a^L, the network\'s output (probabilities for classes), without training."""',
            "        with torch.no_grad():",
            f"            return {predict.format(z='self(x)')}", "",
            "    def linear_layers(self):",
            f"        return [{', '.join(f'self.layer{i}' for i in range(1, n_layers + 1))}]", "",
            "    def penalty(self):",
            '        """What Keras\'s kernel_regularizer adds to the cost: λ_l Σ (W^l)² (L2), λ1 Σ |W^l| (L1)."""']
    terms = []
    for i, lam in enumerate(l2s, 1):
        if lam:
            terms.append(f"{lam!r} * (self.layer{i}.weight ** 2).sum()")
        if spec.l1:
            terms.append(f"{spec.l1!r} * self.layer{i}.weight.abs().sum()")
    cls.append(f"        return {' + '.join(terms) if terms else '0.0  # no regularisation'}")
    opt, opt_note = optimizer_code(train)
    lines = ["# Generated by nnplay: the same network in PyTorch (course 001's style: a torch.nn.Module).",
             *(f"# {h}" for h in header),
             "import torch", "",
             "torch.set_default_dtype(torch.float64)  # nnplay computes in float64 (PyTorch's default: float32)",
             f"torch.manual_seed({spec.seed})", "", "", *cls, "", "", *loss_lines, "", "",
             "def make_optimizer(model):",
             f"    # {opt_note}",
             f"    return {opt}",
             *_train_block(train, notes),
             *(_weights_block(weights) if weights is not None else [])]
    if main is not None:
        return "\n".join([*lines, *main]) + "\n"
    lines += ["", "", 'if __name__ == "__main__":', "    model = Net()"]
    if weights is not None:
        lines.append("    load_initial_weights(model)  # the same start as nnplay's run")
    lines += ["    optimizer = make_optimizer(model)", "    print(model)",
              '    print("Parameters:", sum(p.numel() for p in model.parameters()))']
    lines += _main_data(data, train, spec) if data is not None else [
        "    # x_train: one row per sample, one column per input; y_train: one row of targets per sample.",
        "    # history = train(model, optimizer, x_train, y_train)"]
    return "\n".join(lines) + "\n"


def _main_data(data, train: TrainSpec, spec: NetworkSpec) -> List[str]:
    x, y = data
    batch = min(train.batch_size, len(x)) if train.mode == "mini-batch" else (1 if train.mode == "stochastic"
                                                                                 else len(x))
    out = [f"    x_train = torch.tensor({x!r}, dtype=torch.float64)",
           f"    y_train = torch.tensor({y!r}, dtype=torch.float64)",
           f"    history = train(model, optimizer, x_train, y_train, epochs={train.epochs}, batch_size={batch})",
           "    pred_prob = model.predict(x_train).ravel()" if spec.output_units == 1 else
           "    pred_prob = model.predict(x_train)",
           '    print("Final cost:", history[-1])',
           '    print("Pred prob:", pred_prob)']
    if spec.output_units == 1:
        cut = 0.0 if spec.output_activation == "tanh" else 0.5      # tanh: targets ±1 (TF Playground's)
        out.append(f'    print("Accuracy:", ((pred_prob > {cut}) == (y_train.ravel() > {cut})).double().mean().item())')
    return out


# ---- layer lists with convolutions (the MNIST page's builder) ------------------------------------------
LAYER_KINDS = ("conv2d", "maxpool2d", "batchnorm", "dropout", "flatten", "dense")
_CLASS_KINDS = {"Conv2D": "conv2d", "MaxPool": "maxpool2d", "MaxPooling2D": "maxpool2d", "BatchNorm": "batchnorm",
                "BatchNormalization": "batchnorm", "Dropout": "dropout", "Flatten": "flatten", "Dense": "dense"}


def layer_dict(layer) -> Dict[str, object]:
    """A layer as ``export_layers``'s plain dict: a dict as it is, or a small dataclass named like Keras's
    layer (Conv2D, MaxPool/MaxPooling2D, BatchNorm, Dropout, Flatten, Dense) with the dict's fields
    (a pool's ``size`` is read as ``pool``)."""
    if isinstance(layer, dict):
        return dict(layer)
    kind = _CLASS_KINDS.get(type(layer).__name__)
    if kind is None or not dataclasses.is_dataclass(layer):
        raise ExportError(f"PyTorch code: {layer!r} is not a layer (a dict with a 'kind', or Conv2D, MaxPool, "
                          "BatchNorm, Dropout, Flatten, Dense).")
    out = {"kind": kind, **dataclasses.asdict(layer)}
    if "size" in out and kind == "maxpool2d":
        out["pool"] = out.pop("size")
    return out


def same_padding(side: int, kernel: int, stride: int) -> Tuple[int, int]:
    """Keras's padding "same" on one axis: (before, after), the output side ⌈side / stride⌉. When the total is
    odd Keras pads one more after than before (uneven), which PyTorch's Conv2d cannot say alone."""
    out = -(-side // stride)
    total = max((out - 1) * stride + kernel - side, 0)
    return total // 2, total - total // 2


def export_layers(layers: Sequence[object], train: TrainSpec,
                  input_shape: Tuple[int, int, int] = (28, 28, 1), header: Sequence[str] = (),
                  main: Optional[Sequence[str]] = None) -> str:
    """Runnable PyTorch code for a plain layer list (the MNIST page's convolutional models).

    ``layers`` is the whole list, the output layer included (the MNIST builder's list, then
    ``{"kind": "dense", "units": 10, "activation": "softmax"}``). ``input_shape`` is Keras's (height, width,
    channels); the code takes images in that layout and turns them into PyTorch's (channels, height, width)
    first. Each layer is a dict with a ``kind`` (or a dataclass ``layer_dict`` reads):

    - ``{"kind": "conv2d", "filters": 32, "kernel": 3, "stride": 1, "padding": "valid" | "same",
      "activation": "relu"}``: Keras's Conv2D(filters, kernel, strides, padding, activation); "same" with an
      odd total padding pads one more after than before, as Keras does (``torch.nn.ZeroPad2d``);
    - ``{"kind": "maxpool2d", "pool": 2, "stride": None}``: MaxPooling2D (stride None = the pool's size);
    - ``{"kind": "batchnorm"}``: BatchNormalization (Keras's ε = 0.001 and momentum 0.99 = PyTorch's 0.01);
    - ``{"kind": "dropout", "rate": 0.25}``; ``{"kind": "flatten"}``;
    - ``{"kind": "dense", "units": 10, "activation": "softmax"}`` (the last layer: softmax + categorical
      cross-entropy, computed from the logits).

    Missing keys take the defaults above (kernel 3, stride 1, padding "valid", activation "relu" for conv2d
    and dense, pool 2). Shapes are checked here; one that does not fit (a 5×5 kernel on a 2×2 map) is an
    ``ExportError`` with a sentence (the MNIST builder validates first; this is the last guard). The code
    prints its parameter count the way Keras's ``count_params`` counts it: trainable parameters plus batch
    norm's moving mean and variance. ``main``: lines that replace the closing ``if __name__ == "__main__":``
    block (as in ``export_code``).
    """
    train.validate()
    layers = [layer_dict(layer) for layer in layers]
    h, w, c = input_shape
    shape: Tuple[int, ...] = (c, h, w)            # PyTorch's layout as the data flows
    init, fwd, convs = [], [], 0
    kinds = [str(layer.get("kind")) for layer in layers]
    if not layers or kinds[-1] != "dense":
        raise ExportError("PyTorch code: a layer list ends with a Dense layer (the outputs).")
    last_act = str(layers[-1].get("activation", "relu"))
    for i, layer in enumerate(layers, 1):
        kind = kinds[i - 1]
        name = f"self.{kind}_{i}"
        if kind not in LAYER_KINDS:
            raise ExportError(f"PyTorch code: layer {i} is a {kind!r}; the kinds are {', '.join(LAYER_KINDS)}.")
        if kind in ("conv2d", "maxpool2d") and len(shape) == 1:
            raise ExportError(f"PyTorch code: layer {i} ({kind}) comes after Flatten, which left no map to "
                              "slide over.")
        if kind == "conv2d":
            filters, k = int(layer.get("filters", 32)), int(layer.get("kernel", 3))
            stride, padding = int(layer.get("stride", 1)), str(layer.get("padding", "valid"))
            act = str(layer.get("activation", "relu"))
            ch, hh, ww = shape
            if filters < 1 or k < 1 or stride < 1:
                raise ExportError(f"PyTorch code: layer {i} needs at least 1 filter, a kernel of 1 and a stride "
                                  f"of 1 (got {filters} filters, kernel {k}, stride {stride}).")
            if padding not in ("valid", "same"):
                raise ExportError(f"PyTorch code: layer {i}'s padding is 'valid' or 'same' (got {padding!r}).")
            pad = (0, 0, 0, 0)
            if padding == "same":
                pad = (*same_padding(ww, k, stride), *same_padding(hh, k, stride))   # left, right, top, bottom
            elif k > hh or k > ww:
                raise ExportError(f"PyTorch code: layer {i} has a {k}×{k} kernel on a {hh}×{ww} map.")
            even = pad[0] == pad[1] and pad[2] == pad[3]
            if not even:
                init.append(f"        {name}_pad = torch.nn.ZeroPad2d({pad})  # Keras's 'same': one more after")
            init.append(f"        {name} = torch.nn.Conv2d({ch}, {filters}, kernel_size={k}, stride={stride}"
                        + (f", padding={(pad[2], pad[0])}" if even and any(pad) else "")
                        + f")  # {filters} filters of {k}×{k}×{ch}, + {filters} biases")
            init.append(f"        {init_line(f'{name}.weight', 'glorot_uniform', (k * k * ch, k * k * filters))}")
            init.append(f"        torch.nn.init.zeros_({name}.bias)")
            hh, ww = hh + pad[2] + pad[3], ww + pad[0] + pad[1]
            shape = (filters, (hh - k) // stride + 1, (ww - k) // stride + 1)
            z = f"{name}({name}_pad(x))" if not even else f"{name}(x)"
            fwd.append(f"        x = {_activation(act, z)}  # {_shape(shape)} (channels first)")
            convs += 1
        elif kind == "maxpool2d":
            pool = int(layer.get("pool", 2))
            stride = int(layer.get("stride") or pool)
            ch, hh, ww = shape
            if pool < 1 or pool > hh or pool > ww:
                raise ExportError(f"PyTorch code: layer {i} pools {pool}×{pool} over a {hh}×{ww} map.")
            shape = (ch, (hh - pool) // stride + 1, (ww - pool) // stride + 1)
            init.append(f"        {name} = torch.nn.MaxPool2d({pool}, stride={stride})")
            fwd.append(f"        x = {name}(x)  # {_shape(shape)}")
        elif kind == "batchnorm":
            bn = "BatchNorm2d" if len(shape) == 3 else "BatchNorm1d"
            init.append(f"        {name} = torch.nn.{bn}({shape[0]}, eps=0.001, momentum=0.01)  # Keras's ε, "
                        "momentum 0.99")
            fwd.append(f"        x = {name}(x)  # (x - μ_batch) / σ_batch · γ + β, per channel")
        elif kind == "dropout":
            rate = float(layer.get("rate", 0.5))
            init.append(f"        {name} = torch.nn.Dropout({rate!r})")
            fwd.append(f"        x = {name}(x)  # while training only")
        elif kind == "flatten":
            if len(shape) == 3:
                init.append(f"        {name} = torch.nn.Flatten()")
                fwd.append(f"        x = {name}(x)  # {_shape(shape)} → {_flat(shape)}: channels first, Keras "
                           "orders the same numbers height, width, channels")
                shape = (_flat(shape),)
        else:
            if len(shape) == 3:
                raise ExportError(f"PyTorch code: layer {i} is Dense but the data is still a {_shape(shape)} map: "
                                  "put a Flatten before it.")
            units, act = int(layer.get("units", 10)), str(layer.get("activation", "relu"))
            init.append(f"        {name} = torch.nn.Linear({shape[0]}, {units})")
            init.append(f"        {init_line(f'{name}.weight', 'glorot_uniform', (shape[0], units))}")
            init.append(f"        torch.nn.init.zeros_({name}.bias)")
            shape = (units,)
            if i < len(layers):
                fwd.append(f"        x = {_activation(act, f'{name}(x)')}  # {units}")
            elif (act, train.loss) in _FUSED:
                fwd.append(f"        return {name}(x)  # z^L: the loss applies {act}")
            else:
                fwd.append(f"        return {_activation(act, f'{name}(x)')}")
    loss_lines, _, predict = _loss_code(last_act, train.loss)
    opt, opt_note = optimizer_code(train)
    lines = ["# Generated by nnplay: the same convolutional network in PyTorch (course 001's style).",
             *(f"# {h}" for h in header),
             "import torch", "",
             "torch.set_default_dtype(torch.float64)  # nnplay's float64 (PyTorch's default: float32)",
             f"torch.manual_seed({train.seed})", "", "",
             "class Net(torch.nn.Module):",
             f'    """{len(layers)} layers, {convs} convolutional: images {h}×{w}×{c} → {shape[0]} outputs."""', "",
             "    # initialization", "    def __init__(self):", "        super().__init__()", *init, "",
             "    # forward path", "    def forward(self, x):",
             f"        x = x.reshape(-1, {h}, {w}, {c}).permute(0, 3, 1, 2)  # Keras's (n, {h}, {w}, {c}) → "
             f"PyTorch's (n, {c}, {h}, {w})",
             *fwd, "",
             "    def predict(self, x):",
             '        """a^L, one probability per class, without training."""',
             "        self.eval()",
             "        with torch.no_grad():",
             f"            return {predict.format(z='self(x)')}", "",
             "    def penalty(self):",
             "        return 0.0  # no regularisation", "", "",
             *loss_lines, "", "",
             "def make_optimizer(model):", f"    # {opt_note}", f"    return {opt}",
             *_train_block(train, ()), "", "",
             "def keras_param_count(model):",
             '    """What Keras\'s count_params says: the parameters plus batch norm\'s moving mean and variance."""',
             "    moving = sum(b.numel() for name, b in model.named_buffers() if name.endswith(('running_mean', "
             "'running_var')))",
             "    return sum(p.numel() for p in model.parameters()) + moving"]
    if main is not None:
        return "\n".join([*lines, *main]) + "\n"
    lines += ["", "", 'if __name__ == "__main__":', "    model = Net()", "    optimizer = make_optimizer(model)",
             "    print(model)",
             '    print("Parameters:", keras_param_count(model))',
             f"    # x_train: (n, {h}, {w}) or (n, {h}, {w}, {c}) images in [0, 1]; y_train: one-hot rows.",
             "    # history = train(model, optimizer, x_train, y_train)"]
    return "\n".join(lines) + "\n"


def _shape(shape: Tuple[int, ...]) -> str:
    return " × ".join(map(str, shape))
