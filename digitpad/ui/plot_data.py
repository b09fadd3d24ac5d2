"""Small helpers that turn the trainer's growing histories into curve data cheaply.

The plots refresh ~30 times a second while the history keeps growing, so each refresh only
processes the new steps: the moving average is extended, never recomputed from the start.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class GrowingArray:
    """Rows appended at the end of a preallocated array that doubles when full."""

    def __init__(self, columns: int | None = None) -> None:
        self._shape_tail = () if columns is None else (columns,)
        self._data = np.empty((256, *self._shape_tail), dtype=np.float64)
        self.count = 0

    def append(self, row) -> None:
        if self.count == len(self._data):
            # A new array, not an in-place resize: curves may still hold views of the old one.
            self._data = np.concatenate([self._data, np.empty_like(self._data)])
        self._data[self.count] = row
        self.count += 1

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.count]


class MovingAverage:
    """Exponential moving average of a series: m ← m + α (x − m) for each new value x.

    Each new value pulls the average a fraction α toward itself, so it follows the trend and
    forgets the noise: it roughly averages the last 1/α values.
    """

    def __init__(self, alpha: float, columns: int | None = None) -> None:
        self.alpha = alpha
        self._columns = columns
        self._history = GrowingArray(columns)
        self._mean: np.ndarray | float | None = None

    def extend(self, new_values: np.ndarray) -> None:
        for x in np.asarray(new_values, dtype=np.float64):
            if self._mean is None:
                self._mean = x.copy() if isinstance(x, np.ndarray) else float(x)
            else:
                self._mean = self._mean + self.alpha * (x - self._mean)
            self._history.append(self._mean)

    def clear(self) -> None:
        self._history = GrowingArray(self._columns)
        self._mean = None

    @property
    def values(self) -> np.ndarray:
        return self._history.values

    @property
    def count(self) -> int:
        return self._history.count


class StepAxis:
    """x values 1, 2, 3, … (the step numbers), grown by doubling and handed out as views."""

    def __init__(self) -> None:
        self._x = np.arange(1, 1025, dtype=np.float64)

    def first(self, n: int) -> np.ndarray:
        if n > len(self._x):
            self._x = np.arange(1, 2 * n + 1, dtype=np.float64)
        return self._x[:n]


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) ≥ value."""
    if value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-9):
            return step * power
    return 10.0 * power


class RangeFollower:
    """Keeps a growing plot in view, changing the axes as rarely as possible.

    Re-ticking and redrawing the axes is the most expensive part of a pyqtgraph frame, so
    instead of auto-ranging on every new point, the x axis jumps ahead to a round number, and the
    y axis widens when a value falls outside it and narrows only when the data has shrunk to
    well under its size. Once the user pans or zooms, the view is theirs; "View All"
    (right-click menu or the small A button) hands it back.
    """

    def __init__(self, view: pg.ViewBox, log_y: bool = False) -> None:
        self.view = view
        self.log_y = log_y
        self.follow = True
        self._x_end = 0.0
        self._y: tuple[float, float] | None = None
        view.disableAutoRange()
        view.sigRangeChangedManually.connect(self._user_moved)

    def _user_moved(self, *_) -> None:
        self.follow = False

    def reset(self, x_end: float, y: tuple[float, float]) -> None:
        self.follow = True
        self._x_end, self._y = x_end, y
        self.view.disableAutoRange()
        self.view.setRange(xRange=(0, x_end), yRange=y, padding=0)

    def _too_loose(self, wanted: tuple[float, float]) -> bool:
        """True when the data fills well under half of the y axis (log: 1.5 decades less)."""
        current = self._y[1] - self._y[0]
        needed = wanted[1] - wanted[0]
        return needed < current - 1.5 if self.log_y else needed < 0.45 * current

    def show(self, x_last: float, y_low: float, y_high: float) -> None:
        """Make sure x in [0, x_last] and y in [y_low, y_high] (data units) are visible."""
        if any(self.view.autoRangeEnabled()):  # the user asked for "View All": follow again
            self.view.disableAutoRange()
            self.follow = True
            self._y = None
            self._x_end = 0.0
        if not self.follow or not (np.isfinite(y_low) and np.isfinite(y_high)):
            return
        x_range = None
        if x_last > self._x_end:
            self._x_end = nice_ceiling(x_last * 1.05)
            x_range = (0, self._x_end)
        if self.log_y:
            y_low, y_high = np.log10(max(y_low, 1e-30)), np.log10(max(y_high, 1e-30))
            wanted = (np.floor(y_low * 2) / 2, np.ceil(y_high * 2) / 2)  # half decades
        else:
            wanted = (min(0.0, y_low), nice_ceiling(y_high))
        y_range = None
        if self._y is None or wanted[0] < self._y[0] or wanted[1] > self._y[1] or (
                self._too_loose(wanted)):
            self._y = wanted
            y_range = self._y
        if x_range or y_range:
            self.view.setRange(xRange=x_range, yRange=y_range, padding=0)
