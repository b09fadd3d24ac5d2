"""The bars of the nudges view: what one example wants of the outputs and of a hidden layer.

Both only paint what they are handed (core.example_wishes computes it): the output layer as grey
activation bars with an arrow −δ each, a hidden layer as one bar per neuron, up or down.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.example_wishes import arrow_scale
from digitpad.ui import theme
from digitpad.ui.tooltips import show_tooltip_for_part

OUTPUT_TIP = (
    "The output layer, one column per digit.\n"
    "Grey bar: what the output says now (its activation a, from 0 at the bottom to 1 at the top).\n"
    "Arrow: what this one example wants that output to do, −∂c/∂z (its \"wish\" −δ). The digit\n"
    "it really is should go up, every other digit down, each by as much as it is wrong: an\n"
    "output that is already nearly right hardly asks for anything.\n"
    "With the cross-entropy cost the arrow ends exactly where the output should be: 1 for the\n"
    "right digit, 0 for the others.\n"
    "Click a digit (or, with this part focused, press its key) to see that output's wishes\n"
    "alone, passed back through the layers below, and its three ways to change; click it again,\n"
    "\"all ten\" or Esc for the sum of the ten."
)


def small_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * 0.88))
    return small


class OutputWishes(QWidget):
    """Each digit's output a (a grey bar from 0 to 1) and the example's wish for it (an arrow
    from a towards a + k·wish), with the digits under them, the target in bold. A click on a
    digit's column says so (digit_clicked); the output shown alone stands out, the others fade."""

    digit_clicked = Signal(int)  # a click on a digit's column, or its key
    all_asked = Signal()  # Esc: all ten again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputWishes")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # its digit keys choose, for keyboards
        self.setAccessibleName("The ten outputs: press a digit to see its wishes alone")
        self._outputs = np.zeros(0)
        self._wishes = np.zeros(0)
        self._target = -1
        self._alone: int | None = None

    def set_wishes(self, outputs: np.ndarray, wishes: np.ndarray, target: int,
                   alone: int | None = None) -> None:
        """The activations, the wishes −δᴸ, the target, and the output shown alone (or None)."""
        self._outputs, self._wishes, self._target, self._alone = outputs, wishes, target, alone
        self.update()

    def digit_at(self, x: float) -> int | None:
        """The output whose column holds x, or None."""
        k = len(self._outputs)
        digit = int(x // (self.width() / k)) if k and self.width() else -1
        return digit if 0 <= digit < k else None

    def column(self, digit: int) -> QRectF:
        """Where output `digit` is drawn (its bar, arrow and label)."""
        width = self.width() / max(1, len(self._outputs))
        return QRectF(digit * width, 0, width, self.height())

    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        digit = self.digit_at(event.position().x())
        if event.button() == Qt.MouseButton.LeftButton and digit is not None and \
                self.rect().contains(event.position().toPoint()):
            self.digit_clicked.emit(digit)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        text = event.text()
        if len(text) == 1 and text.isdigit() and int(text) < len(self._outputs):
            self.digit_clicked.emit(int(text))
        elif event.key() == Qt.Key.Key_Escape and self._alone is not None:
            self.all_asked.emit()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().focusInEvent(event)
        self.update()  # the focus frame

    def focusOutEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().focusOutEvent(event)
        self.update()

    def tooltip_at(self, pos: QPointF) -> str:
        digit = self.digit_at(pos.x())
        if digit is None:
            return OUTPUT_TIP
        return (f"{OUTPUT_TIP}\n\nDigit {digit}: a = {self._outputs[digit]:.3f}, "
                f"wish −δ = {self._wishes[digit]:+.3f}")

    def event(self, event: QEvent) -> bool:
        return show_tooltip_for_part(self, event) or super().event(event)

    def sizeHint(self) -> QSize:
        return QSize(300, 120)

    def minimumSizeHint(self) -> QSize:
        return QSize(100, int(self.fontMetrics().height() * 3))

    def paintEvent(self, event: QPaintEvent) -> None:
        k = len(self._outputs)
        if not k:
            return
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        labels_height = QFontMetricsF(small_font(self.font())).height() * 1.3
        bars = QRectF(0, 1, self.width(), max(1.0, self.height() - labels_height - 1))
        # Faint lines at 0 and 1: where an output can go.
        painter.setPen(QPen(theme.text_color(palette, 40), 1))
        painter.drawLine(bars.topLeft(), bars.topRight())
        painter.drawLine(bars.bottomLeft(), bars.bottomRight())
        scale = arrow_scale(self._outputs, self._wishes)
        width = bars.width() / k
        bar = max(2.0, min(width * 0.16, 7.0))
        shaft = max(2.0, min(width * 0.2, 8.0))
        grey, more, less = (theme.text_color(palette, 110), theme.more_color(palette),
                            theme.less_color(palette))
        painter.setPen(Qt.PenStyle.NoPen)
        if self._alone is not None:  # a soft box behind the output shown alone
            painter.setBrush(theme.text_color(palette, 28))
            painter.drawRoundedRect(self.column(self._alone).adjusted(1, 0, -1, 0), 4, 4)
        for digit in range(k):
            centre = (digit + 0.5) * width
            a = float(self._outputs[digit])
            y0 = bars.bottom() - a * bars.height()
            painter.setBrush(grey)
            painter.drawRect(QRectF(centre - bar * 1.25, y0, bar, bars.bottom() - y0))
            wish = float(self._wishes[digit])
            y1 = bars.bottom() - min(1.0, max(0.0, a + scale * wish)) * bars.height()
            faded = self._alone is not None and digit != self._alone
            _arrow(painter, centre + shaft * 0.9, y0, y1, shaft,
                   _faded(more if wish > 0 else less, faded))

        bold = QFont(self.font())
        bold.setBold(True)
        for digit in range(k):
            rect = QRectF(digit * width, bars.bottom(), width, self.height() - bars.bottom())
            target = digit == self._target
            painter.setFont(bold if target else self.font())
            painter.setPen(more if target else theme.text_color(palette))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(digit))
        if self.hasFocus():  # where the digit keys go
            painter.setPen(QPen(palette.highlight().color(), 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()


class HiddenWishes(QWidget):
    """One bar per shown neuron of a hidden layer: up (more active) or down (less active),
    scaled so the largest wish of the layer is full height. Optionally a caret under one
    neuron with its name: the one whose weight nudge is drawn beside; and, when the bars are
    one output's wishes alone, the total of the ten as faint bars behind them (its part of it).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._values = np.zeros(0)
        self._shown = np.zeros(0, int)
        self._marked: int | None = None
        self._total: np.ndarray | None = None

    def set_wishes(self, values: np.ndarray, shown: np.ndarray, marked: int | None,
                   total: np.ndarray | None = None) -> None:
        """All −δ of the layer, the indices of those drawn, the neuron to mark (or None), and
        the total of the ten outputs' wishes when `values` are one output's alone (or None)."""
        if (marked is None) != (self._marked is None):
            self.updateGeometry()  # the marker's row comes or goes
        self._values, self._shown, self._marked, self._total = values, shown, marked, total
        self.update()

    def drawn(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The wishes drawn, left to right, and the total behind them (or None)."""
        shown = self._shown
        return self._values[shown].copy(), None if self._total is None else self._total[shown]

    def sizeHint(self) -> QSize:
        return QSize(300, 60)

    def minimumSizeHint(self) -> QSize:
        return QSize(100, int(self.fontMetrics().height() * (2.2 if self._marked is not None
                                                             else 1.0)))

    def _marker_height(self) -> float:
        return 0.0 if self._marked is None else QFontMetricsF(
            small_font(self.font())).height() * 1.2

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bars = QRectF(0, 0, self.width(), max(1.0, self.height() - self._marker_height()))
        mid = bars.center().y()
        painter.setPen(QPen(theme.text_color(palette, 40), 1))
        painter.drawLine(QPointF(bars.left(), mid), QPointF(bars.right(), mid))
        shown = self._shown
        if len(shown):
            biggest = float(np.abs(self._values).max(initial=0.0))
            if self._total is not None:  # one scale for the part and the whole
                biggest = max(biggest, float(np.abs(self._total[shown]).max(initial=0.0)))
            biggest = biggest or 1.0
            slot = bars.width() / len(shown)
            width = max(1.0, min(slot * 0.7, QFontMetricsF(self.font()).height() * 0.7))
            half = bars.height() / 2
            if self._total is not None:
                self._paint_total(painter, self._total[shown] / biggest, slot, width, mid, half)
            paint_signed_bars(painter, palette, self._values[shown] / biggest, slot, width, mid,
                              half)
            if self._marked is not None:
                i = int(np.searchsorted(shown, self._marked))
                self._paint_marker(painter, (i + 0.5) * slot, bars.bottom() + 1)
        painter.end()

    def _paint_total(self, painter: QPainter, scaled: np.ndarray, slot: float, width: float,
                     mid: float, half: float) -> None:
        """The ten outputs' total, a little wider than the bars and faint: behind each bar of
        one output's wish, the whole it is a part of."""
        wide = min(slot * 0.95, width * 1.6)
        rects = [QRectF((i + 0.5) * slot - wide / 2, mid - max(value, 0.0) * half, wide,
                        max(abs(value) * half, 0.5))
                 for i, value in enumerate(scaled.tolist())]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.text_color(self.palette(), 45))
        painter.drawRects(rects)

    def _paint_marker(self, painter: QPainter, x: float, y: float) -> None:
        """A caret under the marked neuron, and its name (counted from 1) beside it."""
        colour = theme.text_color(self.palette())
        size = QFontMetricsF(self.font()).height() * 0.45
        path = QPainterPath(QPointF(x, y))
        path.lineTo(QPointF(x - size * 0.6, y + size))
        path.lineTo(QPointF(x + size * 0.6, y + size))
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPath(path)
        font = small_font(self.font())
        words = f"neuron {self._marked + 1}"
        metrics = QFontMetricsF(font)
        width, height = metrics.horizontalAdvance(words) + 2, metrics.height()
        painter.setFont(font)
        painter.setPen(colour)
        if x + size + width <= self.width():
            painter.drawText(QRectF(x + size, y, width, height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), words)
        else:  # no room on the right: the name goes to the left of the caret
            painter.drawText(QRectF(x - size - width, y, width, height),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             words)


def _faded(colour: QColor, faded: bool) -> QColor:
    """The colour, or a see-through version of it for the outputs not shown alone."""
    if faded:
        colour = QColor(colour)
        colour.setAlpha(70)
    return colour


def _arrow(painter: QPainter, x: float, y0: float, y1: float, shaft: float,
           colour: QColor) -> None:
    """A vertical arrow from y0 to y1 (its tip), `shaft` wide; nothing when very short."""
    length = abs(y1 - y0)
    if length < 0.75:
        return
    direction = -1.0 if y1 < y0 else 1.0
    head = min(length, shaft * 1.6)
    half = shaft * 1.1
    neck = y1 - direction * head
    painter.setBrush(colour)
    if length > head:
        painter.drawRect(QRectF(x - shaft / 2, min(y0, neck), shaft, abs(neck - y0)))
    path = QPainterPath(QPointF(x, y1))
    path.lineTo(QPointF(x - half, neck))
    path.lineTo(QPointF(x + half, neck))
    path.closeSubpath()
    painter.drawPath(path)


def paint_signed_bars(painter: QPainter, palette: QPalette, scaled: np.ndarray, slot: float,
                      width: float, mid: float, half: float) -> None:
    """Bars for values in [−1, 1], bar i centred in slot i from the left: up from the line at
    `mid` in the palette's "more" colour, down in its "less" colour, a whole one `half` high.
    One drawRects call per colour, not one drawRect per bar."""
    up, down = [], []
    for i, value in enumerate(scaled.tolist()):
        height, x = min(1.0, abs(value)) * half, (i + 0.5) * slot - width / 2
        if value > 0:
            up.append(QRectF(x, mid - height, width, height))
        else:
            down.append(QRectF(x, mid, width, max(height, 0.5)))
    painter.setPen(Qt.PenStyle.NoPen)
    for rects, colour in ((up, theme.more_color(palette)), (down, theme.less_color(palette))):
        if rects:
            painter.setBrush(colour)
            painter.drawRects(rects)
