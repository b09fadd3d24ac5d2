"""A hand of "my digits" that MNIST (and tests' small MNIST) never shows, for training on them."""

import numpy as np

from digitpad.core.samples import Samples


def column_digits(n: int, seed: int = 1) -> Samples:
    """n drawings, the digits in turn: digit d is a thick bright bar down columns 4 + 2d and
    5 + 2d (MNIST has nothing like it; the small MNIST of the tests has rows)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = rng.integers(0, 30, (n, 28, 28)).astype(np.uint8)
    for i, d in enumerate(labels):
        images[i, 4:24, 4 + 2 * d : 6 + 2 * d] = 255
    return Samples(images, labels)
