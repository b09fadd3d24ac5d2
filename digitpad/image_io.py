"""Reading a picture of a digit (PNG, JPEG, ...) as ink on paper, for `digitpad predict`, and
writing 28×28 digits as PNG files, for `digitpad samples export --png`.

Qt decodes and encodes the files, so digitpad needs no extra imaging library; that is also why
this lives outside digitpad.core, which never imports Qt.
"""

from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QImageWriter, QPainter

from digitpad.core.atomic_file import atomic_write
from digitpad.core.errors import DigitpadError
from digitpad.core.paths import open_regular, shown

MAX_IMAGE_BYTES = 64 * 2**20  # a photo of a digit is a few MB at most
MAX_SIDE = 2048  # larger pictures are scaled down as they are decoded: a digit needs far fewer


def read_ink(path: str | Path) -> np.ndarray:
    """The picture at `path` as a 2-D float array: ink 1.0, paper 0.0 (see ink_from_grey)."""
    return ink_from_grey(read_grey(path))


def read_grey(path: str | Path) -> np.ndarray:
    """The picture at `path` in shades of grey, 0.0 black to 1.0 white; raise DigitpadError.

    Only a regular file is read (a named pipe would wait forever), by Python, so that every
    name Linux allows works; Qt then decodes the bytes.
    """
    where = f"cannot read the image {shown(path)}"
    try:
        with open_regular(path) as file:
            data = file.read(MAX_IMAGE_BYTES + 1)
    except OSError as error:
        raise DigitpadError(f"{where}: {error.strerror or error}") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise DigitpadError(f"{where}: it is larger than {MAX_IMAGE_BYTES // 2**20} MB, "
                            "too large for a picture of a digit")
    encoded = QBuffer()
    encoded.setData(data)
    encoded.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(encoded)
    reader.setAutoTransform(True)  # photos: honour the camera's EXIF rotation
    size = reader.size()
    if max(size.width(), size.height()) > MAX_SIDE:
        reader.setScaledSize(size.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        raise DigitpadError(f"{where}: {reader.errorString().lower()}")
    if image.hasAlphaChannel():
        # Transparent pixels are paper: lay the picture on white before dropping colour.
        on_white = QImage(image.size(), QImage.Format.Format_RGB32)
        on_white.fill(QColor("white"))
        painter = QPainter(on_white)
        painter.drawImage(0, 0, image)
        painter.end()
        image = on_white
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    # Rows are padded to bytesPerLine; keep the first width bytes of each.
    rows = np.frombuffer(grey.constBits(), np.uint8, count=grey.sizeInBytes())
    pixels = rows.reshape(grey.height(), grey.bytesPerLine())[:, : grey.width()]
    return pixels.astype(np.float64) / 255.0


def ink_from_grey(grey: np.ndarray) -> np.ndarray:
    """Turn grey levels into ink 1.0 on paper 0.0, whichever way round the picture is.

    The paper is what fills the border: if the border is mostly light, the ink is dark and the
    picture is inverted (MNIST is light ink on black). The paper's own level is then subtracted,
    so a photo of greyish paper still reads as empty paper.
    """
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = float(np.median(border))
    if paper > 0.5:
        grey, paper = 1.0 - grey, 1.0 - paper
    if paper >= 1.0:
        return np.zeros_like(grey)
    return np.clip((grey - paper) / (1.0 - paper), 0.0, 1.0)


def write_png(path: str | Path, pixels: np.ndarray) -> None:
    """Save a 2-D uint8 array as a greyscale PNG (0 black, 255 white), atomically.

    Raises DigitpadError if the file cannot be written.
    """
    path = Path(path)
    pixels = np.ascontiguousarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        raise ValueError(f"write_png takes a 2-D uint8 array, not {pixels.dtype} {pixels.shape}")
    height, width = pixels.shape
    # copy(): the QImage must own its pixels, not borrow the NumPy buffer.
    image = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    # Encoded in memory, then written by Python: Qt cannot open every path Linux allows (names
    # that are not UTF-8), and atomic_write is the one way digitpad writes files.
    encoded = QBuffer()
    encoded.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(encoded, b"png")
    if not writer.write(image):
        raise DigitpadError(f"cannot write {shown(path)}: {writer.errorString().lower()}")
    try:
        with atomic_write(path) as file:
            file.write(encoded.data().data())
    except OSError as error:
        raise DigitpadError(f"cannot write {shown(path)}: {error.strerror or error}") from None
