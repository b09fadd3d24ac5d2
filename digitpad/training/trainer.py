"""Mini-batch SGD on a worker thread, with what it has done published for the GUI to read.

The loop itself is core.sgd's; the trainer runs it a step at a time, as fast as it can or at a
pace (slow motion: set_pace). The GUI thread never runs a training step. Controls reach the
worker through a few fields guarded by one condition variable and read between steps; results
come back as a Snapshot whose arrays are views into preallocated histories (written once, never
changed), so reading one costs the GUI almost nothing however fast the worker goes.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from threadpoolctl import threadpool_limits

from digitpad.core.diagnosis import EpochScore, Finding, RunHistory, diagnose, probe_inputs
from digitpad.core.errors import DataError, DivergedError
from digitpad.core.evaluation import Answers
from digitpad.core.network import Network
from digitpad.core.saved_session import RunRecord
from digitpad.core.settings import Settings
from digitpad.core.sgd import SGD, Epoch, Step, Synthesized

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from digitpad.core.mnist import Mnist
    from digitpad.core.samples import Samples

# How often the worker refreshes the weight copy the GUI predicts with.
SNAPSHOT_INTERVAL_S = 1 / 30
# How often the worker diagnoses the run while it trains (and whenever it stops): at most twice
# a second, and at most 2% of the worker's time. A diagnosis runs the probe digits through the
# network and reads the whole kept history: 2 ms for the video's network after 1,000 steps, but
# 50-100 ms after 2^17-2^18 steps (measured here), when it runs every 2.5-5 s instead.
DIAGNOSIS_INTERVAL_S = 0.5
DIAGNOSIS_SHARE = 0.02
# The newest steps whose cost and gradient norms are kept (at least this many, at most twice):
# the GUI reads new steps many times a second, long before they are dropped, and memory stays
# bounded however long training runs.
HISTORY_STEPS = 1 << 17

# What can stop training by itself (Failure.kind).
DIVERGED = "diverged"  # the cost became NaN or infinite; the last good weights are kept
OUT_OF_MEMORY = "out of memory"
NO_DATA = "no data"  # too few of my digits to train on (DataError's sentence is the detail)
UNEXPECTED = "unexpected"  # a bug: its type and text are in Failure.detail, the log has more

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """Why training stopped by itself: what went wrong, for the ui to put into words."""

    kind: str  # DIVERGED, OUT_OF_MEMORY or UNEXPECTED
    step: int  # the step that failed: steps done before it, plus one
    detail: str = ""  # DivergedError's explanation, or the unexpected error's type and text


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    step: int
    test_cost: float
    test_accuracy: float
    # (10, 10) int counts on the test set: row = true digit, column = the network's answer.
    # Left out of == and hash(): comparing arrays there would raise.
    confusion: np.ndarray | None = field(default=None, compare=False)
    mine_accuracy: float | None = None  # on my digits' held-out part (None: none held out)
    mine_count: int = 0  # held-out drawings measured
    # Each test digit's answer and how sure it was, behind the matrix's counts (about 90 KB):
    # kept for the newest epoch only.
    answers: Answers | None = field(default=None, compare=False)


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
    error: Failure | None  # why training stopped by itself
    findings: tuple[Finding, ...] = ()  # the run's diagnosis, most urgent first (core.diagnosis)
    # Like batch_costs, per kept step: the training digits and the seconds of training (pauses
    # and test-set scoring not counted) the run had used when that step ended. None in a
    # snapshot made by hand.
    examples_seen: np.ndarray | None = None  # (steps - dropped,) int64
    training_seconds: np.ndarray | None = None  # (steps - dropped,) float64
    settings: Settings | None = None  # the run's settings, with the newest step settings
    mine_held_out: int = 0  # held-out drawings of my digits, measured after every epoch
    # (made, total) while the digits in many hands of the training set are being made, before
    # the first step; None once they are there (or when none are asked for).
    synthesized: tuple[int, int] | None = None

    @property
    def diverged(self) -> bool:
        """The error is a diverging cost (a smaller learning rate helps)."""
        return self.error is not None and self.error.kind == DIVERGED


@dataclass
class _History:
    """Per-step records of the newest steps, in arrays that grow by doubling (appending is O(1))
    up to twice HISTORY_STEPS; then the older half is dropped."""

    layers: int
    costs: np.ndarray = field(init=False)
    norms: np.ndarray = field(init=False)
    examples: np.ndarray = field(init=False)  # training digits used by the end of each step
    seconds: np.ndarray = field(init=False)  # seconds spent in steps by the end of each step
    count: int = 0  # steps recorded in all
    dropped: int = 0  # of which the oldest are no longer kept
    total_examples: int = 0
    total_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.costs = np.empty(1024, dtype=np.float32)
        self.norms = np.empty((1024, self.layers), dtype=np.float32)
        self.examples = np.empty(1024, dtype=np.int64)
        self.seconds = np.empty(1024, dtype=np.float64)

    def append(self, cost: float, norms: list[float], examples: int, seconds: float) -> None:
        kept = self.count - self.dropped
        if kept == len(self.costs):
            # New arrays rather than a resize or a shift in place: views already handed out
            # keep pointing at the old ones, which stay valid and unchanged.
            # Doubled while short of the limit; then the older half makes way for new steps.
            half = 0 if len(self.costs) < 2 * HISTORY_STEPS else kept // 2
            for name in ("costs", "norms", "examples", "seconds"):
                old = getattr(self, name)
                room = np.empty_like(old[: half or kept])
                setattr(self, name, np.concatenate([old[half:], room]))
            self.dropped += half
            kept -= half
        self.total_examples += examples
        self.total_seconds += seconds
        self.costs[kept] = cost
        self.norms[kept] = norms
        self.examples[kept] = self.total_examples
        self.seconds[kept] = self.total_seconds
        self.count += 1

    @classmethod
    def restored(cls, history: RunHistory, batch: int) -> _History:
        """The records of a saved run (at most twice HISTORY_STEPS steps), to go on from. A
        history without examples and seconds (saved before they were kept) is taken to have
        used `batch` digits a step, and no measured time."""
        kept, layers = history.grad_norms.shape
        records = cls(layers)
        capacity = max(len(records.costs), 1 << max(kept - 1, 0).bit_length())
        records.costs = np.empty(capacity, dtype=np.float32)
        records.norms = np.empty((capacity, layers), dtype=np.float32)
        records.examples = np.empty(capacity, dtype=np.int64)
        records.seconds = np.empty(capacity, dtype=np.float64)
        records.costs[:kept], records.norms[:kept] = history.costs, history.grad_norms
        steps = np.arange(history.first_step, history.first_step + kept)
        records.examples[:kept] = (batch * steps if history.examples_seen is None
                                   else history.examples_seen)
        records.seconds[:kept] = (0.0 if history.training_seconds is None
                                  else history.training_seconds)
        if kept:
            records.total_examples = int(records.examples[kept - 1])
            records.total_seconds = float(records.seconds[kept - 1])
        records.dropped = history.first_step - 1
        records.count = records.dropped + kept
        return records

    def recorded(self) -> tuple[np.ndarray, np.ndarray]:
        """Views of the kept costs and gradient norms."""
        kept = self.count - self.dropped
        return self.costs[:kept], self.norms[:kept]

    def clock(self) -> tuple[np.ndarray, np.ndarray]:
        """Views of the kept running totals of examples and seconds."""
        kept = self.count - self.dropped
        return self.examples[:kept], self.seconds[:kept]


def _epoch_results(run: RunRecord) -> list[EpochResult]:
    """The epochs of a saved run as the trainer keeps them (the last with its confusion)."""
    epochs = run.history.epochs
    my_digits = run.my_digits or ((None, 0),) * len(epochs)
    return [EpochResult(n + 1, e.step, e.test_cost, e.test_accuracy,
                        run.confusion if n == len(epochs) - 1 else None, accuracy, count)
            for n, (e, (accuracy, count)) in enumerate(zip(epochs, my_digits))]


class Trainer:
    """Runs core.sgd's loop on a worker thread, a step at a time, as the controls ask."""

    def __init__(
        self,
        network: Network,
        data: Mnist | None = None,
        settings: Settings | None = None,
        seed: int = 0,
    ) -> None:
        self._settings = settings or Settings()
        self._seed = seed
        self._cond = threading.Condition()
        self._running = False
        self._pending_steps = 0
        self._busy = False
        self._closed = False
        self._pace: float | None = None  # steps a second at most while running (None: no limit)
        self._wait_until_seen = False  # each step waits until snapshot() handed out the last
        self._seen_step = 0  # the newest step whose weights snapshot() has handed out
        self._data: Mnist | None = None
        self._mine: tuple[Samples, Samples] | None = None
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
    def settings(self) -> Settings:
        """The settings of this run, with the newest step settings (see change_settings)."""
        with self._cond:
            return self._settings

    @property
    def steps(self) -> int:
        return self._history.count

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def is_running(self) -> bool:
        return self._running

    @property
    def has_data(self) -> bool:
        return self._data is not None

    @property
    def data(self) -> Mnist | None:
        return self._data

    @property
    def pace(self) -> float | None:
        """The most steps a second training takes (None: as many as it can)."""
        return self._pace

    def snapshot(self) -> Snapshot:
        with self._cond:
            if self._wait_until_seen and self._seen_step != self._published_step:
                self._seen_step = self._published_step
                self._cond.notify_all()  # the worker may be waiting for this step to be seen
            costs, norms = self._history.recorded()
            examples, seconds = self._history.clock()
            return Snapshot(
                steps=self._history.count,
                epoch=self._epoch,
                epoch_fraction=self._epoch_fraction,
                examples_per_second=self._speed if self._running else 0.0,
                dropped=self._history.dropped,
                batch_costs=costs,
                grad_norms=norms,
                epochs=list(self._epochs),
                network=self._published,
                is_running=self._running,
                error=self._error,
                findings=self._findings,
                examples_seen=examples,
                training_seconds=seconds,
                settings=self._settings,
                mine_held_out=0 if self._mine is None else len(self._mine[1].labels),
                synthesized=self._synthesized,
            )

    # ---- controls (any thread) --------------------------------------------------------------

    def set_data(self, data: Mnist) -> None:
        probe = probe_inputs(data.train_images)
        with self._cond:
            self._data, self._probe = data, probe
            self._start_loop()

    def set_my_digits(self, mine: tuple[Samples, Samples] | None) -> None:
        """My digits (to train on, held out), as MyDigits.split() gives them: trained on if the
        settings say so, the held-out part measured after every epoch. New drawings join at the
        start of the next epoch."""
        with self._cond:
            self._mine = mine
            if self._sgd is not None:
                self._sgd.mine = mine

    def change_settings(self, settings: Settings) -> None:
        """Train with the learning rate, batch size, augmentation and data of `settings` from the
        next step on. The other settings describe the whole run: they change with reset()."""
        with self._cond:
            self._settings = self._settings.with_step_settings_of(settings)

    def set_pace(self, steps_per_second: float | None, wait_until_seen: bool = False) -> None:
        """Take at most `steps_per_second` steps a second while running (None: full speed),
        from now on: a step already waited for is rescheduled. At a pace every step's weights
        are published with it; with `wait_until_seen` the next step also waits until snapshot()
        has handed them out, so a window that shows each snapshot shows every step. The worker
        waits on the condition, never busily: pause, Step, reset and close reach it at once."""
        if steps_per_second is not None and not steps_per_second > 0:
            raise ValueError(f"a pace is a positive number of steps a second: {steps_per_second}")
        with self._cond:
            self._pace = steps_per_second
            self._wait_until_seen = wait_until_seen and steps_per_second is not None
            self._seen_step = self._history.count  # the steps so far count as seen
            if steps_per_second is not None:
                self._next_step_at = self._last_step_at + 1 / steps_per_second
            self._cond.notify_all()

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
            if not self._busy:  # between steps, so the network holds still for a copy
                self._publish_if_behind()

    def step(self) -> None:
        """Ask for exactly one more mini-batch; it runs on the worker."""
        with self._cond:
            if self._data is None or self._running:
                return
            self._pending_steps += 1
            self._error = None
            self._cond.notify_all()

    def reset(self, network: Network, settings: Settings | None = None,
              run: RunRecord | None = None) -> None:
        """Pause and start over with `network` (new random weights, or new settings), and with
        `settings` if given. With `run`, go on with a saved run instead: its steps and epochs
        are this run's, and the next step follows them."""
        with self._cond:
            self._running = False
            self._pending_steps = 0
            self._interrupt()
            while self._busy:  # never swap the network under a running step
                self._cond.wait()
            if settings is not None:
                self._settings = settings
            self._install(network, run)

    def run_record(self) -> RunRecord:
        """This run as the plots show it: the kept steps' costs and gradient sizes (arrays
        never written again), every epoch's scores, the last epoch's confusion matrix."""
        with self._cond:
            costs, norms = self._history.recorded()
            examples, seconds = self._history.clock()
            epochs = [EpochScore(e.step, e.test_accuracy, e.test_cost) for e in self._epochs]
            confusion = self._epochs[-1].confusion if self._epochs else None
            my_digits = tuple((e.mine_accuracy, e.mine_count) for e in self._epochs)
            history = RunHistory(costs, norms, epochs, self._history.dropped + 1, examples,
                                 seconds)
            return RunRecord(history, confusion, my_digits)

    def adjust(self, change: Callable[[Network], T]) -> T:
        """Run change(network) on the trained network between two steps, training paused (a
        lesson on one example, its undo), and publish the result so every view follows.
        Raises RuntimeError while training runs."""
        with self._cond:
            if self._running:
                raise RuntimeError("pause training first")
            while self._busy or self._pending_steps:  # never change weights under a step
                self._cond.wait()
            # Under the lock: the worker cannot begin a step until the change is done.
            result = change(self._network)
            self._published, self._published_at = self._network.copy(), time.monotonic()
            self._published_step = self._history.count
            return result

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
            self._interrupt()
            self._cond.notify_all()
        self._worker.join()

    # ---- the worker -------------------------------------------------------------------------

    def _install(self, network: Network, run: RunRecord | None = None) -> None:
        self._network = network
        self._published = network.copy()
        self._published_at = time.monotonic()
        if run is None:
            self._history = _History(len(network.weights))
            self._epochs: list[EpochResult] = []
        else:
            self._history = _History.restored(run.history, self._settings.batch)
            self._epochs = _epoch_results(run)
        self._published_step = self._history.count
        self._epoch, self._epoch_fraction = len(self._epochs), 0.0
        self._speed = 0.0
        self._error: Failure | None = None
        self._findings: tuple[Finding, ...] = ()
        self._synthesized: tuple[int, int] | None = None
        self._diagnosis_due = time.monotonic() + DIAGNOSIS_INTERVAL_S
        self._last_step_at = self._next_step_at = -math.inf  # paced: the first step goes at once
        self._seen_step = self._history.count  # a restored run's steps count as seen
        self._start_loop()

    def _start_loop(self) -> None:
        """A new SGD loop for the network and data (none until there is data)."""
        # Numbered on from the steps and epochs done: a restored run goes on from its own.
        self._sgd = None if self._data is None else SGD(
            self._network, self._data, self._settings, self._seed, self._mine,
            steps_done=self._history.count, epochs_done=self._epoch)
        self._events: Iterator[Step | Epoch] | None = None if self._sgd is None else iter(self._sgd)

    def _interrupt(self) -> None:
        """Stop the loop's test-set scoring at the next chunk (reset and close wait for it)."""
        if self._sgd is not None:
            self._sgd.interrupt()

    def _run(self) -> None:
        # One BLAS thread: the other core stays free for the GUI, whose event loop would
        # otherwise stall while OpenBLAS threads spin after every matrix product.
        with threadpool_limits(limits=1, user_api="blas"):
            while True:
                with self._cond:
                    self._wait_for_next_step()
                    if self._closed:
                        return
                    paced = self._pace is not None and not self._pending_steps
                    self._busy = True
                    self._sgd.settings = self._settings
                    failed_step = self._history.count + 1
                stepped = False
                try:
                    stepped = self._advance()
                except Exception as e:
                    self._stop(failed_step, e)
                finally:
                    with self._cond:
                        if stepped and self._pending_steps:  # a chunk of digits is no step
                            self._pending_steps -= 1
                        elif stepped and paced and self._pace is not None:
                            self._schedule_next_step()
                        if not (self._running or self._pending_steps):
                            self._publish_if_behind()  # stopping: the newest weights for the GUI
                        self._busy = False
                        self._cond.notify_all()

    def _wait_for_next_step(self) -> None:
        """Under the lock: wait until closed, or a step is asked for (Step), or training runs
        and, at a pace, the next step is due and the last one has been seen if it must be."""
        while not self._closed and not self._pending_steps:
            if not self._running:
                self._cond.wait()
            elif self._pace is None:  # full speed: not even a look at the clock
                return
            elif self._wait_until_seen and self._seen_step < self._history.count:
                # A step begun at full speed, just before the pace was set, has no copy yet:
                # snapshot() could never hand it out, and this wait would never end.
                self._publish_if_behind()
                self._cond.wait()  # snapshot() wakes us
            else:
                wait = self._next_step_at - time.monotonic()
                if wait <= 0:
                    return
                self._cond.wait(wait)  # a control (pause, a new pace, close) wakes us earlier

    def _schedule_next_step(self) -> None:
        """Under the lock, as a paced step ends: when the next one is due. On a fixed clock (one
        period after this one was due), so waking up late does not add up; but a step that ends
        more than a period late (after a pause, or a slow step) starts the clock anew."""
        now, period = time.monotonic(), 1 / self._pace
        late = now - self._next_step_at
        self._last_step_at = now
        self._next_step_at = (self._next_step_at if late < period else now) + period

    def _advance(self) -> bool:
        """One step of the loop, and the test set's score when the step ends an epoch; or,
        before the first step, a chunk of the training set's digits in many hands. True if a
        step was made."""
        step = next(self._events, None)  # None: a reset or close interrupted the loop
        if not isinstance(step, Step):
            if isinstance(step, Synthesized):
                with self._cond:
                    self._synthesized = (step.made, step.total)
            return False
        # In slow motion every step's weights are published with its record, so that a
        # snapshot never shows the new step's cost beside the weights of the step before.
        copy = None if self._pace is None else self._network.copy()
        with self._cond:
            self._synthesized = None
            if copy is not None:
                self._published, self._published_at = copy, time.monotonic()
                self._published_step = self._history.count + 1
            self._history.append(step.cost, step.grad_norms, step.examples, step.seconds)
            self._epoch = step.epoch if step.ends_epoch else step.epoch - 1  # completed ones
            self._epoch_fraction = 0.0 if step.ends_epoch else step.done / step.total
            self._measure_speed(step.examples, step.seconds)
        if step.ends_epoch:
            scored = next(self._events, None)  # None if a reset or close interrupted it
            if scored is not None:
                test, mine = scored.test, scored.mine
                result = EpochResult(scored.epoch, scored.step, test.cost, test.accuracy,
                                     test.confusion, None if mine is None else mine.accuracy,
                                     0 if mine is None else mine.count, test.answers)
                with self._cond:
                    if self._epochs:  # memory stays bounded: older epochs keep their counts
                        self._epochs[-1] = replace(self._epochs[-1], answers=None)
                    self._epochs.append(result)
        stopping = not (self._running or self._pending_steps)  # paused, or a single step
        if stopping or time.monotonic() >= self._diagnosis_due:
            self._diagnose()
        if time.monotonic() - self._published_at >= SNAPSHOT_INTERVAL_S:
            self._publish()
        return True

    def _diagnose(self) -> None:
        """Diagnose the run so far (on the worker, between steps: the network holds still)."""
        history = self.run_record().history  # views that are never written again
        settings = self.settings
        started = time.monotonic()
        try:
            findings = tuple(diagnose(self._network, history, self._probe, settings))
        except Exception:  # a bug in the diagnosis must never stop training
            log.exception("diagnosing the run failed")
            findings = ()
        took = time.monotonic() - started
        with self._cond:
            self._findings = findings
            self._diagnosis_due = started + max(DIAGNOSIS_INTERVAL_S, took / DIAGNOSIS_SHARE)

    def _stop(self, step: int, error: Exception) -> None:
        """A step failed: stop training, say what went wrong, and keep the worker alive. The
        loop goes on from the next mini-batch when asked again."""
        if isinstance(error, DivergedError):
            failure = Failure(DIVERGED, step, str(error))
        elif isinstance(error, MemoryError):
            failure = Failure(OUT_OF_MEMORY, step)
        elif isinstance(error, DataError):
            failure = Failure(NO_DATA, step, str(error))
        else:  # a bug
            log.error("training step %d failed", step, exc_info=error)
            failure = Failure(UNEXPECTED, step, f"{type(error).__name__}: {error}")
        with self._cond:
            self._running, self._pending_steps = False, 0
            self._error = failure
            self._events = iter(self._sgd)

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
