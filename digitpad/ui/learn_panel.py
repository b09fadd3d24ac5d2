"""The "Learn this digit" row of the nudges view: its buttons, and the ten probabilities before
and after the network listened to the canvas digit alone (`result`, a label the view places
where it has room; hidden until there is something to say).

It only displays: a click says what was asked (learn_clicked, undo_clicked); ui/learn_digit.py
takes the step and hands back what to show.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from digitpad.ui.quiet_label import QuietLabel

LEARN_TIP = ("One gradient step on the digit on the canvas alone, labelled with the digit under\n"
             "'It is a:', at the current learning rate ({shortcut}). Training averages the wishes\n"
             "of a mini-batch; here the network listens to one example only.")
TEN_TIP = ("Ten steps on this digit alone, and the accuracy on 1,000 test digits before and\n"
           "after: what listening to one example does to the others.")
UNDO_TIP = "Put every weight and bias back exactly as it was before the last lesson"


class LearnPanel(QWidget):
    learn_clicked = Signal(int)  # steps on the one example: 1 or 10
    undo_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("learnPanel")
        self._shortcut = ""
        self._before: np.ndarray | None = None
        self._after: np.ndarray | None = None
        self.learn_button = self._button("Learn this digit", "learnDigitButton",
                                         lambda: self.learn_clicked.emit(1))
        self.ten_button = self._button("×10", "learnTenButton",
                                       lambda: self.learn_clicked.emit(10))
        self.ten_button.setAccessibleName("Learn this digit ten times")
        self.undo_button = self._button("Undo", "undoLearnButton", self.undo_clicked.emit)
        self.undo_button.setToolTip(UNDO_TIP)
        self.undo_button.setEnabled(False)
        self.result = QuietLabel(alpha=200, scale=0.9)
        self.result.setObjectName("learnResult")
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setWordWrap(True)
        self.result.hide()

        buttons = QHBoxLayout(self)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(4)
        for button in (self.learn_button, self.ten_button, self.undo_button):
            buttons.addWidget(button)
        self.set_blocked(None)

    def _button(self, text: str, name: str, clicked) -> QPushButton:  # noqa: ANN001 - a slot
        button = QPushButton(text)
        button.setObjectName(name)
        # As narrow as its words when the row is short of room (a push button's own minimum is
        # wider): the nudges view puts these beside the ten target digits.
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        metrics = button.fontMetrics()
        button.setMinimumWidth(metrics.horizontalAdvance(text) + metrics.height() * 4 // 5)
        button.setAutoDefault(False)
        button.clicked.connect(clicked)
        return button

    # ---- what it shows ----------------------------------------------------------------------

    def set_shortcut(self, text: str) -> None:
        self._shortcut = text
        if self.learn_button.isEnabled():
            self.set_blocked(None)

    def set_blocked(self, reason: str | None) -> None:
        """Why no lesson can be taken now (None: it can); the buttons' tooltip says so."""
        for button in (self.learn_button, self.ten_button):
            button.setEnabled(reason is None)
        if reason is None:
            self.learn_button.setToolTip(LEARN_TIP.format(shortcut=self._shortcut or "no key"))
            self.ten_button.setToolTip(TEN_TIP)
        else:
            self.learn_button.setToolTip(reason)
            self.ten_button.setToolTip(reason)

    def set_undoable(self, undoable: bool) -> None:
        self.undo_button.setEnabled(undoable)

    def show_lesson(self, digit: int, steps: int, before: np.ndarray, after: np.ndarray,
                    accuracy: tuple[float, float] | None = None) -> None:
        """The ten probabilities before and after `steps` steps towards `digit`, and the quick
        test accuracy (before, after) if it was measured."""
        self._before, self._after = before.copy(), after.copy()
        head = "".join(f"<th>{d}</th>" for d in range(len(before)))

        def cell(d: int, v: float) -> str:
            # The taught digit bold, with a decimal: 99% → 99% would hide the change.
            return (f"<td align='right'><b>{100 * v:.1f}%</b></td>" if d == digit else
                    f"<td align='right'>{100 * v:.0f}%</td>")

        def row(name: str, values: np.ndarray) -> str:
            cells = "".join(cell(d, v) for d, v in enumerate(values))
            return f"<tr><td>{name}</td>{cells}</tr>"

        times = "once" if steps == 1 else f"{steps} times"
        text = (f"Taught it is a <b>{digit}</b>, {times}:"
                f"<table cellspacing='0' cellpadding='1'><tr><td></td>{head}</tr>"
                f"{row('before', before)}{row('after', after)}</table>")
        if accuracy is not None:
            text += (f"Test accuracy on 1,000 digits: {100 * accuracy[0]:.1f}% → "
                     f"{100 * accuracy[1]:.1f}%")
        self._show_result(text)

    def show_note(self, text: str) -> None:
        """A sentence instead of the probabilities (undone, refused)."""
        self._before = self._after = None
        self._show_result(text)

    def _show_result(self, text: str) -> None:
        self.result.setText(text)
        self.result.setVisible(bool(text))

    # ---- read-only accessors (for tests and automation) ---------------------------------------

    def shown_probabilities(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The (before, after) probabilities shown, or None."""
        if self._before is None:
            return None
        return self._before.copy(), self._after.copy()

    def result_text(self) -> str:
        return self.result.text()
