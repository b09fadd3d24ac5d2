"""ShuffledBatches: every example once per epoch, a new order every epoch."""

import numpy as np
import pytest

from digitpad.core import SettingsError
from digitpad.core.batches import ShuffledBatches


def one_epoch(batches, batch_size):
    start = batches.epoch
    out = []
    while batches.epoch == start:
        out.append(batches.next(batch_size))
    return out


@pytest.mark.parametrize("n,batch_size", [(10, 3), (10, 5), (10, 10), (10, 25), (1, 1), (7, 1)])
def test_each_epoch_covers_every_index_exactly_once(n, batch_size):
    batches = ShuffledBatches(n, seed=0)
    for epoch in range(3):
        got = one_epoch(batches, batch_size)
        assert batches.epoch == epoch + 1
        everything = np.concatenate(got)
        assert sorted(everything.tolist()) == list(range(n))
        assert all(b.dtype.kind in "iu" for b in got)


def test_last_batch_of_an_epoch_is_smaller():
    batches = ShuffledBatches(10, seed=0)
    sizes = [len(b) for b in one_epoch(batches, 4)]
    assert sizes == [4, 4, 2]


def test_epoch_counts_completed_epochs():
    batches = ShuffledBatches(10, seed=0)
    assert batches.epoch == 0
    batches.next(4)
    batches.next(4)
    assert batches.epoch == 0
    batches.next(4)  # the last two: the epoch is complete
    assert batches.epoch == 1
    assert len(batches.next(4)) == 4  # a fresh epoch starts with a full batch
    assert batches.epoch == 1


def test_order_differs_between_epochs():
    batches = ShuffledBatches(100, seed=0)
    first = np.concatenate(one_epoch(batches, 32))
    second = np.concatenate(one_epoch(batches, 32))
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, np.arange(100))  # shuffled, not in order


def test_deterministic_for_a_seed():
    a, b, c = ShuffledBatches(50, seed=3), ShuffledBatches(50, seed=3), ShuffledBatches(50, 4)
    seq_a = [a.next(7) for _ in range(20)]
    seq_b = [b.next(7) for _ in range(20)]
    seq_c = [c.next(7) for _ in range(20)]
    for x, y in zip(seq_a, seq_b):
        np.testing.assert_array_equal(x, y)
    assert any(not np.array_equal(x, z) for x, z in zip(seq_a, seq_c))


def test_batch_size_may_change_between_calls():
    batches = ShuffledBatches(10, seed=0)
    got = [batches.next(3), batches.next(5), batches.next(100)]
    assert [len(b) for b in got] == [3, 5, 2]
    assert sorted(np.concatenate(got).tolist()) == list(range(10))
    assert batches.epoch == 1


@pytest.mark.parametrize("batch_size", [0, -1])
def test_batch_size_below_one_raises_settings_error(batch_size):
    batches = ShuffledBatches(10, seed=0)
    with pytest.raises(SettingsError) as info:
        batches.next(batch_size)
    assert str(batch_size) in str(info.value)
    # Nothing was consumed.
    assert len(batches.next(10)) == 10
    assert batches.epoch == 1


def test_no_examples_raises_settings_error():
    with pytest.raises(SettingsError):
        ShuffledBatches(0)
