"""The bare-key shortcuts (Space, S, R, Delete, Esc) and the widgets that need those keys.

Real key presses go to the focused widget: a combo box or a text field keeps the keys it types
with, and everywhere else in the window the shortcuts train, reset and clear.
"""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import draw_seven, focus


def one_step(qtbot, window) -> None:
    """Some training that a stray Reset would throw away."""
    window.controls.step_button.click()
    qtbot.waitUntil(lambda: window.trainer.steps == 1)
    assert window.trainer.wait_idle(DEADLINE_S)


def test_letters_in_a_combo_box_pick_an_item_and_leave_training_alone(qtbot, window):
    trainer = window.trainer
    one_step(qtbot, window)
    network = trainer.network
    weights = [W.copy() for W in network.weights]
    controls = window.controls
    assert controls.activation_combo.currentText() == "sigmoid"
    assert controls.output_combo.currentText() == "sigmoid"

    focus(qtbot, controls.activation_combo)
    qtbot.keyClick(controls.activation_combo, Qt.Key.Key_R)
    assert controls.activation_combo.currentText() == "relu"
    focus(qtbot, controls.output_combo)
    qtbot.keyClick(controls.output_combo, Qt.Key.Key_S)  # the next item starting with s
    assert controls.output_combo.currentText() == "softmax"

    assert trainer.wait_idle(DEADLINE_S)  # a step that S had asked for would have run by now
    assert trainer.steps == 1 and trainer.network is network  # neither stepped nor reset
    for W, W0 in zip(trainer.network.weights, weights):
        np.testing.assert_array_equal(W, W0)
    hint = controls.reset_hint
    assert hint.isVisible() and "activation" in hint.text() and "output" in hint.text()


def test_space_in_a_combo_box_opens_it_instead_of_starting_training(qtbot, window):
    combo = window.controls.activation_combo
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    assert not window.trainer.is_running
    assert window.controls.start_pause_button.text() == "Start"
    qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def test_escape_in_an_open_combo_popup_closes_it_and_keeps_the_drawing(qtbot, window):
    draw_seven(qtbot, window.canvas)
    combo = window.controls.preset_combo
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)

    qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert not window.canvas.is_empty()

    qtbot.keyClick(combo, Qt.Key.Key_Escape)  # once the popup is closed, Esc clears
    assert window.canvas.is_empty()


@pytest.mark.parametrize("name", ["hiddenLayers", "learningRate", "batchSize"])
def test_typing_in_a_text_field_never_trains_or_resets(qtbot, window, name):
    trainer = window.trainer
    one_step(qtbot, window)
    network = trainer.network
    draw_seven(qtbot, window.canvas)
    field = window.controls.findChild(QWidget, name)
    focus(qtbot, field)

    qtbot.keyClicks(field, "rs ")
    for key in (Qt.Key.Key_End, Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
        qtbot.keyClick(field, key)

    assert not trainer.is_running
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.steps == 1 and trainer.network is network
    assert not window.canvas.is_empty()  # Delete and Backspace edited the field instead
    if isinstance(field, QLineEdit):
        assert field.text() == "16, 16rs"  # typed, then the space backspaced away


@pytest.mark.parametrize("name", ["canvas", "resetButton", "costPlot"])
def test_shortcut_keys_work_with_focus_outside_text_and_combo_boxes(qtbot, window, name):
    trainer = window.trainer
    target = window.findChild(QWidget, name)
    focus(qtbot, target)

    qtbot.keyClick(target, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: trainer.steps == 1)
    qtbot.keyClick(target, Qt.Key.Key_Space)
    assert trainer.is_running
    qtbot.waitUntil(lambda: trainer.steps >= 3)
    qtbot.keyClick(target, Qt.Key.Key_Space)
    assert not trainer.is_running
    assert trainer.wait_idle(DEADLINE_S)
    first = trainer.network
    qtbot.keyClick(target, Qt.Key.Key_R)
    assert trainer.steps == 0 and trainer.network is not first

    for key in (Qt.Key.Key_Delete, Qt.Key.Key_Escape):
        draw_seven(qtbot, window.canvas)  # drawing moves the focus to the canvas
        focus(qtbot, target)
        qtbot.keyClick(target, key)
        assert window.canvas.is_empty(), key


@pytest.mark.parametrize("name", ["undoButton", "startPauseButton", "activationCombo"])
def test_escape_clears_the_drawing_from_anywhere_in_the_window(qtbot, window, name):
    draw_seven(qtbot, window.canvas)
    target = window.findChild(QWidget, name)
    focus(qtbot, target)
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    assert window.canvas.is_empty()
    assert not window.trainer.is_running  # Esc only clears

