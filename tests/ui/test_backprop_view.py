"""The backprop view: what one example wants to nudge, checked against core's backprop."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from digitpad.core import Network
from digitpad.ui import theme
from digitpad.ui.backprop_view import MAX_BARS, PLACEHOLDER, BackpropView
from digitpad.ui.weight_nudge import NudgePicture
from digitpad.ui.wish_bars import HiddenWishes, OutputWishes
from tests.images import stroke_image
from tests.ui.palettes import dark_palette
from tests.ui.window_helpers import shown


def wishes_by_core(net: Network, image: np.ndarray, target: int) -> list[np.ndarray]:
    """−δ for every layer, straight from core (first layer first)."""
    grads = net.backprop(image.reshape(1, -1).astype(np.float32), np.array([target]))
    return [-d[0].astype(np.float64) for d in grads.deltas]


def guess_of(net: Network, image: np.ndarray) -> int:
    return int(net.predict(image.reshape(1, -1))[0])


def pixels(image: QImage) -> np.ndarray:
    """(h, w, 3) uint8 RGB of a QImage."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 3 * image.width()].reshape(image.height(), image.width(), 3).copy()


@pytest.fixture
def net():
    return Network((784, 16, 10), output="softmax", cost="cross_entropy", seed=0)


@pytest.fixture
def view(qtbot):
    return shown(qtbot, BackpropView(), 560, 380)


def target_button(view: BackpropView, digit: int):
    button = view.findChild(QToolButton, f"targetDigit{digit}")
    assert button is not None
    return button


def test_object_name_and_placeholder_before_anything(view):
    assert view.objectName() == "backpropView"
    assert view.showing_placeholder and view.message() == PLACEHOLDER
    assert view.target is None and view.output_wishes() is None and view.hidden_wishes() == []


def test_the_target_follows_the_guess_by_default(view, net):
    image = stroke_image()
    view.show_example(net, image)
    guess = guess_of(net, image)
    assert view.target == guess and not view.target_is_chosen
    assert target_button(view, guess).isChecked()
    assert sum(target_button(view, d).isChecked() for d in range(10)) == 1
    np.testing.assert_allclose(view.output_wishes(), wishes_by_core(net, image, guess)[-1],
                               rtol=1e-6, atol=1e-7)


def test_clicking_a_digit_makes_it_the_target_and_the_wishes_follow(view, net, qtbot):
    image = stroke_image()
    view.show_example(net, image)
    assert guess_of(net, image) != 3  # else clicking 3 would prove nothing

    qtbot.mouseClick(target_button(view, 3), Qt.MouseButton.LeftButton)
    assert view.target == 3 and view.target_is_chosen
    assert target_button(view, 3).isChecked()

    expected = wishes_by_core(net, image, 3)
    wishes = view.output_wishes()
    np.testing.assert_allclose(wishes, expected[-1], rtol=1e-6, atol=1e-7)
    # Softmax with cross-entropy: −δ = y − a, so the target wants up and every other digit down.
    assert wishes[3] > 0 and np.all(np.delete(wishes, 3) < 0)
    np.testing.assert_allclose(wishes, np.eye(10)[3] - net.forward(image.reshape(1, -1))[0],
                               rtol=1e-5, atol=1e-6)

    hidden = view.hidden_wishes()
    assert len(hidden) == 1 and hidden[0].shape == (16,)
    np.testing.assert_allclose(hidden[0], expected[0], rtol=1e-6, atol=1e-7)

    # The weight nudge for layer 1's neuron with the largest |δ|: −x·δⱼ.
    j = int(np.argmax(np.abs(expected[0])))
    assert view.nudged_neuron() == j
    np.testing.assert_allclose(view.weight_nudge(), image * expected[0][j], rtol=1e-6,
                               atol=1e-9)

    # The choice sticks when the drawing changes...
    other = stroke_image(column=10)
    view.show_example(net, other)
    assert view.target == 3
    np.testing.assert_allclose(view.output_wishes(), wishes_by_core(net, other, 3)[-1],
                               rtol=1e-6, atol=1e-7)
    # ...until clear_target(): then the guess again.
    view.clear_target()
    guess = guess_of(net, other)
    assert view.target == guess and not view.target_is_chosen
    assert target_button(view, guess).isChecked()
    np.testing.assert_allclose(view.output_wishes(), wishes_by_core(net, other, guess)[-1],
                               rtol=1e-6, atol=1e-7)


def test_an_empty_canvas_shows_the_placeholder_and_no_wishes(view, net):
    view.show_example(net, stroke_image())
    assert not view.showing_placeholder and view.output_wishes() is not None

    view.show_example(net, None)
    assert view.showing_placeholder
    assert view.message() == PLACEHOLDER
    assert view.accessibleDescription() == PLACEHOLDER
    assert view.output_wishes() is None and view.hidden_wishes() == []
    assert view.weight_nudge() is None and view.nudged_neuron() is None
    assert view.target is None
    assert not any(target_button(view, d).isChecked() for d in range(10))


def test_no_network_is_a_placeholder_too(view):
    view.show_example(None, stroke_image())
    assert view.showing_placeholder and view.output_wishes() is None
    assert view.message() != PLACEHOLDER  # it says what is missing


@pytest.mark.parametrize("sizes,needs", [((100, 16, 10), "784 inputs and 10 outputs"),
                                         ((784, 16, 5), "784 inputs and 10 outputs")])
def test_a_network_that_cannot_read_the_drawing_says_what_it_needs(view, sizes, needs):
    network = Network(sizes, seed=0)
    view.show_example(network, stroke_image())
    assert view.showing_placeholder and view.output_wishes() is None
    assert view.message() == f"This view needs a network with {needs}, not {network.describe()}"


def test_a_wide_layer_shows_the_64_largest_wishes(view):
    net = Network((784, 100, 10), output="softmax", cost="cross_entropy", seed=1)
    image = stroke_image()
    view.show_example(net, image)
    hidden = view.hidden_wishes()
    assert hidden[0].shape == (100,)  # all of them are there to read
    shown = view.shown_neurons()
    assert MAX_BARS == 64 and len(shown) == 1 and len(shown[0]) == 64
    expected = wishes_by_core(net, image, guess_of(net, image))[0]
    largest = np.argsort(-np.abs(expected))[:64]
    assert set(shown[0].tolist()) == set(largest.tolist())
    assert view.nudged_neuron() in shown[0]


def test_a_deeper_network_passes_the_wishes_through_every_layer(view):
    net = Network((784, 12, 8, 10), activation="relu", output="sigmoid", cost="quadratic",
                  seed=2)
    image = stroke_image()
    view.show_example(net, image)
    expected = wishes_by_core(net, image, view.target)
    hidden = view.hidden_wishes()
    assert [h.shape for h in hidden] == [(12,), (8,)]
    for got, want in zip(hidden + [view.output_wishes()], expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-8)


def test_the_caller_keeps_its_arrays(view, net, qtbot):
    image = stroke_image()
    view.show_example(net, image)
    other = (guess_of(net, image) + 1) % 10
    image[:] = 0.0  # the window reuses its buffers
    # A new target recomputes from the view's own copy of the drawing, not the caller's array.
    qtbot.mouseClick(target_button(view, other), Qt.MouseButton.LeftButton)
    expected = wishes_by_core(net, stroke_image(), other)
    np.testing.assert_allclose(view.output_wishes(), expected[-1], rtol=1e-6, atol=1e-7)
    j = int(np.argmax(np.abs(expected[0])))
    np.testing.assert_allclose(view.weight_nudge(), stroke_image() * expected[0][j], rtol=1e-6,
                               atol=1e-9)


def test_no_backprop_while_hidden(qtbot, net, monkeypatch):
    widget = BackpropView()
    qtbot.addWidget(widget)
    widget.resize(560, 380)
    calls = []
    # Every backprop of one example starts with its forward pass.
    original = net.activations
    monkeypatch.setattr(net, "activations",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    widget.show_example(net, stroke_image())
    widget.show_example(net, stroke_image(column=11))
    assert calls == []  # hidden: only remembered
    widget.show()
    qtbot.waitExposed(widget)
    assert len(calls) == 1  # shown: the latest example, once
    np.testing.assert_allclose(
        widget.output_wishes(),
        wishes_by_core(net, stroke_image(column=11), guess_of(net, stroke_image(column=11)))[-1],
        rtol=1e-6, atol=1e-7)


def test_tooltips_explain_each_band(view, net):
    view.show_example(net, stroke_image())
    w, h = view.width(), view.height()
    assert "output layer" in view.tooltip_at(QPointF(w * 0.2, h * 0.3))
    assert "backwards" in view.tooltip_at(QPointF(w * 0.2, h * 0.85))
    assert "−x·δ" in view.tooltip_at(QPointF(w * 0.82, h * 0.55))


def painted_area(view: BackpropView) -> np.ndarray:
    """The pixels under the target row (the painted bands), as (h, w, 3)."""
    QApplication.processEvents()  # the layouts of what changed, as the event loop would
    shot = view.grab().toImage()
    ratio = shot.devicePixelRatio()
    note = view.findChild(QLabel, "targetNote")
    below = int((note.geometry().bottom() + 4) * ratio)
    return pixels(shot)[below:]


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_renders_wishes_in_light_and_dark(view, net, palette):
    if palette == "dark":
        view.setPalette(dark_palette())
    view.show_example(net, None)
    empty = painted_area(view)
    view.show_example(net, stroke_image())
    shown = painted_area(view)
    assert shown.reshape(-1, 3).astype(float).var(axis=0).sum() > 0
    # The bands are really drawn: far more distinct colours than the placeholder text alone.
    colours = len(np.unique(shown.reshape(-1, 3), axis=0))
    assert colours > len(np.unique(empty.reshape(-1, 3), axis=0))
    # The output band has the target's arrow in the "more" colour
    # and the other digits' in the "less" colour.
    band = view.findChild(OutputWishes)
    ratio = view.grab().devicePixelRatio()
    top_left = band.mapTo(view, QPoint(0, 0))
    outputs = pixels(view.grab().toImage())[
        int(top_left.y() * ratio): int((top_left.y() + band.height()) * ratio),
        int(top_left.x() * ratio): int((top_left.x() + band.width()) * ratio)].reshape(-1, 3)
    for colour in (theme.more_color(view.palette()), theme.less_color(view.palette())):
        rgb = np.array(colour.getRgb()[:3])
        assert (np.abs(outputs.astype(int) - rgb).sum(axis=1) == 0).sum() > 20
    flat = shown.reshape(-1, 3)
    # The background follows the palette.
    window = np.array(view.palette().color(QPalette.ColorRole.Window).getRgb()[:3])
    assert (np.abs(flat[0].astype(int) - window).sum()) < 6


def test_repaints_only_when_the_picture_changes(view, net, monkeypatch):
    image = stroke_image()
    view.show_example(net, image)
    updates = []
    painted = [*view.findChildren(OutputWishes), *view.findChildren(HiddenWishes),
               *view.findChildren(NudgePicture)]
    assert len(painted) == 3
    for part in painted:
        monkeypatch.setattr(part, "update", lambda *a, part=part: updates.append(part))
    view.show_example(net, image.copy())  # the same drawing again: nothing new to draw
    view.clear_target()  # nothing chosen: no change
    assert updates == []
    view.show_example(net, stroke_image(column=10))
    assert set(updates) == set(painted)  # each part once
    assert len(updates) == 3
    updates.clear()
    view.show_example(net, None)
    assert view.showing_placeholder and updates == []  # hidden behind the placeholder
