"""A small view of a 28×28 image: "what the network sees" after MNIST-style normalization."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.ui.canvas import PAPER, paint_cells, square_rect

# MNIST fitted each digit into the central 20×20 of its 28×28 (then shifted it a little to put
# its centre of mass in the middle); a faint frame shows that box.
_BOX = 20


class DigitImage(QWidget):
    """Shows a 2-D array of ink in [0, 1] (normally 28×28) as grey cells, white ink on black."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setToolTip(
            "What the network sees: your drawing cropped, scaled to 20×20 and centred by its "
            "centre of mass, like MNIST."
        )
        self._image: np.ndarray | None = None

    def set_image(self, image: np.ndarray | None) -> None:
        """Show this (rows, cols) array of ink in [0, 1]; None shows an empty grid."""
        if image is not None:
            image = np.array(image, dtype=np.float32)  # a copy: the caller may reuse its array
            if image.ndim != 2 or image.size == 0:
                raise ValueError(f"expected a 2-D image, got shape {image.shape}")
        same = (image is None and self._image is None) or (
            image is not None and self._image is not None and np.array_equal(image, self._image))
        self._image = image
        if not same:  # a repaint that would change nothing costs the trainer time all the same
            self.update()

    def image(self) -> np.ndarray | None:
        """The array shown, or None."""
        return None if self._image is None else self._image.copy()

    def sizeHint(self) -> QSize:
        return QSize(4 * 28 + 2, 4 * 28 + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(2 * 28 + 2, 2 * 28 + 2)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        image = self._image if self._image is not None else np.zeros((28, 28), np.float32)
        painter = QPainter(self)
        rect = square_rect(self.width(), self.height(), max(image.shape))
        rows, cols = image.shape
        cell = rect.width() / max(rows, cols)
        cells = QRectF(
            rect.center().x() - cell * cols / 2,
            rect.center().y() - cell * rows / 2,
            cell * cols,
            cell * rows,
        )
        painter.fillRect(rect, PAPER)
        # Grid lines only where cells are big enough for them not to turn into a grey veil.
        paint_cells(painter, cells, image, grid_alpha=18 if cell >= 4 else 0)

        if image.shape == (28, 28):
            guide = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            guide.setAlpha(110)
            pen = QPen(guide, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            margin = (28 - _BOX) / 2 * cell
            painter.drawRect(cells.adjusted(margin, margin, -margin, -margin))

        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()
