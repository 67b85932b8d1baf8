"""Put Keras's full ``mnist.npz`` where ``keras.datasets.mnist.load_data()`` looks for it, if possible.

Used by the Dockerfile (build argument ``MNIST=full``) and usable on a lab machine before class:

    python scripts/fetch_mnist.py                     # -> ~/.keras/datasets/mnist.npz
    python scripts/fetch_mnist.py --dest /home/nnplay/.keras/datasets/mnist.npz

It never fails a build: without internet (or with a damaged download) it says so and exits 0, and
the app then uses the bundled sample (``assets/mnist_sample.npz``). The file is checked against the
SHA-256 that Keras itself checks, then written atomically. Standalone (numpy only): it runs before
the app's code is copied into the image.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"   # keras.datasets.mnist
MAX_BYTES = 64 * 2**20                                                         # the file is 11 MB


def default_dest() -> Path:
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "mnist.npz"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(dest: Path, url: str = URL, expected: str = SHA256, timeout: float = 30.0) -> bool:
    """Download ``url`` to ``dest`` if its SHA-256 is ``expected``; True when ``dest`` is good."""
    if dest.is_file() and sha256(dest) == expected:
        print(f"fetch_mnist: {dest} is already there")
        return True
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".mnist-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as r:
            size = 0
            for block in iter(lambda: r.read(1 << 20), b""):
                size += len(block)
                if size > MAX_BYTES:
                    raise ValueError(f"more than {MAX_BYTES >> 20} MB")
                out.write(block)
        got = sha256(Path(tmp))
        if got != expected:
            raise ValueError(f"SHA-256 {got} is not Keras's {expected}")
        import numpy as np

        with np.load(tmp, allow_pickle=False) as f:
            shapes = {k: f[k].shape for k in ("x_train", "y_train", "x_test", "y_test")}
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
        print(f"fetch_mnist: full MNIST saved to {dest} {shapes}")
        return True
    except Exception as exc:       # offline, refused, damaged: the bundled sample will be used
        print(f"fetch_mnist: could not fetch {url} ({exc}); the app will use the bundled sample "
              "(assets/mnist_sample.npz)")
        return False
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("full", "sample"), default="full",
                    help="'sample' skips the download (the image then uses the bundled sample)")
    ap.add_argument("--dest", type=Path, default=None, help="default: Keras's cache, %(default)s")
    ap.add_argument("--url", default=URL)
    ap.add_argument("--sha256", default=SHA256)
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args(argv)
    if args.mode == "sample":
        print("fetch_mnist: MNIST=sample, the app will use the bundled sample (assets/mnist_sample.npz)")
        return 0
    fetch(args.dest or default_dest(), args.url, args.sha256, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
