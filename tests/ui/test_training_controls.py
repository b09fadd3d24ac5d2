"""Start, Pause, Step and Reset, the knobs, and the keyboard shortcuts, on a real window."""

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.deadlines import DEADLINE_S


def click(qtbot, window, name: str) -> None:
    qtbot.mouseClick(window.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_step_trains_exactly_one_mini_batch(qtbot, window):
    trainer = window.trainer
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: trainer.steps == 1)
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.steps == 1
    click(qtbot, window, "stepButton")
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: trainer.steps == 3)
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.steps == 3
    assert len(trainer.snapshot().batch_costs) == 3


def test_start_trains_until_pause(qtbot, window):
    trainer = window.trainer
    button = window.findChild(QPushButton, "startPauseButton")
    assert button.isEnabled() and button.text() == "Start"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert trainer.is_running and button.text() == "Pause"
    assert not window.findChild(QPushButton, "stepButton").isEnabled()
    qtbot.waitUntil(lambda: trainer.steps >= 10)

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert trainer.wait_idle(DEADLINE_S)
    assert not trainer.is_running and button.text() == "Start"
    done = trainer.steps
    qtbot.wait(100)
    assert trainer.steps == done  # paused means paused


def test_space_s_and_r_keys(qtbot, window):
    trainer = window.trainer
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: trainer.steps == 1)

    qtbot.keyClick(window.canvas, Qt.Key.Key_Space)
    assert trainer.is_running
    qtbot.waitUntil(lambda: trainer.steps >= 5)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Space)
    assert not trainer.is_running

    first = trainer.network
    qtbot.keyClick(window.canvas, Qt.Key.Key_R)
    assert trainer.steps == 0 and trainer.network is not first


def test_learning_rate_change_mid_training_applies_to_the_next_steps(qtbot, window):
    trainer = window.trainer
    # Plain gradient descent, so one step moves the weights by exactly lr × gradient.
    window.controls.momentum_spin.setValue(0)
    window.controls.l2_spin.setValue(0)
    click(qtbot, window, "resetButton")
    click(qtbot, window, "startPauseButton")
    qtbot.waitUntil(lambda: trainer.steps >= 5)

    spin = window.controls.lr_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "0.0125")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert trainer.settings.lr == pytest.approx(0.0125)
    assert trainer.is_running  # changing it did not stop training
    at_change = trainer.steps
    qtbot.waitUntil(lambda: trainer.steps >= at_change + 5)

    # The size of one step's change is learning rate × gradient: check it on the next step.
    click(qtbot, window, "startPauseButton")
    assert trainer.wait_idle(DEADLINE_S)
    before = [W.copy() for W in trainer.network.weights]
    steps = trainer.steps
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: trainer.steps == steps + 1)
    assert trainer.wait_idle(DEADLINE_S)
    norms = trainer.snapshot().grad_norms[-1]
    for l, W in enumerate(trainer.network.weights):
        moved = float(np.linalg.norm(W - before[l]))
        assert moved == pytest.approx(0.0125 * norms[l], rel=1e-3)


def test_batch_size_applies_to_the_next_step(qtbot, window):
    trainer = window.trainer
    window.controls.batch_spin.setValue(30)
    assert trainer.settings.batch == 30
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: trainer.steps == 1)
    assert trainer.snapshot().epoch_fraction == pytest.approx(30 / 600)


def test_network_settings_wait_for_reset_and_say_so(qtbot, window):
    trainer = window.trainer
    hint = window.controls.reset_hint
    assert not hint.isVisible()

    edit = window.controls.hidden_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "32")
    window.controls.activation_combo.setCurrentText("relu")
    assert hint.isVisible() and "hidden layers" in hint.text() and "activation" in hint.text()
    assert trainer.network.sizes == (784, 16, 16, 10)  # nothing changed yet

    click(qtbot, window, "resetButton")
    assert trainer.network.sizes == (784, 32, 10)
    assert trainer.network.activation == "relu"
    assert not hint.isVisible()
    gradients = window.findChild(pg.PlotWidget, "gradientPlot")
    assert [c.name() for c in gradients.curves] == ["layer 1 (784→32)", "layer 2 (32→10)"]


def test_invalid_hidden_layers_are_explained_and_not_applied(qtbot, window):
    edit = window.controls.hidden_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "16, -3")
    assert window.controls.settings() is None
    assert "Hidden layers" in window.controls.reset_hint.text()
    click(qtbot, window, "resetButton")
    assert window.trainer.network.sizes == (784, 16, 16, 10)


def test_choosing_a_preset_fills_in_its_settings(qtbot, window):
    from digitpad.core.presets import PRESETS

    accurate = PRESETS["accurate"]
    combo = window.controls.preset_combo
    combo.setFocus()
    index = combo.findData("accurate")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what choosing it in the popup does
    assert window.trainer.settings.lr == pytest.approx(accurate.lr)
    assert window.trainer.settings.batch == accurate.batch
    click(qtbot, window, "resetButton")
    assert window.trainer.network.sizes == (784, *accurate.hidden, 10)
    assert window.trainer.network.activation == accurate.activation


def test_the_panel_says_what_changed_as_settings(qtbot):
    """The panel emits the whole settings when a knob moves; the network ones stay pending."""
    from digitpad.core.presets import PRESETS
    from digitpad.ui.training_controls import TrainingControls

    panel = TrainingControls()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.settings_changed) as changed:
        panel.batch_spin.setValue(25)
    assert changed.args[0] == replace(PRESETS["video"], batch=25) == panel.settings()
    with qtbot.waitSignal(panel.settings_changed) as changed:
        panel.activation_combo.setCurrentIndex(panel.activation_combo.findData("tanh"))
    assert changed.args[0].activation == "tanh"
    assert panel.preset_combo.currentText() == "Custom"
    assert panel.reset_hint.text() == "⟲ Press Reset (R) to apply: activation."


def test_the_learning_rate_applies_while_the_hidden_layers_text_is_being_fixed(qtbot, window):
    edit = window.controls.hidden_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "16,")  # not a list of sizes yet
    assert window.controls.settings() is None
    window.controls.lr_spin.setValue(0.25)
    assert window.trainer.settings.lr == 0.25
    assert window.trainer.settings.hidden == (16, 16)


def test_the_ranges_of_the_knobs_are_the_settings_own(qtbot):
    from digitpad.core.settings import ABOUT
    from digitpad.ui.training_controls import TrainingControls

    panel = TrainingControls()
    qtbot.addWidget(panel)
    assert panel.batch_spin.maximum() == ABOUT["batch"].limits.high
    assert panel.lr_spin.maximum() == ABOUT["lr"].limits.high
    assert 0 < panel.lr_spin.minimum() <= 1e-6  # greater than 0, as small as it can show
    assert panel.momentum_spin.maximum() < 1 <= panel.momentum_spin.maximum() + 1e-6
