"""A dismissible message above the plots, for news that must not block the window: training that
stopped by itself (divergence), or a finding of the run's diagnosis with its fix as a button.

One bar, one message: the newest replaces the one shown. While it shows a finding the bar is
named `diagnosisNotice` and its button `diagnosisFixButton` (tests and automation find them).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
)

from digitpad.core.diagnosis import Finding
from digitpad.ui import theme
from digitpad.ui.training_settings import SHOWN

# What each kind of finding means, for its tooltip: the terms the explanation uses.
TERMS = {
    "diverging": "Diverging: each step overshoots the bottom of the valley and lands higher up "
                 "the other side,\nso the cost grows instead of falling. Smaller steps (a "
                 "smaller learning rate) go downhill again.",
    "dead_relus": "Dead ReLU: a ReLU neuron whose weighted input is below 0 for every digit "
                  "outputs 0 for all of them,\nand its slope there is 0 too, so no nudge ever "
                  "reaches its weights: it never comes back to life.\nOften a too large step "
                  "pushed its bias far below 0.",
    "saturated": "Saturated neuron: a sigmoid or tanh neuron whose weighted input is far from 0 "
                 "sits on the flat part of its S-curve,\nwhere its slope σ′(z) is almost 0. "
                 "Backpropagation multiplies every nudge by that slope, so it barely learns.",
    "vanishing_gradient": "Vanishing gradient: backpropagation passes the nudges from the output "
                          "back layer by layer,\nmultiplying them by each layer's slopes; with "
                          "sigmoids (slope at most ¼) they shrink on the way,\nso the first "
                          "layers barely change.",
    "stuck_at_chance": "Stuck at chance: the network answers about as well as guessing (10%) or "
                       "always saying the same digit (11%).",
    "learning_rate_too_small": "Learning rate too small: every step moves the weights so "
                               "little that the cost hardly falls.",
    "overfitting": "Overfitting: the network gets better at the training digits and worse at "
                   "new ones (the test set):\nit is memorizing rather than learning what makes a "
                   "digit. L2 regularization (weight decay) keeps the weights small.",
    "plateau": "Plateau: nothing has improved for several epochs. Steps that are too large "
               "keep jumping across the valley's floor;\nsmaller ones settle lower.",
}


def describe_fix(finding: Finding) -> str:
    """The settings the fix button changes, in the panel's words: 'learning rate → 0.1, …'."""
    changes = [f"{SHOWN.get(name, name)} → {value:g}" if isinstance(value, float)
               else f"{SHOWN.get(name, name)} → {value}" for name, value in finding.fix.items()]
    then = " Then start over with new random weights (Reset)." if finding.needs_reset else ""
    return f"Sets {', '.join(changes)} in the training panel.{then}"


class NoticeBar(QFrame):
    action_clicked = Signal()  # the button of the message shown (see `finding`)
    dismissed = Signal()  # the person closed the message

    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QWidget | None
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.finding: Finding | None = None  # the finding shown, if the message is one
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
        self.close_button = QToolButton()
        self.close_button.setObjectName("noticeCloseButton")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this message")
        self.close_button.clicked.connect(self._dismiss)
        # The text takes the full width; the button sits under it, on the right, where a long
        # label ("Use ReLU, … and reset") does not squeeze the text into a narrow column.
        body = QVBoxLayout()
        body.setSpacing(6)
        body.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.action)
        body.addLayout(buttons)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(body, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._name(None)
        self.hide()

    def show_message(self, text: str, action: str = "") -> None:
        self._name(None)
        self.text.setToolTip("")
        self.action.setToolTip("")
        self._show(text, action, rich=False)

    def show_training_stopped(self, error: str, diverged: bool) -> None:
        """Why training stopped by itself; a diverging cost gets its remedy as the action."""
        if diverged:
            self.show_message(f"{error} A smaller learning rate takes smaller steps downhill and "
                              "does not overshoot.", "Halve the learning rate")
        else:
            self.show_message(error)

    def show_finding(self, finding: Finding) -> None:
        """A finding of the diagnosis: its title, its two sentences, its fix as the button."""
        self._name(finding)
        self.text.setToolTip(TERMS.get(finding.kind, ""))
        self.action.setToolTip(describe_fix(finding) if finding.fix else "")
        text = f"<b>{escape(finding.title)}.</b> {escape(finding.explanation)}"
        self._show(text, finding.fix_label if finding.fix else "", rich=True)

    def hide(self) -> None:
        self._name(None)
        super().hide()

    def _show(self, text: str, action: str, rich: bool) -> None:
        color = theme.warning_color(self.palette()).name()
        self.setStyleSheet(f"#{self.objectName()} {{ border: 1px solid {color}; "
                           "border-radius: 4px; }")
        self.text.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.text.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.show()

    def _name(self, finding: Finding | None) -> None:
        self.finding = finding
        self.setObjectName("noticeBar" if finding is None else "diagnosisNotice")
        self.action.setObjectName("noticeAction" if finding is None else "diagnosisFixButton")

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
