"""The learning-rate range test: it trains a copy, and its proposal trains the network."""

from dataclasses import replace

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from digitpad.core.errors import SettingsError
from digitpad.core.evaluation import evaluate
from digitpad.core.lr_finder import MAX_LR, MIN_LR, STEPS, lr_range_test, nice_number, rates
from digitpad.core.mnist import Mnist, load_mnist
from digitpad.core.presets import PRESETS
from digitpad.core.training_run import train_epochs
from tests.conftest import make_small_mnist

RECIPE = replace(PRESETS["accurate"], hidden=(32,), batch=20, epochs=2, augment=False, l2=0.0,
                 momentum=0.0, schedule="constant")


@pytest.fixture(scope="module")
def small():
    return make_small_mnist(train=2000)


@pytest.fixture(scope="module")
def digits():
    """The first 5,000 training and 1,000 test digits of the real MNIST."""
    full = load_mnist()
    return Mnist(full.train_images[:5000], full.train_labels[:5000], full.test_images[:1000],
                 full.test_labels[:1000])


def test_the_network_being_trained_is_left_bit_for_bit_as_it_was(small):
    network = RECIPE.new_network()
    list(train_epochs(network, small, replace(RECIPE, epochs=1, momentum=0.9)))  # has momentum
    before = [w.copy() for w in network.weights + network.biases]
    velocity = [v.copy() for v in network.velocity]
    lr_range_test(network, small.train_images, small.train_labels, batch=20, momentum=0.9)
    for a, b in zip(before, network.weights + network.biases):
        assert a.tobytes() == b.tobytes()
    for a, b in zip(velocity, network.velocity):
        assert a.tobytes() == b.tobytes()


def test_rates_grow_by_the_same_factor_every_step():
    tried = rates()
    assert len(tried) == STEPS
    assert tried[0] == pytest.approx(MIN_LR) and tried[-1] == pytest.approx(MAX_LR)
    np.testing.assert_allclose(tried[1:] / tried[:-1], tried[1] / tried[0])


def test_the_test_stops_when_the_cost_blows_up_and_proposes_a_rate_that_trains(digits):
    network = RECIPE.new_network()
    with threadpool_limits(limits=1, user_api="blas"):
        test = lr_range_test(network, digits.train_images, digits.train_labels, batch=20)
        assert len(test.rates) < STEPS  # ReLU with softmax cannot take rates near 100
        assert test.smoothed[-1] > 4 * test.smoothed.min()
        assert len(test.costs) == len(test.smoothed) == len(test.rates)
        lowest = test.rates[np.argmin(test.smoothed)]
        assert test.proposed == nice_number(lowest / 10)
        list(train_epochs(network, digits, replace(RECIPE, lr=test.proposed)))
    assert evaluate(network, digits.test_images, digits.test_labels).accuracy > 0.85


def test_too_few_steps_are_refused(small):
    with pytest.raises(SettingsError, match="at least 5 steps"):
        lr_range_test(RECIPE.new_network(), small.train_images, small.train_labels, 20, steps=3)


@pytest.mark.parametrize("x, nice", [(0.0756, 0.08), (0.3, 0.3), (0.034, 0.03), (3.3, 3.0),
                                     (1.0, 1.0), (0.0141, 0.01), (96.0, 100.0)])
def test_proposals_are_rates_people_can_type(x, nice):
    assert nice_number(x) == nice
