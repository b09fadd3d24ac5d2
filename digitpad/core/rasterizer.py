"""Pen strokes to pixels: the one rasterizer of the canvas and of the digits drawn in many hands.

A stroke is a polyline of (x, y) points in canvas units: the canvas is GRID = 28 units across,
(0, 0) its top-left corner, y pointing down. The pen draws a smooth curve through the points
(quadratic Béziers through the midpoints of the segments, the curve the canvas shows) with
round ends, `pen_width` canvas units wide.

A pixel's grey level is the fraction of it the pen covers. For a pixel whose centre is at
distance d from the curve, with a pen of radius r (both in pixels), that fraction is taken to be
the overlap of the pixel's extent [d - ½, d + ½] with the pen's [-r, r]: exact for a straight
line, close for curves. The image is computed FINE pixels across or finer and averaged down,
so rasterize(strokes, 28) is exactly the 4×4 block means of rasterize(strokes, 112).

The same strokes give the same network input from the canvas and from the synthesizer:
both call `network_input(strokes, pen_width)`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from digitpad.core.preprocess import to_mnist

GRID = 28
"""The canvas is 28 units across: one unit per pixel of the 28×28 grid the user paints on."""

DEFAULT_PEN_WIDTH = 2.3
"""The canvas's pen, in canvas units. Upright MNIST 1s are 2.7 pixels wide (median; 1.9 to 4.0
from the 10th to the 90th percentile). A digit drawn at 40-90% of the canvas height is scaled by
1.8 to 0.8 to fit MNIST's 20×20 box; with this pen such digits carry on average as much ink as
MNIST's (105 per image) and are as saturated (half their inked pixels above 0.9)."""

FINE = 112
"""Drawings become network input from an image this fine: cropping and scaling to MNIST's 20×20
are more precise from 112×112 than from the 28×28 grid, whose cells are its 4×4 block means."""

MAX_SEGMENT = 2.0
"""Pixels: the pen's path is cut into pieces at most this long, so that every piece's pixels fit
one small square window and all pieces are measured at once. Chords this short stay within
0.07 pixel of any curve the pen draws around a loop 8 pixels (2 canvas units) across."""

_FLAT = 0.25
"""Canvas units between the points a curve is flattened into (one pixel of FINE)."""

Point = tuple[float, float]


def pen_path(points: Sequence[Point] | np.ndarray) -> np.ndarray:
    """The polyline (m, 2) the pen draws through a stroke's points (canvas units).

    Mouse positions arrive as a polyline; curving through the midpoints of its segments
    (quadratic Béziers with the recorded points as control points) removes the corners. The curve
    starts at the first point and ends at the last.
    """
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(p) < 3:
        return p
    controls = p[1:-1]
    ends = (p[1:-1] + p[2:]) / 2
    starts = np.concatenate([p[:1], ends[:-1]])
    # The curve's speed, 2|control - start| at t = 0 and 2|end - control| at t = 1, is largest
    # at an end: that many steps keeps points at most _FLAT apart.
    fastest = 2 * max(np.hypot(*(controls - starts).T).max(), np.hypot(*(ends - controls).T).max())
    steps = int(np.clip(math.ceil(fastest / _FLAT), 1, 64))
    t = (np.arange(1, steps + 1) / steps)[None, :, None]
    curve = ((1 - t) ** 2 * starts[:, None] + 2 * (1 - t) * t * controls[:, None]
             + t**2 * ends[:, None])
    return np.concatenate([p[:1], curve.reshape(-1, 2), p[-1:]])


def rasterize(
    strokes: Iterable[Sequence[Point] | np.ndarray],
    size: int = GRID,
    pen_width: float = DEFAULT_PEN_WIDTH,
) -> np.ndarray:
    """Render strokes (canvas units, 0..28) to a (size, size) float32 image, ink 1, paper 0."""
    if size < 1:
        raise ValueError(f"the image size must be at least 1 pixel, got {size}")
    if not pen_width > 0:
        raise ValueError("the pen width must be positive")
    factor = max(1, math.ceil(FINE / size))
    pixels = size * factor
    paths = [pen_path(s) * (pixels / GRID) for s in strokes if len(s)]
    ink = np.zeros(pixels * pixels + 1, np.float32)  # the last slot takes pixels off the image
    if paths:
        a, b = _pieces(paths)
        _ink_pieces(ink, a, b, pen_width * pixels / GRID / 2, pixels)
    image = ink[:-1].reshape(pixels, pixels)
    if factor > 1:
        image = image.reshape(size, factor, size, factor).mean(axis=(1, 3), dtype=np.float32)
    return image


def network_input(
    strokes: Iterable[Sequence[Point] | np.ndarray], pen_width: float = DEFAULT_PEN_WIDTH
) -> np.ndarray | None:
    """The (28, 28) MNIST-style image the network reads for these strokes (None: no ink)."""
    return to_mnist(rasterize(strokes, FINE, pen_width))


def _pieces(paths: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Every path cut into equal pieces at most MAX_SEGMENT long, as start and end points
    (k, 2); a path of one point is one piece of length 0 (a dot)."""
    starts, ends = [], []
    for path in paths:
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(path, axis=0).T))])
        at = np.linspace(0.0, along[-1], max(1, math.ceil(along[-1] / MAX_SEGMENT)) + 1)
        points = np.stack([np.interp(at, along, path[:, 0]), np.interp(at, along, path[:, 1])], 1)
        starts.append(points[:-1])
        ends.append(points[1:])
    return np.concatenate(starts), np.concatenate(ends)


def _ink_pieces(ink: np.ndarray, a: np.ndarray, b: np.ndarray, r: float, pixels: int) -> None:
    """Add the pen's coverage along segments a→b (pixel units, radius r) to the flat image:
    each pixel keeps the largest coverage any segment gives it, which is the coverage by the
    nearest one."""
    window = math.ceil(MAX_SEGMENT + 2 * r + 2) + 1
    a, b = a.astype(np.float32), b.astype(np.float32)
    corner = np.floor(np.minimum(a, b) - r - 1).astype(np.intp)  # (k, 2) x, y
    offsets = np.arange(window)
    xs = corner[:, 0, None] + offsets  # (k, window) pixel columns
    ys = corner[:, 1, None] + offsets  # (k, window) pixel rows
    # Distance from each pixel centre of each window to its segment (float32 throughout:
    # np.maximum.at is many times slower when it has to convert).
    ab = b - a
    px = (xs.astype(np.float32) + 0.5 - a[:, 0, None])[:, None, :]  # (k, 1, window)
    py = (ys.astype(np.float32) + 0.5 - a[:, 1, None])[:, :, None]  # (k, window, 1)
    length2 = np.maximum((ab**2).sum(axis=1), 1e-12)[:, None, None]
    t = np.clip((px * ab[:, 0, None, None] + py * ab[:, 1, None, None]) / length2, 0.0, 1.0)
    d = np.hypot(px - t * ab[:, 0, None, None], py - t * ab[:, 1, None, None])
    coverage = np.clip(np.minimum(d + 0.5, r) - np.maximum(d - 0.5, -r), 0.0, 1.0)
    inside = ((xs >= 0) & (xs < pixels))[:, None, :] & ((ys >= 0) & (ys < pixels))[:, :, None]
    flat = np.where(inside, ys[:, :, None] * pixels + xs[:, None, :], pixels * pixels)
    np.maximum.at(ink, flat.ravel(), coverage.ravel())
