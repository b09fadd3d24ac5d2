"""A message that stops nothing: shown once the event loop runs, the window going on meanwhile
(news at start-up: a damaged file set aside, a migration done)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget


def tell(parent: QWidget, title: str, text: str, name: str) -> QMessageBox:
    """Open a box with `text` (objectName `name`) over `parent`, not modal to the app; OK
    closes it."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    QTimer.singleShot(0, box.open)
    return box
