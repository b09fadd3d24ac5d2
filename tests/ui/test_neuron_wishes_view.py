"""One output neuron's wishes in the nudges view, through real clicks on the output digits:
its wishes alone (the ten add up to the total) and its three ways, checked against backprop."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QPushButton, QToolButton, QWidget

from digitpad.core import Network
from digitpad.core.activations import ACTIVATIONS
from digitpad.ui.backprop_view import BackpropView
from digitpad.ui.three_ways import MAX_RANKED, RankedBars
from digitpad.ui.wish_bars import HiddenWishes, OutputWishes
from tests.images import stroke_image
from tests.ui.window_helpers import draw_seven, focus, shown


@pytest.fixture
def net():
    return Network((784, 12, 8, 10), activation="relu", output="sigmoid", cost="quadratic",
                   seed=2)


@pytest.fixture
def view(qtbot):
    return shown(qtbot, BackpropView(), 590, 330)  # the tab's size in the default window


def click_output(qtbot, view: BackpropView, digit: int) -> None:
    """A real click on output `digit`'s column of the output band."""
    outputs = view.findChild(OutputWishes)
    qtbot.mouseClick(outputs, Qt.MouseButton.LeftButton,
                     pos=outputs.column(digit).center().toPoint())


def layer_bars(view: BackpropView, l: int) -> HiddenWishes:
    """The bars of hidden layer l + 1 (drawn last layer on top)."""
    bars = sorted(view.findChildren(HiddenWishes), key=lambda w: w.mapTo(view, QPoint()).y())
    return bars[::-1][l]


def all_ten_button(view: BackpropView) -> QToolButton:
    return view.findChild(QToolButton, "allOutputsButton")


def backprop_of(net: Network, image: np.ndarray, target: int):
    return net.backprop(image.reshape(1, -1), np.array([target]))


def test_clicking_an_output_digit_shows_its_wishes_alone_and_the_ten_add_up(qtbot, view, net):
    image = stroke_image()
    view.show_example(net, image)
    target = view.target
    total = [-d[0].astype(np.float64) for d in backprop_of(net, image, target).deltas]
    np.testing.assert_allclose(view.hidden_wishes()[1], total[1], rtol=1e-5, atol=1e-9)
    assert view.output_alone() is None and all_ten_button(view).isChecked()
    assert "sum of all ten" in view.aloneness_note()
    assert all("sum of the ten" in caption for caption in view.layer_captions())

    alone = []
    for digit in range(10):
        click_output(qtbot, view, digit)
        assert view.output_alone() == digit and not all_ten_button(view).isChecked()
        assert f"output {digit} alone" in view.aloneness_note()
        assert "sum of all ten" in view.aloneness_note()  # and what it is a part of
        assert all(f"output {digit} alone" in c for c in view.layer_captions())
        # The output band still shows all ten arrows; only the layers below are output j's.
        np.testing.assert_allclose(view.output_wishes(), total[-1], rtol=1e-5, atol=1e-9)
        alone.append(view.hidden_wishes())
        # Each layer draws output j's part with the total, faint, behind it.
        for l, neurons in enumerate(view.shown_neurons()):
            bars, behind = layer_bars(view, l).drawn()
            np.testing.assert_allclose(bars, alone[-1][l][neurons], rtol=1e-12)
            np.testing.assert_allclose(behind, total[l][neurons], rtol=1e-5, atol=1e-9)

    # Output j alone, straight from the formula: δᴸⱼ wⱼ ⊙ σ′ in the last hidden layer.
    a = net.activations(image.reshape(1, -1))[-2][0].astype(np.float64)
    sigma_prime = ACTIVATIONS["relu"].derivative(a)
    for digit in (0, 4, 9):
        expected = total[-1][digit] * net.weights[-1][:, digit] * sigma_prime
        np.testing.assert_allclose(alone[digit][1], expected, rtol=1e-5, atol=1e-9)
    # The ten add up to the total at every hidden layer.
    for l in range(2):
        np.testing.assert_allclose(sum(wishes[l] for wishes in alone), total[l], rtol=1e-5,
                                   atol=1e-8)

    qtbot.mouseClick(all_ten_button(view), Qt.MouseButton.LeftButton)
    assert view.output_alone() is None and all_ten_button(view).isChecked()
    assert "sum of all ten" in view.aloneness_note()
    for got, want in zip(view.hidden_wishes(), total[:-1]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-9)
    assert all(layer_bars(view, l).drawn()[1] is None for l in range(2))  # no part: no ghost


def test_a_second_click_on_the_same_digit_shows_all_ten_again(qtbot, view, net):
    view.show_example(net, stroke_image())
    click_output(qtbot, view, 6)
    assert view.output_alone() == 6
    click_output(qtbot, view, 6)
    assert view.output_alone() is None and all_ten_button(view).isChecked()
    # Clicking "all ten" when it already shows all ten leaves it so (not unchecked).
    qtbot.mouseClick(all_ten_button(view), Qt.MouseButton.LeftButton)
    assert view.output_alone() is None and all_ten_button(view).isChecked()


@pytest.mark.parametrize("digit", [2, 7])
def test_the_three_ways_shown_are_backprops_gradients(qtbot, view, net, digit):
    image = stroke_image(column=12)
    view.show_example(net, image)
    click_output(qtbot, view, digit)
    grads = backprop_of(net, image, view.target)
    ways = view.three_ways()
    assert ways.neuron == digit
    assert ways.bias == pytest.approx(-float(grads.biases[-1][digit]), rel=1e-5, abs=1e-12)
    np.testing.assert_allclose(ways.weights, -grads.weights[-1][:, digit], rtol=1e-5,
                               atol=1e-12)
    # The activations' way, times σ′: what output j alone wants of the layer before.
    a = net.activations(image.reshape(1, -1))[-2][0].astype(np.float64)
    np.testing.assert_allclose(ways.activations * ACTIVATIONS["relu"].derivative(a),
                               view.hidden_wishes()[-1], rtol=1e-5, atol=1e-12)

    # What is drawn: the bias, then each way's bars, the largest first.
    bias, weights, activations = view.drawn_ways()
    np.testing.assert_allclose(bias, [-grads.biases[-1][digit]], rtol=1e-5, atol=1e-12)
    expected = -grads.weights[-1][:, digit].astype(np.float64)
    np.testing.assert_allclose(weights, expected[np.argsort(-np.abs(expected), kind="stable")],
                               rtol=1e-5, atol=1e-12)
    assert np.all(np.diff(np.abs(activations)) <= 1e-12)
    np.testing.assert_allclose(np.sort(np.abs(activations)),
                               np.sort(np.abs(ways.activations)), rtol=1e-12)


def test_with_all_ten_the_ways_are_the_targets_and_follow_a_new_target(qtbot, view):
    net = Network((784, 16, 10), output="softmax", cost="cross_entropy", seed=0)
    image = stroke_image()
    view.show_example(net, image)
    assert view.three_ways().neuron == view.target
    qtbot.mouseClick(view.findChild(QToolButton, "targetDigit4"), Qt.MouseButton.LeftButton)
    ways = view.three_ways()
    assert ways.neuron == 4
    # It is a 4: softmax and cross-entropy want output 4 up, so every lit neuron's weight grows.
    assert ways.bias > 0 and np.all(ways.weights >= 0)
    before = net.activations(image.reshape(1, -1))[-2][0]
    _, weights, _ = view.drawn_ways()
    # Fire together, wire together: the weights drawn first come from the brightest neurons.
    np.testing.assert_allclose(weights, (ways.bias * before[np.argsort(-before)]), rtol=1e-5)


def test_a_wide_layer_shows_its_largest_ways_and_says_so(qtbot, view):
    net = Network((784, 100, 10), output="softmax", cost="cross_entropy", seed=1)
    view.show_example(net, stroke_image())
    click_output(qtbot, view, 1)
    _, weights, activations = view.drawn_ways()
    assert len(weights) == len(activations) == MAX_RANKED == 24
    ways = view.three_ways()
    np.testing.assert_allclose(np.abs(weights), np.sort(np.abs(ways.weights))[::-1][:24])
    title, bias, weights_caption, activations_caption = view.findChild(
        QWidget, "threeWays").captions()
    assert "Output 1" in title and "bias" in bias
    assert f"{MAX_RANKED} largest of 100" in weights_caption
    assert "fire together, wire together" in weights_caption
    assert f"{MAX_RANKED} largest of 100" in activations_caption


def test_the_ways_bars_say_which_neuron_and_why(qtbot, view, net):
    view.show_example(net, stroke_image())
    click_output(qtbot, view, 3)
    ways = view.three_ways()
    weights_bars = view.findChild(QWidget, "threeWays").findChildren(RankedBars)[1]
    first = int(ways.weights_ranked[0])
    tip = weights_bars.tooltip_at(weights_bars.rect().topLeft().toPointF() + QPoint(1, 1))
    assert f"neuron {first + 1} of layer 2" in tip and "output 3" in tip
    assert f"{ways.before[first]:.3g}" in tip


def test_nothing_is_repainted_when_the_same_drawing_comes_again(qtbot, view, net, monkeypatch):
    image = stroke_image()
    view.show_example(net, image)
    click_output(qtbot, view, 5)
    bars = view.findChildren(RankedBars)
    assert len(bars) == 3
    updates = []
    for part in bars:
        monkeypatch.setattr(part, "update", lambda *a, part=part: updates.append(part))
    view.show_example(net, image.copy())
    assert updates == []
    click_output(qtbot, view, 2)
    assert set(updates) == set(bars)


def test_at_the_default_window_size_every_control_of_the_nudges_tab_is_in_sight(qtbot, window):
    window.resize(1360, 860)  # the size a new window opens at
    view = window.findChild(QWidget, "backpropView")
    window.inspectors.setCurrentWidget(view)
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(lambda: not view.showing_placeholder)
    names = ["learnDigitButton", "learnTenButton", "undoLearnButton"]
    controls = [window.findChild(QPushButton, name) for name in names]
    controls += [view.findChild(QToolButton, f"targetDigit{d}") for d in range(10)]
    controls += [all_ten_button(view), view.findChild(OutputWishes),
                 view.findChild(QWidget, "threeWays")]
    inside = view.rect()
    rects = []
    for control in controls:
        assert control.isVisible(), control.objectName()
        rect = QRect(control.mapTo(view, QPoint(0, 0)), control.size())
        assert inside.contains(rect), control.objectName()
        if isinstance(control, (QPushButton, QToolButton)):  # its words are not cut
            assert control.width() > control.fontMetrics().horizontalAdvance(control.text())
        rects.append(rect)
    for i, a in enumerate(rects):  # no two overlap
        assert not any(a.intersects(b) for b in rects[i + 1:]), controls[i].objectName()
    # The output band and each way's bars have room to be read.
    assert view.findChild(OutputWishes).height() >= 3 * view.fontMetrics().height()
    assert all(bars.height() >= view.fontMetrics().height()
               for bars in view.findChildren(RankedBars))


def test_with_the_outputs_focused_a_digit_key_shows_that_output_alone(qtbot, view, net):
    view.show_example(net, stroke_image())
    band = view.findChild(OutputWishes)
    focus(qtbot, band)
    qtbot.keyClick(band, Qt.Key.Key_7)
    assert view.output_alone() == 7 and "output 7" in view.aloneness_note()
    qtbot.keyClick(band, Qt.Key.Key_2)
    assert view.output_alone() == 2
    qtbot.keyClick(band, Qt.Key.Key_Escape)
    assert view.output_alone() is None and all_ten_button(view).isChecked()
