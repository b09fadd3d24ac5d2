"""The network view: the network lit by the drawn digit, checked against core's forward pass."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QPushButton, QToolTip, QWidget

from digitpad.core import Network
from digitpad.core.network_picture import MAX_NEURONS
from digitpad.ui.network_view import PLACEHOLDER, NetworkView
from tests.images import stroke_image
from tests.ui.window_helpers import draw_seven, shown


@pytest.fixture
def view(qtbot):
    return shown(qtbot, NetworkView(), 760, 420)


def test_drawing_lights_the_network_with_forward_activations(qtbot, window):
    view = window.findChild(QWidget, "networkView")
    window.inspectors.setCurrentWidget(view)
    assert view.picture() is None and view.message() == PLACEHOLDER
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(lambda: view.picture() is not None)

    def expected() -> list[np.ndarray]:
        seen = window.prediction.seen.image().reshape(1, -1)
        return [a[0] for a in window.trainer.snapshot().network.activations(seen)]

    for got, want in zip(view.picture().activations, expected(), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(view.picture().activations[-1],
                               window.trainer.snapshot().network.forward(
                                   window.prediction.seen.image().reshape(1, -1))[0],
                               rtol=1e-6, atol=1e-7)

    before = view.picture().activations[-1].copy()
    window.findChild(QPushButton, "stepButton").click()  # new weights: new shades
    qtbot.waitUntil(lambda: not np.allclose(view.picture().activations[-1], before))
    for got, want in zip(view.picture().activations, expected(), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)

    window.canvas.clear()
    qtbot.waitUntil(lambda: view.picture() is None)
    assert view.message() == PLACEHOLDER


def test_no_network_or_one_that_cannot_read_the_drawing_is_said(view):
    view.show_example(None, stroke_image())
    assert view.picture() is None and "No network yet" in view.message()
    network = Network((100, 16, 10), seed=0)
    view.show_example(network, stroke_image())
    assert view.picture() is None
    assert view.message() == ("This view needs a network with 784 inputs, not "
                              f"{network.describe()}")
    view.show_example(Network((784, 16, 5), seed=0), stroke_image())  # any outputs will do
    assert view.picture() is not None and view.message() is None


def test_a_wide_layer_shows_its_most_active_and_says_how_many_are_hidden(view):
    net = Network((784, 512, 512, 10), seed=4)
    view.show_example(net, stroke_image())
    picture = view.picture()
    for layer in (1, 2):
        assert len(picture.shown[layer]) == MAX_NEURONS <= 16
        assert f"{512 - MAX_NEURONS} more" in view.hidden_note(layer)
        a = picture.activations[layer]
        assert a[picture.shown[layer]].min() >= np.delete(a, picture.shown[layer]).max()
    assert "more" not in view.hidden_note(3) and len(picture.shown[3]) == 10


def test_hovering_a_neuron_tells_its_activation_and_bias(view):
    net = Network((784, 16, 10), seed=5)
    view.show_example(net, stroke_image())
    picture = view.picture()
    for layer, j in [(1, 3), (2, 7)]:
        pos = view.neuron_centre(layer, j).toPoint()
        QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, pos, view.mapToGlobal(pos)))
        text = QToolTip.text()
        assert f"activation {picture.activations[layer][j]:.3f}" in text
        assert f"bias {net.biases[layer - 1][j]:+.3f}" in text
        assert ("<img" in text) == (layer == 1)  # layer 1: the picture of its 784 weights
        QToolTip.hideText()


def test_clicking_a_neuron_selects_it_and_again_lets_go(view, qtbot):
    net = Network((784, 16, 16, 10), seed=6)
    view.show_example(net, stroke_image())
    centre = view.neuron_centre(2, 5).toPoint()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)
    assert view.selected == (2, 5)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)
    assert view.selected is None
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.neuron_centre(3, 9).toPoint())
    assert view.selected == (3, 9)
    assert view.neuron_at(QPointF(2, 2)) is None


def test_nothing_is_computed_while_hidden(qtbot, monkeypatch):
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 360)
    net = Network((784, 16, 10), seed=7)
    calls = []
    original = net.activations
    monkeypatch.setattr(net, "activations", lambda *a: calls.append(1) or original(*a))
    widget.show_example(net, stroke_image())
    widget.show_example(net, stroke_image(column=11))
    assert calls == []
    widget.show()
    qtbot.waitExposed(widget)
    assert len(calls) == 1
    np.testing.assert_allclose(widget.picture().activations[0], stroke_image(column=11).ravel())
