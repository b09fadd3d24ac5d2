"""Mini-batch SGD on a worker thread, with what it has done published for the GUI to read.

The GUI thread never runs a training step. Controls reach the worker through a few fields
guarded by one condition variable and read between steps; results come back as a Snapshot
whose arrays are views into preallocated histories (written once, never changed), so reading
one costs the GUI almost nothing however fast the worker goes.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits

from digitpad.core.augment import augment
from digitpad.core.batches import ShuffledBatches
from digitpad.core.errors import DivergedError
from digitpad.core.evaluation import CHUNK, evaluate
from digitpad.core.mnist import as_inputs
from digitpad.core.network import Network

if TYPE_CHECKING:
    from digitpad.core.mnist import Mnist

# How often the worker refreshes the weight copy the GUI predicts with.
SNAPSHOT_INTERVAL_S = 1 / 30
# The newest steps whose cost and gradient norms are kept (at least this many, at most twice):
# the GUI reads new steps many times a second, long before they are dropped, and memory stays
# bounded however long training runs.
HISTORY_STEPS = 1 << 17

log = logging.getLogger(__name__)


@dataclass
class Hyperparameters:
    """Read by the worker before every step: a change applies from the next step on."""

    lr: float = 0.5
    batch_size: int = 100
    l2: float = 0.0
    momentum: float = 0.0
    augment: bool = False


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    step: int
    test_cost: float
    test_accuracy: float
    # (10, 10) int counts on the test set: row = true digit, column = the network's answer.
    # Left out of == and hash(): comparing arrays there would raise.
    confusion: np.ndarray | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Snapshot:
    steps: int
    epoch: int
    epoch_fraction: float
    examples_per_second: float
    dropped: int  # the oldest steps, no longer kept: batch_costs[0] is step dropped + 1
    batch_costs: np.ndarray  # (steps - dropped,)
    grad_norms: np.ndarray  # (steps - dropped, layers)
    epochs: list[EpochResult]
    network: Network  # a recent copy of the weights, safe to use on any thread
    is_running: bool
    error: str | None  # why training stopped by itself, for the user
    diverged: bool = False  # the error is a diverging cost (a smaller learning rate helps)


@dataclass
class _History:
    """Per-step records of the newest steps, in arrays that grow by doubling (appending is O(1))
    up to twice HISTORY_STEPS; then the older half is dropped."""

    layers: int
    costs: np.ndarray = field(init=False)
    norms: np.ndarray = field(init=False)
    count: int = 0  # steps recorded in all
    dropped: int = 0  # of which the oldest are no longer kept

    def __post_init__(self) -> None:
        self.costs = np.empty(1024, dtype=np.float32)
        self.norms = np.empty((1024, self.layers), dtype=np.float32)

    def append(self, cost: float, norms: list[float]) -> None:
        kept = self.count - self.dropped
        if kept == len(self.costs):
            # New arrays rather than a resize or a shift in place: views already handed out
            # keep pointing at the old ones, which stay valid and unchanged.
            if len(self.costs) < 2 * HISTORY_STEPS:
                self.costs = np.concatenate([self.costs, np.empty_like(self.costs)])
                self.norms = np.concatenate([self.norms, np.empty_like(self.norms)])
            else:
                half = kept // 2
                self.costs = np.concatenate([self.costs[half:], np.empty_like(self.costs[:half])])
                self.norms = np.concatenate([self.norms[half:], np.empty_like(self.norms[:half])])
                self.dropped += half
                kept -= half
        self.costs[kept] = cost
        self.norms[kept] = norms
        self.count += 1

    def recorded(self) -> tuple[np.ndarray, np.ndarray]:
        """Views of the kept costs and gradient norms."""
        kept = self.count - self.dropped
        return self.costs[:kept], self.norms[:kept]


class Trainer:
    def __init__(
        self,
        network: Network,
        data: Mnist | None = None,
        hyper: Hyperparameters | None = None,
        seed: int = 0,
    ) -> None:
        self.hyper = hyper or Hyperparameters()
        self._seed = seed
        self._cond = threading.Condition()
        self._running = False
        self._pending_steps = 0
        self._busy = False
        self._closed = False
        self._error: str | None = None
        self._diverged = False
        self._interrupted = False  # reset() or close() is waiting: stop scoring the test set
        self._data: Mnist | None = None
        self._install(network)
        if data is not None:
            self.set_data(data)
        self._worker = threading.Thread(target=self._run, name="digitpad-trainer", daemon=True)
        self._worker.start()

    # ---- state ------------------------------------------------------------------------------

    @property
    def network(self) -> Network:
        return self._network

    @property
    def steps(self) -> int:
        return self._history.count

    @property
    def epoch(self) -> int:
        return self._batches.epoch if self._batches else 0

    @property
    def is_running(self) -> bool:
        return self._running

    @property
    def has_data(self) -> bool:
        return self._data is not None

    @property
    def data(self) -> Mnist | None:
        return self._data

    def snapshot(self) -> Snapshot:
        with self._cond:
            h, batches = self._history, self._batches
            fraction = batches.position / batches.n if batches else 0.0
            costs, norms = h.recorded()
            return Snapshot(
                steps=h.count,
                epoch=batches.epoch if batches else 0,
                epoch_fraction=fraction,
                examples_per_second=self._speed if self._running else 0.0,
                dropped=h.dropped,
                batch_costs=costs,
                grad_norms=norms,
                epochs=list(self._epochs),
                network=self._published,
                is_running=self._running,
                error=self._error,
                diverged=self._diverged,
            )

    # ---- controls (any thread) --------------------------------------------------------------

    def set_data(self, data: Mnist) -> None:
        with self._cond:
            self._data = data
            self._batches = ShuffledBatches(len(data.train_labels), seed=self._seed)

    def start(self) -> None:
        with self._cond:
            if self._data is None:
                return
            self._running, self._error, self._diverged = True, None, False
            self._cond.notify_all()

    def pause(self) -> None:
        with self._cond:
            self._running = False
            self._pending_steps = 0
            if not self._busy:  # between steps, so the network holds still for a copy
                self._publish_if_behind()

    def step(self) -> None:
        """Ask for exactly one more mini-batch; it runs on the worker."""
        with self._cond:
            if self._data is None or self._running:
                return
            self._pending_steps += 1
            self._error, self._diverged = None, False
            self._cond.notify_all()

    def reset(self, network: Network) -> None:
        """Pause and start over with `network` (new random weights, or new settings)."""
        with self._cond:
            self._running = False
            self._pending_steps = 0
            self._interrupted = True
            while self._busy:  # never swap the network under a running step
                self._cond.wait()
            self._install(network)
            self._interrupted = False

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until no step is running or requested (used by tests and scripts)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._busy or self._pending_steps or self._running:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def close(self) -> None:
        """Stop the worker and wait for it to finish its current step."""
        with self._cond:
            self._closed = True
            self._running = False
            self._interrupted = True
            self._cond.notify_all()
        self._worker.join()

    # ---- the worker -------------------------------------------------------------------------

    def _install(self, network: Network) -> None:
        self._network = network
        self._published = network.copy()
        self._published_at = time.monotonic()
        self._published_step = 0
        self._history = _History(len(network.weights))
        self._epochs: list[EpochResult] = []
        self._batches = (
            ShuffledBatches(len(self._data.train_labels), seed=self._seed) if self._data else None
        )
        self._speed = 0.0
        self._error, self._diverged = None, False
        self._rng = np.random.default_rng(self._seed)

    def _run(self) -> None:
        # One BLAS thread: the other core stays free for the GUI, whose event loop would
        # otherwise stall while OpenBLAS threads spin after every matrix product.
        with threadpool_limits(limits=1, user_api="blas"):
            while True:
                with self._cond:
                    while not self._closed and not (self._running or self._pending_steps):
                        self._cond.wait()
                    if self._closed:
                        return
                    if self._pending_steps:
                        self._pending_steps -= 1
                    self._busy = True
                    hyper = Hyperparameters(**vars(self.hyper))
                try:
                    self._train_one_batch(hyper)
                except Exception as e:  # a bug, or no memory: say so and keep the worker alive
                    log.exception("training step failed")
                    with self._cond:
                        self._running, self._pending_steps = False, 0
                        self._error = f"Training stopped: {_explain(e)}"
                finally:
                    with self._cond:
                        if not (self._running or self._pending_steps):
                            self._publish_if_behind()  # stopping: the newest weights for the GUI
                        self._busy = False
                        self._cond.notify_all()

    def _train_one_batch(self, hyper: Hyperparameters) -> None:
        data, batches, net = self._data, self._batches, self._network
        started = time.perf_counter()
        epoch_before = batches.epoch
        idx = batches.next(hyper.batch_size)
        images, y = data.train_images[idx], data.train_labels[idx]
        X = augment(images, self._rng) if hyper.augment else as_inputs(images, net.dtype)
        try:
            stats = net.train_step(X, y, hyper.lr, hyper.l2, hyper.momentum)
        except DivergedError as e:
            with self._cond:
                self._running, self._pending_steps = False, 0
                self._error = f"Training paused: {e}. The last good weights are kept."
                self._diverged = True
            return
        with self._cond:
            self._history.append(stats.cost, stats.grad_norms)
            self._measure_speed(len(idx), time.perf_counter() - started)
        if batches.epoch != epoch_before:
            result = self._evaluate(batches.epoch)
            if result is not None:
                with self._cond:
                    self._epochs.append(result)
        if time.monotonic() - self._published_at >= SNAPSHOT_INTERVAL_S:
            self._publish()

    def _publish(self) -> None:
        """Hand the GUI a copy of the current weights (safe to use while training goes on)."""
        copy, step = self._network.copy(), self._history.count
        with self._cond:
            self._published, self._published_at, self._published_step = (
                copy, time.monotonic(), step)

    def _publish_if_behind(self) -> None:
        """Publish unless the published copy already has the newest weights."""
        if self._published_step != self._history.count:
            self._publish()

    def _measure_speed(self, examples: int, seconds: float) -> None:
        # An exponential average over roughly the last hundred steps.
        current = examples / max(seconds, 1e-9)
        self._speed = current if self._speed == 0 else 0.99 * self._speed + 0.01 * current

    def _evaluate(self, epoch: int) -> EpochResult | None:
        """Score the network on the test set, a chunk at a time: a reset or a closing window
        waits for one chunk at most, not the whole set. None if interrupted."""
        images, labels = self._data.test_images, self._data.test_labels
        correct, total_cost, confusion = 0, 0.0, None
        for start in range(0, len(labels), CHUNK):
            if self._interrupted:
                return None
            part = evaluate(self._network, images[start : start + CHUNK],
                            labels[start : start + CHUNK])
            correct += int(np.trace(part.confusion))
            total_cost += part.cost * part.count
            confusion = part.confusion if confusion is None else confusion + part.confusion
        n = max(len(labels), 1)
        return EpochResult(epoch, self._history.count, total_cost / n, correct / n, confusion)


def _explain(error: Exception) -> str:
    """A failed step, in words for the user."""
    if isinstance(error, MemoryError):
        return "there is not enough memory for this network and batch size. Try smaller ones."
    return f"an unexpected error ({type(error).__name__}: {error})."
