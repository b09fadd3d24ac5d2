"""Colours for the plots, taken from the widget palette so light and dark themes both work.

pyqtgraph draws with its own colours (black background by default); these helpers give its
background, axes and text the palette's colours, and pick line colours that read well on either.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QGraphicsItem

# Colour-blind-friendly hues of medium lightness (Tableau 10): visible on white and on near-black.
SERIES = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948")
# The same hues, lighter, for dark backgrounds where the darker ones lose contrast.
SERIES_ON_DARK = ("#7aa6db", "#ffa64d", "#7ccf6f", "#ff8082", "#d9a3cc", "#8fd6d0", "#f5dc6b")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def series_color(palette: QPalette, index: int) -> QColor:
    colors = SERIES_ON_DARK if is_dark(palette) else SERIES
    return QColor(colors[index % len(colors)])


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """The colour a fraction t of the way from a to b."""
    return QColor.fromRgbF(*(x + t * (y - x) for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3])))


def text_color(palette: QPalette, alpha: int = 255) -> QColor:
    color = QColor(palette.color(QPalette.ColorRole.WindowText))
    color.setAlpha(alpha)
    return color


# Red for "more" (a weight that excites, an output or neuron to raise, a weight to strengthen),
# blue for "less". Red and blue differ in lightness and on the blue-yellow axis, so they stay
# apart for most colour-blind eyes; the captions name them. Lighter versions on dark themes.
MORE_WORD, LESS_WORD = "red", "blue"


def more_color(palette: QPalette) -> QColor:
    return QColor("#ff6b5e") if is_dark(palette) else QColor("#c0392b")


def less_color(palette: QPalette) -> QColor:
    return QColor("#5fa8ff") if is_dark(palette) else QColor("#1f5fae")


def diverging_rgb(t: np.ndarray, palette: QPalette) -> np.ndarray:
    """uint8 RGB colours, shape t.shape + (3,), for values t in [-1, 1]: the palette's Base
    colour at 0, more_color at +1, less_color at -1."""
    z = np.array(palette.color(QPalette.ColorRole.Base).getRgb()[:3], np.float32)
    pos = np.array(more_color(palette).getRgb()[:3], np.float32) - z
    neg = np.array(less_color(palette).getRgb()[:3], np.float32) - z
    t = np.nan_to_num(np.asarray(t, np.float32))[..., None]
    # A little more colour for middling values (|t|^0.75) than a straight ramp gives: most of
    # them are far smaller than the largest, and would all look like paper.
    rgb = z + np.where(t >= 0, pos, neg) * np.minimum(np.abs(t), 1) ** np.float32(0.75)
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)


def rgb_image(rgb: np.ndarray) -> QImage:
    """A (rows, cols, 3) uint8 array as a QImage that owns its pixels."""
    rows, cols, _ = rgb.shape
    rgb = np.ascontiguousarray(rgb)
    # copy(): the QImage must own its pixels, not borrow the NumPy buffer.
    return QImage(rgb.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888).copy()


def warning_color(palette: QPalette) -> QColor:
    """Amber: readable as text on the window background in both themes."""
    return QColor("#f0b429") if is_dark(palette) else QColor("#9a5b00")


def style_plot(plot: pg.PlotWidget, palette: QPalette) -> None:
    """Give a PlotWidget the palette's background, axis and label colours."""
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    item = plot.getPlotItem()
    axis_pen = pg.mkPen(text_color(palette, 150), width=1)
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(axis_pen)
        axis.setTextPen(text_color(palette, 220))
        # Keep each axis (with its grid lines and labels) as a ready-made image: the curves
        # change every frame, the axes only when the range does, and replaying them is the
        # most expensive part of a frame otherwise.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    item.titleLabel.setAttr("color", text_color(palette).name())
    item.titleLabel.setText(item.titleLabel.text)  # re-render with the new colour
    # Horizontal grid lines only: they are what you read values against, and every grid line
    # is redrawn on every frame, so half of them is a real saving.
    grid_alpha = 0.12 if is_dark(palette) else 0.18
    item.showGrid(x=False, y=True, alpha=grid_alpha)
    legend = item.legend
    if legend is not None:
        legend.setPen(pg.mkPen(text_color(palette, 40)))
        legend.setLabelTextColor(text_color(palette))
        for _, label in legend.items:  # setLabelTextColor only notes it: draw them anew
            label.setText(label.text)


def add_legend_below(item: pg.PlotItem, columns: int) -> pg.LegendItem:
    """A legend in its own row under the plot, where it never hides a curve."""
    legend = pg.LegendItem(colCount=columns, labelTextSize="9pt", verSpacing=-6)
    # PlotItem's layout: row 0 title, 1 top axis, 2 the view, 3 bottom axis. Row 4 is free.
    item.layout.addItem(legend, 4, 1)
    item.legend = legend  # plot(name=...) adds its curve here
    return legend
