"""The test-set results: the last epoch's confusion matrix and each digit's accuracy."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QRectF
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from digitpad.training.trainer import EpochResult
from digitpad.ui.evaluation_view import CORRECT, MISTAKE, PLACEHOLDER, EvaluationView
from tests.ui.palettes import dark_palette
from tests.ui.window_helpers import shown


def confusion_with(accuracy: float, seed: int) -> np.ndarray:
    """A 10×10 matrix over 10,000 digits, 1,000 per row, `accuracy` of them on the diagonal."""
    rng = np.random.default_rng(seed)
    m = np.zeros((10, 10), np.int64)
    for d in range(10):
        right = int(round(1000 * accuracy))
        m[d, d] = right
        wrong = rng.multinomial(1000 - right, np.full(9, 1 / 9))
        m[d, [p for p in range(10) if p != d]] = wrong
    return m


def result(epoch: int, confusion: np.ndarray) -> EpochResult:
    accuracy = np.trace(confusion) / confusion.sum()
    return EpochResult(epoch, 600 * epoch, 0.3, float(accuracy), confusion)


@pytest.fixture
def view(qtbot):
    return shown(qtbot, EvaluationView(), 560, 380)


@pytest.fixture
def second() -> np.ndarray:
    m = confusion_with(0.95, seed=2)
    # Digit 7: 13 drawn 7s read as 2; digit 3 gets a worse row than the others.
    m[7] = 0
    m[7, 7], m[7, 2], m[7, 1] = 948, 13, 39
    m[3] = 0
    m[3, 3], m[3, 5], m[3, 8] = 800, 150, 50
    return m


def colour_in_cell(view: EvaluationView, true: int, answer: int) -> QColor:
    """The fill of a cell, just inside its top-left corner (clear of the count in its middle)."""
    rect = view.cell_rect(true, answer)
    shown = view.grab().toImage()
    ratio = shown.devicePixelRatio()
    return shown.pixelColor(int((rect.left() + 3) * ratio), int((rect.top() + 3) * ratio))


def test_object_name(view):
    assert view.objectName() == "evaluationView"


def test_placeholder_before_the_first_epoch(view):
    view.show_epochs([])
    assert view.title_text() == PLACEHOLDER
    assert "after the first epoch" in PLACEHOLDER and "60,000" in PLACEHOLDER
    assert view.confusion() is None and view.per_digit_accuracy() is None
    assert view.epoch() is None
    image = view.grab().toImage()
    assert len({image.pixel(x, y) for x in range(0, 560, 2) for y in range(0, 380, 2)}) > 2


def test_shows_the_last_epochs_confusion(view, second):
    first = confusion_with(0.90, seed=1)
    view.show_epochs([result(1, first), result(2, second)])
    np.testing.assert_array_equal(view.confusion(), second)
    assert view.epoch() == 2
    accuracy = np.trace(second) / 10_000
    assert view.title_text() == f"Test digits after epoch 2: {100 * accuracy:.1f}% right"
    # By hand: 8 rows of 950 right, 948 sevens and 800 threes: 9,348 of 10,000.
    assert "epoch 2: 93.5% right" in view.title_text()
    per_digit = view.per_digit_accuracy()
    assert per_digit[3] == pytest.approx(0.8)
    assert per_digit[7] == pytest.approx(0.948)
    assert per_digit[0] == pytest.approx(0.95)


def test_per_digit_accuracy_uses_each_rows_own_count(view):
    m = np.zeros((10, 10), np.int64)
    m[np.arange(10), np.arange(10)] = 10
    m[4, 9] = 30  # 10 of 40 fours right
    view.show_epochs([result(1, m)])
    per_digit = view.per_digit_accuracy()
    assert per_digit[4] == pytest.approx(0.25)
    assert per_digit[9] == pytest.approx(1.0)
    m[6] = 0  # no 6s at all: no accuracy to show, and nothing breaks
    view.show_epochs([result(1, m), result(2, m)])
    assert np.isnan(view.per_digit_accuracy()[6])
    view.grab()


def test_tooltip_tells_how_often_one_digit_was_taken_for_another(view, second):
    view.show_epochs([result(1, second)])
    assert view.tooltip_at(view.cell_rect(7, 2).center()) == "7 drawn as 2: 13 times"
    assert view.tooltip_at(view.cell_rect(7, 3).center()) == "7 drawn as 3: never"
    diagonal = view.tooltip_at(view.cell_rect(7, 7).center())
    assert diagonal.startswith("7 recognised as 7: 948 of 1,000 times")
    # Through a real tooltip event, as the mouse would.
    pos = view.cell_rect(3, 5).center().toPoint()
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, pos, view.mapToGlobal(pos)))
    assert QToolTip.text() == "3 drawn as 5: 150 times"
    QToolTip.hideText()


def test_cells_are_coloured_right_and_wrong(view, second):
    view.show_epochs([result(1, second)])
    dark = False  # the default palette
    diagonal = colour_in_cell(view, 7, 7)
    error = colour_in_cell(view, 3, 5)  # the largest mistake: the strongest orange
    small_error = colour_in_cell(view, 7, 2)
    assert diagonal.green() > diagonal.red() + 40
    assert error.red() > error.blue() + 100
    assert abs(error.hue() - MISTAKE[dark].hue()) < 15
    assert abs(diagonal.hue() - CORRECT[dark].hue()) < 15
    # More mistakes, a stronger colour: further from the paper colour.
    base = view.palette().color(QPalette.ColorRole.Base)
    assert abs(error.lightness() - base.lightness()) > abs(small_error.lightness() -
                                                             base.lightness()) + 20


def test_everything_fits_at_the_usual_size(view, second):
    view.show_epochs([result(1, second)])
    inside = QRectF(0, 0, view.width(), view.height())
    cells = [view.cell_rect(t, p) for t in range(10) for p in range(10)]
    assert all(inside.contains(r) for r in cells)
    assert view.cell_rect(0, 0).width() >= 30 and view.cell_rect(0, 0).height() >= 20


def test_same_list_length_is_not_redone_but_a_new_result_is(view, second, monkeypatch):
    epochs = [result(1, confusion_with(0.9, seed=1))]
    view.show_epochs(epochs)
    refreshed = []
    real = view.refresh
    monkeypatch.setattr(view, "refresh", lambda: (refreshed.append(1), real()))
    view.show_epochs(list(epochs))  # the next snapshot: a new list, the same results
    assert refreshed == []
    view.show_epochs([*epochs, result(2, second)])
    assert refreshed == [1] and view.epoch() == 2
    # After a reset, a new run got as far between two snapshots: as long a list, new results.
    other = confusion_with(0.5, seed=8)
    view.show_epochs([result(1, second), result(2, other)])
    np.testing.assert_array_equal(view.confusion(), other)
    view.show_epochs([result(1, second)])
    assert view.epoch() == 1
    view.show_epochs([])
    assert view.title_text() == PLACEHOLDER


def test_nothing_is_worked_out_while_hidden(qtbot, second):
    widget = EvaluationView()
    qtbot.addWidget(widget)
    widget.resize(560, 380)
    widget.show_epochs([result(1, second)])
    assert widget._shown is None  # only remembered
    widget.show()
    qtbot.waitExposed(widget)
    assert widget._shown is not None and widget.epoch() == 1


@pytest.mark.parametrize("dark", [False, True])
def test_painted_in_light_and_dark_palettes(view, second, dark):
    if dark:
        view.setPalette(dark_palette())
    view.show_epochs([result(1, second)])
    image = view.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)}
    assert len(colours) > 30
    zero_cell = colour_in_cell(view, 7, 3)  # no 7 was taken for a 3
    base = view.palette().color(QPalette.ColorRole.Base)
    assert abs(zero_cell.lightness() - base.lightness()) < 25  # an empty cell is near the paper
    assert (base.lightness() < 100) == dark
    assert abs(colour_in_cell(view, 3, 5).hue() - MISTAKE[dark].hue()) < 15
