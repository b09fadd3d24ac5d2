"""What one example wants to nudge: backpropagation of a single drawing, shown layer by layer.

For the drawing on the canvas and a target digit (the network's own guess unless the user picks
another), core.example_wishes gives every layer's wish −δ = −∂c/∂z for this one example:

    output layer   each digit's activation a (grey) and an arrow −δ: the target up, others down
    hidden layers  last to first, one bar per neuron: the output wishes passed back,
                   δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ)  (rows are examples, as in core.network)
    layer 1        the nudge to the weights into the layer-1 neuron with the largest |δ|:
                   −∂c/∂W[:, j] = −x·δⱼ, drawn on the 28×28 grid of pixels it comes from

The view is Qt layouts of small widgets that only draw (wish_bars, weight_nudge); the numbers
are computed when a new example comes and the view is visible, never while painting.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.example_wishes import MAX_SHOWN, ExampleWishes, example_wishes
from digitpad.core.network import Network
from digitpad.ui import theme
from digitpad.ui.frame import Change, Frame
from digitpad.ui.inspector import InspectorView, cannot_show
from digitpad.ui.learn_panel import LearnPanel
from digitpad.ui.quiet_label import QuietLabel
from digitpad.ui.weight_nudge import WeightNudge
from digitpad.ui.wish_bars import OUTPUT_TIP, HiddenWishes, OutputWishes

DIGITS = 10
MAX_BARS = MAX_SHOWN
"""Hidden layers show at most this many neurons (those with the largest wishes): more bars
would be thinner than a pixel at the usual size."""

PLACEHOLDER = "Draw a digit: this view shows what it wants to change"
NO_NETWORK = "No network yet: once there is one, this view shows what your digit wants to change"
MORE_WORD, LESS_WORD = theme.MORE_WORD, theme.LESS_WORD
HIDDEN_TIP = (
    "Layer {layer}, {count} neurons. Only the output layer is told the right answer, so a hidden\n"
    "neuron's wish is worked out from the layer after it: the wishes there, sent back along\n"
    "the weights that connect them (δWᵀ: a neuron with a strong connection to an output that\n"
    "wants to rise is asked to change a lot), times how much the neuron can still move\n"
    "(σ′(z): a saturated neuron cannot). That is why backpropagation runs backwards.\n"
    "{more} bar: this example wants the neuron more active; {less}: less active.\n"
    "Bars are scaled per layer (the tallest is the largest wish here, |δ| = {biggest:.3g})."
)
TARGET_TIP = (
    "The digit this drawing really is. By default the network's own guess; click another digit\n"
    "to see what the network would have to change if your drawing were that digit."
)


class BackpropView(InspectorView):
    """One example's wishes: the outputs it wants up or down, passed back layer by layer, and
    the nudge it asks of the first layer's weights."""

    title = "Nudges of your digit"
    tooltip = "What the digit on the canvas wants every neuron to do, passed back layer by layer"
    refresh_hz = 10.0  # one example's backprop, drawn layer by layer

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("backpropView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("What this example wants to nudge")
        self._network: Network | None = None
        self._image: np.ndarray | None = None
        self._chosen: int | None = None  # the target the user clicked; None: follow the guess
        self._wishes: ExampleWishes | None = None
        self._message: str | None = PLACEHOLDER
        self._look: tuple | None = None  # what is shown, to skip repaints that change nothing

        self._placeholder = QuietLabel(PLACEHOLDER)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._outputs = OutputWishes()
        self._legend = QuietLabel(alpha=160, scale=0.88)
        output_caption = QLabel("output: what it wants (−∂c/∂z)")
        output_row = CaptionRow(output_caption, self._legend, hide_when_narrow=True)
        output_row.setToolTip(OUTPUT_TIP)
        self._bands: list[HiddenBand] = []  # first hidden layer first
        self._no_hidden = QuietLabel("No hidden layers: the output wishes go straight to the "
                                     "weights from the pixels, on the right.", 160, 0.88)
        self._no_hidden.setWordWrap(True)
        self._left = QVBoxLayout()
        self._left.setSpacing(int(self.fontMetrics().height() * 0.2))
        self._left.addWidget(output_row)
        self._left.addWidget(self._outputs)
        self._left.addWidget(self._no_hidden)
        self._nudge = WeightNudge()
        content = QWidget()
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, int(self.fontMetrics().height() * 0.6), 0, 0)
        columns.setSpacing(int(self.fontMetrics().height() * 1.2))
        columns.addLayout(self._left, 1)
        columns.addWidget(self._nudge)
        self._stack = QStackedLayout()
        self._stack.addWidget(self._placeholder)
        self._stack.addWidget(content)

        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.addWidget(self._target_row())
        self.learn_panel = LearnPanel()
        column.addWidget(self.learn_panel)
        column.addLayout(self._stack, 1)
        self._write_legend()
        self._sync_controls()
        self.setAccessibleDescription(PLACEHOLDER)

    def _target_row(self) -> QWidget:
        """"It is a: 0 1 … 9 (its guess)": the digit the wishes are for."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        label = QLabel("It is a:")
        label.setToolTip(TARGET_TIP)
        row.addWidget(label)
        row.addSpacing(4)
        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        for digit in range(DIGITS):
            button = QToolButton()
            button.setObjectName(f"targetDigit{digit}")
            button.setText(str(digit))
            button.setCheckable(True)
            button.setToolTip(TARGET_TIP)
            button.setAccessibleName(f"It is a {digit}")
            self._buttons.addButton(button, digit)
            row.addWidget(button)
        row.addSpacing(6)
        self._note = QuietLabel()
        self._note.setObjectName("targetNote")
        row.addWidget(self._note)
        row.addStretch(1)
        self._buttons.idClicked.connect(self._target_clicked)
        return holder

    # ---- input ------------------------------------------------------------------------------

    def show_frame(self, frame: Frame) -> None:
        if Change.NEW_DRAWING in frame.changed:
            self.clear_target()  # a new drawing: its digit is not known yet
        if frame.changed & (Change.WEIGHTS | Change.DRAWING):
            self.show_example(frame.network, frame.seen)

    def show_example(self, network: Network | None, image: np.ndarray | None) -> None:
        """Show what `image` (the (28, 28) input in [0, 1] the network sees; None: an empty
        canvas) wants `network` to change. The image is copied; the network is read now, or when
        the widget is next shown if it is hidden (hand over a snapshot if another thread trains
        it)."""
        if image is not None:
            image = np.array(image, dtype=np.float32)  # a copy: the caller may reuse its array
            if image.ndim != 2 or image.size == 0:
                raise ValueError(f"expected a 2-D image, got shape {image.shape}")
        self._network, self._image = network, image
        self.input_changed()

    def clear_target(self) -> None:
        """Follow the network's guess again (a new drawing's digit is not known)."""
        if self._chosen is not None:
            self._chosen = None
            self.input_changed()

    @property
    def target(self) -> int | None:
        """The digit the wishes are for: the one the user picked, else the network's guess
        (None with nothing to guess from)."""
        self.ensure_current()
        if self._chosen is not None:
            return self._chosen
        return None if self._wishes is None else self._wishes.guess

    @property
    def target_is_chosen(self) -> bool:
        """True once the user has picked a digit (until clear_target())."""
        return self._chosen is not None

    # ---- read-only accessors (for tests and automation) ---------------------------------------

    @property
    def showing_placeholder(self) -> bool:
        """True when there is nothing to show and a message says why."""
        self.ensure_current()
        return self._wishes is None

    def message(self) -> str | None:
        """The placeholder text shown instead of the wishes, or None."""
        self.ensure_current()
        return self._message

    def output_wishes(self) -> np.ndarray | None:
        """−δ of the output layer for this example (positive: wants it up), or None."""
        self.ensure_current()
        return None if self._wishes is None else self._wishes.output_wishes.copy()

    def outputs(self) -> np.ndarray | None:
        """The output activations a drawn as grey bars, or None."""
        self.ensure_current()
        return None if self._wishes is None else self._wishes.outputs.copy()

    def hidden_wishes(self) -> list[np.ndarray]:
        """−δ of every hidden neuron, one array per hidden layer, first layer first (the view
        draws them last to first). Empty with nothing shown or no hidden layers."""
        self.ensure_current()
        return [] if self._wishes is None else [w.copy() for w in self._wishes.hidden_wishes]

    def shown_neurons(self) -> list[np.ndarray]:
        """Per hidden layer (first first), the indices of the neurons that get a bar."""
        self.ensure_current()
        return [] if self._wishes is None else [s.copy() for s in self._wishes.shown]

    def nudged_neuron(self) -> int | None:
        """j: the neuron of layer 1 whose incoming-weight nudge is drawn, or None."""
        self.ensure_current()
        return None if self._wishes is None else self._wishes.neuron

    def weight_nudge(self) -> np.ndarray | None:
        """−∂c/∂W[:, j] = −x·δⱼ as an image (the shape of the input), or None."""
        self.ensure_current()
        return None if self._wishes is None else self._wishes.nudge.copy()

    def tooltip_at(self, pos: QPointF) -> str:
        """The tooltip for a point of the widget: that of the part under it."""
        self.ensure_current()
        if self._wishes is None:
            return self._message or PLACEHOLDER
        part = self.childAt(pos.toPoint())
        while part is not None and part is not self:
            if hasattr(part, "tooltip_at"):
                return part.tooltip_at(part.mapFrom(self, pos))
            if part.toolTip():
                return part.toolTip()
            part = part.parentWidget()
        return OUTPUT_TIP

    # ---- computing (when the inputs change and the widget is visible; never in paintEvent) -----

    def refresh(self) -> None:
        network, image = self._network, self._image
        self._message = cannot_show(network, image, PLACEHOLDER, NO_NETWORK, outputs=DIGITS)
        self._wishes = (None if self._message else
                        example_wishes(network, image, self._chosen, MAX_BARS))
        self._sync_controls()
        look = self._look_of(self._wishes, self._message)
        if look != self._look:
            self._look = look
            self._show_wishes()
            self.setAccessibleDescription(self._description())

    def _show_wishes(self) -> None:
        """Hand the parts what they draw."""
        wishes = self._wishes
        if wishes is None:
            self._placeholder.setText(self._message or PLACEHOLDER)
            self._stack.setCurrentIndex(0)
            self.layout().activate()
            return
        self._outputs.set_wishes(wishes.outputs, wishes.output_wishes, wishes.target)
        if len(self._bands) != len(wishes.hidden_wishes):
            self._make_bands(len(wishes.hidden_wishes))
        for l, (band, values, shown) in enumerate(zip(self._bands, wishes.hidden_wishes,
                                                       wishes.shown)):
            band.show_layer(l, values, shown, wishes.neuron if l == 0 else None)
        self._nudge.set_nudge(wishes.nudge, self._neuron_words())
        self._stack.setCurrentIndex(1)
        self.layout().activate()  # the parts' places now, not at the next event: grab() sees them

    def _make_bands(self, count: int) -> None:
        """One band per hidden layer, last to first under the outputs; the outputs get the
        most room, and no hidden layer more than 0.8 of it."""
        for band in self._bands:
            band.remove()
        each = min(55 / count, 36) if count else 0
        self._bands = [HiddenBand() for _ in range(count)]
        for band in reversed(self._bands):
            band.insert_into(self._left, self._left.count() - 1, round(each))
        self._left.setStretch(1, round(100 - each * count))
        self._no_hidden.setVisible(count == 0)

    @staticmethod
    def _look_of(wishes: ExampleWishes | None, message: str | None) -> tuple:
        """Everything the picture depends on, rounded to what could change a pixel."""
        if wishes is None:
            return (message,)

        def rounded(values: np.ndarray, scale: float = 1.0) -> bytes:
            return np.rint(values * (1000.0 / scale)).astype(np.int32).tobytes()

        hidden = tuple(
            (s.tobytes(), rounded(w[s], float(np.abs(w).max(initial=0.0)) or 1.0))
            for w, s in zip(wishes.hidden_wishes, wishes.shown))
        biggest = float(np.abs(wishes.nudge).max(initial=0.0)) or 1.0
        return (wishes.guess, wishes.target, wishes.neuron, rounded(wishes.outputs),
                rounded(wishes.output_wishes), hidden,
                np.rint(wishes.nudge * (255.0 / biggest)).astype(np.int16).tobytes())

    def _description(self) -> str:
        wishes = self._wishes
        if wishes is None:
            return self._message or PLACEHOLDER
        return (f"It is a {wishes.target}: this example wants output {wishes.target} up and the "
                f"others down, and most wants {self._neuron_words()} to change.")

    def _neuron_words(self) -> str:
        if self._wishes is None:
            return ""
        if not self._wishes.hidden_wishes:
            return f"output neuron {self._wishes.neuron}"
        return f"neuron {self._wishes.neuron + 1} of layer 1"  # counted from 1, as in Weights

    def _target_clicked(self, digit: int) -> None:
        if digit != self._chosen:
            self._chosen = digit
            self.input_changed()
        self._sync_controls()

    def _sync_controls(self) -> None:
        """Check the target's button and say whose choice it is."""
        target = self._chosen
        guess = None if self._wishes is None else self._wishes.guess
        if target is None:
            target = guess
        checked = self._buttons.checkedId()
        if target is None and checked != -1:
            # An exclusive group never unchecks its last button by itself.
            self._buttons.setExclusive(False)
            self._buttons.button(checked).setChecked(False)
            self._buttons.setExclusive(True)
        elif target is not None and checked != target:
            self._buttons.button(target).setChecked(True)
        if guess is None:
            note = ""
        elif self._chosen is None:
            note = "(its guess)"
        elif self._chosen == guess:
            note = "(its guess too)"
        else:
            note = f"(it guesses {guess})"
        if self._note.text() != note:
            self._note.setText(note)

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

    # ---- Qt -----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("0") * 80, metrics.height() * 24)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("0") * 50, metrics.height() * 16)

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        # The nudge's column: a third of the width, and no wider than its picture can use.
        line = self.fontMetrics().height()
        margins = self.layout().contentsMargins()
        width = self.width() - margins.left() - margins.right()
        self._nudge.setFixedWidth(math.ceil(min(width * 0.36, max(self.height() - 3.4 * line,
                                                                   4 * line))))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_legend"):
            self._write_legend()


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
    """One hidden layer's rows in the view's column: "passed back", its caption, a bar per
    neuron. Only the bars grow with the room there is."""

    def __init__(self) -> None:
        self._caption = QLabel()
        self._note = QuietLabel(alpha=160, scale=0.88)
        self._bars = HiddenWishes()
        arrow = QuietLabel("↓ passed back through the weights", 160, 0.88)
        arrow.setContentsMargins(0, arrow.fontMetrics().height() // 2, 0, 0)
        self.parts = [arrow, CaptionRow(self._caption, self._note), self._bars]

    def insert_into(self, layout: QBoxLayout, index: int, stretch: int) -> None:
        for i, part in enumerate(self.parts):
            layout.insertWidget(index + i, part, stretch if part is self._bars else 0)

    def remove(self) -> None:
        for part in self.parts:
            part.setParent(None)
            part.deleteLater()

    def show_layer(self, l: int, values: np.ndarray, shown: np.ndarray,
                   marked: int | None) -> None:
        """Layer l + 1's wishes `values`, of which `shown` get a bar; `marked` gets a caret."""
        here, after = _superscript(l + 1), _superscript(l + 2)
        self._caption.setText(f"layer {l + 1} ({len(values)} neurons): −δ{here}, where δ{here} "
                              f"= (δ{after} Wᵀ) ⊙ σ′(z{here})")
        self._note.setText("" if len(shown) == len(values) else
                           f"{len(shown)} of {len(values)} with the largest wishes")
        self._bars.set_wishes(values, shown, marked)
        tip = HIDDEN_TIP.format(layer=l + 1, count=len(values), more=MORE_WORD.capitalize(),
                                less=LESS_WORD.capitalize(),
                                biggest=float(np.abs(values).max(initial=0.0)))
        for part in self.parts[1:]:
            part.setToolTip(tip)


def _superscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
