"""A saved session: the network being trained, its settings and its run's history, kept from
one start of the app to the next.

    save_session(path, SavedSession(network, settings, story, RunRecord(history, confusion)))
    session = load_session(path)        # SessionError, with the reason, if it cannot be used

One .npz archive, written atomically like a model file and laid out like one (the network's
arrays, checked the same way on reading, and its momentum), plus what the plots show: every
kept step's cost and gradient size per layer, each epoch's test score and score on my digits,
and the last epoch's confusion matrix. The app's trainer keeps at most MAX_STEPS steps, so the
history stays within a few megabytes (8 MB at most) and is written in a blink on quit.

Everything read is checked before it is trusted: array by array, within a size known before
anything is decompressed, with no pickle. A file that fails is the caller's to set aside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core import storage
from digitpad.core.diagnosis import EpochScore, RunHistory
from digitpad.core.digit_model import check_digit_sizes
from digitpad.core.errors import DigitpadError, ModelFileError, SettingsError
from digitpad.core.model_story import (
    MAX_STORY_BYTES,
    STORY_MEMBER,
    ModelStory,
    learning_settings,
    learning_settings_json,
    settings_from_json,
    settings_json,
)
from digitpad.core.network import Network
from digitpad.core.paths import shown
from digitpad.core.settings import Settings

VERSION = 1
MAX_STEPS = 1 << 18  # the trainer keeps at most this many steps (twice its HISTORY_STEPS)
MAX_EPOCHS = 1 << 20  # a million epochs: years of training the smallest network
MAX_EARLIER = 8  # earlier runs the cost plot keeps (ui.earlier_runs.MAX_RUNS)
MAX_TREND_POINTS = 4096  # points per earlier run (the plot keeps 1,024)
MAX_RUN_SETTINGS = 256  # changes of settings kept per earlier run (the first and the newest)
SETTINGS_BYTES = 4096  # one run's settings as text: a few hundred characters of 4 bytes each
HEADER = 128  # an .npy header's bytes, at most, for the arrays here


class SessionError(DigitpadError):
    """A saved session that cannot be read or used."""


@dataclass(frozen=True)
class RunRecord:
    """A run as the plots show it."""

    history: RunHistory  # the kept steps' costs and gradient sizes, and every epoch's test score
    confusion: np.ndarray | None = None  # (10, 10): the last epoch's, on the test set
    # Per epoch: the accuracy on my digits' held-out part (None: none held out) and how many
    # drawings that was. Empty: none measured (or a run from before my digits were measured).
    my_digits: tuple[tuple[float | None, int], ...] = ()

    @property
    def steps(self) -> int:
        """Steps done in this run, dropped ones included."""
        return self.history.last_step


@dataclass(frozen=True)
class EarlierTrend:
    """An earlier run of the session as the cost plot keeps it beside the current one: the
    settings it trained with (oldest first) and its moving average, thinned."""

    settings: tuple[Settings, ...]
    steps: np.ndarray  # (n,): the step each point stands for
    columns: np.ndarray  # (n, 3): the cost, examples seen and seconds at that point


@dataclass(frozen=True)
class SavedSession:
    network: Network  # with its momentum (network.velocity), if it has one
    settings: Settings  # of the run, the shape the network's
    story: ModelStory  # what the network went through before this run (its model file's story)
    run: RunRecord
    earlier: tuple[EarlierTrend, ...] = ()  # the runs before it on the cost plot, oldest first

    @property
    def steps(self) -> int:
        return self.run.steps


def save_session(path: str | Path, session: SavedSession) -> None:
    """Write `session` to `path` atomically; ModelFileError with the reason if it cannot be
    (a full disk, a read-only folder, a symbolic link there), the old file then unchanged."""
    run, network = session.run, session.network
    history = run.history
    epochs = history.epochs
    my_digits = run.my_digits or ((None, 0),) * len(epochs)
    arrays = {
        "session_version": np.array(VERSION),
        STORY_MEMBER: session.story.as_array(),
        "settings": np.array(json.dumps(learning_settings_json(session.settings))),
        "costs": np.asarray(history.costs, dtype=np.float32),
        "grad_norms": np.asarray(history.grad_norms, dtype=np.float32),
        "first_step": np.array(history.first_step),
        "epoch_steps": np.array([e.step for e in epochs], dtype=np.int64),
        "test_accuracies": np.array([e.test_accuracy for e in epochs], dtype=np.float64),
        "test_costs": np.array([e.test_cost for e in epochs], dtype=np.float64),
        # NaN: no held-out drawings were measured after that epoch.
        "my_digits_accuracies": np.array([np.nan if a is None else a for a, _ in my_digits],
                                         dtype=np.float64),
        "my_digits_counts": np.array([n for _, n in my_digits], dtype=np.int64),
    }
    if history.examples_seen is not None and history.training_seconds is not None:
        arrays["examples_seen"] = np.asarray(history.examples_seen, dtype=np.int64)
        arrays["training_seconds"] = np.asarray(history.training_seconds, dtype=np.float64)
    if run.confusion is not None:
        arrays["confusion"] = np.asarray(run.confusion, dtype=np.int64)
    for i, v in enumerate(network.velocity or []):
        arrays[f"velocity{i}"] = v
    arrays["earlier_runs"] = np.array(len(session.earlier))
    for i, trend in enumerate(session.earlier):
        kept = trend.settings[:1] + trend.settings[1:][-(MAX_RUN_SETTINGS - 1):]
        arrays[f"earlier{i}_settings"] = np.array(json.dumps([settings_json(s) for s in kept]))
        arrays[f"earlier{i}_steps"] = np.asarray(trend.steps, dtype=np.float64)
        arrays[f"earlier{i}_columns"] = np.asarray(trend.columns, dtype=np.float64)
    network.save(path, extra=arrays)


def load_session(path: str | Path) -> SavedSession:
    """The session saved at `path`; SessionError, saying why, if it cannot be used."""
    try:
        with storage.NpzReader(path) as arrays:
            return _read(arrays, path)
    except ModelFileError as e:  # its message names the file
        raise SessionError(f"the saved session cannot be used: {e}") from None
    except (KeyError, ValueError, TypeError, SettingsError, RecursionError) as e:
        # RecursionError: JSON nested thousands deep. KeyError: an array missing.
        reason = f"its {e.args[0]} is missing" if isinstance(e, KeyError) else str(e)
        raise SessionError(f"the saved session {shown(path)} cannot be used: {reason}") from None


def _read(arrays: storage.NpzReader, path: str | Path) -> SavedSession:
    version = _scalar(arrays, "session_version", "iu")
    if version != VERSION:
        raise ValueError(f"it is version {version}, made by a newer digitpad"
                         if version > VERSION else f"its version {version} is unknown")
    network = Network.from_arrays(arrays, path, lambda sizes: check_digit_sizes(sizes, path))
    settings = learning_settings(json.loads(_text(arrays, "settings")), network)
    if settings is None:
        raise ValueError("its settings are missing")
    story = ModelStory.from_array(_checked(arrays, STORY_MEMBER, MAX_STORY_BYTES), network)
    network.velocity = _velocity(arrays, network)
    history = _history(arrays, len(network.weights))
    confusion = None
    if "confusion" in arrays and history.epochs:
        confusion = _checked(arrays, "confusion", 100 * 8 + HEADER)
        classes = network.sizes[-1]
        if (confusion.shape != (classes, classes) or confusion.dtype.kind not in "iu"
                or (confusion < 0).any()):
            raise ValueError("its confusion matrix is not one")
    run = RunRecord(history, confusion, _my_digits(arrays, len(history.epochs)))
    return SavedSession(network, settings, story, run, _earlier(arrays))


def _earlier(arrays: storage.NpzReader) -> tuple[EarlierTrend, ...]:
    """The earlier runs on the cost plot; none in a session saved without them."""
    if "earlier_runs" not in arrays:
        return ()
    count = _scalar(arrays, "earlier_runs", "iu")
    if not 0 <= count <= MAX_EARLIER:
        raise ValueError(f"it claims {count} earlier runs")
    return tuple(_trend(arrays, i) for i in range(count))


def _trend(arrays: storage.NpzReader, i: int) -> EarlierTrend:
    settings = json.loads(_text(arrays, f"earlier{i}_settings", MAX_RUN_SETTINGS * SETTINGS_BYTES))
    if not (isinstance(settings, list) and 1 <= len(settings) <= MAX_RUN_SETTINGS):
        raise ValueError(f"the settings of its earlier run {i + 1} are not a list of settings")
    steps = _checked(arrays, f"earlier{i}_steps", MAX_TREND_POINTS * 8 + HEADER)
    columns = _checked(arrays, f"earlier{i}_columns", MAX_TREND_POINTS * 3 * 8 + HEADER)
    if not (steps.ndim == 1 and steps.dtype.kind == "f" and columns.shape == (len(steps), 3)
            and columns.dtype.kind == "f" and np.isfinite(steps).all()
            and np.isfinite(columns).all() and (np.diff(steps) > 0).all()):
        raise ValueError(f"its earlier run {i + 1} is not a curve of the cost")
    return EarlierTrend(tuple(settings_from_json(s) for s in settings), steps, columns)


def _history(arrays: storage.NpzReader, layers: int) -> RunHistory:
    costs = _checked(arrays, "costs", MAX_STEPS * 4 + HEADER)
    norms = _checked(arrays, "grad_norms", MAX_STEPS * layers * 4 + HEADER)
    if costs.ndim != 1 or costs.dtype != np.float32 or len(costs) > MAX_STEPS:
        raise ValueError(f"its costs are not a list of at most {MAX_STEPS} float32 numbers")
    if norms.shape != (len(costs), layers) or norms.dtype != np.float32:
        raise ValueError(f"its gradient sizes are not {len(costs)} steps of {layers} layers")
    # The plots join every point to the next and take logarithms of the gradient sizes.
    if not (np.isfinite(costs).all() and np.isfinite(norms).all() and (norms >= 0).all()):
        raise ValueError("its history holds numbers no training step makes (NaN, infinite, "
                         "a negative gradient size)")
    first_step = _scalar(arrays, "first_step", "iu")
    if first_step < 1:
        raise ValueError(f"its first step is {first_step}")
    last_step = first_step + len(costs) - 1
    per_epoch = MAX_EPOCHS * 8 + HEADER
    steps = _checked(arrays, "epoch_steps", per_epoch)
    accuracies = _checked(arrays, "test_accuracies", per_epoch)
    test_costs = _checked(arrays, "test_costs", per_epoch)
    if not (steps.ndim == 1 and steps.dtype.kind in "iu"
            and accuracies.shape == test_costs.shape == steps.shape
            and accuracies.dtype.kind == test_costs.dtype.kind == "f"):
        raise ValueError("its test scores are not one per epoch")
    if len(steps) and (steps.min() < 1 or steps.max() > last_step or (np.diff(steps) <= 0).any()):
        raise ValueError("its epochs do not end at steps of the run, in order")
    if not ((accuracies >= 0) & (accuracies <= 1)).all() or not (test_costs >= 0).all():
        raise ValueError("its test scores are not accuracies and costs")
    epochs = [EpochScore(int(s), float(a), float(c))
              for s, a, c in zip(steps, accuracies, test_costs)]
    return RunHistory(costs, norms, epochs, int(first_step), *_clock(arrays, len(costs)))


def _clock(arrays: storage.NpzReader, steps: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The examples seen and seconds of training by each kept step; None, None in a session
    saved without them."""
    if "examples_seen" not in arrays and "training_seconds" not in arrays:
        return None, None
    examples = _checked(arrays, "examples_seen", MAX_STEPS * 8 + HEADER)
    seconds = _checked(arrays, "training_seconds", MAX_STEPS * 8 + HEADER)
    if not (examples.shape == seconds.shape == (steps,) and examples.dtype.kind in "iu"
            and seconds.dtype.kind == "f"):
        raise ValueError(f"its examples seen and seconds are not {steps} running totals")
    # Running totals: never negative, never falling (the plot's x axis goes forward).
    if not (np.isfinite(seconds).all() and (examples >= 0).all() and (seconds >= 0).all()
            and (np.diff(examples) >= 0).all() and (np.diff(seconds) >= 0).all()):
        raise ValueError("its examples seen and seconds are not running totals")
    return examples, seconds


def _my_digits(arrays: storage.NpzReader, epochs: int) -> tuple[tuple[float | None, int], ...]:
    """Each epoch's accuracy on my digits' held-out part (None: not measured), and how many."""
    accuracies = _checked(arrays, "my_digits_accuracies", epochs * 8 + HEADER)
    counts = _checked(arrays, "my_digits_counts", epochs * 8 + HEADER)
    if not (accuracies.shape == counts.shape == (epochs,) and accuracies.dtype.kind == "f"
            and counts.dtype.kind in "iu"):
        raise ValueError("its scores on my digits are not one per epoch")
    measured = ~np.isnan(accuracies)
    if not (((accuracies[measured] >= 0) & (accuracies[measured] <= 1)).all()
            and (counts >= 0).all() and (counts[measured] > 0).all()):
        raise ValueError("its scores on my digits are not accuracies and counts")
    return tuple((float(a) if m else None, int(n))
                 for a, m, n in zip(accuracies, measured, counts))


def _velocity(arrays: storage.NpzReader, network: Network) -> list[np.ndarray] | None:
    """The momentum of every weight and bias (in that order), or None if it has none yet."""
    params = network.weights + network.biases
    if "velocity0" not in arrays:
        return None
    velocity = []
    for i, p in enumerate(params):
        v = _checked(arrays, f"velocity{i}", p.nbytes + HEADER)
        if v.shape != p.shape or v.dtype != p.dtype or not np.isfinite(v).all():
            raise ValueError(f"its momentum {i} does not fit the network")
        velocity.append(v)
    return velocity


def _checked(arrays: storage.NpzReader, name: str, max_bytes: int) -> np.ndarray:
    """The array `name`, refused before it is read if the archive says it is larger than
    `max_bytes`: a small file cannot make digitpad allocate gigabytes."""
    if name in arrays and arrays.nbytes(name) > max_bytes:
        raise ValueError(f"its {name} is larger than a session's ever is")
    return arrays[name]


def _scalar(arrays: storage.NpzReader, name: str, kinds: str) -> int:
    value = _checked(arrays, name, HEADER + 8)
    if value.shape != () or value.dtype.kind not in kinds:
        raise ValueError(f"its {name} is not a whole number")
    return int(value)


def _text(arrays: storage.NpzReader, name: str, max_bytes: int = SETTINGS_BYTES) -> str:
    value = _checked(arrays, name, max_bytes)
    if value.shape != () or value.dtype.kind != "U":
        raise ValueError(f"its {name} is not a text")
    return str(value)
