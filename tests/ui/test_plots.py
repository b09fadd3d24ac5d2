"""The live plots receive the trainer's history, one gradient curve per layer."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton


def points(curve: pg.PlotDataItem) -> int:
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def test_cost_curves_grow_while_training(qtbot, window):
    plot = window.findChild(pg.PlotWidget, "costPlot")
    assert points(plot.batch_curve) == 0
    qtbot.mouseClick(window.findChild(QPushButton, "startPauseButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: points(plot.batch_curve) >= 10)
    first = points(plot.batch_curve)
    qtbot.waitUntil(lambda: points(plot.batch_curve) > first)
    assert points(plot.smooth_curve) > 0
    window.trainer.pause()
    assert window.trainer.wait_idle()
    qtbot.waitUntil(lambda: plot.batch_curve.yData is not None
                    and len(plot.batch_curve.yData) == window.trainer.steps)
    np.testing.assert_allclose(plot.batch_curve.yData, window.trainer.snapshot().batch_costs)


def test_test_cost_and_accuracy_appear_after_each_epoch(qtbot, window):
    import re

    plot = window.findChild(pg.PlotWidget, "costPlot")
    window.controls.batch_spin.setValue(200)  # 600 training digits: an epoch is 3 steps
    window.trainer.start()
    qtbot.waitUntil(lambda: window.trainer.epoch >= 2)
    window.trainer.pause()
    qtbot.waitUntil(lambda: points(plot.accuracy_curve) >= 2)
    _, accuracy = plot.accuracy_curve.getData()
    assert ((0 <= accuracy) & (accuracy <= 100)).all()
    assert points(plot.test_cost_curve) == points(plot.accuracy_curve)
    # The status bar shows the newest epoch's test accuracy as a percentage.
    assert window.trainer.wait_idle()  # no epoch still being scored
    newest = 100 * window.trainer.snapshot().epochs[-1].test_accuracy

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
    qtbot.wait(100)  # frames after the reset show the new, empty history
    assert points(cost.batch_curve) == 0


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
