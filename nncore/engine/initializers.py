"""Weight initialisers with Keras's names and semantics, drawn from a seeded numpy Generator.

A kernel W^l has shape (n_in, n_out) = (fan_in, fan_out). The numbers differ from Keras's
(another random generator) but the distributions are the same, so a preset behaves alike.
"""
from __future__ import annotations

import numpy as np

# Keras's VarianceScaling divides the stddev by this: the stddev of a unit normal
# truncated to [-2, 2], so the truncated draw keeps the intended variance.
_TRUNC_STD = 0.87962566103423978


def _truncated_normal(rng, shape, stddev):
    out = rng.normal(0.0, 1.0, size=shape)
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = rng.normal(0.0, 1.0, size=bad.sum())
        bad = np.abs(out) > 2
    return out * stddev


def initialize(name: str, shape, rng: np.random.Generator, mean: float = 0.0,
               stddev: float = 0.05) -> np.ndarray:
    """Draw an array of ``shape`` with the Keras initialiser ``name``.

    ``mean``/``stddev`` are used by ``random_normal`` only (Keras's RandomNormal). ``tfp_uniform`` is not
    Keras's: it is TensorFlow Playground's U[−0.5, 0.5), whatever the layer's size.
    """
    fan_in, fan_out = (shape[0], shape[1]) if len(shape) > 1 else (shape[0], shape[0])
    if name == "glorot_uniform":
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape)
    if name == "glorot_normal":
        return _truncated_normal(rng, shape, np.sqrt(2.0 / (fan_in + fan_out)) / _TRUNC_STD)
    if name == "he_uniform":
        limit = np.sqrt(6.0 / fan_in)
        return rng.uniform(-limit, limit, size=shape)
    if name == "he_normal":
        return _truncated_normal(rng, shape, np.sqrt(2.0 / fan_in) / _TRUNC_STD)
    if name == "random_normal":
        return rng.normal(mean, stddev, size=shape)
    if name == "tfp_uniform":           # TensorFlow Playground's Math.random() - 0.5 for every weight
        return rng.uniform(-0.5, 0.5, size=shape)
    if name == "zeros":
        return np.zeros(shape)
    if name == "ones":
        return np.ones(shape)
    raise ValueError(f"Unknown initialiser {name!r}; choose one of {', '.join(NAMES)}.")


NAMES = ("glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "random_normal", "zeros", "ones",
         "tfp_uniform")
