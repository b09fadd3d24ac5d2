"""Re-inking: the same digit written with another pen.

MNIST's writers used pens and pencils that drew strokes about 3 pixels wide; on the canvas people
draw with fine and thick pens, and a fine pen draws a digit's path with nothing filled in. To
re-ink a digit, its strokes are thinned to their one-pixel path, the skeleton (Zhang and Suen's
thinning, CACM 1984), and that path is drawn again with a round pen of another radius.

Thinning peels ink off the boundary, all at once in each sub-pass, wherever removing a pixel
keeps the shape connected: a pixel with 2 to 6 inked neighbours and exactly one paper-to-ink
transition around it. The two alternating sub-passes peel the south-east and the north-west
sides in turn. Whether a pixel goes depends only on its 8 neighbours, so each sub-pass is a
lookup in a table of the 256 neighbourhoods, for every pixel of every image at once.
"""

from __future__ import annotations

import numpy as np

INK = 0.5
"""Grey levels above this are ink when thinning: the middle of MNIST's anti-aliased edges."""
PEN_RADII = (0.6, 2.2)
"""Pixels: the radius of the new pen, from a fine pen's (a stroke 1.2 pixels wide, what the
canvas's thinnest pen gives a tall digit) to a marker's (4.4 pixels, a short digit drawn thick)."""
REACH = 2
"""The pen is drawn within this many pixels of the path: 5×5 squares hold radii up to 2.5."""
MAX_PASSES = 14
"""Thinning stops after this many pairs of sub-passes: enough for strokes 28 pixels wide."""


def _thinning_tables() -> np.ndarray:
    """(2, 256) bool: whether the first and the second sub-pass delete an ink pixel whose
    neighbours P2 … P9 (clockwise from north) are the bits 0 … 7 of the index."""
    p = (np.arange(256)[:, None] >> np.arange(8)) & 1  # (256, 8): P2 … P9
    neighbours = p.sum(axis=1)
    transitions = ((p == 0) & (np.roll(p, -1, axis=1) == 1)).sum(axis=1)  # P9 is followed by P2
    p2, _, p4, _, p6, _, p8, _ = p.T
    may_go = (neighbours >= 2) & (neighbours <= 6) & (transitions == 1)
    south_east = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
    north_west = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
    return np.stack([may_go & south_east, may_go & north_west])


THINNING = _thinning_tables()


def skeleton(ink: np.ndarray) -> np.ndarray:
    """(n, h, w) bool ink thinned to one-pixel-wide paths, every image at once. An image that
    a pass left as it was is finished: the next passes thin only the others (after two passes
    nine MNIST digits in ten are finished)."""
    img = np.pad(ink.astype(bool), ((0, 0), (1, 1), (1, 1)))
    thinning = np.arange(len(img))  # the images not finished yet
    for _ in range(MAX_PASSES):
        if len(thinning) == 0:
            break
        part = img[thinning]
        inside = part[:, 1:-1, 1:-1]  # a view: deleting here deletes in part
        changed = np.zeros(len(part), bool)
        for deletes in THINNING:
            go = inside & deletes[neighbourhood(part.view(np.uint8))]
            inside[go] = False
            changed |= go.any(axis=(1, 2))
        img[thinning] = part
        thinning = thinning[changed]
    return img[:, 1:-1, 1:-1]


def neighbourhood(img: np.ndarray) -> np.ndarray:
    """For every inner pixel of (n, h + 2, w + 2) 0/1 images, its 8 neighbours P2 … P9
    (clockwise from north) as the bits of a number from 0 to 255."""
    h, w = img.shape[1] - 2, img.shape[2] - 2
    clockwise = ((0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0), (0, 0))  # (row, col)
    code = np.zeros((len(img), h, w), np.uint8)
    for bit, (r, c) in enumerate(clockwise):
        code |= img[:, r : r + h, c : c + w] << bit
    return code


def draw_path(path: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """(n, h, w) float32: one-pixel paths drawn with round pens of `radius` (n,) pixels.

    A pixel at distance d from the nearest path pixel gets ink r + ½ - d (between 0 and 1):
    the pen's edge is anti-aliased over one pixel.
    """
    n, h, w = path.shape
    padded = np.pad(path.astype(np.float32), ((0, 0), (REACH, REACH), (REACH, REACH)))
    out = np.zeros((n, h, w), np.float32)
    for dy in range(-REACH, REACH + 1):
        for dx in range(-REACH, REACH + 1):
            weight = np.clip(radius + 0.5 - np.hypot(dy, dx), 0, 1).astype(np.float32)
            shifted = padded[:, REACH + dy : REACH + dy + h, REACH + dx : REACH + dx + w]
            np.maximum(out, shifted * weight[:, None, None], out=out)
    return out


def reink(images: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """(n, h, w) float images in [0, 1] redrawn along their skeletons with pens of `radius`
    (n,) pixels."""
    return draw_path(skeleton(images > INK), radius)
