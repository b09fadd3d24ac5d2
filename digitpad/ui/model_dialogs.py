"""File → Open model… and Save model…: choosing the file, remembering its folder, saving."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from digitpad.core.errors import ModelFileError
from digitpad.core.network import Network
from digitpad.ui import settings as user_settings
from digitpad.ui.wording import sentence

FILTER = "digitpad models (*.npz)"


def ask_model_to_open(parent: QWidget, store: QSettings) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open model", _folder(store),
                                          f"{FILTER};;All files (*)")
    if not path:
        return None
    store.setValue("files/modelDir", str(Path(path).parent))
    return path


def save_model(parent: QWidget, store: QSettings, network: Callable[[], Network]) -> Path | None:
    """Ask where, then save network() there (the newest weights once the file is chosen).
    Returns the path; None if cancelled, or failed and said so."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save model", str(Path(_folder(store)) / "digitpad-model.npz"), FILTER)
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() != ".npz":
        path = path.with_name(path.name + ".npz")
    store.setValue("files/modelDir", str(path.parent))
    try:
        network().save(path)
    except ModelFileError as e:
        QMessageBox.critical(parent, "Could not save the model", sentence(str(e)))
        return None
    return path


def _folder(store: QSettings) -> str:
    return user_settings.read(store, "files/modelDir", str(user_settings.models_dir()))
