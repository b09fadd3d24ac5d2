"""The middle column of the nudges view: one output neuron's three ways to change.

Output neuron j, aⱼ = σ(Σₖ aₖ wₖⱼ + bⱼ), can be helped by its bias, by its incoming weights and
by the activations before it (core.neuron_wishes computes the three). Each way is a row of bars,
the largest wish first, all three on one scale so they compare. Under each weight's bar, how
bright the neuron before it is (why that weight matters: "fire together, wire together"); under
each activation's bar, the weight it goes through (why that activation matters).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from digitpad.core.neuron_wishes import ThreeWays
from digitpad.ui import theme
from digitpad.ui.quiet_label import QuietLabel
from digitpad.ui.tooltips import show_tooltip_for_part
from digitpad.ui.wish_bars import paint_signed_bars

MAX_RANKED = 24
"""Bars per way: the largest wishes. More would be too thin to read in the view's column."""

WAYS_TIP = (
    "An output neuron computes a = σ(w₁a₁ + … + wₘaₘ + b) from the activations a₁ … aₘ of the\n"
    "layer before it. Three things can move it the way this example wants:\n"
    "① its bias b: ∂c/∂b = δ;\n"
    "② its weights: ∂c/∂wₖ = aₖ·δ, largest from the brightest neurons before it. Neurons that\n"
    "   fire together wire together: the connections to what is lit for this digit grow most;\n"
    "③ the activations before it: ∂c/∂aₖ = wₖ·δ, largest through the largest weights. They\n"
    "   cannot be set directly: this wish is passed back to the layer before (times σ′), and\n"
    "   added to the other nine outputs' wishes there.\n"
    "Bars show the wishes −∂c/∂θ, the largest first, all on one scale: the most bang for the buck."
)


class ThreeWaysPanel(QWidget):
    """A title naming the neuron and three captioned rows of ranked bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threeWays")
        self.setToolTip(WAYS_TIP)
        self._title = QLabel()
        self._title.setObjectName("threeWaysTitle")
        self._title.setWordWrap(True)
        self.bias, self.weights, self.activations = RankedBars(), RankedBars(), RankedBars()
        self._captions = [QuietLabel(alpha=200, scale=0.88) for _ in range(3)]
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(int(self.fontMetrics().height() * 0.15))
        column.addWidget(self._title)
        bias_row = QHBoxLayout()  # one bar: beside its caption, not under it
        bias_row.addWidget(self._captions[0])
        bias_row.addWidget(self.bias, 1)
        column.addLayout(bias_row, 1)
        for caption, bars in zip(self._captions[1:], (self.weights, self.activations)):
            caption.setWordWrap(True)
            column.addWidget(caption)
            column.addWidget(bars, 3)

    def set_ways(self, ways: ThreeWays, before: str) -> None:
        """Output `ways.neuron`'s three ways; `before` names the layer before it ("layer 2")."""
        j, palette = ways.neuron, self.palette()
        direction = "up" if ways.bias > 0 else "down"
        self._title.setText(f"<b>Output {j}</b>: three ways to go {direction}")
        scale = ways.biggest or 1.0
        slots = min(MAX_RANKED, len(ways.weights))
        self.bias.set_bars(np.array([ways.bias]), [None], scale, 1,
                           [f"The bias of output {j}: its wish −δ = {ways.bias:+.3g}"])
        top = ways.weights_ranked[:slots]
        brightness = ways.before / max(1.0, float(np.abs(ways.before).max(initial=0.0)))
        self.weights.set_bars(
            ways.weights[top], [_grey(abs(brightness[k])) for k in top], scale, slots,
            [f"The weight from {_neuron(k, before)} to output {j}: that neuron is at "
             f"a = {ways.before[k]:.3g}, so the wish −a·δ = {ways.weights[k]:+.3g}" for k in top])
        top = ways.activations_ranked[:slots]
        strength = ways.connections / (float(np.abs(ways.connections).max(initial=0.0)) or 1.0)
        colours = theme.diverging_rgb(strength[top], palette)
        self.activations.set_bars(
            ways.activations[top], [QColor(*map(int, rgb)) for rgb in colours], scale, slots,
            [f"{_neuron(k, before).capitalize()}: its weight to output {j} is "
             f"w = {ways.connections[k]:+.3g}, so the wish −w·δ = {ways.activations[k]:+.3g}"
             for k in top])
        count = len(ways.weights)
        some = "" if slots == count else f" ({slots} largest of {count})"
        self._captions[0].setText(f"① its bias {_signed(ways.bias)}")
        self._captions[1].setText(f"② its weights from {before}{some}, most from bright "
                                  "neurons ▪: fire together, wire together")
        self._captions[2].setText(f"③ the activations in {before}{some}, most through large "
                                  "weights ▪")


    def captions(self) -> list[str]:
        """The title and the three ways' captions (for tests and automation)."""
        return [self._title.text(), *(caption.text() for caption in self._captions)]


def _signed(value: float) -> str:
    """+0.12 or −0.057: a true minus sign, as in the other captions."""
    return f"{value:+.2g}".replace("-", "−")


def _neuron(k: int, before: str) -> str:
    """Neuron k (counted from 1, as in the other views) of the layer before."""
    return f"pixel {k + 1}" if before == "the pixels" else f"neuron {k + 1} of {before}"


def _grey(brightness: float) -> QColor:
    """A neuron's brightness as in the video: black when silent, white when it fires."""
    level = int(round(255 * min(1.0, max(0.0, brightness))))
    return QColor(level, level, level)


class RankedBars(QWidget):
    """Bars up (more, red) or down (less, blue) from a midline, on a scale shared with the other
    ways, in `slots` equal slots from the left; under each bar an optional swatch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._values = np.zeros(0)
        self._swatches: list[QColor | None] = []
        self._scale, self._slots = 1.0, 1
        self._tips: list[str] = []

    def set_bars(self, values: np.ndarray, swatches: list[QColor | None], scale: float,
                 slots: int, tips: list[str]) -> None:
        self._values, self._swatches, self._tips = values, swatches, tips
        self._scale, self._slots = scale, max(1, slots)
        self.update()

    def values(self) -> np.ndarray:
        """The wishes drawn, left to right (for tests and automation)."""
        return self._values.copy()

    def tooltip_at(self, pos: QPointF) -> str:
        i = int(pos.x() // (self.width() / self._slots))
        return self._tips[i] if 0 <= i < len(self._tips) else WAYS_TIP

    def event(self, event: QEvent) -> bool:
        return show_tooltip_for_part(self, event) or super().event(event)

    def sizeHint(self) -> QSize:
        return QSize(200, int(self.fontMetrics().height() * 2.5))

    def minimumSizeHint(self) -> QSize:
        return QSize(60, int(self.fontMetrics().height() * 1.4))

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        swatch = QFontMetricsF(self.font()).height() * 0.45 if any(self._swatches) else 0.0
        bars = QRectF(0, 1, self.width(), max(1.0, self.height() - swatch - 4))
        # The zero line: in the middle when the wishes go both ways, else at the edge they
        # leave from, so bars of one sign (as a weight's often are) get the whole height.
        values = self._values
        if np.all(values >= 0):
            mid, half = bars.bottom(), bars.height()
        elif np.all(values <= 0):
            mid, half = bars.top(), bars.height()
        else:
            mid, half = bars.center().y(), bars.height() / 2
        painter.setPen(QPen(theme.text_color(palette, 40), 1))
        painter.drawLine(QPointF(bars.left(), mid), QPointF(bars.right(), mid))
        slot = bars.width() / self._slots
        width = max(1.0, min(slot * 0.7, QFontMetricsF(self.font()).height() * 0.8))
        paint_signed_bars(painter, palette, values / self._scale, slot, width, mid, half)
        if swatch:
            painter.setPen(QPen(theme.text_color(palette, 60), 1))
            for i, colour in enumerate(self._swatches):
                painter.setBrush(colour)
                painter.drawRect(QRectF((i + 0.5) * slot - width / 2, self.height() - swatch - 1,
                                        width, swatch))
        painter.end()
