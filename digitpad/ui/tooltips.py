"""Tooltips for widgets that paint their own parts (bars, cells, tiles), not child widgets."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip, QWidget


def show_tooltip_for_part(widget: QWidget, event: QEvent) -> bool:
    """Answer a ToolTip event with `widget.tooltip_at(position)`: the text for the part of the
    picture under the mouse. True if it did; call from the widget's event()."""
    if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
        QToolTip.showText(event.globalPos(), widget.tooltip_at(QPointF(event.pos())), widget)
        return True
    return False
