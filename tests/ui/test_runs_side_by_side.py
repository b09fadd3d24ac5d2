"""Runs side by side: Reset keeps the run before on the cost plot, named by what differs, and
the x axis counts steps, examples seen or seconds of training.

As in test_plots, the tests check the data handed to each curve (xData, yData).
"""

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QToolButton

from digitpad.ui.cost_plot import SMOOTHING, SMOOTHING_BATCH
from digitpad.ui.earlier_runs import MAX_RUNS, POINTS
from digitpad.ui.plot_data import MovingAverage
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import choose_with_keys, focus


def points(curve: pg.PlotDataItem) -> int:
    return 0 if curve.xData is None else len(curve.xData)


def legend_name(plot, curve) -> str:
    label = plot.getPlotItem().legend.getLabel(curve)
    return "" if label is None else label.text


def click(qtbot, window, kind, name: str) -> None:
    qtbot.mouseClick(window.findChild(kind, name), Qt.MouseButton.LeftButton)


def steps(qtbot, window, count: int) -> None:
    """Click Step `count` times, waiting for the cost plot to show each step."""
    plot = window.cost_plot
    target = window.trainer.steps + count
    for _ in range(count):
        click(qtbot, window, QPushButton, "stepButton")
    qtbot.waitUntil(lambda: window.trainer.steps == target and points(plot.batch_curve) == target)


def choose_axis(qtbot, window, text: str) -> None:
    choose_with_keys(qtbot, window.findChild(QComboBox, "costAxisSelector"), text)


def type_batch_size(qtbot, window, size: int) -> None:
    spin = window.controls.batch_spin
    focus(qtbot, spin)
    spin.selectAll()
    qtbot.keyClicks(spin, str(size))
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert window.trainer.settings.batch == size


def test_an_earlier_run_stays_after_reset_named_by_the_setting_that_differs(qtbot, window):
    plot = window.cost_plot
    assert window.trainer.settings.batch == 100
    steps(qtbot, window, 3)
    before_x = plot.smooth_curve.xData.copy()
    before_y = plot.smooth_curve.yData.copy()
    assert legend_name(plot, plot.smooth_curve) == "moving average"  # nothing to compare yet

    click(qtbot, window, QToolButton, "fullSetButton")
    assert window.controls.batch_spin.value() == 60_000
    click(qtbot, window, QPushButton, "resetButton")
    assert points(plot.batch_curve) == 0  # the new run starts empty ...
    assert len(plot.earlier.curves) == 1  # ... and the run before stays, as it was
    earlier = plot.earlier.curves[0]
    np.testing.assert_array_equal(earlier.xData, before_x)
    np.testing.assert_array_equal(earlier.yData, before_y)
    assert legend_name(plot, earlier) == "batch 100"
    qtbot.waitUntil(lambda: legend_name(plot, plot.smooth_curve) == "this run: batch 60000")

    steps(qtbot, window, 2)  # the new run grows beside the earlier one
    assert len(plot.earlier.curves) == 1
    np.testing.assert_array_equal(earlier.yData, before_y)
    # Smoothed over examples, not steps: a batch of the whole (small) training set weighs as
    # many batches of 100 as it holds digits.
    costs = window.trainer.snapshot().batch_costs
    batch = len(window.trainer.data.train_labels)  # 60,000 asked, the 600 there are given
    expected = MovingAverage(SMOOTHING).update(costs, np.full(2, batch / SMOOTHING_BATCH))
    np.testing.assert_allclose(plot.smooth_curve.yData, expected, rtol=1e-9)


def test_on_the_examples_axis_x_is_the_digits_trained_on(qtbot, window):
    plot = window.cost_plot
    choose_axis(qtbot, window, "examples seen")
    assert "digits seen" in plot.getPlotItem().getAxis("bottom").labelText
    steps(qtbot, window, 2)
    np.testing.assert_array_equal(plot.batch_curve.xData, 100 * np.arange(1, 3))  # steps × batch
    type_batch_size(qtbot, window, 200)  # mid-run: from the next step on
    steps(qtbot, window, 2)
    sizes = [100, 100, 200, 200]
    np.testing.assert_array_equal(plot.batch_curve.xData, np.cumsum(sizes))
    np.testing.assert_array_equal(plot.smooth_curve.xData, np.cumsum(sizes))
    np.testing.assert_array_equal(window.trainer.snapshot().examples_seen, np.cumsum(sizes))
    # 600 digits make the small training set's first epoch: its test score sits at 600.
    qtbot.waitUntil(lambda: points(plot.test_cost_curve) == 1)
    np.testing.assert_array_equal(plot.test_cost_curve.xData, [sum(sizes)])
    np.testing.assert_array_equal(plot.accuracy_curve.xData, [sum(sizes)])

    choose_axis(qtbot, window, "steps")  # and back: step numbers again
    np.testing.assert_array_equal(plot.batch_curve.xData, np.arange(1, 5))
    np.testing.assert_array_equal(plot.test_cost_curve.xData, [4])


def test_the_seconds_axis_counts_training_time_only(qtbot, window):
    plot = window.cost_plot
    trainer = window.trainer
    choose_axis(qtbot, window, "seconds")
    running = 0.0  # seconds during which training was allowed to run, as this test saw them
    for target in (20, 40):
        started = time.monotonic()
        click(qtbot, window, QPushButton, "startPauseButton")
        qtbot.waitUntil(lambda: trainer.steps >= target)  # noqa: B023 - used at once
        click(qtbot, window, QPushButton, "startPauseButton")
        assert trainer.wait_idle(DEADLINE_S)
        running += time.monotonic() - started
        # A pause the seconds must not count: half a second of the test's own clock.
        paused = time.monotonic()
        qtbot.waitUntil(lambda: time.monotonic() - paused >= 0.5)  # noqa: B023
    snapshot = trainer.snapshot()
    qtbot.waitUntil(lambda: points(plot.batch_curve) == snapshot.steps)
    x = plot.batch_curve.xData
    np.testing.assert_array_equal(x, snapshot.training_seconds)
    assert (np.diff(x) > 0).all()  # every step takes time: strictly increasing
    assert 0 < x[-1] <= running  # the pauses (1 s in all) are not in it


def test_clear_removes_the_earlier_runs(qtbot, window):
    plot = window.cost_plot
    button = window.findChild(QToolButton, "clearRunsButton")
    assert not button.isEnabled() and "No earlier runs" in button.toolTip()
    for _ in range(2):
        steps(qtbot, window, 1)
        click(qtbot, window, QPushButton, "resetButton")
    steps(qtbot, window, 2)
    legend = plot.getPlotItem().legend
    assert len(plot.earlier.curves) == 2 and button.isEnabled()
    assert "2 earlier runs" in button.toolTip()
    entries = len(legend.items)

    click(qtbot, window, QToolButton, "clearRunsButton")
    assert plot.earlier.curves == []
    assert len(legend.items) == entries - 2
    assert all(item not in plot.getPlotItem().items for item in plot.earlier.curves)
    assert not button.isEnabled()
    assert points(plot.batch_curve) == 2  # the current run stays
    assert legend_name(plot, plot.smooth_curve) == "moving average"


def test_at_most_eight_earlier_runs_are_kept_the_newest(qtbot, window):
    plot = window.cost_plot
    runs = MAX_RUNS + 2
    for run in range(runs):  # run k takes k + 1 steps
        steps(qtbot, window, run + 1)
        click(qtbot, window, QPushButton, "resetButton")
    assert len(plot.earlier.curves) == MAX_RUNS
    last_steps = [int(curve.xData[-1]) for curve in plot.earlier.curves]
    assert last_steps == list(range(runs - MAX_RUNS + 1, runs + 1))  # oldest dropped first
    legend = plot.getPlotItem().legend
    assert sum(legend.getLabel(curve) is not None for curve in plot.earlier.curves) == MAX_RUNS
    assert all(legend_name(plot, curve) == "same settings" for curve in plot.earlier.curves)
    # Each told apart by its colour and line style, and behind the current run's curves.
    pens = {(c.opts["pen"].color().name(), c.opts["pen"].style()) for c in plot.earlier.curves}
    assert len(pens) == MAX_RUNS
    assert all(c.zValue() < plot.smooth_curve.zValue() for c in plot.earlier.curves)


def test_the_axis_choice_is_remembered(qtbot, window, small_mnist):
    from digitpad.app import create_window

    choose_axis(qtbot, window, "seconds")
    window.close()
    again = create_window(data=small_mnist)
    qtbot.addWidget(again)
    assert again.findChild(QComboBox, "costAxisSelector").currentText() == "seconds"
    assert again.cost_plot.axis == "seconds"
    assert "seconds" in again.cost_plot.getPlotItem().getAxis("bottom").labelText
    again.close()


def test_the_full_set_button_toggles_the_whole_training_set(qtbot, window):
    button = window.findChild(QToolButton, "fullSetButton")
    spin = window.controls.batch_spin
    type_batch_size(qtbot, window, 250)
    assert not button.isChecked()
    click(qtbot, window, QToolButton, "fullSetButton")
    assert button.isChecked() and window.trainer.settings.batch == spin.maximum() == 60_000
    click(qtbot, window, QToolButton, "fullSetButton")  # and back to the size before
    assert not button.isChecked() and window.trainer.settings.batch == 250
    type_batch_size(qtbot, window, 60_000)  # typed, it shows too
    assert button.isChecked()


def test_earlier_runs_stay_small_however_long_they_ran(qtbot):
    from digitpad.core.network import Network
    from digitpad.core.settings import Settings
    from digitpad.training.trainer import Snapshot
    from digitpad.ui.cost_plot import CostPlot

    plot = CostPlot()
    qtbot.addWidget(plot)
    network = Network((784, 10))
    long = 200_000
    costs = np.linspace(2.0, 0.1, long, dtype=np.float32)
    examples = 100 * np.arange(1, long + 1, dtype=np.int64)
    seconds = 0.001 * np.arange(1, long + 1)

    def snapshot(steps: int, lr: float) -> Snapshot:
        return Snapshot(steps=steps, epoch=0, epoch_fraction=0.0, examples_per_second=0.0,
                        dropped=0, batch_costs=costs[:steps],
                        grad_norms=np.ones((steps, 1), np.float32), epochs=[], network=network,
                        is_running=True, error=None, examples_seen=examples[:steps],
                        training_seconds=seconds[:steps], settings=Settings(lr=lr))

    for run in range(MAX_RUNS + 2):
        for shown in range(20_000, long + 1, 20_000):
            plot.show_snapshot(snapshot(shown, lr=1.0 + run))
        plot.start_run()
    assert len(plot.earlier.runs) == MAX_RUNS
    for run, curve in zip(plot.earlier.runs, plot.earlier.curves):
        assert POINTS // 2 <= len(run.steps) <= POINTS and run.columns.shape == (len(run.steps), 3)
        assert run.steps[-1] > 0.99 * long  # the whole run, thinned
        np.testing.assert_array_equal(curve.xData, run.steps)
    plot.axis_selector.set_axis("examples")
    for run, curve in zip(plot.earlier.runs, plot.earlier.curves):
        np.testing.assert_allclose(curve.xData, 100 * run.steps)  # each step 100 examples
    # Named by what differs from the current run (none yet: each by its learning rate).
    assert [legend_name(plot, c) for c in plot.earlier.curves] == [
        f"lr {1.0 + run:g}" for run in range(2, MAX_RUNS + 2)]


def test_reset_while_training_keeps_the_run_to_its_newest_step(qtbot, window):
    plot = window.cost_plot
    trainer = window.trainer
    click(qtbot, window, QPushButton, "startPauseButton")
    qtbot.waitUntil(lambda: trainer.steps >= 50)
    done = trainer.steps  # at least this many when Reset stops it
    click(qtbot, window, QPushButton, "resetButton")
    (run,) = plot.earlier.runs
    assert run.steps[-1] >= done  # each point one step: a short run is not thinned
    np.testing.assert_array_equal(run.steps, np.arange(1, len(run.steps) + 1))
