"""The gallery of my digits: every drawing kept, by digit, to look at, fix and draw again.

Thumbnails are made only for the drawings in sight, when the list asks for them, and kept (a
list model with uniform item sizes: smooth with tens of thousands). A click puts a drawing back
on the canvas; Delete deletes the selected ones and Ctrl+Z brings them back (nothing is really
removed from the database); a digit key, or Relabel, gives them another label.

The gallery reads the database itself and watches it (PRAGMA data_version, twice a second while
it is shown), so drawings kept in the app or imported by `digitpad samples import` appear in it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QKeyEvent, QKeySequence, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.errors import DigitpadError
from digitpad.core.my_digits import APP_TIMEOUT_S, Details, Drawing, MyDigits, is_started
from digitpad.data_dir import user_data_dir
from digitpad.ui.own_keys import OwnKeys, is_plain, plain_digit

THUMBNAIL = 56  # logical pixels: each of the 28×28 pixels as a 2×2 block
THUMBNAILS_KEPT = 4000  # made thumbnails cached (about 12 KB each)
HELD_OUT = QColor(255, 176, 32)  # the corner mark of a held-out drawing
WATCH_MS = 500  # how often the shown gallery looks for changes made elsewhere

HELD_OUT_WORDS = "held out: kept to measure how well the network reads your hand, never trained on"


class MyDigitsModel(QAbstractListModel):
    """The drawings (one digit, or all), in order of digit; thumbnails made on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: MyDigits | None = None
        self._all: list[Drawing] = []
        self._shown: list[Drawing] = []
        self._digit: int | None = None
        self._thumbnails: OrderedDict[tuple[int, float], QPixmap] = OrderedDict()
        self.pixel_ratio = 1.0

    def set_drawings(self, drawings: list[Drawing]) -> None:
        self.beginResetModel()
        self._all = drawings
        self._shown = self._filtered()
        self.endResetModel()

    def set_digit(self, digit: int | None) -> None:
        """Show only this digit's drawings (None: all)."""
        self.beginResetModel()
        self._digit = digit
        self._shown = self._filtered()
        self.endResetModel()

    def drawing(self, row: int) -> Drawing:
        return self._shown[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        drawing = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(drawing.label)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(drawing)
        if role == Qt.ItemDataRole.ToolTipRole:
            details = None if self.store is None else self.store.details(drawing.id)
            return describe(drawing, details)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def _filtered(self) -> list[Drawing]:
        if self._digit is None:
            return self._all
        return [d for d in self._all if d.label == self._digit]

    def _thumbnail(self, drawing: Drawing) -> QPixmap | None:
        key = (drawing.id, self.pixel_ratio)
        if key in self._thumbnails:
            self._thumbnails.move_to_end(key)
            return self._thumbnails[key]
        pixels = None if self.store is None else self.store.image(drawing.id)
        if pixels is None:
            return None
        pixmap = thumbnail(pixels, drawing.held_out, self.pixel_ratio)
        self._thumbnails[key] = pixmap
        if len(self._thumbnails) > THUMBNAILS_KEPT:
            self._thumbnails.popitem(last=False)
        return pixmap


def thumbnail(pixels: np.ndarray, held_out: bool, ratio: float = 1.0) -> QPixmap:
    """A 28×28 uint8 drawing as a crisp thumbnail, white ink on black as the network sees it; a
    held-out drawing gets an amber corner."""
    side = round(THUMBNAIL * ratio)
    image = QImage(np.ascontiguousarray(pixels).data, 28, 28, 28,
                   QImage.Format.Format_Grayscale8).copy()
    pixmap = QPixmap.fromImage(image.scaled(side, side, Qt.AspectRatioMode.IgnoreAspectRatio,
                                            Qt.TransformationMode.FastTransformation))
    if held_out:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(HELD_OUT)
        corner = side * 0.3
        painter.drawPolygon(QPolygonF([QPointF(side - corner, 0), QPointF(side, 0),
                                       QPointF(side, corner)]))
        painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def describe(drawing: Drawing, details: Details | None) -> str:
    """The tooltip of a thumbnail: what it is, where it came from, whether it is held out."""
    article = "An" if drawing.label == 8 else "A"
    text = f"{article} {drawing.label}"
    if details is not None:
        how = {"drawn": "drawn", "imported": "imported", "migrated": "kept"}[details.source]
        text += f", {how} {details.created_at[:16].replace('T', ' ')} UTC"
    if drawing.held_out:
        text += f"\n{HELD_OUT_WORDS[0].upper()}{HELD_OUT_WORDS[1:]}"
    return text + "\nClick: draw it again on the canvas · Delete · a digit key relabels it"


def strokes_from_image(pixels: np.ndarray) -> list[list[tuple[float, float]]]:
    """A drawing without strokes (an imported picture) as dots on the canvas: one at the centre
    of every pixel with more ink than paper, so that it can be drawn on and kept again."""
    rows, cols = np.nonzero(np.asarray(pixels) >= 128)
    return [[(float(c) + 0.5, float(r) + 0.5)] for r, c in zip(rows, cols)]


class ThumbnailList(OwnKeys, QListView):
    """The list of thumbnails; Delete, Ctrl+Z and the digit keys act on it while it has focus."""

    delete_pressed = Signal()
    undo_pressed = Signal()
    digit_pressed = Signal(int)

    def key_handler(self, event: QKeyEvent) -> Callable[[], None] | None:
        # The window's own Delete (clear the canvas) and Ctrl+Z (undo a stroke) must not win
        # while the gallery has the focus.
        digit = plain_digit(event)
        if digit is not None:
            return lambda: self.digit_pressed.emit(digit)
        if is_plain(event) and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            return self.delete_pressed.emit
        if event.matches(QKeySequence.StandardKey.Undo):
            return self.undo_pressed.emit
        return None


class MyDigitsView(QWidget):
    """The gallery tab: a filter by digit, the thumbnails, delete / undo / relabel."""

    title = "My digits"
    tooltip = "Your own drawings, kept with the digit keys: look at them, fix their labels, " \
              "draw them again"
    refresh_hz = 2.0  # inspector protocol; the gallery watches the database on its own timer
    refresh_hz_while_drawing = None

    drawing_chosen = Signal(object)  # strokes (lists of (x, y) grid points) to put on the canvas

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myDigitsView")
        self._store: MyDigits | None = None
        self._seen_version: int | None = None
        self._undo: list[tuple[str, object]] = []  # ("delete", ids) or ("relabel", {id: label})
        self.model = MyDigitsModel(self)

        self.digit_filter = QComboBox()
        self.digit_filter.setObjectName("digitFilter")
        self.digit_filter.setToolTip("Show the drawings of one digit, or all of them")
        self.digit_filter.addItem("All digits", None)
        for digit in range(10):
            self.digit_filter.addItem(str(digit), digit)
        self.digit_filter.currentIndexChanged.connect(
            lambda _: self.model.set_digit(self.digit_filter.currentData()))

        self.summary = QLabel()
        self.summary.setObjectName("myDigitsSummary")
        self.summary.setWordWrap(True)
        self.summary.setToolTip(f"Drawings marked ▲ are {HELD_OUT_WORDS}: one in five of each "
                                "digit")

        self.list = ThumbnailList()
        self.list.setObjectName("myDigitsList")
        self.list.setModel(self.model)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(True)  # lays out 10,000 items without asking each one
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(500)
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setGridSize(QSize(THUMBNAIL + 14, THUMBNAIL + 26))
        self.list.setSpacing(2)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setToolTip("Click a drawing to draw it again on the canvas. Delete deletes the "
                             "selected ones (Ctrl+Z brings them back); a digit key relabels them.")
        self.list.clicked.connect(self._put_on_canvas)
        self.list.delete_pressed.connect(self.delete_selected)
        self.list.undo_pressed.connect(self.undo)
        self.list.digit_pressed.connect(self.relabel_selected)

        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteDrawingsButton")
        self.delete_button.setToolTip("Delete the selected drawings (Delete); Undo brings them "
                                      "back")
        self.delete_button.clicked.connect(self.delete_selected)
        self.relabel_button = QToolButton()
        self.relabel_button.setObjectName("relabelButton")
        self.relabel_button.setText("Relabel as")
        self.relabel_button.setToolTip("Give the selected drawings another digit (or press the "
                                       "digit's key in the list)")
        self.relabel_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.relabel_button)
        for digit in range(10):
            menu.addAction(str(digit), lambda d=digit: self.relabel_selected(d))
        self.relabel_button.setMenu(menu)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoMyDigitsButton")
        self.undo_button.setToolTip("Undo the last delete or relabel in the gallery (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)

        bar = QHBoxLayout()
        bar.addWidget(self.digit_filter)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.relabel_button)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.undo_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 6, 4, 4)
        column.addLayout(bar)
        column.addWidget(self.list, 1)

        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self.check_for_changes)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self._show_counts()

    # ---- the inspector protocol --------------------------------------------------------------

    def show_frame(self, frame: object) -> None:
        """Frames carry nothing the gallery shows: it watches the database instead."""

    # ---- reading -----------------------------------------------------------------------------

    def check_for_changes(self) -> None:
        """Reload the drawings if the database changed since they were read."""
        store = self._open()
        if store is None:
            return
        try:
            version = store.data_version()
        except DigitpadError as e:
            self.summary.setText(str(e))
            return
        if version != self._seen_version:
            self.reload()

    def reload(self) -> None:
        """Read the list of drawings anew (the thumbnails already made are kept)."""
        store = self._open()
        if store is None:
            return
        try:
            self._seen_version = store.data_version()
            drawings = store.drawings()
        except DigitpadError as e:
            self.summary.setText(str(e))
            return
        self.model.set_drawings(drawings)
        self._show_counts()
        self._update_buttons()

    def _open(self) -> MyDigits | None:
        """The database, opened once there is one (the window creates it with the first key)."""
        if self._store is None:
            try:
                if is_started(user_data_dir()):
                    # Its news (a migration, a file set aside) are the window's to say.
                    self._store = MyDigits.open(user_data_dir(), wait_s=APP_TIMEOUT_S)
            except DigitpadError as e:
                self.summary.setText(str(e))
                return None
            self.model.store = self._store
        return self._store

    def _show_counts(self) -> None:
        drawings = self.model._all
        counts = np.bincount([d.label for d in drawings], minlength=10).tolist()
        for digit in range(10):
            self.digit_filter.setItemText(digit + 1, f"{digit}  ({counts[digit]:,})")
        self.digit_filter.setItemText(0, f"All digits  ({len(drawings):,})")
        if not drawings:
            self.summary.setText("No drawings yet: draw a digit on the canvas and press its key "
                                 "to keep it here.")
            return
        held = sum(d.held_out for d in drawings)
        self.summary.setText(f"{_count(len(drawings))} · {held:,} held out (▲)")

    # ---- acting ------------------------------------------------------------------------------

    def selected(self) -> list[Drawing]:
        rows = sorted(index.row() for index in self.list.selectionModel().selectedIndexes())
        return [self.model.drawing(row) for row in rows]

    def delete_selected(self) -> None:
        ids = [d.id for d in self.selected()]
        if ids and self._change(lambda store: store.delete(ids)):
            self._undo.append(("delete", ids))
            self._update_buttons()
            self._said(f"Deleted {_count(len(ids))}. Ctrl+Z or Undo brings "
                       f"{'it' if len(ids) == 1 else 'them'} back.")

    def relabel_selected(self, digit: int) -> None:
        changes = {d.id: digit for d in self.selected() if d.label != digit}
        if not changes:
            return
        before: dict[int, int] = {}
        if self._change(lambda store: before.update(store.relabel(changes))):
            self._undo.append(("relabel", before))
            self._update_buttons()
            self._said(f"Relabelled {_count(len(changes))} as {digit}.")

    def undo(self) -> None:
        if not self._undo:
            return
        kind, what = self._undo[-1]
        if kind == "delete":
            done = self._change(lambda store: store.undelete(what))
            message = f"Brought back {_count(len(what))}."
        else:
            done = self._change(lambda store: store.relabel(what))
            message = f"Gave {_count(len(what))} back {'its' if len(what) == 1 else 'their'} label."
        if done:
            self._undo.pop()
            self._update_buttons()
            self._said(message)

    def _change(self, change) -> bool:  # noqa: ANN001 - a function of the store
        store = self._open()
        if store is None:
            return False
        try:
            change(store)
        except DigitpadError as e:
            self.summary.setText(str(e))
            return False
        self.reload()
        return True

    def _said(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 6000)

    def _put_on_canvas(self, index: QModelIndex) -> None:
        drawing = self.model.drawing(index.row())
        store = self._open()
        if store is None:
            return
        strokes = store.strokes(drawing.id)
        if not strokes:
            pixels = store.image(drawing.id)
            if pixels is None:
                return
            strokes = strokes_from_image(pixels)
        self.drawing_chosen.emit(strokes)

    def _update_buttons(self, *_: object) -> None:
        chosen = self.list.selectionModel().hasSelection()
        self.delete_button.setEnabled(chosen)
        self.relabel_button.setEnabled(chosen)
        self.undo_button.setEnabled(bool(self._undo))

    # ---- shown or not ------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().showEvent(event)
        self.model.pixel_ratio = self.devicePixelRatioF()
        self.check_for_changes()
        self._watch.start()

    def hideEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        self._watch.stop()
        super().hideEvent(event)

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self.model.store = None


def _count(n: int) -> str:
    return "1 drawing" if n == 1 else f"{n:,} drawings"
