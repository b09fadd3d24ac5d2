"""Accuracy, cost and confusion matrix of a network whose answers are known in advance."""

import numpy as np
import pytest

from digitpad.core.evaluation import Answers, behind_cell, evaluate, per_digit_accuracy
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


def _network_and_digits(seed: int = 3):
    """A random network (its answers spread over several digits) and random labelled images."""
    rng = np.random.default_rng(seed)
    net = Network((784, 12, 10), seed=seed)
    images = rng.integers(0, 256, (5000, 28, 28), dtype=np.uint8)  # more than two chunks
    labels = rng.integers(0, 10, 5000).astype(np.uint8)
    return net, images, labels


def test_the_answers_are_the_networks_outputs_for_every_digit():
    net, images, labels = _network_and_digits()
    answers = evaluate(net, images, labels).answers
    outputs = net.forward(as_inputs(images))
    rows = np.arange(len(labels))
    np.testing.assert_array_equal(answers.answer, outputs.argmax(axis=1))
    np.testing.assert_allclose(answers.p_answer, outputs.max(axis=1), rtol=1e-6)
    np.testing.assert_allclose(answers.p_true, outputs[rows, labels], rtol=1e-6)


def test_behind_a_cell_are_exactly_its_digits_the_surest_answer_first():
    net, images, labels = _network_and_digits()
    result = evaluate(net, images, labels)
    outputs = net.forward(as_inputs(images))
    predicted = outputs.argmax(axis=1)
    filled = [(t, a) for t in range(10) for a in range(10) if result.confusion[t, a] > 1]
    assert any(t != a for t, a in filled)  # mistakes to list, not just the diagonal
    for true, answer in filled:
        inside = behind_cell(labels, result.answers, true, answer)
        # One by one, without NumPy's help: the digits labelled `true` answered `answer`.
        expected = [i for i in range(len(labels)) if labels[i] == true and predicted[i] == answer]
        expected.sort(key=lambda i: -outputs[i, answer])
        assert len(inside) == result.confusion[true, answer]
        assert sorted(inside.tolist()) == sorted(expected)
        confidence = outputs[inside, answer]
        assert np.all(np.diff(confidence) <= 1e-6), "the surest answer first"


def test_equally_sure_answers_keep_the_order_of_the_test_set():
    answers = Answers(np.array([9, 9, 4, 9, 9], np.uint8),
                      np.array([0.5, 0.9, 0.8, 0.5, 0.9], np.float32),
                      np.zeros(5, np.float32))
    labels = np.array([4, 4, 4, 4, 7], np.uint8)
    np.testing.assert_array_equal(behind_cell(labels, answers, 4, 9), [1, 0, 3])
    assert behind_cell(labels, answers, 4, 4).tolist() == [2]
    assert behind_cell(labels, answers, 3, 9).tolist() == []


def test_labels_and_answers_of_different_sets_are_refused():
    answers = Answers(np.zeros(5, np.uint8), np.zeros(5, np.float32), np.zeros(5, np.float32))
    with pytest.raises(ValueError, match="4 labels for 5 answers"):
        behind_cell(np.zeros(4, np.uint8), answers, 0, 0)
