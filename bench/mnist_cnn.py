"""MLP vs CNN on the same digits: parameters, test accuracy, time per epoch, same seed (issue 22).

    python bench/mnist_cnn.py [--data bundled-sample|keras-cache] [--presets course-003,course-002,small-cnn]
                              [--n-train 60000]

Each of the MNIST page's presets trains exactly as the page trains it (``mnist_lab.start_training``:
its epochs, batch size, validation share and training digits, seed 0) on the chosen data, then is scored
on the test digits. One run after another, so the figures are the machine's own (other load included).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nncore.data import datasets  # noqa: E402
from nncore.keras import jobs as keras_jobs  # noqa: E402
from nncore.lessons import mnist_lab as lab  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="bundled-sample")
    parser.add_argument("--presets", default="course-003,course-002,small-cnn")
    parser.add_argument("--n-train", type=int, default=None, help="training digits (default: the preset's 8,000)")
    args = parser.parse_args()
    data = datasets.mnist(args.data)
    print(f"data: {data.description} ({data.source}); {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f} before")
    print("| preset | network | parameters | multiply-adds per digit | test accuracy | time per epoch (s) |")
    print("|---|---|---:|---:|---:|---:|")
    for slug in args.presets.split(","):
        p = lab.PRESETS[slug]
        net, train = p.network(), p.training()
        job = lab.start_training(data, net, train, args.n_train or p.n_train, room=keras_jobs.Room(1))
        job.join()
        epochs = job.metrics.epochs_since(0)
        score = lab.score(job.model, data.x_test, data.y_test)
        per_epoch = sum(e.seconds for e in epochs) / len(epochs)
        macs = net.macs() if lab.is_layer_list(net) else net.param_count() - sum(net.sizes[1:])
        print(f"| {slug} | {lab.architecture(net)} | {net.param_count():,} | {macs:,} | {score.accuracy:.2%} "
              f"| {per_epoch:.1f} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    main()
