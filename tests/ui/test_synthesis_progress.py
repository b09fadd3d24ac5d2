"""The accurate preset's first Start makes its digits in many hands first: the status bar shows
how far, and the window keeps working, pauses, resets and closes meanwhile."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar

from digitpad.app import create_window
from tests.ui.window_helpers import draw_seven, trainer_threads

LEFT = Qt.MouseButton.LeftButton
# The small MNIST has 600 training digits: the accurate preset's 20% in many hands are 150,
# made in 6 chunks of 25 (tests/conftest.py's hands_gate lets each through).
MADE = 150


def accurate_network(qtbot, window) -> None:
    """Training ▸ Preset: Accurate, then Reset, as a person would."""
    next(a for a in window.preset_actions if "Accurate" in a.text()).trigger()
    qtbot.mouseClick(window.controls.reset_button, LEFT)
    assert window.trainer.settings.synthetic == pytest.approx(0.2)


def progress(window) -> tuple[QProgressBar, QLabel]:
    return (window.findChild(QProgressBar, "synthesisProgress"),
            window.findChild(QLabel, "synthesisLabel"))


def test_the_first_start_shows_the_digits_being_made_and_pause_holds_them(
        qtbot, window, hands_gate):
    accurate_network(qtbot, window)
    bar, label = progress(window)
    start = window.controls.start_pause_button
    assert not bar.isVisible()
    qtbot.mouseClick(start, LEFT)
    hands_gate.let_through(1)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.value() == 25)
    assert bar.maximum() == MADE and label.text() == f"Drawing digits in many hands: 25 of {MADE}"
    assert window.status_labels["speed"].text() == "starting"

    # Meanwhile the window answers: a digit drawn now is read by the network.
    predicted = window.findChild(QLabel, "predictedDigit")
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(lambda: predicted.text() != "")

    qtbot.waitUntil(lambda: hands_gate.in_chunk)  # the worker waits in the second chunk
    qtbot.mouseClick(start, LEFT)  # Pause: the chunk under way ends, then nothing more
    hands_gate.let_through(1)
    qtbot.waitUntil(lambda: label.text().endswith(f"50 of {MADE} (paused)"))
    qtbot.waitUntil(lambda: window.trainer.wait_idle(0))
    assert bar.value() == 50 and window.trainer.steps == 0 and hands_gate.rendered == 2

    qtbot.mouseClick(start, LEFT)  # and Start goes on from there to the first steps
    hands_gate.let_through(4)
    qtbot.waitUntil(lambda: window.trainer.steps >= 1)
    qtbot.waitUntil(lambda: not bar.isVisible() and not label.isVisible())
    assert hands_gate.rendered == 6


def test_reset_while_the_digits_are_made_waits_for_one_chunk_only(qtbot, window, hands_gate):
    accurate_network(qtbot, window)
    bar, _ = progress(window)
    qtbot.mouseClick(window.controls.start_pause_button, LEFT)
    hands_gate.let_through(1)
    qtbot.waitUntil(lambda: bar.value() == 25 and hands_gate.in_chunk)
    # The worker waits in the second chunk; the reset lets that one through and no more: a
    # reset that waited for all six would never come back.
    qtbot.mouseClick(window.controls.reset_button, LEFT)
    assert hands_gate.rendered == 2 and window.trainer.steps == 0
    qtbot.waitUntil(lambda: not bar.isVisible())
    assert window.controls.start_pause_button.text() == "Start"


def test_closing_while_the_digits_are_made_ends_the_worker(qtbot, small_mnist, hands_gate):
    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    accurate_network(qtbot, window)
    bar, _ = progress(window)
    qtbot.mouseClick(window.controls.start_pause_button, LEFT)
    hands_gate.let_through(1)
    qtbot.waitUntil(lambda: bar.value() == 25 and hands_gate.in_chunk)  # in the second chunk

    window.close()

    assert trainer_threads() == []  # the worker ended
    assert hands_gate.rendered == 2
