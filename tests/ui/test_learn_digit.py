"""Learn this digit: one step on the canvas digit alone, through the real buttons."""

import warnings

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from digitpad.app import create_window
from digitpad.core import Network
from digitpad.ui.learn_digit import NO_DATA, NO_DRAWING, TEST_DIGIT, WHILE_TRAINING
from tests.ui.window_helpers import draw_seven


def nudges_view(window) -> QWidget:
    view = window.findChild(QWidget, "backpropView")
    window.inspectors.setCurrentWidget(view)
    return view


def button(window, name: str) -> QPushButton:
    return window.findChild(QPushButton, name)


def arrays(network: Network) -> list[np.ndarray]:
    return [a.copy() for a in network.weights + network.biases]


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def cost_of(network: Network, seen: np.ndarray, digit: int) -> float:
    return network.cost(seen.reshape(1, -1), np.array([digit]))


def drawn(qtbot, window):
    view = nudges_view(window)
    draw_seven(qtbot, window.canvas)
    learn = button(window, "learnDigitButton")
    qtbot.waitUntil(learn.isEnabled)
    return view, learn


def test_learning_lowers_the_cost_and_undo_restores_every_array(qtbot, window):
    view, learn = drawn(qtbot, window)
    seen, digit = window.session.seen_now(), view.target
    trained = window.trainer.network
    before = arrays(trained)
    cost_before = cost_of(trained, seen, digit)

    click(qtbot, learn)
    network = window.trainer.network
    assert cost_of(network, seen, digit) < cost_before
    shown_before, shown_after = view.learn_panel.shown_probabilities()
    np.testing.assert_array_equal(shown_after, network.forward(seen.reshape(1, -1))[0])
    assert shown_after[digit] > shown_before[digit]
    # Every view follows: the published weights are the new ones.
    assert all(np.array_equal(a, b) for a, b in zip(
        arrays(window.trainer.snapshot().network), arrays(network)))

    undo = button(window, "undoLearnButton")
    assert undo.isEnabled()
    click(qtbot, undo)
    after_undo = arrays(window.trainer.network)
    assert len(after_undo) == len(before)
    assert all(a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(after_undo, before))
    assert not undo.isEnabled()


def test_ctrl_l_learns_from_anywhere_in_the_window_and_the_button_says_so(qtbot, window):
    view, learn = drawn(qtbot, window)
    assert "Ctrl+L" in learn.toolTip()
    seen, digit = window.session.seen_now(), view.target
    cost_before = cost_of(window.trainer.network, seen, digit)
    window.controls.setFocus()  # not the nudges view: the shortcut is the window's
    qtbot.keyClick(window.controls, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert cost_of(window.trainer.network, seen, digit) < cost_before
    assert button(window, "undoLearnButton").isEnabled()


def test_the_chosen_digit_is_the_label(qtbot, window):
    view, learn = drawn(qtbot, window)
    other = (view.target + 1) % 10
    click(qtbot, window.findChild(QWidget, f"targetDigit{other}"))
    qtbot.waitUntil(lambda: view.target == other)
    seen = window.session.seen_now()
    cost_before = cost_of(window.trainer.network, seen, other)
    click(qtbot, learn)
    assert cost_of(window.trainer.network, seen, other) < cost_before
    before, after = view.learn_panel.shown_probabilities()
    assert after[other] > before[other]


def test_ten_times_shows_the_quick_test_accuracy(qtbot, window):
    view, _ = drawn(qtbot, window)
    click(qtbot, button(window, "learnTenButton"))
    assert "Test accuracy on 1,000 digits" in view.learn_panel.result_text()
    assert view.learn_panel.shown_probabilities() is not None


def test_disabled_while_training_runs_and_with_an_empty_canvas(qtbot, window):
    _, learn = drawn(qtbot, window)
    click(qtbot, button(window, "startPauseButton"))
    qtbot.waitUntil(lambda: not learn.isEnabled())
    assert learn.toolTip() == WHILE_TRAINING
    click(qtbot, button(window, "startPauseButton"))
    qtbot.waitUntil(learn.isEnabled)
    click(qtbot, button(window, "clearButton"))
    qtbot.waitUntil(lambda: not learn.isEnabled())
    assert learn.toolTip() == NO_DRAWING


def test_disabled_with_a_test_digit_on_the_canvas_even_drawn_over(qtbot, window):
    _, learn = drawn(qtbot, window)
    before = arrays(window.trainer.network)
    # What opening a test mistake does (test_cell_opener): the test digit as the network sees it.
    window.canvas.show_picture(window.trainer.data.test_images[0].reshape(28, 28) / 255,
                               "Test digit 0")
    qtbot.waitUntil(lambda: not learn.isEnabled())
    assert learn.toolTip() == TEST_DIGIT
    draw_seven(qtbot, window.canvas)  # ink over it: the test digit is still in it
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # refused too
    assert not learn.isEnabled() and learn.toolTip() == TEST_DIGIT
    for was, now in zip(before, arrays(window.trainer.network), strict=True):
        np.testing.assert_array_equal(now, was)
    click(qtbot, button(window, "clearButton"))
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(learn.isEnabled)


def test_disabled_before_the_data_has_loaded(qtbot, tmp_path):
    window = create_window(data_dir=tmp_path / "nowhere")
    qtbot.addWidget(window)
    window.show()
    nudges_view(window)
    draw_seven(qtbot, window.canvas)
    learn = button(window, "learnDigitButton")
    qtbot.waitUntil(lambda: window.session.frame.seen is not None)
    assert not learn.isEnabled()
    assert learn.toolTip() == NO_DATA
    window.close()


def test_a_diverging_step_is_refused_and_leaves_the_weights(qtbot, window):
    # Weights so large that a step at the largest learning rate overflows, as those kept when
    # training diverged can be: the views and the refused lesson show it without a warning.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explosive = Network((784, 16, 10), activation="relu")
        explosive.weights = [W * np.float32(1e20) for W in explosive.weights]
        window.session.install(explosive)
        window.controls.lr_spin.setValue(window.controls.lr_spin.maximum())
        qtbot.waitUntil(lambda: window.trainer.settings.lr == pytest.approx(1e6))
        view, learn = drawn(qtbot, window)
        before = arrays(window.trainer.network)
        click(qtbot, learn)
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert "training diverged" in view.learn_panel.result_text()
    assert "weights are as they were" in view.learn_panel.result_text()
    assert view.learn_panel.shown_probabilities() is None
    assert all(np.array_equal(a, b) for a, b in zip(arrays(window.trainer.network), before))
    assert not button(window, "undoLearnButton").isEnabled()
