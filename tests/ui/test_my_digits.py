"""Keys 0–9 on the canvas keep the drawing, as the network sees it, in "my digits"."""

import json

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from digitpad.core.my_digits import MyDigits
from tests.ui.window_helpers import (
    QUIT_ANYWAY,
    answering_message_boxes,
    draw_seven,
    draw_stroke,
    focus,
    last_said,
)


def kept_in(folder):
    """What the store in `folder` holds, read as another process would."""
    with MyDigits.open(folder) as store:
        return store.samples()


def draw_three(qtbot, canvas) -> None:
    upper = [(9 + 9 * np.sin(t), 10 - 5 * np.cos(t)) for t in np.linspace(-1.2, 1.6, 12)]
    lower = [(9 + 10 * np.sin(t), 19 - 5 * np.cos(t)) for t in np.linspace(1.4, 4.4, 14)]
    draw_stroke(qtbot, canvas, upper)
    draw_stroke(qtbot, canvas, lower)


def shown_input(qtbot, window) -> np.ndarray:
    """What the "what the network sees" view shows, once the window has caught up."""
    qtbot.waitUntil(lambda: window.prediction.seen.image() is not None
                    and not window.session.pending_drawing)
    return window.prediction.seen.image()


def status(window) -> str:
    return last_said(window)


def test_a_digit_key_keeps_what_the_network_sees_and_clears_the_canvas(
        qtbot, window, isolated_data_dir):
    canvas = window.canvas
    draw_three(qtbot, canvas)
    seen = shown_input(qtbot, window)
    assert window.prediction.digit_label.text() != ""
    focus(qtbot, canvas)

    qtbot.keyClick(canvas, Qt.Key.Key_3)

    kept = kept_in(isolated_data_dir)
    assert kept.labels.tolist() == [3]
    np.testing.assert_array_equal(kept.images[0], np.rint(seen * 255).astype(np.uint8))
    assert kept.images[0].max() == 255 and kept.images[0, :2].max() == 0  # a centred digit
    assert canvas.is_empty()
    assert status(window) == "Stored as a 3 in my digits (1 drawing)."
    # The cleared canvas shows no prediction any more.
    qtbot.waitUntil(lambda: window.prediction.seen.image() is None)
    assert window.prediction.digit_label.text() == ""


def test_the_status_bar_counts_the_collection(qtbot, window, isolated_data_dir):
    canvas = window.canvas
    presses = [(draw_seven, Qt.Key.Key_7, "Stored as a 7 in my digits (1 drawing)."),
               (draw_three, Qt.Key.Key_8, "Stored as an 8 in my digits (2 drawings, 1 of them "
                                          "an 8)."),
               (draw_seven, Qt.Key.Key_7, "Stored as a 7 in my digits (3 drawings, 2 of them "
                                          "7s).")]
    for draw, key, message in presses:
        draw(qtbot, canvas)
        focus(qtbot, canvas)
        qtbot.keyClick(canvas, key)
        assert status(window) == message
        assert canvas.is_empty()
    assert kept_in(isolated_data_dir).labels.tolist() == [7, 8, 7]


def test_a_digit_key_on_an_empty_canvas_keeps_nothing(qtbot, window, isolated_data_dir):
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_5)
    assert status(window) == "Draw a digit first, then press its key to keep it."
    assert kept_in(isolated_data_dir).labels.tolist() == []


def test_a_full_disk_is_explained_and_the_drawing_stays(qtbot, small_mnist, tiny_disk,
                                                       monkeypatch):
    from digitpad.app import create_window
    from tests.conftest import fill_disk

    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(tiny_disk))
    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    draw_seven(qtbot, window.canvas)
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)  # kept while there is room
    fill_disk(tiny_disk)
    draw_three(qtbot, window.canvas)
    strokes = window.canvas.strokes
    focus(qtbot, window.canvas)
    with answering_message_boxes() as boxes:
        qtbot.keyClick(window.canvas, Qt.Key.Key_3)

    assert len(boxes) == 1
    title, text = boxes[0]
    assert title == "Could not keep the drawing"
    assert str(tiny_disk / "digitpad.sqlite") in text and "disk is full" in text
    assert text.endswith("The drawing is still on the canvas.")
    assert window.canvas.strokes == strokes
    with answering_message_boxes(press=QUIT_ANYWAY) as boxes:  # the session cannot be saved
        window.close()
    assert [title for title, _ in boxes] == ["Could not save this session"]
    (tiny_disk / "filler").unlink()
    assert kept_in(tiny_disk).labels.tolist() == [7]  # what was kept before is all there


def test_a_data_folder_that_is_a_file_is_said_in_the_status_bar_not_in_a_second_box(
        qtbot, small_mnist, tmp_path, monkeypatch):
    from digitpad.app import create_window

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(notes))
    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    draw_seven(qtbot, window.canvas)
    strokes = window.canvas.strokes
    focus(qtbot, window.canvas)
    with answering_message_boxes() as boxes:
        qtbot.keyClick(window.canvas, Qt.Key.Key_7)

    assert boxes == []  # the one message at start said it (tests/ui/test_hostile_files.py)
    assert status(window).startswith(f"Not kept: DIGITPAD_DATA_DIR names {notes}, which is "
                                     "not a folder")
    assert status(window).endswith("The drawing is still on the canvas.")
    assert window.canvas.strokes == strokes
    window.close()
    assert notes.read_text() == "my notes" and sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt"]


def test_the_command_line_sees_what_the_app_kept(qtbot, window, capsys):
    from digitpad.cli import main

    draw_seven(qtbot, window.canvas)
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert main(["samples", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"count": 1, "per_digit": [0] * 7 + [1, 0, 0]}


def test_without_the_variable_drawings_go_to_the_platform_data_folder(qtbot, small_mnist,
                                                                     tmp_path, monkeypatch):
    from digitpad.app import create_window
    from digitpad.data_dir import my_digits_path
    from digitpad.ui import settings

    monkeypatch.delenv("DIGITPAD_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "digitpad"
    assert my_digits_path() == settings.data_dir() / "digitpad.sqlite" == \
        expected / "digitpad.sqlite"
    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    draw_seven(qtbot, window.canvas)
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    window.close()
    assert kept_in(expected).labels.tolist() == [7]


def test_the_keys_are_explained_where_people_look(window):
    hint = window.findChild(QLabel, "drawHint")
    assert "digit key" in hint.text() and "my digits" in hint.text()
    assert "0–9" in window.canvas.toolTip() and "my digits" in window.canvas.toolTip()


def start_window(qtbot, small_mnist):
    from digitpad.app import create_window

    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def notice_text(qtbot, window) -> str:
    """The text of the message about my digits shown at start (it does not block the window)."""
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "myDigitsNotice") is not None
                    and window.findChild(QMessageBox, "myDigitsNotice").isVisible())
    box = window.findChild(QMessageBox, "myDigitsNotice")
    text = box.text()
    box.accept()
    return text


def test_a_damaged_database_is_set_aside_said_once_and_the_app_starts(
        qtbot, small_mnist, isolated_data_dir):
    isolated_data_dir.mkdir()
    (isolated_data_dir / "digitpad.sqlite").write_bytes(b"\x00garbage" * 500)
    window = start_window(qtbot, small_mnist)
    text = notice_text(qtbot, window)
    assert "could not be read" in text and "set aside as digitpad.sqlite.damaged-" in text
    aside = [p for p in isolated_data_dir.iterdir() if ".damaged-" in p.name]
    assert [p.read_bytes() for p in aside] == [b"\x00garbage" * 500]
    draw_seven(qtbot, window.canvas)  # and my digits work again, in a new database
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert status(window) == "Stored as a 7 in my digits (1 drawing)."
    window.close()
    again = start_window(qtbot, small_mnist)  # said once
    qtbot.wait(50)
    assert again.findChild(QMessageBox, "myDigitsNotice") is None
    again.close()


def test_the_old_npz_is_moved_in_at_start_and_said(qtbot, small_mnist, isolated_data_dir):
    isolated_data_dir.mkdir()
    images = np.random.default_rng(3).integers(0, 256, (30, 28, 28), dtype=np.uint8)
    labels = np.arange(30, dtype=np.uint8) % 10
    np.savez(isolated_data_dir / "my-digits.npz", images=images, labels=labels)
    window = start_window(qtbot, small_mnist)
    assert notice_text(qtbot, window) == (
        "30 drawings from my-digits.npz were moved into digitpad.sqlite; the old file is kept "
        "as my-digits.npz.migrated.")
    window.close()
    kept = kept_in(isolated_data_dir)
    np.testing.assert_array_equal(kept.images, images)
    np.testing.assert_array_equal(kept.labels, labels)


def test_my_digits_from_a_newer_digitpad_are_refused_and_left_untouched(
        qtbot, small_mnist, isolated_data_dir):
    import sqlite3

    with MyDigits.open(isolated_data_dir) as store:
        store.add(np.zeros((28, 28)), 1)
    with sqlite3.connect(isolated_data_dir / "digitpad.sqlite") as db:
        db.execute("PRAGMA user_version = 2")
    before = (isolated_data_dir / "digitpad.sqlite").read_bytes()
    window = start_window(qtbot, small_mnist)
    text = notice_text(qtbot, window)
    assert "newer digitpad" in text and "left untouched" in text
    draw_seven(qtbot, window.canvas)
    focus(qtbot, window.canvas)
    with answering_message_boxes() as boxes:
        qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert len(boxes) == 1
    assert boxes[0].title == "Could not keep the drawing" and "newer" in boxes[0].text
    assert not window.canvas.is_empty()
    window.close()
    assert (isolated_data_dir / "digitpad.sqlite").read_bytes() == before
