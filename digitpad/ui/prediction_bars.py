"""Ten horizontal bars, one per digit: the network's output activations for the current drawing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
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
        self._look: tuple | None = None  # what the bars show, to skip repaints that change nothing
        self._layout_cache: _Layout | None = None
        self.setAccessibleDescription("no prediction")

    def set_probabilities(self, p: np.ndarray | Sequence[float] | None) -> None:
        """Show ten output activations in [0, 1] (e.g. softmax probabilities); None empties the
        bars. Values outside [0, 1] are clipped, non-finite ones shown as 0."""
        if p is not None:
            p = np.array(p, dtype=np.float64).reshape(-1)
            if p.shape != (DIGITS,):
                raise ValueError(f"expected {DIGITS} values, got {p.size}")
            p = np.clip(np.nan_to_num(p, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
        self._p = p
        # Repaint only when the picture changes: bar ends to a thousandth of their length (well
        # under a pixel), the percentages and the highlighted digit. While training, the outputs
        # change a little with every step; most of those changes are invisible.
        look = None if p is None else (int(np.argmax(p)), *np.rint(p * 1000).astype(int).tolist())
        if look != self._look:
            self._look = look
            self.setAccessibleDescription(
                "no prediction" if look is None else f"predicts {look[0]}")
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
        return self._layout().tracks[digit]

    def _layout(self) -> _Layout:
        """Where everything goes, worked out once per size and font (not on every repaint)."""
        key = (self.width(), self.height(), self.font().key())
        if self._layout_cache is None or self._layout_cache.key != key:
            row = self._row_height()
            thickness = min(row * 0.62, self.fontMetrics().height() * 1.1)
            left, value_width = self._label_width(), self._value_width()
            width = max(1.0, self.width() - left - value_width)
            tracks = [QRectF(left, d * row + (row - thickness) / 2, width, thickness)
                      for d in range(DIGITS)]
            labels = [QRectF(0, d * row, left, row) for d in range(DIGITS)]
            values = [QRectF(left + width, d * row, value_width, row) for d in range(DIGITS)]
            self._layout_cache = _Layout(key, tracks, labels, values)
        return self._layout_cache

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
        layout = self._layout()
        bold = QFont(self.font())
        bold.setBold(True)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        radius = min(layout.tracks[0].height() / 2, 4.0)
        for rect in layout.tracks:
            painter.drawRoundedRect(rect, radius, radius)
        if self._p is not None:
            for digit, rect in enumerate(layout.tracks):
                if self._p[digit] > 0:
                    filled = QRectF(rect.left(), rect.top(),
                                    rect.width() * float(self._p[digit]), rect.height())
                    painter.setBrush(highlight if digit == top else bar)
                    # Tiny values still show a sliver, but never wider than they deserve.
                    painter.drawRoundedRect(filled, min(radius, filled.width() / 2), radius)

        # The labels, the top digit's last (in bold): two font changes, not twenty.
        painter.setPen(text)
        for digit, rect in enumerate(layout.labels):
            if digit != top:
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(digit))
        if self._p is not None:
            painter.setPen(quiet)
            for digit, rect in enumerate(layout.values):
                if digit != top:
                    painter.drawText(rect, right, f"{100 * self._p[digit]:.0f}%")
            painter.setFont(bold)
            painter.setPen(highlight)
            painter.drawText(layout.labels[top], Qt.AlignmentFlag.AlignCenter, str(top))
            painter.drawText(layout.values[top], right, f"{100 * self._p[top]:.0f}%")
        painter.end()


class _Layout(NamedTuple):
    key: tuple
    tracks: list[QRectF]  # each digit's bar track
    labels: list[QRectF]  # where each digit is written
    values: list[QRectF]  # where each percentage is written
