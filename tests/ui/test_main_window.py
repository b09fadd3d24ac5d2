"""The main window's parts, drawing and prediction, driven by real mouse and keyboard events."""

import re

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from digitpad.ui.canvas import Canvas
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import draw_seven, draw_stroke


def test_has_the_promised_object_names(window):
    assert isinstance(window.findChild(Canvas, "canvas"), Canvas)
    assert isinstance(window.findChild(QLabel, "predictedDigit"), QLabel)
    for name in ("clearButton", "startPauseButton", "stepButton", "resetButton"):
        assert isinstance(window.findChild(QPushButton, name), QPushButton), name
    for name in ("costPlot", "gradientPlot"):
        assert isinstance(window.findChild(pg.PlotWidget, name), pg.PlotWidget), name
    assert window.trainer.network.sizes == (784, 16, 16, 10)  # the video's network
    assert not window.trainer.is_running  # creating the window does not start training


def test_prediction_is_empty_until_something_is_drawn(qtbot, window):
    qtbot.wait(100)  # a few frames
    label = window.findChild(QLabel, "predictedDigit")
    assert label.text() == ""
    assert window.prediction.bars.probabilities() is None


def test_drawing_shows_a_digit_and_what_the_network_sees(qtbot, window):
    canvas = window.findChild(Canvas, "canvas")
    label = window.findChild(QLabel, "predictedDigit")
    draw_seven(qtbot, canvas)

    assert not canvas.is_empty()
    assert canvas.image().sum() > 10
    qtbot.waitUntil(lambda: label.text() != "")
    assert label.text() in {str(d) for d in range(10)}
    p = window.prediction.bars.probabilities()
    assert p is not None and p.shape == (10,)
    assert label.text() == str(int(np.argmax(p)))
    seen = window.prediction.seen.image()
    assert seen is not None and seen.shape == (28, 28) and seen.max() > 0.5


def test_prediction_follows_the_pen_while_it_moves(qtbot, window):
    """Before the button is released, the answer already reflects the ink drawn so far."""
    canvas = window.findChild(Canvas, "canvas")
    label = window.findChild(QLabel, "predictedDigit")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=canvas.from_grid(14, 5).toPoint())
    for y in np.linspace(5, 23, 15):
        qtbot.mouseMove(canvas, canvas.from_grid(14, y).toPoint())
    qtbot.waitUntil(lambda: label.text() != "")
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=canvas.from_grid(14, 23).toPoint())


def test_clear_button_and_right_click_empty_the_prediction(qtbot, window):
    canvas = window.findChild(Canvas, "canvas")
    label = window.findChild(QLabel, "predictedDigit")

    draw_seven(qtbot, canvas)
    qtbot.waitUntil(lambda: label.text() != "")
    qtbot.mouseClick(window.findChild(QPushButton, "clearButton"), Qt.MouseButton.LeftButton)
    assert canvas.is_empty()
    qtbot.waitUntil(lambda: label.text() == "")
    assert window.prediction.bars.probabilities() is None

    draw_seven(qtbot, canvas)
    qtbot.waitUntil(lambda: label.text() != "")
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=canvas.from_grid(3, 3).toPoint())
    assert canvas.is_empty()
    qtbot.waitUntil(lambda: label.text() == "")


def test_undo_removes_the_last_stroke(qtbot, window):
    canvas = window.findChild(Canvas, "canvas")
    draw_stroke(qtbot, canvas, [(14, 5 + y) for y in range(19)])
    one_stroke = canvas.image()
    draw_stroke(qtbot, canvas, [(6 + x, 14) for x in range(17)])
    assert len(canvas.strokes) == 2

    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert len(canvas.strokes) == 1
    np.testing.assert_array_equal(canvas.image(), one_stroke)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.is_empty()


def test_prediction_changes_as_the_network_learns(qtbot, window):
    """The answer for a drawing is recomputed with the newest weights while training runs."""
    canvas = window.findChild(Canvas, "canvas")
    draw_seven(qtbot, canvas)
    qtbot.waitUntil(lambda: window.prediction.bars.probabilities() is not None)
    before = window.prediction.bars.probabilities()

    qtbot.mouseClick(window.findChild(QPushButton, "startPauseButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.trainer.steps >= 20)
    qtbot.waitUntil(
        lambda: not np.allclose(window.prediction.bars.probabilities(), before, atol=1e-4))
    window.trainer.pause()


def test_status_bar_reports_progress(qtbot, window):
    step = window.findChild(QPushButton, "stepButton")
    window.controls.batch_spin.setValue(200)  # 600 training digits: an epoch is 3 steps
    step.click()
    qtbot.waitUntil(lambda: window.status_labels["step"].text() == "Step 1")
    assert window.status_labels["epoch"].text().startswith("Epoch 1")
    assert shown_accuracy(window) is None  # no test accuracy before the first epoch ends

    step.click()
    step.click()
    qtbot.waitUntil(lambda: window.trainer.steps == 3)
    assert window.trainer.wait_idle(DEADLINE_S)
    reported = 100 * window.trainer.snapshot().epochs[-1].test_accuracy
    qtbot.waitUntil(lambda: shown_accuracy(window) is not None)
    assert shown_accuracy(window) == pytest.approx(reported, abs=0.05)
    assert window.status_labels["epoch"].text().startswith("Epoch 2")


def shown_accuracy(window) -> float | None:
    """The test accuracy in the status bar, in percent; None while it shows no number."""
    match = re.search(r"(\d+(\.\d)?)\s*%", window.status_labels["accuracy"].text())
    return None if match is None else float(match.group(1))
