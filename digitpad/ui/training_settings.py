"""The training settings as the window shows them, and how they are remembered (QSettings).

The settings themselves are core's Settings: one type, one set of rules. Here are only the
panel's words for them and their place in the settings file.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings

from digitpad.core.errors import SettingsError
from digitpad.core.presets import PRESETS
from digitpad.core.settings import ABOUT, STEP_SETTINGS, Settings, format_hidden, parse_hidden
from digitpad.ui.settings import read

# The settings the training panel shows, by the names it shows them under. The panel trains
# until paused, so a run's number of epochs and its schedule are not among them.
SHOWN = {
    "lr": "learning rate",
    "batch": "batch size",
    "augment": "augment",
    "hidden": "hidden layers",
    "activation": "activation",
    "output": "output",
    "cost": "cost",
    "l2": "L2",
    "momentum": "momentum",
}


def default_settings() -> Settings:
    return PRESETS["video"]


def waiting_for_reset(shown: Settings, applied: Settings) -> list[str]:
    """The panel's names of the settings that differ and apply only on Reset."""
    return [SHOWN[name] for name in shown.differences(applied)
            if name in SHOWN and name not in STEP_SETTINGS]


def same_as_shown(a: Settings, b: Settings) -> bool:
    """Whether the panel shows a and b alike."""
    return not any(name in SHOWN for name in a.differences(b))


def describe_network(settings: Settings) -> str:
    shape = " → ".join(str(s) for s in settings.sizes)
    cost = settings.cost.replace("_", "-")
    return f"Training now: {shape}\n{settings.activation} neurons, {settings.output} output, " \
           f"{cost} cost"


# ---- remembering them (QSettings) -----------------------------------------------------------

_GROUP = "training"


def save_settings(store: QSettings, settings: Settings) -> None:
    store.beginGroup(_GROUP)
    for name in ABOUT:
        value = getattr(settings, name)
        store.setValue(name, format_hidden(value) if name == "hidden" else value)
    store.endGroup()


def load_settings(store: QSettings) -> Settings:
    """The remembered settings; each one missing or invalid is the video preset's."""
    settings = default_settings()
    store.beginGroup(_GROUP)
    try:
        for name in ABOUT:
            default = getattr(settings, name)
            try:
                if name == "hidden":
                    value = parse_hidden(read(store, name, format_hidden(default)))
                else:
                    value = read(store, name, default)
                settings = replace(settings, **{name: value})  # checked by Settings
            except SettingsError:
                pass  # a file anyone can edit: a wrong value must not stop the app
    finally:
        store.endGroup()
    return settings
