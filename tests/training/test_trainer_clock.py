"""The trainer counts, per step, the training digits used and the seconds spent training."""

import time
from dataclasses import replace

import numpy as np

from digitpad.core import Network, Settings
from digitpad.training.trainer import Trainer
from tests.deadlines import DEADLINE_S, wait_until


def test_examples_seen_add_up_the_batch_sizes_even_when_they_change(small_mnist):
    trainer = Trainer(Network((784, 16, 10)), small_mnist, Settings(hidden=(16,), batch=50))
    try:
        asked = [50, 50, 50, 200, 200, 200, 200]
        for batch in asked:
            trainer.change_settings(replace(trainer.settings, batch=batch))
            trainer.step()
            assert trainer.wait_idle(DEADLINE_S)
        # 600 training digits: the epoch's last batch holds only the 50 that are left.
        epoch = len(small_mnist.train_labels)
        used, left = [], epoch
        for batch in asked:
            used.append(min(batch, left))
            left = left - used[-1] or epoch
        assert used[-2] == 50  # the epoch's short last batch
        np.testing.assert_array_equal(trainer.snapshot().examples_seen, np.cumsum(used))
    finally:
        trainer.close()


def test_training_seconds_grow_with_each_step_and_stand_still_while_paused(small_mnist):
    trainer = Trainer(Network((784, 16, 10)), small_mnist, Settings(hidden=(16,), batch=50))
    try:
        running = 0.0
        for target in (10, 20):
            started = time.monotonic()
            trainer.start()
            wait_until(lambda: trainer.steps >= target)  # noqa: B023 - used at once
            trainer.pause()
            assert trainer.wait_idle(DEADLINE_S)
            running += time.monotonic() - started
            paused = time.monotonic()
            wait_until(lambda: time.monotonic() - paused >= 0.3)  # noqa: B023 - a pause
        seconds = trainer.snapshot().training_seconds
        assert len(seconds) == trainer.steps
        assert (np.diff(seconds) > 0).all() and seconds[0] > 0
        assert seconds[-1] <= running  # only time spent in steps, never the pauses
    finally:
        trainer.close()


def test_a_restored_run_keeps_its_clock_and_goes_on_from_it(small_mnist):
    settings = Settings(hidden=(16,), batch=50)
    trainer = Trainer(Network((784, 16, 10)), small_mnist, settings)
    again = Trainer(Network((784, 16, 10)), small_mnist, settings)
    try:
        for _ in range(5):
            trainer.step()
        assert trainer.wait_idle(DEADLINE_S)
        history, confusion = trainer.run_history()
        before = trainer.snapshot()
        again.reset(trainer.network.copy(), settings, history, confusion)
        after = again.snapshot()
        np.testing.assert_array_equal(after.examples_seen, before.examples_seen)
        np.testing.assert_array_equal(after.training_seconds, before.training_seconds)
        again.step()
        assert again.wait_idle(DEADLINE_S)
        grown = again.snapshot()
        assert grown.examples_seen[-1] == before.examples_seen[-1] + 50
        assert grown.training_seconds[-1] > before.training_seconds[-1]
    finally:
        trainer.close()
        again.close()


def test_a_run_saved_without_a_clock_counts_its_batch_size_and_keeps_growing(
        small_mnist, monkeypatch):
    from digitpad.core.diagnosis import RunHistory
    from digitpad.training import trainer as trainer_module

    monkeypatch.setattr(trainer_module, "HISTORY_STEPS", 1024)
    kept = 2048  # the most it keeps: the next step drops the older half of every record
    history = RunHistory(np.ones(kept, np.float32), np.ones((kept, 2), np.float32), [], 501)
    settings = Settings(hidden=(16,), batch=50)
    trainer = Trainer(Network((784, 16, 10)), small_mnist, settings)
    try:
        trainer.reset(Network((784, 16, 10)), settings, history)
        steps = np.arange(501, 501 + kept)
        np.testing.assert_array_equal(trainer.snapshot().examples_seen, 50 * steps)
        trainer.step()
        assert trainer.wait_idle(DEADLINE_S)
        snapshot = trainer.snapshot()
        assert len(snapshot.examples_seen) == len(snapshot.batch_costs)
        assert snapshot.examples_seen[-1] == 50 * snapshot.steps
    finally:
        trainer.close()
