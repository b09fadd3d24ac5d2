"""One example's wishes, checked against Network.backprop and against the cost itself."""

import numpy as np
import pytest

from digitpad.core import Network
from digitpad.core.example_wishes import MAX_SHOWN, arrow_scale, example_wishes, largest
from tests.images import stroke_image

NETWORKS = [
    Network((784, 16, 10), output="softmax", cost="cross_entropy", seed=0),
    Network((784, 12, 8, 10), activation="relu", output="sigmoid", cost="quadratic", seed=2),
    Network((784, 10), activation="tanh", output="sigmoid", cost="cross_entropy", seed=3),
]


@pytest.mark.parametrize("net", NETWORKS, ids=lambda n: n.describe())
@pytest.mark.parametrize("target", [None, 3])
def test_the_wishes_at_every_layer_are_minus_the_deltas_of_backprop(net, target):
    image = stroke_image()
    wishes = example_wishes(net, image, target)
    guess = int(net.predict(image.reshape(1, -1))[0])
    assert wishes.guess == guess
    assert wishes.target == (guess if target is None else target)

    grads = net.backprop(image.reshape(1, -1), np.array([wishes.target]))
    expected = [-d[0].astype(np.float64) for d in grads.deltas]
    assert len(wishes.hidden_wishes) == len(net.sizes) - 2
    for got, want in zip([*wishes.hidden_wishes, wishes.output_wishes], expected):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(wishes.outputs, net.forward(image.reshape(1, -1))[0], rtol=1e-6)

    # The nudge: −∂c/∂W¹ for the layer-1 neuron that most wants to change, as an image.
    first = expected[0]
    assert wishes.neuron == int(np.argmax(np.abs(first)))
    assert wishes.nudge.shape == image.shape
    np.testing.assert_allclose(wishes.nudge.ravel(), -grads.weights[0][:, wishes.neuron],
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(wishes.nudge, image * first[wishes.neuron], rtol=1e-5, atol=1e-9)


def test_granting_the_wish_lowers_the_examples_cost():
    net = Network((784, 16, 10), output="softmax", cost="cross_entropy", seed=0, dtype=np.float64)
    image = stroke_image().astype(np.float64)
    x, y = image.reshape(1, -1), np.array([7])
    wishes = example_wishes(net, image, 7)
    before = net.cost(x, y)
    net.weights[0][:, wishes.neuron] += 0.5 * wishes.nudge.ravel()
    assert net.cost(x, y) < before


def test_softmax_with_cross_entropy_wants_exactly_the_one_hot_answer():
    net = NETWORKS[0]
    image = stroke_image()
    wishes = example_wishes(net, image, 3)
    np.testing.assert_allclose(wishes.output_wishes, np.eye(10)[3] - wishes.outputs, atol=1e-6)
    assert wishes.output_wishes[3] > 0 and np.all(np.delete(wishes.output_wishes, 3) < 0)
    # Then the arrows, scaled by 1, end exactly on 1 for the target and 0 for the others.
    assert arrow_scale(wishes.outputs, wishes.output_wishes) == pytest.approx(1.0, abs=1e-5)


def test_the_arrow_with_the_least_room_just_reaches_the_edge():
    outputs = np.array([0.2, 0.9, 0.5])
    wishes = np.array([-0.1, 0.05, 0.4])  # room: 0.2/0.1 = 2, 0.1/0.05 = 2, 0.5/0.4 = 1.25
    k = arrow_scale(outputs, wishes)
    assert k == pytest.approx(1.25)
    ends = outputs + k * wishes
    assert np.all((ends >= -1e-12) & (ends <= 1 + 1e-12))
    assert ends[2] == pytest.approx(1.0)
    assert arrow_scale(outputs, np.zeros(3)) == 0.0  # no wish, no arrow


def test_a_wide_layer_names_the_neurons_with_the_largest_wishes():
    net = Network((784, 100, 10), output="softmax", cost="cross_entropy", seed=1)
    wishes = example_wishes(net, stroke_image())
    assert wishes.hidden_wishes[0].shape == (100,)  # every wish is kept
    shown = wishes.shown[0]
    assert len(shown) == MAX_SHOWN == 64 and np.all(np.diff(shown) > 0)
    order = np.argsort(-np.abs(wishes.hidden_wishes[0]))
    assert set(shown.tolist()) == set(order[:64].tolist())
    assert wishes.neuron in shown


def test_largest_keeps_everything_when_there_are_few():
    np.testing.assert_array_equal(largest(np.array([3.0, -1.0]), 5), [0, 1])
    np.testing.assert_array_equal(largest(np.array([0.1, -5.0, 2.0, 0.0]), 2), [1, 2])
