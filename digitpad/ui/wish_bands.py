"""The rows of the nudges view's "passed back" column: a caption with a side note, and one
band per hidden layer (its caption and its bars), saying whose wishes they are: the sum of the
ten outputs', or one output's alone."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QSizePolicy, QWidget

from digitpad.ui import theme
from digitpad.ui.quiet_label import QuietLabel
from digitpad.ui.wish_bars import HiddenWishes

MORE_WORD, LESS_WORD = theme.MORE_WORD, theme.LESS_WORD
HIDDEN_TIP = (
    "Layer {layer}, {count} neurons: −δ{here}, where δ{here} = (δ{after} Wᵀ) ⊙ σ′(z{here}).\n"
    "Only the output layer is told the right answer, so a hidden neuron's wish is worked out\n"
    "from the layer after it: the wishes there, sent back along the weights that connect them\n"
    "(δWᵀ: a neuron with a strong connection to an output that wants to rise is asked to change\n"
    "a lot), times how much the neuron can still move (σ′(z): a saturated neuron cannot).\n"
    "That is why backpropagation runs backwards.\n"
    "{whose}\n"
    "{more} bar: the neuron should be more active; {less}: less active.\n"
    "Bars are scaled per layer (the tallest is the largest wish here, |δ| = {biggest:.3g})."
)
ALL_TEN_TIP = ("Shown: the sum of what all ten outputs want of this layer. Click an output digit\n"
               "above to see one output's wishes alone; the ten of them add up to this.")
ALONE_TIP = ("Shown: what output {j} alone wants of this layer: only its wish, passed back.\n"
             "The faint bars behind are the total, what all ten outputs want together: the ten\n"
             "outputs' wishes add up to it (\"all ten\").")


class CaptionRow(QWidget):
    """A caption with a side note on its right; when both do not fit on one line the note goes
    under the caption (or, with hide_when_narrow, out of sight)."""

    def __init__(self, caption: QLabel, side: QLabel, hide_when_narrow: bool = False) -> None:
        super().__init__()
        self._caption, self._side, self._hide = caption, side, hide_when_narrow
        # Never wider than the row: cut rather than stretching the view.
        caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        side.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(caption, 1)
        self._layout.addWidget(side)

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        gap = 2 * self.fontMetrics().horizontalAdvance("  ")
        fits = (self._caption.sizeHint().width() + gap + self._side.sizeHint().width()
                <= self.width())
        if self._hide:
            self._side.setVisible(fits and bool(self._side.text()))
            return
        direction = QBoxLayout.Direction.LeftToRight if fits else \
            QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)


class HiddenBand:
    """One hidden layer's rows in the view's column: its caption ("↓ layer 2: …", whose wishes
    they are) and a bar per neuron. Only the bars grow with the room there is."""

    def __init__(self) -> None:
        self._caption = QuietLabel(alpha=200, scale=0.92)
        self._note = QuietLabel(alpha=160, scale=0.88)
        self._bars = HiddenWishes()
        self._caption.setContentsMargins(0, self._caption.fontMetrics().height() // 3, 0, 0)
        self.parts = [CaptionRow(self._caption, self._note, hide_when_narrow=True), self._bars]

    def insert_into(self, layout: QBoxLayout, index: int, stretch: int) -> None:
        for i, part in enumerate(self.parts):
            layout.insertWidget(index + i, part, stretch if part is self._bars else 0)

    def remove(self) -> None:
        for part in self.parts:
            part.setParent(None)
            part.deleteLater()

    def show_layer(self, l: int, values: np.ndarray, shown: np.ndarray, marked: int | None,
                   alone: int | None, total: np.ndarray) -> None:
        """Layer l + 1's wishes `values`, of which `shown` get a bar; `marked` gets a caret;
        `alone`: the output whose wishes alone they are (None: the sum of the ten, `total`)."""
        whose = "sum of the ten outputs' wishes" if alone is None else \
            f"what output {alone} alone wants"
        self._caption.setText(f"↓ layer {l + 1} ({len(values)}): {whose}")
        self._note.setText("" if len(shown) == len(values) else
                           f"{len(shown)} largest of {len(values)}")
        self._bars.set_wishes(values, shown, marked, None if alone is None else total)
        tip = HIDDEN_TIP.format(layer=l + 1, count=len(values), here=superscript(l + 1),
                                after=superscript(l + 2), more=MORE_WORD.capitalize(),
                                less=LESS_WORD.capitalize(),
                                whose=ALL_TEN_TIP if alone is None else ALONE_TIP.format(j=alone),
                                biggest=float(np.abs(values).max(initial=0.0)))
        for part in self.parts:
            part.setToolTip(tip)

    def caption(self) -> str:
        return self._caption.text()


def superscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
