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
Making them takes seconds: the loop yields a Synthesized event after every few hundred, so
that a caller can show how far it is, or stop (a paused loop goes on where it stopped).

My digits: `mine` is the person's drawings split in two (MyDigits.split()). With
`settings.train_on` "mine" or "both", the training part is seen `settings.mine_repeats` times
per epoch (core.training_set); whatever the choice, the held-out part is scored after every
epoch beside the test set: how well the network reads this person's hand. A new choice of data
starts the epoch under way over on the new training set at the next step; new drawings
(assign `sgd.mine`) join at the start of the next epoch.

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
from digitpad.core.evaluation import Evaluation, evaluate, evaluations
from digitpad.core.hands import HandsInTheMaking
from digitpad.core.mnist import Mnist, as_inputs
from digitpad.core.network import Network
from digitpad.core.samples import Samples
from digitpad.core.settings import Settings
from digitpad.core.training_set import TrainingSet


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


class Synthesized(NamedTuple):
    """More digits in many hands were made for the training set, before the first step."""

    made: int  # digits made so far
    total: int  # digits to make


class Epoch(NamedTuple):
    """An epoch ended, and the network was scored on the test set."""

    epoch: int  # counted from 1: the first epoch ends as Epoch 1
    step: int  # steps done by then
    test: Evaluation  # accuracy, cost and confusion matrix on the test set
    mine: Evaluation | None = None  # the same on my digits' held-out part (None: none held out)


class SGD:
    """The training loop of `network` on `data`'s training digits, with `settings`."""

    def __init__(self, network: Network, data: Mnist, settings: Settings, seed: int = 0,
                 mine: tuple[Samples, Samples] | None = None, steps_done: int = 0,
                 epochs_done: int = 0) -> None:
        """`mine`: my digits (to train on, held out). `steps_done` and `epochs_done`: where
        the numbering of steps and epochs goes on from (a run continued after a restart)."""
        self.network = network
        self.data = data
        self.settings = settings
        self.mine = mine  # (to train on, held out); a new value is used from the next epoch
        self.steps = steps_done  # done so far
        # The training set: MNIST's, and digits in many hands if the settings ask for them.
        # Those are made when the loop starts (seconds of work, on the caller's thread).
        self._seed, self._training = seed, None
        self._hands = HandsInTheMaking(data, settings.synthetic, seed)
        self._set: TrainingSet | None = None  # this epoch's examples
        self._set_made_of: tuple = ()  # the data choice and drawings it was made of
        self._batches: ShuffledBatches | None = None
        self._epochs_done = epochs_done
        self._rng = np.random.default_rng(seed)  # for the augmentation
        self._interrupted = threading.Event()

    def __iter__(self) -> Iterator[Synthesized | Step | Epoch]:
        """The training set's digits in many hands as they are made, then steps, and after
        the step that ends an epoch that epoch's test score, for as long as the caller asks (or
        until interrupt())."""
        if self._training is None:
            while not self._hands.finished:
                if self._interrupted.is_set():
                    return
                self._hands.make_more()
                yield Synthesized(self._hands.made, self._hands.total)
            self._training = self._hands.training_set()
        while True:
            step = self._step()
            yield step
            if step.ends_epoch:
                test = self._test()
                if test is None:
                    return
                yield Epoch(step.epoch, step.number, test, self._test_mine())

    def interrupt(self) -> None:
        """From any thread: stop scoring the test set after the chunk under way, and end the
        loop. A reset or a closing window waits for one chunk at most, not the whole set."""
        self._interrupted.set()

    def _step(self) -> Step:
        settings, started = self.settings, time.perf_counter()
        self._choose_examples(settings)
        epoch = self._batches.epoch + 1  # the batches count the epochs completed
        images, y = self._set.batch(self._batches.next(settings.batch))
        X = self._inputs(images, settings.augment)
        stats = self.network.train_step(X, y, settings.lr, settings.l2, settings.momentum)
        self.steps += 1
        total = self._batches.n
        done = self._batches.position or total  # the position wraps to 0 after an epoch
        return Step(self.steps, len(y), epoch, done, total, stats.cost, stats.grad_norms,
                    settings.lr, time.perf_counter() - started)

    def _choose_examples(self, settings: Settings) -> None:
        """Make the training set anew when the choice of data changed (the epoch under way
        starts over on it) or, at the start of an epoch, when the drawings did."""
        mine = self.mine[0] if self.mine is not None else None
        choice = (settings.train_on, settings.mine_repeats)
        if self._set is not None and (choice == self._set_made_of[0] and (
                mine is self._set_made_of[1] or self._batches.position != 0)):
            return
        self._set = TrainingSet.of(self._training, mine, settings)  # DataError: too few
        self._set_made_of = (choice, mine)
        if self._batches is None:
            self._batches = ShuffledBatches(self._set.n, self._seed)
            self._batches.epoch = self._epochs_done
        elif self._batches.n != self._set.n or self._batches.position != 0:
            self._batches.restart(self._set.n)

    def _inputs(self, images: np.ndarray, augmented: bool) -> np.ndarray:
        """The mini-batch's images as network inputs. Made per mini-batch: the uint8 images
        stay the only full copy of the training set in memory."""
        return augment(images, self._rng) if augmented else as_inputs(images, self.network.dtype)

    def _test(self) -> Evaluation | None:
        """The score on the whole test set; None if interrupted on the way."""
        for so_far in evaluations(self.network, self.data.test_images, self.data.test_labels):
            if self._interrupted.is_set():
                return None
            score = so_far
        return score

    def _test_mine(self) -> Evaluation | None:
        """The score on my digits' held-out part; None if there is none."""
        mine = self.mine  # read once: the trainer may hand over new drawings meanwhile
        if mine is None or not len(mine[1].labels):
            return None
        held_out = mine[1]
        return evaluate(self.network, held_out.images, held_out.labels)
