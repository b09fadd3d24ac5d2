"""A dismissible message above the plots, for news that must not block the window (divergence)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QToolButton

from digitpad.ui import theme


class NoticeBar(QFrame):
    action_clicked = Signal()

    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QWidget | None
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.icon = QLabel()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon.setPixmap(icon.pixmap(20, 20))
        self.text = QLabel()
        self.text.setObjectName("noticeText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.clicked.connect(self.action_clicked)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, action: str = "") -> None:
        color = theme.warning_color(self.palette())
        background = color.name()
        self.setStyleSheet(
            f"#noticeBar {{ border: 1px solid {background}; border-radius: 4px; }}"
        )
        self.text.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.show()

    def show_training_stopped(self, error: str, diverged: bool) -> None:
        """Why training stopped by itself; a diverging cost gets its remedy as the action."""
        if diverged:
            self.show_message(f"{error} A smaller learning rate takes smaller steps downhill and "
                              "does not overshoot.", "Halve the learning rate")
        else:
            self.show_message(error)
