"""The network's answer for the drawing: what it sees, the top digit in large type, ten bars."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from digitpad.ui import theme
from digitpad.ui.digit_image import DigitImage
from digitpad.ui.frame import Change, Frame
from digitpad.ui.prediction_bars import PredictionBars


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    label.setWordWrap(True)
    return label


class PredictionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionPanel")

        self.seen = DigitImage()
        self.seen.setObjectName("networkInput")
        self.seen.setMinimumSize(96, 96)
        self.seen.setMaximumSize(128, 128)

        self.digit_label = QLabel("")
        self.digit_label.setObjectName("predictedDigit")
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_label.setMinimumSize(72, 96)
        self.digit_label.setToolTip(
            "The network's answer: the digit whose output neuron is the most active."
        )
        font = QFont(self.font())
        font.setPixelSize(72)
        font.setBold(True)
        self.digit_label.setFont(font)

        self.confidence_label = _caption("")
        self.confidence_label.setObjectName("predictionConfidence")

        self.bars = PredictionBars()
        self.bars.setObjectName("predictionBars")
        self.bars.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.seen, 0, 0, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(_caption("what the\nnetwork sees"), 1, 0)
        grid.addWidget(self.digit_label, 0, 1, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.confidence_label, 1, 1)
        grid.addWidget(self.bars, 0, 2, 2, 1)
        grid.setColumnStretch(2, 1)
        self._apply_palette()
        self.show_outputs(None)

    def _apply_palette(self) -> None:
        quiet = theme.text_color(self.palette(), 160).name(QColor.NameFormat.HexArgb)
        self.confidence_label.setStyleSheet(f"color: {quiet};")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "confidence_label"):
            self._apply_palette()

    def show_frame(self, frame: Frame) -> None:
        if Change.DRAWING in frame.changed:
            self.set_seen(frame.seen)
        if frame.changed & (Change.DRAWING | Change.WEIGHTS):
            self.show_outputs(frame.outputs)

    def set_seen(self, image: np.ndarray | None) -> None:
        """The 28×28 input the network gets (None: nothing drawn)."""
        self.seen.set_image(image)

    def show_outputs(self, outputs: np.ndarray | None) -> None:
        """The ten output activations for the drawing, or None for an empty canvas."""
        self.bars.set_probabilities(outputs)
        if outputs is None:
            _set_text(self.digit_label, "")
            _set_text(self.confidence_label, "its answer")
            return
        top = int(np.argmax(outputs))
        _set_text(self.digit_label, str(top))
        _set_text(self.confidence_label, f"its answer\n{100 * float(outputs[top]):.0f}% sure")


def _set_text(label: QLabel, text: str) -> None:
    """Change a label's text only if it differs: each change repaints and re-lays out."""
    if label.text() != text:
        label.setText(text)
