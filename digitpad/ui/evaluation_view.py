"""How the network does on the 10,000 test digits it never trains on: the confusion matrix.

Row d, column p counts the test digits d that the network answered p. The diagonal is what it
gets right (green); everything else is a mistake (orange, darker for more), so the digits it
mixes up stand out: 4 and 9, 3 and 5, 7 and 2. Beside each row: how often that digit is right.

The widget only draws what the trainer measured after each epoch (EpochResult.confusion).
Click a cell: the test digits behind it are listed beside the matrix (ui/cell_digits.py; which
ones is core's, and ui/cell_opener.py fills the list and opens a digit on the canvas).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.evaluation import Answers, per_digit_accuracy
from digitpad.training.trainer import EpochResult
from digitpad.ui import theme
from digitpad.ui.cell_digits import CellDigits
from digitpad.ui.frame import Frame
from digitpad.ui.inspector import InspectorView
from digitpad.ui.tooltips import show_tooltip_for_part

PLACEHOLDER = ("The test results appear after the first epoch (one pass over the 60,000 "
               "training digits)")

# Keyed by theme.is_dark(): hues that read on white and on near-black.
CORRECT = {False: QColor("#2f9e44"), True: QColor("#4cc266")}
MISTAKE = {False: QColor("#e8590c"), True: QColor("#ff8f3a")}
CORRECT_WORD, MISTAKE_WORD = "green", "orange"

_MARGIN = 8.0
_GAP = 8.0  # between the matrix and the per-digit accuracy column


class EvaluationView(InspectorView):
    """The last epoch's confusion matrix on the test set, with each digit's accuracy; a click on
    a cell lists the test digits behind it."""

    title = "Test mistakes"
    tooltip = "Which test digits the network gets wrong, and what it takes them for"
    refresh_hz = 10.0
    refresh_hz_while_drawing = 6.0

    # (true digit, answer) clicked; emitted again when a new epoch changes what the cell holds
    cell_chosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("evaluationView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._count = 0  # len() of the epoch list last given
        self._last: EpochResult | None = None  # its last element
        self._shown: _Shown | None = None
        self._layout_cache: _Layout | None = None
        self._chosen: tuple[int, int] | None = None  # the cell whose digits are listed
        self.digits = CellDigits(self)
        self.digits.hide()
        self.digits.closed.connect(self.close_cell)
        self.setAccessibleName("Test results")

    # ---- input ----------------------------------------------------------------------------

    def show_frame(self, frame: Frame) -> None:
        self.show_epochs(frame.snapshot.epochs)

    def show_epochs(self, epochs: list[EpochResult]) -> None:
        """Show the last of these per-epoch results (an empty list: the placeholder). Cheap when
        nothing is new; the numbers are worked out when the widget is visible."""
        last = epochs[-1] if epochs else None
        if len(epochs) == self._count and last is self._last:
            return
        self._count, self._last = len(epochs), last
        self.input_changed()

    # ---- read-only accessors (for tests and automation) ---------------------------------------

    def epoch(self) -> int | None:
        """The epoch shown, or None before the first."""
        self.ensure_current()
        return None if self._shown is None else self._shown.epoch

    def confusion(self) -> np.ndarray | None:
        """A copy of the matrix shown (row = true digit, column = answer), or None."""
        self.ensure_current()
        if self._shown is None or self._shown.confusion is None:
            return None
        return self._shown.confusion.copy()

    def per_digit_accuracy(self) -> np.ndarray | None:
        """For each digit, the fraction of its test examples answered right (NaN if it has none)."""
        self.ensure_current()
        if self._shown is None or self._shown.accuracy is None:
            return None
        return self._shown.accuracy.copy()

    def answers(self) -> Answers | None:
        """Each test digit's answer and how sure the network was, for the epoch shown."""
        self.ensure_current()
        return None if self._last is None else self._last.answers

    def chosen_cell(self) -> tuple[int, int] | None:
        """The (true digit, answer) whose test digits are listed, or None."""
        return self._chosen

    def close_cell(self) -> None:
        """Close the list of a cell's digits."""
        self._chosen = None
        self.digits.hide()
        self._layout_cache = None
        self.update()

    def title_text(self) -> str:
        """The title line, or the placeholder before the first epoch."""
        self.ensure_current()
        return PLACEHOLDER if self._shown is None else self._shown.title

    def cell_rect(self, true: int, answer: int) -> QRectF:
        """Where the cell of (true digit, network's answer) is drawn, in widget coordinates."""
        self.ensure_current()
        layout = self._layout()
        return QRectF(layout.left + answer * layout.cell_w, layout.top + true * layout.cell_h,
                      layout.cell_w, layout.cell_h)

    def tooltip_at(self, pos: QPointF) -> str:
        """What the tooltip says at this point of the widget."""
        self.ensure_current()
        shown = self._shown
        if shown is None:
            return PLACEHOLDER
        general = (f"The network's answers for the {shown.total:,} test digits, which it never "
                   "trains on. Each row is a digit as drawn, each column the network's answer.")
        if shown.confusion is None:
            return general
        layout = self._layout()
        k = len(shown.confusion)
        row, col = self._row_column(pos)
        if not 0 <= row < k:
            return general
        drawn = int(shown.confusion[row].sum())
        if 0 <= col < k:
            count = int(shown.confusion[row, col])
            if row == col:
                share = f" ({100 * count / drawn:.1f}%)" if drawn else ""
                return f"{row} recognised as {row}: {count:,} of {drawn:,} times{share}"
            return f"{row} drawn as {col}: {_times(count)}"
        if layout.accuracy_left <= pos.x() <= layout.accuracy_left + layout.accuracy_w:
            if not drawn:
                return f"There are no {row}s among the test digits."
            right = int(shown.confusion[row, row])
            return (f"{right:,} of the {drawn:,} test {row}s are answered right "
                    f"({100 * right / drawn:.1f}%)")
        return general

    def _row_column(self, pos: QPointF) -> tuple[int, int]:
        """The matrix's row and column at this point (either may be outside 0..k-1)."""
        layout = self._layout()
        row = math.floor((pos.y() - layout.top) / layout.cell_h) if layout.cell_h > 0 else -1
        col = math.floor((pos.x() - layout.left) / layout.cell_w) if layout.cell_w > 0 else -1
        return row, col

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """The (true digit, answer) of the cell at this point, or None."""
        self.ensure_current()
        if self._shown is None or self._shown.confusion is None:
            return None
        row, col = self._row_column(pos)
        k = len(self._shown.confusion)
        return (row, col) if 0 <= row < k and 0 <= col < k else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if event.button() != Qt.MouseButton.LeftButton or cell is None:
            super().mousePressEvent(event)
            return
        self._chosen = cell
        if self.digits.isHidden():
            self.digits.show()
            self._layout_cache = None
            self._place_digits()
        self.update()
        self.cell_chosen.emit(*cell)

    # ---- working out what to show (when the input changes, never in paintEvent) ----------------

    def refresh(self) -> None:
        self._layout_cache = None
        self.update()
        last = self._last
        if last is None:
            self._shown = None
            self.close_cell()  # a new run: no digits behind any cell yet
            return
        confusion = accuracy = None
        total = 10_000
        if last.confusion is not None:
            confusion = np.array(last.confusion, dtype=np.int64)
            accuracy = per_digit_accuracy(confusion)
            total = int(confusion.sum())
        title = f"Test digits after epoch {last.epoch}: {100 * last.test_accuracy:.1f}% right"
        self._shown = _Shown(last.epoch, title, confusion, accuracy, total)
        if self._chosen is not None:
            self.cell_chosen.emit(*self._chosen)  # the cell now holds this epoch's digits

    # ---- geometry ---------------------------------------------------------------------------

    def _subtitle(self) -> str:
        shown = self._shown
        if shown is None:
            return ""
        if shown.confusion is None:
            return "This result has no breakdown by digit."
        return (f"{shown.total:,} digits it never trains on. Row: the digit drawn; column: the "
                f"network's answer. {CORRECT_WORD.capitalize()}: right; {MISTAKE_WORD}: "
                "mistakes, the stronger the more. Click a cell to see its digits.")

    def _fonts(self) -> tuple[QFont, QFont]:
        title = QFont(self.font())
        title.setBold(True)
        title.setPointSizeF(max(6.0, self.font().pointSizeF() * 1.1))
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.9))
        return title, small

    def _layout(self) -> _Layout:
        key = (self.width(), self.height(), self.font().key(),
               None if self._shown is None else self._shown.title, self.digits.isHidden())
        if self._layout_cache is None or self._layout_cache.key != key:
            self._layout_cache = self._compute_layout(key)
        return self._layout_cache

    def _compute_layout(self, key: tuple) -> _Layout:
        w, h, m = float(self.width() - self._digits_width()), float(self.height()), _MARGIN
        width = max(1.0, w - 2 * m)
        title_font, small_font = self._fonts()
        wrap = int(Qt.TextFlag.TextWordWrap)
        title = self.title_text()
        title_h = math.ceil(QFontMetricsF(title_font).boundingRect(
            QRectF(0, 0, width, 1e6), wrap, title).height())
        subtitle = self._subtitle()
        subtitle_h = math.ceil(QFontMetricsF(small_font).boundingRect(
            QRectF(0, 0, width, 1e6), wrap, subtitle).height()) if subtitle else 0
        metrics = QFontMetricsF(self.font())
        spacing = metrics.height() * 0.3
        k = 0 if self._shown is None or self._shown.confusion is None else len(
            self._shown.confusion)
        if k == 0:
            block = title_h + (spacing + subtitle_h if subtitle_h else 0)
            top = m + max(0.0, (h - 2 * m - block) / 2)
            return _Layout(key, QRectF(m, top, width, title_h),
                           QRectF(m, top + title_h + spacing, width, subtitle_h),
                           0, 0, 0, 0, 0, 0, 0, 0, None, None)

        header_h = metrics.height() + 2

        def rows_height(subtitle_h: float) -> float:
            return (h - m - (m + title_h + spacing + subtitle_h + spacing + header_h)) / k

        # Short of room, the matrix comes first: the subtitle's words are in the tooltips too.
        if subtitle_h and rows_height(subtitle_h) < metrics.height() * 0.9:
            subtitle_h = 0
        title_rect = QRectF(m, m, width, title_h)
        subtitle_rect = QRectF(m, m + title_h + spacing, width, subtitle_h)
        top = m + title_h + spacing + (subtitle_h + spacing if subtitle_h else 0) + header_h
        cell_h = max(1.0, rows_height(subtitle_h) if subtitle_h else (h - m - top) / k)
        # Row labels and accuracies in the widget's font, or a smaller one that fits a row.
        side_font = _fitting_font(self.font(), "100.0%", 1e9, cell_h)
        side = QFontMetricsF(side_font or self.font())
        label_w = side.horizontalAdvance("0") * 2.6
        accuracy_w = side.horizontalAdvance("100.0%") + 12
        cell_w = max(1.0, (width - label_w - _GAP - accuracy_w) / k)
        cell_w = min(cell_w, cell_h * 1.7)  # wide cells, not stretched bars
        cell_h = min(cell_h, cell_w * 1.1)
        block_w = label_w + k * cell_w + _GAP + accuracy_w
        left = m + max(0.0, (width - block_w) / 2) + label_w
        widest = "0" * len(str(int(self._shown.confusion.max())))
        cell_font = _fitting_font(self.font(), widest, cell_w - 4, cell_h)
        return _Layout(key, title_rect, subtitle_rect, top, left, cell_w, cell_h, label_w,
                       left + k * cell_w + _GAP, accuracy_w, header_h, cell_font, side_font)

    def _digits_width(self) -> int:
        """The room the list of a cell's digits takes on the right (0 while it is closed)."""
        return 0 if self.digits.isHidden() else int(min(300, max(190, 0.4 * self.width())))

    def _place_digits(self) -> None:
        width = self._digits_width()
        if width:
            self.digits.setGeometry(self.width() - width, int(_MARGIN), width - int(_MARGIN),
                                    self.height() - 2 * int(_MARGIN))

    # ---- Qt ---------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(560, 380)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, 240)

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        self._place_digits()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._layout_cache = None
            self.update()

    def event(self, event: QEvent) -> bool:
        return show_tooltip_for_part(self, event) or super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.ensure_current()  # only if it was hidden when the results came: normally a no-op
        layout = self._layout()
        palette = self.palette()
        title_font, small_font = self._fonts()
        wrap = int(Qt.TextFlag.TextWordWrap)
        painter = QPainter(self)
        shown = self._shown
        centre = wrap | int(Qt.AlignmentFlag.AlignHCenter)
        flags = centre if shown is None or shown.confusion is None else wrap
        painter.setFont(title_font if shown is not None else self.font())
        painter.setPen(theme.text_color(palette, 255 if shown is not None else 170))
        painter.drawText(layout.title, flags, self.title_text())
        if not layout.subtitle.isEmpty():
            painter.setFont(small_font)
            painter.setPen(theme.text_color(palette, 170))
            painter.drawText(layout.subtitle, flags, self._subtitle())
        if shown is not None and shown.confusion is not None:
            self._paint_matrix(painter, layout, shown, palette)
        painter.end()

    def _paint_matrix(self, painter: QPainter, layout: _Layout, shown: _Shown,
                      palette: QPalette) -> None:
        dark = theme.is_dark(palette)
        base = palette.color(QPalette.ColorRole.Base)
        correct, mistake = CORRECT[dark], MISTAKE[dark]
        confusion, accuracy = shown.confusion, shown.accuracy
        k = len(confusion)
        off = confusion.copy()
        np.fill_diagonal(off, 0)
        worst = max(int(off.max()), 1)
        centred = int(Qt.AlignmentFlag.AlignCenter)
        quiet = theme.text_color(palette, 170)
        cw, ch = layout.cell_w, layout.cell_h

        # Column and row headers: the digits.
        painter.setFont(self.font())
        painter.setPen(quiet)
        for d in range(k):
            painter.drawText(QRectF(layout.left + d * cw, layout.top - layout.header_h, cw,
                                    layout.header_h), centred, str(d))
        painter.drawText(QRectF(layout.accuracy_left, layout.top - layout.header_h,
                                layout.accuracy_w, layout.header_h), centred, "right")
        if layout.side_font is not None:
            painter.setFont(layout.side_font)
            for d in range(k):
                painter.drawText(QRectF(layout.left - layout.label_w, layout.top + d * ch,
                                        layout.label_w * 0.8, ch), centred, str(d))

        # The cells, coloured by what they count.
        painter.setPen(Qt.PenStyle.NoPen)
        fills: list[list[QColor]] = []
        for t in range(k):
            row = []
            for p in range(k):
                count = int(confusion[t, p])
                if t == p:
                    share = 0.0 if math.isnan(accuracy[t]) else float(accuracy[t])
                    colour = theme.mix(base, correct, 0.25 + 0.75 * share)
                elif count:
                    colour = theme.mix(base, mistake, 0.15 + 0.85 * math.sqrt(count / worst))
                else:
                    colour = theme.mix(base, palette.color(QPalette.ColorRole.Text), 0.04)
                row.append(colour)
                painter.setBrush(colour)
                painter.drawRect(QRectF(layout.left + p * cw + 0.5, layout.top + t * ch + 0.5,
                                        cw - 1, ch - 1))
            fills.append(row)

        # The counts, in black or white, whichever reads on the cell.
        if layout.cell_font is not None:
            painter.setFont(layout.cell_font)
            for t in range(k):
                for p in range(k):
                    count = int(confusion[t, p])
                    fill = fills[t][p]
                    ink = QColor(20, 20, 20) if fill.lightnessF() > 0.55 else QColor(245, 245, 245)
                    if count == 0:
                        ink.setAlpha(70)
                    painter.setPen(ink)
                    painter.drawText(QRectF(layout.left + p * cw, layout.top + t * ch, cw, ch),
                                     centred, str(count))

        # The cell whose digits are listed: outlined.
        if self._chosen is not None:
            t, p = self._chosen
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(layout.left + p * cw + 1.5, layout.top + t * ch + 1.5,
                                    cw - 3, ch - 3))

        # Each digit's accuracy: a bar as long as the fraction right, and the number.
        track = theme.mix(base, palette.color(QPalette.ColorRole.Text), 0.06)
        bar = theme.mix(base, correct, 0.45)
        if layout.side_font is not None:
            painter.setFont(layout.side_font)
        for t in range(k):
            rect = QRectF(layout.accuracy_left, layout.top + t * ch + 1.5, layout.accuracy_w,
                          ch - 3)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRect(rect)
            share = accuracy[t]
            if not math.isnan(share):
                painter.setBrush(bar)
                painter.drawRect(QRectF(rect.left(), rect.top(), rect.width() * float(share),
                                        rect.height()))
            if layout.side_font is None:
                continue
            painter.setPen(theme.text_color(palette))
            text = "–" if math.isnan(share) else f"{100 * share:.1f}%"
            painter.drawText(rect.adjusted(0, 0, -4, 0),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)


def _fitting_font(font: QFont, text: str, width: float, height: float) -> QFont | None:
    """The largest size of `font`, up to its own, at which `text` fits width × height; None if
    not even a barely readable one does."""
    font = QFont(font)
    size = font.pointSizeF()
    while size >= 6.0:
        font.setPointSizeF(size)
        metrics = QFontMetricsF(font)
        if metrics.horizontalAdvance(text) <= width and metrics.height() <= height:
            return font
        size -= 0.5
    return None


def _times(count: int) -> str:
    if count == 0:
        return "never"
    return "once" if count == 1 else f"{count:,} times"


class _Shown(NamedTuple):
    epoch: int
    title: str
    confusion: np.ndarray | None  # (k, k) int64
    accuracy: np.ndarray | None  # (k,) fraction right per true digit, NaN where none
    total: int  # test digits counted


class _Layout(NamedTuple):
    key: tuple
    title: QRectF
    subtitle: QRectF
    top: float  # the matrix's top edge
    left: float  # the matrix's left edge
    cell_w: float
    cell_h: float
    label_w: float  # the row labels, left of the matrix
    accuracy_left: float
    accuracy_w: float
    header_h: float  # the column labels, above the matrix
    cell_font: QFont | None  # None: too small for the counts
    side_font: QFont | None  # for the row labels and accuracies; None: too small for them
