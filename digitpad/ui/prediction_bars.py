"""Ten horizontal bars, one per digit: the network's output activations for the current drawing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

DIGITS = 10


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """The colour a fraction t of the way from a to b."""
    return QColor.fromRgbF(
        a.redF() + t * (b.redF() - a.redF()),
        a.greenF() + t * (b.greenF() - a.greenF()),
        a.blueF() + t * (b.blueF() - a.blueF()),
    )


class PredictionBars(QWidget):
    """Digits 0–9 top to bottom, each with a bar as long as its output activation.

    The largest output, the network's answer, is drawn in the palette's highlight colour.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setToolTip(
            "The network's ten outputs, one per digit, for your drawing: how strongly it "
            "believes each digit is the one you drew.\nThe highlighted bar is its answer."
        )
        self._p: np.ndarray | None = None

    def set_probabilities(self, p: np.ndarray | Sequence[float] | None) -> None:
        """Show ten output activations in [0, 1] (e.g. softmax probabilities); None empties the
        bars. Values outside [0, 1] are clipped, non-finite ones shown as 0."""
        if p is not None:
            p = np.array(p, dtype=np.float64).reshape(-1)
            if p.shape != (DIGITS,):
                raise ValueError(f"expected {DIGITS} values, got {p.size}")
            p = np.clip(np.nan_to_num(p, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
        self._p = p
        if p is None:
            self.setAccessibleDescription("no prediction")
        else:
            self.setAccessibleDescription(f"predicts {int(np.argmax(p))}")
        self.update()

    def probabilities(self) -> np.ndarray | None:
        """The values shown (after clipping), or None."""
        return None if self._p is None else self._p.copy()

    def top_digit(self) -> int | None:
        """The highlighted digit, or None when the bars are empty."""
        return None if self._p is None else int(np.argmax(self._p))

    # --- geometry ---------------------------------------------------------------------------

    def _row_height(self) -> float:
        return self.height() / DIGITS

    def _label_width(self) -> float:
        return self.fontMetrics().horizontalAdvance("0") * 2.2

    def _value_width(self) -> float:
        return self.fontMetrics().horizontalAdvance("100%") * 1.25

    def bar_rect(self, digit: int) -> QRectF:
        """The track of digit's bar (a full bar fills it), in widget coordinates."""
        row = self._row_height()
        thickness = min(row * 0.62, self.fontMetrics().height() * 1.1)
        left = self._label_width()
        width = max(1.0, self.width() - left - self._value_width())
        return QRectF(left, digit * row + (row - thickness) / 2, width, thickness)

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("0") * 28, 10 * (self._line() + 10))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("0") * 14, 10 * (self._line() + 2))

    def _line(self) -> int:
        return self.fontMetrics().height()

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        window = palette.color(QPalette.ColorRole.Window)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        track = _mix(window, text, 0.08)
        bar = _mix(window, text, 0.45)
        quiet = _mix(window, text, 0.7)  # the other digits' percentages, a step back
        top = self.top_digit()

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold = QFont(self.font())
        bold.setBold(True)
        row = self._row_height()
        for digit in range(DIGITS):
            is_top = digit == top
            rect = self.bar_rect(digit)
            radius = min(rect.height() / 2, 4.0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(rect, radius, radius)
            if self._p is not None and self._p[digit] > 0:
                filled = QRectF(
                    rect.topLeft(),
                    QPointF(rect.left() + rect.width() * float(self._p[digit]), rect.bottom()),
                )
                painter.setBrush(highlight if is_top else bar)
                # Tiny values still show a sliver, but never wider than they deserve.
                painter.drawRoundedRect(filled, min(radius, filled.width() / 2), radius)

            painter.setFont(bold if is_top else self.font())
            painter.setPen(highlight if is_top else text)
            label = QRectF(0, digit * row, self._label_width(), row)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, str(digit))
            if self._p is not None:
                painter.setPen(highlight if is_top else quiet)
                value = QRectF(rect.right(), digit * row, self._value_width(), row)
                painter.drawText(
                    value,
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"{100 * self._p[digit]:.0f}%",
                )
        painter.end()
