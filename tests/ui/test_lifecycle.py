"""Loading, closing, divergence and button-mashing: the window survives all of it."""

import random

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from digitpad.app import create_window
from digitpad.core import Network
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import draw_seven, focus, last_said, trainer_threads, write_mnist_dir


def test_closing_during_training_stops_the_worker(qtbot, small_mnist):
    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    worker = window.trainer._worker
    assert worker.is_alive()
    window.findChild(QPushButton, "startPauseButton").click()
    qtbot.waitUntil(lambda: window.trainer.steps >= 5)

    window.close()

    assert not worker.is_alive()
    assert trainer_threads() == []


def test_mnist_loads_in_the_background_then_training_is_enabled(qtbot, tmp_path, small_mnist):
    window = create_window(data_dir=write_mnist_dir(tmp_path / "mnist", small_mnist))
    qtbot.addWidget(window)
    window.show()
    start = window.findChild(QPushButton, "startPauseButton")
    assert not start.isEnabled()  # nothing arrives before the event loop runs
    with qtbot.waitSignal(window.data_ready):
        pass
    assert start.isEnabled()
    assert window.trainer.has_data
    start.click()
    qtbot.waitUntil(lambda: window.trainer.steps >= 3)
    window.close()
    assert trainer_threads() == []


def test_missing_mnist_is_explained_without_a_crash(qtbot, tmp_path):
    window = create_window(data_dir=tmp_path / "nowhere")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "MNIST" in window.notice.text.text()
    assert not window.findChild(QPushButton, "startPauseButton").isEnabled()


def test_divergence_pauses_training_and_suggests_a_smaller_learning_rate(qtbot, window,
                                                                         tmp_path):
    # A network whose weights are already enormous: its first step overflows.
    explosive = Network((784, 16, 10), activation="relu")
    explosive.weights = [W * np.float32(1e20) for W in explosive.weights]
    explosive.save(tmp_path / "explosive.npz")
    assert window.load_model(tmp_path / "explosive.npz")
    last_good = [W.copy() for W in window.trainer.network.weights]
    window.controls.lr_spin.setValue(3)
    window.findChild(QPushButton, "startPauseButton").click()

    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert not window.trainer.is_running
    assert "learning rate" in window.notice.text.text()
    assert window.findChild(QPushButton, "startPauseButton").text() == "Start"
    assert "learning rate" in last_said(window)
    for W, W0 in zip(window.trainer.network.weights, last_good):
        np.testing.assert_array_equal(W, W0)

    window.notice.action.click()  # "Halve the learning rate"
    assert window.trainer.settings.lr == 1.5


def test_buttons_keys_menus_and_combo_boxes_in_any_order_never_crash(qtbot, window):
    rng = random.Random(3)
    canvas, controls = window.canvas, window.controls
    buttons = [window.findChild(QPushButton, name) for name in
               ("startPauseButton", "stepButton", "resetButton", "clearButton", "undoButton")]
    combos = [controls.preset_combo, controls.activation_combo, controls.output_combo,
              controls.cost_combo]
    plain, ctrl = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier
    keys = [(Qt.Key.Key_Space, plain), (Qt.Key.Key_S, plain), (Qt.Key.Key_R, plain),
            (Qt.Key.Key_Delete, plain), (Qt.Key.Key_Escape, plain), (Qt.Key.Key_Z, ctrl)]
    menu_actions = [window.start_action, window.step_action, window.reset_action,
                    window.clear_action, window.undo_action, *window.preset_actions]

    def click_a_button() -> None:
        button = rng.choice(buttons)
        if button.isEnabled():
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def press_a_key() -> None:  # on the canvas or on a combo box, which keeps typed keys
        target = rng.choice([canvas, *combos])
        focus(qtbot, target)
        qtbot.keyClick(target, *rng.choice(keys))

    def pick_in_a_combo_box() -> None:  # presets included: they fill in every setting
        combo = rng.choice(combos)
        focus(qtbot, combo)
        qtbot.keyClick(combo, rng.choice([Qt.Key.Key_Down, Qt.Key.Key_Up]))

    def choose_from_a_menu() -> None:
        rng.choice(menu_actions).trigger()  # what clicking the menu item does

    def draw() -> None:
        draw_seven(qtbot, canvas)

    window.trainer.start()
    for _ in range(100):
        rng.choice([click_a_button, press_a_key, press_a_key, pick_in_a_combo_box,
                    choose_from_a_menu, draw])()
        popup = QApplication.activePopupWidget()  # Space opens a focused combo box
        if popup is not None:
            qtbot.keyClick(popup.focusWidget() or popup, Qt.Key.Key_Escape)
            qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
        qtbot.wait(rng.choice([0, 1, 5, 20]))
    window.trainer.pause()
    assert window.trainer.wait_idle(DEADLINE_S)  # still answering: no deadlock
    qtbot.waitUntil(lambda: controls.start_pause_button.text() == "Start")  # the panel agrees
    window.close()
    assert trainer_threads() == []
