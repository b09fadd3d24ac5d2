"""Small helpers that turn the trainer's growing histories into curve data cheaply.

The plots refresh many times a second while the history keeps growing, so each refresh only
processes the new steps (the moving average is extended, never recomputed from the start), and
the curves hold a bounded number of points however long training runs.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class MovingAverage:
    """Exponential moving average of a series: m ← m + α (x − m) for each new value x.

    Each new value pulls the average a fraction α toward itself, so it follows the trend and
    forgets the noise: it roughly averages the last 1/α values.

    A value may weigh more than another (a mini-batch of 1,000 digits against one of 100): a
    value of weight w pulls as much as w values of weight 1 in a row, α_w = 1 − (1 − α)^w.
    """

    def __init__(self, alpha: float) -> None:
        self.alpha = alpha
        self._mean: np.ndarray | float | None = None

    def update(self, new_values: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """The average after each of the new values (rows, for a series of rows); `weights`,
        one per value, default 1."""
        new_values = np.asarray(new_values, dtype=np.float64)
        alphas = np.full(len(new_values), self.alpha) if weights is None else (
            1.0 - (1.0 - self.alpha) ** np.asarray(weights, dtype=np.float64))
        averages = np.empty_like(new_values)
        for i, (x, alpha) in enumerate(zip(new_values, alphas)):
            self._mean = x if self._mean is None else self._mean + alpha * (x - self._mean)
            averages[i] = self._mean
        return averages


class DecimatedSeries:
    """A series over training steps 1, 2, 3, … kept as at most `capacity` points to plot.

    Handing every step of a long run to the plot would make each frame slower than the last.
    Instead, once the points fill the capacity, every two neighbours become one, and from then
    on each point stands for twice as many steps: old and new steps share one resolution, and a
    frame costs the same after a million steps as after a thousand. A point that stands for
    several steps is their mean (`average=True`) or the first of them, a sample that keeps the
    batch-to-batch noise in view. Steps that do not fill a whole point yet wait for the next.
    """

    def __init__(self, capacity: int = 4096, columns: int | None = None,
                 average: bool = True) -> None:
        if capacity < 2 or capacity % 2:
            raise ValueError(f"the capacity must be an even number >= 2, got {capacity}")
        tail = () if columns is None else (columns,)
        self.average = average
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty((capacity, *tail), dtype=np.float64)
        self._count = 0  # points stored
        self._span = 1  # steps per point
        self._waiting = np.empty((0, *tail), dtype=np.float64)  # steps not in a point yet
        self._next_step = 1  # the step number of the first waiting value

    @property
    def x(self) -> np.ndarray:
        """The step number of each point (the middle of its steps, when averaged)."""
        return self._x[: self._count]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self._count]

    @property
    def steps_per_point(self) -> int:
        return self._span

    def extend(self, new_values: np.ndarray, first_step: int | None = None) -> None:
        """Append the values of the next steps; `first_step`, if given, is the step number of
        the first (steps skipped since the last values leave a gap that is drawn as a line)."""
        if first_step is not None and first_step != self._next_step + len(self._waiting):
            self._waiting, self._next_step = self._waiting[:0], first_step
        values = np.concatenate([self._waiting, np.asarray(new_values, dtype=np.float64)])
        first = self._next_step
        while len(values) >= self._span:
            if self._count == len(self._x):
                self._halve()
            span = self._span
            n = min(len(self._x) - self._count, len(values) // span)
            groups = values[: n * span].reshape(n, span, *values.shape[1:])
            at = slice(self._count, self._count + n)
            steps = first + span * np.arange(n, dtype=np.float64)
            self._x[at] = steps + (span - 1) / 2 if self.average else steps
            self._y[at] = groups.mean(axis=1) if self.average else groups[:, 0]
            self._count += n
            values, first = values[n * span :], first + n * span
        self._waiting, self._next_step = values, first

    def halve_until(self, points: int) -> None:
        """Merge neighbours until at most `points` points remain, to keep a finished series
        small (a last point without a neighbour is dropped)."""
        while self._count > max(points, 1):
            self._count -= self._count % 2
            self._halve()

    def _halve(self) -> None:
        """Merge every two neighbouring points into one."""
        half = self._count // 2
        if self.average:
            self._x[:half] = (self._x[0 : self._count : 2] + self._x[1 : self._count : 2]) / 2
            self._y[:half] = (self._y[0 : self._count : 2] + self._y[1 : self._count : 2]) / 2
        else:
            self._x[:half] = self._x[0 : self._count : 2]
            self._y[:half] = self._y[0 : self._count : 2]
        self._count, self._span = half, 2 * self._span


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
            # Whole half decades, and a little more so that the decade at either end gets
            # its label (pyqtgraph drops a label that would stick out of the axis).
            wanted = (np.floor(y_low * 2) / 2 - 0.1, np.ceil(y_high * 2) / 2 + 0.1)
        else:
            wanted = (min(0.0, y_low), nice_ceiling(y_high))
        y_range = None
        if self._y is None or wanted[0] < self._y[0] or wanted[1] > self._y[1] or (
                self._too_loose(wanted)):
            self._y = wanted
            y_range = self._y
        if x_range or y_range:
            self.view.setRange(xRange=x_range, yRange=y_range, padding=0)
