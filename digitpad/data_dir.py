"""Where digitpad keeps the user's own files: one answer for the app and the command line.

With DIGITPAD_DATA_DIR set, everything lives in that one directory (settings.ini, models/,
digitpad.sqlite): handy for tests, portable installs and classrooms. Otherwise it is the
platform's usual place for application data (Qt's GenericDataLocation + "digitpad", e.g.
~/.local/share/digitpad on Linux).

Only QtCore is needed for the platform default, and only when the variable is not set, so the
command line can ask without loading any widgets. digitpad.core never imports this module: its
functions take paths.
"""

from __future__ import annotations

import os
from pathlib import Path

APPLICATION = "digitpad"
DATA_DIR_VARIABLE = "DIGITPAD_DATA_DIR"
MY_DIGITS_FILE = "digitpad.sqlite"  # digitpad.core.my_digits.DB_FILE
SESSION_FILE = "session.npz"  # the app's session: digitpad.core.saved_session


def user_data_dir() -> Path:
    """The directory for the user's own files (saved models, drawn digits); may not exist yet.

    Raises DataError if it exists but is not a folder (DIGITPAD_DATA_DIR naming a file).
    """
    override = os.environ.get(DATA_DIR_VARIABLE)
    folder = Path(override).expanduser() if override else _platform_data_dir()
    if folder.exists() and not folder.is_dir():
        from digitpad.core.errors import DataError
        from digitpad.core.paths import shown

        if override:
            raise DataError(f"{DATA_DIR_VARIABLE} names {shown(folder)}, which is not a folder: "
                            "point it at a folder for digitpad's files, or unset it")
        raise DataError(f"digitpad's data folder {shown(folder)} is not a folder: move that "
                        "file away, and digitpad will make the folder")
    return folder


def _platform_data_dir() -> Path:
    from PySide6.QtCore import QStandardPaths  # QtCore only: no widgets, no display needed

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    base = Path(location) if location else Path.home() / ".local" / "share"
    return base / APPLICATION


def my_digits_path() -> Path:
    """The database holding "my digits": the drawings kept in the app with the keys 0–9."""
    return user_data_dir() / MY_DIGITS_FILE


def session_path() -> Path:
    """Where the app keeps the session (the network, its settings, its run) between starts."""
    return user_data_dir() / SESSION_FILE
