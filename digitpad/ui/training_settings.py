"""The settings of a training run as the window knows them, and how they are remembered."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QSettings

from digitpad.core.activations import ACTIVATIONS
from digitpad.core.costs import COSTS, OUTPUTS
from digitpad.core.digit_model import INPUTS, MAX_HIDDEN_LAYERS, MAX_NEURONS
from digitpad.core.digit_model import OUTPUTS as OUTPUT_NEURONS
from digitpad.core.network import Network
from digitpad.core.presets import PRESETS, Preset
from digitpad.training.trainer import Hyperparameters
from digitpad.ui.settings import read

# Settings that describe a whole run: they apply when the network is reset. The labels are the
# names the training panel shows.
RESET_FIELDS = {
    "hidden": "hidden layers",
    "activation": "activation",
    "output": "output",
    "cost": "cost",
    "l2": "L2",
    "momentum": "momentum",
}


@dataclass(frozen=True)
class TrainingSettings:
    """Everything the training panel sets; the defaults are the video's network."""

    hidden: tuple[int, ...] = (16, 16)
    activation: str = "sigmoid"
    output: str = "softmax"
    cost: str = "cross_entropy"
    lr: float = 0.5
    batch: int = 100
    l2: float = 0.0
    momentum: float = 0.0
    augment: bool = False

    @classmethod
    def from_preset(cls, preset: Preset) -> TrainingSettings:
        names = [f.name for f in fields(cls)]
        values = {name: getattr(preset, name) for name in names if hasattr(preset, name)}
        values["hidden"] = tuple(values.get("hidden", cls.hidden))
        return cls(**values)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (INPUTS, *self.hidden, OUTPUT_NEURONS)

    def new_network(self, seed: int) -> Network:
        """A network with these settings and fresh random weights."""
        return Network(self.sizes, self.activation, self.output, self.cost, seed=seed)

    def with_network_of(self, network: Network) -> TrainingSettings:
        """These settings with the shape, activation, output and cost of `network`."""
        return replace(self, hidden=tuple(network.sizes[1:-1]), activation=network.activation,
                       output=network.output, cost=network.cost_name)

    def hyperparameters(self) -> Hyperparameters:
        return Hyperparameters(lr=self.lr, batch_size=self.batch, l2=self.l2,
                               momentum=self.momentum, augment=self.augment)

    def differences(self, other: TrainingSettings) -> list[str]:
        """Labels of the reset-only settings in which self and other differ."""
        return [label for name, label in RESET_FIELDS.items()
                if getattr(self, name) != getattr(other, name)]


def default_settings() -> TrainingSettings:
    return TrainingSettings.from_preset(PRESETS["video"])


def parse_hidden(text: str) -> tuple[int, ...] | None:
    """'16, 16' -> (16, 16); '' -> () (no hidden layer); None if not a list of sizes."""
    if not re.fullmatch(r"\s*(\d+(\s*[,\s]\s*\d+)*)?\s*", text):
        return None
    sizes = tuple(int(s) for s in re.findall(r"\d+", text))
    if len(sizes) > MAX_HIDDEN_LAYERS or any(not 1 <= s <= MAX_NEURONS for s in sizes):
        return None
    return sizes


def format_hidden(sizes: tuple[int, ...]) -> str:
    return ", ".join(str(s) for s in sizes)


def describe_network(settings: TrainingSettings) -> str:
    shape = " → ".join(str(s) for s in settings.sizes)
    cost = settings.cost.replace("_", "-")
    return f"Training now: {shape}\n{settings.activation} neurons, {settings.output} output, " \
           f"{cost} cost"


# ---- remembering them (QSettings) -----------------------------------------------------------

_GROUP = "training"


def save_settings(store: QSettings, settings: TrainingSettings) -> None:
    store.beginGroup(_GROUP)
    for f in fields(settings):
        value = getattr(settings, f.name)
        store.setValue(f.name, format_hidden(value) if f.name == "hidden" else value)
    store.endGroup()


def load_settings(store: QSettings) -> TrainingSettings:
    """The remembered settings; anything missing or invalid falls back to the video preset."""
    default = default_settings()
    store.beginGroup(_GROUP)
    try:
        hidden = parse_hidden(read(store, "hidden", format_hidden(default.hidden)))
        candidate = TrainingSettings(
            hidden=default.hidden if hidden is None else hidden,
            activation=_choice(read(store, "activation", default.activation), ACTIVATIONS,
                               default.activation),
            output=_choice(read(store, "output", default.output), OUTPUTS, default.output),
            cost=_choice(read(store, "cost", default.cost), COSTS, default.cost),
            lr=_within(read(store, "lr", default.lr), 1e-4, 100.0, default.lr),
            batch=int(_within(read(store, "batch", default.batch), 1, 10000, default.batch)),
            l2=_within(read(store, "l2", default.l2), 0.0, 100.0, default.l2),
            momentum=_within(read(store, "momentum", default.momentum), 0.0, 0.99,
                             default.momentum),
            augment=read(store, "augment", default.augment),
        )
    finally:
        store.endGroup()
    return candidate


def _choice(value: str, choices, default: str) -> str:
    return value if value in choices else default


def _within(value, low, high, default):
    return value if low <= value <= high else default
