"""Learn one example: a single gradient step on one digit alone, and a way to take it back.

    lesson = learn_one(network, image, digit, lr)   # one step: w ← w − η ∂c/∂w for this x
    lesson.before, lesson.after                     # its ten probabilities before and after
    forget(network, lesson.kept)                    # every array exactly as it was

Mini-batch SGD averages the wishes of many examples; here the network listens to one alone,
so a learner can see what a single example pulls the weights towards (and, repeated, what
that costs the other digits).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from digitpad.core.errors import DivergedError
from digitpad.core.evaluation import evaluate
from digitpad.core.network import Network

QUICK_CHECK = 1000
"""Test digits scored before and after a repeated lesson: enough to show a change, fast."""


class Kept(NamedTuple):
    """Copies of every array a step changes: the weights, the biases and the momentum."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    velocity: list[np.ndarray] | None


class Lesson(NamedTuple):
    digit: int  # the label it was taught
    steps: int  # how many steps on the example
    before: np.ndarray  # (k,) output activations before the first step
    after: np.ndarray  # (k,) after the last
    cost_before: float  # c(x) for the label, before
    cost_after: float
    kept: Kept  # the network before: forget() puts it back


def keep(network: Network) -> Kept:
    velocity = network.velocity
    return Kept(_copies(network.weights), _copies(network.biases), _copies(velocity))


def forget(network: Network, kept: Kept) -> None:
    """Put back the arrays of `kept`, bit for bit (copies: `kept` can be used again)."""
    network.weights, network.biases = _copies(kept.weights), _copies(kept.biases)
    network.velocity = _copies(kept.velocity)


def learn_one(network: Network, image: np.ndarray, digit: int, lr: float,
              steps: int = 1) -> Lesson:
    """`steps` plain gradient steps (no momentum, no L2) on `image` labelled `digit`.

    A step that diverges, or numbers that overflow before or after it, raise DivergedError and
    leave the network exactly as it was before the first step.
    """
    x = np.asarray(image, dtype=network.dtype).reshape(1, -1)
    y = np.array([digit])
    kept = keep(network)
    try:
        # The weights kept when training diverged can overflow for this digit before any step,
        # or a step can give weights that do: refused like a step that overflows, not warned.
        with np.errstate(over="raise", invalid="raise"):
            before, cost_before = network.forward(x)[0], network.cost(x, y)
            for _ in range(steps):
                network.train_step(x, y, lr)
            after, cost_after = network.forward(x)[0], network.cost(x, y)
    except FloatingPointError:
        forget(network, kept)
        raise DivergedError.at(lr, "its numbers overflowed") from None
    except Exception:
        forget(network, kept)
        raise
    # train_step clears the momentum of a plain step; the trainer's next step wants it back.
    network.velocity = _copies(kept.velocity)
    return Lesson(digit, steps, before, after, cost_before, cost_after, kept)


def quick_accuracy(network: Network, images: np.ndarray, labels: np.ndarray) -> float:
    """The accuracy on the first QUICK_CHECK of these test digits."""
    return evaluate(network, images[:QUICK_CHECK], labels[:QUICK_CHECK]).accuracy


def _copies(arrays: list[np.ndarray] | None) -> list[np.ndarray] | None:
    return None if arrays is None else [a.copy() for a in arrays]
