"""Files written atomically and .npz archives read without ever unpickling."""

import errno
import math
import os
import zipfile
from pathlib import Path

import numpy as np

from digitpad.core.atomic_file import atomic_write, check_replaceable, temporary_name
from digitpad.core.errors import ModelFileError

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
    """Every array of an .npz file; pickled objects are refused, never run."""
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path} does not exist")
    if not path.is_file():
        raise ModelFileError(f"{path} is not a file")
    if path.stat().st_size > MAX_NPZ_BYTES:
        raise ModelFileError(f"{path} is too large to be a digitpad model")
    if not zipfile.is_zipfile(path):
        raise ModelFileError(f"{path} is not a digitpad model (.npz) file")
    try:
        _check_members(path)
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except ModelFileError:
        raise
    except ValueError as e:
        if "pickle" in str(e):
            msg = f"{path} holds pickled Python objects, which digitpad never loads"
            raise ModelFileError(msg) from None
        raise ModelFileError(f"{path} is corrupt: {e}") from None
    except Exception as e:  # zip and format errors come in many types; all mean "corrupt"
        raise ModelFileError(f"{path} is corrupt ({type(e).__name__})") from None


def _check_members(path: Path) -> None:
    """Read every member's .npy header, and refuse the file before any array is allocated."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.file_size > MAX_NPZ_BYTES:
                raise ModelFileError(f"{path} is too large to be a digitpad model")
            with archive.open(info) as member:
                try:
                    version = np.lib.format.read_magic(member)
                    header = (
                        np.lib.format.read_array_header_1_0
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = header(member)
                except ValueError:
                    msg = f"{path} is corrupt: {info.filename} is not an array"
                    raise ModelFileError(msg) from None
                if dtype.hasobject:
                    msg = f"{path} holds pickled Python objects, which digitpad never loads"
                    raise ModelFileError(msg)
                if math.prod(shape) * dtype.itemsize > info.file_size:
                    raise ModelFileError(f"{path} is corrupt: {info.filename} is truncated")
