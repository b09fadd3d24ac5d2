"""Data augmentation: show the network slightly different digits every epoch.

Each image is rotated, scaled, sheared and shifted a little (one random affine map per image),
bent by a smooth random displacement of its pixels (an elastic distortion, as in Simard,
Steinkraus and Platt 2003: hands do not draw straight lines) and its strokes are made a little
thicker or thinner; some digits are first re-inked, written again along their skeleton with a
finer or a thicker pen (core.reink). The network then cannot memorise the
exact pixels of the 60,000 training digits and has to learn what makes a 3 a 3.

Everything works on the whole batch at once: the random maps are (n, 2, 3) matrices, and
bilinear sampling gathers the four neighbours of every output pixel of every image with one
fancy-indexing read each.
"""

import numpy as np

from digitpad.core.preprocess import CENTER, SIZE
from digitpad.core.reink import PEN_RADII, reink

MAX_ROTATION = 12.0
"""Degrees either way: people slant digits about this much; far more and a 1 leans like a 7."""
MAX_SCALE_CHANGE = 0.15
"""Scale by 0.85 to 1.15: MNIST fits digits into 20x20, so sizes vary, but not by much."""
MAX_SHEAR = 0.15
"""Italic slant: up to 0.15 pixel sideways per pixel of height."""
MAX_SHIFT = 2.5
"""Pixels: inputs are centred by their centre of mass, so a few pixels is all the jitter needed."""
MAX_ELASTIC = 1.2
"""Pixels: the largest a bend moves any point (a typical one moves half of it)."""
ELASTIC_KNOTS = 4
"""The bends are random moves of 4×4 points spread over the image, smoothly interpolated between
them: a few bends per digit, each about a stroke's length."""
MAX_STROKE_CHANGE = 0.5
"""Blend in up to half of a 3x3 dilation (thicker) or erosion (thinner): pens differ."""
REINK_SHARE = 0.3
"""Of the digits, this share is re-inked with a pen of random width before the other changes.
MNIST's writers held pens; the canvas's fine pen draws the bare path of a digit."""
CHUNK = 256
"""Images warped at once: the temporaries (~1 MB each) stay in the CPU cache (faster than 1024)."""

PAD = 2
"""Paper added around each image so that reads just outside it return 0."""
PADDED = SIZE + 2 * PAD


def augment(
    images: np.ndarray,
    rng: np.random.Generator,
    *,
    max_rotation: float = MAX_ROTATION,
    max_scale_change: float = MAX_SCALE_CHANGE,
    max_shear: float = MAX_SHEAR,
    max_shift: float = MAX_SHIFT,
    max_elastic: float = MAX_ELASTIC,
    max_stroke_change: float = MAX_STROKE_CHANGE,
    reink_share: float = REINK_SHARE,
) -> np.ndarray:
    """Return randomly distorted copies of images as (n, 784) float32 in [0, 1].

    images: (n, 28, 28) or (n, 784), uint8 in 0..255 or float in [0, 1].
    Every amount is drawn uniformly between -max and +max; all zero (and no share
    re-inked) gives the images back.
    """
    n = len(images)
    images = np.asarray(images).reshape(n, SIZE, SIZE)
    affine = random_affine(n, rng, max_rotation, max_scale_change, max_shear, max_shift)
    bends = rng.uniform(-max_elastic, max_elastic, (n, 2, ELASTIC_KNOTS, ELASTIC_KNOTS))
    stroke_change = rng.uniform(-max_stroke_change, max_stroke_change, n).astype(np.float32)
    reinked, pen_radius = rng.random(n) < reink_share, rng.uniform(*PEN_RADII, n)
    to_unit = np.float32(255 if images.dtype == np.uint8 else 1)
    out = np.empty((n, SIZE * SIZE), np.float32)
    for start in range(0, n, CHUNK):
        batch = slice(start, start + CHUNK)
        pixels = np.divide(images[batch], to_unit, dtype=np.float32)
        chosen = reinked[batch]
        if chosen.any():
            pixels[chosen] = reink(pixels[chosen], pen_radius[batch][chosen])
        warped = warp(pixels, affine[batch], elastic_field(bends[batch]))
        out[batch] = change_thickness(warped, stroke_change[batch]).reshape(-1, SIZE * SIZE)
    return out


def random_affine(
    n: int,
    rng: np.random.Generator,
    max_rotation: float,
    max_scale_change: float,
    max_shear: float,
    max_shift: float,
) -> np.ndarray:
    """(n, 2, 3) float32 maps from output pixel (x, y, 1) to where it reads the input (x, y).

    The digit turns, grows and slants about the centre (14, 14) and then moves. Sampling needs
    the inverse: output pixel p reads the input at centre + A^-1 (p - centre - shift).
    """
    angle = np.deg2rad(rng.uniform(-max_rotation, max_rotation, n))
    scale = 1.0 + rng.uniform(-max_scale_change, max_scale_change, n)
    shear = rng.uniform(-max_shear, max_shear, n)
    shift = rng.uniform(-max_shift, max_shift, (n, 2))
    cos, sin, zero, one = np.cos(angle), np.sin(angle), np.zeros(n), np.ones(n)
    rotate = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    slant = np.stack([np.stack([one, shear], -1), np.stack([zero, one], -1)], -2)
    inverse = np.linalg.inv(scale[:, None, None] * rotate @ slant)
    centre = np.array([CENTER, CENTER])
    offset = centre - np.einsum("nij,nj->ni", inverse, centre + shift)
    return np.concatenate([inverse, offset[:, :, None]], axis=2).astype(np.float32)


# Every output pixel as a column (x, y, 1), so that `affine @ GRID` maps them all at once.
_Y, _X = np.mgrid[:SIZE, :SIZE]
GRID = np.stack([_X.ravel(), _Y.ravel(), np.ones(SIZE * SIZE)]).astype(np.float32)


def elastic_field(bends: np.ndarray) -> np.ndarray:
    """(n, 2, 784) smooth displacements (x, y) of every pixel, from (n, 2, k, k) moves of a k×k
    grid of knots spread over the image (bilinear in between: a coarse field, smoothly
    enlarged, where Simard et al. blur a random field per pixel; the same bends, far cheaper)."""
    k = bends.shape[-1]
    spread = _knot_weights(k)  # (28, k)
    field = spread @ bends @ spread.T  # (n, 2, 28, 28), row y and column x of each
    return field.reshape(len(bends), 2, SIZE * SIZE).astype(np.float32)


def _knot_weights(k: int) -> np.ndarray:
    """(28, k): how much each of k knots, evenly spread from pixel 0 to 27, moves each pixel."""
    at = np.arange(SIZE) * (k - 1) / (SIZE - 1)
    return np.clip(1 - np.abs(at[:, None] - np.arange(k)[None, :]), 0, None)


def warp(images: np.ndarray, affine: np.ndarray, moves: np.ndarray | None = None) -> np.ndarray:
    """Bilinear sampling: output pixel (x, y) of image i reads image i at affine[i] @ (x, y, 1),
    moved further by moves[i] (n, 2, 784), if given.

    images (n, 28, 28) -> (n, 28, 28) float32.
    """
    n = len(images)
    padded = np.zeros((n, PADDED, PADDED), np.float32)
    padded[:, PAD:-PAD, PAD:-PAD] = images
    read_at = (affine + [[0, 0, PAD], [0, 0, PAD]]).astype(np.float32) @ GRID  # (n, 2, 784)
    if moves is not None:
        read_at += moves
    # Anything read further out than the first ring of paper is paper too.
    np.clip(read_at, 1, PADDED - 2, out=read_at)
    corner = np.floor(read_at)
    fx, fy = read_at[:, 0] - corner[:, 0], read_at[:, 1] - corner[:, 1]
    # Stacked on top of each other the padded images are one tall image, in which row r of image
    # i is row PADDED * i + r. Flat index of each top-left neighbour in it; the other three
    # neighbours are 1, PADDED and PADDED + 1 further on.
    tall_row = corner[:, 1] + (PADDED * np.arange(n, dtype=np.float32))[:, None]
    top_left = (tall_row * PADDED + corner[:, 0]).astype(np.intp)
    flat = padded.reshape(-1)
    a, b = flat[top_left], flat[1:][top_left]
    c, d = flat[PADDED:][top_left], flat[PADDED + 1 :][top_left]
    top = a + fx * (b - a)
    bottom = c + fx * (d - c)
    return (top + fy * (bottom - top)).reshape(n, SIZE, SIZE)


def change_thickness(images: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Blend each image toward its 3x3 dilation (amount > 0) or erosion (amount < 0).

    images (n, 28, 28) float32, amount (n,) in [-1, 1].
    """
    # Erosion (minimum over 3x3) is the dilation of the negative image: one filter does both.
    sign = np.where(amount < 0, -1, 1).astype(np.float32)[:, None, None]
    changed = sign * dilate(sign * images)
    return images + np.abs(amount)[:, None, None] * (changed - images)


def dilate(images: np.ndarray) -> np.ndarray:
    """Maximum over each pixel's 3x3 neighbourhood: a row pass, then a column pass."""
    p = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    rows = np.maximum(np.maximum(p[:, :, :-2], p[:, :, 1:-1]), p[:, :, 2:])
    return np.maximum(np.maximum(rows[:, :-2], rows[:, 1:-1]), rows[:, 2:])
