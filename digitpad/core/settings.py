"""The settings of a training run: the network to build and how to train it, as one value.

    settings = Settings(hidden=(16, 16), lr=0.5)        # refused at once if it cannot work
    faster = dataclasses.replace(settings, batch=20)    # a changed copy, checked the same way
    network = settings.new_network(seed=0)

Everything that trains speaks this one type: `digitpad train` builds its options from it, the
app's training panel emits it, the trainer runs with it, presets are instances of it. It knows
which values can work (a SettingsError names the setting otherwise, NaN and inf included) and
reads the hidden layers people type ('16, 16', '16,16', 'none').

Plain Python, no NumPy: `digitpad --help` builds its options from here and answers at once.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, NamedTuple

from digitpad.core.errors import SettingsError

if TYPE_CHECKING:
    from digitpad.core.network import Network

INPUTS, OUTPUT_NEURONS = 784, 10  # 28×28 pixels in, one output per digit

# The names of the choices; core.activations and core.costs hold the functions behind them
# (a test checks that the two agree).
ACTIVATIONS = ("sigmoid", "relu", "tanh")
OUTPUTS = ("softmax", "sigmoid")
COSTS = ("cross_entropy", "quadratic")
SCHEDULES = ("constant", "cosine")
TRAIN_ON = ("mnist", "mine", "both")
"""What a run trains on: MNIST (with the synthesized share), my digits, or both."""

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 4096  # per hidden layer

STEP_SETTINGS = ("lr", "batch", "augment", "train_on", "mine_repeats")
"""The settings that may change between two steps of a run (the app applies them at once: a
new choice of data starts the epoch under way over, on the new training set).
The others describe the whole run, the network's shape among them: they apply when it starts
over. `epochs` and `schedule` describe a run of known length (`digitpad train`); the app's runs
go on until paused, at the learning rate shown."""


class Limits(NamedTuple):
    """The values a number may take: low to high, each end included unless it is 'open'."""

    low: float
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def allows(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below  # both False for NaN

    def __str__(self) -> str:
        words = f"greater than {self.low:g}" if self.low_open else f"at least {self.low:g}"
        if self.high < math.inf:
            words += " and below" if self.high_open else " and at most"
            words += f" {self.high:g}"
        return words


class About(NamedTuple):
    """What people are told about a setting, and the values it may take."""

    label: str  # its name in sentences: "learning rate"
    help: str  # one line, for --help
    limits: Limits | None = None  # for numbers
    choices: tuple[str, ...] | None = None  # for names
    metavar: str | None = None  # for --help: --lr F


def _setting(default, about: About):  # noqa: ANN001, ANN202
    return field(default=default, metadata={"about": about})


@dataclass(frozen=True)
class Settings:
    """Everything a training run needs besides the data itself and a seed. Frozen: change a
    copy (dataclasses.replace), which is checked like a new one.

    Which data a run trains on (train_on, mine_repeats) is a setting too, as the share of
    synthesized digits is: it is remembered, saved and changed like the learning rate, while
    the digits themselves (MNIST's, my drawings) are handed to the training loop."""

    hidden: tuple[int, ...] = _setting((16, 16), About(
        "hidden layers", f"hidden layer sizes, e.g. 16,16 (none: no hidden layer; at most "
        f"{MAX_HIDDEN_LAYERS} layers of {MAX_NEURONS})",
        metavar="SIZES"))
    activation: str = _setting("sigmoid", About(
        "activation", "of the hidden layers", choices=ACTIVATIONS))
    output: str = _setting("softmax", About("output", "output layer", choices=OUTPUTS))
    cost: str = _setting("cross_entropy", About(
        "cost", "how an answer's wrongness is measured", choices=COSTS))
    lr: float = _setting(0.5, About(
        "learning rate", "learning rate of the first epoch",
        Limits(0.0, 1e6, low_open=True), metavar="F"))
    batch: int = _setting(100, About(
        "batch size", "mini-batch size", Limits(1, 60_000), metavar="N"))
    l2: float = _setting(0.0, About(
        "L2 regularization", "L2 regularization strength", Limits(0.0, 100.0), metavar="F"))
    momentum: float = _setting(0.0, About(
        "momentum", "0 = plain gradient descent", Limits(0.0, 1.0, high_open=True),
        metavar="F"))
    augment: bool = _setting(False, About(
        "augmentation", "train on randomly shifted, rotated, scaled, bent, re-inked digits"))
    synthetic: float = _setting(0.0, About(
        "share of synthesized digits", "this share of every epoch: digits drawn from strokes "
        "in many hands (flagged 1s, crossed 7s, ...), MNIST the rest", Limits(0.0, 0.5),
        metavar="SHARE"))
    train_on: str = _setting("mnist", About(
        "training data", "mnist, mine (my digits: their training part) or both",
        choices=TRAIN_ON))
    mine_repeats: int = _setting(10, About(
        "repeats of my digits", "my digits' training part is seen this many times per epoch",
        Limits(1, 1000), metavar="K"))
    schedule: str = _setting("constant", About(
        "schedule", "learning rate over the epochs: constant, or cosine (down to 0)",
        choices=SCHEDULES))
    epochs: int = _setting(10, About(
        "number of epochs", "passes over the training set", Limits(1), metavar="N"))

    def __post_init__(self) -> None:
        # A list of sizes becomes a tuple: frozen values compare and hash as values.
        object.__setattr__(self, "hidden", tuple(self.hidden))
        check_hidden(self.hidden)
        for name, about in ABOUT.items():
            value = getattr(self, name)
            if about.choices is not None and value not in about.choices:
                raise SettingsError(f"unknown {about.label} {value!r}; choose one of "
                                    f"{', '.join(about.choices)}")
            if about.limits is not None:
                _check_number(name, value, about)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Neurons per layer, inputs and outputs included: (784, 16, 16, 10)."""
        return (INPUTS, *self.hidden, OUTPUT_NEURONS)

    def new_network(self, seed: int = 0) -> Network:
        """A network of this shape with fresh random weights."""
        from digitpad.core.network import Network  # here: reading settings needs no NumPy

        return Network(self.sizes, self.activation, self.output, self.cost, seed=seed)

    def with_network_of(self, network: Network) -> Settings:
        """These settings with the shape, activation, output and cost of `network`."""
        return replace(self, hidden=network.sizes[1:-1], activation=network.activation,
                       output=network.output, cost=network.cost_name)

    def with_step_settings_of(self, other: Settings) -> Settings:
        """These settings with the ones `other` may change between steps (STEP_SETTINGS)."""
        return replace(self, **{name: getattr(other, name) for name in STEP_SETTINGS})

    def differences(self, other: Settings) -> list[str]:
        """The names of the settings in which self and other differ, in field order."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)]


ABOUT: dict[str, About] = {f.name: f.metadata["about"] for f in fields(Settings)}
"""Each setting's name -> what people are told about it (for option lists and forms)."""


def _check_number(name: str, value, about: About) -> None:  # noqa: ANN001
    if isinstance(about.limits.low, int):  # a count: whole numbers only
        try:
            operator.index(value)
        except TypeError:
            raise SettingsError(f"the {about.label} must be a whole number, not {value}") from None
    if not about.limits.allows(value):  # also refuses NaN
        raise SettingsError(f"the {about.label} must be {about.limits}, not {value}")


# ---- the hidden layers, as people type them ----------------------------------------------------


def parse_hidden(text: str) -> tuple[int, ...]:
    """'16, 16', '16,16' or '16 16' -> (16, 16); 'none' or nothing -> () (inputs straight to
    the outputs). SettingsError if the text is not such a list or a size is out of range."""
    words = text.strip()
    if words.lower() in ("", "none"):
        return ()
    parts = re.split(r"\s*,\s*|\s+", words)
    if not all(re.fullmatch(r"[+-]?\d+", part) for part in parts):
        raise SettingsError(f"hidden layer sizes are whole numbers separated by commas, such "
                            f"as 16,16 (or none), not {text!r}")
    sizes = tuple(int(part) for part in parts)
    check_hidden(sizes)
    return sizes


def format_hidden(sizes: tuple[int, ...]) -> str:
    """(16, 16) -> '16, 16'; () -> '' (no hidden layer)."""
    return ", ".join(str(s) for s in sizes)


def check_hidden(sizes: tuple[int, ...]) -> None:
    """SettingsError unless every layer has 1 to MAX_NEURONS neurons and there are at most
    MAX_HIDDEN_LAYERS of them."""
    shown = ",".join(map(str, sizes))
    if not all(isinstance(s, int) for s in sizes):
        raise SettingsError(f"hidden layer sizes are whole numbers, not {sizes!r}")
    if sizes and min(sizes) < 1:
        raise SettingsError(f"every hidden layer needs at least one neuron, not {shown}")
    if sizes and max(sizes) > MAX_NEURONS:
        raise SettingsError(f"a hidden layer has at most {MAX_NEURONS} neurons, not {shown}")
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise SettingsError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(sizes)}")
