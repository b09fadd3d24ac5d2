"""Mini-batch SGD on a worker thread, with what it has done published for the GUI to read.

The GUI thread never runs a training step. Controls reach the worker through a few fields
guarded by one condition variable and read between steps; results come back as a Snapshot
whose arrays are views into preallocated histories (written once, never changed), so reading
one costs the GUI almost nothing however fast the worker goes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits

from digitpad.core.augment import augment
from digitpad.core.batches import ShuffledBatches
from digitpad.core.errors import DivergedError
from digitpad.core.evaluation import evaluate
from digitpad.core.mnist import as_inputs
from digitpad.core.network import Network

if TYPE_CHECKING:
    from digitpad.core.mnist import Mnist

# How often the worker refreshes the weight copy the GUI predicts with.
SNAPSHOT_INTERVAL_S = 1 / 30


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


@dataclass(frozen=True)
class Snapshot:
    steps: int
    epoch: int
    epoch_fraction: float
    examples_per_second: float
    batch_costs: np.ndarray  # (steps,)
    grad_norms: np.ndarray  # (steps, layers)
    epochs: list[EpochResult]
    network: Network  # a recent copy of the weights, safe to use on any thread
    is_running: bool
    error: str | None


@dataclass
class _History:
    """Per-step records in arrays that grow by doubling, so appending is O(1)."""

    layers: int
    costs: np.ndarray = field(init=False)
    norms: np.ndarray = field(init=False)
    count: int = 0

    def __post_init__(self) -> None:
        self.costs = np.empty(1024, dtype=np.float32)
        self.norms = np.empty((1024, self.layers), dtype=np.float32)

    def append(self, cost: float, norms: list[float]) -> None:
        if self.count == len(self.costs):
            # Make new, bigger arrays rather than resizing: views already handed out keep
            # pointing at the old ones, which stay valid.
            self.costs = np.concatenate([self.costs, np.empty_like(self.costs)])
            self.norms = np.concatenate([self.norms, np.empty_like(self.norms)])
        self.costs[self.count] = cost
        self.norms[self.count] = norms
        self.count += 1


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
            return Snapshot(
                steps=h.count,
                epoch=batches.epoch if batches else 0,
                epoch_fraction=fraction,
                examples_per_second=self._speed if self._running else 0.0,
                batch_costs=h.costs[: h.count],
                grad_norms=h.norms[: h.count],
                epochs=list(self._epochs),
                network=self._published,
                is_running=self._running,
                error=self._error,
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
            self._running, self._error = True, None
            self._cond.notify_all()

    def pause(self) -> None:
        with self._cond:
            self._running = False
            self._pending_steps = 0

    def step(self) -> None:
        """Ask for exactly one more mini-batch; it runs on the worker."""
        with self._cond:
            if self._data is None or self._running:
                return
            self._pending_steps += 1
            self._error = None
            self._cond.notify_all()

    def reset(self, network: Network) -> None:
        """Pause and start over with `network` (new random weights, or new settings)."""
        with self._cond:
            self._running = False
            self._pending_steps = 0
            while self._busy:  # never swap the network under a running step
                self._cond.wait()
            self._install(network)

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
            self._cond.notify_all()
        self._worker.join()

    # ---- the worker -------------------------------------------------------------------------

    def _install(self, network: Network) -> None:
        self._network = network
        self._published = network.copy()
        self._published_at = time.monotonic()
        self._history = _History(len(network.weights))
        self._epochs: list[EpochResult] = []
        self._batches = (
            ShuffledBatches(len(self._data.train_labels), seed=self._seed) if self._data else None
        )
        self._speed = 0.0
        self._error = None
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
                finally:
                    with self._cond:
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
            return
        with self._cond:
            self._history.append(stats.cost, stats.grad_norms)
            self._measure_speed(len(idx), time.perf_counter() - started)
        if batches.epoch != epoch_before:
            result = self._evaluate(batches.epoch)
            with self._cond:
                self._epochs.append(result)
        now = time.monotonic()
        if now - self._published_at >= SNAPSHOT_INTERVAL_S or not self._running:
            copy = net.copy()
            with self._cond:
                self._published, self._published_at = copy, now

    def _measure_speed(self, examples: int, seconds: float) -> None:
        # An exponential average over roughly the last hundred steps.
        current = examples / max(seconds, 1e-9)
        self._speed = current if self._speed == 0 else 0.99 * self._speed + 0.01 * current

    def _evaluate(self, epoch: int) -> EpochResult:
        data = self._data
        result = evaluate(self._network, data.test_images, data.test_labels)
        return EpochResult(epoch, self._history.count, result.cost, result.accuracy)
