"""What File → Open shows before a model is opened: the story its file tells (how its network
learned, for how long, how well it did, when it was saved) and what opening it changes in the
training panel. Nothing changes until Open is pressed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from digitpad.core.digit_model import DigitModel
from digitpad.core.model_story import UNKNOWN
from digitpad.core.settings import Settings
from digitpad.ui.training_settings import SHOWN

UNKNOWN_WORDS = (
    "The file does not say how this network was trained: it was saved by an older digitpad. "
    "The panel keeps its own settings ({settings}); if the cost shoots up once you press Space, "
    "the learning rate is too large for this network.")


def confirm_opening(parent: QWidget, path: str | Path, model: DigitModel, panel: Settings) -> bool:
    """Show what `model` (read from `path`) is and what opening it changes in the panel, which
    now shows `panel`; True if the person chose to open it."""
    box = QMessageBox(QMessageBox.Icon.Question, "Open model",
                      f"Open {Path(path).name}?\n{model.network.describe()}", parent=parent)
    box.setObjectName("modelPreview")
    box.setInformativeText(preview_text(model, panel))
    open_button = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(open_button)
    box.exec()
    return box.clickedButton() is open_button


def preview_text(model: DigitModel, panel: Settings) -> str:
    """The story, a line per item, then what opening the model changes in the panel."""
    story = model.story
    if story == UNKNOWN:
        shown = ", ".join(f"{SHOWN[name]} {_value(getattr(panel, name))}"
                          for name in ("lr", "batch", "momentum"))
        return UNKNOWN_WORDS.format(settings=shown)
    lines = [f"{what.capitalize()}: {how}" for what, how in story.described()]
    changes = setting_changes(panel, story.settings) if story.settings is not None else []
    if changes:
        lines += ["", "Opening it sets the panel's " + ", ".join(changes) + "."]
    return "\n".join(lines)


def setting_changes(panel: Settings, model: Settings) -> list[str]:
    """'learning rate to 0.2 (now 3)', … for each setting of the panel that opening changes."""
    return [f"{SHOWN[name]} to {_value(getattr(model, name))} "
            f"(now {_value(getattr(panel, name))})"
            for name in panel.differences(model) if name in SHOWN]


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "none"
    return str(value)
