"""The test digits behind one cell of the confusion matrix, as a list to open one from.

Each row: the digit as the network sees it, and how sure the network was of its answer and of
the true digit. Thumbnails are made only for the rows in sight, when the list asks for them (a
list model: a cell on the diagonal can hold a thousand digits). Which digits, and in what order,
is core's (core.evaluation.behind_cell); this only shows them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.evaluation import Answers
from digitpad.ui.my_digits_view import THUMBNAIL, thumbnail
from digitpad.ui.quiet_label import QuietLabel

CLICK_HINT = "Click one to put it on the canvas, then look at its nudges and the network"


class CellDigitsModel(QAbstractListModel):
    """Test digits, by index into the test set, in the order given; thumbnails on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._indices = np.zeros(0, np.int64)
        self._images = np.zeros((0, 28, 28), np.uint8)
        self._labels = np.zeros(0, np.uint8)
        self._answers: Answers | None = None
        self._thumbnails: dict[int, QPixmap] = {}  # by row, for this list only
        self.pixel_ratio = 1.0

    def set_digits(self, indices: np.ndarray, images: np.ndarray, labels: np.ndarray,
                   answers: Answers) -> None:
        """Show these test digits (indices into images, labels and answers), in this order."""
        self.beginResetModel()
        self._indices = np.asarray(indices, dtype=np.int64)
        self._images, self._labels, self._answers = images, labels, answers
        self._thumbnails = {}
        self.endResetModel()

    def indices(self) -> np.ndarray:
        """The test digits listed, by index into the test set, in the order shown."""
        return self._indices.copy()

    def index_at(self, row: int) -> int:
        return int(self._indices[row])

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._indices)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or index.row() >= len(self._indices):
            return None
        row = index.row()
        i = int(self._indices[row])
        if role == Qt.ItemDataRole.DisplayRole:
            return self._words(i)
        if role == Qt.ItemDataRole.DecorationRole:
            if row not in self._thumbnails:
                self._thumbnails[row] = thumbnail(self._images[i], False, self.pixel_ratio)
            return self._thumbnails[row]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"Test digit {i:,}, labelled {int(self._labels[i])}.\n{self._words(i)}\n"
                    "Click: put it on the canvas as the network sees it")
        return None

    def _words(self, i: int) -> str:
        answers, true = self._answers, int(self._labels[i])
        answer = int(answers.answer[i])
        if answer == true:
            return f"{true}: {_percent(answers.p_true[i])}"
        return (f"answered {answer}: {_percent(answers.p_answer[i])}\n"
                f"{true} (true): {_percent(answers.p_true[i])}")


class CellDigits(QWidget):
    """A title saying which cell, a close button, and the list of its test digits."""

    digit_chosen = Signal(int)  # a test digit clicked: its index in the test set
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("testDigitList")
        self.title = QLabel()
        self.title.setObjectName("testDigitTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QuietLabel(CLICK_HINT, scale=0.9)
        self.hint.setWordWrap(True)
        close = QToolButton()
        close.setObjectName("closeTestDigits")
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip("Close the list")
        close.clicked.connect(self.closed)

        self.model = CellDigitsModel(self)
        self.list = QListView()
        self.list.setObjectName("testDigitsList")
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # lays out a thousand rows without asking each
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setSpacing(1)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setToolTip(CLICK_HINT)
        self.list.clicked.connect(self._chosen)
        self.list.activated.connect(self._chosen)  # Enter on the current row

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(header)
        column.addWidget(self.hint)
        column.addWidget(self.list, 1)

    def show_digits(self, true: int, answer: int, epoch: int, indices: np.ndarray,
                    images: np.ndarray, labels: np.ndarray, answers: Answers) -> None:
        """List these test digits of the cell (true, answer) after `epoch`, in this order."""
        self.model.pixel_ratio = self.devicePixelRatioF()
        self.model.set_digits(indices, images, labels, answers)
        self.title.setText(cell_title(true, answer, len(indices), epoch))
        self.hint.setVisible(len(indices) > 0)
        if len(indices):
            self.list.scrollToTop()

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.digit_chosen.emit(self.model.index_at(index.row()))


def cell_title(true: int, answer: int, count: int, epoch: int) -> str:
    """What the list holds, in words."""
    digits = "1 test digit" if count == 1 else f"{count:,} test digits"
    if true == answer:
        return (f"{true}s answered {true} after epoch {epoch}: {digits}, the surest first")
    if count == 0:
        return f"No test {true} was answered {answer} after epoch {epoch}"
    return f"{true}s answered {answer} after epoch {epoch}: {digits}, the surest mistake first"


def _percent(p: float) -> str:
    return f"{100 * float(p):.1f}%"
