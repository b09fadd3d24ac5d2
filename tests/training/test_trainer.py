import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from digitpad.core import Network, Settings, evaluation
from digitpad.core.errors import DivergedError
from digitpad.training import trainer as trainer_module
from digitpad.training.trainer import DIVERGED, OUT_OF_MEMORY, UNEXPECTED, Trainer
from tests.deadlines import DEADLINE_S, wait_until

SETTINGS = Settings(hidden=(16,), lr=0.5, batch=50)  # plain gradient descent: no momentum, no L2


@pytest.fixture
def trainer(small_mnist):
    t = Trainer(Network((784, 16, 10)), small_mnist, SETTINGS)
    yield t
    t.close()


def change(trainer: Trainer, **settings) -> None:
    trainer.change_settings(replace(trainer.settings, **settings))


def explosive() -> Network:
    """A network whose weights are already enormous: its first step overflows."""
    network = Network((784, 16, 10), activation="relu")
    network.weights = [W * np.float32(1e20) for W in network.weights]
    return network


def _weights(net: Network) -> list[np.ndarray]:
    return [W.copy() for W in net.weights]


def test_step_runs_exactly_one_mini_batch(trainer):
    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.steps == 1
    trainer.step()
    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.steps == 3
    snap = trainer.snapshot()
    assert snap.epoch_fraction == pytest.approx(150 / 600)
    assert len(snap.batch_costs) == 3 and snap.grad_norms.shape == (3, 2)


def test_start_trains_until_paused(trainer):
    trainer.start()
    wait_until(lambda: trainer.steps >= 30)
    trainer.pause()
    assert trainer.wait_idle(DEADLINE_S)
    done = trainer.steps
    time.sleep(0.1)
    assert trainer.steps == done
    assert not trainer.is_running


def test_training_learns_and_reports_each_epoch(trainer):
    trainer.start()
    wait_until(lambda: trainer.epoch >= 3)
    trainer.pause()
    assert trainer.wait_idle(DEADLINE_S)
    snap = trainer.snapshot()
    assert [r.epoch for r in snap.epochs[:3]] == [1, 2, 3]
    assert snap.epochs[2].step == 3 * 12  # 600 examples in batches of 50
    assert snap.epochs[-1].test_accuracy > 0.9
    assert snap.batch_costs[-1] < snap.batch_costs[0]


def _moved_by(trainer: Trainer) -> list[float]:
    """How far one step moves each layer's weights, over the size of its gradient."""
    before = _weights(trainer.network)
    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    norms = trainer.snapshot().grad_norms[-1]
    return [float(np.linalg.norm(W - W0)) / n
            for W, W0, n in zip(trainer.network.weights, before, norms)]


def test_learning_rate_change_applies_to_the_next_step(trainer):
    assert _moved_by(trainer) == pytest.approx([0.5, 0.5], rel=1e-3)
    change(trainer, lr=0.0125)
    assert trainer.settings.lr == 0.0125
    assert _moved_by(trainer) == pytest.approx([0.0125, 0.0125], rel=1e-3)


def test_batch_size_change_applies_to_the_next_step(trainer):
    change(trainer, batch=7)
    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.snapshot().epoch_fraction * 600 == pytest.approx(7)


def test_the_settings_of_a_whole_run_wait_for_a_reset(trainer):
    """Between steps only the learning rate, batch size and augmentation change; momentum,
    L2 and the network's shape describe the run."""
    change(trainer, momentum=0.9, l2=5.0, hidden=(3,), augment=True)
    assert trainer.settings == replace(SETTINGS, augment=True)
    assert _moved_by(trainer) == pytest.approx([0.5, 0.5], rel=1e-3)  # no momentum, no L2
    new = replace(SETTINGS, momentum=0.9)
    trainer.reset(Network((784, 16, 10)), new)
    assert trainer.settings == new


def test_snapshot_network_is_a_copy_that_follows_training(trainer):
    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    snap = trainer.snapshot()
    assert snap.network is not trainer.network
    assert all(np.array_equal(a, b) for a, b in zip(snap.network.weights, trainer.network.weights))


def test_divergence_pauses_and_keeps_the_last_good_weights(trainer):
    trainer.reset(explosive())
    last_good = _weights(trainer.network)
    trainer.start()
    wait_until(lambda: not trainer.is_running)
    assert trainer.wait_idle(DEADLINE_S)
    snap = trainer.snapshot()
    assert snap.error.kind == DIVERGED and snap.diverged
    assert snap.error.step == 1 and snap.steps == 0
    assert "try a smaller learning rate" in snap.error.detail  # DivergedError's explanation
    for W, W0 in zip(trainer.network.weights, last_good):
        np.testing.assert_array_equal(W, W0)


def test_an_unexpected_error_is_reported_with_its_type_and_text(trainer, monkeypatch):
    def bug(*args, **kwargs):
        raise ValueError("operands could not be broadcast")

    monkeypatch.setattr(trainer.network, "train_step", bug)
    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    error = trainer.snapshot().error
    assert (error.kind, error.step) == (UNEXPECTED, 1)
    assert error.detail == "ValueError: operands could not be broadcast"


def test_an_unexpected_error_stops_training_with_a_message_and_the_worker_lives_on(
        trainer, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    trainer.step()
    assert trainer.wait_idle(DEADLINE_S)
    before = _weights(trainer.network)
    monkeypatch.setattr(trainer.network, "train_step", out_of_memory)
    trainer.start()
    assert trainer.wait_idle(DEADLINE_S)  # stopped by itself, not hung
    snap = trainer.snapshot()
    assert not snap.is_running and not snap.diverged
    assert snap.error.kind == OUT_OF_MEMORY and snap.error.step == 2
    assert all(np.array_equal(a, b) for a, b in zip(before, trainer.network.weights))
    monkeypatch.undo()
    trainer.step()  # the worker is still there
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.steps == 2 and trainer.snapshot().error is None


def _published_is_live(trainer) -> bool:
    published = trainer.snapshot().network
    return all(np.array_equal(a, b) for a, b in zip(published.weights, trainer.network.weights))


def test_when_training_stops_the_published_weights_are_the_newest(trainer, monkeypatch):
    """What a Save or a prediction uses once training has stopped: the weights it ended with,
    not a copy from the last time the worker published while running."""
    real_step = trainer.network.train_step
    overflowing = threading.Event()

    def step_until_it_overflows(*args):
        if overflowing.is_set():  # what train_step does then: raise, weights left as they were
            raise DivergedError("training diverged at learning rate 0.5 (its numbers "
                                "overflowed): try a smaller learning rate")
        return real_step(*args)

    monkeypatch.setattr(trainer_module, "SNAPSHOT_INTERVAL_S", 1e9)  # none while it runs
    trainer.start()
    wait_until(lambda: trainer.steps >= 10)
    trainer.pause()
    assert trainer.wait_idle(DEADLINE_S)
    assert _published_is_live(trainer)

    monkeypatch.setattr(trainer.network, "train_step", step_until_it_overflows)
    trainer.start()
    wait_until(lambda: trainer.steps >= 20)
    overflowing.set()  # training stops by itself
    wait_until(lambda: not trainer.is_running)
    assert trainer.wait_idle(DEADLINE_S)
    assert trainer.snapshot().diverged
    assert _published_is_live(trainer)


def test_a_long_run_keeps_only_the_newest_history(monkeypatch, small_mnist):
    monkeypatch.setattr(trainer_module, "HISTORY_STEPS", 4)
    t = Trainer(Network((784, 16, 10)), small_mnist, replace(SETTINGS, batch=10))
    try:
        costs = []
        for _ in range(3000):  # past the 1024 steps the history starts with
            t.step()
            assert t.wait_idle(DEADLINE_S)
            costs.append(t.snapshot().batch_costs[-1])
        snap = t.snapshot()
        assert snap.steps == 3000
        assert 4 <= len(snap.batch_costs) <= 2048 and snap.dropped == 3000 - len(snap.batch_costs)
        np.testing.assert_array_equal(snap.batch_costs, costs[snap.dropped:])
        assert snap.grad_norms.shape == (len(snap.batch_costs), 2)
    finally:
        t.close()


def test_reset_does_not_wait_for_the_whole_test_set(monkeypatch, trainer):
    """Scoring the test set after an epoch can take a while; a reset stops it within a chunk."""
    monkeypatch.setattr(evaluation, "CHUNK", 10)  # 100 test digits: 10 chunks
    calls = []
    real_forward = trainer.network.forward

    def slow_forward(X):  # called once per chunk of the test set
        # A chunk still being scored when the reset comes, however long this test's thread
        # takes to ask for it (a fixed pause here would race with a slow or busy machine).
        calls.append(len(X))
        wait_until(lambda: not trainer.is_running)  # reset() has stopped training
        return real_forward(X)

    monkeypatch.setattr(trainer.network, "forward", slow_forward)
    trainer.start()
    wait_until(lambda: len(calls) > 0)
    trainer.reset(Network((784, 16, 10), seed=5))
    assert len(calls) == 1  # the chunk under way; none begins once the reset is asked for


def test_reset_replaces_the_network_and_clears_history(trainer):
    trainer.start()
    wait_until(lambda: trainer.steps >= 5)
    fresh = Network((784, 8, 10), seed=3)
    trainer.reset(fresh)
    assert not trainer.is_running
    assert trainer.network is fresh and trainer.steps == 0
    assert trainer.snapshot().grad_norms.shape == (0, 2)


def test_without_data_start_and_step_do_nothing():
    t = Trainer(Network((784, 10)))
    t.start()
    t.step()
    assert not t.is_running and t.wait_idle(DEADLINE_S) and t.steps == 0
    t.close()


def test_close_stops_the_worker_during_training(small_mnist):
    t = Trainer(Network((784, 16, 10)), small_mnist)
    t.start()
    t.close()
    assert not any(th.name == "digitpad-trainer" for th in threading.enumerate())


def test_the_trainer_publishes_its_diagnosis_of_the_run(small_mnist):
    # A deep sigmoid network with the quadratic cost: its first layer's gradient vanishes.
    settings = Settings(hidden=(16, 16, 16, 16, 16), activation="sigmoid", output="sigmoid",
                        cost="quadratic", lr=0.05)
    trainer = Trainer(settings.new_network(seed=1), small_mnist, settings)
    try:
        assert trainer.snapshot().findings == ()
        trainer.start()
        wait_until(lambda: trainer.steps >= 50)
        trainer.pause()
        assert trainer.wait_idle(DEADLINE_S)
        findings = trainer.snapshot().findings  # made when training stopped
        assert (findings[0].kind, findings[0].layer) == ("vanishing_gradient", 1)
        assert findings[0].steps[1] == trainer.steps  # about the run up to its last step
        trainer.reset(settings.new_network(seed=2))
        assert trainer.snapshot().findings == ()  # a new run starts with a clean bill
    finally:
        trainer.close()


# ---- the digits in many hands, made before the first step -------------------------------------

HANDS = replace(SETTINGS, synthetic=0.25)  # 600 MNIST digits + 200 in many hands: 8 chunks


@pytest.fixture
def hands_trainer(small_mnist, hands_gate):
    t = Trainer(Network((784, 16, 10)), small_mnist, HANDS)
    yield t
    hands_gate.let_through(1000)
    t.close()


def test_start_makes_the_digits_first_and_the_snapshot_says_how_far(hands_trainer, hands_gate):
    hands_trainer.start()
    hands_gate.let_through(2)
    wait_until(lambda: hands_trainer.snapshot().synthesized == (50, 200))
    assert hands_trainer.steps == 0
    hands_gate.let_through(6)
    wait_until(lambda: hands_trainer.steps >= 1)
    snapshot = hands_trainer.snapshot()
    assert snapshot.synthesized is None and hands_gate.rendered == 8
    # An epoch is 800 digits (600 MNIST + 200 made): 16 steps of 50. A fast machine may be
    # several steps, even epochs, on by now.
    within_epoch = snapshot.steps % 16
    assert snapshot.epoch_fraction == pytest.approx(within_epoch * 50 / 800)


def test_a_pause_while_making_them_holds_and_start_goes_on_from_there(hands_trainer, hands_gate):
    hands_trainer.start()
    hands_gate.let_through(3)
    # The third chunk made, and the worker waiting in the fourth (not still on its way there).
    wait_until(lambda: hands_trainer.snapshot().synthesized == (75, 200) and hands_gate.in_chunk)
    hands_trainer.pause()  # the worker waits in the fourth chunk: it ends it, then holds
    hands_gate.let_through(1)
    assert hands_trainer.wait_idle(DEADLINE_S)
    assert hands_trainer.snapshot().synthesized == (100, 200) and hands_gate.rendered == 4
    hands_trainer.start()
    hands_gate.let_through(4)
    wait_until(lambda: hands_trainer.steps >= 1)
    assert hands_gate.rendered == 8  # four more, not eight again


def test_one_step_asked_for_while_making_them_is_one_step_once_they_are_made(
        hands_trainer, hands_gate):
    hands_trainer.step()
    hands_gate.let_through(8)
    assert hands_trainer.wait_idle(DEADLINE_S)
    assert hands_trainer.steps == 1 and hands_trainer.snapshot().synthesized is None


def test_reset_and_close_while_making_them_wait_for_one_chunk_only(hands_trainer, hands_gate):
    hands_trainer.start()
    hands_gate.let_through(1)
    wait_until(lambda: hands_trainer.snapshot().synthesized == (25, 200) and hands_gate.in_chunk)
    # The worker waits in the second chunk; the reset's interrupt lets that one through and no
    # more: a reset that waited for all eight would never return.
    hands_trainer.reset(Network((784, 16, 10)))
    assert hands_gate.rendered == 2
    assert hands_trainer.snapshot().synthesized is None and hands_trainer.steps == 0
    hands_trainer.start()  # the set was not finished: it is made anew, from the start
    hands_gate.let_through(1)
    wait_until(lambda: hands_trainer.snapshot().synthesized == (25, 200) and hands_gate.in_chunk)
    hands_trainer.close()
    assert hands_gate.rendered == 4
    assert not any(th.name == "digitpad-trainer" for th in threading.enumerate())
