"""The network picture: forward's activations, the most active neurons, the strongest links."""

import numpy as np
import pytest

from digitpad.core import Network
from digitpad.core.activations import ACTIVATIONS
from digitpad.core.network_picture import network_picture
from tests.images import stroke_image


def by_hand(net: Network, x: np.ndarray) -> list[np.ndarray]:
    """a⁰ … aᴸ, with aˡ = σ(aˡ⁻¹Wˡ + bˡ) written out; the output from forward()."""
    a, layers = x.reshape(1, -1).astype(np.float32), []
    layers.append(a[0])
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        a = ACTIVATIONS[net.activation].f(a @ W + b)
        layers.append(a[0])
    layers.append(net.forward(x.reshape(1, -1))[0])
    return layers


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_the_activations_are_the_forward_pass(activation):
    net = Network((784, 16, 12, 10), activation=activation, seed=3)
    image = stroke_image()
    picture = network_picture(net, image)
    for got, want in zip(picture.activations, by_hand(net, image), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert [len(s) for s in picture.shown] == [784, 16, 12, 10]  # small layers show everything
    assert picture.hidden_count(1) == 0


def test_a_wide_layer_shows_its_most_active_neurons():
    net = Network((784, 512, 512, 10), seed=1)
    picture = network_picture(net, stroke_image(), max_neurons=16)
    for layer in (1, 2):
        a, shown = picture.activations[layer], picture.shown[layer]
        assert len(shown) == 16 and picture.hidden_count(layer) == 512 - 16
        assert np.all(np.diff(shown) > 0)
        assert a[shown].min() >= np.delete(a, shown).max()  # none hidden is more active
    assert len(picture.shown[3]) == 10  # the outputs are always all there


def test_the_links_are_the_largest_terms_into_each_shown_neuron():
    net = Network((784, 512, 20, 10), seed=2)
    image = stroke_image()
    picture = network_picture(net, image, max_neurons=16, links_per_neuron=4)
    for layer in (1, 2, 3):
        links = picture.links[layer - 1]
        before, here = picture.shown[layer - 1], picture.shown[layer]
        a, W = picture.activations[layer - 1], net.weights[layer - 1].astype(np.float64)
        assert len(links.value) == 4 * len(here)
        np.testing.assert_allclose(links.value, a[links.source] * W[links.source, links.target],
                                   rtol=1e-12)
        for j in here:
            mine = links.target == j
            terms = np.abs(a[before] * W[before, j])
            assert mine.sum() == 4 and set(links.source[mine]) <= set(before)
            assert np.abs(links.value[mine]).min() >= np.sort(terms)[-4] - 1e-12
    # Pixels without ink add nothing: the input's links start where there is ink.
    assert np.all(image.ravel()[picture.links[0].source] > 0)
