"""What the network trains on: MNIST, my digits, or both, and how often my digits come round.

Part of the training panel. The choice applies from the next step, to the network being
trained: choosing my digits fine-tunes it, no reset needed. My digits can only be chosen with
enough drawings to train on; the box says how many there are and why a choice is not offered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QFormLayout, QGroupBox, QLabel, QSpinBox

from digitpad.core.settings import ABOUT
from digitpad.core.training_set import MIN_DRAWINGS_TO_TRAIN

CHOICES = {
    "mnist": "MNIST",
    "mine": "My digits",
    "both": "MNIST + my digits",
}
TIPS = {
    "mnist": "The 60,000 MNIST training digits (and, with the accurate preset, digits drawn "
             "in many hands).",
    "mine": "Only your own drawings (the ones not held out), k times per epoch.\nQuick to "
            "learn your hand, but the network may forget how others write.",
    "both": "MNIST and your own drawings, yours k times per epoch: the network learns your "
            "hand\nand keeps reading everyone else's. The usual way to fine-tune.",
}
CHOICE_TIP = (
    "What the network trains on, from the next step on: the network being trained goes on\n"
    "learning (fine-tuning), no reset needed. One drawing in five of each digit in my digits\n"
    "is held out and never trained on: after every epoch it measures how well the network\n"
    "reads your handwriting (the cost plot and the status bar show it).")
REPEATS_TIP = (
    "How many times each of your drawings is seen per epoch. A few hundred drawings are\n"
    "lost among 60,000 MNIST digits: repeating them gives them weight. Too many repeats\n"
    "and the network learns your drawings by heart instead of your hand.")


class DataChoice(QGroupBox):
    changed = Signal()  # the choice or k changed (by the person, not by show())

    def __init__(self) -> None:
        super().__init__("Train on (applies right away)")
        self.setObjectName("dataChoiceBox")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.combo = QComboBox()
        self.combo.setObjectName("dataChoice")
        for name, words in CHOICES.items():
            self.combo.addItem(words, name)
        self.combo.setToolTip(CHOICE_TIP)
        self._add_row(form, "&Data", self.combo, CHOICE_TIP)

        self.repeats = QSpinBox()
        self.repeats.setObjectName("mineRepeats")
        limits = ABOUT["mine_repeats"].limits
        self.repeats.setRange(int(limits.low), int(limits.high))
        self.repeats.setPrefix("× ")
        self.repeats.setSuffix(" per epoch")
        self.repeats.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.repeats.setKeyboardTracking(False)  # applied on Enter, not at every keystroke
        self._add_row(form, "My digits &k", self.repeats, REPEATS_TIP)

        self.counts = QLabel()
        self.counts.setObjectName("myDigitsCounts")
        self.counts.setWordWrap(True)
        form.addRow(self.counts)

        self._updating = False
        self.combo.currentIndexChanged.connect(self._changed)
        self.repeats.valueChanged.connect(self._changed)
        self.set_counts(0, 0)

    @staticmethod
    def _add_row(form: QFormLayout, label: str, field, tip: str) -> None:  # noqa: ANN001
        caption = QLabel(label)
        caption.setBuddy(field)
        caption.setToolTip(tip)
        field.setToolTip(tip)
        form.addRow(caption, field)

    # ---- the values -----------------------------------------------------------------------

    def values(self) -> dict:
        """The settings shown: train_on and mine_repeats."""
        return {"train_on": self.combo.currentData(), "mine_repeats": self.repeats.value()}

    def show_values(self, train_on: str, repeats: int) -> None:
        """Show these settings (without emitting changed)."""
        self._updating = True
        try:
            self.combo.setCurrentIndex(self.combo.findData(train_on))
            self.repeats.setValue(repeats)
        finally:
            self._updating = False
        self._enable_repeats()

    def set_counts(self, train: int, held_out: int) -> None:
        """My digits now hold `train` drawings to train on and `held_out` held out: offer my
        digits only if there are enough, and say so. A choice no longer possible falls back
        to MNIST (and emits changed)."""
        enough = train >= MIN_DRAWINGS_TO_TRAIN
        if not train + held_out:
            why = ("No drawings kept yet: draw a digit on the canvas and press its key (0–9) "
                   "to keep it in my digits.")
        elif not enough:
            why = (f"My digits: {train} to train on, {held_out} held out. Training on them "
                   f"needs at least {MIN_DRAWINGS_TO_TRAIN} to train on: keep a few more.")
        else:
            why = ""
        model = self.combo.model()
        assert isinstance(model, QStandardItemModel)
        for name in ("mine", "both"):
            item = model.item(self.combo.findData(name))
            item.setEnabled(enough)
            item.setToolTip(TIPS[name] if enough else f"{TIPS[name]}\n\n{why}")
        model.item(self.combo.findData("mnist")).setToolTip(TIPS["mnist"])
        measured = (f"{held_out} held out, never trained on, measure your handwriting." if held_out
                    else "None held out yet (one in five of each digit is): your handwriting "
                         "is not measured.")
        self.counts.setText(why or f"My digits: {train} to train on; {measured}")
        if not enough and self.combo.currentData() != "mnist":
            self.combo.setCurrentIndex(self.combo.findData("mnist"))  # emits changed

    # ---- reactions ------------------------------------------------------------------------

    def _changed(self) -> None:
        self._enable_repeats()
        if not self._updating:
            self.changed.emit()

    def _enable_repeats(self) -> None:
        self.repeats.setEnabled(self.combo.currentData() != "mnist")
