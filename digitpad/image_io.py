"""Reading a picture of a digit (PNG, JPEG, ...) as ink on paper, for `digitpad predict`.

Qt decodes the file, so digitpad needs no extra imaging library; that is also why this lives
outside digitpad.core, which never imports Qt.
"""

from pathlib import Path

import numpy as np
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter

from digitpad.core.errors import DigitpadError


def read_ink(path: str | Path) -> np.ndarray:
    """The picture at `path` as a 2-D float array: ink 1.0, paper 0.0 (see ink_from_grey)."""
    return ink_from_grey(read_grey(path))


def read_grey(path: str | Path) -> np.ndarray:
    """The picture at `path` in shades of grey, 0.0 black to 1.0 white; raise DigitpadError."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # photos: honour the camera's EXIF rotation
    image = reader.read()
    if image.isNull():
        reason = reader.errorString().lower()
        raise DigitpadError(f"cannot read the image {path}: {reason}")
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
