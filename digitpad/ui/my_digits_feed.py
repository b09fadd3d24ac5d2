"""My digits, fed to the trainer: whenever the collection changes (a key press, the gallery, an
import on the command line), the trainer gets the new split (to train on, held out) and the
data choice the new counts.

A thread of its own watches the database, through a connection of its own (MyDigits.attach:
it never creates, migrates or sets aside anything), so that every
change made elsewhere, in this window too, shows in PRAGMA data_version: asking costs
microseconds, once a second. The drawings are read only when something changed, and off the
GUI thread: with 10,000 drawings that takes a few hundred milliseconds on a busy machine.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from digitpad.core.errors import DigitpadError
from digitpad.core.my_digits import APP_TIMEOUT_S, MyDigits
from digitpad.data_dir import user_data_dir
from digitpad.training.trainer import Trainer
from digitpad.ui.data_choice import DataChoice

CHECK_S = 1.0


class MyDigitsFeed(QObject):
    counts_changed = Signal(int, int)  # drawings to train on, held out (from the watcher)

    def __init__(self, trainer: Trainer, choice: DataChoice, window: QWidget) -> None:
        super().__init__(window)
        self._trainer = trainer
        self.counts: tuple[int, int] | None = None  # as the trainer has them; None: not looked
        self._choice = choice
        self.counts_changed.connect(self._show_counts)  # queued: it comes from the watcher
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="digitpad-my-digits",
                                         daemon=True)
        self._watcher.start()

    def close(self) -> None:
        """Stop watching (waits for a read under way to end). The window calls it once it is
        really closing: a person who chooses to stay keeps a fed trainer."""
        self._stop.set()
        self._watcher.join()

    def _show_counts(self, train: int, held_out: int) -> None:
        # One slot, not two: two queued slots of a signal from another thread may run in two
        # turns of the event loop, and the counts would be seen before the choice offers them.
        self.counts = (train, held_out)
        self._choice.set_counts(train, held_out)

    # ---- the watcher thread -----------------------------------------------------------------

    def _watch(self) -> None:
        store, version = None, None
        self.counts_changed.emit(0, 0)  # until there is a collection: none
        try:
            while not self._stop.is_set():
                store = store or self._open()
                if store is not None:
                    version = self._check(store, version)
                self._stop.wait(CHECK_S)
        finally:
            if store is not None:
                store.close()

    def _check(self, store: MyDigits, seen: int | None) -> int | None:
        """Hand the trainer my digits anew if they changed since data_version `seen`; returns
        the version now read."""
        try:
            version = store.data_version()
            if version == seen:
                return seen
            train, held_out = store.split()
        except DigitpadError:
            return seen  # locked for a moment: next time (a key press says what is wrong)
        self._trainer.set_my_digits((train, held_out))
        self.counts_changed.emit(len(train.labels), len(held_out.labels))
        return version

    @staticmethod
    def _open() -> MyDigits | None:
        """A connection of this thread's own, once there is a collection it can read. It never
        repairs one: the window's store does, and says so (MyDigitsStore)."""
        try:
            return MyDigits.attach(user_data_dir(), wait_s=APP_TIMEOUT_S)
        except DigitpadError:
            return None
