"""Keys 0–9 on the canvas keep the drawing, as the network sees it, in "my digits"."""

import json

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from digitpad.core.samples import load_samples
from tests.ui.window_helpers import draw_seven, draw_stroke, focus


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
    return window.statusBar().currentMessage()


def test_a_digit_key_keeps_what_the_network_sees_and_clears_the_canvas(
        qtbot, window, isolated_data_dir):
    canvas = window.canvas
    draw_three(qtbot, canvas)
    seen = shown_input(qtbot, window)
    assert window.prediction.digit_label.text() != ""
    focus(qtbot, canvas)

    qtbot.keyClick(canvas, Qt.Key.Key_3)

    kept = load_samples(isolated_data_dir / "my-digits.npz")
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
    assert load_samples(isolated_data_dir / "my-digits.npz").labels.tolist() == [7, 8, 7]


def test_a_digit_key_on_an_empty_canvas_keeps_nothing(qtbot, window, isolated_data_dir):
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_5)
    assert status(window) == "Draw a digit first, then press its key to keep it."
    assert not (isolated_data_dir / "my-digits.npz").exists()


def test_a_damaged_collection_is_explained_and_the_drawing_stays(qtbot, window,
                                                                 isolated_data_dir):
    store = isolated_data_dir / "my-digits.npz"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(b"someone's drawings, damaged")
    draw_seven(qtbot, window.canvas)
    strokes = window.canvas.strokes
    focus(qtbot, window.canvas)

    boxes: list[str] = []

    def close_message_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            boxes.append(f"{box.windowTitle()}|{box.text()}")
            box.done(0)
        else:
            QTimer.singleShot(20, close_message_box)

    QTimer.singleShot(0, close_message_box)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)

    assert len(boxes) == 1
    title, text = boxes[0].split("|")
    assert title == "Could not keep the drawing"
    assert str(store) in text and "move it elsewhere" in text
    assert text.endswith("The drawing is still on the canvas.")
    assert window.canvas.strokes == strokes
    assert store.read_bytes() == b"someone's drawings, damaged"


def test_the_command_line_sees_what_the_app_kept(qtbot, window, capsys):
    from digitpad.cli import main

    draw_seven(qtbot, window.canvas)
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert main(["samples", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"count": 1, "per_digit": [0] * 7 + [1, 0, 0]}


def test_without_the_variable_drawings_go_to_the_platform_data_folder(qtbot, window, tmp_path,
                                                                     monkeypatch):
    from digitpad.data_dir import my_digits_path
    from digitpad.ui import settings

    monkeypatch.delenv("DIGITPAD_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "digitpad" / "my-digits.npz"
    assert my_digits_path() == settings.data_dir() / "my-digits.npz" == expected
    draw_seven(qtbot, window.canvas)
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert load_samples(expected).labels.tolist() == [7]


def test_the_keys_are_explained_where_people_look(window):
    hint = window.findChild(QLabel, "drawHint")
    assert "digit key" in hint.text() and "my digits" in hint.text()
    assert "0–9" in window.canvas.toolTip() and "my digits" in window.canvas.toolTip()
