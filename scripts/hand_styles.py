"""Draw docs/hands.png: every style of digitpad.core.hands, a few writers each, as the network
sees them (the 28×28 MNIST-style input of the canvas's rasterizer and preprocessing).

Run: python scripts/hand_styles.py [--out docs/hands.png] [--writers 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402

from digitpad.core.atomic_file import atomic_write  # noqa: E402
from digitpad.core.hands import STYLES, hand_strokes, place_on_canvas  # noqa: E402
from digitpad.core.rasterizer import DEFAULT_PEN_WIDTH, network_input  # noqa: E402
from digitpad.ui.canvas import paint_cells  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CELL = 2  # screen pixels per MNIST pixel
TILE = 28 * CELL + 4
LABEL = 18


def style_samples(digit: int, style: str, writers: int, seed: int) -> list[np.ndarray]:
    """`writers` digits in this style, each in another hand, as the network sees them."""
    rng = np.random.default_rng([seed, digit, sorted(STYLES[digit]).index(style)])
    images = []
    for _ in range(writers):
        strokes = place_on_canvas(hand_strokes(digit, style, rng), rng, DEFAULT_PEN_WIDTH)
        images.append(network_input(strokes, DEFAULT_PEN_WIDTH))
    return images


def draw_sheet(writers: int, seed: int) -> QImage:
    """One row per digit, its styles side by side, each a label over `writers` tiles."""
    group = writers * TILE + 16
    columns = max(len(styles) for styles in STYLES.values())
    sheet = QImage(columns * group + 8, len(STYLES) * (LABEL + TILE) + 8,
                   QImage.Format.Format_RGB888)
    sheet.fill(QColor(40, 42, 48))
    painter = QPainter(sheet)
    font = QFont(painter.font())
    font.setPixelSize(12)
    painter.setFont(font)
    painter.setPen(QColor(225, 225, 225))
    for row, (digit, styles) in enumerate(STYLES.items()):
        top = 4 + row * (LABEL + TILE)
        for column, style in enumerate(styles):
            left = 4 + column * group
            painter.drawText(QRectF(left, top, group, LABEL),
                             Qt.AlignmentFlag.AlignVCenter, f"{digit}  {style}")
            for k, image in enumerate(style_samples(digit, style, writers, seed)):
                rect = QRectF(left + k * TILE, top + LABEL, 28 * CELL, 28 * CELL)
                paint_cells(painter, rect, image, grid_alpha=0)
    painter.end()
    return sheet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "hands.png")
    parser.add_argument("--writers", type=int, default=5, help="digits drawn per style")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts)
    encoded = QBuffer()
    encoded.open(QIODevice.OpenModeFlag.WriteOnly)
    draw_sheet(args.writers, args.seed).save(encoded, "PNG")
    with atomic_write(args.out) as file:
        file.write(encoded.data().data())
    print(f"{args.out}: {sum(map(len, STYLES.values()))} styles, {args.writers} writers each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
