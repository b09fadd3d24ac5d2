"""Helpers for the main-window tests: drawing with real mouse events, IDX files, threads."""

import gzip
import struct
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, Qt


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


def focus(qtbot, widget) -> None:
    """Give `widget` the keyboard focus, as a click or Tab would, and wait until it has it."""
    # Offscreen Qt may leave a just-closed combo popup as the active window; a click would not.
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


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
