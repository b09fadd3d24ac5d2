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

from digitpad.core.atomic_file import check_replaceable
from digitpad.core.errors import DigitpadError
from digitpad.core.paths import file_problem, shown
from digitpad.data_dir import APPLICATION as APPLICATION  # re-exported: app.py names the app
from digitpad.data_dir import DATA_DIR_VARIABLE, user_data_dir

ORGANIZATION = "digitpad"
MAX_SETTINGS_BYTES = 1 << 20  # a few KB in practice: anything far larger is not ours

T = TypeVar("T", bool, int, float, str)


def data_dir() -> Path:
    """The directory for the user's own files (saved models, drawn digits)."""
    return user_data_dir()  # the same answer as the command line's


def models_dir() -> Path:
    """Where the Open/Save dialogs start; created on first use."""
    try:
        path = data_dir() / "models"
        path.mkdir(parents=True, exist_ok=True)
    except (OSError, DigitpadError):
        return Path.home()  # an unusable data dir must not stop anyone from saving elsewhere
    return path


def open_settings() -> QSettings:
    """The settings store: an INI file in DIGITPAD_DATA_DIR if set, else the platform's own.

    When settings_problem() finds a reason to leave that file alone, the store keeps this
    session's settings in memory only, starting from those in the file if it can be read.
    """
    if settings_problem() is not None:
        return _in_memory_copy(settings_file())
    if os.environ.get(DATA_DIR_VARIABLE):
        return QSettings(str(settings_file()), QSettings.Format.IniFormat)
    return _platform_settings()


def settings_file() -> Path:
    """Where the settings are kept: settings.ini in DIGITPAD_DATA_DIR if set."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override).expanduser() / "settings.ini"
    return Path(_platform_settings().fileName())


def settings_problem() -> str | None:
    """Why the settings file must be left alone, in one sentence; None if it can be written.

    Qt writes the settings file itself, through a symbolic link if it is one (changing a file
    somewhere else); a data folder that is a file cannot hold it at all.
    """
    path = settings_file()
    try:
        user_data_dir()  # DataError if DIGITPAD_DATA_DIR names a file
        check_replaceable(path)
    except DigitpadError as e:
        return str(e)
    except OSError as e:
        return f"the settings file {shown(path)} is left alone: {e.strerror or e}"
    return None


def start_warning() -> tuple[str, str] | None:
    """The title and text of the one message at start about the user's files, if one is due:
    a data folder that cannot be used is said once here, for settings and my digits alike."""
    problem = settings_problem()
    if problem is None:
        return None
    try:
        user_data_dir()
    except DigitpadError:
        return ("digitpad's files will not be kept", f"{problem}\n\nThis session's settings "
                "are kept in memory only, and drawings cannot be kept in my digits.")
    return "Settings will not be remembered", (f"{problem}\n\nThis session's settings are "
                                               "kept in memory only.")


def _platform_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def _in_memory_copy(path: Path) -> QSettings:
    # Qt will not open a folder as a file: a QSettings whose file is a folder (here the root,
    # which always exists) keeps what is set in memory and never writes anything.
    store = QSettings(str(Path(os.path.abspath(os.sep))), QSettings.Format.IniFormat)
    if file_problem(path) is None and path.stat().st_size <= MAX_SETTINGS_BYTES:
        source = QSettings(str(path), QSettings.Format.IniFormat)  # only read, never changed
        for key in source.allKeys():
            store.setValue(key, source.value(key))
    return store


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
