"""The network as the familiar picture, lit by the digit on the canvas.

Left, the 28×28 input as the network sees it; then each layer as a column of neurons, shaded by
its activation for this input (core.network_picture), the outputs labelled 0–9. Between layers,
the few connections that add the most to each neuron's z (largest |a·w|): red where they excite
it, blue where they hold it back, wider the more they add. Hover a neuron for its activation and
bias (and, in layer 1, the picture of its weights); click it to make its connections stand out.

All geometry, colours and pens are made when a new picture comes or the widget is resized;
paintEvent only draws them. In slow motion, at 1 step a second, each training step is played
(ui/step_animation.py): the forward pass, the wishes travelling back, then the new weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from digitpad.core.network import Network
from digitpad.core.network_picture import NetworkPicture, network_picture
from digitpad.ui import theme
from digitpad.ui.frame import Change, Frame
from digitpad.ui.inspector import InspectorView, cannot_show
from digitpad.ui.step_animation import (
    PLAYED_UP_TO,
    WEIGHTS,
    StepAnimation,
    neuron_wishes,
    wish_pens,
)
from digitpad.ui.tooltips import show_tooltip_for_part

PLACEHOLDER = "Draw a digit: this view lights up the network with it"
NO_NETWORK = "No network yet: once there is one, this view shows it lit by your digit"
CAPTION = ("Each neuron is as bright as its activation for your digit. Lines: what adds most to "
           "each neuron's z (a·w) — {more} excites, {less} holds back. Click a neuron.")
LINK_SHADES = 12  # a connection's width and colour take this many steps between weak and strong
INPUT_TIP = ("Your digit as the network sees it: 784 numbers from 0 to 1, one per pixel.\n"
             "These are the activations of the input layer.")


@dataclass
class _Links:
    """Connections into one layer drawn with one pen."""

    layer: int  # l: they go from layer l − 1 into layer l
    pen: QPen
    lines: list[QLineF]
    sources: np.ndarray  # i of each line
    targets: np.ndarray  # j of each line

    def touches(self, layer: int, neuron: int) -> np.ndarray:
        """Per line: whether it comes from or goes into this neuron."""
        return ((self.layer == layer) & (self.targets == neuron)) | (
            (self.layer - 1 == layer) & (self.sources == neuron))


@dataclass
class _Geometry:
    """Where everything goes at the current size (made in refresh/resizeEvent, not painting)."""

    image_rect: QRectF
    centres: list[list[QPointF]]  # per layer 1…L, per shown neuron
    radius: float
    links: list[_Links]  # weak first
    labels: list[tuple[QRectF, str]]  # column captions and the output digits
    caption: QRectF


class NetworkView(InspectorView):
    """The network, every neuron lit by the digit on the canvas, with its strongest links."""

    title = "Network"
    tooltip = "The whole network lit by the digit on the canvas, with its strongest connections"
    refresh_hz = 10.0
    refresh_hz_while_drawing = 30.0  # every frame: it shows the drawing, so it follows the pen

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.setAccessibleName("The network lit by your digit")
        self.setMouseTracking(False)
        self._network: Network | None = None
        self._image: np.ndarray | None = None
        self._picture: NetworkPicture | None = None
        self._message: str | None = PLACEHOLDER
        self._selected: tuple[int, int] | None = None  # (layer, neuron)
        self._input_image: QImage | None = None
        self._fills: list[list[QColor]] = []
        self._geometry: _Geometry | None = None
        self.animation = StepAnimation(self)  # slow motion: the step being played
        self.animation.changed.connect(self._act_changed)
        self.animation.finished.connect(self.update)
        self._after: Network | None = None  # the weights after the step being played
        self._wish_pens: list[list[QPen]] = []
        self._pens: dict[tuple[int, bool], QPen] = {}  # the connections' pens, by shade and sign
        self._step = 0

    # ---- input ------------------------------------------------------------------------------

    def show_frame(self, frame: Frame) -> None:
        if not frame.changed & (Change.WEIGHTS | Change.DRAWING | Change.RUN):
            return
        if self._plays(frame):
            self._play_step(frame.network, frame.snapshot.steps)
        else:
            self.animation.stop()
            self.show_example(frame.network, frame.seen)

    def _plays(self, frame: Frame) -> bool:
        """Whether to play this frame's new step: slowed down enough, a step on the same run
        and drawing, and a picture on screen to play it on."""
        return (frame.pace is not None and frame.pace <= PLAYED_UP_TO and self.isVisible()
                and frame.changed & Change.STEPS
                and not frame.changed & (Change.DRAWING | Change.NEW_DRAWING | Change.RUN)
                and self.picture() is not None)

    def _play_step(self, after: Network, step: int) -> None:
        """Play the step from the weights shown now to `after`: forward, backward, weights."""
        if self.animation.playing:  # the step before is not over: show its end first
            self.show_example(self._after, self._image)
            self.ensure_current()
        self._after, self._step = after, step
        self._wish_pens = wish_pens(neuron_wishes(self._network, self._image),
                                    self._picture.shown, self.palette())
        self.animation.play(len(after.sizes) - 1)

    def _act_changed(self, phase: str, layer: int) -> None:
        if phase == WEIGHTS:
            self.show_example(self._after, self._image)
        self.update()

    def show_example(self, network: Network | None, image: np.ndarray | None) -> None:
        """Show `network` lit by `image` ((28, 28) in [0, 1]; None: an empty canvas)."""
        self._network = network
        self._image = None if image is None else np.array(image, np.float32)
        self.input_changed()

    # ---- read-only accessors (for tests and automation) ---------------------------------------

    def picture(self) -> NetworkPicture | None:
        self.ensure_current()
        return self._picture

    def message(self) -> str | None:
        self.ensure_current()
        return self._message

    def neuron_centre(self, layer: int, neuron: int) -> QPointF:
        """Where neuron `neuron` of `layer` (1…L) is drawn; it must be one of those shown."""
        self.ensure_current()
        shown = list(self._picture.shown[layer])
        return QPointF(self._geometry.centres[layer - 1][shown.index(neuron)])

    def hidden_note(self, layer: int) -> str:
        """The caption under a layer's column: its size, and how many are not drawn."""
        self.ensure_current()
        return self._column_caption(layer)

    @property
    def selected(self) -> tuple[int, int] | None:
        """(layer, neuron) clicked, whose connections stand out; None: none."""
        return self._selected

    def neuron_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(layer, neuron) under `pos`, or None."""
        self.ensure_current()
        if self._geometry is None:
            return None
        reach = self._geometry.radius + 2
        for l, centres in enumerate(self._geometry.centres, start=1):
            for k, centre in enumerate(centres):
                if QLineF(centre, pos).length() <= reach:
                    return l, int(self._picture.shown[l][k])
        return None

    def tooltip_at(self, pos: QPointF) -> str:
        self.ensure_current()
        if self._picture is None:
            return self._message or PLACEHOLDER
        hit = self.neuron_at(pos)
        if hit is None:
            if self._geometry.image_rect.contains(pos):
                return INPUT_TIP
            return self._caption_text().replace(" — ", "\n")
        layer, j = hit
        picture = self._picture
        last = layer == len(picture.activations) - 1
        name = f"Output {j} (the digit {j})" if last else f"Neuron {j + 1} of layer {layer}"
        text = (f"{name}<br>activation {picture.activations[layer][j]:.3f}, "
                f"bias {picture.biases[layer - 1][j]:+.3f}")
        if layer == 1 and self._network is not None and self._network.sizes[0] == 784:
            weights = np.asarray(self._network.weights[0][:, j], np.float64).reshape(28, 28)
            text += ("<br>its 784 weights: red pixels excite it, blue hold it back<br>"
                     f"<img src='data:image/png;base64,{_png_base64(weights, self.palette())}' "
                     "width=112 height=112>")
        return f"<p style='white-space:pre'>{text}</p>"

    # ---- computing (when the inputs change and the widget is visible; never in paintEvent) -----

    def refresh(self) -> None:
        network, image = self._network, self._image
        self._message = cannot_show(network, image, PLACEHOLDER, NO_NETWORK)
        self._picture = None if self._message else network_picture(network, image)
        if self._picture is None or (self._selected is not None and
                                     self._selected[1] not in self._picture.shown[
                                         self._selected[0]]):
            self._selected = None
        self.setAccessibleDescription(self._message or self._caption_text())
        self._make_colours()
        self._layout()
        self.update()

    def _make_colours(self) -> None:
        palette = self.palette()
        self._input_image, self._fills = None, []
        if self._picture is None:
            return
        paper = np.array(palette.color(QPalette.ColorRole.Base).getRgb()[:3], np.float32)
        ink = np.array(palette.color(QPalette.ColorRole.Text).getRgb()[:3], np.float32)
        seen = np.clip(self._picture.activations[0], 0, 1).reshape(28, 28) \
            if self._picture.activations[0].size == 784 else None
        if seen is not None:
            rgb = paper + seen[..., None] * (ink - paper)
            self._input_image = theme.rgb_image(np.clip(rgb + 0.5, 0, 255).astype(np.uint8))
        for a, shown in zip(self._picture.activations[1:], self._picture.shown[1:]):
            # sigmoid and softmax give [0, 1]; relu can go higher: then the brightest is full.
            scale = max(1.0, float(np.abs(a).max(initial=0.0)))
            shades = np.clip(a[shown] / scale, 0, 1)
            self._fills.append([QColor(*(int(v + 0.5) for v in paper + t * (ink - paper)))
                                for t in shades])

    def _layout(self) -> None:
        """Place the input, the columns, the links and the captions for the current size."""
        picture = self._picture
        if picture is None:
            self._geometry = None
            return
        line = self.fontMetrics().height()
        w, h = float(self.width()), float(self.height())
        caption = QRectF(8, 4, w - 16, 2.4 * line)
        top, bottom = caption.bottom() + 0.6 * line, h - 2.4 * line
        tall = max(bottom - top, 10.0)
        side = min(tall, 0.22 * w)
        image_rect = QRectF(8, top + (tall - side) / 2, side, side)
        columns = len(picture.activations) - 1
        left, right = image_rect.right() + 3.5 * line, w - 2.0 * line
        step = (right - left) / max(columns - 1, 1) if columns > 1 else 0.0
        most = max(len(s) for s in picture.shown[1:])
        radius = max(2.0, min(0.4 * tall / most, 0.18 * max(step, 4 * line), 0.7 * line))
        centres, labels = [], []
        for l in range(1, columns + 1):
            x = left + (l - 1) * step if columns > 1 else (left + right) / 2
            n = len(picture.shown[l])
            gap = tall / n
            centres.append([QPointF(x, top + (k + 0.5) * gap) for k in range(n)])
            labels.append((QRectF(x - step / 2 + 2, bottom + 0.2 * line, max(step - 4, 4 * line),
                                  2.2 * line), self._column_caption(l)))
        for k, centre in enumerate(centres[-1]):
            labels.append((QRectF(centre.x() + radius + 3, centre.y() - line / 2, 1.6 * line,
                                  line), str(int(picture.shown[-1][k]))))
        labels.append((QRectF(image_rect.left(), bottom + 0.2 * line, image_rect.width() +
                              line, 2.2 * line), "input\n28×28 = 784"))
        self._geometry = _Geometry(image_rect, centres, radius, self._make_links(
            image_rect, centres, radius), labels, caption)

    def _make_links(self, image_rect: QRectF, centres: list[list[QPointF]],
                    radius: float) -> list[_Links]:
        """The chosen connections as lines, in groups that share a pen, weak groups first (so
        the strong are drawn on top). Sizes are rounded to LINK_SHADES steps: one pen, and one
        drawLines call, for every group instead of a pen and a call for every line."""
        picture, cell = self._picture, image_rect.width() / 28
        parts = []  # per layer: (x0, y0, x1, y1), layer, source, target, shade, excites
        for l, chosen in enumerate(picture.links, start=1):
            size = np.abs(chosen.value) / (float(np.abs(chosen.value).max(initial=0.0)) or 1.0)
            keep = size > 0.02  # thinner ones are too small to see, and add nothing
            i, j = chosen.source[keep], chosen.target[keep]
            ends = _xy(centres[l - 1])[np.searchsorted(picture.shown[l], j)] - (radius, 0)
            if l == 1:  # from the pixel, on the input image
                starts = np.column_stack((image_rect.left() + (i % 28 + 0.5) * cell,
                                          image_rect.top() + (i // 28 + 0.5) * cell))
            else:
                starts = _xy(centres[l - 2])[np.searchsorted(picture.shown[l - 1], i)] + (
                    radius, 0)
            parts.append((np.hstack((starts, ends)), np.full(len(i), l), i, j,
                          np.rint(size[keep] * LINK_SHADES).astype(int), chosen.value[keep] > 0))
        points, layer, source, target, shade, excites = (np.concatenate(p) for p in zip(*parts))
        if not len(layer):
            return []  # nothing adds to any z: all weights or all activations are 0
        # Weak first; within a shade, by layer and sign, so that each group is one run.
        order = np.lexsort((excites, layer, shade))
        points, layer, source, target, shade, excites = (
            a[order] for a in (points, layer, source, target, shade, excites))
        lines = [QLineF(*xy) for xy in points.tolist()]
        new_group = (np.diff(shade) != 0) | (np.diff(layer) != 0) | (excites[1:] != excites[:-1])
        cuts = [0, *(np.flatnonzero(new_group) + 1).tolist(), len(layer)]
        return [_Links(int(layer[a]), self._link_pen(int(shade[a]), bool(excites[a])),
                       lines[a:b], source[a:b], target[a:b]) for a, b in zip(cuts, cuts[1:])]

    def _link_pen(self, shade: int, excites: bool) -> QPen:
        """The pen of a connection this strong (0…LINK_SHADES) that excites or holds back."""
        pen = self._pens.get((shade, excites))
        if pen is None:
            palette, t = self.palette(), shade / LINK_SHADES
            colour = theme.more_color(palette) if excites else theme.less_color(palette)
            # Opaque, mixed with the background: Qt draws opaque lines several times faster
            # than translucent ones, and this view follows the pen. Flat caps: round ones
            # take Qt's slow way, four times the time.
            pen = QPen(theme.mix(palette.color(QPalette.ColorRole.Window), colour,
                                 0.25 + 0.75 * t), 0.6 + 2.2 * t)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            self._pens[shade, excites] = pen
        return pen

    def _column_caption(self, layer: int) -> str:
        picture = self._picture
        if picture is None:
            return ""
        count = len(picture.activations[layer])
        name = "output" if layer == len(picture.activations) - 1 else f"layer {layer}"
        hidden = picture.hidden_count(layer)
        return f"{name}: {count}" if hidden == 0 else \
            f"{name}: {count}\n{hidden} more not shown"

    def _caption_text(self) -> str:
        return CAPTION.format(more=theme.MORE_WORD, less=theme.LESS_WORD)

    # ---- events -----------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        self._layout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) and \
                hasattr(self, "_picture"):
            self._pens = {}
            self._make_colours()
            self._layout()
            self.update()

    def event(self, event: QEvent) -> bool:
        return show_tooltip_for_part(self, event) or super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.neuron_at(event.position())
            self._selected = None if hit == self._selected else hit
            self.update()
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.ensure_current()
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        geometry = self._geometry
        if geometry is None:
            painter.setPen(theme.text_color(palette, 170))
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter) |
                             int(Qt.TextFlag.TextWordWrap), self._message or "")
            painter.end()
            return
        if self._input_image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(geometry.image_rect, self._input_image)
        painter.setPen(QPen(theme.text_color(palette, 90), 1))
        painter.drawRect(geometry.image_rect)
        selected = self._selected
        # Over the input too: the lines into layer 1 start at the pixels they come from.
        playing = self.animation
        lit = [group for group in geometry.links if playing.lit(group.layer)]
        if selected is None:
            for group in lit:
                painter.setPen(group.pen)
                painter.drawLines(group.lines)
        else:  # the selected neuron's connections over the others, faded
            # Opaque, as the others: a translucent pen made this paint seven times slower.
            faded = theme.mix(palette.color(QPalette.ColorRole.Window), theme.text_color(palette),
                              0.1)
            near = [group.touches(*selected) for group in lit]
            for group, touches in zip(lit, near):
                pen = QPen(group.pen)
                pen.setColor(faded)
                painter.setPen(pen)
                painter.drawLines([line for line, t in zip(group.lines, touches) if not t])
            for group, touches in zip(lit, near):
                painter.setPen(group.pen)
                painter.drawLines([line for line, t in zip(group.lines, touches) if t])
        r = geometry.radius
        rim = QPen(theme.text_color(palette, 110), 1)
        mark = QPen(theme.warning_color(palette), 2.5)
        unlit = palette.color(QPalette.ColorRole.Base)
        not_yet = QPen(theme.text_color(palette, 45), 1, Qt.PenStyle.DashLine)
        for l, (centres, fills) in enumerate(zip(geometry.centres, self._fills), start=1):
            shown = self._picture.shown[l]
            wishing, lit = playing.wishing(l), playing.lit(l)
            for k, (centre, fill) in enumerate(zip(centres, fills)):
                if wishing:
                    painter.setPen(self._wish_pens[l - 1][k])
                elif not lit:
                    painter.setPen(not_yet)  # not reached yet, rather than an activation of 0
                else:
                    painter.setPen(mark if selected == (l, int(shown[k])) else rim)
                painter.setBrush(fill if lit else unlit)
                painter.drawEllipse(centre, r, r)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(theme.text_color(palette, 200))
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.9)
        painter.setFont(small)
        centre_flags = int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.AlignmentFlag.AlignTop)
        for rect, text in geometry.labels:
            painter.drawText(rect, centre_flags if "\n" in text or ":" in text else
                             int(Qt.AlignmentFlag.AlignVCenter), text)
        painter.setPen(theme.text_color(palette, 170))
        caption = playing.words(self._step) if playing.playing else self._caption_text()
        painter.drawText(geometry.caption, int(Qt.TextFlag.TextWordWrap), caption)
        painter.end()


def _xy(points: list[QPointF]) -> np.ndarray:
    """Points as an (n, 2) array."""
    return np.array([(p.x(), p.y()) for p in points], np.float64).reshape(-1, 2)


def _png_base64(values: np.ndarray, palette: QPalette) -> str:
    """A 2-D array on the theme's red/blue scale, as base64 PNG (for a rich-text tooltip)."""
    biggest = float(np.abs(values).max(initial=0.0)) or 1.0
    image = theme.rgb_image(theme.diverging_rgb(values / biggest, palette))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.toBase64()).decode("ascii")
