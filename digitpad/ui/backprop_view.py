"""What one example wants to nudge: backpropagation of a single drawing, drawn layer by layer.

For the drawing on the canvas and a target digit (the network's own guess unless the user picks
another), core's Network.backprop gives every layer's δ = ∂c/∂z for this one example. The view
draws the wishes −δ, the direction that lowers this example's cost:

    output layer   each digit's activation a (grey) and an arrow −δ: the target up, others down
    hidden layers  last to first, one bar per neuron: the output wishes passed back,
                   δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ)  (rows are examples, as in core.network)
    layer 1        the nudge to the weights into the layer-1 neuron with the largest |δ|:
                   −∂c/∂W[:, j] = −x·δⱼ, drawn on the 28×28 grid of pixels it comes from

The widget only draws: the numbers come from core, computed when show_example() is called (or
when the widget is next shown), never while painting.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.example_wishes import MAX_SHOWN, ExampleWishes, arrow_scale, example_wishes
from digitpad.core.network import Network
from digitpad.ui import theme
from digitpad.ui.frame import Change, Frame
from digitpad.ui.inspector import InspectorView
from digitpad.ui.tooltips import show_tooltip_for_part

DIGITS = 10
MAX_BARS = MAX_SHOWN
"""Hidden layers show at most this many neurons (those with the largest wishes): more bars
would be thinner than a pixel at the usual size."""

PLACEHOLDER = "Draw a digit: this view shows what it wants to change"
NO_NETWORK = "No network yet: once there is one, this view shows what your digit wants to change"

# theme.more_color for what this example wants higher or stronger, theme.less_color for lower.
MORE_WORD, LESS_WORD = theme.MORE_WORD, theme.LESS_WORD

OUTPUT_TIP = (
    "The output layer, one column per digit.\n"
    "Grey bar: what the output says now (its activation a, from 0 at the bottom to 1 at the top).\n"
    "Arrow: what this one example wants that output to do, −∂c/∂z (its \"wish\" −δ). The digit\n"
    "it really is should go up, every other digit down, each by as much as it is wrong: an\n"
    "output that is already nearly right hardly asks for anything.\n"
    "With the cross-entropy cost the arrow ends exactly where the output should be: 1 for the\n"
    "right digit, 0 for the others."
)
HIDDEN_TIP = (
    "Layer {layer}, {count} neurons. Only the output layer is told the right answer, so a hidden\n"
    "neuron's wish is worked out from the layer after it: the wishes there, sent back along\n"
    "the weights that connect them (δWᵀ: a neuron with a strong connection to an output that\n"
    "wants to rise is asked to change a lot), times how much the neuron can still move\n"
    "(σ′(z): a saturated neuron cannot). That is why backpropagation runs backwards.\n"
    "{more} bar: this example wants the neuron more active; {less}: less active.\n"
    "Bars are scaled per layer (the tallest is the largest wish here, |δ| = {biggest:.3g})."
)
NUDGE_TIP = (
    "The nudge this one example asks for on the {inputs} weights into {neuron}, the one it\n"
    "most wants changed: −∂c/∂w = −x·δ for each pixel x.\n"
    "{more}: strengthen that weight; {less}: weaken it. Pixels without ink get no nudge at\n"
    "all: their weights made no difference to this drawing.\n"
    "Training averages such nudges over a mini-batch of examples and takes one small step."
)
NUDGE_NOTE = "Pixels without ink get no nudge:\n−x·δ is 0 where x is 0."
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
        self._look: tuple | None = None  # what is drawn, to skip repaints that change nothing
        self._layout_cache: _Layout | None = None
        self._caption_cache: tuple[tuple, QTextDocument] | None = None
        self._nudge_image: QImage | None = None  # made when the wishes change, not in paintEvent

        self._target_row = QWidget(self)
        row = QHBoxLayout(self._target_row)
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
        self._note = QLabel("")
        self._note.setObjectName("targetNote")
        row.addWidget(self._note)
        row.addStretch(1)
        self._buttons.idClicked.connect(self._target_clicked)

        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.addWidget(self._target_row)
        column.addStretch(1)  # the rest is painted
        self._apply_palette()
        self._sync_controls()
        self.setAccessibleDescription(PLACEHOLDER)

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
        """Follow the network's guess again (the window calls this when the canvas is cleared)."""
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
        """The tooltip for a point of the widget: which band it is over decides the text."""
        self.ensure_current()
        wishes = self._wishes
        if wishes is None:
            return self._message or PLACEHOLDER
        layout = self._layout()
        if layout.nudge_band.contains(pos):
            return NUDGE_TIP.format(inputs=wishes.nudge.size, neuron=self._neuron_words(),
                                    more=MORE_WORD.capitalize(), less=LESS_WORD.capitalize())
        for l, band in enumerate(layout.hidden_bands):
            if band.contains(pos):
                values = wishes.hidden_wishes[l]
                return HIDDEN_TIP.format(layer=l + 1, count=len(values),
                                         more=MORE_WORD.capitalize(), less=LESS_WORD.capitalize(),
                                         biggest=float(np.abs(values).max(initial=0.0)))
        if layout.output_band.contains(pos):
            text = OUTPUT_TIP
            columns = layout.output_columns
            for digit, rect in enumerate(columns):
                if rect.left() <= pos.x() < rect.right() and digit < len(wishes.outputs):
                    text += (f"\n\nDigit {digit}: a = {wishes.outputs[digit]:.3f}, "
                             f"wish −δ = {wishes.output_wishes[digit]:+.3f}")
            return text
        return TARGET_TIP if pos.y() < layout.area.top() else OUTPUT_TIP

    # ---- computing (when the inputs change and the widget is visible; never in paintEvent) -----

    def refresh(self) -> None:
        network, image = self._network, self._image
        self._wishes, self._message = None, None
        if image is None:
            self._message = PLACEHOLDER
        elif network is None:
            self._message = NO_NETWORK
        elif network.sizes[0] != image.size or network.sizes[-1] != DIGITS:
            self._message = (f"This view needs a network with {image.size} inputs and "
                             f"{DIGITS} outputs, not {network.describe()}")
        else:
            self._wishes = example_wishes(network, image, self._chosen, MAX_BARS)
        self._make_nudge_image()
        self._sync_controls()
        look = self._look_of(self._wishes, self._message)
        if look != self._look:
            self._look = look
            self.setAccessibleDescription(self._description())
            self.update()

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

    # ---- geometry -----------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont]:
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.88))
        return bold, small

    def _layout(self) -> _Layout:
        """Where each band goes: worked out once per size, font and network shape."""
        hidden = () if self._wishes is None else tuple(len(s) for s in self._wishes.shown)
        sizes = () if self._wishes is None else tuple(len(w) for w in self._wishes.hidden_wishes)
        key = (self.width(), self.height(), self.font().key(), self._target_row.geometry().bottom(),
               hidden, sizes)
        if self._layout_cache is None or self._layout_cache.key != key:
            self._layout_cache = self._compute_layout(key, hidden, sizes)
        return self._layout_cache

    def _compute_layout(self, key: tuple, hidden: tuple[int, ...],
                        sizes: tuple[int, ...]) -> _Layout:
        metrics = QFontMetricsF(self.font())
        small = QFontMetricsF(self._fonts()[1])
        line, little = metrics.height(), small.height()
        margins = self.layout().contentsMargins()
        top = self._target_row.geometry().bottom() + line * 0.6
        area = QRectF(margins.left(), top, max(1.0, self.width() - margins.left()
                                                 - margins.right()),
                      max(1.0, self.height() - top - margins.bottom()))
        gap = line * 1.2  # between the columns, and between bands (room for the "back" arrow)

        # Right column: the 28×28 nudge, a square under its caption.
        # The caption's size for the widest neuron number this layer can have: the layout then
        # stays put from one example to the next.
        if self._wishes is None or sizes:
            words = f"neuron {'0' * len(str(max(sizes, default=100) - 1))} of layer 1"
        else:
            words = "output neuron 0"
        column = min(area.width() * 0.36, max(area.height() - 3.4 * line, line * 4))
        caption_height = self._nudge_document(words, column, QColor(), QColor(), QColor()) \
            .size().height() + line * 0.4
        small_print = small.boundingRect(QRectF(0, 0, column, 1e6),
                                         int(Qt.TextFlag.TextWordWrap), NUDGE_NOTE).height()
        below = line * 0.4 + small_print
        side = max(1.0, min(column, area.height() - caption_height - below))
        cells = max(1.0, math.floor(side / 28)) * 28 if side >= 56 else side
        # The block (caption, image, small print) in the middle of its column.
        block = caption_height + cells + below
        top = area.top() + max(0.0, (area.height() - block) / 2)
        nudge_band = QRectF(area.right() - column, area.top(), column, area.height())
        nudge_caption = QRectF(nudge_band.left(), top, column, caption_height)
        nudge_image = QRectF(nudge_band.left() + (column - cells) / 2, top + caption_height,
                             cells, cells)
        nudge_note = QRectF(nudge_band.left(), nudge_image.bottom() + line * 0.4, column,
                            small_print)

        # Left column: the output band on top, then each hidden layer, last to first.
        left = QRectF(area.left(), area.top(), area.width() - column - gap, area.height())
        # A wide layer's "64 of 512 …" goes beside its caption, or under it if there is no room;
        # layer 1 keeps a row under its bars for the caret that names neuron j.
        beside = [n == s or metrics.horizontalAdvance(_hidden_caption(l, s))
                  + small.horizontalAdvance("    " + _hidden_note(n, s)) <= left.width()
                  for l, (n, s) in enumerate(zip(hidden, sizes))]
        notes = [0.0 if fits else little * 1.1 for fits in beside]
        markers = [little * 1.2 if l == 0 else 0.0 for l in range(len(hidden))]
        fixed = line + little * 1.3  # output caption, digit labels
        fixed += sum(notes) + sum(markers) + (line + gap) * len(hidden)
        no_hidden = line * 0.6 + little * 3.2 if not hidden else 0.0
        free = max(0.0, left.height() - fixed - no_hidden)
        if hidden:
            # The outputs get the most room; no hidden layer gets more than 0.8 of it, and what
            # a hidden layer cannot take goes back to the outputs.
            out_bars = free * 0.45
            each = min((free - out_bars) / len(hidden), out_bars * 0.8)
            out_bars = free - each * len(hidden)
        else:
            out_bars, each = min(free, left.width() * 0.6), 0.0
        y = left.top()
        output_caption = QRectF(left.left(), y, left.width(), line)
        y += line
        output_bars = QRectF(left.left(), y + line * 0.2, left.width(),
                             max(1.0, out_bars - line * 0.2))
        y += out_bars
        labels_top = y
        y += little * 1.3
        output_band = QRectF(left.left(), left.top(), left.width(), y - left.top())
        width = output_bars.width() / DIGITS
        output_columns = [QRectF(output_bars.left() + d * width, output_bars.top(), width,
                                 y - output_bars.top()) for d in range(DIGITS)]
        no_hidden_note = QRectF(left.left(), y + line * 0.6, left.width(), little * 3.2)

        bands, captions, bars, note_rects, arrows = [], [], [], [], []
        for l in reversed(range(len(hidden))):  # drawn last to first
            arrows.append(QRectF(left.left(), y, left.width(), gap))
            y += gap
            band_top = y
            captions.append(QRectF(left.left(), y, left.width(), line))
            y += line
            note_rects.append(captions[-1] if beside[l] else
                              QRectF(left.left(), y, left.width(), notes[l]))
            y += notes[l]
            bars.append(QRectF(left.left(), y, left.width(), max(1.0, each)))
            y += each + markers[l]
            bands.append(QRectF(left.left(), band_top, left.width(), y - band_top))
        # Stored first layer first, like the wishes.
        for rects in (bands, captions, bars, note_rects):
            rects.reverse()
        return _Layout(key, area, output_band, output_caption, output_bars, output_columns,
                       labels_top, bands, captions, bars, note_rects, arrows, no_hidden_note,
                       nudge_band, nudge_caption, nudge_image, nudge_note)

    # ---- Qt -----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("0") * 80, metrics.height() * 24)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("0") * 50, metrics.height() * 16)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_note"):
            self._apply_palette()
            self._make_nudge_image()
            self.update()
        elif event.type() == QEvent.Type.FontChange:
            self._layout_cache = None
            self.update()

    def _make_nudge_image(self) -> None:
        """The weight nudge on the theme's diverging scale, relative to its largest |value|."""
        if self._wishes is None:
            self._nudge_image = None
            return
        nudge = self._wishes.nudge
        biggest = float(np.abs(nudge).max(initial=0.0)) or 1.0
        self._nudge_image = theme.rgb_image(theme.diverging_rgb(nudge / biggest, self.palette()))

    def _apply_palette(self) -> None:
        quiet = theme.text_color(self.palette(), 170).name(QColor.NameFormat.HexArgb)
        self._note.setStyleSheet(f"color: {quiet};")

    def event(self, event: QEvent) -> bool:
        return show_tooltip_for_part(self, event) or super().event(event)

    # ---- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        self.ensure_current()  # only if it was hidden when the inputs came: normally a no-op
        layout = self._layout()
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._wishes is None:
            painter.setPen(theme.text_color(palette, 170))
            painter.drawText(layout.area, int(Qt.AlignmentFlag.AlignCenter)
                             | int(Qt.TextFlag.TextWordWrap), self._message or PLACEHOLDER)
        else:
            colours = _Colours(
                text=theme.text_color(palette), quiet=theme.text_color(palette, 160),
                faint=theme.text_color(palette, 40), grey=theme.text_color(palette, 110),
                more=theme.more_color(palette), less=theme.less_color(palette),
                zero=palette.color(QPalette.ColorRole.Base))
            self._paint_outputs(painter, layout, colours)
            self._paint_hidden(painter, layout, colours)
            self._paint_nudge(painter, layout, colours)
        painter.end()

    def _paint_outputs(self, painter: QPainter, layout: _Layout, c: _Colours) -> None:
        wishes = self._wishes
        bold, small = self._fonts()
        painter.setFont(self.font())
        painter.setPen(c.text)
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(layout.output_caption, align, "output: what it wants (−∂c/∂z)")
        self._paint_legend(painter, layout.output_caption, c, small)

        bars = layout.output_bars
        # Faint lines at 0 and 1: where an output can go.
        painter.setPen(QPen(c.faint, 1))
        painter.drawLine(QPointF(bars.left(), bars.top()), QPointF(bars.right(), bars.top()))
        painter.drawLine(QPointF(bars.left(), bars.bottom()), QPointF(bars.right(), bars.bottom()))
        k = arrow_scale(wishes.outputs, wishes.output_wishes)
        width = bars.width() / DIGITS
        bar = max(2.0, min(width * 0.16, 7.0))
        shaft = max(2.0, min(width * 0.2, 8.0))
        painter.setPen(Qt.PenStyle.NoPen)
        for digit in range(DIGITS):
            centre = bars.left() + (digit + 0.5) * width
            a = float(wishes.outputs[digit])
            y0 = bars.bottom() - a * bars.height()
            painter.setBrush(c.grey)
            painter.drawRect(QRectF(centre - bar * 1.25, y0, bar, bars.bottom() - y0))
            wish = float(wishes.output_wishes[digit])
            y1 = bars.bottom() - min(1.0, max(0.0, a + k * wish)) * bars.height()
            colour = c.more if wish > 0 else c.less
            _arrow(painter, centre + shaft * 0.9, y0, y1, shaft, colour)

        labels = QRectF(bars.left(), layout.labels_top, bars.width(), layout.output_columns[0]
                        .bottom() - layout.labels_top)
        for digit in range(DIGITS):
            rect = QRectF(labels.left() + digit * width, labels.top(), width, labels.height())
            if digit == wishes.target:
                painter.setFont(bold)
                painter.setPen(c.more)
            else:
                painter.setFont(self.font())
                painter.setPen(c.text)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(digit))

    def _paint_legend(self, painter: QPainter, rect: QRectF, c: _Colours, font: QFont) -> None:
        """"▮ now  ▲ more  ▼ less", right-aligned in the output caption's line."""
        metrics = QFontMetricsF(font)
        caption = QFontMetricsF(self.font()).horizontalAdvance("output: what it wants (−∂c/∂z)")
        parts = [("now", c.grey, "bar"), ("more", c.more, "up"), ("less", c.less, "down")]
        mark = metrics.height() * 0.7
        widths = [mark + metrics.horizontalAdvance(" " + word) for word, _, _ in parts]
        spacing = metrics.horizontalAdvance("  ")
        total = sum(widths) + spacing * (len(parts) - 1)
        if caption + spacing * 2 + total > rect.width():
            return  # too narrow: the tooltip explains the colours
        painter.setFont(font)
        x = rect.right() - total
        mid = rect.center().y()
        for (word, colour, shape), w in zip(parts, widths):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            if shape == "bar":
                painter.drawRect(QRectF(x + mark * 0.3, mid - mark / 2, mark * 0.4, mark))
            else:
                tip, base = (mid - mark / 2, mid + mark / 2) if shape == "up" else (
                    mid + mark / 2, mid - mark / 2)
                path = QPainterPath(QPointF(x, base))
                path.lineTo(QPointF(x + mark, base))
                path.lineTo(QPointF(x + mark / 2, tip))
                path.closeSubpath()
                painter.drawPath(path)
            painter.setPen(c.quiet)
            painter.drawText(QRectF(x + mark, rect.top(), w - mark, rect.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             " " + word)
            x += w + spacing

    def _paint_hidden(self, painter: QPainter, layout: _Layout, c: _Colours) -> None:
        wishes = self._wishes
        _, small = self._fonts()
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for arrow in layout.arrows:
            self._paint_back_arrow(painter, arrow, c, small)
        if not wishes.hidden_wishes:
            painter.setFont(small)
            painter.setPen(c.quiet)
            painter.drawText(layout.no_hidden_note, align | int(Qt.TextFlag.TextWordWrap),
                             "No hidden layers: the output wishes go straight to the weights "
                             "from the pixels, on the right.")
        for l, (values, shown) in enumerate(zip(wishes.hidden_wishes, wishes.shown)):
            painter.setFont(self.font())
            painter.setPen(c.text)
            painter.drawText(layout.hidden_captions[l], align, _hidden_caption(l, len(values)))
            if len(shown) < len(values):
                painter.setFont(small)
                painter.setPen(c.quiet)
                painter.drawText(layout.hidden_notes[l], right,
                                 _hidden_note(len(shown), len(values)))
            bars = layout.hidden_bars[l]
            mid = bars.center().y()
            painter.setPen(QPen(c.faint, 1))
            painter.drawLine(QPointF(bars.left(), mid), QPointF(bars.right(), mid))
            if len(shown) == 0:
                continue
            biggest = float(np.abs(values).max(initial=0.0)) or 1.0
            slot = bars.width() / len(shown)
            width = max(1.0, min(slot * 0.7, QFontMetricsF(self.font()).height() * 0.7))
            half = bars.height() / 2
            up, down = [], []  # one drawRects call per colour, not one drawRect per bar
            for i, value in enumerate((values[shown] / biggest).tolist()):
                height = abs(value) * half
                x = bars.left() + (i + 0.5) * slot - width / 2
                if value > 0:
                    up.append(QRectF(x, mid - height, width, height))
                else:
                    down.append(QRectF(x, mid, width, max(height, 0.5)))
            painter.setPen(Qt.PenStyle.NoPen)
            for rects, colour in ((up, c.more), (down, c.less)):
                if rects:
                    painter.setBrush(colour)
                    painter.drawRects(rects)
            if l == 0:
                i = int(np.searchsorted(shown, wishes.neuron))
                x = bars.left() + (i + 0.5) * slot - width / 2
                self._paint_marker(painter, QRectF(x, bars.top(), width, bars.height()),
                                   bars.right(), c)

    def _paint_marker(self, painter: QPainter, bar: QRectF, limit: float, c: _Colours) -> None:
        """A caret under the neuron whose weight nudge is drawn on the right, and its name."""
        size = QFontMetricsF(self.font()).height() * 0.45
        x, y = bar.center().x(), bar.bottom() + 1
        path = QPainterPath(QPointF(x, y))
        path.lineTo(QPointF(x - size * 0.6, y + size))
        path.lineTo(QPointF(x + size * 0.6, y + size))
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.text)
        painter.drawPath(path)
        font = self._fonts()[1]
        words = f"neuron {self._wishes.neuron + 1}"
        width = QFontMetricsF(font).horizontalAdvance(words) + 2
        height = QFontMetricsF(font).height()
        painter.setFont(font)
        painter.setPen(c.text)
        if x + size + width <= limit:
            painter.drawText(QRectF(x + size, y, width, height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), words)
        else:  # no room on the right: the name goes to the left of the caret
            painter.drawText(QRectF(x - size - width, y, width, height),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             words)

    def _paint_back_arrow(self, painter: QPainter, rect: QRectF, c: _Colours, font: QFont) -> None:
        """A small downward arrow between bands: the wishes travel back one layer."""
        size = rect.height() * 0.45
        x = rect.left() + size
        top, bottom = rect.top() + rect.height() * 0.2, rect.bottom() - rect.height() * 0.15
        painter.setPen(QPen(c.quiet, max(1.0, size * 0.18)))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom - size * 0.4))
        path = QPainterPath(QPointF(x, bottom))
        path.lineTo(QPointF(x - size * 0.45, bottom - size * 0.55))
        path.lineTo(QPointF(x + size * 0.45, bottom - size * 0.55))
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.quiet)
        painter.drawPath(path)
        painter.setFont(font)
        painter.setPen(c.quiet)
        painter.drawText(QRectF(x + size, rect.top(), rect.width() - 2 * size, rect.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         "passed back through the weights")

    def _nudge_document(self, neuron: str, width: float, text: QColor, more: QColor,
                        less: QColor) -> QTextDocument:
        """The caption over the nudge image: which weights, and what the colours mean."""
        document = QTextDocument()
        document.setDefaultFont(self.font())
        document.setDocumentMargin(0)
        # Never break inside "neuron 184" or "layer 1".
        neuron = neuron.replace("neuron ", "neuron&nbsp;").replace("layer ", "layer&nbsp;")
        document.setHtml(
            f"<p align='center' style='color:{text.name()}'>weights into {neuron}:<br>"
            f"<span style='color:{more.name()}'><b>{MORE_WORD}</b>&nbsp;=&nbsp;strengthen</span>, "
            f"<span style='color:{less.name()}'><b>{LESS_WORD}</b>&nbsp;=&nbsp;weaken</span></p>")
        document.setTextWidth(width)
        return document

    def _paint_nudge(self, painter: QPainter, layout: _Layout, c: _Colours) -> None:
        key = (self._neuron_words(), layout.nudge_caption.width(), self.font().key(),
               c.text.rgba(), c.more.rgba(), c.less.rgba())
        if self._caption_cache is None or self._caption_cache[0] != key:
            self._caption_cache = (key, self._nudge_document(
                self._neuron_words(), layout.nudge_caption.width(), c.text, c.more, c.less))
        document = self._caption_cache[1]
        painter.save()
        painter.translate(layout.nudge_caption.topLeft())
        document.drawContents(painter, QRectF(0, 0, layout.nudge_caption.width(),
                                              layout.nudge_caption.height()))
        painter.restore()

        rect = layout.nudge_image
        image = self._nudge_image
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.drawImage(rect, image)
        painter.setPen(QPen(c.faint, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.restore()
        painter.setFont(self._fonts()[1])
        painter.setPen(c.quiet)
        painter.drawText(layout.nudge_note, int(Qt.AlignmentFlag.AlignHCenter)
                         | int(Qt.TextFlag.TextWordWrap), NUDGE_NOTE)


def _hidden_caption(l: int, count: int) -> str:
    here, after = _superscript(l + 1), _superscript(l + 2)
    return f"layer {l + 1} ({count} neurons): −δ{here}, where δ{here} = (δ{after} Wᵀ) ⊙ σ′(z{here})"


def _superscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _hidden_note(shown: int, count: int) -> str:
    return f"{shown} of {count} with the largest wishes"


def _arrow(painter: QPainter, x: float, y0: float, y1: float, shaft: float,
           colour: QColor) -> None:
    """A vertical arrow from y0 to y1 (its tip), `shaft` wide; a mere nub when very short."""
    length = abs(y1 - y0)
    if length < 0.75:
        return
    direction = -1.0 if y1 < y0 else 1.0
    head = min(length, shaft * 1.6)
    half = shaft * 1.1
    neck = y1 - direction * head
    painter.setBrush(colour)
    if length > head:
        painter.drawRect(QRectF(x - shaft / 2, min(y0, neck), shaft, abs(neck - y0)))
    path = QPainterPath(QPointF(x, y1))
    path.lineTo(QPointF(x - half, neck))
    path.lineTo(QPointF(x + half, neck))
    path.closeSubpath()
    painter.drawPath(path)


class _Colours(NamedTuple):
    text: QColor
    quiet: QColor
    faint: QColor
    grey: QColor
    more: QColor
    less: QColor
    zero: QColor


class _Layout(NamedTuple):
    key: tuple
    area: QRectF  # everything under the target row
    output_band: QRectF
    output_caption: QRectF
    output_bars: QRectF  # 0 at its bottom, 1 at its top
    output_columns: list[QRectF]  # each digit's column, bars and label
    labels_top: float
    hidden_bands: list[QRectF]  # first hidden layer first (drawn at the bottom)
    hidden_captions: list[QRectF]
    hidden_bars: list[QRectF]
    hidden_notes: list[QRectF]
    arrows: list[QRectF]  # the gaps above each hidden band
    no_hidden_note: QRectF  # where "no hidden layers" is said, when there are none
    nudge_band: QRectF
    nudge_caption: QRectF
    nudge_image: QRectF
    nudge_note: QRectF
