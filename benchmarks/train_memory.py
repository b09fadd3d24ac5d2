"""Peak resident memory of `digitpad train` on the full bundled MNIST (target: below 400 MB).

Each run is a child process; its peak resident set size comes from the kernel's own account of
that child (``os.wait4`` -> ``ru_maxrss``, the high-water mark of its RSS), so no sampling can
miss a short spike. The runs:

    digitpad train                                   the default preset
    digitpad train --preset accurate --epochs 1      augmentation and the bigger network

each started as ``python -m digitpad train ... --json`` with the same interpreter as this script,
niced (``--nice``, default 10) and with DIGITPAD_DATA_DIR pointed at a temporary directory so no
user data is touched. For scale, the script also measures a bare ``import numpy, digitpad.core``.

Until the CLI can train (``python -m digitpad train --help`` fails or lists no --preset), or with
``--stand-in``, it measures stand-ins written with digitpad.core instead: load MNIST, convert the
inputs to float32, train one epoch of 784-16-16-10 (mini-batch 100) and evaluate; and the same
with the whole training set augmented once, as an epoch of augmented training would need.

Run from the repository root:

    python benchmarks/train_memory.py            # the CLI runs (or stand-ins, said so)
    python benchmarks/train_memory.py --stand-in # the stand-ins only
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

TARGET_MB = 400

CLI_RUNS = {
    "digitpad train": ["train"],
    "digitpad train --preset accurate --epochs 1": ["train", "--preset", "accurate",
                                                    "--epochs", "1"],
}

BASELINE = "import numpy, digitpad.core"

# Stand-ins for `digitpad train` while the CLI is being written: the same data path and loop.
ONE_EPOCH = """
net = Network((784, 16, 16, 10), "sigmoid", "softmax", "cross_entropy", seed=0)
batches = ShuffledBatches(len(X), seed=0)
while batches.epoch < 1:
    b = batches.next(100)
    net.train_step(X[b], y[b], lr=0.5)
print(json.dumps({"test_accuracy": float((net.predict(X_test) == data.test_labels).mean())}))
"""
STAND_IN_TRAIN = """
import json, numpy as np
from digitpad.core import Network
from digitpad.core.batches import ShuffledBatches
from digitpad.core.mnist import as_inputs, load_mnist
data = load_mnist()
X, y = as_inputs(data.train_images), data.train_labels
X_test = as_inputs(data.test_images)
""" + ONE_EPOCH
STAND_IN_AUGMENTED = """
import json, numpy as np
from digitpad.core import Network
from digitpad.core.augment import augment
from digitpad.core.batches import ShuffledBatches
from digitpad.core.mnist import as_inputs, load_mnist
data = load_mnist()
X = augment(data.train_images, np.random.default_rng(0))  # the whole set, (60000, 784) float32
y, X_test = data.train_labels, as_inputs(data.test_images)
""" + ONE_EPOCH
STAND_INS = {
    "stand-in: load + 1 epoch 784-16-16-10": STAND_IN_TRAIN,
    "stand-in: load + augment all 60,000 + 1 epoch": STAND_IN_AUGMENTED,
}


def peak_rss(argv: list[str], env: dict[str, str], niceness: int) -> tuple[float, float, int, str]:
    """Run argv to completion; return (peak RSS in MB, seconds, exit status, its stdout)."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, env=env,
                                 preexec_fn=(lambda: os.nice(niceness)) if niceness else None)
        # wait4 reports the resources of exactly this child, including its peak RSS.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        out.seek(0)
        # ru_maxrss is in kilobytes on Linux (bytes on macOS).
        scale = 1 / 1024**2 if sys.platform == "darwin" else 1 / 1024
        return usage.ru_maxrss * scale, seconds, child.returncode, out.read()


def cli_can_train(env: dict[str, str]) -> bool:
    probe = subprocess.run([sys.executable, "-m", "digitpad", "train", "--help"], env=env,
                           capture_output=True, text=True)
    return probe.returncode == 0 and "--preset" in probe.stdout


def last_json(stdout: str) -> dict:
    for line in reversed(stdout.splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stand-in", action="store_true",
                        help="measure the digitpad.core stand-ins instead of the CLI")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the child processes")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, DIGITPAD_DATA_DIR=data_dir)
        runs = {"baseline: " + BASELINE: [sys.executable, "-c", BASELINE]}
        if not args.stand_in and cli_can_train(env):
            runs |= {name: [sys.executable, "-m", "digitpad", *cli, "--json"]
                     for name, cli in CLI_RUNS.items()}
        else:
            if not args.stand_in:
                print("`digitpad train` is not available yet: measuring stand-ins that do the "
                      "same with digitpad.core.")
            runs |= {name: [sys.executable, "-c", code] for name, code in STAND_INS.items()}

        print(f"{'run':50} {'peak RSS MB':>11} {'seconds':>8} {'test acc':>9}  target")
        failed = False
        for name, command in runs.items():
            mb, seconds, status, stdout = peak_rss(command, env, args.nice)
            accuracy = last_json(stdout).get("test_accuracy")
            shown = f"{accuracy:9.4f}" if isinstance(accuracy, float) else f"{'-':>9}"
            if status != 0:
                verdict = f"FAILED (exit status {status})"
                failed = True
            elif name.startswith("baseline"):
                verdict = "(for scale)"
            else:
                verdict = f"< {TARGET_MB} MB: " + ("MEETS TARGET" if mb < TARGET_MB else "MISSES")
                failed |= mb >= TARGET_MB
            print(f"{name:50} {mb:11.0f} {seconds:8.1f} {shown}  {verdict}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
