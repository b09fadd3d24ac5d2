"""Where digitpad keeps the user's settings and files.

With DIGITPAD_DATA_DIR set, everything lives in that one directory (settings.ini, models/,
digitpad.sqlite): handy for tests, portable installs and classrooms. Otherwise Qt's usual
per-platform places are used. digitpad.data_dir resolves the directory, for the command line too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSettings

from digitpad.data_dir import APPLICATION as APPLICATION  # re-exported: app.py names the app
from digitpad.data_dir import DATA_DIR_VARIABLE, user_data_dir

ORGANIZATION = "digitpad"

T = TypeVar("T", bool, int, float, str)


def data_dir() -> Path:
    """The directory for the user's own files (saved models, drawn digits)."""
    return user_data_dir()  # the same answer as the command line's


def models_dir() -> Path:
    """Where the Open/Save dialogs start; created on first use."""
    path = data_dir() / "models"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()  # a read-only data dir must not stop anyone from saving elsewhere
    return path


def open_settings() -> QSettings:
    """The settings store: an INI file in DIGITPAD_DATA_DIR if set, else the platform's own."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        path = Path(override).expanduser() / "settings.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def read(settings: QSettings, key: str, default: T) -> T:
    """settings[key] as the type of `default`; the default if missing or unreadable.

    A settings file is user-editable text: anything in it may be wrong, and a wrong value must
    never stop the app from starting.
    """
    value = settings.value(key)
    if value is None:
        return default
    try:
        if isinstance(default, bool):
            # INI files give back strings such as "true".
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        return type(default)(value)
    except (TypeError, ValueError):
        return default
