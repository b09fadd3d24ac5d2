"""Training on my digits: the epoch's examples, the loop's choice of data, the held-out score."""

from dataclasses import replace
from itertools import islice

import numpy as np
import pytest

from digitpad.core.errors import DataError
from digitpad.core.evaluation import evaluate
from digitpad.core.settings import Settings
from digitpad.core.sgd import SGD, Epoch, Step
from digitpad.core.training_run import train_epochs
from digitpad.core.training_set import MIN_DRAWINGS_TO_TRAIN, TrainingSet
from tests.my_hand import column_digits

SETTINGS = Settings(hidden=(16,), lr=0.5, batch=50)  # small_mnist: 600 training digits
NONE = column_digits(0)  # no drawings (held out)


def test_an_epoch_is_mnist_then_my_drawings_each_k_times(small_mnist):
    mine = column_digits(20)
    both = TrainingSet(small_mnist, mine, repeats=3)
    assert (both.mnist_count, both.mine_count, both.n) == (600, 20, 660)
    images, labels = both.batch(np.array([0, 599, 600, 619, 620, 659]))
    expected = [small_mnist.train_labels[0], small_mnist.train_labels[599]] + [0, 9, 0, 9]
    assert labels.tolist() == expected
    np.testing.assert_array_equal(images[2], mine.images[0])
    np.testing.assert_array_equal(images[4], mine.images[0])  # the second time round
    np.testing.assert_array_equal(images[5], mine.images[19])
    assert TrainingSet(None, mine, repeats=2).n == 40


def test_the_settings_choose_the_training_set(small_mnist):
    mine = column_digits(20)
    sizes = {choice: TrainingSet.of(small_mnist, mine, replace(
        SETTINGS, train_on=choice, mine_repeats=4)).n for choice in ("mnist", "mine", "both")}
    assert sizes == {"mnist": 600, "mine": 80, "both": 680}


@pytest.mark.parametrize("count, words", [
    (0, "my digits have no drawings to train on yet"),
    (1, "my digits have 1 drawing to train on"),
    (MIN_DRAWINGS_TO_TRAIN - 1, f"training on them needs at least {MIN_DRAWINGS_TO_TRAIN}"),
])
def test_too_few_drawings_are_refused_in_words(small_mnist, count, words):
    for choice in ("mine", "both"):
        with pytest.raises(DataError, match=words):
            TrainingSet.of(small_mnist, column_digits(count), replace(SETTINGS, train_on=choice))
    assert TrainingSet.of(small_mnist, column_digits(0), SETTINGS).n == 600  # MNIST alone: fine


def test_the_loop_trains_on_both_and_scores_the_held_out_part(small_mnist):
    mine = (column_digits(20), column_digits(7, seed=2))
    settings = replace(SETTINGS, train_on="both", mine_repeats=5)
    network = settings.new_network()
    events = list(islice(SGD(network, small_mnist, settings, mine=mine), 15))
    steps = [e for e in events if isinstance(e, Step)]
    epoch = next(e for e in events if isinstance(e, Epoch))
    assert steps[0].total == 700 and len(steps) == 14  # 600 + 5 × 20, in batches of 50
    held_out = evaluate(network, mine[1].images, mine[1].labels)
    assert epoch.mine.count == 7
    np.testing.assert_array_equal(epoch.mine.confusion, held_out.confusion)


def test_without_held_out_drawings_there_is_no_score_of_my_hand(small_mnist):
    for mine in (None, (column_digits(20), column_digits(0))):
        events = islice(SGD(SETTINGS.new_network(), small_mnist, SETTINGS, mine=mine), 13)
        epoch = [e for e in events if isinstance(e, Epoch)][0]
        assert epoch.mine is None and epoch.test.count == 100


def test_fine_tuning_on_my_hand_teaches_it_and_keeps_mnist(small_mnist):
    network = SETTINGS.new_network()
    report = list(train_epochs(network, small_mnist, replace(SETTINGS, epochs=3)))[-1]
    mine = (column_digits(100), column_digits(50, seed=3))
    before = evaluate(network, mine[1].images, mine[1].labels).accuracy
    tuned = replace(SETTINGS, epochs=3, train_on="both", mine_repeats=2)
    after = list(train_epochs(network, small_mnist, tuned, mine=mine))[-1]
    assert before < 0.5 < 0.95 <= after.mine_accuracy and after.mine_count == 50
    assert after.test_accuracy >= report.test_accuracy - 0.02


def test_a_new_choice_of_data_starts_the_epoch_over_at_the_next_step(small_mnist):
    mine = (column_digits(30), column_digits(0))
    sgd = SGD(SETTINGS.new_network(), small_mnist, SETTINGS, mine=mine)
    events = iter(sgd)
    first = [next(events) for _ in range(3)]
    assert [s.done for s in first] == [50, 100, 150] and first[0].total == 600
    sgd.settings = replace(SETTINGS, train_on="mine", mine_repeats=2)
    after = [next(events) for _ in range(2)]
    assert [(s.epoch, s.done, s.total) for s in after] == [(1, 50, 60), (1, 60, 60)]
    assert isinstance(next(events), Epoch)
    assert next(events).epoch == 2


def on_50_drawings(small_mnist, train_on: str) -> SGD:
    """A loop training on 50 of my drawings (once per epoch), and MNIST too for "both"."""
    settings = replace(SETTINGS, train_on=train_on, mine_repeats=1)
    return SGD(SETTINGS.new_network(), small_mnist, settings, mine=(column_digits(50), NONE))


def test_new_drawings_join_at_the_next_epoch(small_mnist):
    sgd = on_50_drawings(small_mnist, "both")
    events = iter(sgd)
    assert next(events).total == 650
    sgd.mine = (column_digits(100), column_digits(0))
    first_epoch = [next(events) for _ in range(12)]  # the rest of the epoch: 13 steps in all
    assert all(s.total == 650 for s in first_epoch) and first_epoch[-1].ends_epoch
    assert isinstance(next(events), Epoch)
    assert next(events).total == 700


def test_my_drawings_deleted_below_the_minimum_stop_the_loop_with_a_reason(small_mnist):
    sgd = on_50_drawings(small_mnist, "mine")
    events = iter(sgd)
    assert next(events).total == 50
    sgd.mine = (column_digits(3), NONE)
    with pytest.raises(DataError, match="3 drawings to train on"):
        list(islice(events, 5))
