"""What the cost plot's x axis counts: steps, training digits seen, or seconds of training.

Per step, a mini-batch of 100 digits is cheap and a batch of all 60,000 (the true gradient)
careful but slow. Counted in steps the careful walk looks as good or better; counted in digits
seen or in seconds, the "drunk man stumbling quickly downhill" gets there first. The plot keeps
each run's points with all three clocks (the columns below) so switching redraws at once.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from digitpad.ui.settings import read

# key -> (the selector's text, the x axis title, the x range of an empty plot)
AXES = {
    "steps": ("steps", "training step (mini-batches done)", 100.0),
    "examples": ("examples seen", "training digits seen (the batch sizes added up)", 10_000.0),
    "seconds": ("seconds", "seconds of training (pauses not counted)", 10.0),
}
# The columns of a run's points: its cost, and the examples and seconds by that step.
COST, EXAMPLES, SECONDS = 0, 1, 2
AXIS_KEY = "plots/costAxis"  # remembered with the other settings


def along(axis: str, steps: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The x values of points at step numbers `steps` with `columns` (cost, examples, seconds)."""
    if axis == "examples":
        return columns[:, EXAMPLES]
    if axis == "seconds":
        return columns[:, SECONDS]
    return steps


def short_count(value: float) -> str:
    """A tick label: 250, 0.5, 25k, 1.5M (not 2.5e+04)."""
    for above, unit, suffix in ((1e6, 1e6, "M"), (1e4, 1e3, "k")):  # 9999, then 10k
        if abs(value) >= above:
            return f"{value / unit:g}{suffix}"
    return f"{value:g}"


class CountAxis(pg.AxisItem):
    """An axis whose tick labels are short_count's: millions of examples stay readable."""

    def tickStrings(self, values, scale, spacing) -> list[str]:  # noqa: ANN001 - pyqtgraph's
        return [short_count(value * scale) for value in values]


class CostAxisSelector(QComboBox):
    """Chooses the cost plot's x axis; axis_changed(key of AXES) when the person picks one."""

    axis_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("costAxisSelector")
        for key, (text, _, _) in AXES.items():
            self.addItem(text, key)
        self.setToolTip(
            "What the x axis counts.\nSteps: mini-batches done. Examples seen: the training "
            "digits used so far (the batch sizes added up).\nSeconds: time spent training, "
            "pauses not counted.\nCompare a run with batches of 100 and one with all 60,000: "
            "per step the big batch looks better,\nper example or per second the small, noisy "
            "steps win.")
        self.currentIndexChanged.connect(lambda i: self.axis_changed.emit(self.itemData(i)))

    @property
    def axis(self) -> str:
        return self.currentData()

    def set_axis(self, key: str) -> None:
        """Choose `key` of AXES (anything else is ignored)."""
        index = self.findData(key)
        if index >= 0:
            self.setCurrentIndex(index)


def remember_cost_axis(selector: CostAxisSelector, store: QSettings) -> None:
    """Start with the axis chosen last time, and remember each new choice."""
    selector.set_axis(read(store, AXIS_KEY, "steps"))
    selector.axis_changed.connect(lambda key: store.setValue(AXIS_KEY, key))
