"""The window's handle on my digits: opened once at start, its news said once, a drawing kept
on a digit key, closed at the end.

A migration, or a damaged file set aside, is dealt with (and said) when the window opens rather
than at the first key press; a store that cannot be used leaves drawing and training working.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox

from digitpad.core.errors import DigitpadError
from digitpad.core.my_digits import APP_TIMEOUT_S, MyDigits, is_started
from digitpad.data_dir import user_data_dir
from digitpad.ui.canvas import Canvas
from digitpad.ui.live_session import LiveSession
from digitpad.ui.wording import kept_words, sentence


class MyDigitsStore:
    def __init__(self, window: QMainWindow, session: LiveSession, canvas: Canvas) -> None:
        self._window, self._session, self._canvas = window, session, canvas
        self._store: MyDigits | None = None

    def open_at_start(self) -> None:
        """Open the store now if there is one. With nothing kept yet, nothing is created until
        the first drawing is."""
        try:
            if not is_started(user_data_dir()):
                return
        except DigitpadError:
            return  # a data folder that is a file: the app says so once, for all its files
        try:
            self.get()
        except DigitpadError as e:
            self._tell("My digits cannot be used", f"{sentence(str(e))}\n\nDrawing and "
                       "training still work; keeping drawings needs my digits.")

    def get(self) -> MyDigits:
        """The store of my digits, opened on first use; raises DataError if it cannot be."""
        if self._store is None:
            self._store = MyDigits.open(user_data_dir(), wait_s=APP_TIMEOUT_S)
            if self._store.notices:
                self._tell("My digits", "\n\n".join(sentence(n) for n in self._store.notices))
        return self._store

    def keep_drawing(self, digit: int) -> None:
        """Store the drawing, as the network sees it, labelled `digit` in my digits; clear it."""
        # Exactly what the prediction shows (made anew, in case the pen moved since that frame).
        seen = self._session.seen_now()
        say = self._window.statusBar().showMessage
        if seen is None:
            say("Draw a digit first, then press its key to keep it.", 5000)
            return
        try:
            user_data_dir()
        except DigitpadError as e:  # said at start, in the one message about digitpad's files
            say(f"Not kept: {sentence(str(e))} The drawing is still on the canvas.", 10000)
            return
        try:
            store = self.get()
            store.add(seen, digit, self._canvas.strokes)
        except DigitpadError as e:  # a folder we cannot use, a locked or full database
            QMessageBox.warning(self._window, "Could not keep the drawing",
                                f"{sentence(str(e))}\n\nThe drawing is still on the canvas.")
            return
        self._canvas.clear()
        counts = store.per_digit()
        say(kept_words(digit, sum(counts), counts[digit]), 6000)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _tell(self, title: str, text: str) -> None:
        """A message that does not stop anything: the window goes on while it shows."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, self._window)
        box.setObjectName("myDigitsNotice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        QTimer.singleShot(0, box.open)
