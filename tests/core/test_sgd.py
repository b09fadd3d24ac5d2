"""The one training loop: steps, epochs, settings changed between steps, divergence, interrupt."""

from dataclasses import replace
from itertools import islice

import numpy as np
import pytest

from digitpad.core import evaluation
from digitpad.core.errors import DivergedError
from digitpad.core.evaluation import evaluate
from digitpad.core.network import Network
from digitpad.core.settings import Settings
from digitpad.core.sgd import SGD, Epoch, Step, Synthesized

SETTINGS = Settings(hidden=(16,), lr=0.5, batch=50)  # 600 training digits: 12 steps an epoch


def test_steps_then_the_epochs_test_score(small_mnist):
    network = SETTINGS.new_network()
    events = list(islice(SGD(network, small_mnist, SETTINGS), 26))
    steps = [e for e in events if isinstance(e, Step)]
    assert [type(e) for e in events] == ([Step] * 12 + [Epoch]) * 2
    assert [s.number for s in steps] == list(range(1, 25))
    assert [s.done for s in steps[:12]] == list(range(50, 650, 50))
    assert [s.epoch for s in steps] == [1] * 12 + [2] * 12
    assert [s.ends_epoch for s in steps].count(True) == 2
    assert all(s.examples == 50 and s.total == 600 and s.lr == 0.5 for s in steps)
    assert all(len(s.grad_norms) == 2 and s.seconds > 0 for s in steps)
    first, second = events[12], events[25]
    assert (first.epoch, first.step, second.epoch, second.step) == (1, 12, 2, 24)
    # The loop stopped right after the second epoch's score: it is the network's now.
    now = evaluate(network, small_mnist.test_images, small_mnist.test_labels)
    np.testing.assert_array_equal(second.test.confusion, now.confusion)
    assert second.test.accuracy == now.accuracy > 0.9
    assert steps[-1].cost < steps[0].cost


def test_settings_changed_between_steps_apply_to_the_next_one(small_mnist):
    network = SETTINGS.new_network()
    sgd = SGD(network, small_mnist, SETTINGS)
    events = iter(sgd)
    assert next(events).done == 50
    sgd.settings = replace(SETTINGS, batch=7, lr=0.0125)
    before = [W.copy() for W in network.weights]
    step = next(events)
    assert (step.examples, step.done, step.lr) == (7, 57, 0.0125)
    for W, W0, norm in zip(network.weights, before, step.grad_norms):
        assert np.linalg.norm(W - W0) == pytest.approx(0.0125 * norm, rel=1e-3)


def test_the_last_mini_batch_of_an_epoch_is_what_is_left(small_mnist):
    steps = list(islice(SGD(SETTINGS.new_network(), small_mnist, replace(SETTINGS, batch=250)), 3))
    assert [(s.examples, s.done, s.ends_epoch) for s in steps] == [
        (250, 250, False), (250, 500, False), (100, 600, True)]


def test_a_diverging_step_raises_keeps_the_weights_and_the_loop_goes_on(small_mnist):
    network = Network((784, 16, 10), activation="relu")
    network.weights = [W * np.float32(1e20) for W in network.weights]  # the first step overflows
    before = [W.copy() for W in network.weights]
    sgd = SGD(network, small_mnist, SETTINGS)
    with pytest.raises(DivergedError, match="try a smaller learning rate"):
        next(iter(sgd))
    for W, W0 in zip(network.weights, before):
        np.testing.assert_array_equal(W, W0)
    assert sgd.steps == 0

    network.weights = [W / np.float32(1e20) for W in network.weights]  # tamed
    step = next(iter(sgd))  # on from the next mini-batch
    assert (step.number, step.done) == (1, 100)


def test_interrupt_stops_scoring_the_test_set_within_a_chunk(small_mnist, monkeypatch):
    monkeypatch.setattr(evaluation, "CHUNK", 10)  # 100 test digits: 10 chunks
    network = SETTINGS.new_network()
    sgd = SGD(network, small_mnist, replace(SETTINGS, batch=600))  # one step, one epoch
    chunks = []
    real_predict = network.predict

    def predict(X):  # once per chunk: the third one is interrupted from "another thread"
        chunks.append(len(X))
        if len(chunks) == 3:
            sgd.interrupt()
        return real_predict(X)

    monkeypatch.setattr(network, "predict", predict)
    events = list(sgd)  # the loop ends by itself
    assert [type(e) for e in events] == [Step]
    assert chunks == [10, 10, 10]


def test_the_same_seed_trains_the_same_weights(small_mnist):
    augmented = replace(SETTINGS, augment=True)
    a, b, c = (augmented.new_network(seed=1) for _ in range(3))
    for network, seed in ((a, 4), (b, 4), (c, 5)):
        list(islice(SGD(network, small_mnist, augmented, seed), 5))
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_synthesized_digits_make_up_their_share_of_every_epoch(small_mnist):
    from digitpad.core.hands import synthetic_images

    mixed = replace(SETTINGS, synthetic=0.2, batch=750)  # 600 MNIST + 150 in many hands
    network = mixed.new_network()
    sgd = SGD(network, small_mnist, mixed, seed=2)
    events = [e for e in islice(sgd, 5) if not isinstance(e, Synthesized)][:4]  # 150: a chunk
    assert [type(e) for e in events] == [Step, Epoch, Step, Epoch]
    assert events[0].total == 750 and events[0].examples == 750
    # The step learned from all 750: the labels it used include the synthesized ones.
    images, labels = synthetic_images(150, seed=2)
    np.testing.assert_array_equal(sgd._training.train_images[600:], images)
    np.testing.assert_array_equal(sgd._training.train_labels[600:], labels)
    assert events[1].test.confusion.sum() == len(small_mnist.test_labels)  # tested on MNIST


def test_the_digits_in_many_hands_are_made_in_chunks_before_the_first_step(
        small_mnist, monkeypatch):
    from digitpad.core import hands

    monkeypatch.setattr(hands, "CHUNK", 40)
    monkeypatch.setattr(hands, "_last_made", {})
    mixed = replace(SETTINGS, synthetic=0.25)  # 600 MNIST + 200 in many hands
    events = list(islice(SGD(mixed.new_network(), small_mnist, mixed, seed=3), 6))
    assert events[:5] == [Synthesized(made, 200) for made in (40, 80, 120, 160, 200)]
    assert isinstance(events[5], Step) and events[5].total == 800
    # A new loop on the same digits (a reset in the app) does not make them again.
    again = SGD(mixed.new_network(), small_mnist, mixed, seed=3)
    assert isinstance(next(iter(again)), Step)
    np.testing.assert_array_equal(again._training.train_images[600:],
                                  hands.synthetic_images(200, seed=3)[0])


def test_a_loop_left_while_synthesizing_goes_on_where_it_stopped(small_mnist, monkeypatch):
    from digitpad.core import hands

    monkeypatch.setattr(hands, "CHUNK", 50)
    monkeypatch.setattr(hands, "_last_made", {})
    mixed = replace(SETTINGS, synthetic=0.25)
    sgd = SGD(mixed.new_network(), small_mnist, mixed)
    assert next(iter(sgd)) == Synthesized(50, 200)  # the caller stops asking here
    later = list(islice(sgd, 4))  # and iterates again (as the trainer does after a failure)
    assert later[:3] == [Synthesized(made, 200) for made in (100, 150, 200)]
    assert isinstance(later[3], Step) and later[3].number == 1 and later[3].total == 800


def test_an_interrupt_while_synthesizing_ends_the_loop_before_any_step(small_mnist, monkeypatch):
    from digitpad.core import hands

    monkeypatch.setattr(hands, "CHUNK", 10)
    monkeypatch.setattr(hands, "_last_made", {})
    sgd = SGD(SETTINGS.new_network(), small_mnist, replace(SETTINGS, synthetic=0.25))
    rendered = []
    real_render = hands.render

    def render(digits):  # the second chunk is interrupted from "another thread"
        rendered.append(len(digits))
        if len(rendered) == 2:
            sgd.interrupt()
        return real_render(digits)

    monkeypatch.setattr(hands, "render", render)
    assert list(sgd) == [Synthesized(10, 200), Synthesized(20, 200)]
    assert rendered == [10, 10]
