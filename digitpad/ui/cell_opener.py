"""Test mistakes you can open: a click on a cell of the confusion matrix lists the test digits
behind it (most confidently wrong first), and a click on one of those puts it on the canvas,
exactly as the network sees it, so its prediction, nudges and network view follow it.

Which digits lie behind a cell is core's (core.evaluation.behind_cell), from the answers the
trainer kept with the epoch the matrix shows; this only wires the views to the canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from digitpad.core.evaluation import behind_cell
from digitpad.core.mnist import as_inputs
from digitpad.ui.evaluation_view import EvaluationView

if TYPE_CHECKING:
    from digitpad.ui.main_window import MainWindow


class CellOpener(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.view = next(v for v in window.inspector_views if isinstance(v, EvaluationView))
        self.view.cell_chosen.connect(self.list_cell)
        self.view.digits.digit_chosen.connect(self.open_digit)

    def list_cell(self, true: int, answer: int) -> None:
        """List the test digits labelled `true` that the network answered `answer` in the
        epoch the matrix shows."""
        data, answers = self._window.trainer.data, self.view.answers()
        if data is None or answers is None or len(answers.answer) != len(data.test_labels):
            self.view.close_cell()
            self._say("The test digits behind this count were not kept; they are after the "
                      "next epoch.")
            return
        indices = behind_cell(data.test_labels, answers, true, answer)
        self.view.digits.show_digits(true, answer, self.view.epoch(), indices, data.test_images,
                                     data.test_labels, answers)

    def open_digit(self, index: int) -> None:
        """Put test digit `index` on the canvas as the network sees it."""
        data = self._window.trainer.data
        if data is None:
            return
        label = int(data.test_labels[index])
        seen = as_inputs(data.test_images[index : index + 1])[0].reshape(28, 28)
        self._window.canvas.show_picture(seen, f"Test digit {index:,}, labelled {label}: the "
                                               "network never trains on it")
        self._say(f"Test digit {index:,} (a {label}) is on the canvas: see its nudges and the "
                  "network in their tabs")

    def _say(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)
