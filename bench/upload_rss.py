"""Memory after uploaded .keras models: refused ones, the usual one, the largest the builder allows.

    python bench/upload_rss.py [--rounds 5]

The process's resident memory (RSS, /proc/self/status) is printed warm (TensorFlow imported and one model
loaded and dropped, as on a server where a student already used the MNIST page), then after each phase:
``--rounds`` refused uploads of the issue's file (a config.json declaring Dense(units=300000), and one of
200,000 nested ``[``), ``--rounds`` loads of course 002's network (784 → 128 → 10 with Adam's state, what the
page saves), ``--rounds`` loads of a network near the upload limit (784 → 1024 → 256 → 10, 1.07 million
parameters, 4.3 MB: the server takes files up to 5 MB, ``.streamlit/config.toml``). Each loaded model is
dropped before the next (the page keeps one per session). Target (issue 16): every phase ends within 20 % of
the warm figure. Results: docs/ROBUSTNESS.md.
"""
import argparse
import gc
import io
import json
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nncore.keras import bridge as kb  # noqa: E402
from nncore.lessons import mnist_lab  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def hostile_archives():
    def archive(raw: bytes) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("metadata.json", "{}")
            z.writestr("config.json", raw)
            z.writestr("model.weights.h5", b"")
        return buf.getvalue()

    dense = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
             "config": {"name": "huge", "units": 300_000, "activation": "relu"},
             "build_config": {"input_shape": [None, 784]}}
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None,
              "config": {"name": "m", "layers": [{"module": "keras.layers", "class_name": "InputLayer",
                                                  "config": {"batch_shape": [None, 784], "name": "in"}}, dense]}}
    return [archive(json.dumps(config).encode()), archive(b"[" * 200_000 + b"]" * 200_000)]


def model_bytes(hidden) -> bytes:
    net = mnist_lab.network_spec(hidden)
    return kb.model_to_bytes(kb.build_model(net, mnist_lab.train_spec()))


def settle() -> float:
    gc.collect()
    return rss_mb()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print(f"start (no TensorFlow): {rss_mb():.0f} MB")
    usual, largest = model_bytes((128,)), model_bytes((1024, 256))
    print(f"files: usual {len(usual) / 2**20:.2f} MB, largest {len(largest) / 2**20:.1f} MB")
    model = kb.load_model_safely(usual)
    del model
    warm = settle()
    print(f"warm (TensorFlow imported, one model loaded and dropped): {warm:.0f} MB")
    rows = []
    for label, data, refused in [("refused: Dense(300000) and 200,000 nested [", hostile_archives(), True),
                                 ("loaded: 784 → 128 → 10", [usual], False),
                                 ("loaded: 784 → 1024 → 256 → 10", [largest], False)]:
        peak = warm
        for _ in range(args.rounds):
            for d in data:
                try:
                    model = mnist_lab.load_digit_model(d)
                    del model
                    assert not refused
                except ValueError as err:
                    assert refused, err
                peak = max(peak, rss_mb())
        after = settle()
        rows.append((label, peak, after))
        print(f"{label:<45} peak {peak:6.0f} MB   after {after:6.0f} MB   ({(after / warm - 1):+.1%} of warm)")
    worst = max(after for _, _, after in rows)
    print(f"worst after / warm = {worst / warm:.3f} (target ≤ 1.20)")


if __name__ == "__main__":
    main()
