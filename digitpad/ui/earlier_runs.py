"""Earlier runs on the cost plot: each Reset keeps the finished run's trend as a faded curve.

A run that stumbles downhill with mini-batches of 100 and one that takes careful steps on all
60,000 digits can then be seen side by side, on the same axes. At most MAX_RUNS are kept, the
oldest going first, each as at most POINTS points (its moving average, thinned like the live
curves), so they cost little memory and little drawing however long they ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from digitpad.core.settings import Settings
from digitpad.ui import theme
from digitpad.ui.cost_axis import COST, along
from digitpad.ui.plot_data import DecimatedSeries

MAX_RUNS = 8
POINTS = 1024
# theme.series_color indices the current run's curves leave free (cost, test cost, accuracy
# and my digits' accuracy use the first four); each comes round solid, then dashed, then dotted.
COLORS = (4, 5, 6)
STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)
FADE = 0.35  # how far toward the background an earlier run's colour is mixed


@dataclass(frozen=True)
class EarlierRun:
    settings: tuple[Settings, ...]  # what it trained with, oldest first
    steps: np.ndarray  # per point: the step number (the middle of the steps it stands for)
    columns: np.ndarray  # per point: cost, examples and seconds (cost_axis's columns)

    @classmethod
    def from_trend(cls, settings: Sequence[Settings], trend: DecimatedSeries) -> EarlierRun:
        """Keep `trend` (a run's moving average over the cost plot's columns) as at most
        POINTS points. The series is thinned in place: it is done with."""
        trend.halve_until(POINTS)
        return cls(tuple(settings), trend.x.copy(), trend.y.copy())

    def x(self, axis: str) -> np.ndarray:
        return along(axis, self.steps, self.columns)

    @property
    def cost(self) -> np.ndarray:
        return self.columns[:, COST]


class EarlierRuns:
    """The faded curves of the newest MAX_RUNS earlier runs, behind the current run's."""

    def __init__(self, item: pg.PlotItem) -> None:
        self._item = item
        self.runs: list[EarlierRun] = []
        self.curves: list[pg.PlotDataItem] = []
        self.names: list[str] = []  # in the legend
        # Each run's number in the order kept: its colour and line style, for as long as it stays
        # (nine of them: the eight kept never share one).
        self._numbers: list[int] = []
        self._kept = 0
        self._axis = "steps"
        self._palette: QPalette | None = None

    def __len__(self) -> int:
        return len(self.runs)

    def add(self, run: EarlierRun) -> None:
        """Keep `run`, dropping the oldest beyond MAX_RUNS (name it with rename())."""
        self.runs = [*self.runs, run][-MAX_RUNS:]
        self.names = [*self.names, ""][-MAX_RUNS:]
        self._numbers = [*self._numbers, self._kept][-MAX_RUNS:]
        self._kept += 1
        self._redraw()

    def clear(self) -> None:
        self.runs, self.names, self._numbers = [], [], []
        self._redraw()

    def rename(self, names: list[str]) -> None:
        """The runs' legend names, oldest run first."""
        self.names = list(names)
        for curve, name in zip(self.curves, names):
            label = self._item.legend.getLabel(curve)
            if label is not None and label.text != name:
                label.setText(name)

    def show_along(self, axis: str) -> None:
        self._axis = axis
        for run, curve in zip(self.runs, self.curves):
            curve.setData(run.x(axis), run.cost)

    def x_end(self, axis: str) -> float:
        """The largest x of any earlier run (0 without any)."""
        return max((float(run.x(axis)[-1]) for run in self.runs if len(run.steps)), default=0.0)

    def top_of_interest(self) -> float:
        """The highest cost after the first fifth of any run (0 without any): the y axis need
        not show every run's first steep steps."""
        tops = [run.cost[len(run.cost) // 5 :] for run in self.runs]
        return max((float(top.max()) for top in tops if len(top)), default=0.0)

    def apply_palette(self, palette: QPalette) -> None:
        self._palette = palette
        background = palette.color(QPalette.ColorRole.Base)
        for number, curve in zip(self._numbers, self.curves):
            color = theme.series_color(palette, COLORS[number % len(COLORS)])
            style = STYLES[number // len(COLORS) % len(STYLES)]
            # Opaque, mixed with the background: faster to draw than a transparent pen.
            curve.setPen(pg.mkPen(theme.mix(color, background, FADE), width=2, style=style))

    def _redraw(self) -> None:
        for curve in self.curves:
            self._item.removeItem(curve)  # also takes it out of the legend
        self.curves = []
        for name in self.names:
            curve = pg.PlotDataItem(connect="all", skipFiniteCheck=True)
            curve.setZValue(-5)  # behind the current run's curves
            curve.setDownsampling(auto=True, method="mean")
            curve.opts["autoDownsampleFactor"] = 0.5
            curve.setClipToView(True)
            self._item.addItem(curve)
            self._item.legend.addItem(curve, name)
            self.curves.append(curve)
        if self._palette is not None:
            self.apply_palette(self._palette)
        self.show_along(self._axis)
