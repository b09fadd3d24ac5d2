"""How well a network does on labelled digits: accuracy, cost and the confusion matrix, and
which digits stand behind each of the matrix's counts."""

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from digitpad.core.mnist import as_inputs
from digitpad.core.network import Network

CHUNK = 2000
"""Examples evaluated at once: a wide network's activations for all 10,000 would be large."""


class Answers(NamedTuple):
    """What the network answered for each example, and how sure it was: the digits behind the
    confusion matrix's counts. For a softmax output the activations are probabilities."""

    answer: np.ndarray  # (n,) uint8: the output with the largest activation
    p_answer: np.ndarray  # (n,) float32: that output's activation
    p_true: np.ndarray  # (n,) float32: the activation of the true label's output


class Evaluation(NamedTuple):
    accuracy: float  # fraction of examples classified correctly
    cost: float  # mean cost per example, as the network's cost() defines it (no L2 term)
    confusion: np.ndarray  # (k, k) counts: row = true label, column = predicted label
    answers: Answers | None = None  # per example, for the examples counted so far

    @property
    def count(self) -> int:
        return int(self.confusion.sum())


def evaluate(network: Network, images: np.ndarray, labels: np.ndarray) -> Evaluation:
    """Evaluate on (n, 28, 28) uint8 images with their (n,) labels."""
    *_, whole = evaluations(network, images, labels)
    return whole


def evaluations(network: Network, images: np.ndarray, labels: np.ndarray) -> Iterator[Evaluation]:
    """The evaluation of the first CHUNK examples, then of the first 2·CHUNK, ..., the last one
    of them all. A caller may stop between chunks: a wide network takes a while over 10,000
    digits, and a person waiting for a reset should not."""
    k = network.sizes[-1]
    confusion = np.zeros((k, k), dtype=np.int64)
    answers = Answers(np.zeros(len(images), np.uint8), np.zeros(len(images), np.float32),
                      np.zeros(len(images), np.float32))
    total_cost, n = 0.0, 0
    for start in range(0, len(images), CHUNK):
        X = as_inputs(images[start : start + CHUNK], network.dtype)
        y = np.asarray(labels[start : start + CHUNK], dtype=np.int64)
        total_cost += network.cost(X, y) * len(y)
        outputs = network.forward(X)
        answer = outputs.argmax(axis=1)  # what predict() answers
        rows = np.arange(len(y))
        answers.answer[start : start + len(y)] = answer
        answers.p_answer[start : start + len(y)] = outputs[rows, answer]
        answers.p_true[start : start + len(y)] = outputs[rows, y]
        # Count each (true, predicted) pair: np.add.at adds 1 once per example, even repeats.
        np.add.at(confusion, (y, answer), 1)
        n += len(y)
        so_far = Answers(*(a[:n] for a in answers))
        yield Evaluation(float(np.trace(confusion)) / n, total_cost / n, confusion.copy(), so_far)
    if n == 0:
        yield Evaluation(0.0, 0.0, confusion, answers)


def per_digit_accuracy(confusion: np.ndarray) -> np.ndarray:
    """For each true label (row), the fraction of its examples answered right: the diagonal
    over the row's sum. NaN for a label with no examples."""
    confusion = np.asarray(confusion)
    per_row = confusion.sum(axis=1)
    right = np.diag(confusion).astype(np.float64)
    return np.divide(right, per_row, out=np.full(len(per_row), np.nan), where=per_row > 0)


def behind_cell(labels: np.ndarray, answers: Answers, true: int, answer: int) -> np.ndarray:
    """The examples counted in the confusion matrix's cell (true, answer): the indices of those
    labelled `true` that the network answered `answer`, the most confident answer first (ties
    in order of index). Off the diagonal, the most confidently wrong first."""
    labels = np.asarray(labels)
    if len(labels) != len(answers.answer):
        raise ValueError(f"{len(labels)} labels for {len(answers.answer)} answers")
    (inside,) = np.nonzero((labels == true) & (answers.answer == answer))
    # A stable sort on minus the confidence: the surest first, equals in their original order.
    return inside[np.argsort(-answers.p_answer[inside], kind="stable")]
