"""What each neuron of the first layer has learned to look for: its weights, drawn as a picture.

Neuron j of layer 1 computes a weighted sum of the 784 pixels, so its 784 incoming weights
(column j of Network.weights[0]) fit back on the 28×28 grid: a pixel with a large positive weight
pushes the neuron on when it is inked, a negative one holds it back. Each neuron becomes one
small square, red where ink excites it and blue where ink inhibits it.

The widget only draws: core.neuron_tiles makes the tiles when show_network() is given another
network object (and the widget is visible), never while painting.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.network import Network
from digitpad.core.neuron_tiles import NeuronTiles, neuron_tiles
from digitpad.ui import theme
from digitpad.ui.frame import Frame
from digitpad.ui.inspector import InspectorView
from digitpad.ui.tooltips import show_tooltip_for_part

# A weight's sign picks the hue, its size (relative to the tile's largest) how far from the
# paper colour it goes: theme.diverging_rgb, the same scale as the nudges view.
EXCITE_WORD, INHIBIT_WORD = theme.MORE_WORD, theme.LESS_WORD

_GAP = 4.0  # pixels between tiles
_MARGIN = 8.0


def tile_strip(tiles: np.ndarray, palette: QPalette) -> QImage:
    """All tiles stacked top to bottom in one RGB image, one pixel per weight, on the theme's
    diverging scale (the paper colour at 0, "more" at +1, "less" at -1)."""
    k, side, _ = tiles.shape
    return theme.rgb_image(theme.diverging_rgb(tiles.reshape(k * side, side), palette))


class WeightsView(InspectorView):
    """A grid of small squares, one per neuron of layer 1: the weights from the pixels into it."""

    title = "Layer 1 weights"
    tooltip = "What each neuron of the first layer has learned to look for"
    refresh_hz = 2.0  # the pictures change slowly, and drawing them is not free

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("weightsView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._network: Network | None = None
        self._tiles: NeuronTiles | None = None
        self._problem: str | None = None  # why the weights cannot be drawn as pictures
        self._strip: QImage | None = None  # the tiles in the palette's colours
        self._strip_stale = False  # the palette changed since _strip was made
        self._layout_cache: _Layout | None = None
        self.setAccessibleName("Weights into layer 1")

    # ---- input ----------------------------------------------------------------------------

    def show_frame(self, frame: Frame) -> None:
        self.show_network(frame.network)

    def show_network(self, network: Network | None) -> None:
        """Show the first layer's weights of `network` (None: nothing). Calling again with the same
        object does nothing; the tiles are computed when the widget is visible."""
        if network is not self._network:
            self._network = network
            self.input_changed()

    def network(self) -> Network | None:
        return self._network

    # ---- read-only accessors (for tests and automation) ---------------------------------------

    def tile_count(self) -> int:
        """How many neurons are shown (at most MAX_TILES)."""
        self.ensure_current()
        return 0 if self._tiles is None else len(self._tiles)

    def tiles(self) -> np.ndarray | None:
        """A copy of the shown tiles, (k, 28, 28): tile j is network.weights[0][:, j] as an image,
        divided by its largest |w|. None when nothing is shown."""
        self.ensure_current()
        return None if self._tiles is None else self._tiles.images.copy()

    def caption_text(self) -> str:
        """The explanation shown beside the tiles (or the reason there are none)."""
        self.ensure_current()
        return " ".join(self._caption())

    def tile_rect(self, j: int) -> QRectF:
        """Where tile j is drawn, in widget coordinates."""
        self.ensure_current()
        return self._layout().tiles[j]

    def tooltip_at(self, pos: QPointF) -> str:
        """The tooltip for a point of the widget: about a neuron over its tile, else the caption."""
        self.ensure_current()
        for j, rect in enumerate(self._layout().tiles):
            if rect.contains(pos):
                low, high = float(self._tiles.low[j]), float(self._tiles.high[j])
                biggest = max(abs(low), abs(high))
                return (f"Neuron {j + 1} of layer 1: weights from {low:+.2f} to {high:+.2f}.\n"
                        f"Full {EXCITE_WORD} is +{biggest:.2f}, full {INHIBIT_WORD} "
                        f"−{biggest:.2f} (this square's own scale).")
        return " ".join(self._caption())

    # ---- computing the tiles (when the network changes, never in paintEvent) -------------------

    def ensure_current(self) -> None:
        super().ensure_current()
        if self._strip_stale:
            self._make_strip()

    def refresh(self) -> None:
        self._tiles, self._problem = None, None
        net = self._network
        if net is not None:
            try:
                self._tiles = neuron_tiles(net.weights[0])
            except ValueError:
                self._problem = (f"Layer 1 reads {net.sizes[0]} inputs, which do not make a "
                                 "square image, so its weights cannot be drawn as pictures.")
        self._layout_cache = None
        self._make_strip()
        self.update()

    def _make_strip(self) -> None:
        self._strip_stale = False
        if self._tiles is None or len(self._tiles) == 0:
            self._strip = None
            return
        self._strip = tile_strip(self._tiles.images, self.palette())

    # ---- text and geometry ------------------------------------------------------------------

    def _caption(self) -> tuple[str, str, str]:
        """(heading, body, small print)."""
        net = self._network
        if net is None:
            return ("What layer 1 looks for", "The weights appear here once there is a network.",
                    "")
        if self._problem:
            return ("What layer 1 looks for", self._problem, "")
        inputs = net.sizes[0]
        output = len(net.sizes) == 2
        into = "one output neuron (one per digit)" if output else "one neuron of layer 1"
        body = (f"Each square: the weights from the {inputs} pixels into {into} — "
                f"{EXCITE_WORD} pixels excite it, {INHIBIT_WORD} ones inhibit it.")
        small = "Each square has its own colour scale: its strongest weight is full colour."
        if self._tiles.neurons > len(self._tiles):
            small = f"The first {len(self._tiles)} of {self._tiles.neurons} neurons. " + small
        heading = "What the output neurons look for" if output else "What layer 1 looks for"
        return heading, body, small

    def _fonts(self) -> tuple[QFont, QFont]:
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.9))
        return bold, small

    def _layout(self) -> _Layout:
        """Where the tiles and the caption go: worked out once per size, font and tile count."""
        n = 0 if self._tiles is None else len(self._tiles)
        key = (self.width(), self.height(), self.font().key(), n, self._caption())
        if self._layout_cache is None or self._layout_cache.key != key:
            self._layout_cache = self._compute_layout(key, n)
        return self._layout_cache

    def _compute_layout(self, key: tuple, n: int) -> _Layout:
        w, h, m = float(self.width()), float(self.height()), _MARGIN
        area = QRectF(m, m, max(1.0, w - 2 * m), max(1.0, h - 2 * m))
        heading, body, small = self._caption()
        if n == 0:
            text = self._text_block(area.width(), heading, body, small)
            top = area.top() + max(0.0, (area.height() - text.height) / 2)
            return _Layout(key, [], QRectF(area.left(), top, area.width(), text.height), text)

        best = None
        # Caption beside the grid (wide widgets) or under it (tall ones): the larger tiles win.
        side_width = min(max(170.0, area.width() * 0.34), 260.0)
        beside = self._text_block(side_width, heading, body, small, legend=True)
        below = self._text_block(area.width(), heading, body, small, legend=True)
        options = [
            ("beside", QRectF(area.left(), area.top(), area.width() - side_width - 2 * m,
                              area.height()), beside),
            ("below", QRectF(area.left(), area.top(), area.width(),
                             area.height() - below.height - m), below),
        ]
        for where, grid_area, text in options:
            if grid_area.width() < 1 or grid_area.height() < 1:
                continue
            cols, rows, tile = _grid_shape(n, grid_area.width(), grid_area.height())
            # A grid with empty places looks unfinished: it has to earn them with larger tiles.
            score = tile * (1.0 if cols * rows == n else 0.85)
            if best is None or score > best[0]:
                best = (score, where, grid_area, text, cols, rows, tile)
        if best is None:  # far too small for anything: tiles of one pixel, caption hidden
            return _Layout(key, [QRectF(m, m, 1, 1)] * n, QRectF(), self._text_block(1, "", "", ""))
        _, where, grid_area, text, cols, rows, tile = best
        grid_w, grid_h = cols * tile + (cols - 1) * _GAP, rows * tile + (rows - 1) * _GAP
        if where == "beside":
            total = grid_w + 2 * m + side_width
            left = area.left() + max(0.0, (area.width() - total) / 2)
            top = area.top() + (area.height() - grid_h) / 2
            caption_top = area.top() + max(0.0, (area.height() - text.height) / 2)
            caption = QRectF(left + grid_w + 2 * m, caption_top, side_width, text.height)
        else:
            left = area.left() + (area.width() - grid_w) / 2
            top = area.top() + max(0.0, (area.height() - grid_h - m - text.height) / 2)
            caption = QRectF(area.left(), top + grid_h + m, area.width(), text.height)
        tiles = [QRectF(left + (j % cols) * (tile + _GAP), top + (j // cols) * (tile + _GAP),
                        tile, tile) for j in range(n)]
        return _Layout(key, tiles, caption, text)

    def _text_block(self, width: float, heading: str, body: str, small: str,
                    legend: bool = False) -> _Text:
        bold, little = self._fonts()
        flags = int(Qt.TextFlag.TextWordWrap)
        spacing = QFontMetricsF(self.font()).height() * 0.4
        heights = []
        for font, text in ((bold, heading), (self.font(), body), (little, small)):
            if text:
                bound = QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 1e6), flags, text)
                heights.append(math.ceil(bound.height()))
            else:
                heights.append(0.0)
        legend_height = QFontMetricsF(little).height() * 2.4 if legend else 0.0
        parts = [hh for hh in heights if hh] + ([legend_height] if legend else [])
        total = sum(parts) + spacing * max(0, len(parts) - 1)
        return _Text(width, heights, legend_height, spacing, total)

    # ---- Qt ---------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(560, 380)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 200)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.PaletteChange:
            # The tiles' colours come from the palette: new colours now, or when next shown.
            self._strip_stale = True
            if self.isVisible():
                self.ensure_current()
                self.update()
        elif kind == QEvent.Type.FontChange:
            self._layout_cache = None
            self.update()

    def event(self, event: QEvent) -> bool:
        return show_tooltip_for_part(self, event) or super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.ensure_current()  # only if it was hidden when the network came: normally a no-op
        layout = self._layout()
        palette = self.palette()
        painter = QPainter(self)
        if self._strip is not None:
            side = self._strip.width()
            frame = theme.text_color(palette, 60)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            for j, rect in enumerate(layout.tiles):
                painter.drawImage(rect, self._strip, QRectF(0, j * side, side, side))
            painter.setPen(QPen(frame, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in layout.tiles:
                painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        self._paint_caption(painter, layout)
        painter.end()

    def _paint_caption(self, painter: QPainter, layout: _Layout) -> None:
        if layout.caption.isEmpty():
            return
        palette = self.palette()
        heading, body, small = self._caption()
        bold, little = self._fonts()
        text = layout.text
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        if self._tiles is None or len(self._tiles) == 0:
            flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignHCenter)
        y = layout.caption.top()
        x, width = layout.caption.left(), layout.caption.width()
        colours = (theme.text_color(palette), theme.text_color(palette),
                   theme.text_color(palette, 170))
        for font, words, height, colour in zip((bold, self.font(), little), (heading, body, small),
                                               text.heights, colours):
            if not words:
                continue
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QRectF(x, y, width, height), flags, words)
            y += height + text.spacing
        if text.legend_height:
            self._paint_legend(painter, QRectF(x, y, width, text.legend_height), little)

    def _paint_legend(self, painter: QPainter, rect: QRectF, font: QFont) -> None:
        """A colour bar from full inhibition through zero to full excitation, labelled."""
        palette = self.palette()
        metrics = QFontMetricsF(font)
        bar_width = min(rect.width(), 200.0)
        bar = QRectF(rect.left(), rect.top() + 2, bar_width, rect.height() - metrics.height() - 4)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        # The very colours of the tiles, from -1 to +1.
        ramp = theme.diverging_rgb(np.linspace(-1, 1, 21), palette)
        for i, (r, g, b) in enumerate(ramp.tolist()):
            gradient.setColorAt(i / 20, QColor(r, g, b))
        painter.setPen(QPen(theme.text_color(palette, 60), 1))
        painter.setBrush(gradient)
        painter.drawRect(bar)
        painter.setFont(font)
        painter.setPen(theme.text_color(palette, 190))
        labels = QRectF(bar.left(), bar.bottom() + 2, bar.width(), metrics.height())
        painter.drawText(labels, int(Qt.AlignmentFlag.AlignLeft), "− inhibits")
        painter.drawText(labels, int(Qt.AlignmentFlag.AlignHCenter), "0")
        painter.drawText(labels, int(Qt.AlignmentFlag.AlignRight), "excites +")


def _grid_shape(n: int, width: float, height: float) -> tuple[int, int, float]:
    """(columns, rows, tile side) of the grid of n square tiles with the largest tiles that fits
    in width × height; among equal tiles the one with fewest empty places."""
    best = (1, n, 0.0)
    best_key = (-1.0, 0)
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        tile = min((width - (cols - 1) * _GAP) / cols, (height - (rows - 1) * _GAP) / rows)
        tile = math.floor(max(tile, 1.0))
        key = (tile * (1.0 if cols * rows == n else 0.85), -(cols * rows - n))
        if key > best_key:
            best, best_key = (cols, rows, float(tile)), key
    return best


class _Text(NamedTuple):
    width: float
    heights: list[float]  # heading, body, small print (0 when absent)
    legend_height: float
    spacing: float
    height: float


class _Layout(NamedTuple):
    key: tuple
    tiles: list[QRectF]  # where each neuron's square goes
    caption: QRectF  # where the caption goes (empty when there is no room)
    text: _Text
