"""The plots' data: a moving average and a series that stays small however long training runs."""

import numpy as np
import pytest

from digitpad.ui.plot_data import DecimatedSeries, MovingAverage


def test_moving_average_follows_the_recurrence_across_calls():
    average = MovingAverage(alpha=0.5)
    first = average.update([4.0, 0.0])
    second = average.update([2.0])
    np.testing.assert_allclose(first, [4.0, 2.0])  # 2 = 4 + 0.5·(0 − 4)
    np.testing.assert_allclose(second, [2.0])


def test_moving_average_of_rows_averages_each_column():
    average = MovingAverage(alpha=0.25)
    rows = average.update(np.array([[1.0, 8.0], [5.0, 0.0]]))
    np.testing.assert_allclose(rows, [[1.0, 8.0], [2.0, 6.0]])


def test_a_short_series_keeps_every_step():
    series = DecimatedSeries(capacity=8)
    series.extend([3.0, 1.0])
    series.extend([2.0])
    np.testing.assert_array_equal(series.x, [1, 2, 3])
    np.testing.assert_array_equal(series.y, [3, 1, 2])


def test_a_long_series_never_holds_more_than_its_capacity():
    series = DecimatedSeries(capacity=16)
    for start in range(0, 10_000, 37):  # uneven pieces, as frames deliver them
        series.extend(np.arange(start, min(start + 37, 10_000), dtype=float))
        assert len(series.x) <= 16
    assert len(series.x) >= 8  # halving leaves at least half the capacity in use
    span = series.steps_per_point
    assert span == 1024  # 10,000 steps in at most 16 points: 625 per point, rounded up to 2^k
    # Averaged: each point is the mean of its steps, placed at their middle. Here value = step − 1.
    np.testing.assert_allclose(series.y, series.x - 1)
    np.testing.assert_allclose(np.diff(series.x), span)


def test_averaged_points_are_exact_means_of_their_steps():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(100, 3))
    series = DecimatedSeries(capacity=4, columns=3)
    series.extend(values)
    span = series.steps_per_point  # 100 steps, 4 points at most: 32 steps per point
    assert span == 32
    expected = values[: len(series.y) * span].reshape(-1, span, 3).mean(axis=1)
    np.testing.assert_allclose(series.y, expected)


def test_sampled_points_keep_the_noise():
    noisy = np.random.default_rng(1).uniform(0.0, 2.0, size=5000)  # batch costs around 1
    sampled, averaged = DecimatedSeries(capacity=64, average=False), DecimatedSeries(capacity=64)
    sampled.extend(noisy)
    averaged.extend(noisy)
    # Each sampled point is a real step: its own value, at its own step number.
    steps = sampled.x.astype(int)
    np.testing.assert_array_equal(sampled.y, noisy[steps - 1])
    assert sampled.y.std() > 0.4  # the spread of the batches (uniform on [0, 2]: 0.58)
    assert averaged.y.std() < 0.1  # a mean of 128 steps hides it


def test_an_odd_capacity_is_refused():
    with pytest.raises(ValueError, match="even"):
        DecimatedSeries(capacity=5)


def test_a_value_of_weight_w_pulls_like_w_values_of_weight_1():
    once, twice = MovingAverage(alpha=0.1), MovingAverage(alpha=0.1)
    weighed = once.update([4.0, 0.0], weights=[1.0, 2.0])
    repeated = twice.update([4.0, 0.0, 0.0])
    np.testing.assert_allclose(weighed[-1], repeated[-1])
    np.testing.assert_allclose(once.update([1.0], weights=[1.0]), twice.update([1.0]))


def test_halving_a_finished_series_keeps_means_of_neighbours():
    series = DecimatedSeries(capacity=16)
    series.extend(np.arange(1.0, 12.0))  # 11 points, one step each
    series.halve_until(4)
    assert series.steps_per_point == 4 and len(series.x) == 2  # 11 → 5 (one left over) → 2
    np.testing.assert_allclose(series.y, [2.5, 6.5])  # the means of steps 1-4 and 5-8
    np.testing.assert_allclose(series.x, [2.5, 6.5])
