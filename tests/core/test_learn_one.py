"""Learning one example: its cost goes down, and forgetting restores every array exactly."""

import warnings

import numpy as np
import pytest

from digitpad.core import Network
from digitpad.core.errors import DivergedError
from digitpad.core.learn_one import forget, learn_one, quick_accuracy


def an_example(seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def arrays(net: Network) -> list[np.ndarray]:
    return [a.copy() for a in net.weights + net.biases + (net.velocity or [])]


def same(first: list[np.ndarray], second: list[np.ndarray]) -> bool:
    return len(first) == len(second) and all(
        a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(first, second))


def test_the_example_cost_goes_down_and_after_is_the_new_forward():
    net = Network([784, 30, 10], seed=1)
    x = an_example()
    lesson = learn_one(net, x, 4, lr=0.5)
    assert lesson.cost_after < lesson.cost_before
    assert lesson.after[4] > lesson.before[4]
    np.testing.assert_array_equal(lesson.after, net.forward(x.reshape(1, -1))[0])
    assert lesson.cost_after == pytest.approx(net.cost(x.reshape(1, -1), np.array([4])))


def test_ten_steps_lower_it_further_than_one():
    one = learn_one(Network([784, 30, 10], seed=1), an_example(), 7, lr=0.1)
    ten = learn_one(Network([784, 30, 10], seed=1), an_example(), 7, lr=0.1, steps=10)
    assert ten.cost_after < one.cost_after < one.cost_before == ten.cost_before


def test_forget_restores_every_array_bit_for_bit_momentum_included():
    net = Network([784, 16, 16, 10], seed=2)
    rng = np.random.default_rng(0)
    net.train_step(rng.random((8, 784)), rng.integers(0, 10, 8), 0.5, momentum=0.9)
    before = arrays(net)
    lesson = learn_one(net, an_example(), 2, lr=3.0, steps=10)
    assert not same(arrays(net), before)
    assert same(arrays(net)[-6:], before[-6:])  # the momentum is the trainer's: kept
    forget(net, lesson.kept)
    assert same(arrays(net), before)
    forget(net, lesson.kept)  # the kept copy is not consumed
    assert same(arrays(net), before)


def test_a_diverging_step_is_refused_and_changes_nothing():
    net = Network([784, 16, 10], seed=0)
    before = arrays(net)
    with pytest.raises(DivergedError, match="try a smaller learning rate"):
        learn_one(net, an_example(), 1, lr=1e38, steps=10)
    assert same(arrays(net), before)


def test_weights_that_already_overflow_are_refused_without_a_warning():
    # As the weights kept when training diverged can be: this digit overflows them already.
    net = Network([784, 16, 10], activation="relu", seed=0)
    net.weights = [W * np.float32(1e20) for W in net.weights]
    before = arrays(net)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DivergedError, match="its numbers overflowed"):
            learn_one(net, an_example(), 1, lr=0.1)
    assert same(arrays(net), before)


def test_quick_accuracy_scores_the_first_thousand(small_mnist):
    net = Network([784, 10], seed=0)
    predicted = net.predict(small_mnist.test_images[:1000].reshape(-1, 784) / 255.0)
    expected = float(np.mean(predicted == small_mnist.test_labels[:1000]))
    assert quick_accuracy(net, small_mnist.test_images, small_mnist.test_labels) == \
        pytest.approx(expected)
