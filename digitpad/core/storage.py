"""Files written atomically and .npz archives read without ever unpickling."""

import errno
import math
import os
import zipfile
from pathlib import Path

import numpy as np

from digitpad.core.atomic_file import atomic_write, check_replaceable, temporary_name
from digitpad.core.errors import ModelFileError
from digitpad.core.paths import open_regular, shown

# Larger than any network digitpad builds by far; a file claiming more is not ours.
MAX_NPZ_BYTES = 512 * 1024 * 1024


def check_writable(path: str | Path) -> None:
    """Fail now, with a clear message, if `path` could not be saved to later."""
    path = Path(path)
    parent = path.parent
    # Probe with a name exactly as long as the one atomic_write will use: a name that fits but
    # whose temporary file does not must fail here, not after minutes of training.
    probe = temporary_name(path)
    try:
        check_replaceable(path)
        if not parent.is_dir():
            raise ModelFileError(f"cannot save to {path}: the folder {parent} does not exist")
        open(probe, "xb").close()
        os.unlink(probe)
    except OSError as e:  # also from is_dir(), for a name longer than the system allows at all
        reason = e.strerror or str(e)
        if e.errno == errno.ENAMETOOLONG:
            extra = len(probe.name) - len(path.name)
            reason = (f"the file name is too long (saving first writes a temporary file whose "
                      f"name is {extra} characters longer); choose a shorter name")
        raise ModelFileError(f"cannot save to {path}: {reason}") from None


def save_npz(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    try:
        with atomic_write(path) as f:
            np.savez(f, **arrays)
    except OSError as e:
        raise ModelFileError(f"could not save {path}: {e.strerror or e}") from None


def load_npz(path: str | Path) -> dict[str, np.ndarray]:
    """Every array of an .npz file, within MAX_NPZ_BYTES in all; pickles are refused, never run."""
    with NpzReader(path) as npz:
        return {name: npz[name] for name in npz.names}


class NpzReader:
    """An .npz archive whose arrays are read one at a time, only when asked for.

    Nothing is decompressed until an array is asked for, and then only if it fits in what is
    left of the budget (zip archives state each member's size up front): a small file whose
    unused members would expand to gigabytes costs nothing, and one whose arrays add up to more
    than `max_bytes` is refused before the one that would overflow is read. Object arrays,
    the only kind that needs pickle, are refused from their header.
    """

    def __init__(self, path: str | Path, max_bytes: int = MAX_NPZ_BYTES) -> None:
        self.path = path
        self._left = max_bytes
        self._arrays: dict[str, np.ndarray] = {}
        try:
            file = open_regular(path)
        except OSError as e:
            raise ModelFileError(f"cannot read {shown(path)}: {e.strerror or e}") from None
        self._file = file
        try:
            self._archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            file.close()
            raise ModelFileError(f"{shown(path)} is not a digitpad model (.npz) file") from None
        self._members = {info.filename.removesuffix(".npy"): info
                         for info in self._archive.infolist()}

    @property
    def names(self) -> list[str]:
        return list(self._members)

    def __contains__(self, name: str) -> bool:
        return name in self._members

    def nbytes(self, name: str) -> int:
        """How many bytes the array `name` takes once read (its .npy header included), as the
        archive states it: known before anything is decompressed."""
        return self._members[name].file_size

    def __getitem__(self, name: str) -> np.ndarray:
        """The array `name` (KeyError if the archive has none); ModelFileError if unreadable."""
        if name not in self._arrays:
            self._arrays[name] = self._read(self._members[name])
        return self._arrays[name]

    def _read(self, info: zipfile.ZipInfo) -> np.ndarray:
        where = shown(self.path)
        if info.file_size > self._left:
            raise ModelFileError(f"{where} is too large to be a digitpad model: its arrays "
                                 f"expand to more than {MAX_NPZ_BYTES // 2**20} MB")
        self._left -= info.file_size
        try:
            with self._archive.open(info) as member:
                _check_array_header(member, info, where)
            with self._archive.open(info) as member:
                return np.lib.format.read_array(member, allow_pickle=False)
        except ModelFileError:
            raise
        except Exception as e:  # zip and format errors come in many types; all mean "corrupt"
            raise ModelFileError(f"{where} is corrupt ({type(e).__name__})") from None

    def close(self) -> None:
        self._archive.close()
        self._file.close()

    def __enter__(self) -> "NpzReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _check_array_header(member, info: zipfile.ZipInfo, where: str) -> None:
    """Refuse a member, before its array is allocated, whose .npy header asks for pickle or
    claims more data than the member holds."""
    try:
        version = np.lib.format.read_magic(member)
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape, _, dtype = read_header(member)
    except ValueError:
        raise ModelFileError(f"{where} is corrupt: {info.filename} is not an array") from None
    if dtype.hasobject:
        raise ModelFileError(f"{where} holds pickled Python objects, which digitpad never loads")
    if math.prod(shape) * dtype.itemsize > info.file_size:
        raise ModelFileError(f"{where} is corrupt: {info.filename} is truncated")
