"""What one example wants to nudge: backpropagation of a single drawing, shown layer by layer.

For the drawing on the canvas and a target digit (the network's own guess unless the user picks
another), core.example_wishes gives every layer's wish −δ = −∂c/∂z for this one example:

    output layer   each digit's activation a (grey) and an arrow −δ: the target up, others down
    hidden layers  last to first, one bar per neuron: the output wishes passed back,
                   δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ)  (rows are examples, as in core.network):
                   the sum of the ten outputs' wishes, or, once an output digit is clicked,
                   that output's wish alone (core.neuron_wishes)
    three ways     the clicked output's (else the target's) bias, incoming weights and the
                   activations before it: −∂c/∂b, −a·δ and −w·δ, each ranked
    layer 1        the nudge to the weights into the layer-1 neuron with the largest |δ|:
                   −∂c/∂W[:, j] = −x·δⱼ, drawn on the 28×28 grid of pixels it comes from

The three columns sit in a splitter under one row of controls (the target digit and Learn this
digit), so each gets the room it needs at the usual window size. They are small widgets that
only draw (passed_back, three_ways, weight_nudge); the numbers are computed when a new example
comes and the view is visible, never while painting.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.example_wishes import MAX_SHOWN, ExampleWishes, example_wishes
from digitpad.core.network import Network
from digitpad.core.neuron_wishes import ThreeWays
from digitpad.ui.frame import Change, Frame
from digitpad.ui.inspector import InspectorView, cannot_show
from digitpad.ui.learn_panel import LearnPanel
from digitpad.ui.passed_back import PassedBack
from digitpad.ui.quiet_label import QuietLabel
from digitpad.ui.three_ways import ThreeWaysPanel
from digitpad.ui.weight_nudge import WeightNudge
from digitpad.ui.wish_bars import OUTPUT_TIP

DIGITS = 10
MAX_BARS = MAX_SHOWN
"""Hidden layers show at most this many neurons (those with the largest wishes): more bars
would be thinner than a pixel at the usual size."""

PLACEHOLDER = "Draw a digit: this view shows what it wants to change"
NO_NETWORK = "No network yet: once there is one, this view shows what your digit wants to change"
TARGET_TIP = (
    "The digit this drawing really is. By default the network's own guess; click another digit\n"
    "to see what the network would have to change if your drawing were that digit."
)


class BackpropView(InspectorView):
    """One example's wishes: the outputs it wants up or down, passed back layer by layer (all
    ten, or one output alone), one output's three ways to change, and the nudge it asks of the
    first layer's weights."""

    title = "Nudges of your digit"
    tooltip = "What the digit on the canvas wants every neuron to do, passed back layer by layer"
    refresh_hz = 10.0  # one example's backprop, drawn layer by layer
    refresh_hz_while_drawing = 30.0  # every frame: it shows the drawing, so it follows the pen

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("backpropView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("What this example wants to nudge")
        self._network: Network | None = None
        self._image: np.ndarray | None = None
        self._chosen: int | None = None  # the target the user clicked; None: follow the guess
        self._alone: int | None = None  # the output digit shown alone; None: all ten
        self._wishes: ExampleWishes | None = None
        self._message: str | None = PLACEHOLDER
        self._look: tuple | None = None  # what is shown, to skip repaints that change nothing

        self._placeholder = QuietLabel(PLACEHOLDER)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._passed_back = PassedBack()
        self._passed_back.output_chosen.connect(self.show_output_alone)
        self._ways = ThreeWaysPanel()
        self._nudge = WeightNudge()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("nudgesSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(int(self.fontMetrics().height() * 0.8))
        for part, stretch in ((self._passed_back, 10), (self._ways, 9), (self._nudge, 5)):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self._stack = QStackedLayout()
        self._stack.addWidget(self._placeholder)
        self._stack.addWidget(self.splitter)

        self.learn_panel = LearnPanel()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self._target_row(), 1)
        header.addWidget(self.learn_panel)
        # The parts live on a body without a layout of the view's own: as they change with every
        # frame (a caption's text, a bar's size), their layout is done again inside the body,
        # and stops there. Had the view a layout, each change would reach the tab widget, and
        # that repaints its whole page at each layout request.
        self._body = QWidget(self)
        column = QVBoxLayout(self._body)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(int(self.fontMetrics().height() * 0.4))
        column.addLayout(header)
        column.addWidget(self.learn_panel.result)
        column.addLayout(self._stack, 1)
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
        row.addSpacing(4)
        self._note = QuietLabel(scale=0.88)
        self._note.setObjectName("targetNote")
        # Cut rather than pushing the Learn buttons out of the row when it is short of room.
        self._note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self._note, 1)
        self._buttons.idClicked.connect(self._target_clicked)
        return holder

    # ---- input ------------------------------------------------------------------------------

    def show_frame(self, frame: Frame) -> None:
        if Change.NEW_DRAWING in frame.changed:
            self._chosen = None  # a new drawing: its digit is not known yet (shown just below)
        if frame.changed & (Change.WEIGHTS | Change.DRAWING | Change.NEW_DRAWING):
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

    def show_output_alone(self, digit: int | None) -> None:
        """Pass back only output `digit`'s wishes (None: the sum of all ten, the total)."""
        if digit != self._alone:
            self._alone = digit
            self.input_changed()
        self._passed_back.all_ten.setChecked(self._alone is None)  # a click may have unchecked it

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

    def output_alone(self) -> int | None:
        """The output digit whose wishes alone are passed back; None: all ten (their sum)."""
        return self._alone

    def aloneness_note(self) -> str:
        """What the view says the layers show: the sum of the ten, or one output alone."""
        self.ensure_current()
        return self._passed_back.note()

    def layer_captions(self) -> list[str]:
        """The hidden layers' captions, first layer first."""
        self.ensure_current()
        return self._passed_back.captions()

    def three_ways(self) -> ThreeWays | None:
        """The three ways of the output shown alone (else the target's), or None."""
        self.ensure_current()
        return None if self._wishes is None else self._wishes.ways

    def drawn_ways(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The bars drawn for the bias, the weights and the activations, left to right."""
        self.ensure_current()
        panel = self._ways
        return panel.bias.values(), panel.weights.values(), panel.activations.values()

    def output_column(self, digit: int) -> QPointF:
        """The centre of output `digit`'s column, in this view's coordinates (to click it)."""
        outputs = self._passed_back.outputs
        return QPointF(outputs.mapTo(self, outputs.column(digit).center().toPoint()))

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
                        example_wishes(network, image, self._chosen, MAX_BARS, self._alone))
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
            self._body.layout().activate()
            return
        self._passed_back.show_wishes(wishes)
        self._ways.set_ways(wishes.ways, self._layer_before_outputs())
        self._nudge.set_nudge(wishes.nudge, self._neuron_words())
        self._stack.setCurrentIndex(1)
        self._body.layout().activate()  # the parts in place now: grab() sees them

    def _layer_before_outputs(self) -> str:
        hidden = len(self._wishes.hidden_wishes) if self._wishes else 0
        return f"layer {hidden}" if hidden else "the pixels"

    @staticmethod
    def _look_of(wishes: ExampleWishes | None, message: str | None) -> tuple:
        """Everything the picture depends on, rounded to what could change a pixel."""
        if wishes is None:
            return (message,)

        def rounded(values: np.ndarray, scale: float = 1.0) -> bytes:
            return np.rint(values * (1000.0 / scale)).astype(np.int32).tobytes()

        hidden = tuple(
            (s.tobytes(), rounded(w[s], float(np.abs(w).max(initial=0.0)) or 1.0),
             rounded(t[s], float(np.abs(t).max(initial=0.0)) or 1.0))
            for w, s, t in zip(wishes.hidden_wishes, wishes.shown, wishes.hidden_totals))
        biggest = float(np.abs(wishes.nudge).max(initial=0.0)) or 1.0
        ways = wishes.ways
        scale = ways.biggest or 1.0
        return (wishes.guess, wishes.target, wishes.neuron, wishes.output, rounded(wishes.outputs),
                rounded(wishes.output_wishes), hidden,
                np.rint(wishes.nudge * (255.0 / biggest)).astype(np.int16).tobytes(),
                ways.neuron, rounded(np.array([ways.bias]), scale),
                rounded(ways.weights, scale), rounded(ways.activations, scale))

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
            self._note.setToolTip(note)

    # ---- Qt -----------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        self._body.setGeometry(self.rect())

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("0") * 80, metrics.height() * 24)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("0") * 50, metrics.height() * 16)
