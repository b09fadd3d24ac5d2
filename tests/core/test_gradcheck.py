"""Backprop against the numerical gradient, for every combination the network supports."""

import numpy as np
import pytest

from digitpad.core import Network
from digitpad.core.gradcheck import gradient_check

ACTIVATIONS = ["sigmoid", "relu", "tanh"]
OUTPUTS = ["softmax", "sigmoid"]
COSTS = ["cross_entropy", "quadratic"]
# Worst relative error per parameter, float64 central differences with ε = 1e-4. The error of a
# parameter whose gradient is tiny (~1e-5) is dominated by the finite difference itself (~1e-6
# relative at ε = 1e-6, ~1e-7 at ε = 1e-4); a real mistake in backprop shows up as 1e-3 or more
# (see the last tests).
THRESHOLD = 1e-5
EPS = 1e-4


def data(n, d, k, seed=1):
    rng = np.random.default_rng(seed)
    return rng.random((n, d)), rng.integers(0, k, n)


def network(sizes, *settings, seed=3):
    """A float64 network with random biases.

    With the initial zero biases, an example whose previous ReLU layer is entirely inactive
    has z = b = 0 exactly, on ReLU's kink, where no derivative exists to compare with.
    """
    net = Network(sizes, *settings, seed=seed, dtype=np.float64)
    rng = np.random.default_rng(seed + 100)
    for b in net.biases:
        b[:] = rng.normal(0.0, 0.5, b.shape)
    return net


def assert_backprop_matches(net, X, y, l2):
    results = gradient_check(net, X, y, l2=l2, eps=EPS)
    assert [r.layer for r in results] == list(range(1, len(net.sizes)))
    for r, W in zip(results, net.weights):
        assert r.shape == W.shape
        assert r.checked == W.size + W.shape[1]  # every weight and bias
        assert r.worst_relative_error < THRESHOLD, f"layer {r.layer}: {r.worst_relative_error}"


@pytest.mark.parametrize("l2", [0.0, 0.7], ids=["no-l2", "l2"])
@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_backprop_equals_numerical_gradient(activation, output, cost, l2):
    net = network((6, 5, 4, 3), activation, output, cost)
    X, y = data(10, 6, 3)
    assert_backprop_matches(net, X, y, l2)


@pytest.mark.parametrize("l2", [0.0, 0.7], ids=["no-l2", "l2"])
@pytest.mark.parametrize("output,cost", [(o, c) for o in OUTPUTS for c in COSTS])
def test_backprop_without_hidden_layers(output, cost, l2):
    net = network((6, 4), "sigmoid", output, cost)
    X, y = data(10, 6, 4)
    assert_backprop_matches(net, X, y, l2)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_backprop_with_four_hidden_layers(activation):
    net = network((5, 6, 5, 4, 6, 3), activation, "softmax", "cross_entropy", seed=2)
    X, y = data(9, 5, 3)
    assert_backprop_matches(net, X, y, l2=0.3)
    net = network((5, 6, 5, 4, 6, 3), activation, "sigmoid", "quadratic", seed=2)
    assert_backprop_matches(net, X, y, l2=0.0)


def test_gradient_check_of_a_float32_network_runs_in_float64_and_leaves_it_alone():
    net = Network((6, 5, 3), "tanh", "softmax", "cross_entropy", seed=4)
    before = [W.copy() for W in net.weights] + [b.copy() for b in net.biases]
    X, y = data(8, 6, 3)
    results = gradient_check(net, X, y, l2=0.1, eps=EPS)
    assert max(r.worst_relative_error for r in results) < THRESHOLD
    assert net.dtype == np.float32
    for p, p0 in zip(net.weights + net.biases, before):
        assert p.dtype == np.float32
        np.testing.assert_array_equal(p, p0)


def test_gradient_check_samples_parameters_of_big_layers():
    net = network((30, 20, 3), seed=0)
    X, y = data(5, 30, 3)
    results = gradient_check(net, X, y, eps=EPS, max_params_per_layer=100)
    assert [r.checked for r in results] == [100, 20 * 3 + 3]
    assert all(r.worst_relative_error < THRESHOLD for r in results)


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    """The check itself can fail: backprop with a forgotten L2 term is caught."""
    net = Network((6, 5, 3), seed=0, dtype=np.float64)
    X, y = data(8, 6, 3)
    real_backprop = Network.backprop
    monkeypatch.setattr(Network, "backprop", lambda self, X, y, l2=0.0: real_backprop(self, X, y))
    results = gradient_check(net, X, y, l2=1.0)
    assert all(r.worst_relative_error > 1e-3 for r in results)


def test_gradient_check_catches_a_wrong_bias_gradient(monkeypatch):
    net = Network((6, 5, 3), seed=0, dtype=np.float64)
    X, y = data(8, 6, 3)
    real_backprop = Network.backprop

    def off_by_a_bit(self, X, y, l2=0.0):
        grads = real_backprop(self, X, y, l2)
        grads.biases[0][2] *= 1.01
        return grads

    monkeypatch.setattr(Network, "backprop", off_by_a_bit)
    results = gradient_check(net, X, y)
    assert results[0].worst_relative_error > 1e-3
    assert results[1].worst_relative_error < THRESHOLD
