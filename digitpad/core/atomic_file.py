"""Writing a file so that it is either wholly the old one or wholly the new one.

Every file digitpad writes goes through atomic_write: the bytes go to a hidden temporary file in
the same folder, are flushed and fsynced, and the temporary file is then renamed over the target
(a rename within one folder is atomic), and the folder is fsynced so the rename itself survives a
power cut. A full disk, a read-only folder, an exception or a signal while writing leave the old
file as it was and no temporary file behind.

A symbolic link is never written through nor replaced: writing through it would change a file
somewhere else, replacing it would silently turn the link into a regular file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

SYMLINK_REASON = "it is a symbolic link, and digitpad neither writes through nor replaces links"


@contextlib.contextmanager
def atomic_write(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file to write the new contents of `path` into; they appear at the end, whole.

    Raises OSError (with the reason in .strerror) if `path` cannot be written; the old file, if
    any, is then unchanged.
    """
    path = Path(path)
    check_replaceable(path)
    temporary = temporary_name(path)
    try:
        # "x": a new file with the usual permissions (umask), never an existing one or a link.
        with open(temporary, "xb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        # Also on KeyboardInterrupt or the CLI's SIGTERM: nothing half-written stays behind.
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    sync_folder(path.parent)


def check_replaceable(path: Path) -> None:
    """Raise OSError if `path` is a symbolic link or something other than a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return  # a new file
    if stat.S_ISLNK(mode):
        raise OSError(errno.ELOOP, SYMLINK_REASON, str(path))
    if stat.S_ISDIR(mode):
        raise OSError(errno.EISDIR, "it is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "it is not a regular file", str(path))


def temporary_name(path: Path) -> Path:
    """Where atomic_write puts the new file before renaming it to `path`: hidden, beside it."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. Best effort: the new file is already in place, and
    some file systems cannot sync a folder; that only matters after a power cut."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
