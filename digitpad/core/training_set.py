"""The digits an epoch goes through: MNIST's, my digits' training part, or both.

    mine = store.split()                                   # (to train on, held out)
    epoch = TrainingSet.of(with_hands_mnist, mine[0], settings)
    images, labels = epoch.batch(np.array([0, 70_000, 75_003]))

Example i of an epoch is MNIST's training digit i for i < M (M = MNIST's count, synthesized
digits included), and my drawing (i - M) mod m after that: with k repeats, my m drawings make
up k·m examples of the epoch, each drawing met k times, without k copies of them in memory.
The held-out part of my digits is never in a training set: it measures how well the network
reads the person's hand.
"""

from __future__ import annotations

import numpy as np

from digitpad.core.errors import DataError
from digitpad.core.mnist import Mnist
from digitpad.core.samples import Samples
from digitpad.core.settings import Settings

MIN_DRAWINGS_TO_TRAIN = 10
"""Fewer drawings to train on teach nothing worth an epoch: training on them is refused."""

NO_DRAWINGS_HINT = "in the app, draw a digit and press its key (0-9) on the canvas to keep it"


class TrainingSet:
    """The examples of one epoch, as indices 0..n-1 into MNIST's and my digits' arrays."""

    def __init__(self, mnist: Mnist | None, mine: Samples | None, repeats: int = 1) -> None:
        self.mnist_count = 0 if mnist is None else len(mnist.train_labels)
        self.mine_count = 0 if mine is None else len(mine.labels)
        self._mnist, self._mine = mnist, mine
        self.n = self.mnist_count + self.mine_count * repeats

    @classmethod
    def of(cls, mnist: Mnist, mine: Samples | None, settings: Settings) -> TrainingSet:
        """The training set `settings.train_on` asks for. DataError if it asks for my digits
        and there are fewer than MIN_DRAWINGS_TO_TRAIN of them to train on."""
        if settings.train_on == "mnist":
            return cls(mnist, None)
        check_enough_to_train(mine)
        return cls(mnist if settings.train_on == "both" else None, mine, settings.mine_repeats)

    def batch(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (uint8) images and labels of these examples of the epoch."""
        from_mnist = indices[indices < self.mnist_count]
        from_mine = (indices[indices >= self.mnist_count] - self.mnist_count) % max(
            self.mine_count, 1)
        parts = []
        if len(from_mnist):
            parts.append((self._mnist.train_images[from_mnist],
                          self._mnist.train_labels[from_mnist]))
        if len(from_mine):
            parts.append((self._mine.images[from_mine], self._mine.labels[from_mine]))
        if len(parts) == 1:
            return parts[0]
        return (np.concatenate([images for images, _ in parts]),
                np.concatenate([labels.astype(np.uint8) for _, labels in parts]))


def check_enough_to_train(mine: Samples | None) -> None:
    """DataError, in words a person can act on, unless there are enough drawings to train on."""
    count = 0 if mine is None else len(mine.labels)
    if count == 0:
        raise DataError(f"my digits have no drawings to train on yet: {NO_DRAWINGS_HINT}")
    if count < MIN_DRAWINGS_TO_TRAIN:
        raise DataError(f"my digits have {count} drawing{'s' if count > 1 else ''} to train on "
                        f"(one in five is held out for measuring); training on them needs at "
                        f"least {MIN_DRAWINGS_TO_TRAIN}: {NO_DRAWINGS_HINT}")
