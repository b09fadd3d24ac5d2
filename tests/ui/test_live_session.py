"""The live session: frames of the trainer's state and the drawing, at each receiver's rate."""

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digitpad.core import Network
from digitpad.training.trainer import Snapshot, Trainer
from digitpad.ui.canvas import Canvas
from digitpad.ui.frame import Change, Frame
from digitpad.ui.live_session import LiveSession
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import draw_seven, shown


class Recorder:
    def __init__(self) -> None:
        self.frames: list[Frame] = []

    def __call__(self, frame: Frame) -> None:
        self.frames.append(frame)

    @property
    def last(self) -> Frame:
        return self.frames[-1]


@pytest.fixture
def canvas(qtbot):
    return shown(qtbot, Canvas(), 280, 280)


@pytest.fixture
def trainer(small_mnist):
    made = Trainer(Network((784, 16, 10), seed=0), small_mnist)
    yield made
    made.close()


def test_a_receiver_gets_the_newest_frame_at_once_then_only_what_changed(qtbot, trainer, canvas):
    session = LiveSession(trainer, canvas)
    seen = Recorder()
    session.subscribe(seen)
    assert len(seen.frames) == 1 and seen.last.changed == ~Change.NONE  # all of it is news
    assert seen.last.seen is None and seen.last.outputs is None
    session.tick()
    session.tick()
    assert len(seen.frames) == 1  # nothing changed: nothing handed out

    draw_seven(qtbot, canvas)
    qtbot.waitUntil(lambda: seen.last.seen is not None)
    frame = seen.last
    assert Change.DRAWING in frame.changed and not session.pending_drawing
    np.testing.assert_array_equal(frame.seen, session.seen_now())  # what the network sees
    np.testing.assert_allclose(frame.outputs, frame.network.forward(frame.seen.reshape(1, -1))[0])

    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    qtbot.waitUntil(lambda: seen.last.snapshot.steps == 1
                    and seen.last.network is trainer.snapshot().network)
    assert seen.last.changed & (Change.STEPS | Change.WEIGHTS)
    # The answer is the newest weights' answer for the same drawing.
    np.testing.assert_allclose(seen.last.outputs,
                               trainer.network.forward(frame.seen.reshape(1, -1))[0], rtol=1e-5)
    session.stop()


def test_a_new_network_reaches_every_receiver_at_once(qtbot, trainer, canvas):
    session = LiveSession(trainer, canvas)
    seen = Recorder()
    session.subscribe(seen, hz=2)
    started = []
    session.run_started.connect(started.append)
    network = Network((784, 30, 10), seed=5)
    session.install(network)  # no tick needed
    assert Change.RUN in seen.last.changed and seen.last.run == 1
    assert seen.last.network.sizes == (784, 30, 10) and started == [network]
    session.stop()


def test_clearing_the_canvas_starts_a_new_drawing(qtbot, trainer, canvas):
    session = LiveSession(trainer, canvas)
    seen = Recorder()
    session.subscribe(seen)
    draw_seven(qtbot, canvas)
    qtbot.waitUntil(lambda: seen.last.seen is not None)
    first = seen.last.drawing
    canvas.clear()
    qtbot.waitUntil(lambda: seen.last.seen is None)
    assert seen.last.drawing > first and Change.NEW_DRAWING in seen.last.changed
    session.stop()


class RunningTrainer:
    """A trainer that is always running and has done one more step at every look."""

    def __init__(self) -> None:
        self.network = Network((784, 10))
        self.steps = 0

    def snapshot(self) -> Snapshot:
        self.steps += 1
        return Snapshot(steps=self.steps, epoch=0, epoch_fraction=0.0,
                        examples_per_second=1.0, dropped=0,
                        batch_costs=np.ones(self.steps, np.float32),
                        grad_norms=np.ones((self.steps, 1), np.float32), epochs=[],
                        network=self.network, is_running=True, error=None)


def test_while_training_each_receiver_gets_frames_at_its_own_rate(qtbot, canvas):
    session = LiveSession(RunningTrainer(), canvas)
    session.stop()  # the test ticks by hand: 30 ticks are one second of frames
    every, plots, weights = Recorder(), Recorder(), Recorder()
    session.subscribe(every)
    session.subscribe(plots, hz=10, hz_while_drawing=6)
    session.subscribe(weights, hz=2)
    for recorder in (every, plots, weights):
        recorder.frames.clear()
    for _ in range(30):
        session.tick()
    assert (len(every.frames), len(plots.frames), len(weights.frames)) == (30, 10, 2)

    plots.frames.clear()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center())
    assert canvas.pen_down
    for _ in range(30):
        session.tick()
    assert len(plots.frames) == 6  # the pen gets the time
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center())


def test_changes_are_counted_from_the_frame_handed_before():
    net = Network((784, 10))
    snapshot = RunningTrainer().snapshot()
    frame = Frame(snapshot, net, None, None, pen_down=False, run=0, drawing=0)
    assert frame.changes_since(None) == ~Change.NONE
    assert frame.changes_since(frame) == Change.NONE
    later = dataclasses.replace(frame, snapshot=dataclasses.replace(snapshot, steps=2,
                                                                     is_running=False))
    assert later.changes_since(frame) == Change.STEPS | Change.TRAINING
    image = np.zeros((28, 28), np.float32)
    drawn = dataclasses.replace(frame, seen=image, network=net.copy(), drawing=1)
    assert drawn.changes_since(frame) == Change.DRAWING | Change.WEIGHTS | Change.NEW_DRAWING
    assert dataclasses.replace(frame, run=1).changes_since(frame) == ~Change.NONE
