"""The training panel: Start/Pause, Step, Reset, a preset, and the knobs of the learning rule.

The panel shows one core Settings and emits settings_changed(settings) when a knob changes it.
Two kinds of knobs. The learning rate, batch size and augmentation are read by the trainer
before every step, so changing them mid-run takes effect at once. The network's shape (hidden
layers, activation, output, cost) and the L2 and momentum settings describe a whole run: they
apply when the network is reset, and the panel says so while a change is waiting.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.errors import SettingsError
from digitpad.core.presets import PRESETS, SUMMARIES
from digitpad.core.settings import (
    ABOUT,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    Settings,
    format_hidden,
    parse_hidden,
)
from digitpad.ui import theme
from digitpad.ui.data_choice import DataChoice
from digitpad.ui.full_set_button import FullSetButton, with_button
from digitpad.ui.pace_selector import PaceSelector
from digitpad.ui.training_settings import (
    describe_network,
    same_as_shown,
    waiting_for_reset,
)

DECIMALS = 6  # of the number fields


class CompactDoubleSpinBox(QDoubleSpinBox):
    """A spin box for a setting's number, that shows 0.5 rather than 0.500000."""

    def __init__(self, setting: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(DECIMALS)
        limits, step = ABOUT[setting].limits, 10.0 ** -DECIMALS
        # An open end of the range is not a value: the nearest one the box can show is.
        self.setRange(limits.low + step if limits.low_open else limits.low,
                      limits.high - step if limits.high_open else limits.high)
        self.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        # Apply a typed value on Enter or when leaving the field, not at every keystroke:
        # typing "0.05" must not train a few steps at 0 on the way.
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"


class KeepTypedKeys(QObject):
    """An event filter for combo boxes: keys typed into one (Space opens it, letters pick an
    item) stay there, rather than the window's bare-key shortcuts (Space, S, R) taking them.

    Before a shortcut fires, Qt asks the focused widget whether it wants the key (a
    ShortcutOverride event); line edits and spin boxes say yes to typed text, combo boxes don't.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_typed_text(event):
            event.accept()
            return True
        return False


def _is_typed_text(event: QKeyEvent) -> bool:
    """A key that types a character (a letter, a digit, Space), not a Ctrl/Alt/Meta combination."""
    commands = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier)
    return not event.modifiers() & commands and event.text().isprintable() and event.text() != ""


class TrainingControls(QWidget):
    """The right-hand panel. The window connects its buttons and hears settings_changed."""

    # The settings shown, whenever a knob changes them. While the hidden layers field holds no
    # valid list, they keep the last valid one (a Reset is refused then; see settings()).
    settings_changed = Signal(object)  # Settings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingControls")
        self._shown = self._applied = PRESETS["video"]
        self._hidden_valid = True
        self._updating = False  # True while the panel sets its own widgets

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._build_run_box())
        layout.addWidget(self._build_step_box())
        self.data_choice = DataChoice()  # MNIST, my digits or both: applies right away too
        self.data_choice.changed.connect(self._knob_changed)
        layout.addWidget(self.data_choice)
        layout.addWidget(self._build_network_box())
        layout.addStretch(1)
        self._keep_typed_keys = KeepTypedKeys(self)
        for combo in self.findChildren(QComboBox):
            combo.installEventFilter(self._keep_typed_keys)

        self.set_settings(PRESETS["video"])
        self.mark_applied()
        self.set_data_ready(False)

    # ---- building -------------------------------------------------------------------------

    def _build_run_box(self) -> QGroupBox:
        box = QGroupBox("Train")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        pixmap = QStyle.StandardPixmap
        self.start_pause_button = self._run_button(
            "Start", "startPauseButton", pixmap.SP_MediaPlay,
            "Start or pause training (Space).\nEach step takes one mini-batch of training "
            "digits, works out how every weight should change\n(backpropagation), and moves all "
            "weights a small step downhill on the cost.")
        self.step_button = self._run_button(
            "Step", "stepButton", pixmap.SP_MediaSkipForward,
            "Train on exactly one mini-batch, then stop (S).\nWatch a single nudge move the "
            "cost and the prediction.")
        self.reset_button = self._run_button(
            "Reset", "resetButton", pixmap.SP_BrowserReload,
            "Start over with new random weights (R), using the network settings below.\n"
            "The plots are cleared.")
        grid.addWidget(self.start_pause_button, 0, 0, 1, 2)
        grid.addWidget(self.step_button, 1, 0)
        grid.addWidget(self.reset_button, 1, 1)
        self.pace_selector = PaceSelector()  # the window connects it (pace_selector.py)
        pace_label = QLabel("Pac&e")
        pace_label.setBuddy(self.pace_selector)
        pace_label.setToolTip(self.pace_selector.toolTip())
        grid.addWidget(pace_label, 2, 0)
        grid.addWidget(self.pace_selector, 2, 1)

        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        for name, preset in PRESETS.items():
            shape = "-".join(str(s) for s in preset.sizes)
            self.preset_combo.addItem(f"{name.capitalize()}: {shape}", name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, SUMMARIES[name],
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.addItem("Custom", None)
        self.preset_combo.setToolTip(
            "Ready-made settings.\n"
            "Video: the small 784-16-16-10 network from the 'backpropagation, intuitively' "
            "story — easy to watch.\n"
            "Accurate: a much bigger network trained on varied (augmented) digits: slower, but "
            "best at reading your drawings.\n"
            "Choosing one fills in all the settings below; press Reset to train with them."
        )
        self.preset_combo.activated.connect(self._preset_chosen)
        preset_label = QLabel("&Preset")
        preset_label.setBuddy(self.preset_combo)
        grid.addWidget(preset_label, 3, 0, 1, 2)
        grid.addWidget(self.preset_combo, 4, 0, 1, 2)

        self.network_label = QLabel()
        self.network_label.setObjectName("networkDescription")
        self.network_label.setWordWrap(True)
        self.network_label.setToolTip("The network being trained now.")
        grid.addWidget(self.network_label, 5, 0, 1, 2)
        return box

    def _run_button(self, text: str, name: str, icon: QStyle.StandardPixmap,
                    tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tip)
        button.setMinimumHeight(32)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _build_step_box(self) -> QGroupBox:
        box = QGroupBox("Each step (applies right away)")
        form = self._form(box)

        self.lr_spin = CompactDoubleSpinBox("lr")
        self.lr_spin.setObjectName("learningRate")
        self._add_row(form, "&Learning rate", self.lr_spin,
            "How big a step downhill each update takes: every weight moves by\n"
            "learning rate × (how much the cost would drop if it changed).\n"
            "Too small: slow progress. Too large: the steps overshoot the valley and the "
            "cost jumps or explodes.")

        self.find_lr_button = QPushButton("Find a learning rate…")
        self.find_lr_button.setObjectName("findLrButton")
        self.find_lr_button.setToolTip(
            "Try rates growing from tiny to huge for ~100 mini-batches on a copy of the network "
            "(a learning-rate range test),\nplot the cost against the rate, and propose the "
            "largest rate that still goes downhill steadily.\nThe network being trained is not "
            "touched.")
        form.addRow("", self.find_lr_button)

        self.batch_spin = QSpinBox()
        self.batch_spin.setObjectName("batchSize")
        self.batch_spin.setRange(int(ABOUT["batch"].limits.low), int(ABOUT["batch"].limits.high))
        self.batch_spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.batch_spin.setKeyboardTracking(False)
        self.full_set_button = FullSetButton(self.batch_spin)
        self._add_row(form, "&Batch size", with_button(self.batch_spin, self.full_set_button),
            "How many training digits make one mini-batch.\nEach digit wants every weight "
            "nudged its own way; one step follows the average of the batch's wishes.\n"
            "Averaging ~100 random digits is far cheaper than all 60,000, and close enough: "
            "noisier steps, but many more of them.")

        self.augment_check = QCheckBox("vary the training digits")
        self.augment_check.setObjectName("augmentCheck")
        self._add_row(form, "&Augment", self.augment_check,
            "Show each training digit slightly moved, rotated, scaled and thickened.\n"
            "The network sees more variety, like real handwriting, and recognizes your "
            "drawings better;\ntraining is a little slower.")

        for widget in (self.lr_spin, self.batch_spin):
            widget.valueChanged.connect(self._knob_changed)
        self.augment_check.toggled.connect(self._knob_changed)
        return box

    def _build_network_box(self) -> QGroupBox:
        box = QGroupBox("Network (applies on Reset)")
        form = self._form(box)

        self.hidden_edit = QLineEdit()
        self.hidden_edit.setObjectName("hiddenLayers")
        self.hidden_edit.setPlaceholderText("none: inputs straight to outputs")
        self._add_row(form, "&Hidden layers", self.hidden_edit,
            "Neurons in each hidden layer between the 784 pixels and the 10 answers,\n"
            "separated by commas: '16, 16' is the video's network, '100' one wider layer.")

        self.activation_combo = self._combo("activationCombo", ABOUT["activation"].choices)
        self._add_row(form, "A&ctivation", self.activation_combo,
            "How a hidden neuron turns its weighted input into its output.\nsigmoid: a soft "
            "on/off between 0 and 1; relu: zero below 0, then straight up;\ntanh: like "
            "sigmoid but from -1 to 1.")

        self.output_combo = self._combo("outputCombo", ABOUT["output"].choices)
        self._add_row(form, "&Output", self.output_combo,
            "How the ten output neurons answer.\nsoftmax: ten probabilities that add up to 1; "
            "sigmoid: each digit gets its own 0–1 score.")

        self.cost_combo = self._combo("costCombo", ABOUT["cost"].choices)
        self._add_row(form, "C&ost", self.cost_combo,
            "How an answer's wrongness is measured.\nquadratic: add up the squares of the "
            "differences from the right answer;\ncross_entropy: punishes confident wrong "
            "answers hard, so it learns faster from them.")

        self.l2_spin = CompactDoubleSpinBox("l2")
        self.l2_spin.setObjectName("l2Spin")
        self._add_row(form, "L&2", self.l2_spin,
            "Weight decay: a cost for large weights, which pulls every weight a little "
            "toward 0 at each step.\nIt keeps the network from memorizing the training "
            "digits. 0 turns it off.\nThe cost gains λ/(2n)·ΣW² with n the mini-batch size, "
            "so each step shrinks every weight by a factor 1 − η·λ/n.\n(Texts that take n "
            "as the 60,000 training digits mean a λ about 600 times larger for batches "
            "of 100.)")

        self.momentum_spin = CompactDoubleSpinBox("momentum")
        self.momentum_spin.setObjectName("momentumSpin")
        self.momentum_spin.setSingleStep(0.1)
        self._add_row(form, "&Momentum", self.momentum_spin,
            "Let the weights keep part of their last step's speed, like a ball rolling "
            "downhill:\nsteady slopes are crossed faster, zig-zags cancel out. 0 is plain "
            "gradient descent; 0.9 is common.")

        self.reset_hint = QLabel()
        self.reset_hint.setObjectName("resetHint")
        self.reset_hint.setWordWrap(True)
        form.addRow(self.reset_hint)

        self.hidden_edit.textChanged.connect(self._knob_changed)
        for combo in (self.activation_combo, self.output_combo, self.cost_combo):
            combo.currentIndexChanged.connect(self._knob_changed)
        for spin in (self.l2_spin, self.momentum_spin):
            spin.valueChanged.connect(self._knob_changed)
        return box

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(8)
        return form

    @staticmethod
    def _add_row(form: QFormLayout, label: str, field: QWidget, tip: str) -> None:
        caption = QLabel(label)
        caption.setBuddy(field)
        caption.setToolTip(tip)
        field.setToolTip(tip)
        form.addRow(caption, field)

    @staticmethod
    def _combo(name: str, choices) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for choice in choices:
            combo.addItem(choice, choice)
        return combo

    # ---- state ----------------------------------------------------------------------------

    def settings(self) -> Settings | None:
        """The settings shown, or None while the hidden layers field is not valid."""
        return self._shown if self._hidden_valid else None

    def set_settings(self, settings: Settings) -> None:
        """Show `settings` (the ones the panel does not show, such as epochs, are kept too)."""
        self._updating = True
        try:
            self.hidden_edit.setText(format_hidden(settings.hidden))
            for combo, value in ((self.activation_combo, settings.activation),
                                 (self.output_combo, settings.output),
                                 (self.cost_combo, settings.cost)):
                combo.setCurrentIndex(combo.findData(value))
            self.lr_spin.setValue(settings.lr)
            self.batch_spin.setValue(settings.batch)
            self.l2_spin.setValue(settings.l2)
            self.momentum_spin.setValue(settings.momentum)
            self.augment_check.setChecked(settings.augment)
            self.data_choice.show_values(settings.train_on, settings.mine_repeats)
        finally:
            self._updating = False
        self._shown, self._hidden_valid = settings, True
        self._knob_changed()

    def change(self, **values) -> None:  # noqa: ANN003 - settings by name
        """Show the settings with these values changed, say lr=0.25 (checked by Settings)."""
        self.set_settings(replace(self._shown, **values))

    def mark_applied(self, settings: Settings | None = None) -> None:
        """The network now being trained was built with `settings` (default: those shown)."""
        applied = settings or self.settings()
        if applied is not None:
            self._applied = applied
        self._refresh()

    @property
    def applied(self) -> Settings:
        return self._applied

    def set_data_ready(self, ready: bool) -> None:
        self.start_pause_button.setEnabled(ready)
        self.step_button.setEnabled(ready)
        self.find_lr_button.setEnabled(ready)
        tip = "" if ready else "\n(Waiting for the MNIST digits to load.)"
        self.start_pause_button.setStatusTip(tip.strip())

    def set_running(self, running: bool) -> None:
        button = self.start_pause_button
        if running == (button.text() == "Pause"):
            return
        icons = QStyle.StandardPixmap
        pixmap = icons.SP_MediaPause if running else icons.SP_MediaPlay
        button.setText("Pause" if running else "Start")
        button.setIcon(self.style().standardIcon(pixmap))
        self.step_button.setEnabled(not running and button.isEnabled())

    # ---- reactions ------------------------------------------------------------------------

    def choose_preset(self, name: str) -> None:
        """Fill in every setting from PRESETS[name]; the network ones wait for a reset. The
        choice of data is not a preset's: it stays."""
        self.set_settings(replace(PRESETS[name], **self.data_choice.values()))

    def _preset_chosen(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if name is not None:
            self.choose_preset(name)

    def _knob_changed(self) -> None:
        if self._updating:
            return
        self._shown = self._read_knobs()
        self._refresh()
        self.settings_changed.emit(self._shown)

    def _read_knobs(self) -> Settings:
        """The settings the knobs show; the hidden layers stay as they were while the field's
        text is not a valid list (self._hidden_valid says which)."""
        try:
            hidden, self._hidden_valid = parse_hidden(self.hidden_edit.text()), True
        except SettingsError:
            hidden, self._hidden_valid = self._shown.hidden, False
        return replace(
            self._shown,
            hidden=hidden,
            activation=self.activation_combo.currentData(),
            output=self.output_combo.currentData(),
            cost=self.cost_combo.currentData(),
            lr=self.lr_spin.value(),
            batch=self.batch_spin.value(),
            l2=self.l2_spin.value(),
            momentum=self.momentum_spin.value(),
            augment=self.augment_check.isChecked(),
            **self.data_choice.values(),
        )

    def _refresh(self) -> None:
        """Update the preset shown, the network description and the 'Reset to apply' hint."""
        current = self.settings()
        palette = self.palette()
        warn = theme.warning_color(palette).name()

        preset_index = self.preset_combo.count() - 1  # Custom
        if current is not None:
            for i in range(self.preset_combo.count() - 1):
                if same_as_shown(PRESETS[self.preset_combo.itemData(i)], current):
                    preset_index = i
        self.preset_combo.setCurrentIndex(preset_index)

        self.network_label.setText(describe_network(self._applied))
        quiet = theme.text_color(palette, 170).name(QColor.NameFormat.HexArgb)
        self.network_label.setStyleSheet(f"color: {quiet};")

        if current is None:
            self.hidden_edit.setStyleSheet(f"QLineEdit {{ border: 1px solid {warn}; }}")
            self._show_hint(
                f"Hidden layers: write neuron counts separated by commas, e.g. 16, 16 "
                f"(at most {MAX_HIDDEN_LAYERS} layers of {MAX_NEURONS}).", warn)
            return
        self.hidden_edit.setStyleSheet("")
        pending = waiting_for_reset(current, self._applied)
        if pending:
            self._show_hint(f"⟲ Press Reset (R) to apply: {', '.join(pending)}.", warn)
        else:
            self._show_hint("", warn)

    def _show_hint(self, text: str, color: str) -> None:
        self.reset_hint.setText(text)
        self.reset_hint.setStyleSheet(f"color: {color}; font-weight: 600;")
        self.reset_hint.setVisible(bool(text))

    def changeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._refresh()
