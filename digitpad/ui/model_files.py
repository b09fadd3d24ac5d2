"""File → Open model… and Save model…: choosing the file, remembering its folder, continuing
from the network in it, saving the newest weights."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from digitpad.core.digit_model import load_digit_model
from digitpad.core.errors import ModelFileError
from digitpad.ui import settings as user_settings
from digitpad.ui.run_control import RunControl
from digitpad.ui.training_controls import TrainingControls
from digitpad.ui.wording import sentence

FILTER = "digitpad models (*.npz)"
FOLDER_KEY = "files/modelDir"  # the folder of the last model opened or saved


class ModelFiles:
    def __init__(self, window: QMainWindow, store: QSettings, controls: TrainingControls,
                 run: RunControl) -> None:
        self._window, self._store, self._controls, self._run = window, store, controls, run

    def open_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Open model", self._folder(),
                                              f"{FILTER};;All files (*)")
        if path:
            self._store.setValue(FOLDER_KEY, str(Path(path).parent))
            self.load_model(path)

    def load_model(self, path: str | Path) -> bool:
        """Continue from a saved network; on any problem say why and keep the current one."""
        try:
            network = load_digit_model(path)
        except ModelFileError as e:
            QMessageBox.critical(
                self._window, "Could not open the model",
                f"{sentence(str(e))}\n\nThe current network was left as it was.")
            return False
        current = self._controls.settings() or self._controls.applied
        settings = current.with_network_of(network)
        self._controls.set_settings(settings)
        self._run.install(network, settings)
        self._say(f"Opened {Path(path).name}: {network.describe()}.")
        return True

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
        try:
            self._run.session.newest_network().save(path)
        except ModelFileError as e:
            QMessageBox.critical(self._window, "Could not save the model", sentence(str(e)))
            return
        self._say(f"Saved {path}.")

    def _folder(self) -> str:
        return user_settings.read(self._store, FOLDER_KEY, str(user_settings.models_dir()))

    def _say(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 6000)
