"""A folder of pictures of digits, each labelled by its folder or its name, read as Samples.

    friends/3/anything.png       a folder named after the digit (as `samples export --png` writes)
    friends/7-from-anna.jpg      or a name that starts with the digit (7.png, 7_2.png, 7-a.jpg)

A 28×28 picture is taken as it is, as already MNIST-style (light ink on dark, or dark ink on
light, which is inverted): exported drawings come back bit for bit. A larger picture is a
photo or scan of one digit, and is cropped, scaled and centred the way the canvas's drawings are.
Lives outside digitpad.core because Qt decodes the pictures.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.paths import shown
from digitpad.core.preprocess import to_mnist
from digitpad.core.samples import SIZE, Samples, too_many_message

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".ppm", ".pbm")
_LEADING_DIGIT = re.compile(r"(\d)(?!\d)")  # 7.png, 7_2.png, 7-a.png; not 17.png


def read_picture_folder(folder: str | Path, at_most: int | None = None) -> Samples:
    """Every picture under `folder` with its digit; all of them read, or DataError.

    at_most: refuse a folder of more pictures before any is decoded.
    """
    folder = Path(folder)
    pictures = list_pictures(folder)
    if not pictures:
        raise DataError(f"{shown(folder)} holds no pictures ({', '.join(PICTURE_SUFFIXES)}) and no "
                        "my-digits IDX pair: nothing was added")
    if at_most is not None and len(pictures) > at_most:
        raise DataError(too_many_message(f"{shown(folder)} holds", len(pictures), at_most))
    images = np.zeros((len(pictures), SIZE, SIZE), np.uint8)
    labels = np.zeros(len(pictures), np.uint8)
    for i, path in enumerate(pictures):
        labels[i] = digit_of(path, folder)
        images[i] = read_digit_picture(path)
    return Samples(images, labels)


def list_pictures(folder: Path) -> list[Path]:
    """The picture files under `folder` (sub-folders included), in a fixed order."""
    found = []
    for here, folders, files in os.walk(folder, onerror=_walk_error):
        folders.sort()
        for name in sorted(files):
            if name.lower().endswith(PICTURE_SUFFIXES) and not name.startswith("."):
                found.append(Path(here) / name)
    return found


def digit_of(path: Path, root: Path) -> int:
    """The digit a picture is labelled with: its folder's name, or the start of its own."""
    if path.parent.name.isdigit() and len(path.parent.name) == 1:
        return int(path.parent.name)
    match = _LEADING_DIGIT.match(path.name)
    if match:
        return int(match.group(1))
    raise DataError(f"cannot tell which digit {shown(path)} is: put each picture in a folder "
                    f"named after its digit ({shown(root)}/3/...) or start its name with the digit "
                    "(3-a.png); nothing was added")


def read_digit_picture(path: Path) -> np.ndarray:
    """One picture as the network would see it: 28×28 uint8, ink 255."""
    from digitpad.image_io import read_ink

    try:
        ink = read_ink(path)  # regular files only: a pipe named 3.png is refused, not waited on
    except DigitpadError as e:
        raise DataError(f"{e}; nothing was added") from None
    digit = ink if ink.shape == (SIZE, SIZE) else to_mnist(ink)
    if digit is None:
        raise DataError(f"{shown(path)} shows no ink (an empty picture); nothing was added")
    return np.rint(np.clip(digit, 0.0, 1.0) * 255).astype(np.uint8)


def _walk_error(error: OSError) -> None:
    raise DataError(f"cannot read the folder {shown(error.filename)}: {error.strerror or error}; "
                    "nothing was added")
