"""The left of the window: the canvas to draw on, and the network's answer under it."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from digitpad.ui.canvas import Canvas
from digitpad.ui.prediction_panel import PredictionPanel


class DrawPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawPanel")
        self.canvas = Canvas()
        self.canvas.setMinimumSize(280, 280)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogDiscardButton))
        self.clear_button.setToolTip(
            "Erase the drawing (Delete or Esc; on the canvas also right-click or Backspace)")
        self.undo_button = QPushButton("Undo stroke")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.undo_button.setToolTip("Remove the last stroke (Ctrl+Z)")
        self.prediction = PredictionPanel()
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)

        title = QLabel("Draw a digit")
        title.setObjectName("drawTitle")
        heading = QFont(self.font())
        heading.setPointSizeF(heading.pointSizeF() * 1.35)
        heading.setBold(True)
        title.setFont(heading)
        hint = QLabel("Left button draws · right-click clears · Ctrl+Z undoes · "
                      "press its digit key to keep it in my digits")
        hint.setObjectName("drawHint")
        hint.setWordWrap(True)
        hint.setEnabled(False)  # the palette's disabled text: a quiet caption in any theme
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.undo_button)
        header.addWidget(self.clear_button)

        column = QVBoxLayout(self)
        column.setContentsMargins(12, 12, 8, 12)
        column.setSpacing(8)
        column.addLayout(header)
        column.addWidget(self.canvas, 1)
        column.addWidget(hint)
        column.addSpacing(6)
        column.addWidget(_separator())
        column.addSpacing(4)
        column.addWidget(self.prediction)


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
