"""Shuffled mini-batches: every example once per epoch, in a new random order each epoch."""

import numpy as np

from digitpad.core.errors import SettingsError


class ShuffledBatches:
    """Hands out mini-batches of the indices 0..n-1, reshuffled at the start of every epoch."""

    def __init__(self, n: int, seed: int = 0) -> None:
        self.epoch = 0  # completed epochs
        self._rng = np.random.default_rng(seed)
        self.restart(n)

    @property
    def position(self) -> int:
        """How many examples of the current epoch have been handed out."""
        return self._pos

    def restart(self, n: int) -> None:
        """Start the epoch under way over, on n examples (another training set); the count
        of completed epochs stays."""
        if n < 1:
            raise SettingsError("there are no training examples to draw mini-batches from")
        self.n = n
        self._order = self._rng.permutation(n)
        self._pos = 0

    def next(self, size: int) -> np.ndarray:
        """The next `size` indices; the last batch of an epoch may be smaller."""
        if size < 1:
            raise SettingsError(f"the batch size must be at least 1, not {size}")
        batch = self._order[self._pos : self._pos + size]
        self._pos += len(batch)
        if self._pos >= self.n:
            self.epoch += 1
            self._order = self._rng.permutation(self.n)
            self._pos = 0
        return batch
