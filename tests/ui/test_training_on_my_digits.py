"""Training on my digits in the app: the data choice, fine-tuning the network being trained, and
"your handwriting" measured after every epoch, in the cost plot and the status bar."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSpinBox

from digitpad.core.my_digits import MyDigits
from digitpad.core.training_set import MIN_DRAWINGS_TO_TRAIN
from tests.deadlines import DEADLINE_S
from tests.my_hand import column_digits
from tests.ui.window_helpers import focus


def keep(folder, count: int) -> None:
    """Keep `count` drawings of a hand the small MNIST never shows, in one transaction (the
    window never sees half of them)."""
    with MyDigits.open(folder) as store:
        store.add_samples(column_digits(count, seed=count), source="drawn")


def choice(window) -> QComboBox:
    return window.findChild(QComboBox, "dataChoice")


def offered(combo: QComboBox, name: str) -> bool:
    return combo.model().item(combo.findData(name)).isEnabled()


def choose(qtbot, combo: QComboBox, name: str) -> None:
    """Pick an item with the keyboard, as a person would: focus the box, arrow to it."""
    focus(qtbot, combo)
    while combo.currentData() != name:
        step = Qt.Key.Key_Down if combo.currentIndex() < combo.findData(name) else Qt.Key.Key_Up
        before = combo.currentIndex()
        qtbot.keyClick(combo, step)
        assert combo.currentIndex() != before, f"{name} cannot be chosen"


def test_without_drawings_my_digits_are_not_offered_and_it_says_why(qtbot, window):
    combo = choice(window)
    assert combo.currentData() == "mnist"
    assert not offered(combo, "mine") and not offered(combo, "both")
    counts = window.findChild(QLabel, "myDigitsCounts")
    assert counts.text().startswith("No drawings kept yet")
    tip = combo.model().item(combo.findData("both")).toolTip()
    assert "press its key" in tip
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the disabled items are skipped
    assert combo.currentData() == "mnist" and window.trainer.settings.train_on == "mnist"
    assert not window.findChild(QSpinBox, "mineRepeats").isEnabled()
    qtbot.waitUntil(lambda: window.status_labels["mine"].text() == (
        "Your handwriting: none held out"))


def test_too_few_drawings_are_counted_and_not_offered(qtbot, window, isolated_data_dir):
    keep(isolated_data_dir, 30)  # three of each digit: the third is held out
    counts = window.findChild(QLabel, "myDigitsCounts")
    qtbot.waitUntil(lambda: counts.text().startswith("My digits: 20 to train on; 10 held out"))
    assert offered(choice(window), "both") and window.trainer.snapshot().mine_held_out == 10
    qtbot.waitUntil(lambda: window.status_labels["mine"].text() == (
        "Your handwriting: after the next epoch"))
    with MyDigits.open(isolated_data_dir) as store:  # 11 left to train on, then 9
        store.delete([d.id for d in store.drawings() if not d.held_out][:11])
    qtbot.waitUntil(lambda: counts.text() == (
        f"My digits: 9 to train on, 10 held out. Training on them needs at least "
        f"{MIN_DRAWINGS_TO_TRAIN} to train on: keep a few more."))
    assert not offered(choice(window), "both") and not offered(choice(window), "mine")


def test_choosing_my_digits_and_k_reaches_the_trainer_at_once(qtbot, window, isolated_data_dir):
    keep(isolated_data_dir, 40)
    combo = choice(window)
    qtbot.waitUntil(lambda: offered(combo, "both"))
    assert window.findChild(QLabel, "myDigitsCounts").text() == (
        "My digits: 30 to train on; 10 held out, never trained on, measure your handwriting.")
    choose(qtbot, combo, "both")
    qtbot.waitUntil(lambda: window.trainer.settings.train_on == "both")
    spin = window.findChild(QSpinBox, "mineRepeats")
    assert spin.isEnabled()
    focus(qtbot, spin)
    spin.selectAll()
    qtbot.keyClicks(spin, "3")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.trainer.settings.mine_repeats == 3)
    assert window.controls.settings().train_on == "both"
    assert window.findChild(QPushButton, "resetButton").isEnabled()
    assert not window.findChild(QLabel, "resetHint").isVisible()  # nothing waits for a reset


def test_fine_tuning_teaches_my_hand_without_a_reset_and_plots_it(qtbot, window,
                                                                  isolated_data_dir):
    trainer, plot = window.trainer, window.findChild(pg.PlotWidget, "costPlot")
    start = window.findChild(QPushButton, "startPauseButton")
    keep(isolated_data_dir, 125)  # 100 to train on, 25 held out
    combo = choice(window)
    qtbot.waitUntil(lambda: window.my_digits_feed.counts == (100, 25))
    assert offered(combo, "both")
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)  # MNIST first, as anyone starts
    qtbot.waitUntil(lambda: len(trainer.snapshot().epochs) >= 2)
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert trainer.wait_idle(DEADLINE_S)
    network, steps = trainer.network, trainer.steps
    assert all(e.mine_accuracy < 0.5 for e in trainer.snapshot().epochs)  # MNIST: not my hand

    choose(qtbot, combo, "both")
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: trainer.snapshot().epochs[-1].mine_accuracy >= 0.9)
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert trainer.wait_idle(DEADLINE_S)

    snapshot = trainer.snapshot()
    assert trainer.network is network and snapshot.steps > steps  # went on, no reset
    epochs = snapshot.epochs
    assert [e.mine_count for e in epochs] == [25] * len(epochs)
    # The "your handwriting" curve: one point per epoch, at its step, in percent.
    qtbot.waitUntil(lambda: plot.mine_curve.xData is not None
                    and len(plot.mine_curve.xData) == len(epochs))
    np.testing.assert_array_equal(plot.mine_curve.xData, [e.step for e in epochs])
    np.testing.assert_allclose(plot.mine_curve.yData, [100 * e.mine_accuracy for e in epochs])
    label, shown = window.status_labels["mine"], 100 * epochs[-1].mine_accuracy
    qtbot.waitUntil(lambda: label.text() == f"Your handwriting {shown:.1f}%")


def test_deleting_below_the_minimum_falls_back_to_mnist(qtbot, window, isolated_data_dir):
    keep(isolated_data_dir, 20)
    combo = choice(window)
    qtbot.waitUntil(lambda: offered(combo, "both"))
    choose(qtbot, combo, "both")
    with MyDigits.open(isolated_data_dir) as store:
        store.delete([d.id for d in store.drawings()][:15])
    qtbot.waitUntil(lambda: combo.currentData() == "mnist")
    qtbot.waitUntil(lambda: window.trainer.settings.train_on == "mnist")
    assert not offered(combo, "both")
