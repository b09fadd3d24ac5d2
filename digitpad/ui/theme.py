"""Colours for the plots, taken from the widget palette so light and dark themes both work.

pyqtgraph draws with its own colours (black background by default); these helpers give its
background, axes and text the palette's colours, and pick line colours that read well on either.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
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


def add_legend_below(item: pg.PlotItem, columns: int) -> pg.LegendItem:
    """A legend in its own row under the plot, where it never hides a curve."""
    legend = pg.LegendItem(colCount=columns, labelTextSize="9pt", verSpacing=-6)
    # PlotItem's layout: row 0 title, 1 top axis, 2 the view, 3 bottom axis. Row 4 is free.
    item.layout.addItem(legend, 4, 1)
    item.legend = legend  # plot(name=...) adds its curve here
    return legend
