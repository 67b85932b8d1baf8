"""Course 003's scikit-learn example: ``MLPClassifier`` on XOR, logistic against ReLU, run by scikit-learn itself.

The note fits a network of one hidden layer of 2 units to the four XOR rows with each activation and prints
its score (the share of rows right) and predictions::

    Using activation logistic   score: 0.5   predictions: [1 1 1 1]   expected: [0 1 1 0]
    Using activation relu       score: 1.0   predictions: [0 1 1 0]   expected: [0 1 1 0]

``run(activation)`` does exactly what the note's code (``CODE``) does, with scikit-learn, and gives the same. It is
not nnplay's engine: the point of the example is that a library's defaults (Adam, α = 0.0001 L2, a random start
fixed by ``random_state=20``) decide whether two hidden units find XOR. scikit-learn is imported only when a
student asks for the run (like TensorFlow: never at start-up), and each run is made once per process (it is
the same every time: 4 rows, a fixed seed).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Tuple

ACTIVATIONS = ("logistic", "relu")
XS = ((0, 0), (0, 1), (1, 0), (1, 1))
YS = (0, 1, 1, 0)
SETTINGS = {"max_iter": 10000, "hidden_layer_sizes": (2,), "random_state": 20}      # the note's

# The note's code as it should read (its copy has "activation=activation." and "max_iter=10000." with full stops).
CODE = """import numpy as np
from sklearn.neural_network import MLPClassifier

xs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
ys = np.array([0, 1, 1, 0])
for activation in ['logistic', 'relu']:
    print("\\nUsing activation %s" % activation)
    model = MLPClassifier(
        activation=activation,
        max_iter=10000,
        hidden_layer_sizes=(2,),
        random_state=20)
    model.fit(xs, ys)
    print('score:', model.score(xs, ys))
    print('predictions:', model.predict(xs))
    print('expected:', ys)
"""


@dataclass(frozen=True)
class Result:
    """One fit: the share of the four rows right (``score``), the predicted classes, and how many passes over
    the rows scikit-learn made before its loss stopped improving (``iterations``)."""

    activation: str
    score: float
    predictions: Tuple[int, ...]
    iterations: int

    @property
    def solved(self) -> bool:
        return self.predictions == YS


@lru_cache(maxsize=len(ACTIVATIONS))
def run(activation: str) -> Result:
    """The note's fit for ``activation`` ('logistic' or 'relu'), made by scikit-learn."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"The note runs {' and '.join(ACTIVATIONS)}; {activation!r} is not one of them.")
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    xs, ys = np.array(XS), np.array(YS)
    model = MLPClassifier(activation=activation, **SETTINGS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(xs, ys)
    return Result(activation, float(model.score(xs, ys)), tuple(int(p) for p in model.predict(xs)),
                  int(model.n_iter_))


def runs() -> Tuple[Result, ...]:
    """Both of the note's fits, logistic then ReLU."""
    return tuple(run(a) for a in ACTIVATIONS)
