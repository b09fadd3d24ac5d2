"""The live plots receive the trainer's history, one gradient curve per layer.

The tests check the data handed to each curve (xData, yData), never what pyqtgraph drew: the
drawn points (getData()) are downsampled to the plot's width in pixels, so their number says
nothing about how much training the curve holds.
"""

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from digitpad.ui.cost_plot import SMOOTHING
from digitpad.ui.plot_data import MovingAverage
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import draw_seven


def points(curve: pg.PlotDataItem) -> int:
    """How many points the curve was handed."""
    return 0 if curve.xData is None else len(curve.xData)


def newest_step(curve: pg.PlotDataItem) -> float:
    return 0.0 if points(curve) == 0 else float(curve.xData[-1])


def steps_per_point(curve: pg.PlotDataItem) -> int:
    """Its resolution: 1 until a long run makes the plot merge neighbouring steps."""
    x = curve.xData
    return 1 if len(x) < 2 else int(x[1] - x[0])


def test_cost_curves_grow_while_training(qtbot, window):
    plot = window.findChild(pg.PlotWidget, "costPlot")
    trainer = window.trainer
    assert points(plot.batch_curve) == 0
    qtbot.mouseClick(window.findChild(QPushButton, "startPauseButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: points(plot.batch_curve) >= 10)
    first = newest_step(plot.batch_curve)
    qtbot.waitUntil(lambda: newest_step(plot.batch_curve) > first)  # it follows training
    assert points(plot.smooth_curve) > 0
    trainer.pause()
    assert trainer.wait_idle(DEADLINE_S)
    snapshot = trainer.snapshot()
    steps, costs = snapshot.steps, snapshot.batch_costs
    assert snapshot.dropped == 0  # a short run: the trainer still has every step's cost

    # Paused, the curve reaches the newest step. A point stands for `span` steps (1 on a short
    # run; more once the curve has merged neighbours to stay small), and fewer steps than one
    # point's worth may wait for the next point.
    def caught_up() -> bool:
        span = steps_per_point(plot.batch_curve)
        return steps - span < newest_step(plot.batch_curve) + span - 1 <= steps

    qtbot.waitUntil(caught_up)
    x, y = plot.batch_curve.xData, plot.batch_curve.yData
    span = steps_per_point(plot.batch_curve)
    covered = x[-1] + span - 1  # the newest step the last point stands for
    assert steps - span < covered <= steps  # with a point per step: x[-1] == steps
    np.testing.assert_array_equal(x, 1 + span * np.arange(len(x)))  # every step, in order
    np.testing.assert_array_equal(y, costs[x.astype(int) - 1])  # each point a real batch cost

    # The solid curve is the moving average of those costs, over the same steps.
    average = MovingAverage(SMOOTHING).update(costs)[: len(x) * span]
    np.testing.assert_allclose(plot.smooth_curve.xData, x + (span - 1) / 2)
    np.testing.assert_allclose(plot.smooth_curve.yData,
                               average.reshape(len(x), span).mean(axis=1), rtol=1e-9)


def test_test_cost_and_accuracy_appear_after_each_epoch(qtbot, window):
    plot = window.findChild(pg.PlotWidget, "costPlot")
    window.controls.batch_spin.setValue(200)  # 600 training digits: an epoch is 3 steps
    window.trainer.start()
    qtbot.waitUntil(lambda: window.trainer.epoch >= 2)
    window.trainer.pause()
    assert window.trainer.wait_idle(DEADLINE_S)  # no epoch still being scored
    epochs = window.trainer.snapshot().epochs
    assert len(epochs) >= 2
    qtbot.waitUntil(lambda: points(plot.accuracy_curve) == len(epochs))
    at = [e.step for e in epochs]
    accuracy = plot.accuracy_curve.yData
    assert ((0 <= accuracy) & (accuracy <= 100)).all()
    np.testing.assert_array_equal(plot.accuracy_curve.xData, at)
    np.testing.assert_allclose(accuracy, [100 * e.test_accuracy for e in epochs])
    np.testing.assert_array_equal(plot.test_cost_curve.xData, at)
    np.testing.assert_allclose(plot.test_cost_curve.yData, [e.test_cost for e in epochs])
    # The status bar shows the newest epoch's test accuracy as a percentage.
    newest = 100 * epochs[-1].test_accuracy

    def shown() -> float | None:
        match = re.search(r"(\d+(\.\d)?)\s*%", window.status_labels["accuracy"].text())
        return None if match is None else float(match.group(1))

    qtbot.waitUntil(lambda: shown() is not None and abs(shown() - newest) <= 0.05)


def test_gradient_plot_has_one_log_scale_curve_per_layer(qtbot, window):
    plot = window.findChild(pg.PlotWidget, "gradientPlot")
    names = [curve.name() for curve in plot.curves]
    assert names == ["layer 1 (784→16)", "layer 2 (16→16)", "layer 3 (16→10)"]
    assert plot.getPlotItem().ctrl.logYCheck.isChecked()
    legend_labels = [label.text for _, label in plot.getPlotItem().legend.items]
    assert legend_labels == names

    window.findChild(QPushButton, "stepButton").click()
    qtbot.waitUntil(lambda: all(points(c) == 1 for c in plot.curves))
    norms = window.trainer.snapshot().grad_norms[0]
    for curve, norm in zip(plot.curves, norms):
        np.testing.assert_allclose(curve.yData, [norm], rtol=1e-6)


def test_reset_clears_the_plots(qtbot, window):
    cost = window.findChild(pg.PlotWidget, "costPlot")
    gradients = window.findChild(pg.PlotWidget, "gradientPlot")
    window.trainer.start()
    qtbot.waitUntil(lambda: points(cost.batch_curve) >= 5)
    qtbot.mouseClick(window.findChild(QPushButton, "resetButton"), Qt.MouseButton.LeftButton)
    assert points(cost.batch_curve) == 0
    assert all(points(c) == 0 for c in gradients.curves)
    # Frames after the reset bring nothing of the old run back: here, the frame that answers
    # a drawing (paused, every part of the window gets each frame) ...
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(lambda: window.findChild(QLabel, "predictedDigit").text() != "")
    assert points(cost.batch_curve) == 0
    assert all(points(c) == 0 for c in gradients.curves)
    # ... and the new run's first step is the first point.
    window.findChild(QPushButton, "stepButton").click()
    qtbot.waitUntil(lambda: points(cost.batch_curve) == 1)
    assert window.trainer.wait_idle(DEADLINE_S)
    np.testing.assert_array_equal(cost.batch_curve.xData, [1])
    np.testing.assert_array_equal(cost.batch_curve.yData, window.trainer.snapshot().batch_costs)


def test_a_long_run_is_drawn_with_a_bounded_number_of_points(qtbot):
    from digitpad.core.network import Network
    from digitpad.training.trainer import Snapshot
    from digitpad.ui.cost_plot import CostPlot
    from digitpad.ui.gradient_plot import GradientPlot

    cost, gradients = CostPlot(), GradientPlot()
    qtbot.addWidget(cost)
    qtbot.addWidget(gradients)
    network = Network((784, 16, 16, 10))
    gradients.set_layers(network.sizes)
    steps = 200_000
    costs = np.linspace(2.0, 0.1, steps, dtype=np.float32)
    norms = np.outer(costs, [1.0, 0.1, 0.01]).astype(np.float32)
    for shown in range(20_000, steps + 1, 20_000):  # frames during a long run
        snapshot = Snapshot(steps=shown, epoch=0, epoch_fraction=0.0, examples_per_second=0.0,
                            dropped=0, batch_costs=costs[:shown], grad_norms=norms[:shown],
                            epochs=[], network=network, is_running=True, error=None)
        cost.show_snapshot(snapshot)
        gradients.show_snapshot(snapshot)
    for curve in (cost.batch_curve, cost.smooth_curve, *gradients.curves):
        x = curve.xData  # the points handed to the curve (getData() is what fits the pixels)
        assert 2000 <= len(x) <= 4096
        assert x[-1] > 0.99 * steps  # the newest steps are on the curve
    x, y = cost.batch_curve.xData, cost.batch_curve.yData
    np.testing.assert_allclose(y, costs[x.astype(int) - 1])  # sampled: real batch costs


def test_steps_the_trainer_no_longer_keeps_leave_a_gap(qtbot):
    """A window that fell far behind (the trainer keeps only its newest steps) carries on."""
    from digitpad.core.network import Network
    from digitpad.training.trainer import Snapshot
    from digitpad.ui.cost_plot import CostPlot

    plot = CostPlot()
    qtbot.addWidget(plot)
    costs = np.arange(1, 1001, dtype=np.float32)  # step k cost k

    def snapshot(steps: int, dropped: int) -> Snapshot:
        return Snapshot(steps=steps, epoch=0, epoch_fraction=0.0, examples_per_second=0.0,
                        dropped=dropped, batch_costs=costs[dropped:steps],
                        grad_norms=np.ones((steps - dropped, 2), np.float32), epochs=[],
                        network=Network((784, 10)), is_running=True, error=None)

    plot.show_snapshot(snapshot(10, 0))
    plot.show_snapshot(snapshot(1000, 900))  # steps 11..900 are gone
    np.testing.assert_array_equal(plot.batch_curve.xData, [*range(1, 11), *range(901, 1001)])
    np.testing.assert_array_equal(plot.batch_curve.yData, plot.batch_curve.xData)
