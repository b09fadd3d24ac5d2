"""Draw resources/digitpad.svg and render it to the PNG sizes in resources/icons/.

The icon: a hand-drawn 7 on a dark 12×12 pixel grid (the canvas the network reads) and a
falling cost curve (the network learning). Run: python scripts/make_icons.py
"""

from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from digitpad.ui.canvas import rasterize
from digitpad.ui.resources import ICON_SIZES

ROOT = Path(__file__).resolve().parent.parent
GRID = 12  # cells across the icon's canvas
CELL = 16  # SVG units per cell
ORIGIN = 32  # the canvas starts here; the icon is 256×256


def digit_cells() -> np.ndarray:
    """A 7 in soft strokes, rasterized by the app's own canvas code to a 12×12 grid."""
    def line(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
        return [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0, 1, 12)]

    seven = [line(2.2, 2.6, 8.4, 2.6) + line(8.4, 2.6, 4.4, 9.8)]
    scaled = [[(x * 28 / GRID, y * 28 / GRID) for x, y in stroke] for stroke in seven]
    return rasterize(scaled, size=GRID, pen_width=2.6)


def svg() -> str:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
        '<rect x="8" y="8" width="240" height="240" rx="52" fill="#1b2130"/>',
        f'<rect x="{ORIGIN}" y="{ORIGIN}" width="{GRID * CELL}" height="{GRID * CELL}" '
        'rx="6" fill="#0e0f12"/>',
    ]
    cells = digit_cells()
    for row in range(GRID):
        for col in range(GRID):
            v = float(cells[row, col])
            if v > 0.04:
                parts.append(
                    f'<rect x="{ORIGIN + col * CELL}" y="{ORIGIN + row * CELL}" width="{CELL}" '
                    f'height="{CELL}" fill="#ffffff" fill-opacity="{min(1.0, v):.2f}"/>')
    for i in range(1, GRID):
        p = ORIGIN + i * CELL
        end = ORIGIN + GRID * CELL
        parts.append(f'<path d="M{p} {ORIGIN}V{end}M{ORIGIN} {p}H{end}" stroke="#ffffff" '
                     'stroke-opacity="0.07" stroke-width="1"/>')
    parts.append('<path d="M186 124 C190 176 202 194 226 196" fill="none" stroke="#f28e2b" '
                 'stroke-width="14" stroke-linecap="round"/>')
    parts.append('</svg>')
    return "\n".join(parts) + "\n"


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QPainter needs one
    (ROOT / "resources" / "icons").mkdir(parents=True, exist_ok=True)
    path = ROOT / "resources" / "digitpad.svg"
    path.write_text(svg())
    renderer = QSvgRenderer(str(path))
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        image.save(str(ROOT / "resources" / "icons" / f"digitpad-{size}.png"))
    print(f"wrote {path} and {len(ICON_SIZES)} PNGs")


if __name__ == "__main__":
    main()
