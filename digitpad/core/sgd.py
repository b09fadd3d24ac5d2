"""Mini-batch stochastic gradient descent: digitpad's one training loop.

    sgd = SGD(network, load_mnist(), PRESETS["video"], seed=0)
    for event in sgd:
        if isinstance(event, Step):     # one mini-batch, one step downhill
            print(event.cost, event.grad_norms)
        else:                           # an Epoch: every training digit seen once more
            print(event.epoch, event.test.accuracy)
            if event.epoch == 3:
                break

Each step takes the next mini-batch of a random order of the training set, lets backprop work
out what every example wants of every weight, and moves the weights a step downhill on the
average of those wishes. When every example has had its turn (an epoch), the order is shuffled
anew and the network is scored on the test set, which it never trains on.

With `settings.synthetic`, digits drawn from strokes in many hands (core.hands) join the
training set when the loop starts, that share of every epoch; the test set stays MNIST's.

The settings are read before every step: assign `sgd.settings` between two steps to change the
learning rate, the batch size or the augmentation from the next one on (training_run's
schedule does this between epochs; the app does it whenever the panel changes).

A step whose numbers overflow raises DivergedError and leaves the weights as they were before
it; iterating `sgd` again goes on from the next mini-batch.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from digitpad.core.augment import augment
from digitpad.core.batches import ShuffledBatches
from digitpad.core.evaluation import Evaluation, evaluations
from digitpad.core.hands import hands_count, with_hands
from digitpad.core.mnist import Mnist, as_inputs
from digitpad.core.network import Network
from digitpad.core.settings import Settings


class Step(NamedTuple):
    """One mini-batch trained on."""

    number: int  # steps done in this run, this one included
    examples: int  # in this mini-batch (the last one of an epoch may be smaller)
    epoch: int  # the epoch it belongs to, counted from 1 as Epoch counts them
    done: int  # examples of that epoch trained on, this mini-batch included
    total: int  # examples in an epoch
    cost: float  # the mini-batch's cost, measured before the step
    grad_norms: list[float]  # |∂C/∂W| of every layer: how hard backprop pushed it
    lr: float  # the learning rate the step used
    seconds: float  # how long it took, the batch's assembly included

    @property
    def ends_epoch(self) -> bool:
        return self.done == self.total


class Epoch(NamedTuple):
    """An epoch ended, and the network was scored on the test set."""

    epoch: int  # counted from 1: the first epoch ends as Epoch 1
    step: int  # steps done by then
    test: Evaluation  # accuracy, cost and confusion matrix on the test set


class SGD:
    """The training loop of `network` on `data`'s training digits, with `settings`."""

    def __init__(self, network: Network, data: Mnist, settings: Settings, seed: int = 0,
                 steps_done: int = 0, epochs_done: int = 0) -> None:
        """`steps_done` and `epochs_done`: where the numbering of steps and epochs goes on
        from (a run continued after a restart)."""
        self.network = network
        self.data = data
        self.settings = settings
        self.steps = steps_done  # done so far
        # The training set: MNIST's, and digits in many hands if the settings ask for them.
        # Those are made when the loop starts (seconds of work, on the caller's thread).
        self._share, self._seed, self._training = settings.synthetic, seed, data
        examples = len(data.train_labels)
        self._batches = ShuffledBatches(examples + hands_count(examples, self._share), seed)
        self._batches.epoch = epochs_done
        self._rng = np.random.default_rng(seed)  # for the augmentation
        self._interrupted = threading.Event()

    def __iter__(self) -> Iterator[Step | Epoch]:
        """Steps, and after the step that ends an epoch that epoch's test score, for as long as
        the caller asks (or until interrupt())."""
        if len(self._training.train_labels) < self._batches.n:
            training = with_hands(self.data, self._share, self._seed, self._interrupted.is_set)
            if training is None:
                return
            self._training = training
        while True:
            step = self._step()
            yield step
            if step.ends_epoch:
                test = self._test()
                if test is None:
                    return
                yield Epoch(step.epoch, step.number, test)

    def interrupt(self) -> None:
        """From any thread: stop scoring the test set after the chunk under way, and end the
        loop. A reset or a closing window waits for one chunk at most, not the whole set."""
        self._interrupted.set()

    def _step(self) -> Step:
        settings, started = self.settings, time.perf_counter()
        epoch = self._batches.epoch + 1  # the batches count the epochs completed
        batch = self._batches.next(settings.batch)
        X, y = self._inputs(batch, settings.augment), self._training.train_labels[batch]
        stats = self.network.train_step(X, y, settings.lr, settings.l2, settings.momentum)
        self.steps += 1
        total = self._batches.n
        done = self._batches.position or total  # the position wraps to 0 after an epoch
        return Step(self.steps, len(batch), epoch, done, total, stats.cost, stats.grad_norms,
                    settings.lr, time.perf_counter() - started)

    def _inputs(self, batch: np.ndarray, augmented: bool) -> np.ndarray:
        """The mini-batch's images as network inputs. Made per mini-batch: the uint8 images
        stay the only full copy of the training set in memory."""
        images = self._training.train_images[batch]
        return augment(images, self._rng) if augmented else as_inputs(images, self.network.dtype)

    def _test(self) -> Evaluation | None:
        """The score on the whole test set; None if interrupted on the way."""
        for so_far in evaluations(self.network, self.data.test_images, self.data.test_labels):
            if self._interrupted.is_set():
                return None
            score = so_far
        return score
