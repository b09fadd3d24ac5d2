"""A dark palette, for the tests that a view is painted in light and dark colours alike."""

from PySide6.QtGui import QColor, QPalette


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (("Window", "#202124"), ("WindowText", "#e8eaed"), ("Base", "#17181a"),
                         ("Text", "#e8eaed"), ("Mid", "#5f6368"), ("Button", "#3a3a3a"),
                         ("ButtonText", "#e8eaed")):
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    return palette
