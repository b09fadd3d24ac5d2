"""The cost plot: how wrong the network is, step after step, and how well it does on unseen digits.

Every mini-batch's cost is drawn faintly (it is noisy: each batch is a different random 100
digits), a moving average over it shows the trend, and after each epoch the cost and accuracy
on the 10,000 test digits (never trained on) are marked; accuracy uses the right-hand axis.

Each Reset starts a new run and keeps the one before as a faded curve (earlier_runs), named by
the settings in which it differs; the x axis counts steps, examples seen or seconds (cost_axis).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from digitpad.core.settings import Settings
from digitpad.training.trainer import Snapshot
from digitpad.ui import theme
from digitpad.ui.cost_axis import (
    AXES,
    COST,
    EXAMPLES,
    SECONDS,
    CostAxisSelector,
    CountAxis,
    along,
)
from digitpad.ui.earlier_runs import MAX_RUNS, EarlierRun, EarlierRuns
from digitpad.ui.frame import Change, Frame
from digitpad.ui.plot_data import DecimatedSeries, MovingAverage, RangeFollower, nice_ceiling
from digitpad.ui.run_names import names_of_runs
from digitpad.ui.theme import add_legend_below

# The smoothed curve averages about the last 50 mini-batches of 100 digits: the last ~5,000
# digits, whatever the batch size (a batch of 1,000 weighs as much as ten of 100), so runs
# with different batch sizes are smoothed alike.
SMOOTHING = 0.02
SMOOTHING_BATCH = 100


class CostPlot(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": CountAxis("bottom")})
        self.setObjectName("costPlot")
        self.setMinimumSize(320, 200)
        self.setToolTip(
            "The cost measures how wrong the network's answers are: 0 would be perfect.\n"
            "Faint: the cost of each mini-batch, noisy because every batch holds different "
            "digits.\nSolid: its moving average, the trend. Dots: cost and accuracy on the "
            "10,000 test digits,\nwhich the network never trains on, measured after every "
            "epoch (one pass over all 60,000 training digits).\n"
            f"Faded: earlier runs (each Reset keeps the run before, up to {MAX_RUNS}), named "
            "by the settings in which they differ.\n"
            "Drag to pan, wheel to zoom, right-click for 'View All'."
        )
        item = self.getPlotItem()
        # On the left: the axis selector and the clear button take the title row's right end.
        item.setTitle("Cost: how wrong the answers are", justify="left")
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

        self.earlier = EarlierRuns(item)
        self._build_tools()
        self._average = MovingAverage(SMOOTHING)
        # Columns: cost, examples seen, seconds (cost_axis); sampled: the noise stays visible.
        self._batches = DecimatedSeries(average=False, columns=3)
        self._smoothed = DecimatedSeries(columns=3)
        self._test_costs: list[float] = []
        self._accuracy = np.zeros(0)  # per epoch, %
        self._mine = np.zeros(0)  # per epoch, % (NaN: not measured)
        self._epochs_at = np.zeros((0, 3))  # per epoch marker: step, examples, seconds
        self._run_settings: list[Settings] = []  # this run's, oldest first
        self._shown_steps = 0
        self._shown_epochs = 0
        self._clock = (0, 0.0)  # examples and seconds by the newest step shown
        self._marked: tuple[int, int] | None = None
        self.apply_palette()
        self.clear_history()

    def _build_tools(self) -> None:
        """The x axis selector and the button that clears the earlier runs, top right."""
        self.tools = QWidget(self)
        row = QHBoxLayout(self.tools)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.clear_runs_button = QToolButton()
        self.clear_runs_button.setObjectName("clearRunsButton")
        self.clear_runs_button.setText("Clear runs")
        self.clear_runs_button.clicked.connect(self.clear_earlier_runs)
        self.axis_selector = CostAxisSelector()
        self.axis_selector.axis_changed.connect(self._show_along)
        row.addWidget(self.clear_runs_button)
        row.addWidget(self.axis_selector)
        # The same in the plot's right-click menu.
        self.clear_runs_action = QAction("Clear earlier runs", self)
        self.clear_runs_action.triggered.connect(self.clear_earlier_runs)
        self.getPlotItem().vb.menu.addAction(self.clear_runs_action)
        self._update_clear_button()

    @property
    def axis(self) -> str:
        """What the x axis counts: a key of cost_axis.AXES."""
        return self.axis_selector.axis

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        if hasattr(self, "tools"):  # pyqtgraph resizes before __init__ ends
            hint = self.tools.sizeHint()
            self.tools.setGeometry(self.width() - hint.width() - 6, 4, hint.width(),
                                   hint.height())

    # ---- data --------------------------------------------------------------------------------

    def clear_history(self) -> None:
        """Forget every point of the current run (after a reset or a loaded model)."""
        self._average = MovingAverage(SMOOTHING)
        self._batches = DecimatedSeries(average=False, columns=3)
        self._smoothed = DecimatedSeries(columns=3)
        self._shown_steps = self._shown_epochs = 0
        self._clock = (0, 0.0)
        self._run_settings = []
        for curve in (self.batch_curve, self.smooth_curve, self.test_cost_curve):
            curve.setData([], [])
        self.accuracy_curve.setData([], [])
        self.mine_curve.setData([], [])
        self._test_costs = []
        self._accuracy = np.zeros(0)
        self._mine = np.zeros(0)
        self._epochs_at = np.zeros((0, 3))
        self.placeholder.setVisible(True)
        self._fit_range()
        self.accuracy_view.setYRange(0, 100, padding=0)
        self._name_runs()

    def show_frame(self, frame: Frame) -> None:
        if Change.RUN in frame.changed:
            self.start_run()
        self.show_snapshot(frame.snapshot)

    def start_run(self) -> None:
        """A new run begins: keep the one so far as an earlier run (if it took a step)."""
        if self._shown_steps:
            self.earlier.add(EarlierRun.from_trend(self._run_settings, self._smoothed))
            self._update_clear_button()
        self.clear_history()

    def clear_earlier_runs(self) -> None:
        """Forget the earlier runs; the current one stays."""
        self.earlier.clear()
        self._update_clear_button()
        self._name_runs()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Plot the history in `snapshot`; cheap when nothing is new."""
        steps = snapshot.steps
        if steps < self._shown_steps:  # the trainer started over
            self.start_run()
        self._note_settings(snapshot.settings)
        if steps == self._shown_steps and len(snapshot.epochs) == self._shown_epochs:
            return
        if self._shown_steps == 0 and steps > 0:
            self.placeholder.setVisible(False)

        # Steps the trainer no longer keeps (only if the window fell far behind) are skipped.
        first = max(self._shown_steps, snapshot.dropped)
        kept = slice(first - snapshot.dropped, steps - snapshot.dropped)
        new = snapshot.batch_costs[kept]
        self._shown_steps = steps
        if len(new):
            examples, seconds, weights = self._clock_of(snapshot, kept)
            self._clock = (examples[-1], seconds[-1])
            smoothed = self._average.update(new, weights)
            self._batches.extend(np.column_stack([new, examples, seconds]), first_step=first + 1)
            self._smoothed.extend(np.column_stack([smoothed, examples, seconds]),
                                  first_step=first + 1)
            self._draw_run()
            self._range.show(self._newest_x(), 0.0, self._top_of_interest())

        if len(snapshot.epochs) != self._shown_epochs:
            epochs = snapshot.epochs
            self._epochs_at = np.array([self._clock_at(snapshot, e.step) for e in epochs],
                                       dtype=np.float64).reshape(-1, 3)
            self._test_costs = [e.test_cost for e in epochs]
            self._accuracy = np.array([100 * e.test_accuracy for e in epochs])
            self._mine = np.array([np.nan if e.mine_accuracy is None else 100 * e.mine_accuracy
                                   for e in epochs])
            self._draw_epochs()
            accuracy = np.concatenate([self._accuracy, self._mine[np.isfinite(self._mine)]])
            # Show the interesting part of the accuracy scale: from a bit below the worst.
            low = max(0.0, min(90.0, float(np.floor(accuracy.min() / 5) * 5 - 5))) if len(
                accuracy) else 0.0
            self.accuracy_view.setYRange(low, 100, padding=0.02)
            self._shown_epochs = len(epochs)

    def _clock_of(self, snapshot: Snapshot, kept: slice) -> tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray | None]:
        """Examples seen and seconds of training by each of the new steps, and each step's
        weight in the moving average (its batch size over SMOOTHING_BATCH). A snapshot made
        by hand, without them, counts steps on every axis, each of weight 1."""
        if snapshot.examples_seen is None or snapshot.training_seconds is None:
            numbers = np.arange(kept.start, kept.stop, dtype=np.float64) + snapshot.dropped + 1
            return numbers, numbers, None
        examples = snapshot.examples_seen[kept]
        # After a gap (steps no longer kept), the first new step counts the gap's digits too:
        # the average forgets what came before it accordingly.
        sizes = np.diff(examples, prepend=self._clock[0])
        return examples, snapshot.training_seconds[kept], sizes / SMOOTHING_BATCH

    def _clock_at(self, snapshot: Snapshot, step: int) -> tuple[float, float, float]:
        """Step `step`, and the examples and seconds by its end."""
        index = step - 1 - snapshot.dropped
        if snapshot.examples_seen is None or not 0 <= index < len(snapshot.examples_seen):
            # Not kept (or a snapshot made by hand): as near as the plotted points say.
            x, columns = self._batches.x, self._batches.y
            if not len(x):
                return step, step, step
            return (step, float(np.interp(step, x, columns[:, EXAMPLES])),
                    float(np.interp(step, x, columns[:, SECONDS])))
        return step, float(snapshot.examples_seen[index]), float(snapshot.training_seconds[index])

    def _note_settings(self, settings: Settings | None) -> None:
        """Remember the settings this run trains with (the step settings can change)."""
        if settings is not None and (not self._run_settings or settings != self._run_settings[-1]):
            self._run_settings.append(settings)
            self._name_runs()

    # ---- drawing along the chosen axis ---------------------------------------------------

    def _draw_run(self) -> None:
        """Hand the current run's curves their points along the chosen axis."""
        for curve, series in ((self.batch_curve, self._batches),
                              (self.smooth_curve, self._smoothed)):
            curve.setData(along(self.axis, series.x, series.y), series.y[:, COST])

    def _draw_epochs(self) -> None:
        at = along(self.axis, self._epochs_at[:, 0], self._epochs_at)
        self.test_cost_curve.setData(at, self._test_costs)
        self.accuracy_curve.setData(at, self._accuracy)
        measured = np.isfinite(self._mine)  # my digits: in the epochs that had enough of them
        self.mine_curve.setData(at[measured], self._mine[measured])

    def _newest_x(self) -> float:
        """Where the current run's newest step is along the axis."""
        if self.axis == "examples":
            return float(self._clock[0])
        return float(self._clock[1]) if self.axis == "seconds" else float(self._shown_steps)

    def _show_along(self, axis: str) -> None:
        """Count the x axis in steps, examples or seconds (a key of AXES)."""
        self.getPlotItem().setLabel("bottom", AXES[axis][1])
        self._draw_run()
        if len(self._epochs_at):
            self._draw_epochs()
        self.earlier.show_along(axis)
        self._fit_range()
        self.mark_steps(self._marked)

    def _fit_range(self) -> None:
        """Show every run from the start, the current run and the earlier ones."""
        x_end = max(self._newest_x(), self.earlier.x_end(self.axis))
        x_end = nice_ceiling(1.05 * x_end) if x_end > 0 else AXES[self.axis][2]
        top = nice_ceiling(self._top_of_interest())
        self._range.reset(x_end, (0, top))
        self.placeholder.setPos(x_end / 2, top / 2)

    def _top_of_interest(self) -> float:
        """Where the y axis should end: above the recent trend, not the first steps' spike.

        The cost falls steeply at first and slowly afterwards; scaling the axis to the first
        batches would squash the slow part, which is where learning goes on, into a flat line.
        """
        smoothed = self._smoothed.y[:, COST]
        recent = smoothed[len(smoothed) // 5 :]
        top = float(np.nanmax(recent)) * 1.3 if len(recent) else 1.0
        top = max(top, 1.3 * self.earlier.top_of_interest())
        tests = [e for e in self._test_costs if np.isfinite(e)]
        return max([top, *tests]) if tests else top

    def mark_steps(self, steps: tuple[int, int] | None) -> None:
        """Shade the steps first … last (as a finding cites them), or nothing when None."""
        self._marked = steps
        if steps is None:
            self.evidence.hide()
            return
        first, last = steps
        # A single step (a finding about the network now) is shaded as a thin band around it.
        self.evidence.setRegion(self._steps_along((first - 0.5, last + 0.5)))
        self.evidence.show()

    def _steps_along(self, steps: tuple[float, float]) -> tuple[float, float]:
        """Step numbers as x values on the chosen axis (read off the current run's points)."""
        x, columns = self._batches.x, self._batches.y
        if self.axis == "steps" or not len(x):
            return steps
        values = along(self.axis, x, columns)
        low, high = (float(np.interp(step, x, values)) for step in steps)
        return low, high

    # ---- the runs' names and the clear button -----------------------------------------------

    def _name_runs(self) -> None:
        """Name every run in the legend by the settings in which they differ."""
        current, earlier = names_of_runs(self._run_settings,
                                         [run.settings for run in self.earlier.runs])
        self.earlier.rename(earlier)
        if not self.earlier.runs:
            name = "moving average"
        else:
            name = f"this run: {current}" if current else "this run"
        label = self.getPlotItem().legend.getLabel(self.smooth_curve)
        if label is not None and label.text != name:
            label.setText(name)

    def _update_clear_button(self) -> None:
        count = len(self.earlier)
        for control in (self.clear_runs_button, self.clear_runs_action):
            control.setEnabled(count > 0)
        self.clear_runs_button.setToolTip(
            f"Forget the {count} earlier run{'s' * (count != 1)} drawn faded on this plot; the "
            "current run stays." if count else
            "No earlier runs yet. Each Reset starts a new run and keeps the one before on this "
            f"plot, faded, (up to {MAX_RUNS}) to compare:\nsay batches of 100 against all "
            "60,000 digits, counted in examples seen or seconds.")

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
        self.earlier.apply_palette(palette)
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
