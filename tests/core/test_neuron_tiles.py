"""Layer 1's incoming weights as one image per neuron."""

import numpy as np
import pytest

from digitpad.core import Network
from digitpad.core.neuron_tiles import MAX_TILES, neuron_tiles


def test_one_tile_per_neuron_holding_its_incoming_weights_on_its_own_scale():
    net = Network((784, 16, 16, 10), seed=1)
    W = net.weights[0]
    tiles = neuron_tiles(W)
    assert len(tiles) == 16 and tiles.neurons == 16
    assert tiles.images.shape == (16, 28, 28)
    for j in range(16):
        w = W[:, j]
        # Neuron j's 784 weights, in pixel order (row after row), divided by their largest |w|.
        np.testing.assert_allclose(tiles.images[j] * np.abs(w).max(), w.reshape(28, 28),
                                   rtol=1e-5, atol=1e-7)
        assert np.abs(tiles.images[j]).max() == pytest.approx(1.0)
        assert tiles.low[j] == w.min() and tiles.high[j] == w.max()


def test_a_wide_layer_gives_its_first_neurons_only():
    W = Network((784, 512, 10), seed=3).weights[0]
    tiles = neuron_tiles(W)
    assert MAX_TILES == 64 and len(tiles) == 64 and tiles.neurons == 512
    np.testing.assert_allclose(tiles.images[63] * np.abs(W[:, 63]).max(),
                               W[:, 63].reshape(28, 28), rtol=1e-5, atol=1e-7)
    assert len(neuron_tiles(W, limit=5)) == 5


def test_a_neuron_without_weights_stays_zero_and_the_weights_are_not_changed():
    W = np.zeros((16, 3), np.float32)
    W[5, 1] = -2.0
    before = W.copy()
    tiles = neuron_tiles(W)
    assert tiles.images.shape == (3, 4, 4)
    assert not tiles.images[0].any() and not np.isnan(tiles.images).any()
    assert tiles.images[1][1, 1] == -1.0
    np.testing.assert_array_equal(W, before)


def test_inputs_that_are_not_a_square_image_are_refused():
    with pytest.raises(ValueError, match="30 inputs"):
        neuron_tiles(np.ones((30, 8)))
