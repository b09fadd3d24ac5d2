"""Mouse-drawn test digits as strokes, for benchmarks/drawn_digits.py.

A stroke is what the mouse does between pressing and releasing the left button: a list of
(x, y) points in canvas grid units (0..28 across, y down), spaced the way mouse-move events
arrive (a few screen pixels apart). A digit is a few strokes. Two sources of digits:

(a) `skeleton_digits`: real handwriting. MNIST test digits are thinned to one-pixel skeletons
    (Zhang and Suen), the skeletons are traced into polylines and redrawn as pen strokes: the
    shapes people wrote, with the pen of the app instead of the pen of the census clerks.
(b) `template_digits`: common ways of writing each digit (1 with and without a flag, open and
    closed 4, 7 with a crossbar, ...), the styles of digitpad.core.hands, slanted, stretched and
    wobbled.

Both are drawn at a random height (40-90% of the canvas) at a random place on it, with a little
hand tremor. This module is plain NumPy and digitpad.core (no Qt): the sets are data, generated
once with a fixed seed and saved as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from digitpad.core.hands import STYLES, all_styles, hand_strokes, place_on_canvas, random_field

GRID = 28.0
"""The canvas is 28 grid units across."""
PEN_ALLOWANCE = 2.3
"""The default pen's width (grid units): a digit's ink is its path plus half a pen on each side,
so the path of a digit drawn at height h spans h - PEN_ALLOWANCE."""
HEIGHTS = (0.4, 0.9)
"""Ink height as a fraction of the canvas height."""
MOUSE_STEP = (0.2, 0.45)
"""Grid units between mouse-move events (3 to 6 screen pixels on a 14-pixel-per-cell canvas)."""
TREMOR = 0.12
"""Hand jitter: amplitude (grid units) of a slow random wobble along each stroke."""
UPSAMPLE = 4
"""MNIST digits are thinned at 4x their resolution (112x112), for smooth skeletons."""
MAX_WIDTH = 5.0
"""MNIST pixels: thicker strokes (about 3% of the digits, most of them with filled loops) are
not redrawn. The median MNIST stroke is 2.9 pixels wide, the 90th percentile 4.1."""

Points = np.ndarray  # (n, 2) float, columns x and y
Strokes = list[Points]


# --- (a) skeletons of real handwriting ------------------------------------------------------


def zhang_suen_thinning(binary: np.ndarray) -> np.ndarray:
    """Thin a binary image to a one-pixel-wide skeleton (Zhang and Suen, CACM 1984).

    Each pass deletes, all at once, the boundary pixels whose removal keeps the shape connected:
    those with 2 to 6 neighbours in ink and exactly one paper-to-ink transition around them.
    The two alternating sub-passes peel the south-east and the north-west sides in turn.
    """
    img = np.pad(np.asarray(binary, dtype=bool), 1).astype(np.uint8)
    while True:
        changed = False
        for first in (True, False):
            # The 8 neighbours P2..P9, clockwise from north, as shifted views of the interior.
            p2, p3, p4 = img[:-2, 1:-1], img[:-2, 2:], img[1:-1, 2:]
            p5, p6, p7 = img[2:, 2:], img[2:, 1:-1], img[2:, :-2]
            p8, p9 = img[1:-1, :-2], img[:-2, :-2]
            ring = [p2, p3, p4, p5, p6, p7, p8, p9, p2]
            neighbours = sum(ring[:8])
            transitions = sum((a == 0) & (b == 1) for a, b in zip(ring[:-1], ring[1:]))
            if first:
                side = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                side = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            delete = (
                (img[1:-1, 1:-1] == 1)
                & (neighbours >= 2)
                & (neighbours <= 6)
                & (transitions == 1)
                & side
            )
            if delete.any():
                img[1:-1, 1:-1][delete] = 0
                changed = True
        if not changed:
            return img[1:-1, 1:-1].astype(bool)


def trace_skeleton(skeleton: np.ndarray) -> list[Points]:
    """Cover every link of a skeleton with polylines of (row, col) pixel positions.

    Pixels are linked to their 8 neighbours, except a diagonal link that a corner pixel already
    bridges (that would make tiny triangles). Each polyline starts at a loose end (or anywhere on
    a loop), and at every fork keeps going as straight as it can, like a pen would.
    """
    pixels = set(zip(*np.nonzero(skeleton)))
    links: dict[tuple[int, int], list[tuple[int, int]]] = {p: [] for p in pixels}
    for r, c in pixels:
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                q = (r + dr, c + dc)
                if q == (r, c) or q not in pixels:
                    continue
                if dr and dc and ((r + dr, c) in pixels or (r, c + dc) in pixels):
                    continue
                links[(r, c)].append(q)
    unused = {frozenset((p, q)) for p, qs in links.items() for q in qs}

    def free(p):
        return [q for q in links[p] if frozenset((p, q)) in unused]

    paths = []
    while unused:
        ends = sorted(p for p in pixels if len(free(p)) % 2 == 1)
        path = [ends[0] if ends else min(p for p in pixels if free(p))]
        while options := free(path[-1]):
            here = np.array(path[-1], float)
            heading = here - np.array(path[max(0, len(path) - 4)], float)
            nxt = max(options, key=lambda q: float(heading @ (np.array(q) - here)))
            unused.discard(frozenset((path[-1], nxt)))
            path.append(nxt)
        paths.append(np.array(path, dtype=float))
    return paths


def upsample(image: np.ndarray, factor: int) -> np.ndarray:
    """Bilinear enlargement of a 2-D image by an integer factor (pixel centres kept aligned)."""
    h, w = image.shape
    rows = np.clip((np.arange(h * factor) + 0.5) / factor - 0.5, 0, h - 1)
    cols = np.clip((np.arange(w * factor) + 0.5) / factor - 0.5, 0, w - 1)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    r1, c1 = np.minimum(r0 + 1, h - 1), np.minimum(c0 + 1, w - 1)
    fr, fc = (rows - r0)[:, None], (cols - c0)[None, :]
    top = image[r0][:, c0] * (1 - fc) + image[r0][:, c1] * fc
    bottom = image[r1][:, c0] * (1 - fc) + image[r1][:, c1] * fc
    return top * (1 - fr) + bottom * fr


def mnist_strokes(image: np.ndarray, spur: float = 1.5) -> Strokes | None:
    """The strokes (x, y in MNIST pixels) of a 28x28 uint8 MNIST digit's skeleton.

    Branches shorter than `spur` MNIST pixels (thinning leaves such whiskers at corners) are
    dropped, polylines that meet end to end are joined, and the pixel staircase is smoothed.
    Returns None for a digit written with so thick a pen (mean stroke width above MAX_WIDTH)
    that its loops are filled in: its skeleton is not the shape its writer drew.
    """
    grey = image.astype(float) / 255.0
    big = upsample(grey, UPSAMPLE) >= ink_threshold(grey)
    skeleton = zhang_suen_thinning(big)
    # ink area / skeleton length, in MNIST pixels (a skeleton pixel is 1/UPSAMPLE long)
    if big.sum() / UPSAMPLE**2 > MAX_WIDTH * skeleton.sum() / UPSAMPLE:
        return None
    paths = trace_skeleton(skeleton)
    # (row, col) of the big image -> (x, y) in MNIST pixels
    polylines = [(p[:, ::-1] + 0.5) / UPSAMPLE for p in paths]
    longest = max(length(p) for p in polylines)
    polylines = [p for p in polylines if length(p) >= min(spur, longest)]
    return [smooth(p, 2) for p in join_polylines(polylines, reach=1.0)]


def ink_threshold(grey: np.ndarray, candidates=(0.4, 0.55, 0.7, 0.85)) -> float:
    """The grey level that separates ink from paper while keeping the digit's loops open.

    A thick pen fills small loops of an 8 or a 6 with grey; the lowest threshold would thin
    such a loop into a line. Take the candidate that shows the most loops (holes of at least
    two pixels) without breaking the ink into more pieces than the lowest one.
    """
    min_hole = 2
    best, best_holes, pieces = candidates[0], -1, None
    for t in candidates:
        ink = grey >= t
        ink_pieces = len(component_sizes(ink))
        paper = component_sizes(~np.pad(ink, 1))  # the padded border joins the outside paper
        holes = sum(size >= min_hole for size in paper) - 1
        pieces = ink_pieces if pieces is None else pieces
        if ink_pieces <= pieces and holes > best_holes:
            best, best_holes = t, holes
    return best


def component_sizes(mask: np.ndarray) -> list[int]:
    """Sizes of the 4-connected regions of a boolean image (label propagation, vectorized)."""
    big = mask.size + 1
    labels = np.where(mask, np.arange(mask.size).reshape(mask.shape), big)
    while True:
        padded = np.pad(labels, 1, constant_values=big)
        smallest = np.minimum.reduce([
            labels, padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]
        ])
        smallest = np.where(mask, smallest, big)
        if np.array_equal(smallest, labels):
            break
        labels = smallest
    return np.unique(labels[mask], return_counts=True)[1].tolist()


def join_polylines(polylines: list[Points], reach: float) -> list[Points]:
    """Chain polylines whose ends are within `reach` of each other into longer ones."""
    polylines = list(polylines)
    joined = True
    while joined:
        joined = False
        for i in range(len(polylines)):
            for j in range(i + 1, len(polylines)):
                a, b = polylines[i], polylines[j]
                for a_, b_ in ((a, b), (a, b[::-1]), (a[::-1], b), (a[::-1], b[::-1])):
                    if np.hypot(*(a_[-1] - b_[0])) <= reach:
                        polylines[i] = np.concatenate([a_, b_])
                        del polylines[j]
                        joined = True
                        break
                if joined:
                    break
            if joined:
                break
    return polylines


def smooth(points: Points, radius: int) -> Points:
    """Moving average over 2 * radius + 1 points; the two ends stay where they are."""
    if len(points) < 3:
        return points
    padded = np.concatenate([points[:1].repeat(radius, 0), points, points[-1:].repeat(radius, 0)])
    kernel = np.ones(2 * radius + 1) / (2 * radius + 1)
    out = np.stack([np.convolve(padded[:, k], kernel, mode="valid") for k in (0, 1)], axis=1)
    out[0], out[-1] = points[0], points[-1]
    return out


# --- (b) the styles of digitpad.core.hands ------------------------------------------------
#
# The digits in many hands that the accurate preset also trains on (different writers: other
# seeds). templates.json was made from the first 27 of them, before they moved into core.


# --- drawing a digit on the canvas ----------------------------------------------------------


def mouse_strokes(
    strokes: Strokes, rng: np.random.Generator, pen: float = PEN_ALLOWANCE
) -> Strokes:
    """Add hand tremor and resample every stroke at the spacing of mouse-move events."""
    tremor = random_field(rng, amplitude=TREMOR, wavelength=(2.0, 6.0))
    step = rng.uniform(*MOUSE_STEP)
    out = []
    for s in strokes:
        s = resample(s, step, rng)
        s = tremor(s)
        # The tremor must not push the ink off the canvas either.
        out.append(np.clip(s, pen / 2, GRID - pen / 2))
    return out


def resample(points: Points, step: float, rng: np.random.Generator) -> Points:
    """Points every `step` (+-30%, the hand's speed varies) along the polyline, ends included."""
    seglen = np.hypot(*np.diff(points, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(seglen)])
    total = along[-1]
    if total < 1e-9:
        return points[:1]
    steps = step * rng.uniform(0.7, 1.3, int(total / (0.7 * step)) + 2)
    at = np.cumsum(steps)
    at = np.concatenate([[0.0], at[at < total - 0.3 * step], [total]])
    return np.stack([np.interp(at, along, points[:, k]) for k in (0, 1)], axis=1)


def length(points: Points) -> float:
    return float(np.hypot(*np.diff(points, axis=0).T).sum()) if len(points) > 1 else 0.0


# --- the two sets ---------------------------------------------------------------------------


def skeleton_digits(
    images: np.ndarray,
    labels: np.ndarray,
    per_digit: int,
    seed: int,
    heights: tuple[float, float] = HEIGHTS,
    pens: tuple[float, ...] = (),
    slant: float = 0.0,
) -> list[dict]:
    """(a) `per_digit` random MNIST test digits of each kind, redrawn from their skeletons
    (blobs that `mnist_strokes` declines are skipped). With `pens`, the digits take turns with
    them (each digit records its "pen"); with `slant`, each is sheared by up to that many
    degrees either way."""
    rng = np.random.default_rng(seed)
    digits = []
    for d in range(10):
        candidates = iter(rng.permutation(np.flatnonzero(labels == d)))
        drawn = 0
        while drawn < per_digit:
            index = next(candidates)
            strokes = mnist_strokes(images[index])
            if strokes is None:
                continue
            pen = pens[drawn % len(pens)] if pens else PEN_ALLOWANCE
            if slant:
                strokes = sheared(strokes, rng.uniform(-slant, slant))
            strokes = mouse_strokes(place_on_canvas(strokes, rng, pen, heights), rng, pen)
            digit = {"label": d, "mnist_index": int(index), "strokes": strokes}
            digits.append({**digit, "pen": pen} if pens else digit)
            drawn += 1
    return digits


def hand_digits(
    per_style: int,
    seed: int,
    heights: tuple[float, float],
    pens: tuple[float, ...],
    slant: float,
) -> list[dict]:
    """(c) `per_style` digits of every style of digitpad.core.hands, taking turns with the
    pens, slanted by up to `slant` degrees either way, at `heights` of the canvas."""
    rng = np.random.default_rng(seed)
    lean = np.tan(np.deg2rad(slant))
    digits = []
    for d, style in all_styles():
        for i in range(per_style):
            pen = pens[i % len(pens)]
            strokes = hand_strokes(d, style, rng, slant=(-lean, lean), tilt=(0.0, 0.0))
            strokes = mouse_strokes(place_on_canvas(strokes, rng, pen, heights), rng, pen)
            digits.append({"label": d, "style": style, "pen": pen, "strokes": strokes})
    return digits


def sheared(strokes: Strokes, degrees: float) -> Strokes:
    """Strokes (y down) leaning `degrees` further to the right, about their middle height."""
    middle = np.concatenate(strokes)[:, 1].mean()
    lean = np.tan(np.deg2rad(degrees))
    return [s + np.stack([lean * (middle - s[:, 1]), np.zeros(len(s))], axis=1) for s in strokes]


def template_digits(per_digit: int, seed: int) -> list[dict]:
    """(b) `per_digit` digits of each kind, the styles taking turns."""
    rng = np.random.default_rng(seed)
    digits = []
    for d in range(10):
        styles = list(STYLES[d])
        for i in range(per_digit):
            style = styles[i % len(styles)]
            strokes = hand_strokes(d, style, rng)
            strokes = mouse_strokes(place_on_canvas(strokes, rng, PEN_ALLOWANCE, HEIGHTS), rng)
            digits.append({"label": d, "style": style, "strokes": strokes})
    return digits


def save(path: Path, digits: list[dict], about: dict) -> None:
    """Write a stroke set as JSON, one digit per line; coordinates rounded to 0.01 grid unit."""
    lines = []
    for digit in digits:
        strokes = [np.round(s, 2).tolist() for s in digit["strokes"]]
        lines.append(json.dumps({**digit, "strokes": strokes}, separators=(",", ":")))
    header = json.dumps(about, indent=1)[:-2]  # without the closing brace
    text = header + ',\n "digits": [\n' + ",\n".join(lines) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def load(path: Path) -> dict:
    """A saved stroke set: its description and "digits", each with "label" and "strokes"."""
    return json.loads(Path(path).read_text())
