"""Find a learning rate: a learning-rate range test (Leslie Smith, 2015) on a copy of a network.

Take one SGD step per mini-batch with a rate that grows by the same factor every step, from a
rate far too small to learn anything to one far too large to stay stable. The cost first barely
moves, then falls faster and faster, then blows up. A good rate sits on the steep part of the
fall, somewhat below the rate at which the cost is lowest: there the steps are as large as they
can be while still going downhill.

The network handed in is never touched: the test trains a copy.
"""

from typing import NamedTuple

import numpy as np

from digitpad.core.batches import ShuffledBatches
from digitpad.core.errors import DivergedError, SettingsError
from digitpad.core.mnist import as_inputs
from digitpad.core.network import Network

STEPS = 100
"""Rates tried, one mini-batch each: enough to see the cost fall and rise, under a second for the
video's network (a third of an epoch of batches of 100 for the accurate one's 512-wide layers)."""
MIN_LR = 1e-4
"""Far below any rate that learns in 100 steps here: the curve starts flat."""
MAX_LR = 100.0
"""Far above any stable rate, even for sigmoid outputs with the quadratic cost (whose slow
learning needs rates of 3 or more): the curve ends blowing up."""
SMOOTHING = 0.9
"""Weight of the past in the cost's running average: one mini-batch's cost is noisy, about ten
batches average that noise out while still following the trend."""
STOP_FACTOR = 4.0
"""Stop once the averaged cost is four times its lowest value: the rate is far past stable, and
the remaining steps would only overflow."""
BACKOFF = 10.0
"""The proposal: the rate of the lowest averaged cost divided by ten. At the lowest point the
steps already overshoot half of the time (that is why the cost stops falling); a tenth of it is
the usual choice of this test and, measured on both presets, trains as well as their own rates
(benchmarks/diagnosis.py)."""


class LrRangeTest(NamedTuple):
    rates: np.ndarray  # (k,) the learning rate of each step tried
    costs: np.ndarray  # (k,) the mini-batch cost before each of those steps
    smoothed: np.ndarray  # (k,) the costs' running average (bias-corrected)
    proposed: float  # the rate to train with


def rates(steps: int = STEPS, min_lr: float = MIN_LR, max_lr: float = MAX_LR) -> np.ndarray:
    """Rates growing exponentially (evenly spaced on a log axis) from min_lr to max_lr."""
    return np.geomspace(min_lr, max_lr, steps)


def lr_range_test(
    network: Network,
    images: np.ndarray,
    labels: np.ndarray,
    batch: int,
    momentum: float = 0.0,
    l2: float = 0.0,
    steps: int = STEPS,
    seed: int = 0,
) -> LrRangeTest:
    """Try `steps` growing rates on a copy of `network`, one mini-batch of the (n, 28, 28)
    uint8 `images` each, and propose a rate. `network` keeps its weights bit for bit."""
    if steps < 5:
        raise SettingsError(f"a learning-rate range test needs at least 5 steps, not {steps}")
    if batch < 1:
        raise SettingsError(f"the batch size must be at least 1, not {batch}")
    trial = network.astype(network.dtype)  # a copy whose momentum starts from rest
    batches = ShuffledBatches(len(labels), seed)
    tried, costs, smoothed = [], [], []
    average = 0.0
    for step, lr in enumerate(rates(steps), start=1):
        idx = batches.next(batch)
        try:
            stats = trial.train_step(as_inputs(images[idx], trial.dtype), labels[idx], lr, l2,
                                     momentum)
        except DivergedError:
            break  # past any usable rate: what was measured so far decides
        average = SMOOTHING * average + (1 - SMOOTHING) * stats.cost
        tried.append(lr)
        costs.append(stats.cost)
        smoothed.append(average / (1 - SMOOTHING**step))  # early averages lean towards 0
        if smoothed[-1] > STOP_FACTOR * min(smoothed):
            break
    tried, costs, smoothed = np.array(tried), np.array(costs), np.array(smoothed)
    return LrRangeTest(tried, costs, smoothed, propose(tried, smoothed))


def propose(tried: np.ndarray, smoothed: np.ndarray) -> float:
    """A tenth of the rate at which the averaged cost was lowest, to one significant digit."""
    if len(tried) == 0:
        return MIN_LR
    return nice_number(float(tried[int(np.argmin(smoothed))]) / BACKOFF)


def nice_number(x: float) -> float:
    """x to one significant digit (0.0756 -> 0.08): a rate people can read and type."""
    return float(f"{x:.1g}")
