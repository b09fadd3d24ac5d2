"""The live session: the network being trained, the drawing it looks at, and the frames shown.

The window never trains and its views never ask anyone: the Trainer runs SGD on its own thread,
and a single timer here reads the trainer's snapshot about 30 times a second, runs the drawing
through the newest weights, and hands the result to each receiver as a Frame, at that
receiver's own rate. However fast training goes, the screen is redrawn at that fixed rate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from digitpad.core.model_story import NEW_NETWORK, ModelStory
from digitpad.core.network import Network
from digitpad.core.preprocess import to_mnist
from digitpad.core.saved_session import SavedSession
from digitpad.core.settings import Settings
from digitpad.training.trainer import Snapshot, Trainer
from digitpad.ui.canvas import FINE
from digitpad.ui.frame import Change, Frame

FRAME_MS = 33  # ~30 frames a second
FPS = 1000 / FRAME_MS
# Every frame costs the trainer time (both run Python, and only one thread runs Python at a
# time; Qt painting called from Python counts too), so receivers ask for fewer: the plots 10 a
# second (6 while the pen is down: the pen, the cells and the prediction need the time then), the
# weight pictures 2; but the views of the drawing itself (nudges, network) follow the pen at every
# frame. A drawn digit is predicted anew at once; with newer weights, at 10 Hz.
REPREDICT_HZ = 10.0
# Slow motion (set_pace): every receiver is handed every frame; at this many steps a second or
# fewer, each step also waits until a frame has shown it, so every view shows every step.
EVERY_STEP_SHOWN_UP_TO = 10.0


class Drawing(Protocol):
    """What the session needs of the canvas."""

    changed: SignalInstance
    pen_down: bool

    picture: np.ndarray | None  # a 28×28 image shown as the network sees it, untouched
    holds_picture: bool  # such an image (a test digit) is there, drawn over or not

    def is_empty(self) -> bool: ...

    def image(self, size: int) -> np.ndarray: ...


class LiveSession(QObject):
    training_stopped = Signal(object, bool)  # the Failure that stopped training; True: diverged
    run_started = Signal(object)  # the Network trained from now on (after Reset or Open)

    def __init__(self, trainer: Trainer, drawing: Drawing, parent: QObject | None = None):
        super().__init__(parent)
        self.trainer = trainer
        self._drawing = drawing
        self._receivers: list[_Receiver] = []
        self._tick = 0
        self._run = 0
        self._drawings = 0  # drawings begun
        self._drawing_dirty = True  # the canvas changed since `_seen` was made
        self._seen: np.ndarray | None = None
        self._network = trainer.snapshot().network  # the weights the frames show
        self._outputs: np.ndarray | None = None
        self._shown_error: str | None = None
        # What the network went through before this run: its model file's story, if opened.
        self.story_before: ModelStory = NEW_NETWORK
        self._pace: float | None = None
        self.frame = self._make_frame()  # the newest frame
        drawing.changed.connect(self._drawing_changed)

        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    # ---- receivers ----------------------------------------------------------------------------

    def subscribe(self, show: Callable[[Frame], None], hz: float = FPS,
                  hz_while_drawing: float | None = None) -> None:
        """Hand `show` the newest frame now, then `hz` frames a second while training runs
        (`hz_while_drawing` while the pen is down) and each frame while it does not; but only
        frames in which something changed since the last it was handed."""
        receiver = _Receiver(show, _every(hz), _every(hz_while_drawing or hz))
        self._receivers.append(receiver)
        receiver.deliver(self.frame)

    def refresh(self, show: Callable[[Frame], None]) -> None:
        """Hand `show` the newest frame now (say, when its tab is chosen)."""
        for receiver in self._receivers:
            if receiver.show == show:
                receiver.deliver(self.frame)

    # ---- slow motion ------------------------------------------------------------------------

    @property
    def pace(self) -> float | None:
        return self._pace

    def set_pace(self, steps_per_second: float | None) -> None:
        """Train at most `steps_per_second` steps a second (None: full speed), from now on.
        Slowed down, every receiver is handed every frame in which something changed (while
        the pen is up), and up to EVERY_STEP_SHOWN_UP_TO steps a second every step has a frame
        of its own."""
        self._pace = steps_per_second
        self.trainer.set_pace(steps_per_second, wait_until_seen=steps_per_second is not None
                              and steps_per_second <= EVERY_STEP_SHOWN_UP_TO)

    # ---- the network ------------------------------------------------------------------------

    def install(self, network: Network, settings: Settings | None = None,
                story: ModelStory = NEW_NETWORK) -> None:
        """Train `network` (with `settings`, if given) from now on, from a clean history; every
        receiver sees it at once. `story`: what the network went through before."""
        # First the run so far, to its newest step: a view that keeps earlier runs (the cost
        # plot) keeps all of it, not only what the last frame at its own rate showed.
        self._hand_out_now()
        self.trainer.reset(network, settings)
        self.story_before = story
        self._started(network)

    def restore(self, saved: SavedSession) -> None:
        """Go on with a saved session's run: its network, settings, history and story."""
        self.trainer.reset(saved.network, saved.settings, saved.run)
        self.story_before = saved.story
        self._started(saved.network)

    def story_now(self) -> ModelStory:
        """The network's story up to now: what it went through before this run, and the run."""
        snapshot = self.trainer.snapshot()
        last = snapshot.epochs[-1] if snapshot.epochs else None
        return self.story_before.continued(
            self.trainer.settings, snapshot.epoch, snapshot.steps,
            None if last is None else last.test_accuracy,
            None if last is None else last.mine_accuracy)

    def _started(self, network: Network) -> None:
        self._run += 1
        self._shown_error = None
        self._network = self.trainer.snapshot().network
        self._predict()
        self._hand_out_now()
        self.run_started.emit(network)

    def _hand_out_now(self) -> None:
        """A frame of the trainer's state now, for every receiver."""
        self.frame = self._make_frame()
        for receiver in self._receivers:
            receiver.deliver(self.frame)

    def newest_network(self) -> Network:
        """A copy of the newest weights. Paused, it waits for a step still running to end."""
        if not self.trainer.is_running:
            self.trainer.wait_idle()
        return self.trainer.snapshot().network

    # ---- the drawing ------------------------------------------------------------------------

    @property
    def pending_drawing(self) -> bool:
        """True while the canvas has changed since the newest frame's `seen` was made."""
        return self._drawing_dirty

    def seen_now(self) -> np.ndarray | None:
        """The drawing as the network sees it, made from the canvas now (None: empty). A
        picture on the canvas (a test digit) is that already: it goes in as it is."""
        picture = self._drawing.picture
        if picture is not None:
            return picture
        return None if self._drawing.is_empty() else to_mnist(self._drawing.image(FINE))

    @property
    def test_digit_shown(self) -> bool:
        """True while the drawing holds a test digit: no lesson may be taken from it."""
        return self._drawing.holds_picture

    def _drawing_changed(self) -> None:
        # Only mark it: the next frame predicts, so a fast pen costs at most 30 predictions/s.
        self._drawing_dirty = True
        if self._drawing.is_empty():
            self._drawings += 1

    # ---- frames -----------------------------------------------------------------------------

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        """One frame: read the trainer, predict the drawing if due, hand out the frame."""
        self._tick += 1
        snapshot = self.trainer.snapshot()
        # Slowed down, every frame goes to everyone, as it does while paused; but while the pen
        # is down each receiver keeps its own rate, so that the pen keeps its pace.
        slowed = self._pace is not None and not self._drawing.pen_down
        every_frame = not snapshot.is_running or slowed
        # Drawing: the pen is down, or has just drawn the stroke's last piece and been lifted.
        drawing = self._drawing.pen_down or self._drawing_dirty
        newer = snapshot.network is not self._network
        if self._drawing_dirty or (newer and (every_frame or self._tick % _every(REPREDICT_HZ)
                                              == 0)):
            self._network = snapshot.network
            self._predict()
        self.frame = self._make_frame(snapshot)
        for receiver in self._receivers:
            if every_frame or self._tick % receiver.every(drawing) == 0:
                receiver.deliver(self.frame)
        if snapshot.error and snapshot.error != self._shown_error:
            self.training_stopped.emit(snapshot.error, snapshot.diverged)
        self._shown_error = snapshot.error

    def _predict(self) -> None:
        """Run the drawing through the frames' network."""
        if self._drawing_dirty:
            self._drawing_dirty = False
            self._seen = self.seen_now()
        if self._seen is None:
            self._outputs = None
            return
        # The weights kept when training diverged may overflow for this drawing: the outputs
        # are then NaN, without a warning.
        with np.errstate(over="ignore", invalid="ignore"):
            self._outputs = self._network.forward(self._seen.reshape(1, -1))[0]

    def _make_frame(self, snapshot: Snapshot | None = None) -> Frame:
        return Frame(snapshot=snapshot or self.trainer.snapshot(), network=self._network,
                     seen=self._seen, outputs=self._outputs, pen_down=self._drawing.pen_down,
                     run=self._run, drawing=self._drawings, pace=self._pace)


@dataclasses.dataclass
class _Receiver:
    show: Callable[[Frame], None]
    frames: int  # one frame in this many
    frames_while_drawing: int
    last: Frame | None = None

    def every(self, drawing: bool) -> int:
        return self.frames_while_drawing if drawing else self.frames

    def deliver(self, frame: Frame) -> None:
        changed = frame.changes_since(self.last)
        if changed == Change.NONE:
            return
        self.last = frame
        self.show(dataclasses.replace(frame, changed=changed))


def _every(hz: float) -> int:
    """One frame in how many gives about `hz` a second."""
    return max(1, round(FPS / hz))
