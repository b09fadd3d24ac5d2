"""My digits, fed to the trainer: whenever the collection changes (a key press, the gallery, an
import on the command line), the trainer gets the new split (to train on, held out) and the
data choice the new counts.

It reads the database through a connection of its own, so that every change made elsewhere, in
this window too, shows in PRAGMA data_version: asking costs microseconds, once a second. The
drawings themselves are read only when something changed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from digitpad.core.errors import DigitpadError
from digitpad.core.my_digits import APP_TIMEOUT_S, MyDigits, is_started
from digitpad.data_dir import user_data_dir
from digitpad.training.trainer import Trainer
from digitpad.ui.data_choice import DataChoice

CHECK_MS = 1000


class MyDigitsFeed(QObject):
    def __init__(self, trainer: Trainer, choice: DataChoice, window: QWidget) -> None:
        super().__init__(window)
        self._trainer, self._choice = trainer, choice
        self._store: MyDigits | None = None
        self._version: int | None = None  # data_version when the drawings were last read
        self.counts: tuple[int, int] | None = None  # to train on, held out: as the trainer has
        # them (None until first looked at)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        QTimer.singleShot(0, self.check)  # once the window has opened (and migrated) the store
        window.installEventFilter(self)

    def check(self) -> None:
        """Hand the trainer my digits anew if they changed since last time."""
        store = self._open()
        if store is None:
            if self.counts is None:  # no collection yet: say so (a remembered choice of my
                self._show_counts(0, 0)  # digits falls back to MNIST)
            return
        try:
            version = store.data_version()
            if version == self._version:
                return
            train, held_out = store.split()
        except DigitpadError:
            return  # locked for a moment, or unusable: the window's store says why on a key press
        self._version = version
        self._trainer.set_my_digits((train, held_out))
        self._show_counts(len(train.labels), len(held_out.labels))

    def _show_counts(self, train: int, held_out: int) -> None:
        self.counts = (train, held_out)
        self._choice.set_counts(train, held_out)

    def close(self) -> None:
        self._timer.stop()
        if self._store is not None:
            self._store.close()
            self._store = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.close()
        return False

    def _open(self) -> MyDigits | None:
        """The connection, opened once there is a collection (looking creates nothing)."""
        if self._store is None:
            try:
                if is_started(user_data_dir()):
                    self._store = MyDigits.open(user_data_dir(), wait_s=APP_TIMEOUT_S)
            except DigitpadError:
                return None
        return self._store
