"""The MNIST digits: 60,000 training and 10,000 test images of 28x28 grey pixels, with labels.

The data comes as four standard IDX files (see idx.py), gzipped or not. A copy ships with
digitpad, so `load_mnist()` works offline; `load_mnist(directory)` reads another copy.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import digitpad
from digitpad.core.errors import DataError
from digitpad.core.idx import read_idx

# Field of Mnist -> the standard file name (the same name with .gz is accepted too).
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


@dataclass(frozen=True)
class Mnist:
    """The four arrays, uint8 and read-only (the trainer and the GUI share them across threads)."""

    train_images: np.ndarray  # (60000, 28, 28) pixels, 0 = paper, 255 = ink
    train_labels: np.ndarray  # (60000,) digits 0-9
    test_images: np.ndarray  # (10000, 28, 28)
    test_labels: np.ndarray  # (10000,)


def bundled_mnist_dir() -> Path:
    """The directory of the MNIST copy shipped with digitpad; raise DataError if it is missing."""
    package = Path(digitpad.__file__).parent
    # An installed wheel carries assets/ inside the package; a source checkout has it beside it.
    candidates = [package / "assets" / "mnist", package.parent / "assets" / "mnist"]
    for directory in candidates:
        if directory.is_dir():
            return directory
    raise DataError(f"the bundled MNIST files are missing (looked in {candidates[0]} and "
                    f"{candidates[1]})")


def load_mnist(data_dir: str | Path | None = None) -> Mnist:
    """Load and check the four MNIST files from `data_dir` (None: the bundled copy)."""
    directory = bundled_mnist_dir() if data_dir is None else Path(data_dir)
    if not directory.is_dir():
        raise DataError(f"the MNIST directory {directory} does not exist")
    paths = {field: find_idx(directory, name) for field, name in FILES.items()}
    arrays = {field: read_idx(path) for field, path in paths.items()}

    for split in ("train", "test"):
        check_labelled_images(arrays[f"{split}_images"], arrays[f"{split}_labels"],
                              paths[f"{split}_images"].name, paths[f"{split}_labels"].name)

    for array in arrays.values():
        array.flags.writeable = False
    return Mnist(**arrays)


def check_labelled_images(images: np.ndarray, labels: np.ndarray, image_file: str,
                          label_file: str) -> None:
    """Raise DataError unless `images` are n 28x28 images and `labels` n digits 0-9 (n > 0).

    The file names are for the messages: the arrays are what read_idx made of those files.
    """
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataError(f"{image_file} does not hold 28x28 images: its header gives shape "
                        f"{'x'.join(map(str, images.shape))}")
    if labels.ndim != 1:
        raise DataError(f"{label_file} does not hold a list of labels: its header gives "
                        f"shape {'x'.join(map(str, labels.shape))}")
    if len(images) == 0:
        raise DataError(f"{image_file} holds no images")
    if len(images) != len(labels):
        raise DataError(f"{image_file} holds {len(images)} images but {label_file} holds "
                        f"{len(labels)} labels")
    bad = np.flatnonzero(labels > 9)  # uint8, so never below 0
    if bad.size:
        raise DataError(f"{label_file} holds label {labels[bad[0]]} at position {bad[0]}; "
                        "labels must be digits 0-9")


def find_idx(directory: Path, name: str) -> Path:
    """`directory/name`, or else `directory/name.gz`; raise DataError if neither is a file."""
    for path in (directory / name, directory / f"{name}.gz"):
        if path.is_file():
            return path
    raise DataError(f"{name} (or {name}.gz) is missing from {directory}")


def as_inputs(images: np.ndarray, dtype=np.float32) -> np.ndarray:
    """Turn (n, 28, 28) uint8 images into network inputs: (n, 784) values in [0, 1]."""
    if images.dtype != np.uint8:
        raise TypeError(f"as_inputs expects uint8 pixels 0-255, not {images.dtype}")
    inputs = images.reshape(len(images), -1).astype(dtype)
    inputs /= 255  # in place: one array of the final size, no temporaries
    return inputs
