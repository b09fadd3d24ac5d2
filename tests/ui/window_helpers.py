"""Helpers for the main-window tests: drawing with real mouse events, message boxes, the app
run to its end, IDX files, threads."""

import contextlib
import gzip
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.deadlines import DEADLINE_S


def opened_window(qtbot, data):
    """A main window on `data` as at start-up (a saved session comes back), shown."""
    from digitpad.app import create_window  # here: the canvas tests must not need the app

    window = create_window(data=data)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def draw_stroke(qtbot, canvas, points) -> None:
    """Press at the first point (grid units 0..28), move through the rest, release."""
    def at(x: float, y: float) -> QPoint:
        return canvas.from_grid(x, y).toPoint()

    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(canvas, at(x, y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at(*points[-1]))


def draw_seven(qtbot, canvas) -> None:
    top = [(8 + t, 6.0) for t in np.linspace(0, 12, 10)]
    slant = [(20 - 8 * t, 6 + 16 * t) for t in np.linspace(0, 1, 12)]
    draw_stroke(qtbot, canvas, top + slant)


def shown(qtbot, widget, width: int = 560, height: int = 380):
    """`widget` on screen at this size, owned by the test, once it is exposed."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def last_said(window) -> str:
    """The newest message the window's status bar was asked to show ("" if none), expired or
    not (tests/ui/conftest.py keeps them)."""
    return (getattr(window.statusBar(), "said_in_tests", None) or [""])[-1]


def focus(qtbot, widget) -> None:
    """Give `widget` the keyboard focus, as a click or Tab would, and wait until it has it."""
    # Offscreen Qt may leave a just-closed combo popup as the active window; a click would not.
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def choose_with_keys(qtbot, selector, text: str) -> None:
    """Pick `text` in a combo box with Home and the arrow keys, as a person would."""
    focus(qtbot, selector)
    qtbot.keyClick(selector, Qt.Key.Key_Home)
    for _ in range(selector.findText(text)):
        qtbot.keyClick(selector, Qt.Key.Key_Down)
    assert selector.currentText() == text


def trainer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("digitpad")]


def write_idx(path: Path, array: np.ndarray) -> None:
    """An IDX file of unsigned bytes (the MNIST format), gzipped."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def write_mnist_dir(directory: Path, data) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    write_idx(directory / "train-images-idx3-ubyte.gz", data.train_images)
    write_idx(directory / "train-labels-idx1-ubyte.gz", data.train_labels)
    write_idx(directory / "t10k-images-idx3-ubyte.gz", data.test_images)
    write_idx(directory / "t10k-labels-idx1-ubyte.gz", data.test_labels)
    return directory


# The answer to "Could not save this session" (a full disk, a read-only folder) on closing.
QUIT_ANYWAY = {"sessionNotSaved": "Quit anyway"}


class MessageBox(NamedTuple):
    title: str
    text: str


@contextlib.contextmanager
def answering_message_boxes(press: dict[str, str] | None = None) -> Iterator[list[MessageBox]]:
    """Inside the block, close each message box as it opens, as a person pressing OK would,
    and note its title and text (and its informative text, if any); a box whose objectName is
    in `press` gets the button of that text clicked instead (say {"modelPreview": "Open"}).
    The timer that looks for boxes ends with the block: a later test's box is never touched
    (a self-renewing single shot would outlive its test)."""
    boxes: list[MessageBox] = []
    press = press or {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            more = box.informativeText()
            boxes.append(MessageBox(box.windowTitle(), f"{box.text()}\n{more}" if more
                                    else box.text()))
            wanted = press.get(box.objectName())
            if wanted is None:
                box.done(0)
                return
            button = next(b for b in box.buttons() if b.text().replace("&", "") == wanted)
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)  # runs in a box's own event loop too
    try:
        yield boxes
    finally:
        timer.stop()


def run_app(*args, boxes: int = 0) -> tuple[int, list[MessageBox]]:
    """Run digitpad.app.main(*args) to its end as a person would: answer the first `boxes`
    message boxes, then close the window. Returns main's exit status and the boxes seen.
    Past the deadline every window is closed anyway: a broken test fails, it does not hang."""
    import digitpad.app as app

    started = time.monotonic()
    # The windows main() makes, held from their creation: walking QApplication's top-level
    # widgets instead can wrap one that Qt is destroying (a menu, an earlier test's dialog),
    # which crashed the test process now and then.
    created = []
    create_window = app.create_window

    def recording_create_window(*args, **kwargs):
        window = create_window(*args, **kwargs)
        created.append(window)
        return window

    def close_when_done(seen: list[MessageBox]) -> None:
        windows = [w for w in created if w.isVisible()]
        late = time.monotonic() - started > DEADLINE_S
        if windows and QApplication.activeModalWidget() is None and (len(seen) >= boxes or late):
            for window in windows:
                window.close()
        elif late:
            QApplication.closeAllWindows()

    with answering_message_boxes(press=QUIT_ANYWAY) as seen:
        closer = QTimer()
        closer.timeout.connect(lambda: close_when_done(seen))
        closer.start(200)
        app.create_window = recording_create_window
        try:
            status = app.main(*args)
        finally:
            app.create_window = create_window
            closer.stop()
    return status, seen
