"""Paths as a person names them: shown on any terminal, and opened only if they are files.

On Linux a file name is any bytes but "/" and NUL; Python hands names that are not UTF-8 to us
as str with "surrogate escapes", which print() on a UTF-8 terminal refuses with a
UnicodeEncodeError. shown() turns such a name into printable text (the odd bytes as \\xNN), and
everything else here works on the real bytes, so such files open like any other.

A path may also name a folder, a named pipe (opening one waits for a writer, forever), a
device, or a symbolic link that loops or leads nowhere. open_regular() opens regular files only
and says in plain words what anything else is.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import BinaryIO


def shown(path: str | bytes | os.PathLike) -> str:
    """`path` as text that any terminal or dialog can show: bytes that are not UTF-8 as \\xNN."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def open_regular(path: str | bytes | os.PathLike) -> BinaryIO:
    """Open `path` for reading if it is a regular file (or a link to one).

    Anything else raises OSError whose .strerror says what it is instead ("it is a named pipe
    (FIFO), not a file"), without waiting on a pipe or touching a device.
    """
    problem = file_problem(path)
    if problem is not None:
        raise OSError(problem[0], problem[1], shown(path))
    # O_NONBLOCK: should the path have become a pipe since the check, open() returns at once,
    # and the fstat() below refuses it.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, _kind(mode), shown(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def unused_name(path: Path) -> Path:
    """`path` if nothing is there (not even a dangling link), else the first of PATH-2, PATH-3…
    that is free."""
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def set_aside(path: Path, why: str = "damaged") -> Path:
    """Rename `path` (a file, or a symbolic link itself, never what it leads to) out of the way,
    to aside_name(path, why), and return its new name: nothing is ever deleted. OSError if it
    cannot be renamed."""
    aside = aside_name(path, why)
    os.rename(path, aside)
    return aside


def aside_name(path: Path, why: str) -> Path:
    """Where `path` goes when set aside: PATH.why-YYYYmmdd-HHMMSS, free (see unused_name)."""
    return unused_name(path.with_name(f"{path.name}.{why}-{time.strftime('%Y%m%d-%H%M%S')}"))


def file_problem(path: str | bytes | os.PathLike) -> tuple[int, str] | None:
    """Why `path` cannot be read as a regular file, as (errno, plain words); None if it can."""
    try:
        mode = os.stat(path).st_mode  # follows links: a link to a file is a file
    except OSError as e:
        return e.errno, _stat_failure(path, e)
    if stat.S_ISREG(mode):
        return None
    return errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL, _kind(mode)


def _stat_failure(path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link that loops (it leads back to itself)"
    if error.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"it is a symbolic link to {shown(os.readlink(path))}, which does not exist"
        return "it does not exist"
    if error.errno == errno.ENOTDIR:
        return "it does not exist (a part of its path is a file, not a folder)"
    if error.errno == errno.ENAMETOOLONG:
        return "the name is longer than the system allows"
    return (error.strerror or str(error)).lower()


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a file"
    return "it is not a regular file"

