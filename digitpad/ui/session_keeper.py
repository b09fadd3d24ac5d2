"""Sessions that come back: on quit the network, its settings and its run (the plots' history)
are saved to the data folder, and the next start goes on from them.

Training → "Remember the session on quit" turns this off (and is remembered itself); Training →
New session starts afresh. The file is written atomically: a full disk or a read-only folder
leaves the session saved before as it was, says why, and lets the person stay to save the model
elsewhere. A session that cannot be read is set aside (renamed, never deleted) with a message,
and the app starts anew; a symbolic link in its place is read but never written through.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from digitpad.core.errors import DigitpadError
from digitpad.core.paths import set_aside, shown
from digitpad.core.saved_session import (
    EarlierTrend,
    SavedSession,
    SessionError,
    load_session,
    save_session,
)
from digitpad.data_dir import session_path
from digitpad.ui.earlier_runs import EarlierRun
from digitpad.ui.notice_box import tell
from digitpad.ui.settings import read
from digitpad.ui.training_settings import default_settings
from digitpad.ui.wording import sentence

if TYPE_CHECKING:
    from digitpad.ui.main_window import MainWindow

REMEMBER_KEY = "session/remember"
REPLACED_KEY = "session/set_aside_on_quit"  # a session set aside on quit, to be said at start


class SessionKeeper(QObject):
    def __init__(self, window: MainWindow, store: QSettings) -> None:
        super().__init__(window)
        self._window, self._store = window, store
        self._problem: str | None = None  # why the session file must not be written
        # The session file this window went on from, as it was then (None: it started afresh).
        # Another file there at quit (another window's session) is set aside, not written over.
        self._started_from: tuple[int, ...] | None = None

        self.remember_action = QAction("Re&member the session on quit", window)
        self.remember_action.setCheckable(True)
        self.remember_action.setChecked(read(store, REMEMBER_KEY, True))
        self.remember_action.setStatusTip("Keep the network, its settings and its plots when "
                                          "digitpad closes, and go on from them next time")
        self.remember_action.toggled.connect(self._remember_changed)
        self.new_action = QAction("&New session", window)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setStatusTip("Start afresh: new random weights, the default settings, "
                                     "empty plots")
        self.new_action.triggered.connect(self.new_session)
        for action in (self.remember_action, self.new_action):
            window.addAction(action)  # the shortcut works with the menu bar hidden

    @property
    def remembering(self) -> bool:
        return self.remember_action.isChecked()

    # ---- at start ---------------------------------------------------------------------------

    def restore(self) -> bool:
        """Go on from the saved session, if it is remembered and there is one; True if so.
        A session that cannot be used is set aside and said; the app then starts anew."""
        path = self._path()
        replaced = read(self._store, REPLACED_KEY, "")
        if replaced and path is not None:
            self._store.remove(REPLACED_KEY)
            self._tell(f"When digitpad last quit, {shown(path)} held a session that window had "
                       f"not gone on from (another digitpad window's, say). It was set aside as "
                       f"{replaced}, beside it (nothing was deleted): rename it to {path.name} "
                       "to go on from it.")
        if path is None or not self.remembering or not os.path.lexists(path):
            return False
        try:
            saved = load_session(path)
        except SessionError as e:
            self._set_aside(path, e)
            return False
        if os.path.islink(path):
            self._problem = (f"{shown(path)} is a symbolic link: digitpad reads the session from "
                             "it but never writes through a link, so this session will not be "
                             "saved when you quit")
            self._tell(sentence(self._problem))
        self._started_from = _identity(path)
        self._window.run.restore(saved)
        self._window.cost_plot.show_earlier_runs(
            [EarlierRun(t.settings, t.steps, t.columns) for t in saved.earlier])
        self._say(f"Welcome back: the last session, {saved.steps:,} steps and "
                  f"{len(saved.run.history.epochs):,} epochs trained (Training → New session "
                  "starts afresh).")
        return True

    def _set_aside(self, path: Path, error: SessionError) -> None:
        try:
            aside = set_aside(path)
        except OSError as e:
            # Writing over it would destroy it: this session is not saved over it either.
            self._problem = f"{error}; it could not be set aside ({e.strerror or e})"
            self._tell(f"{sentence(self._problem)}\n\nIt is left as it is, and this session "
                       "will not be saved over it.")
            return
        self._problem = None  # the place is free again (a link, too, was only renamed)
        self._tell(f"{sentence(str(error))}\n\nIt was set aside as {shown(aside.name)}, "
                   "beside it (nothing was deleted), and digitpad starts a new session.")

    # ---- on quit ----------------------------------------------------------------------------

    def keep_on_quit(self) -> bool:
        """Save the session if it is remembered. False if that failed and the person chose to
        stay (the window then stays open, the session saved before untouched)."""
        path = self._path()
        if path is None or not self.remembering or self._problem is not None:
            return True
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._set_aside_another(path)
            save_session(path, self.session_now())
        except (DigitpadError, OSError) as e:
            reason = str(e) if isinstance(e, DigitpadError) else f"{shown(path.parent)}: " \
                f"{e.strerror or e}"
            return self._ask_to_quit(reason)
        self._started_from = _identity(path)  # this window's own, should it save again
        return True

    def _set_aside_another(self, path: Path) -> None:
        """Set aside a session at `path` that this window did not go on from: another window
        saved it, or this one started afresh (a model opened at start, remembering turned on
        later). OSError if that cannot be done: then nothing is written over it."""
        if os.path.lexists(path) and _identity(path) != self._started_from:
            aside = set_aside(path, "replaced")
            self._store.setValue(REPLACED_KEY, aside.name)  # said at the next start

    def session_now(self) -> SavedSession:
        """The session as it is now. Training pauses, so that the weights hold still."""
        live = self._window.session
        trainer = live.trainer
        trainer.pause()
        trainer.wait_idle()
        earlier = tuple(EarlierTrend(r.settings, r.steps, r.columns)
                        for r in self._window.cost_plot.earlier.runs)
        return SavedSession(trainer.network, trainer.settings, live.story_before,
                            trainer.run_record(), earlier)

    def _ask_to_quit(self, reason: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Could not save this session",
                          f"{sentence(reason)}\n\nThe session saved before, if any, is as it "
                          "was. Stay to save the model elsewhere (File → Save model…), or quit "
                          "without keeping this session.", parent=self._window)
        box.setObjectName("sessionNotSaved")
        quit_button = box.addButton("Quit anyway", QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is quit_button

    # ---- the menu -----------------------------------------------------------------------------

    def new_session(self) -> None:
        """Start afresh, as on a first start: the default settings, new weights, no history."""
        self._window.controls.set_settings(default_settings())
        self._window.run.reset_network()
        self._say("New session: new random weights with the default settings. The last "
                  "session's network is gone unless you saved it as a model.")

    def _remember_changed(self, on: bool) -> None:
        self._store.setValue(REMEMBER_KEY, on)
        self._say("The session will be saved when you quit, and come back next time." if on
                  else "The session will not be saved when you quit; the one saved before "
                  "is left as it is.")

    # ---- helpers ------------------------------------------------------------------------------

    def _path(self) -> Path | None:
        """Where the session is kept; None if the data folder cannot be used (the app says
        so once, for all its files)."""
        try:
            return session_path()
        except DigitpadError:
            return None

    def _say(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)

    def _tell(self, text: str) -> None:
        tell(self._window, "Session", text, "sessionNotice")


def _identity(path: Path) -> tuple[int, ...] | None:
    """What tells one version of a file from another: device, inode, size, modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns
