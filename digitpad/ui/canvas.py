"""The drawing canvas: you paint a digit on the 28×28 grid the network sees.

Strokes are stored as vector paths in grid units (a float point (x, y) with 0 ≤ x, y ≤ 28, so
(14, 14) is the centre of the grid whatever the widget's size). The 28×28 image is rasterized from
those paths, so it is exactly the same at any window size or screen scale. The widget only draws
and emits signals; the main window turns `image()` into a prediction.

The canvas can also hold a picture that was never drawn: a 28×28 image exactly as the network
sees it (a test digit, say), shown with a caption. Drawing on it adds ink to it, and the caption
goes, as the image is no longer the one named; undoing those strokes brings both back.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QRegion,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.rasterizer import DEFAULT_PEN_WIDTH, FINE, GRID, pen_path, rasterize
from digitpad.ui.own_keys import OwnKeys, is_plain, plain_digit

# A new point is kept only if the pen moved at least this far (grid units) since the last one.
_MIN_STEP = 0.05

# While the pen moves, the guide stroke follows every mouse move, but the cells (a
# rasterization of the whole drawing) are redrawn at most this often: ~30 times a second, as
# often as the prediction. Each rasterization is time the training thread cannot run.
CELLS_INTERVAL_MS = 33

# White ink on black paper, as in MNIST, in light and dark themes alike.
PAPER = QColor(14, 15, 18)
INK = QColor(255, 255, 255)

Point = tuple[float, float]
Stroke = list[Point]


def stroke_path(points: Sequence[Point], scale: float = 1.0) -> QPainterPath:
    """The pen's path through a stroke's points (grid units, multiplied by `scale`): the curve
    the rasterizer inks (core.rasterizer.pen_path), as a QPainterPath."""
    if not points:
        return QPainterPath()
    curve = pen_path(points) * scale
    if len(curve) == 1 or not np.any(curve != curve[0]):
        # A click without a move: a dot as wide as the pen. Qt draws nothing for a path of
        # length zero, but a round-capped segment a thousandth of a cell long is a disc.
        curve = np.array([curve[0], curve[0] + (0.001 * scale, 0)])
    # pyqtgraph hands Qt the whole curve at once: a lineTo() per point took ~1.5 ms a stroke,
    # and the stroke being drawn is made anew on every move of the pen.
    return pg.arrayToQPath(curve[:, 0], curve[:, 1])


def _grey_cells(image: np.ndarray) -> QImage:
    """A 2-D ink array as a QImage of the same size, one pixel per cell, PAPER to INK."""
    paper = np.array([PAPER.red(), PAPER.green(), PAPER.blue()], dtype=np.float32)
    ink = np.array([INK.red(), INK.green(), INK.blue()], dtype=np.float32)
    v = np.clip(np.nan_to_num(image), 0.0, 1.0)[..., None]
    rgb = (paper + v * (ink - paper) + 0.5).astype(np.uint8)
    h, w = image.shape
    rgb = np.ascontiguousarray(rgb)
    # copy(): the QImage must own its pixels, not borrow the NumPy buffer.
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def paint_cells(
    painter: QPainter, rect: QRectF, image: np.ndarray | QImage, grid_alpha: int
) -> None:
    """Paint a 2-D ink array (or its _grey_cells image) as sharp square cells filling `rect`,
    with faint grid lines."""
    cells = image if isinstance(image, QImage) else _grey_cells(image)
    painter.save()
    # No smoothing: each pixel of the image becomes one crisp square cell.
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(rect, cells)
    if grid_alpha > 0:
        ratio = painter.device().devicePixelRatioF()
        rows, cols = cells.height(), cells.width()
        painter.drawPixmap(
            rect.topLeft(), _grid(rect.width(), rect.height(), ratio, rows, cols, grid_alpha)
        )
    painter.restore()


@functools.lru_cache(maxsize=8)
def _grid(width: float, height: float, ratio: float, rows: int, cols: int, alpha: int) -> QPixmap:
    """Faint grid lines, drawn once per size: redrawing ~54 lines on every pen move was most of
    a repaint's cost."""
    pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor(255, 255, 255, alpha), 0))  # 0 = one device pixel
    for i in range(1, cols):
        x = width * i / cols
        painter.drawLine(QPointF(x, 0), QPointF(x, height))
    for i in range(1, rows):
        y = height * i / rows
        painter.drawLine(QPointF(0, y), QPointF(width, y))
    painter.end()
    return pixmap


def _resampled(picture: np.ndarray, size: int) -> np.ndarray:
    """A square image as size × size, each new pixel the old one under its centre (exact 4×4)."""
    rows = ((np.arange(size) + 0.5) * len(picture) / size).astype(int)
    return picture[np.ix_(rows, rows)]


def _bounds(points: Sequence[Point]) -> QRectF:
    """The smallest box (grid units) holding these points."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))


def square_rect(width: int, height: int, cells: int, margin: float = 1.0) -> QRectF:
    """The largest centred square in a width × height widget, a whole number of pixels per cell
    when there is room for it, so that cell edges stay crisp."""
    side = max(1.0, min(width, height) - 2 * margin)
    if side >= 2 * cells:
        side = math.floor(side / cells) * cells
    return QRectF((width - side) / 2, (height - side) / 2, side, side)


class Canvas(OwnKeys, QWidget):
    """A square 28×28 drawing grid; left button draws, right button / Delete / Esc clear."""

    changed = Signal()  # any change to the drawing, including every pen move during a stroke
    digit_key_pressed = Signal(int)  # keys 0–9 pressed while the canvas has focus

    def __init__(self, parent: QWidget | None = None, pen_width: float = DEFAULT_PEN_WIDTH):
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setToolTip(
            "Draw a digit with the left mouse button.\n"
            "Right-click, Delete or Esc clears the canvas; Ctrl+Z undoes the last stroke.\n"
            "Press its digit key (0–9) to keep the drawing in my digits with that label.\n"
            "Each square is one of the 28×28 pixels the network reads."
        )
        self._pen_width = float(pen_width)
        self._strokes: list[Stroke] = []
        self._picture: np.ndarray | None = None  # (28, 28) ink in [0, 1] under the strokes
        self._caption = ""  # what the picture is, shown over it while no stroke is on it
        self._note = ""  # said over the canvas until the drawing next changes
        self._drawing = False  # True between a left press and its release
        # Caches, emptied whenever the drawing changes: rasterizations by size, the cells as
        # shown, and each stroke's guide path (in grid units).
        self._images: dict[int, np.ndarray] = {}
        self._fine: np.ndarray | None = None  # _fine_image() of the drawing as it is
        # The finished strokes' FINE rasterization: (how many strokes it holds, the image).
        self._finished_ink: tuple[int, np.ndarray] = (0, np.zeros((FINE, FINE), np.float32))
        self._cells_image: QImage | None = None
        self._paths: list[QPainterPath | None] = []
        # While the pen moves, the cells last drawn stay on screen a moment out of date: _stale
        # is the part of the grid (grid units) where they may differ from the drawing, None
        # when they are up to date.
        self._stale: QRectF | None = QRectF(0, 0, GRID, GRID)
        self._cells_age = QElapsedTimer()  # time since _cells_image was made
        self._cells_timer = QTimer(self)  # shows the stale cells anew once that is allowed
        self._cells_timer.setSingleShot(True)
        self._cells_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._cells_timer.timeout.connect(self._update_stale_cells)

    # --- the drawing -----------------------------------------------------------------------

    @property
    def strokes(self) -> list[Stroke]:
        """A copy of the strokes: lists of (x, y) points in grid units (0..28)."""
        return [list(stroke) for stroke in self._strokes]

    def set_strokes(self, strokes: Iterable[Iterable[Sequence[float]]]) -> None:
        """Replace the drawing with these strokes (grid units), e.g. to replay a saved digit."""
        new = [[(float(x), float(y)) for x, y in stroke] for stroke in strokes]
        new = [stroke for stroke in new if stroke]
        if not all(math.isfinite(v) for stroke in new for point in stroke for v in point):
            raise ValueError("stroke coordinates must be finite numbers")
        self._drawing = False
        self._strokes = new
        self._picture, self._caption = None, ""
        self._drawing_changed()

    def show_picture(self, pixels: np.ndarray, caption: str) -> None:
        """Replace the drawing with a 28×28 image of ink in [0, 1] that is already what the
        network sees (say a test digit, as_inputs() of its pixels), captioned with what it is."""
        picture = np.array(pixels, dtype=np.float32)  # a copy: the caller may reuse its array
        if picture.shape != (GRID, GRID) or not np.all(np.isfinite(picture)):
            raise ValueError(f"expected a {GRID}×{GRID} image of finite values, got shape "
                             f"{picture.shape}")
        self.clear()  # a new digit for whoever counts them
        self._picture, self._caption = np.clip(picture, 0.0, 1.0), caption
        self._drawing_changed()

    @property
    def holds_picture(self) -> bool:
        """True while a picture (a test digit) is on the canvas, drawn over or not: nothing
        made from the canvas then may be learned from, or it would no longer test anything."""
        return self._picture is not None

    @property
    def picture(self) -> np.ndarray | None:
        """The picture shown, while nothing is drawn on it: exactly what the network sees.
        None when the canvas holds only strokes, or strokes over the picture."""
        return None if self._picture is None or self._strokes else self._picture.copy()

    @property
    def caption(self) -> str:
        """The words shown over the canvas ("" for none): the untouched picture's caption, or
        a note such as why a test digit cannot be kept."""
        untouched = self._picture is not None and not self._strokes
        return self._note or (self._caption if untouched else "")

    @property
    def pen_width(self) -> float:
        """Pen width in grid cells."""
        return self._pen_width

    @pen_width.setter
    def pen_width(self, width: float) -> None:
        if not width > 0:
            raise ValueError("the pen width must be positive")
        self._pen_width = float(width)
        if self._strokes:
            self._drawing_changed()

    def image(self, size: int = GRID) -> np.ndarray:
        """The drawing as a (size, size) float32 array of ink in [0, 1] (paper 0, ink 1).

        The default is the 28×28 grid shown on screen, before any MNIST-style normalization.
        """
        if size not in self._images:
            if FINE % size:
                ink = rasterize(self._strokes, size, self._pen_width)
            else:
                k = FINE // size
                ink = self._fine_image().reshape(size, k, size, k).mean(axis=(1, 3))
            if self._picture is not None:
                ink = np.maximum(ink, _resampled(self._picture, size))
            self._images[size] = ink
        return self._images[size].copy()

    def _fine_image(self) -> np.ndarray:
        """The FINE×FINE rasterization. Ink is the largest coverage any stroke gives a pixel,
        so the finished strokes are rasterized once and only the one being drawn anew; and
        that once per change, for the cells on screen and the prediction alike."""
        if self._fine is None:
            self._fine = self._rasterize_fine()
        return self._fine

    def _rasterize_fine(self) -> np.ndarray:
        finished = len(self._strokes) - self._drawing
        done, ink = self._finished_ink
        if done > finished:
            done, ink = 0, np.zeros((FINE, FINE), np.float32)
        if done < finished:
            ink = np.maximum(ink, rasterize(self._strokes[done:finished], FINE, self._pen_width))
            self._finished_ink = (finished, ink)
        if self._drawing:
            ink = np.maximum(ink, rasterize(self._strokes[finished:], FINE, self._pen_width))
        return ink

    def is_empty(self) -> bool:
        return not self._strokes and self._picture is None

    @property
    def pen_down(self) -> bool:
        """True while a stroke is being drawn (between a left press and its release)."""
        return self._drawing

    def clear(self) -> None:
        """Remove every stroke, and the picture."""
        self._drawing = False
        if not self.is_empty():
            self._strokes = []
            self._picture, self._caption = None, ""
            self._drawing_changed()

    def undo(self) -> None:
        """Remove the last stroke (the one being drawn, if the pen is down)."""
        self._drawing = False
        if self._strokes:
            self._strokes.pop()
            self._drawing_changed()

    def _drawing_changed(self, near: QRectF | None = None) -> None:
        """The drawing changed; `near` (grid units), if given, holds every changed cell."""
        self._images.clear()
        self._fine = None
        if self._note:
            self._note = ""
            self.update()
        if near is None:  # not just the stroke being drawn growing: strokes went or changed
            self._finished_ink = (0, np.zeros((FINE, FINE), np.float32))
        # Only the newest stroke grows while drawing; earlier strokes keep their paths.
        self._paths = self._paths[: len(self._strokes) - 1] if self._drawing else []
        if near is None:
            self._stale = QRectF(0, 0, GRID, GRID)
            self.update()
        else:
            self._stale = near if self._stale is None else self._stale.united(near)
            if self._cells_age.isValid() and self._cells_age.elapsed() < CELLS_INTERVAL_MS:
                if not self._cells_timer.isActive():
                    self._cells_timer.start(CELLS_INTERVAL_MS - self._cells_age.elapsed())
            else:
                self._update_stale_cells()
        self.changed.emit()

    def _update_stale_cells(self) -> None:
        if self._stale is not None:
            self.update(self._widget_rect(self._stale))

    # --- geometry ---------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(14 * GRID + 2, 14 * GRID + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(5 * GRID + 2, 5 * GRID + 2)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def grid_rect(self) -> QRectF:
        """Where the 28×28 grid is drawn, in widget coordinates (a centred square)."""
        return square_rect(self.width(), self.height(), GRID)

    def to_grid(self, pos: QPointF) -> Point:
        """Widget coordinates -> grid units (0..28 across the grid)."""
        rect = self.grid_rect()
        cell = rect.width() / GRID
        return ((pos.x() - rect.left()) / cell, (pos.y() - rect.top()) / cell)

    def from_grid(self, x: float, y: float) -> QPointF:
        """Grid units -> widget coordinates (e.g. to replay strokes as mouse events)."""
        rect = self.grid_rect()
        cell = rect.width() / GRID
        return QPointF(rect.left() + x * cell, rect.top() + y * cell)

    def _widget_rect(self, box: QRectF, margin: int = 0) -> QRect:
        """A box in grid units, as the widget pixels that cover it plus `margin` pixels."""
        rect = self.grid_rect()
        cell = rect.width() / GRID
        shown = QRectF(rect.left() + box.left() * cell, rect.top() + box.top() * cell,
                       box.width() * cell, box.height() * cell)
        return shown.toAlignedRect().adjusted(-margin, -margin, margin, margin)

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.grid_rect()
        if self._stale is not None and (
            self._cells_image is None
            or not self._drawing
            # While drawing: not too often, and only when this repaint covers every stale cell.
            or (self._cells_age.elapsed() >= CELLS_INTERVAL_MS
                and QRegion(self._widget_rect(self._stale)).subtracted(event.region()).isEmpty())
        ):
            self._cells_image = _grey_cells(self.image())
            self._stale = None
            self._cells_age.start()
        elif self._stale is not None and not self._cells_timer.isActive():
            self._cells_timer.start(max(1, CELLS_INTERVAL_MS - self._cells_age.elapsed()))
        paint_cells(painter, rect, self._cells_image, grid_alpha=24)

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._strokes:
            # The smooth pen path, faintly, over the cells it produced.
            guide = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            guide.setAlpha(150)
            pen = QPen(guide, 1.5)
            pen.setCosmetic(True)  # 1.5 screen pixels wide, whatever the scale below
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.save()
            painter.translate(rect.topLeft())
            painter.scale(rect.width() / GRID, rect.width() / GRID)
            self._paths += [stroke_path(s) for s in self._strokes[len(self._paths) :]]
            for path in self._paths:
                painter.drawPath(path)
            painter.restore()
        elif self._picture is None:
            hint = QColor(INK)
            hint.setAlpha(90)
            painter.setPen(hint)
            font = QFont(self.font())
            font.setPointSizeF(max(font.pointSizeF(), 1.0) * 1.4)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "Draw a digit here")

        if self.caption:
            self._paint_caption(painter, rect)

        # Frame: the palette's mid tone, or the highlight colour while keys 0–9 would reach us.
        role = QPalette.ColorRole.Highlight if self.hasFocus() else QPalette.ColorRole.Mid
        painter.setPen(QPen(self.palette().color(role), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()

    def _paint_caption(self, painter: QPainter, rect: QRectF) -> None:
        """The caption in a dark band along the top of the grid, over the cells."""
        painter.setFont(self.font())
        margin = painter.fontMetrics().height() * 0.4
        text_rect = rect.adjusted(margin, margin, -margin, -margin)
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)
        bounds = painter.boundingRect(text_rect, flags, self.caption)
        band = QRectF(rect.left(), rect.top(), rect.width(), bounds.height() + 2 * margin)
        painter.fillRect(band, QColor(0, 0, 0, 170))
        painter.setPen(self.palette().color(QPalette.ColorRole.Highlight).lighter(150))
        painter.drawText(text_rect, flags, self.caption)

    # --- mouse and keyboard -------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drawing = True
            self._strokes.append([self.to_grid(event.position())])
            self._drawing_changed()
        elif event.button() == Qt.MouseButton.RightButton:
            self.clear()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # Our own flag, not event.buttons(): the stroke goes on until the left button's release.
        if self._drawing:
            self._extend_stroke(event.position())
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drawing:
            # The release point ends the stroke (a fast flick may not have sent a move there).
            self._extend_stroke(event.position())
            self._drawing = False
            self._update_stale_cells()  # the finished stroke's cells, now
        else:
            super().mouseReleaseEvent(event)

    def _extend_stroke(self, pos: QPointF) -> None:
        x, y = self.to_grid(pos)
        last_x, last_y = self._strokes[-1][-1]
        if math.hypot(x - last_x, y - last_y) >= _MIN_STEP:
            stroke = self._strokes[-1]
            stroke.append((x, y))
            # Repaint only around the new piece: the path changes from the middle of the segment
            # before last on (within the box of the last three points, which holds the curve),
            # and so do the cells within half a pen width (and a cell of antialiasing) of it.
            tail = _bounds(stroke[-3:])
            self.update(self._widget_rect(tail, margin=3))
            reach = self._pen_width / 2 + 1
            self._drawing_changed(near=tail.adjusted(-reach, -reach, reach, reach))

    def key_handler(self, event: QKeyEvent) -> Callable[[], None] | None:
        """What a key does on the canvas: a digit keeps the drawing as that digit, Delete,
        Backspace and Esc clear it, Ctrl+Z undoes a stroke. These win over the window's
        shortcuts on the same keys (say an Edit > Undo action on Ctrl+Z) while it has focus."""
        digit = plain_digit(event)
        if digit is not None and self.holds_picture:
            return self._refuse_to_keep  # a test digit must never reach my digits
        if digit is not None:
            return lambda: self.digit_key_pressed.emit(digit)
        if is_plain(event) and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace,
                                               Qt.Key.Key_Escape):
            return self.clear
        if event.matches(QKeySequence.StandardKey.Undo):
            return self.undo
        return None

    def _refuse_to_keep(self) -> None:
        # A test digit kept in my digits could be trained on: it would test nothing then.
        self._note = ("A test digit is not kept in my digits: the network must never train on "
                      "it. Draw your own and press its key.")
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()  # the frame shows focus

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
