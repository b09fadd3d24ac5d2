"""The batch size's "Full set" button: every training digit in every step, one click away.

A batch of all 60,000 digits gives the true gradient: each step is the careful, exact way
downhill, and slow. Mini-batches of 100 are the "drunk man stumbling quickly downhill". With
this button, one run of each is a Reset apart, and the cost plot shows them side by side.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QSpinBox, QToolButton, QWidget

FALLBACK_BATCH = 100  # what unchecking goes back to when the box started at the full set


class FullSetButton(QToolButton):
    """Checked while the batch size is the largest (the whole training set); checking it sets
    that size, unchecking it goes back to the size before."""

    def __init__(self, batch: QSpinBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fullSetButton")
        self.setText("Full set")
        self.setCheckable(True)
        self._batch = batch
        self._before = FALLBACK_BATCH
        whole = f"{batch.maximum():,}"
        self.setToolTip(
            f"A batch of all {whole} training digits: every step follows the true gradient, "
            "the exact way downhill,\nbut takes as long as hundreds of small steps. Train a "
            "while, press Reset, train with the other size,\nand compare the two runs on the "
            "cost plot, counted in examples seen or seconds.\nClick again to go back to the "
            "batch size before.")
        batch.valueChanged.connect(self._batch_changed)
        self.clicked.connect(self._clicked)
        self._batch_changed(batch.value())

    def _batch_changed(self, value: int) -> None:
        full = value == self._batch.maximum()
        if not full:
            self._before = value
        self.setChecked(full)  # setChecked does not emit clicked: no loop

    def _clicked(self, checked: bool) -> None:
        self._batch.setValue(self._batch.maximum() if checked else self._before)


def with_button(field: QWidget, button: QToolButton) -> QWidget:
    """`field` with `button` beside it, as one form field (its label's shortcut focuses
    `field`)."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    row.setFocusProxy(field)
    return row
