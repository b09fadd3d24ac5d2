"""Loads MNIST on a background thread so the window appears and stays responsive meanwhile.

Decompressing and checking the 70,000 digits takes a second or so; the window shows a busy
indicator and enables training when `loaded` arrives. The signal is emitted from the loading
thread; Qt queues it to the GUI thread, where the connected slots run.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from digitpad.core.errors import DigitpadError
from digitpad.core.mnist import Mnist, load_mnist


class MnistLoader(QObject):
    loaded = Signal(object)  # the Mnist
    failed = Signal(str)  # a one-sentence reason

    def __init__(self, data_dir: str | Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._data_dir = data_dir
        self._thread: threading.Thread | None = None
        self.seconds: float | None = None  # how long the last load took

    def start(self) -> None:
        """Begin loading; returns at once."""
        if self.is_loading:
            return
        self._thread = threading.Thread(target=self._load, name="digitpad-mnist", daemon=True)
        self._thread.start()

    @property
    def is_loading(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading has finished (or failed); True if it has."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.is_loading

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            data: Mnist = load_mnist(self._data_dir)
        except DigitpadError as e:
            self.failed.emit(str(e))
            return
        except Exception as e:  # noqa: BLE001 - any surprise must reach the user, not kill us
            self.failed.emit(f"the MNIST digits could not be loaded ({type(e).__name__}: {e})")
            return
        self.seconds = time.perf_counter() - started
        self.loaded.emit(data)
