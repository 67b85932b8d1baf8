"""keras: the lazy TensorFlow bridge and the training jobs; TensorFlow's threads are capped first (``threads``)."""
from nncore.keras import threads as _threads

_threads.apply()
