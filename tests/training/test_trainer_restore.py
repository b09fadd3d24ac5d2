"""A run handed back to a trainer (a session restored) goes on where it was."""

import numpy as np
import pytest

from digitpad.core import Network, Settings
from digitpad.core.diagnosis import EpochScore, RunHistory
from digitpad.core.saved_session import MAX_STEPS
from digitpad.training import trainer as trainer_module
from digitpad.training.trainer import Trainer
from tests.deadlines import DEADLINE_S

SETTINGS = Settings(hidden=(16,), lr=0.5, batch=50)  # 600 digits: 12 steps an epoch


def run_steps(trainer: Trainer, steps: int) -> None:
    for _ in range(steps):
        trainer.step()
    assert trainer.wait_idle(DEADLINE_S)


@pytest.fixture
def trained(small_mnist):
    """A trainer that has done 30 steps: two epochs and a half."""
    trainer = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    run_steps(trainer, 30)
    yield trainer
    trainer.close()


def test_a_restored_run_shows_the_same_history(trained, small_mnist):
    history, confusion = trained.run_history()
    before = trained.snapshot()
    network = trained.network.copy()

    again = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    try:
        again.reset(network, SETTINGS, history, confusion)
        after = again.snapshot()
        assert after.steps == before.steps == 30 and after.epoch == before.epoch == 2
        np.testing.assert_array_equal(after.batch_costs, before.batch_costs)
        np.testing.assert_array_equal(after.grad_norms, before.grad_norms)
        assert after.epochs == before.epochs  # epoch, step, test cost and accuracy
        np.testing.assert_array_equal(after.epochs[-1].confusion, before.epochs[-1].confusion)
        for a, b in zip(after.network.weights, before.network.weights):
            np.testing.assert_array_equal(a, b)
    finally:
        again.close()


def test_a_restored_run_goes_on_numbering_its_steps_and_epochs(trained, small_mnist):
    history, confusion = trained.run_history()
    again = Trainer(Network((784, 16, 10)), None, SETTINGS)
    try:
        again.reset(trained.network.copy(), SETTINGS, history, confusion)
        again.set_data(small_mnist)  # as in the app: the data arrives after the session
        run_steps(again, 12)  # a whole epoch more: the third ends in it
        snapshot = again.snapshot()
        assert snapshot.steps == 42 and len(snapshot.batch_costs) == 42
        assert [e.epoch for e in snapshot.epochs] == [1, 2, 3]
        assert [e.step for e in snapshot.epochs] == [12, 24, 42]
        assert snapshot.epoch == 3
    finally:
        again.close()


def test_a_restored_history_with_dropped_steps_keeps_growing(small_mnist, monkeypatch):
    monkeypatch.setattr(trainer_module, "HISTORY_STEPS", 1024)
    kept = 2048  # the most it keeps: the next step drops the older half
    history = RunHistory(np.arange(kept, dtype=np.float32),
                         np.ones((kept, 2), np.float32), [EpochScore(600, 0.5, 1.0)], 501)
    trainer = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    try:
        trainer.reset(Network((784, 16, 10)), SETTINGS, history)
        snapshot = trainer.snapshot()
        assert (snapshot.steps, snapshot.dropped) == (2548, 500)
        run_steps(trainer, 1)
        snapshot = trainer.snapshot()
        assert (snapshot.steps, snapshot.dropped) == (2549, 1524)
        assert snapshot.batch_costs[0] == 1024 and len(snapshot.batch_costs) == 1025
    finally:
        trainer.close()


def test_a_session_holds_as_many_steps_as_the_trainer_keeps():
    assert MAX_STEPS == 2 * trainer_module.HISTORY_STEPS
