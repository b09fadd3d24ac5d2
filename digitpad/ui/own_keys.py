"""Keys a widget keeps for itself while it has the focus, ahead of the window's shortcuts.

The window's Delete clears the canvas and its Ctrl+Z undoes a stroke, from anywhere. A widget
that uses the same keys (the canvas, the gallery) says so when Qt asks first (the
ShortcutOverride event): accepting it sends the key press to the widget instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
             | Qt.KeyboardModifier.MetaModifier)


def is_plain(event: QKeyEvent) -> bool:
    """No Ctrl, Alt or Meta held (Shift is part of the character)."""
    return not event.modifiers() & MODIFIERS


def plain_digit(event: QKeyEvent) -> int | None:
    """The digit of a plain 0–9 key; None for any other key."""
    if is_plain(event) and Qt.Key.Key_0 <= event.key() <= Qt.Key.Key_9:
        return int(event.key() - Qt.Key.Key_0)
    return None


class OwnKeys:
    """Mixin for a QWidget: key_handler(event) says what a key does here (None: not this
    widget's key, the window may have it)."""

    def key_handler(self, event: QKeyEvent) -> Callable[[], None] | None:
        raise NotImplementedError

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self.key_handler(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        handler = self.key_handler(event)
        if handler is None:
            super().keyPressEvent(event)
        else:
            handler()
