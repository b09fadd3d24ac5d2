"""Gradient sizes per weight: layers of different sizes compare fairly."""

import numpy as np

from digitpad.core.gradient_size import per_weight, weight_counts
from digitpad.core.network import Network
from tests.conftest import make_small_mnist


def test_weight_counts():
    assert weight_counts((784, 16, 10)).tolist() == [784 * 16, 160]


def test_per_weight_is_the_root_mean_square_of_the_gradient():
    data = make_small_mnist(train=50)
    network = Network((784, 32, 10), "relu")
    X = data.train_images.reshape(50, -1) / 255
    grads = network.backprop(X, data.train_labels).weights
    norms = [float(np.linalg.norm(g)) for g in grads]
    rms = [float(np.sqrt(np.mean(g.astype(np.float64) ** 2))) for g in grads]
    np.testing.assert_allclose(per_weight(norms, network.sizes), rms, rtol=1e-5)


def test_a_bigger_layer_with_the_same_gradient_everywhere_has_the_same_size():
    # ‖g‖ of a 784×512 layer of gradients 0.01 is 6.3, of a 16×10 layer 0.13: per weight, 0.01.
    sizes = (784, 512, 16, 10)
    norms = [0.01 * np.sqrt(784 * 512), 0.01 * np.sqrt(512 * 16), 0.01 * np.sqrt(160)]
    np.testing.assert_allclose(per_weight([norms, norms], sizes), 0.01)
