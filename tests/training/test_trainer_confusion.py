"""The trainer's per-epoch test results carry the test set's confusion matrix."""

import numpy as np

from digitpad.core import Network, Settings, evaluation
from digitpad.core.evaluation import evaluate
from digitpad.training.trainer import Trainer
from tests.deadlines import DEADLINE_S, wait_until

SETTINGS = Settings(hidden=(16,), lr=0.5, batch=50)


def _train_one_epoch(trainer: Trainer) -> None:
    trainer.start()
    wait_until(lambda: len(trainer.snapshot().epochs) > 0)
    trainer.pause()
    assert trainer.wait_idle(DEADLINE_S)


def test_each_epoch_reports_the_confusion_of_the_whole_test_set(small_mnist, monkeypatch):
    # Chunks of 30 over 100 test digits: four parts (the last one short) to add up.
    monkeypatch.setattr(evaluation, "CHUNK", 30)
    t = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    try:
        _train_one_epoch(t)
        result = t.snapshot().epochs[-1]
    finally:
        t.close()
    confusion = result.confusion
    n = len(small_mnist.test_labels)
    assert confusion.shape == (10, 10) and confusion.dtype.kind == "i"
    assert confusion.sum() == n
    assert np.trace(confusion) / n == result.test_accuracy
    # Rows are the true digits: each row adds up to how many test digits have that label.
    np.testing.assert_array_equal(confusion.sum(axis=1),
                                  np.bincount(small_mnist.test_labels, minlength=10))


def test_the_confusion_matches_an_evaluation_of_the_same_weights(small_mnist):
    """Stepping exactly one epoch, the network holds still afterwards: evaluating it directly
    must give the very matrix the trainer reported."""
    t = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    try:
        for _ in range(600 // 50):
            t.step()
            assert t.wait_idle(DEADLINE_S)
        result = t.snapshot().epochs[-1]
        expected = evaluate(t.network, small_mnist.test_images, small_mnist.test_labels)
    finally:
        t.close()
    assert result.epoch == 1
    np.testing.assert_array_equal(result.confusion, expected.confusion)
    assert result.test_accuracy == expected.accuracy


def test_the_newest_epoch_keeps_each_test_digits_answer_and_older_ones_let_go(small_mnist):
    t = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    try:
        for epoch in (1, 2):
            for _ in range(600 // 50):
                t.step()
            assert t.wait_idle(DEADLINE_S)
            expected = evaluate(t.network, small_mnist.test_images, small_mnist.test_labels)
            epochs = t.snapshot().epochs
            assert len(epochs) == epoch
            np.testing.assert_array_equal(epochs[-1].answers.answer, expected.answers.answer)
            np.testing.assert_array_equal(epochs[-1].answers.p_true, expected.answers.p_true)
    finally:
        t.close()
    assert epochs[0].answers is None  # memory stays bounded however many epochs
    assert epochs[0].confusion is not None  # the counts stay
