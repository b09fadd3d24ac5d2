"""How fast does "Learn this digit" answer? Target: within 100 ms for the accurate preset.

    python benchmarks/learn_digit.py [--rounds 30]

On the accurate preset's 784-512-512-10 network (relu, float32) and a real MNIST test digit,
times what a click does, side by side in one run: Trainer.adjust(learn_one) — one step on the
example, its probabilities before and after, every array kept for Undo, and the copy published
for the views — and the Undo (Trainer.adjust(forget)). Then "×10": ten steps plus the two
1,000-digit accuracy checks. Prints the median and the worst round in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

from digitpad.core.learn_one import forget, learn_one, quick_accuracy
from digitpad.core.mnist import as_inputs, load_mnist
from digitpad.core.network import Network
from digitpad.core.presets import PRESETS
from digitpad.training.trainer import Trainer


def timed(action):  # noqa: ANN001, ANN201 - any callable, and what it returns
    """Milliseconds `action()` took, and its result."""
    started = time.perf_counter()
    result = action()
    return 1000 * (time.perf_counter() - started), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    preset = PRESETS["accurate"]
    data = load_mnist()
    network = Network((784, *preset.hidden, 10), activation=preset.activation, seed=0)
    trainer = Trainer(network, data, preset)
    image = as_inputs(data.test_images[:1])[0].reshape(28, 28)
    digit, lr = int(data.test_labels[0]), preset.lr
    try:
        one, undo, ten = [], [], []
        for _ in range(rounds):  # interleaved: a busy moment slows all of them alike
            ms, lesson = timed(lambda: trainer.adjust(lambda n: learn_one(n, image, digit, lr)))
            one.append(ms)
            kept = lesson.kept
            undo.append(timed(lambda: trainer.adjust(lambda n: forget(n, kept)))[0])  # noqa: B023

            def ten_times() -> None:
                quick_accuracy(trainer.snapshot().network, data.test_images, data.test_labels)
                kept = trainer.adjust(lambda n: learn_one(n, image, digit, lr, 10)).kept
                quick_accuracy(trainer.snapshot().network, data.test_images, data.test_labels)
                trainer.adjust(lambda n: forget(n, kept))

            ten.append(timed(ten_times)[0])
    finally:
        trainer.close()
    print(f"784-512-512-10, {rounds} rounds (ms: median / worst)")
    for name, times in [("learn this digit", one), ("undo", undo),
                        ("x10 with two 1,000-digit checks", ten)]:
        print(f"  {name:34s} {statistics.median(times):7.1f} / {max(times):7.1f}")
    print(f"  learn this digit vs 100 ms target: {statistics.median(one) / 100:.2f}x of budget")


if __name__ == "__main__":
    main()
