"""The right column of the nudges view: the nudge one example asks of the weights into one
neuron of layer 1, −x·δⱼ, drawn on the grid of pixels those weights come from."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from digitpad.ui import theme
from digitpad.ui.quiet_label import QuietLabel

MORE_WORD, LESS_WORD = theme.MORE_WORD, theme.LESS_WORD
NUDGE_TIP = (
    "The nudge this one example asks for on the {inputs} weights into {neuron}, the one it\n"
    "most wants changed: −∂c/∂w = −x·δ for each pixel x.\n"
    "{more}: strengthen that weight; {less}: weaken it. Pixels without ink get no nudge at\n"
    "all: their weights made no difference to this drawing.\n"
    "Training averages such nudges over a mini-batch of examples and takes one small step."
)
NUDGE_NOTE = "Pixels without ink get no nudge:\n−x·δ is 0 where x is 0."


class WeightNudge(QWidget):
    """A caption naming the neuron and the colours, the nudge as a picture, and a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._neuron = ""
        self.caption = QLabel()
        self.caption.setObjectName("nudgeCaption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.picture = NudgePicture()
        self._note = note = QuietLabel(NUDGE_NOTE, alpha=160, scale=0.88)
        note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        note.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(int(self.fontMetrics().height() * 0.4))
        column.addStretch(1)
        column.addWidget(self.caption)
        column.addWidget(self.picture, 100)
        column.addWidget(note)
        column.addStretch(1)

    def set_nudge(self, nudge: np.ndarray, neuron: str) -> None:
        """−x·δⱼ shaped like the image, and the neuron's name ("neuron 13 of layer 1")."""
        self.picture.set_nudge(nudge)
        if neuron != self._neuron:
            self._neuron = neuron
            self._write_caption()
        self.setToolTip(NUDGE_TIP.format(inputs=nudge.size, neuron=neuron,
                                         more=MORE_WORD.capitalize(), less=LESS_WORD.capitalize()))

    def _write_caption(self) -> None:
        palette = self.palette()
        text, more, less = (theme.text_color(palette).name(), theme.more_color(palette).name(),
                            theme.less_color(palette).name())
        # Never break inside "neuron 184" or "layer 1".
        neuron = self._neuron.replace("neuron ", "neuron&nbsp;").replace("layer ", "layer&nbsp;")
        self.caption.setText(
            f"<span style='color:{text}'>weights into {neuron}:</span><br>"
            f"<span style='color:{more}'><b>{MORE_WORD}</b>&nbsp;=&nbsp;strengthen</span>, "
            f"<span style='color:{less}'><b>{LESS_WORD}</b>&nbsp;=&nbsp;weaken</span>")

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        # In a narrow column the picture needs the room more than the note (its tooltip says
        # the same).
        self._note.setVisible(self.width() >= 11 * self.fontMetrics().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "picture"):
            self._write_caption()


class NudgePicture(QWidget):
    """The nudge on the theme's diverging scale, relative to its largest |value|: square cells,
    a whole number of pixels each when there is room, in a faint frame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._nudge: np.ndarray | None = None
        self._image: QImage | None = None  # made when the nudge changes, not in paintEvent

    def set_nudge(self, nudge: np.ndarray) -> None:
        self._nudge = nudge
        self._make_image()
        self.update()

    def nudge_rect(self) -> QRectF:
        """Where the picture goes: centred, square, as large as fits."""
        cells = 28 if self._nudge is None else max(self._nudge.shape)
        side = float(min(self.width(), self.height()))
        if side >= 2 * cells:
            side = math.floor(side / cells) * cells
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def sizeHint(self) -> QSize:
        return QSize(4 * 28, 4 * 28)

    def minimumSizeHint(self) -> QSize:
        return QSize(28, 28)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_nudge"):
            self._make_image()
            self.update()

    def _make_image(self) -> None:
        if self._nudge is None:
            self._image = None
            return
        biggest = float(np.abs(self._nudge).max(initial=0.0)) or 1.0
        self._image = theme.rgb_image(theme.diverging_rgb(self._nudge / biggest, self.palette()))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None:
            return
        rect = self.nudge_rect()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(rect, self._image)
        painter.setPen(QPen(theme.text_color(self.palette(), 40), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()
