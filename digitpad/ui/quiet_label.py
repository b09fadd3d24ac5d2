"""A label in a quieter colour (and optionally a smaller font) that follows the palette."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from digitpad.ui import theme


class QuietLabel(QLabel):
    def __init__(self, text: str = "", alpha: int = 170, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._alpha = alpha
        if scale != 1.0:
            font = self.font()
            font.setPointSizeF(max(6.0, font.pointSizeF() * scale))
            self.setFont(font)
        self._recolour()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange) and hasattr(
                self, "_alpha"):
            self._recolour()

    def _recolour(self) -> None:
        # The parent's palette: this label's own text colour is the one set here.
        source = self.parentWidget() or self
        colour = theme.text_color(source.palette(), self._alpha).name(QColor.NameFormat.HexArgb)
        style = f"color: {colour};"
        if self.styleSheet() != style:  # setting it changes the palette: no loop
            self.setStyleSheet(style)
