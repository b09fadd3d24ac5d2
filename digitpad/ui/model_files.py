"""File → Open model… and Save model…: choosing the file, remembering its folder, continuing
from the network in it with the learning settings it was trained with, saving the newest weights
with their story (core.model_story).

File → Open first shows what the file says (ui.model_preview); `load_model`, for the command
line's --model and for scripts, opens at once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from digitpad.core.digit_model import DigitModel, read_digit_model, save_digit_model
from digitpad.core.errors import ModelFileError
from digitpad.core.settings import Settings
from digitpad.ui import settings as user_settings
from digitpad.ui.model_preview import confirm_opening
from digitpad.ui.run_control import RunControl
from digitpad.ui.training_controls import TrainingControls
from digitpad.ui.wording import sentence

FILTER = "digitpad models (*.npz)"
FOLDER_KEY = "files/modelDir"  # the folder of the last model opened or saved


def settings_to_open(model: DigitModel, panel: Settings) -> Settings:
    """The settings a model is opened with: those it learned with (a format-1 file does not
    say: then the panel's), and the panel's choice of data, which is about the drawings at hand
    rather than the model."""
    settings = model.story.settings or panel.with_network_of(model.network)
    return replace(settings, train_on=panel.train_on, mine_repeats=panel.mine_repeats)


class ModelFiles:
    def __init__(self, window: QMainWindow, store: QSettings, controls: TrainingControls,
                 run: RunControl) -> None:
        self._window, self._store, self._controls, self._run = window, store, controls, run

    def open_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Open model", self._folder(),
                                              f"{FILTER};;All files (*)")
        if not path:
            return
        self._store.setValue(FOLDER_KEY, str(Path(path).parent))
        model = self._read(path)
        if model is not None and confirm_opening(self._window, path, model, self._panel()):
            self._open(path, model)

    def load_model(self, path: str | Path) -> bool:
        """Continue from a saved network, with its learning settings if the file has them; on
        any problem say why and keep the current one."""
        model = self._read(path)
        if model is not None:
            self._open(path, model)
        return model is not None

    def _read(self, path: str | Path) -> DigitModel | None:
        try:
            return read_digit_model(path)
        except ModelFileError as e:
            QMessageBox.critical(
                self._window, "Could not open the model",
                f"{sentence(str(e))}\n\nThe current network was left as it was.")
            return None

    def _open(self, path: str | Path, model: DigitModel) -> None:
        network, story = model
        settings = settings_to_open(model, self._panel())
        self._controls.set_settings(settings)
        self._run.install(network, settings, story)
        whose = "its own" if story.settings else "the panel's: the file does not say"
        self._say(f"Opened {Path(path).name}: {network.describe()}, learning rate "
                  f"{settings.lr:g} ({whose}).")

    def _panel(self) -> Settings:
        return self._controls.settings() or self._controls.applied

    def save_model(self) -> None:
        """Ask where, then save the newest weights there (those once the file is chosen)."""
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Save model", str(Path(self._folder()) / "digitpad-model.npz"), FILTER)
        if not path:
            return
        path = Path(path)
        if path.suffix.lower() != ".npz":
            path = path.with_name(path.name + ".npz")
        self._store.setValue(FOLDER_KEY, str(path.parent))
        session = self._run.session
        try:
            # The newest weights, and how they came to be: the settings, epochs, scores.
            save_digit_model(path, session.newest_network(), session.story_now())
        except ModelFileError as e:
            QMessageBox.critical(self._window, "Could not save the model", sentence(str(e)))
            return
        self._say(f"Saved {path}.")

    def _folder(self) -> str:
        return user_settings.read(self._store, FOLDER_KEY, str(user_settings.models_dir()))

    def _say(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 6000)
