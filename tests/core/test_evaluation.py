"""Accuracy, cost and confusion matrix of a network whose answers are known in advance."""

import numpy as np
import pytest

from digitpad.core.evaluation import evaluate, per_digit_accuracy
from digitpad.core.mnist import as_inputs
from digitpad.core.network import Network


def test_a_network_that_always_answers_three():
    net = Network((784, 10), "sigmoid", "softmax", "cross_entropy")
    net.weights[0][:] = 0
    net.biases[0][:] = 0
    net.biases[0][3] = 5.0  # every input: the largest output is the 3
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (4500, 28, 28), dtype=np.uint8)  # more than one chunk
    labels = rng.integers(0, 10, 4500).astype(np.uint8)

    result = evaluate(net, images, labels)

    expected = np.zeros((10, 10), dtype=int)
    expected[:, 3] = np.bincount(labels, minlength=10)  # row = true digit, column = answer
    np.testing.assert_array_equal(result.confusion, expected)
    assert result.count == 4500
    assert result.accuracy == np.mean(labels == 3)
    assert np.isclose(result.cost, net.cost(as_inputs(images), labels), rtol=1e-5)


def test_a_perfect_answer_fills_the_diagonal():
    net = Network((784, 10), "sigmoid", "softmax", "cross_entropy")
    net.weights[0][:] = 0
    net.biases[0][:] = 0
    # Pixel d lit means digit d: the weight from pixel d to output d does the rest.
    for d in range(10):
        net.weights[0][d, d] = 10.0
    labels = np.arange(10).repeat(3).astype(np.uint8)
    images = np.zeros((30, 28, 28), np.uint8)
    images.reshape(30, -1)[np.arange(30), labels] = 255
    result = evaluate(net, images, labels)
    np.testing.assert_array_equal(result.confusion, 3 * np.eye(10, dtype=int))
    assert result.accuracy == 1.0


def test_per_digit_accuracy_is_each_rows_share_on_the_diagonal():
    net = Network((784, 10), "sigmoid", "softmax", "cross_entropy")
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (500, 28, 28), dtype=np.uint8)
    labels = (np.arange(500) % 9).astype(np.uint8)  # no 9s at all
    result = evaluate(net, images, labels)
    accuracy = per_digit_accuracy(result.confusion)
    answers = net.predict(as_inputs(images))
    for d in range(9):
        assert accuracy[d] == np.mean(answers[labels == d] == d)
    assert np.isnan(accuracy[9])  # a digit with no examples has no accuracy
    # Weighted by how many there are of each, the rows give back the overall accuracy.
    counts = np.bincount(labels, minlength=10)
    assert np.nansum(accuracy * counts) / counts.sum() == pytest.approx(result.accuracy)
