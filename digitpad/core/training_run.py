"""A whole training run, epoch by epoch: what `digitpad train` does, usable from a notebook.

    net = new_network(PRESETS["video"])
    for report in train_epochs(net, load_mnist(), PRESETS["video"]):
        print(report.epoch, report.test_accuracy)

Every epoch shows the network each training example once, in a new random order, in mini-batches;
after each epoch the network is scored on the test set, which it never trains on.
"""

import math
import time
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from digitpad.core.augment import augment
from digitpad.core.batches import ShuffledBatches
from digitpad.core.evaluation import evaluate
from digitpad.core.mnist import Mnist, as_inputs
from digitpad.core.network import Network
from digitpad.core.presets import Preset, check_preset


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


def new_network(recipe: Preset, seed: int = 0) -> Network:
    check_preset(recipe)
    return Network(recipe.sizes, recipe.activation, recipe.output, recipe.cost, seed=seed)


def learning_rate(recipe: Preset, epoch: int) -> float:
    """The learning rate of epoch `epoch` (0-based).

    "cosine" glides from lr down towards 0 along half a cosine wave: big steps while far from
    a minimum, small ones at the end to settle into it.
    """
    if recipe.schedule == "cosine":
        return recipe.lr * 0.5 * (1.0 + math.cos(math.pi * epoch / recipe.epochs))
    return recipe.lr


def train_epochs(
    network: Network,
    data: Mnist,
    recipe: Preset,
    seed: int = 0,
    on_batch: Callable[[BatchProgress], None] | None = None,
) -> Iterator[EpochReport]:
    """Train `network` in place, yielding a report after every epoch.

    Network.train_step raises DivergedError if the cost becomes NaN or infinite; the network
    then holds the weights of the step before (callers should not save them as a result).
    `on_batch` is called after every mini-batch, for progress displays.
    """
    check_preset(recipe)
    images, labels = data.train_images, data.train_labels
    n = len(labels)
    batches = ShuffledBatches(n, seed)
    rng = np.random.default_rng(seed)  # for the augmentation
    run_started = time.perf_counter()
    trained = 0  # examples, over the whole run

    for epoch in range(recipe.epochs):
        started = time.perf_counter()
        lr = learning_rate(recipe, epoch)
        cost_sum = 0.0
        while batches.epoch == epoch:
            idx = batches.next(recipe.batch)
            # Inputs are made per mini-batch: the uint8 images stay the only full copy in memory.
            if recipe.augment:
                X = augment(images[idx], rng)
            else:
                X = as_inputs(images[idx], network.dtype)
            stats = network.train_step(X, labels[idx], lr, recipe.l2, recipe.momentum)
            cost_sum += stats.cost * len(idx)
            trained += len(idx)
            if on_batch is not None:
                done = batches.position or n  # position wraps to 0 after the last batch
                speed = trained / max(time.perf_counter() - run_started, 1e-9)
                on_batch(BatchProgress(epoch + 1, done, n, cost_sum / done, speed))

        test = evaluate(network, data.test_images, data.test_labels)
        yield EpochReport(epoch + 1, lr, cost_sum / n, test.accuracy, test.cost,
                          time.perf_counter() - started)
