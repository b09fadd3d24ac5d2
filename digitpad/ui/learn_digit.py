"""Learn this digit: the nudges view's buttons, acted on. One gradient step on the canvas digit
alone (core.learn_one), taken through the trainer between its steps, and undone exactly.

The numbers are core's; the trainer changes the weights (never under a running step) and
publishes them, so every view follows; the panel only shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from digitpad.core.errors import DivergedError
from digitpad.core.learn_one import Lesson, forget, learn_one, quick_accuracy

if TYPE_CHECKING:
    from digitpad.ui.backprop_view import BackpropView
    from digitpad.ui.frame import Frame
    from digitpad.ui.learn_panel import LearnPanel
    from digitpad.ui.live_session import LiveSession

WHILE_TRAINING = "Pause training first: a lesson on one digit is taken between training steps"
NO_DATA = "Waiting for the training data to load"
NO_DRAWING = "Draw a digit on the canvas first"
TEST_DIGIT = ("A test digit is never learned from: it would no longer test anything. Clear the "
              "canvas and draw your own")


class LearnDigit(QObject):
    def __init__(self, session: LiveSession, view: BackpropView, say, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._session, self._view, self._say = session, view, say
        self._panel: LearnPanel = view.learn_panel
        self._lesson: Lesson | None = None
        self._lesson_at: tuple[int, int] | None = None  # (run, steps) when it was taken
        self._panel.learn_clicked.connect(self.learn)
        self._panel.undo_clicked.connect(self.undo)
        session.subscribe(self._show_frame)

    def add_shortcut(self, window: QWidget, keys: str = "Ctrl+L") -> None:
        """Learn this digit from anywhere in `window` with `keys`; the panel's button says so."""
        action = QAction("Learn this digit", window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda: self.learn(1))
        window.addAction(action)
        self._panel.set_shortcut(action.shortcut().toString(
            QKeySequence.SequenceFormat.NativeText))

    def blocked_because(self) -> str | None:
        """Why no lesson can be taken now; None if one can."""
        trainer = self._session.trainer
        if not trainer.has_data:
            return NO_DATA
        if trainer.is_running:
            return WHILE_TRAINING
        if self._session.test_digit_shown:
            return TEST_DIGIT
        if self._session.seen_now() is None:
            return NO_DRAWING
        return None

    def update_state(self) -> None:
        self._panel.set_blocked(self.blocked_because())
        self._panel.set_undoable(self._lesson is not None and not self._session.trainer.is_running)

    def _show_frame(self, frame: Frame) -> None:
        if self._lesson is not None and self._lesson_at != (frame.run, frame.snapshot.steps):
            self._lesson = None  # trained on or replaced since: undo would lose that work
        self.update_state()

    # ---- acting -----------------------------------------------------------------------------

    def learn(self, steps: int = 1) -> None:
        if self.blocked_because() is not None:
            return
        # ×10 with its two test checks takes a few tenths of a second: say it is working.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._learn(steps)
        finally:
            QApplication.restoreOverrideCursor()

    def _learn(self, steps: int) -> None:
        session, trainer = self._session, self._session.trainer
        image, digit = session.seen_now(), self._view.target
        if digit is None:
            return
        lr, data = trainer.settings.lr, trainer.data
        accuracy_before = None
        if steps > 1:
            accuracy_before = quick_accuracy(session.newest_network(), data.test_images,
                                             data.test_labels)
        try:
            lesson = trainer.adjust(lambda network: learn_one(network, image, digit, lr, steps))
        except DivergedError as e:
            self._panel.show_note(f"Not learned: {e}. The weights are as they were.")
            self._say(f"Not learned: {e}.")
            return
        self._lesson = lesson
        self._lesson_at = (session.frame.run, trainer.steps)
        accuracy = None
        if accuracy_before is not None:
            after = quick_accuracy(trainer.snapshot().network, data.test_images, data.test_labels)
            accuracy = (accuracy_before, after)
        self._panel.show_lesson(digit, steps, lesson.before, lesson.after, accuracy)
        self._say(f"Learned it is a {digit}: its probability went from "
                  f"{100 * lesson.before[digit]:.1f}% to {100 * lesson.after[digit]:.1f}%")
        session.tick()  # every view shows the new weights now
        self.update_state()

    def undo(self) -> None:
        lesson = self._lesson
        if lesson is None or self._session.trainer.is_running:
            return
        self._session.trainer.adjust(lambda network: forget(network, lesson.kept))
        self._lesson = None
        self._panel.show_note("Undone: every weight is as it was before the lesson.")
        self._say("Lesson undone")
        self._session.tick()
        self.update_state()
