"""Labelled drawings as arrays (Samples), and the files they travel in.

A drawing is kept as the network saw it: the 28x28 MNIST-style image preprocess.to_mnist made of
it, as uint8 pixels (0 = paper, 255 = ink, as in MNIST), with its label 0-9. My digits live in an
SQLite database (core/my_digits.py); this module reads and writes the files around it:
- the standard IDX pair that MNIST tools read, `my-digits-images-idx3-ubyte` and
  `my-digits-labels-idx1-ubyte`, for export and import;
- the old `my-digits.npz` of digitpad before the database, read once to migrate it (without
  unpickling, every array checked).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import NamedTuple

import numpy as np

from digitpad.core.errors import DataError, ModelFileError
from digitpad.core.idx import read_idx, write_idx
from digitpad.core.mnist import check_labelled_images, find_idx
from digitpad.core.storage import MAX_NPZ_BYTES, load_npz

SIZE = 28
"""Drawings are kept as MNIST-style 28x28 images."""
DIGITS = 10
IMAGES_FILE = "my-digits-images-idx3-ubyte"
LABELS_FILE = "my-digits-labels-idx1-ubyte"
MAX_DRAWINGS = 100_000
"""More than anyone draws by hand; an import that would go beyond it is refused up front, so my
digits stay quick to open, browse and train on."""


class Samples(NamedTuple):
    """Labelled drawings: images (n, 28, 28) uint8 0-255, labels (n,) uint8 0-9."""

    images: np.ndarray
    labels: np.ndarray


def empty_samples() -> Samples:
    """A collection with no drawings."""
    return Samples(np.zeros((0, SIZE, SIZE), np.uint8), np.zeros(0, np.uint8))


def per_digit(labels: np.ndarray) -> list[int]:
    """How many drawings there are of each digit: a list of 10 counts, for 0 to 9."""
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= DIGITS):
        raise ValueError(f"labels must be digits 0-9, not {labels.min()}..{labels.max()}")
    return np.bincount(labels.astype(np.intp), minlength=DIGITS).tolist()


def load_samples(path: str | Path) -> Samples:
    """The drawings kept in the file at `path`; none if it does not exist yet.

    Raises DataError, saying what is wrong, for a file that is not a valid collection (not an
    .npz archive, pickled objects, arrays of the wrong shape or type, labels outside 0-9).
    """
    path = Path(path)
    if not path.exists():
        return empty_samples()
    if not path.is_file():
        raise _damaged(path, "is not a file")
    if path.stat().st_size > MAX_NPZ_BYTES:
        raise _damaged(path, "is too large to be a collection of drawings")
    try:  # an unreadable file is not a damaged one: say which it is
        with open(path, "rb"):
            pass
    except OSError as e:
        raise DataError(f"cannot read {path}: {e.strerror or e}") from None
    if not zipfile.is_zipfile(path):
        raise _damaged(path, "is not an .npz archive, or it is truncated")
    try:
        arrays = load_npz(path)  # refuses pickles and checks every array's header first
    except ModelFileError as e:
        message = str(e)
        reason = message.removeprefix(str(path)).strip() if message.startswith(str(path)) \
            else f"cannot be read ({message})"
        raise _damaged(path, reason) from None
    for name in ("images", "labels"):
        if name not in arrays:
            raise _damaged(path, f"has no '{name}' array")
    problem = samples_problem(Samples(arrays["images"], arrays["labels"]))
    if problem:
        raise _damaged(path, problem)
    return Samples(arrays["images"], arrays["labels"])


def export_idx(samples: Samples, directory: str | Path) -> tuple[Path, Path]:
    """Write the standard IDX pair (uncompressed) into `directory`, created if need be.

    Returns the paths of the images and labels files; raises DataError. Each file is written
    atomically: an existing export is replaced whole or not at all.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise DataError(f"cannot export to {directory}: it is a file, not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataError(f"cannot export to {directory}: {e.strerror or e}") from None
    images_path, labels_path = directory / IMAGES_FILE, directory / LABELS_FILE
    write_idx(images_path, samples.images)
    write_idx(labels_path, samples.labels)
    return images_path, labels_path


def read_idx_pair(directory: str | Path, at_most: int | None = None) -> Samples:
    """The drawings in `directory`'s IDX pair (my-digits-images-idx3-ubyte and
    my-digits-labels-idx1-ubyte, each possibly gzipped, with .gz), checked like MNIST's files.

    at_most: refuse (DataError) a pair of more drawings, from the small labels file, before the
    images are read.
    """
    directory = Path(directory)
    if not directory.exists():
        raise DataError(f"{directory} does not exist")
    if not directory.is_dir():
        raise DataError(f"{directory} is not a folder: give the folder that holds "
                        f"{IMAGES_FILE} and {LABELS_FILE}")
    try:
        images_path = find_idx(directory, IMAGES_FILE)
        labels_path = find_idx(directory, LABELS_FILE)
        labels = read_idx(labels_path)
        if at_most is not None and labels.ndim == 1 and len(labels) > at_most:
            raise DataError(too_many_message(f"{directory} holds", len(labels), at_most))
        images = read_idx(images_path)
        check_labelled_images(images, labels, images_path.name, labels_path.name)
    except DataError as e:
        message = str(e)
        if str(directory) not in message:  # name the folder: the reader names files only
            message = f"cannot import from {directory}: {message}"
        raise DataError(message) from None
    return Samples(images, labels)


def too_many_message(what: str, count: int, room: int) -> str:
    """'<what> 700,000 drawings, but my digits has room for ...': an import refused up front."""
    return (f"{what} {count:,} drawings, but my digits has room for {room:,} more (it keeps at "
            f"most {MAX_DRAWINGS:,}, so that it stays quick to open, browse and train on); "
            "nothing was added")


def samples_problem(samples: Samples) -> str | None:
    """What makes `samples` an invalid collection (to follow "it ..."), or None."""
    images, labels = samples
    if images.dtype != np.uint8 or labels.dtype != np.uint8:
        return f"holds {images.dtype} images and {labels.dtype} labels, not uint8"
    if images.ndim != 3 or images.shape[1:] != (SIZE, SIZE):
        return f"holds images of shape {'x'.join(map(str, images.shape))}, not n x 28 x 28"
    if labels.ndim != 1:
        return f"holds labels of shape {'x'.join(map(str, labels.shape))}, not a list"
    if len(images) != len(labels):
        return f"holds {len(images)} images but {len(labels)} labels"
    bad = np.flatnonzero(labels >= DIGITS)
    if bad.size:
        return f"holds label {labels[bad[0]]} at position {bad[0]}; labels must be digits 0-9"
    return None


def _damaged(path: Path, reason: str) -> DataError:
    return DataError(f"the my-digits file {path} {reason}")
