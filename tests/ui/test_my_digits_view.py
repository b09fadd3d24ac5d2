"""The gallery of my digits (myDigitsView): real clicks and keys on a real window."""

import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QListView, QPushButton, QWidget

from digitpad.core.my_digits import MyDigits
from digitpad.core.samples import Samples
from tests.ui.window_helpers import draw_seven, focus, last_said

STROKES = [[(8.0, 6.0), (20.0, 6.0), (12.0, 22.0)]]


@pytest.fixture
def kept(isolated_data_dir):
    """12 drawings kept in the app: 0, 1, ..., 9, then two more 3s (the second one held out)."""
    rng = np.random.default_rng(0)
    with MyDigits.open(isolated_data_dir) as store:
        for label in [*range(10), 3, 3]:
            store.add(rng.random((28, 28)), label, STROKES)
    return isolated_data_dir


def gallery(qtbot, window):
    """Show the gallery's tab, as a click on it would, and wait until it has read the store."""
    view = window.findChild(QWidget, "myDigitsView")
    window.inspectors.setCurrentWidget(view)
    qtbot.waitUntil(view.isVisible)
    return view


def click_item(qtbot, view, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    thumbnails = view.findChild(QListView, "myDigitsList")
    rect = thumbnails.visualRect(view.model.index(row))
    qtbot.mouseClick(thumbnails.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def labels_in(folder) -> list[int]:
    with MyDigits.open(folder) as store:
        return sorted(d.label for d in store.drawings())


def test_thumbnails_by_digit_with_counts_and_a_filter(qtbot, window, kept):
    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 12)
    assert [view.model.drawing(r).label for r in range(12)] == [0, 1, 2, 3, 3, 3, 4, 5, 6, 7,
                                                                8, 9]
    digit_filter = view.findChild(QComboBox, "digitFilter")
    assert digit_filter.itemText(0) == "All digits  (12)"
    assert digit_filter.itemText(4) == "3  (3)"
    assert view.summary.text() == "12 drawings · 1 held out (▲)"
    focus(qtbot, digit_filter)
    for _ in range(4):  # All → 0 → 1 → 2 → 3, with the keyboard
        qtbot.keyClick(digit_filter, Qt.Key.Key_Down)
    assert digit_filter.currentData() == 3
    assert [view.model.drawing(r).label for r in range(view.model.rowCount())] == [3, 3, 3]


def test_held_out_drawings_are_marked(qtbot, window, kept):
    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 12)
    tips = [view.model.data(view.model.index(r), Qt.ItemDataRole.ToolTipRole) for r in range(12)]
    held = [r for r in range(12) if view.model.drawing(r).held_out]
    assert held == [5]  # the third 3
    assert "Held out" in tips[5] and not any("Held out" in t for i, t in enumerate(tips) if i != 5)
    marked = view.model.data(view.model.index(5), Qt.ItemDataRole.DecorationRole).toImage()
    plain = view.model.data(view.model.index(4), Qt.ItemDataRole.DecorationRole).toImage()
    corner = (marked.width() - 3, 2)
    assert marked.pixelColor(*corner).red() > 200 and marked.pixelColor(*corner).blue() < 100
    assert plain.pixelColor(*corner).red() == plain.pixelColor(*corner).blue()  # grey, no mark


def test_a_click_puts_the_drawing_back_on_the_canvas(qtbot, window, kept):
    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 12)
    click_item(qtbot, view, 7)
    assert window.canvas.strokes == STROKES


def test_an_imported_picture_goes_back_on_the_canvas_as_its_image(qtbot, window, isolated_data_dir):
    image = np.zeros((28, 28), np.uint8)
    image[10:18, 13:15] = 255
    with MyDigits.open(isolated_data_dir) as store:
        store.add_samples(Samples(image[None], np.array([1], np.uint8)))
    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    click_item(qtbot, view, 0)
    dots = {point for stroke in window.canvas.strokes for point in stroke}
    assert dots == {(c + 0.5, r + 0.5) for r in range(10, 18) for c in range(13, 15)}


def test_delete_and_undo_with_the_keys_and_the_buttons(qtbot, window, kept):
    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 12)
    thumbnails = view.findChild(QListView, "myDigitsList")
    click_item(qtbot, view, 3)
    click_item(qtbot, view, 4, Qt.KeyboardModifier.ControlModifier)
    focus(qtbot, thumbnails)
    qtbot.keyClick(thumbnails, Qt.Key.Key_Delete)
    assert view.model.rowCount() == 10
    assert labels_in(kept) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert last_said(window).startswith("Deleted 2 drawings.")
    assert not window.canvas.is_empty()  # Delete in the gallery does not clear the canvas...

    qtbot.keyClick(thumbnails, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.model.rowCount() == 12 and len(labels_in(kept)) == 12
    assert window.canvas.strokes  # ...and Ctrl+Z there does not undo a stroke

    click_item(qtbot, view, 0)
    delete = view.findChild(QPushButton, "deleteDrawingsButton")
    undo = view.findChild(QPushButton, "undoMyDigitsButton")
    assert delete.toolTip() and undo.toolTip()
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert labels_in(kept) == [1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9]
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert labels_in(kept) == [0, 1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9]
    assert not undo.isEnabled()


def test_relabel_with_a_digit_key_survives_a_restart_and_can_be_undone(qtbot, window, kept,
                                                                       small_mnist):
    from digitpad.app import create_window

    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 12)
    thumbnails = view.findChild(QListView, "myDigitsList")
    click_item(qtbot, view, 4)  # a 3
    focus(qtbot, thumbnails)
    qtbot.keyClick(thumbnails, Qt.Key.Key_8)
    assert labels_in(kept) == [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 8, 9]
    window.close()

    again = create_window(data=small_mnist)
    qtbot.addWidget(again)
    again.show()
    view = gallery(qtbot, again)
    qtbot.waitUntil(lambda: view.model.rowCount() == 12)
    assert [view.model.drawing(r).label for r in range(12)].count(8) == 2
    again.close()


def test_a_drawing_kept_with_its_key_appears_in_the_gallery(qtbot, window, isolated_data_dir):
    view = gallery(qtbot, window)
    assert view.model.rowCount() == 0 and "No drawings yet" in view.summary.text()
    draw_seven(qtbot, window.canvas)
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.drawing(0).label == 7


def test_drawings_imported_by_the_command_line_appear(qtbot, window, kept, tmp_path):
    from digitpad.core.samples import export_idx

    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 12)
    rng = np.random.default_rng(5)
    export_idx(Samples(rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
                       np.full(5, 2, np.uint8)), tmp_path / "more")
    result = subprocess.run([sys.executable, "-m", "digitpad", "samples", "import",
                             str(tmp_path / "more")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: view.model.rowCount() == 17, timeout=10_000)


def test_ten_thousand_drawings_make_only_the_thumbnails_in_sight(qtbot, window,
                                                                  isolated_data_dir):
    rng = np.random.default_rng(1)
    with MyDigits.open(isolated_data_dir) as store:
        store.add_samples(Samples(rng.integers(0, 256, (10_000, 28, 28), dtype=np.uint8),
                                  (np.arange(10_000) % 10).astype(np.uint8)))
    view = gallery(qtbot, window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 10_000)
    thumbnails = view.findChild(QListView, "myDigitsList")
    thumbnails.grab()  # paint it once, as the screen would
    made = len(view.model._thumbnails)
    assert 0 < made < 500
    thumbnails.scrollToBottom()
    thumbnails.grab()
    assert view.model.drawing(9_999).label == 9
    assert len(view.model._thumbnails) < 2 * made + 100  # the ones scrolled past were not made
    assert thumbnails.indexAt(QPoint(5, 5)).isValid()
