"""Keeping a drawing and starting the app with a large "my digits": the real window, offscreen.

    nice -n 10 python benchmarks/my_digits_speed.py [--drawings 10000] [--presses 30]
                                                    [--starts 5]

Targets (issue 10), printed next to the figures:
- key press -> drawing stored and canvas cleared: <= 50 ms with 10,000 drawings stored. A digit
  key is sent to the focused canvas (QTest.keyClick, a real key event); the time runs until the
  event has been handled, when the drawing is committed to disk and the canvas is empty.
- start-up with 10,000 drawings stored <= 0.5 s slower than with none: create_window() and the
  first shown frame, for an empty data folder and a full one, interleaved (warm-up first).
Each drawing in the full folder carries strokes like the canvas's (a few hundred points). Times
depend on the machine and what else runs on it (the disk's fsync above all): run it twice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def digit_strokes() -> list[list[tuple[float, float]]]:
    """A seven as the canvas records it: points every ~0.1 grid units, as a mouse gives them."""
    import numpy as np

    top = [(8 + 12 * s, 6.0 + 0.3 * s) for s in np.linspace(0, 1, 120)]
    slant = [(20 - 8 * s, 6 + 16 * s) for s in np.linspace(0, 1, 180)]
    return [[(float(x), float(y)) for x, y in top + slant]]


def fill(folder: Path, count: int) -> None:
    """`count` drawings with strokes in my digits at `folder`, written in one go."""
    import sqlite3

    import numpy as np

    from digitpad.core.my_digits import DB_FILE, MyDigits, encode_strokes
    from digitpad.core.samples import Samples

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
    labels = (np.arange(count) % 10).astype(np.uint8)
    with MyDigits.open(folder) as store:
        store.add_samples(Samples(images, labels), source="drawn")
    with sqlite3.connect(folder / DB_FILE) as db:  # as if each had been drawn on the canvas
        db.execute("UPDATE drawings SET strokes = ?", (encode_strokes(digit_strokes()),))


def start_window(data):
    """create_window() until its first frame is shown; returns (window, seconds)."""
    from PySide6.QtWidgets import QApplication

    from digitpad.app import create_window

    started = time.perf_counter()
    window = create_window(data=data)
    window.show()
    QApplication.processEvents()
    return window, time.perf_counter() - started


def time_key_presses(window, presses: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    canvas = window.canvas
    times = []
    for i in range(presses):
        canvas.set_strokes(digit_strokes())
        canvas.setFocus()
        QApplication.processEvents()
        started = time.perf_counter()
        QTest.keyClick(canvas, Qt.Key.Key_0 + i % 10)
        times.append(time.perf_counter() - started)
        if not canvas.is_empty():
            raise SystemExit(f"the drawing was not kept: {window.statusBar().currentMessage()}")
        QApplication.processEvents()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from digitpad.core.my_digits import MyDigits
    from tests.conftest import make_small_mnist

    app = QApplication.instance() or QApplication([])  # noqa: F841 - must outlive the windows
    data = make_small_mnist()
    base = Path(tempfile.mkdtemp(prefix="digitpad-bench-"))
    empty, full = base / "empty", base / "full"
    started = time.perf_counter()
    fill(full, args.drawings)
    size = (full / "digitpad.sqlite").stat().st_size
    print(f"my digits with {args.drawings:,} drawings: {size / 1e6:.1f} MB, made in "
          f"{time.perf_counter() - started:.1f} s ({base})")

    # Start-up, interleaved: empty, full, empty, full, ... after one warm-up of each.
    starts: dict[Path, list[float]] = {empty: [], full: []}
    for round_ in range(args.starts + 1):
        for folder in (empty, full):
            os.environ["DIGITPAD_DATA_DIR"] = str(folder)
            window, seconds = start_window(data)
            window.close()
            window.deleteLater()
            QApplication.processEvents()
            if round_:
                starts[folder].append(seconds)
    median_empty, median_full = (statistics.median(starts[f]) for f in (empty, full))
    print(f"start-up (create_window + first frame), median of {args.starts}:  "
          f"none stored {1000 * median_empty:.0f} ms,  {args.drawings:,} stored "
          f"{1000 * median_full:.0f} ms,  difference {1000 * (median_full - median_empty):+.0f} ms"
          f"  (target <= +500 ms)")

    for folder in (empty, full):
        os.environ["DIGITPAD_DATA_DIR"] = str(folder)
        window, _ = start_window(data)
        with MyDigits.open(folder) as store:
            before = store.count()
        times = sorted(time_key_presses(window, args.presses))
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"key press -> stored and cleared, {before:,} stored: median "
              f"{1000 * statistics.median(times):.1f} ms, p95 {1000 * p95:.1f} ms, max "
              f"{1000 * times[-1]:.1f} ms over {args.presses} presses  (target <= 50 ms)")
        if folder is full:
            time_gallery(window, args.presses)
        window.close()


def time_gallery(window, presses: int) -> None:
    """The gallery's tab shown with everything in it, and its reload after each kept drawing
    (the one moment it holds up the window: it reads the list anew)."""
    from PySide6.QtWidgets import QApplication

    view = window.my_digits_view
    started = time.perf_counter()
    window.inspectors.setCurrentWidget(view)
    view.list.grab()  # its first paint, with the thumbnails in sight made
    shown = time.perf_counter() - started
    reloads = []
    for _ in range(5):
        started = time.perf_counter()
        view.reload()
        QApplication.processEvents()
        reloads.append(time.perf_counter() - started)
    print(f"gallery with {view.model.rowCount():,} drawings: shown (listed, first thumbnails "
          f"made and painted) in {1000 * shown:.0f} ms; reload after a change: median "
          f"{1000 * statistics.median(reloads):.0f} ms; "
          f"{len(view.model._thumbnails)} thumbnails made")
    times = sorted(time_key_presses(window, presses))
    print(f"key press with the gallery shown: median {1000 * statistics.median(times):.1f} ms, "
          f"max {1000 * times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
