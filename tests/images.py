"""Small images for tests of what a network makes of a drawing."""

import numpy as np


def stroke_image(column: int = 14) -> np.ndarray:
    """A (28, 28) float32 image in [0, 1]: a slanted stroke, roughly a 1 or a 7."""
    image = np.zeros((28, 28), np.float32)
    for row in range(5, 23):
        x = column + (row - 14) // 4
        image[row, x - 1: x + 2] = 1.0
        image[row, x + 2] = 0.4
    image[5, column - 6: column + 2] = 0.8
    return image
