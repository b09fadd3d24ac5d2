"""How fast strokes become pixels: the canvas while a digit is drawn, and synthesized digits.

    nice -n 10 python benchmarks/rasterizer_speed.py [--digits 20]

Prints, for digits of benchmarks/drawn_digits/templates.json drawn on the real Canvas with mouse
events (offscreen):
- per mouse move, the time of the move (the canvas's own work included) and of the
  `canvas.image(112)` the main window asks for after it (at most ~30 times a second while
  drawing; here after every move, the worst case);
- per digit, `rasterize(strokes, 112)` of the whole drawing and `network_input` (rasterize and
  MNIST-style preprocessing), as the synthesizer does for every digit in many hands;
- how long `synthetic_images` takes per digit (strokes included).
Before issue 13 the canvas painted with QPainter on a 224×224 grey image and averaged it down;
measured side by side on this machine under load, image(112) per move took 131-146 ms with it
against 2.1-2.2 ms with the NumPy rasterizer.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import stroke_sets  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from digitpad.core.hands import synthetic_images  # noqa: E402
from digitpad.core.rasterizer import FINE, network_input, rasterize  # noqa: E402
from digitpad.ui.canvas import Canvas  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent / "drawn_digits" / "templates.json"


def canvas_per_move(digits: list[dict]) -> tuple[float, float]:
    """Milliseconds per mouse move: the move with its repaint, and image(112) after it."""
    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    canvas.resize(420, 420)
    canvas.show()
    QTest.qWaitForWindowExposed(canvas)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    moves, in_image, started = 0, 0.0, time.perf_counter()
    for digit in digits:
        canvas.clear()
        for stroke in digit["strokes"]:
            points = [canvas.from_grid(x, y).toPoint() for x, y in stroke]
            QTest.mousePress(canvas, left, none, points[0])
            for point in points[1:]:
                QTest.mouseMove(canvas, point)
                moves += 1
                t = time.perf_counter()
                canvas.image(FINE)
                in_image += time.perf_counter() - t
                app.processEvents()
            QTest.mouseRelease(canvas, left, none, points[-1])
    total = time.perf_counter() - started
    canvas.close()
    return 1e3 * total / moves, 1e3 * in_image / moves


def per_digit(function, digits: list[dict]) -> float:
    """Milliseconds per digit of function(strokes)."""
    strokes = [[np.array(s) for s in d["strokes"]] for d in digits]
    started = time.perf_counter()
    for s in strokes:
        function(s)
    return 1e3 * (time.perf_counter() - started) / len(strokes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=20, help="digits drawn on the canvas")
    args = parser.parse_args(argv)
    digits = stroke_sets.load(TEMPLATES)["digits"]
    drawn = digits[:: max(1, len(digits) // args.digits)][: args.digits]
    move, image = canvas_per_move(drawn)
    print(f"canvas, per mouse move      {move:6.2f} ms, of which image(112) {image:5.2f} ms "
          f"({args.digits} digits)")
    print(f"rasterize(strokes, 112)     {per_digit(lambda s: rasterize(s, FINE), digits):6.2f} "
          f"ms per digit ({len(digits)} digits)")
    print(f"network_input(strokes)      {per_digit(network_input, digits):6.2f} ms per digit")
    started = time.perf_counter()
    synthetic_images(1000, seed=0)
    print(f"synthetic_images            {time.perf_counter() - started:6.2f} ms per digit "
          "(1,000, strokes included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
