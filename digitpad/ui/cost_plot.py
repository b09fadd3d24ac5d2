"""The cost plot: how wrong the network is, step after step, and how well it does on unseen digits.

Every mini-batch's cost is drawn faintly (it is noisy: each batch is a different random 100
digits), a moving average over it shows the trend, and after each epoch the cost and accuracy
on the 10,000 test digits (never trained on) are marked; accuracy uses the right-hand axis.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from digitpad.training.trainer import Snapshot
from digitpad.ui import theme
from digitpad.ui.frame import Change, Frame
from digitpad.ui.plot_data import DecimatedSeries, MovingAverage, RangeFollower
from digitpad.ui.theme import add_legend_below

# About the last 50 mini-batches make up the smoothed curve.
SMOOTHING = 0.02


class CostPlot(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("costPlot")
        self.setMinimumSize(320, 200)
        self.setToolTip(
            "The cost measures how wrong the network's answers are: 0 would be perfect.\n"
            "Faint: the cost of each mini-batch, noisy because every batch holds different "
            "digits.\nSolid: its moving average, the trend. Dots: cost and accuracy on the "
            "10,000 test digits,\nwhich the network never trains on, measured after every "
            "epoch (one pass over all 60,000 training digits).\n"
            "Drag to pan, wheel to zoom, right-click for 'View All'."
        )
        item = self.getPlotItem()
        item.setTitle("Cost: how wrong the answers are")
        item.setLabel("bottom", "training step (mini-batches done)")
        item.setLabel("left", "cost C")
        item.setLabel("right", "test accuracy (%)")
        for name in ("left", "bottom", "right"):
            item.getAxis(name).enableAutoSIPrefix(False)
        add_legend_below(item, columns=2)
        item.setClipToView(True)

        # The trainer records finite values only: every point can be joined to the next, with
        # no per-frame search for NaNs.
        self.batch_curve = item.plot(name="each mini-batch", connect="all", skipFiniteCheck=True)
        self.smooth_curve = item.plot(name="moving average", connect="all", skipFiniteCheck=True)
        self.test_cost_curve = item.plot(name="test cost, per epoch", symbol="o", symbolSize=7)
        for curve, method in ((self.batch_curve, "subsample"), (self.smooth_curve, "mean")):
            # Thousands of points, a few hundred pixels: draw a point per two pixels or so
            # (sampling, not averaging, the faint curve keeps its noise visible).
            curve.setDownsampling(auto=True, method=method)
            curve.opts["autoDownsampleFactor"] = 0.5
            curve.setClipToView(True)
        self._range = RangeFollower(item.vb)

        # Accuracy lives on its own y axis (right): a second view box sharing the x axis.
        self.accuracy_view = pg.ViewBox(enableMenu=False)
        self.accuracy_view.setMouseEnabled(x=False, y=False)
        item.scene().addItem(self.accuracy_view)
        item.getAxis("right").linkToView(self.accuracy_view)
        self.accuracy_view.setXLink(item)
        self.accuracy_curve = pg.PlotDataItem(symbol="s", symbolSize=7)
        self.accuracy_view.addItem(self.accuracy_curve)
        item.legend.addItem(self.accuracy_curve, "test accuracy (right axis)")
        # How well it reads the held-out part of my digits, on the same axis.
        self.mine_curve = pg.PlotDataItem(symbol="t", symbolSize=8)
        self.accuracy_view.addItem(self.mine_curve)
        item.legend.addItem(self.mine_curve, "your handwriting (right axis)")
        item.vb.sigResized.connect(self._align_views)

        # The stretch of steps a finding of the diagnosis cites: shaded, not movable.
        self.evidence = pg.LinearRegionItem(movable=False)
        self.evidence.setZValue(-10)  # behind the curves
        self.evidence.setToolTip("The steps that show what the message above says")
        self.evidence.hide()
        item.addItem(self.evidence, ignoreBounds=True)

        self.placeholder = pg.TextItem("Press Start (Space) to train", anchor=(0.5, 0.5))
        item.addItem(self.placeholder, ignoreBounds=True)

        self._average = MovingAverage(SMOOTHING)
        self._batches = DecimatedSeries(average=False)  # sampled: the noise stays visible
        self._smoothed = DecimatedSeries()
        self._test_costs: list[float] = []
        self._shown_steps = 0
        self._shown_epochs = 0
        self.apply_palette()
        self.clear_history()

    # ---- data --------------------------------------------------------------------------------

    def clear_history(self) -> None:
        """Forget every point (after a reset or a loaded model)."""
        self._average = MovingAverage(SMOOTHING)
        self._batches = DecimatedSeries(average=False)
        self._smoothed = DecimatedSeries()
        self._shown_steps = self._shown_epochs = 0
        for curve in (self.batch_curve, self.smooth_curve, self.test_cost_curve):
            curve.setData([], [])
        self.accuracy_curve.setData([], [])
        self.mine_curve.setData([], [])
        self._test_costs = []
        self.placeholder.setVisible(True)
        self._range.reset(100, (0, 1))
        self.placeholder.setPos(50, 0.5)
        self.accuracy_view.setYRange(0, 100, padding=0)

    def show_frame(self, frame: Frame) -> None:
        if Change.RUN in frame.changed:
            self.clear_history()
        self.show_snapshot(frame.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Plot the history in `snapshot`; cheap when nothing is new."""
        steps = snapshot.steps
        if steps < self._shown_steps:  # the trainer started over
            self.clear_history()
        if steps == self._shown_steps and len(snapshot.epochs) == self._shown_epochs:
            return
        if self._shown_steps == 0 and steps > 0:
            self.placeholder.setVisible(False)

        # Steps the trainer no longer keeps (only if the window fell far behind) are skipped.
        first = max(self._shown_steps, snapshot.dropped)
        new = snapshot.batch_costs[first - snapshot.dropped : steps - snapshot.dropped]
        if len(new):
            self._batches.extend(new, first_step=first + 1)
            self._smoothed.extend(self._average.update(new), first_step=first + 1)
            self.batch_curve.setData(self._batches.x, self._batches.y)
            self.smooth_curve.setData(self._smoothed.x, self._smoothed.y)
            self._range.show(steps, 0.0, self._top_of_interest())
        self._shown_steps = steps

        if len(snapshot.epochs) != self._shown_epochs:
            epochs = snapshot.epochs
            at = np.array([e.step for e in epochs], dtype=np.float64)
            self._test_costs = [e.test_cost for e in epochs]
            self.test_cost_curve.setData(at, self._test_costs)
            accuracy = np.array([100 * e.test_accuracy for e in epochs])
            self.accuracy_curve.setData(at, accuracy)
            mine = [e for e in epochs if e.mine_accuracy is not None]
            self.mine_curve.setData([e.step for e in mine], [100 * e.mine_accuracy for e in mine])
            accuracy = np.concatenate([accuracy, [100 * e.mine_accuracy for e in mine]])
            # Show the interesting part of the accuracy scale: from a bit below the worst.
            low = max(0.0, min(90.0, float(np.floor(accuracy.min() / 5) * 5 - 5))) if len(
                accuracy) else 0.0
            self.accuracy_view.setYRange(low, 100, padding=0.02)
            self._shown_epochs = len(epochs)

    def _top_of_interest(self) -> float:
        """Where the y axis should end: above the recent trend, not the first steps' spike.

        The cost falls steeply at first and slowly afterwards; scaling the axis to the first
        batches would squash the slow part, which is where learning goes on, into a flat line.
        """
        smoothed = self._smoothed.y
        recent = smoothed[len(smoothed) // 5 :]
        top = float(np.nanmax(recent)) * 1.3 if len(recent) else 1.0
        tests = [e for e in self._test_costs if np.isfinite(e)]
        return max([top, *tests]) if tests else top

    def mark_steps(self, steps: tuple[int, int] | None) -> None:
        """Shade the steps first … last (as a finding cites them), or nothing when None."""
        if steps is None:
            self.evidence.hide()
            return
        first, last = steps
        # A single step (a finding about the network now) is shaded as a thin band around it.
        self.evidence.setRegion((first - 0.5, last + 0.5))
        self.evidence.show()

    # ---- looks -------------------------------------------------------------------------------

    def apply_palette(self) -> None:
        palette = self.palette()
        theme.style_plot(self, palette)
        main = theme.series_color(palette, 0)
        # Faint, but opaque: a colour mixed with the background draws much faster than a
        # transparent one blended onto it, pixel by pixel, on every frame.
        faint = theme.mix(main, palette.color(QPalette.ColorRole.Base), 0.7)
        self.batch_curve.setPen(pg.mkPen(faint, width=1))
        self.smooth_curve.setPen(pg.mkPen(main, width=2.2))
        test = theme.series_color(palette, 1)
        self.test_cost_curve.setPen(pg.mkPen(test, width=1.5))
        self.test_cost_curve.setSymbolBrush(test)
        self.test_cost_curve.setSymbolPen(pg.mkPen(test))
        accuracy = theme.series_color(palette, 2)
        self.accuracy_curve.setPen(pg.mkPen(accuracy, width=1.5))
        self.accuracy_curve.setSymbolBrush(accuracy)
        self.accuracy_curve.setSymbolPen(pg.mkPen(accuracy))
        mine = theme.series_color(palette, 3)
        self.mine_curve.setPen(pg.mkPen(mine, width=1.5, style=Qt.PenStyle.DashLine))
        self.mine_curve.setSymbolBrush(mine)
        self.mine_curve.setSymbolPen(pg.mkPen(mine))
        self.placeholder.setColor(theme.text_color(palette, 130))
        warning = theme.warning_color(palette)
        shade = theme.mix(warning, palette.color(QPalette.ColorRole.Base), 0.75)
        self.evidence.setBrush(pg.mkBrush(shade))
        for line in self.evidence.lines:
            line.setPen(pg.mkPen(warning, width=1))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Not during construction: pyqtgraph changes the palette before the plot exists.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_smoothed"):
            self.apply_palette()

    def _align_views(self) -> None:
        item = self.getPlotItem()
        self.accuracy_view.setGeometry(item.vb.sceneBoundingRect())
        self.accuracy_view.linkedViewChanged(item.vb, self.accuracy_view.XAxis)
