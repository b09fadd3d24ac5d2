"""One output neuron's wishes: the ten add up to the whole, and its three ways are backprop's."""

import numpy as np
import pytest

from digitpad.core import Network
from digitpad.core.activations import ACTIVATIONS
from digitpad.core.example_wishes import example_wishes
from digitpad.core.neuron_wishes import (
    each_output_alone,
    one_output_alone,
    ranked,
    three_ways,
)
from tests.images import stroke_image

NETWORKS = [
    Network((784, 16, 10), output="softmax", cost="cross_entropy", seed=0),
    Network((784, 12, 8, 10), activation="relu", output="sigmoid", cost="quadratic", seed=2),
    Network((784, 20, 16, 10), activation="tanh", output="softmax", cost="cross_entropy",
            seed=4, dtype=np.float64),
    Network((784, 10), activation="tanh", output="sigmoid", cost="cross_entropy", seed=3),
]
ids = [n.describe() for n in NETWORKS]


def backprop_of(net: Network, image: np.ndarray, target: int):
    return net.backprop(image.reshape(1, -1), np.array([target]))


@pytest.mark.parametrize("net", NETWORKS, ids=ids)
@pytest.mark.parametrize("target", [3, 7])
def test_the_ten_outputs_wishes_add_up_to_the_whole_at_every_layer(net, target):
    image = stroke_image()
    total = [-d[0].astype(np.float64) for d in backprop_of(net, image, target).deltas]
    alone = [example_wishes(net, image, target, output=j) for j in range(10)]
    for l, whole in enumerate(total[:-1]):
        parts = np.array([wishes.hidden_wishes[l] for wishes in alone])
        assert parts.shape == (10, len(whole))
        np.testing.assert_allclose(parts.sum(axis=0), whole, rtol=1e-5, atol=1e-8)
        # Not the whole ten times over: each output wants something of its own.
        assert not np.allclose(parts[target], whole, rtol=1e-3, atol=1e-8)
        # Each also carries the whole, to show the part against.
        for wishes in alone:
            np.testing.assert_allclose(wishes.hidden_totals[l], whole, rtol=1e-5, atol=1e-8)

    # The same, all ten at once: rows of δᴸ restricted to one output each, passed back.
    activations = net.activations(image.reshape(1, -1))
    rows = net.pass_back(each_output_alone(-total[-1]), activations)
    assert [r.shape for r in rows] == [(10, s) for s in net.sizes[1:]]
    for r, whole in zip(rows, total):
        np.testing.assert_allclose(-r.sum(axis=0), whole, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("net", NETWORKS[:3], ids=ids[:3])
def test_one_output_alone_is_row_j_of_the_ten(net):
    image = stroke_image(column=11)
    delta_out = backprop_of(net, image, 2).deltas[-1][0]
    activations = net.activations(image.reshape(1, -1))
    ten = net.pass_back(each_output_alone(delta_out), activations)
    one = net.pass_back(one_output_alone(delta_out, 5), activations)
    for whole, single in zip(ten, one):
        np.testing.assert_allclose(single[0], whole[5], rtol=1e-6, atol=1e-12)
    assert np.count_nonzero(one[-1]) == 1  # only output 5 wants anything


@pytest.mark.parametrize("net", NETWORKS, ids=ids)
@pytest.mark.parametrize("j", [0, 3, 9])
def test_the_three_ways_are_backprops_gradients(net, j):
    image = stroke_image()
    target = 3
    grads = backprop_of(net, image, target)
    wishes = example_wishes(net, image, target, output=j)
    ways = wishes.ways
    assert ways.neuron == j
    # Its bias and its incoming weights: exactly the gradient's entries for output neuron j.
    assert ways.bias == pytest.approx(-float(grads.biases[-1][j]), rel=1e-6, abs=1e-12)
    np.testing.assert_allclose(ways.weights, -grads.weights[-1][:, j], rtol=1e-6, atol=1e-12)
    # The activations before it: times σ′(z), output j's wish for that layer, and summed over
    # the ten outputs, the backpropagated δ of the layer before.
    before = net.activations(image.reshape(1, -1))[-2][0].astype(np.float64)
    if len(net.sizes) > 2:
        sigma_prime = ACTIVATIONS[net.activation].derivative(before)
        np.testing.assert_allclose(ways.activations * sigma_prime, wishes.hidden_wishes[-1],
                                   rtol=1e-6, atol=1e-12)
        delta_out = grads.deltas[-1][0]
        every = sum(three_ways(net, before, delta_out, k).activations for k in range(10))
        np.testing.assert_allclose(every * sigma_prime, -grads.deltas[-2][0], rtol=1e-5,
                                   atol=1e-9)


def test_the_activation_way_is_the_costs_slope_for_each_input():
    """With no hidden layer the activations before the outputs are the pixels: summed over the
    ten outputs, the third way is −∂c/∂x, checked against the cost itself."""
    net = Network((784, 10), activation="tanh", output="softmax", cost="cross_entropy", seed=5,
                  dtype=np.float64)
    image = stroke_image().astype(np.float64)
    x, y = image.reshape(1, -1), np.array([4])
    delta_out = backprop_of(net, image, 4).deltas[-1][0]
    slope = sum(three_ways(net, x[0], delta_out, k).activations for k in range(10))
    h = 1e-6
    for pixel in (0, 14 * 28 + 14, 10 * 28 + 12, 300):
        step = np.zeros_like(x)
        step[0, pixel] = h
        numeric = (net.cost(x + step, y) - net.cost(x - step, y)) / (2 * h)
        assert -slope[pixel] == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_weights_wire_where_the_neuron_before_fires_and_activations_follow_the_weights():
    net = NETWORKS[0]
    image = stroke_image()
    ways = example_wishes(net, image, 3).ways
    assert ways.neuron == 3  # all ten: the target's ways
    before = net.activations(image.reshape(1, -1))[-2][0]
    np.testing.assert_allclose(ways.before, before, rtol=1e-6)
    # Sigmoid activations are positive: the weights' wishes rank as the brightness before them.
    np.testing.assert_array_equal(ways.weights_ranked, np.argsort(-before, kind="stable"))
    w = net.weights[-1][:, 3]
    np.testing.assert_allclose(ways.connections, w, rtol=1e-6)
    np.testing.assert_array_equal(ways.activations_ranked, np.argsort(-np.abs(w), kind="stable"))
    # The target wants up: every weight from a lit neuron should grow, the bias too.
    assert ways.bias > 0 and np.all(ways.weights > 0)
    # Activations: brighter where the weight is positive, dimmer where it is negative.
    np.testing.assert_array_equal(np.sign(ways.activations), np.sign(w))
    assert ways.biggest == max(abs(ways.bias), np.abs(ways.weights).max(),
                               np.abs(ways.activations).max())


@pytest.mark.parametrize("way", ["bias", "weights"])
def test_a_small_step_along_either_way_lowers_the_examples_cost(way):
    net = Network((784, 16, 10), output="softmax", cost="cross_entropy", seed=0, dtype=np.float64)
    image = stroke_image().astype(np.float64)
    x, y = image.reshape(1, -1), np.array([7])
    ways = example_wishes(net, image, 7, output=7).ways
    before = net.cost(x, y)
    if way == "bias":
        net.biases[-1][7] += 0.1 * ways.bias
    else:
        net.weights[-1][:, 7] += 0.1 * ways.weights
    assert net.cost(x, y) < before


def test_ranked_puts_the_largest_magnitude_first():
    np.testing.assert_array_equal(ranked(np.array([0.1, -3.0, 2.0, 0.0, -2.0])), [1, 2, 4, 0, 3])
