"""The trainer with my digits: the data chosen without a reset, the held-out score per epoch."""

from dataclasses import replace

import numpy as np
import pytest

from digitpad.core import Network, Settings
from digitpad.core.evaluation import evaluate
from digitpad.training.trainer import NO_DATA, Trainer
from tests.deadlines import wait_until
from tests.my_hand import column_digits

SETTINGS = Settings(hidden=(16,), lr=0.5, batch=50)  # small_mnist: 12 steps an epoch
MINE = (column_digits(100), column_digits(25, seed=2))


@pytest.fixture
def trainer(small_mnist):
    t = Trainer(Network((784, 16, 10), activation="sigmoid"), small_mnist, SETTINGS)
    yield t
    t.close()


def steps(trainer: Trainer, n: int) -> None:
    """n more steps, one at a time, and wait until they are done."""
    done = trainer.steps + n
    for _ in range(n):
        trainer.step()
    wait_until(lambda: trainer.wait_idle(0.01) and trainer.steps >= done)


def test_every_epoch_measures_the_held_out_drawings(trainer):
    assert trainer.snapshot().mine_held_out == 0
    trainer.set_my_digits(MINE)
    assert trainer.snapshot().mine_held_out == 25
    steps(trainer, 12)
    wait_until(lambda: len(trainer.snapshot().epochs) == 1)
    (result,) = trainer.snapshot().epochs
    expected = evaluate(trainer.snapshot().network, MINE[1].images, MINE[1].labels)
    assert (result.mine_accuracy, result.mine_count) == (expected.accuracy, 25)


def test_choosing_my_digits_goes_on_with_the_same_network(trainer):
    steps(trainer, 3)
    network = trainer.network
    trainer.set_my_digits(MINE)
    trainer.change_settings(replace(trainer.settings, train_on="mine", mine_repeats=2))
    steps(trainer, 4)  # after 3 on MNIST, 4 on my 100 drawings twice over: the first epoch
    snapshot = trainer.snapshot()
    assert trainer.network is network and snapshot.steps == 7
    assert (snapshot.epoch, len(snapshot.epochs)) == (1, 1)
    assert snapshot.epochs[0].mine_count == 25


def test_too_few_drawings_pause_training_with_the_reason(trainer):
    trainer.set_my_digits((column_digits(4), column_digits(1)))
    trainer.change_settings(replace(trainer.settings, train_on="both"))
    trainer.step()
    wait_until(lambda: trainer.snapshot().error is not None)
    error = trainer.snapshot().error
    assert error.kind == NO_DATA and "4 drawings to train on" in error.detail
    assert trainer.steps == 0
    trainer.change_settings(replace(trainer.settings, train_on="mnist"))  # and it goes on
    steps(trainer, 1)
    assert trainer.snapshot().error is None and np.isfinite(trainer.snapshot().batch_costs[0])
