"""A whole training run, epoch by epoch: what `digitpad train` does, usable from a notebook.

    settings = PRESETS["video"]
    net = settings.new_network(seed=0)
    for report in train_epochs(net, load_mnist(), settings):
        print(report.epoch, report.test_accuracy)

It drives the one training loop (core.sgd) for `settings.epochs` epochs, setting each epoch's
learning rate by the schedule, and sums every epoch up in one report.
"""

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import NamedTuple

from digitpad.core.mnist import Mnist
from digitpad.core.network import Network
from digitpad.core.samples import Samples
from digitpad.core.settings import Settings
from digitpad.core.sgd import SGD, Step, Synthesized


class BatchProgress(NamedTuple):
    epoch: int  # 1-based
    examples: int  # examples of this epoch trained on so far
    total: int  # examples per epoch
    cost: float  # mean mini-batch cost of this epoch so far
    examples_per_second: float  # since the run started


class EpochReport(NamedTuple):
    epoch: int  # 1-based
    lr: float  # the learning rate used in this epoch
    cost: float  # mean mini-batch cost over the epoch (each measured before its step)
    test_accuracy: float
    test_cost: float
    seconds: float  # wall time of this epoch, test included
    mine_accuracy: float | None = None  # on my digits' held-out part (None: none held out)
    mine_count: int = 0  # how many held-out drawings that is


def learning_rate(settings: Settings, epoch: int) -> float:
    """The learning rate of epoch `epoch` (0-based).

    "cosine" glides from lr down towards 0 along half a cosine wave: big steps while far from
    a minimum, small ones at the end to settle into it.
    """
    if settings.schedule == "cosine":
        return settings.lr * 0.5 * (1.0 + math.cos(math.pi * epoch / settings.epochs))
    return settings.lr


def train_epochs(
    network: Network,
    data: Mnist,
    settings: Settings,
    seed: int = 0,
    on_batch: Callable[[BatchProgress], None] | None = None,
    on_step: Callable[[Step], None] | None = None,
    mine: tuple[Samples, Samples] | None = None,
) -> Iterator[EpochReport]:
    """Train `network` in place for settings.epochs epochs, yielding a report after each.

    Network.train_step raises DivergedError if the cost becomes NaN or infinite; the network
    then holds the weights of the step before (callers should not save them as a result).
    `on_batch` is called after every mini-batch, for progress displays; `on_step` with every
    step's statistics (its cost and gradient sizes: what a diagnosis of the run reads).
    `mine`: my digits (to train on, held out), for settings.train_on and to be measured.
    """
    sgd = SGD(network, data, replace(settings, lr=learning_rate(settings, 0)), seed, mine)
    run_started = epoch_started = time.perf_counter()
    trained, cost_sum = 0, 0.0  # examples over the whole run; their costs over this epoch
    for event in sgd:
        if isinstance(event, Synthesized):  # digits in many hands, made before the first step
            continue
        if isinstance(event, Step):
            last = event
            if on_step is not None:
                on_step(event)
            trained += event.examples
            cost_sum += event.cost * event.examples
            if on_batch is not None:
                speed = trained / max(time.perf_counter() - run_started, 1e-9)
                on_batch(BatchProgress(event.epoch, event.done, event.total,
                                       cost_sum / event.done, speed))
            continue
        yield EpochReport(event.epoch, sgd.settings.lr, cost_sum / last.total,
                          event.test.accuracy, event.test.cost,
                          time.perf_counter() - epoch_started,
                          None if event.mine is None else event.mine.accuracy,
                          0 if event.mine is None else event.mine.count)
        if event.epoch == settings.epochs:
            return
        sgd.settings = replace(settings, lr=learning_rate(settings, event.epoch))
        epoch_started, cost_sum = time.perf_counter(), 0.0
