"""The desktop app: `create_window()` builds the main window, `main()` runs it.

    digitpad [gui] [--model PATH]      (the CLI calls main(model_path))
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

import digitpad
from digitpad.core.digit_model import load_digit_model
from digitpad.core.errors import ModelFileError
from digitpad.core.mnist import Mnist
from digitpad.training.trainer import Trainer
from digitpad.ui import settings as user_settings
from digitpad.ui.main_window import MainWindow
from digitpad.ui.mnist_loader import MnistLoader
from digitpad.ui.resources import app_icon
from digitpad.ui.training_settings import load_settings


def create_window(
    model_path: str | Path | None = None,
    *,
    data: Mnist | None = None,
    data_dir: str | Path | None = None,
) -> MainWindow:
    """Build the main window (a QApplication must exist). Training does not start.

    model_path: continue from this saved network (raises ModelFileError if it cannot be used).
    data: train on this Mnist instead of loading one (tests pass a small one); otherwise MNIST
    is loaded from `data_dir` (None: the bundled copy) on a background thread.
    """
    store = user_settings.open_settings()
    settings = load_settings(store)
    if model_path is not None:
        network = load_digit_model(model_path)
        settings = settings.with_network_of(network)
    else:
        network = settings.new_network(seed=0)

    trainer = Trainer(network, data, settings)
    loader = None if data is not None else MnistLoader(data_dir)
    window = MainWindow(trainer, store, settings, loader)
    if loader is not None:
        loader.setParent(window)
        loader.start()
    return window


def main(model_path: str | Path | None = None) -> int:
    """Run the app until its window closes; returns the exit status."""
    app = QApplication.instance()
    if app is None:
        # Fractional scale factors (125%, 150%) as they are, not rounded to 1x or 2x; this
        # must be set before the application object exists.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(user_settings.ORGANIZATION)
    app.setApplicationName(user_settings.APPLICATION)
    app.setApplicationDisplayName("digitpad")
    app.setApplicationVersion(digitpad.__version__)
    app.setDesktopFileName("digitpad")  # matches resources/digitpad.desktop (Wayland icons)
    app.setWindowIcon(app_icon())

    problem = None
    try:
        window = create_window(model_path)
    except ModelFileError as e:
        problem = str(e)
        window = create_window(None)
    window.show()
    if problem is not None:
        # Once the window is up: the app starts with a fresh network and says why.
        QTimer.singleShot(0, lambda: QMessageBox.critical(
            window, "Could not open the model",
            f"{problem}\n\ndigitpad started with a new random network instead."))
    warning = user_settings.start_warning()
    if warning is not None:
        QTimer.singleShot(0, lambda: QMessageBox.warning(window, *warning))

    # Ctrl+C in the terminal, or a SIGTERM, closes the window properly, stopping the trainer.
    # Qt's event loop is C++: a timer wakes the interpreter now and then so that it sees the
    # signal.
    stop = {s: signal.signal(s, lambda *_: app.closeAllWindows())
            for s in (signal.SIGINT, signal.SIGTERM)}
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        return app.exec()
    finally:
        wake.stop()
        for s, previous in stop.items():
            signal.signal(s, previous)
