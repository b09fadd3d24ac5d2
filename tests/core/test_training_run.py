"""The epoch loop of `digitpad train`, on a small in-memory data set."""

from dataclasses import replace

import numpy as np
import pytest

from digitpad.core.errors import DivergedError
from digitpad.core.mnist import Mnist
from digitpad.core.presets import PRESETS
from digitpad.core.training_run import learning_rate, train_epochs

RECIPE = replace(PRESETS["accurate"], hidden=(16,), epochs=3, batch=32, lr=0.05,
                 augment=False, synthetic=0.0)


def bars(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Digit d is a bright bar in row 2d+4 of a dark, noisy image: easy to learn."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    images[np.arange(n), 2 * labels.astype(int) + 4, 4:24] = 255
    return images, labels


@pytest.fixture(scope="module")
def data() -> Mnist:
    train, test = bars(500, seed=1), bars(200, seed=2)
    return Mnist(train[0], train[1], test[0], test[1])


def test_one_report_per_epoch_and_the_network_learns(data):
    net = RECIPE.new_network(seed=0)
    reports = list(train_epochs(net, data, RECIPE))
    assert [r.epoch for r in reports] == [1, 2, 3]
    assert reports[-1].cost < reports[0].cost
    assert reports[-1].test_accuracy > 0.9
    assert all(r.seconds >= 0 for r in reports)


def test_progress_reaches_every_example_of_every_epoch(data):
    seen = []
    net = RECIPE.new_network(seed=0)
    list(train_epochs(net, data, RECIPE, on_batch=seen.append))
    assert len(seen) == 3 * 16  # 500 examples in batches of 32: 15 full and one of 20
    ends = [p for p in seen if p.examples == p.total]
    assert [p.epoch for p in ends] == [1, 2, 3] and ends[0].total == 500
    assert all(p.examples_per_second > 0 for p in seen)


def test_same_seed_same_weights_and_augmentation_changes_them(data):
    recipe = replace(RECIPE, epochs=1, augment=True)
    a, b, c = (recipe.new_network(seed=0) for _ in range(3))
    for net, r in [(a, recipe), (b, recipe), (c, replace(recipe, augment=False))]:
        list(train_epochs(net, data, r, seed=5))
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_cosine_schedule_glides_from_lr_towards_zero():
    recipe = replace(RECIPE, lr=0.4, epochs=4, schedule="cosine")
    rates = [learning_rate(recipe, e) for e in range(4)]
    assert rates[0] == 0.4 and np.isclose(rates[2], 0.2)
    assert rates == sorted(rates, reverse=True) and rates[-1] > 0
    assert learning_rate(replace(recipe, schedule="constant"), 3) == 0.4


def test_divergence_is_raised_and_the_weights_stay_finite(data):
    recipe = replace(RECIPE, lr=1e6)
    net = recipe.new_network(seed=0)
    with pytest.raises(DivergedError, match="try a smaller learning rate"):
        list(train_epochs(net, data, recipe))
    assert all(np.isfinite(W).all() for W in net.weights)
