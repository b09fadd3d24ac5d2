"""A model's story: how the network in a model file learned, and how well it did.

From model format 2 on, a file keeps beside the weights the learning settings the network was
trained with (learning rate, batch size, momentum, L2, augmentation, …), how many epochs and
steps it trained, its score on MNIST's test set and on the held-out part of my digits, and when
it was saved. Opening a model brings its settings back too: the accurate preset's network,
trained at learning rate 0.2, is not continued at the video's 3, which drives its cost to 10¹²
within a few hundred steps.

The story is one JSON text in the archive (the member "story", a plain string array: np.load
reads it, no pickle). A newer digitpad may add to it: unknown keys are ignored, and everything
read is checked like any other file. Format-1 files have no story: what they went through is
not known.
"""

from __future__ import annotations

import json
import operator
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone

import numpy as np

from digitpad.core.network import Network
from digitpad.core.settings import Settings

STORY_MEMBER = "story"  # its name in the .npz archive
MAX_STORY_BYTES = 64 * 1024  # a few hundred bytes in practice: more is not a story of ours
# The network's shape is the network's own (its sizes, activation, output, cost): the story keeps
# the settings of how it learns.
SHAPE_SETTINGS = ("hidden", "activation", "output", "cost")
LEARNING_SETTINGS = tuple(f.name for f in fields(Settings) if f.name not in SHAPE_SETTINGS)


@dataclass(frozen=True)
class ModelStory:
    """What a network went through. None means "not known" (a format-1 file says nothing)."""

    settings: Settings | None = None  # the settings it was trained with, its shape included
    epochs: int | None = None  # epochs trained in all
    steps: int | None = None  # mini-batch steps trained in all
    test_accuracy: float | None = None  # on MNIST's test set, after its last epoch
    my_digits_accuracy: float | None = None  # on the held-out part of my digits
    saved_at: datetime | None = None  # when the file was written (UTC)

    def continued(self, settings: Settings, epochs: int, steps: int,
                  test_accuracy: float | None = None,
                  my_digits_accuracy: float | None = None) -> ModelStory:
        """This story after `epochs` more epochs (`steps` more steps) with `settings`. Scores
        measured since replace the old ones; after any step, unmeasured ones are not known."""
        trained = steps > 0

        def score(new: float | None, old: float | None) -> float | None:
            return new if new is not None or trained else old

        return ModelStory(
            settings=settings,
            epochs=None if self.epochs is None else self.epochs + epochs,
            steps=None if self.steps is None else self.steps + steps,
            test_accuracy=score(test_accuracy, self.test_accuracy),
            my_digits_accuracy=score(my_digits_accuracy, self.my_digits_accuracy),
            saved_at=self.saved_at)

    def saved_now(self) -> ModelStory:
        """This story, dated now (to be written into a file)."""
        return replace(self, saved_at=datetime.now(timezone.utc).replace(microsecond=0))

    # ---- in a file --------------------------------------------------------------------------

    def as_json(self) -> dict:
        """The story as JSON values: the learning settings by name, the date as ISO 8601."""
        learning = None if self.settings is None else learning_settings_json(self.settings)
        data = {k: v for k, v in asdict(self).items() if k not in ("settings", "saved_at")}
        return {"settings": learning, **data,
                "saved_at": None if self.saved_at is None else self.saved_at.isoformat()}

    def as_array(self) -> np.ndarray:
        """The array a model file keeps the story in."""
        return np.array(json.dumps(self.as_json(), ensure_ascii=False))

    @classmethod
    def from_array(cls, array: np.ndarray, network: Network) -> ModelStory:
        """The story kept in `array`, of a file holding `network`; ValueError if it is not one."""
        if array.shape != () or array.dtype.kind != "U":
            raise ValueError("its story is not a text")
        try:
            data = json.loads(str(array))
        except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
            raise ValueError("its story is not valid JSON") from None
        if not isinstance(data, dict):
            raise ValueError("its story is not a JSON object")
        settings = learning_settings(data.get("settings"), network)
        return cls(settings=settings,
                   epochs=_count(data, "epochs"),
                   steps=_count(data, "steps"),
                   test_accuracy=_share(data, "test_accuracy"),
                   my_digits_accuracy=_share(data, "my_digits_accuracy"),
                   saved_at=_date(data.get("saved_at")))

    # ---- in words ---------------------------------------------------------------------------

    def described(self) -> list[tuple[str, str]]:
        """(what, how) pairs for people: the preview before opening, `digitpad eval`."""
        unknown = "not known"
        rows = [("learning settings",
                 unknown if self.settings is None else learning_words(self.settings))]
        if self.epochs is None:
            trained = unknown
        else:
            trained = f"{self.epochs:,} epoch{'s' * (self.epochs != 1)}"
            if self.steps is not None:
                trained += f" ({self.steps:,} steps)"
        rows.append(("trained", trained))
        rows.append(("test accuracy", _percent(self.test_accuracy, "not measured")))
        rows.append(("on my digits", _percent(self.my_digits_accuracy, "not measured")))
        rows.append(("saved", unknown if self.saved_at is None
                     else self.saved_at.strftime("%Y-%m-%d %H:%M UTC")))
        return rows


NEW_NETWORK = ModelStory(epochs=0, steps=0)
"""The story of fresh random weights: nothing trained yet."""

UNKNOWN = ModelStory()
"""The story of a format-1 file: nothing about it is known."""


def learning_words(settings: Settings) -> str:
    """'learning rate 0.2 (cosine), batch 200, momentum 0.9, L2 0.05, augmentation on, …'."""
    words = [f"learning rate {settings.lr:g}" + (
        f" ({settings.schedule} over {settings.epochs} epochs)"
        if settings.schedule != "constant" else ""),
        f"batch {settings.batch}", f"momentum {settings.momentum:g}", f"L2 {settings.l2:g}",
        f"augmentation {'on' if settings.augment else 'off'}"]
    if settings.synthetic:
        words.append(f"{settings.synthetic:.0%} synthesized digits")
    return ", ".join(words)


def _percent(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:.2%}"


# ---- checking what a file says ----------------------------------------------------------------


def learning_settings_json(settings: Settings) -> dict:
    """The settings of how a network learns, by name (its shape is the network's own)."""
    return {name: getattr(settings, name) for name in LEARNING_SETTINGS}


def learning_settings(data: object, network: Network) -> Settings | None:
    """The settings learning_settings_json() made, for `network`: checked like any Settings
    (SettingsError), and ValueError for what is not a setting at all. None for None."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("its learning settings are not a JSON object")
    known = {name: data[name] for name in LEARNING_SETTINGS if name in data}
    for name, value in known.items():
        if _kind(value) != _kind(getattr(Settings, name)):
            raise ValueError(f"its learning setting {name} is {str(value)[:40]!r}")
    # SettingsError (a bad value: a batch of 0, a NaN rate) names the setting.
    return Settings(**known).with_network_of(network)


def _kind(value: object) -> str:
    """JSON has one kind of number: 1 for a rate is fine (and 0.5 for a count is refused by
    Settings); true is a number to Python, but not a rate."""
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def _count(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    try:
        count = operator.index(value)
    except TypeError:
        raise ValueError(f"its {name} is {value!r}, not a whole number") from None
    if isinstance(value, bool) or count < 0:
        raise ValueError(f"its {name} is {value!r}, not a whole number")
    return count


def _share(data: dict, name: str) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            0.0 <= value <= 1.0):  # also refuses NaN
        raise ValueError(f"its {name} is {value!r}, not a share between 0 and 1")
    return float(value)


def _date(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) > 64:
            raise ValueError
        date = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"its date {str(value)[:64]!r} is not a date") from None
    return date if date.tzinfo else date.replace(tzinfo=timezone.utc)

