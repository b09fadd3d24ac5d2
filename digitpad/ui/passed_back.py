"""The left column of the nudges view: the outputs' wishes and, under them, the hidden layers
they are passed back to, last to first.

Click an output digit and the layers show that output's wishes alone; "all ten" (or a second
click) shows their sum again, the total. The column says which it shows. It only draws what it
is handed (core.example_wishes computes it); a click says what was asked (output_chosen).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from digitpad.core.example_wishes import ExampleWishes
from digitpad.ui import theme
from digitpad.ui.quiet_label import QuietLabel
from digitpad.ui.wish_bands import CaptionRow, HiddenBand
from digitpad.ui.wish_bars import OUTPUT_TIP, OutputWishes

ALL_TEN_NOTE = "Below: the sum of all ten outputs' wishes. Click a digit to see one alone."
ALONE_NOTE = "Below: what output {j} alone wants; faint behind it, the sum of all ten."
ALL_TEN_TIP = ("Show what all ten outputs want together: the sum of their wishes, which is what\n"
               "backpropagation passes back. Each output's own wishes add up to it.")


class PassedBack(QWidget):
    output_chosen = Signal(object)  # the output digit to show alone, or None for all ten

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passedBack")
        line = self.fontMetrics().height()
        self.outputs = OutputWishes()
        self.outputs.digit_clicked.connect(self._digit_clicked)
        self.outputs.all_asked.connect(lambda: self.output_chosen.emit(None))
        self._legend = QuietLabel(alpha=160, scale=0.88)
        output_row = CaptionRow(QLabel("output: what it wants (−∂c/∂z)"), self._legend,
                                hide_when_narrow=True)
        output_row.setToolTip(OUTPUT_TIP)
        self.all_ten = QToolButton()
        self.all_ten.setObjectName("allOutputsButton")
        self.all_ten.setText("all ten")
        self.all_ten.setCheckable(True)
        self.all_ten.setChecked(True)
        self.all_ten.setToolTip(ALL_TEN_TIP)
        self.all_ten.clicked.connect(lambda: self.output_chosen.emit(None))
        self._note = QuietLabel(ALL_TEN_NOTE, alpha=170, scale=0.88)
        self._note.setObjectName("alonenessNote")
        self._note.setWordWrap(True)
        note_row = QHBoxLayout()
        note_row.setContentsMargins(0, 0, 0, 0)
        note_row.addWidget(self._note, 1)
        note_row.addWidget(self.all_ten, 0, Qt.AlignmentFlag.AlignTop)
        self._bands: list[HiddenBand] = []  # first hidden layer first
        self._no_hidden = QuietLabel("No hidden layers: the output wishes go straight to the "
                                     "weights from the pixels.", 160, 0.88)
        self._no_hidden.setWordWrap(True)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(int(line * 0.15))
        self._column.addWidget(output_row)
        self._column.addWidget(self.outputs)
        self._column.addLayout(note_row)
        self._column.addWidget(self._no_hidden)
        self._alone: int | None = None
        self._write_legend()

    def show_wishes(self, wishes: ExampleWishes) -> None:
        """Hand the parts what they draw."""
        self._alone = wishes.output
        self.outputs.set_wishes(wishes.outputs, wishes.output_wishes, wishes.target,
                                wishes.output)
        if len(self._bands) != len(wishes.hidden_wishes):
            self._make_bands(len(wishes.hidden_wishes))
        for l, (band, values, shown, total) in enumerate(zip(
                self._bands, wishes.hidden_wishes, wishes.shown, wishes.hidden_totals)):
            band.show_layer(l, values, shown, wishes.neuron if l == 0 else None, wishes.output,
                            total)
        self.all_ten.setChecked(wishes.output is None)
        self._note.setText(ALL_TEN_NOTE if wishes.output is None else
                           ALONE_NOTE.format(j=wishes.output))

    def note(self) -> str:
        """What the column says it shows: the sum of the ten, or one output alone."""
        return self._note.text()

    def captions(self) -> list[str]:
        """The hidden layers' captions, first layer first."""
        return [band.caption() for band in self._bands]

    def _digit_clicked(self, digit: int) -> None:
        # A second click on the output shown alone goes back to all ten.
        self.output_chosen.emit(None if digit == self._alone else digit)

    def _make_bands(self, count: int) -> None:
        """One band per hidden layer, last to first under the outputs; the outputs get the
        most room, and no hidden layer more than 0.8 of it."""
        for band in self._bands:
            band.remove()
        each = min(55 / count, 36) if count else 0
        self._bands = [HiddenBand() for _ in range(count)]
        # Each inserted under the note row, above the one before it: the last layer on top.
        for band in self._bands:
            band.insert_into(self._column, 3, round(each))
        self._column.setStretch(1, round(100 - each * count))
        self._no_hidden.setVisible(count == 0)

    def _write_legend(self) -> None:
        """"▮ now ▲ more ▼ less" in the colours of the bars and arrows."""
        palette = self.palette()
        grey = theme.mix(palette.color(QPalette.ColorRole.Window), theme.text_color(palette),
                         110 / 255)  # the bars' grey, opaque: rich text has no alpha
        marks = [(grey, "▮", "now"),
                 (theme.more_color(palette), "▲", "more"), (theme.less_color(palette), "▼", "less")]
        self._legend.setText("&nbsp;&nbsp;".join(
            f"<span style='color:{colour.name()}'>{mark}</span>&nbsp;{word}"
            for colour, mark, word in marks))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_legend"):
            self._write_legend()
