"""Slow motion in the trainer: a pace between steps, waited for on the condition, never busily.

A pace of one step in 1,000 s makes "the trainer is waiting for its next step" a state that
lasts far longer than any deadline here: whatever happens within the deadline (a Step, a pause,
a new pace, close) happened because the control reached the waiting worker, not because the wait
ran out.
"""

import threading

import numpy as np
import pytest

from digitpad.core import Network, Settings
from digitpad.core.sgd import SGD, Step
from digitpad.training.trainer import Trainer
from tests.deadlines import DEADLINE_S, wait_until

SETTINGS = Settings(hidden=(16,), lr=0.5, batch=50)
GLACIAL = 1 / 1000  # steps a second: the next step is due in 1,000 s


@pytest.fixture
def trainer(small_mnist):
    t = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    yield t
    t.close()


def test_the_first_step_goes_at_once_and_the_next_waits_until_due(trainer):
    trainer.set_pace(GLACIAL)
    assert trainer.pace == GLACIAL
    trainer.start()
    wait_until(lambda: trainer.steps >= 1)
    assert trainer.steps == 1  # the second is 1,000 s away
    assert trainer.is_running


def test_a_new_pace_applies_at_once(trainer):
    trainer.set_pace(GLACIAL)
    trainer.start()
    wait_until(lambda: trainer.steps >= 1)
    trainer.set_pace(None)  # full speed: the worker stops waiting now, not in 1,000 s
    wait_until(lambda: trainer.steps >= 20)


def test_pause_step_and_close_reach_a_trainer_waiting_for_its_next_step(trainer):
    trainer.set_pace(GLACIAL)
    trainer.start()
    wait_until(lambda: trainer.steps >= 1)
    trainer.pause()
    assert trainer.wait_idle(DEADLINE_S) and not trainer.is_running
    trainer.step()  # a Step runs at once, whatever the pace
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.steps == 2
    trainer.start()  # the next step is due 1,000 s after the first: the worker waits
    closing = threading.Thread(target=trainer.close)
    closing.start()
    closing.join(DEADLINE_S)
    assert not closing.is_alive()  # close woke the waiting worker and joined it


def test_a_reset_starts_the_new_run_at_once(trainer):
    trainer.set_pace(GLACIAL)
    trainer.start()
    wait_until(lambda: trainer.steps >= 1)
    trainer.reset(Network((784, 16, 10), seed=3))
    assert trainer.steps == 0
    trainer.start()
    wait_until(lambda: trainer.steps >= 1)  # not 1,000 s after the old run's step


def test_waiting_until_seen_hands_out_every_step_with_its_own_weights(trainer, small_mnist):
    trainer.set_pace(1000.0, wait_until_seen=True)  # a fast clock: only the viewer holds it
    trainer.start()
    handed_out = []
    for _ in range(5):
        wait_until(lambda: trainer.steps > len(handed_out))
        handed_out.append(trainer.snapshot())
    trainer.pause()
    # No step went by unseen, and each came with the weights it made: the same loop run here
    # (same network, data, settings and seed) has those weights after that many steps.
    assert [s.steps for s in handed_out] == [1, 2, 3, 4, 5]
    replay = Network((784, 16, 10))
    steps = (event for event in SGD(replay, small_mnist, SETTINGS, seed=0)
             if isinstance(event, Step))
    for snapshot in handed_out:
        next(steps)
        for shown, made in zip(snapshot.network.weights, replay.weights):
            np.testing.assert_array_equal(shown, made)


def test_a_pace_must_be_positive(trainer):
    for wrong in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="pace"):
            trainer.set_pace(wrong)
    assert trainer.pace is None


def test_a_pace_set_while_a_full_speed_step_ends_does_not_stall_training(trainer):
    """The step ran unpaced (no copy of its weights published with it); the pace, waiting until
    each step is seen, came in before the step was recorded. snapshot() must still hand that
    step out, so that the next one can go."""
    history = trainer._history  # the moment is forced from inside the step's recording
    record = history.append
    forced = []

    def pace_set_just_before(*args) -> None:
        if not forced:
            forced.append(True)
            trainer.set_pace(1000.0, wait_until_seen=True)  # the worker's own thread: reentrant
        record(*args)

    history.append = pace_set_just_before
    trainer.start()
    wait_until(lambda: forced and trainer.snapshot().steps >= 5)  # snapshots let steps go on
