"""Slow motion: the pace control, every step shown, and a step played in the network view."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from digitpad.app import create_window
from digitpad.ui.step_animation import BACKWARD, FORWARD, WEIGHTS
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import choose_with_keys, draw_seven

PACES = ["Full speed", "100 steps/s", "10 steps/s", "1 step/s"]


def choose_pace(qtbot, window, text: str) -> None:
    assert window.findChild(QComboBox, "paceSelector").findText(text) == PACES.index(text)
    choose_with_keys(qtbot, window.findChild(QComboBox, "paceSelector"), text)


def click(qtbot, window, name: str) -> None:
    qtbot.mouseClick(window.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


class Frames:
    """A receiver of the session's frames, at the weights view's slow rate (2 a second)."""

    def __init__(self, session) -> None:
        self.frames = []
        session.subscribe(self.frames.append, hz=2)

    def steps(self) -> list[int]:
        return [f.snapshot.steps for f in self.frames]


def test_the_pace_control_offers_four_paces_and_is_remembered(qtbot, small_mnist):
    first = create_window(data=small_mnist)
    qtbot.addWidget(first)
    first.show()
    selector = first.findChild(QComboBox, "paceSelector")
    assert [selector.itemText(i) for i in range(selector.count())] == PACES
    assert selector.currentText() == "Full speed" and first.trainer.pace is None
    assert "steps a second" in selector.toolTip()
    choose_pace(qtbot, first, "10 steps/s")
    assert first.trainer.pace == 10  # at once
    first.close()

    second = create_window(data=small_mnist)
    qtbot.addWidget(second)
    second.show()
    assert second.findChild(QComboBox, "paceSelector").currentText() == "10 steps/s"
    assert second.trainer.pace == 10
    choose_pace(qtbot, second, "Full speed")
    assert second.trainer.pace is None
    second.close()


def test_at_a_slow_pace_every_step_reaches_every_view(qtbot, window):
    choose_pace(qtbot, window, "10 steps/s")
    seen = Frames(window.session)
    click(qtbot, window, "startPauseButton")
    qtbot.waitUntil(lambda: max(seen.steps()) >= 8)
    # The status bar gives the pace, not the speed of a step alone (far faster).
    assert window.status_labels["speed"].text() == "slowed: 10 steps/s"
    click(qtbot, window, "startPauseButton")
    assert window.trainer.wait_idle(DEADLINE_S)
    last = window.trainer.steps
    qtbot.waitUntil(lambda: max(seen.steps()) == last)
    # A frame for every step, even for a receiver that asks for 2 a second, each with the
    # weights of that step (the trainer publishes them with it).
    assert sorted(set(seen.steps())) == list(range(last + 1))
    for frame in seen.frames:
        assert frame.network is frame.snapshot.network


def test_pause_at_one_step_a_second_stops_at_once_and_step_still_works(qtbot, window):
    choose_pace(qtbot, window, "1 step/s")
    click(qtbot, window, "startPauseButton")
    qtbot.waitUntil(lambda: window.trainer.steps >= 1)
    click(qtbot, window, "startPauseButton")
    assert not window.trainer.is_running
    assert window.trainer.wait_idle(DEADLINE_S)  # not waiting for a step a second later
    paused_at = window.trainer.steps
    button = window.findChild(QPushButton, "startPauseButton")
    qtbot.waitUntil(lambda: button.text() == "Start")
    click(qtbot, window, "stepButton")  # one step, now, whatever the pace
    qtbot.waitUntil(lambda: window.trainer.steps == paused_at + 1)
    assert window.trainer.wait_idle(DEADLINE_S) and window.trainer.steps == paused_at + 1


def network_view_of_a_seven(qtbot, window, pace: str) -> QWidget:
    """The network tab, lit by a drawn 7, with `pace` chosen."""
    view = window.findChild(QWidget, "networkView")
    window.inspectors.setCurrentWidget(view)
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(lambda: view.picture() is not None)
    choose_pace(qtbot, window, pace)
    return view


def test_at_one_step_a_second_the_network_view_plays_the_step(qtbot, window):
    view = network_view_of_a_seven(qtbot, window, "1 step/s")
    before = window.session.newest_network()
    seen = window.session.seen_now().reshape(1, -1)
    acts = []

    def note(phase: str, layer: int) -> None:
        acts.append((phase, layer, view.picture().activations[-1].copy()))

    view.animation.changed.connect(note)
    with qtbot.waitSignal(view.animation.finished):
        click(qtbot, window, "stepButton")
    after = window.session.newest_network()
    assert window.trainer.steps == 1
    layers = len(before.sizes) - 1  # 3 for the video's 784-16-16-10
    assert [(phase, layer) for phase, layer, _ in acts] == (
        [(FORWARD, layer) for layer in range(1, layers + 1)]
        + [(BACKWARD, layer) for layer in range(layers, 0, -1)] + [(WEIGHTS, 0)])
    # Forward and backward show the weights before the step; then they change to the new ones.
    for phase, _, outputs in acts:
        network = after if phase == WEIGHTS else before
        np.testing.assert_allclose(outputs, network.forward(seen)[0], rtol=1e-5, atol=1e-6)
    assert not np.allclose(before.forward(seen), after.forward(seen))
    assert not view.animation.playing


def test_faster_paces_show_the_new_weights_without_playing(qtbot, window):
    view = network_view_of_a_seven(qtbot, window, "10 steps/s")
    played = []
    view.animation.changed.connect(lambda phase, layer: played.append(phase))
    click(qtbot, window, "stepButton")
    assert window.trainer.wait_idle(DEADLINE_S)
    seen = window.session.seen_now().reshape(1, -1)
    qtbot.waitUntil(lambda: np.allclose(view.picture().activations[-1],
                                        window.trainer.network.forward(seen)[0], atol=1e-6))
    assert played == []
