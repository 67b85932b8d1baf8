"""Exports: a network nnplay trains, written out as code a student runs elsewhere.

``torch_code``: a ``NetworkSpec`` + ``TrainSpec`` (or a plain layer list with convolutions) → runnable PyTorch
source in the course's style (course 001: a ``torch.nn.Module`` with its layers and its ``forward``).
``playground``: the playground's ``Setup`` → its PyTorch code (features, gates' data, TF Playground's rules).
Neither imports torch: they only write text. The Keras export stays in ``nncore.keras.bridge``.
"""
