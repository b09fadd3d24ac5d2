"""Digits drawn from pen strokes, in the common hands of several writing traditions.

MNIST was written by American census clerks and students: its 1s are mostly plain sticks and its
7s have no crossbar. Most of Europe writes a 1 with a long flag, often on a base, and crosses
its 7s; many people close the top of a 4 or hook the stem of a 9. Each style here is a few pen
strokes, and every digit drawn from it is a different writer's: proportions (how long the flag,
how big the loop, where the bar crosses), slant, width, tilt, size on the canvas, pen width and a
slow wobble of the hand are random, and the same seed gives the same digits.

Styles are written in a box 1 unit tall: y from 0 at the top to 1 at the bottom, x to the right.
Angles are in degrees on the screen: 0 = right (3 o'clock), 90 = down, 180 = left, 270 = up; an
arc from a0 to a1 > a0 turns clockwise, to a1 < a0 counter-clockwise. A style is a function of
v(low, high), a random number in that range, for the proportions that differ between writers.

The strokes are placed on the canvas (canvas units, 0..28) and become network input through the
canvas's own rasterizer and preprocessing (core.rasterizer.network_input).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import NamedTuple

import numpy as np

from digitpad.core.mnist import Mnist
from digitpad.core.rasterizer import GRID, network_input

Points = np.ndarray  # (n, 2) float, columns x and y
Strokes = list[Points]
Style = Callable[[Callable[[float, float], float]], Strokes]

SLANT = (-0.12, 0.35)
"""Sideways shift per unit of height: most people lean their digits to the right."""
TILT = (-8.0, 8.0)
"""Degrees the whole digit is turned."""
WIDTH = (0.75, 1.3)
"""Width relative to the style's own."""
WOBBLE = 0.035
"""Amplitude (in digit heights) of a slow random bending of the strokes: the hand's unsteadiness."""
HEIGHTS = (0.4, 0.9)
"""Ink height as a fraction of the canvas: what people draw on it."""
PEN_WIDTHS = (1.5, 3.3)
"""Canvas units: from a fine pen to a thick one (the canvas's own is 2.3)."""


# --- drawing primitives ------------------------------------------------------------------------


def seg(*xy: float) -> Points:
    """A polyline through the points (x0, y0, x1, y1, ...)."""
    return np.array(xy, dtype=float).reshape(-1, 2)


def arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float) -> Points:
    """Part of an ellipse centred at (cx, cy), from angle a0 to a1."""
    t = np.deg2rad(np.linspace(a0, a1, max(8, int(abs(a1 - a0) / 6))))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def bezier(p0, p1, p2) -> Points:
    """A quadratic Bézier curve from p0 to p2, pulled towards p1."""
    t = np.linspace(0, 1, 16)[:, None]
    p0, p1, p2 = (np.array(p, dtype=float) for p in (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t**2 * p2


def chain(*parts: Points) -> Points:
    """One stroke through the parts in order (the pen stays down between them)."""
    return np.concatenate(parts)


# --- the styles --------------------------------------------------------------------------------


def one(v, flag: float, base: bool) -> Strokes:
    """A 1: a stem, with a flag reaching `flag` to the left (0: none) and perhaps a base."""
    f = flag * v(0.7, 1.3)
    drop = f * v(0.8, 1.6)  # how far down the flag starts: a short tick or a long steep upstroke
    stem = seg(-f, drop, 0, 0, 0, 1) if f else seg(0, 0, 0, 1)
    return [stem, seg(-v(0.15, 0.3), 1, v(0.15, 0.3), 1)] if base else [stem]


def six(v, stem: Callable[[float, float], Points]) -> Strokes:
    r = v(0.2, 0.3)  # the loop's radius: a small or a big belly
    top = stem(0.02, 1 - r)
    return [chain(top, arc(0.02 + r, 1 - r, r, r * v(0.9, 1.05), 180, -170))]


def nine(v, tail: Callable[[float, float], Points]) -> Strokes:
    r = v(0.22, 0.3)  # the loop's radius
    loop = arc(r, r, r, r * v(0.85, 1.05), 10, -350)
    return [chain(loop, tail(loop[-1, 0], loop[-1, 1]))]


def seven(v, top: Points, stem: Points, bar: bool) -> Strokes:
    strokes = [chain(top, stem)]
    if bar:  # the crossbar of continental Europe, across the middle of the stem
        y = v(0.42, 0.6)
        strokes.append(seg(v(0.12, 0.25), y, v(0.55, 0.72), y - v(0.0, 0.06)))
    return strokes


STYLES: dict[int, dict[str, Style]] = {
    0: {
        "oval": lambda v: [arc(0.3, 0.5, 0.3, 0.5, 275, -95 + v(-10, 15))],
        "round": lambda v: [arc(0.4, 0.5, 0.4, 0.5, 260, -100 + v(-10, 10))],
        "open top": lambda v: [arc(0.3, 0.5, 0.3, 0.5, 250, -80 - v(0, 10))],
    },
    1: {
        "stick": lambda v: one(v, flag=0, base=False),
        "tick": lambda v: one(v, flag=0.12, base=False),
        "long flag": lambda v: one(v, flag=0.3, base=False),
        "flag and base": lambda v: one(v, flag=0.25, base=True),
    },
    2: {
        "plain": lambda v: [
            chain(arc(0.3, 0.27, 0.3, 0.26, 195, 380), seg(0.02, 0.98, v(0.5, 0.75), 0.98))
        ],
        "loop": lambda v: [
            chain(
                arc(0.3, 0.27, 0.3, 0.26, 195, 380),
                seg(0.14, 0.95),
                arc(0.14, 0.87, 0.09, 0.08, 90, -270),
                seg(v(0.55, 0.75), 0.97),
            )
        ],
        "swan": lambda v: [
            chain(
                arc(0.32, 0.25, 0.3, 0.24, 190, 370),
                bezier((0.615, 0.29), (0.5, 0.65), (0.0, 0.98)),
                seg(v(0.55, 0.75), 0.96),
            )
        ],
    },
    3: {
        "round": lambda v: [
            chain(arc(0.3, 0.25, 0.28, 0.24, 200, 450), arc(0.3, 0.73, 0.32, 0.26, 270, 520))
        ],
        "cusp": lambda v: [
            chain(arc(0.3, 0.25, 0.28, 0.24, 200, 470), arc(0.3, 0.73, 0.32, 0.26, 250, 520))
        ],
        "flat top": lambda v: [
            chain(seg(0.02, 0.0, 0.6, 0.0, 0.25, 0.4), arc(0.3, 0.7, 0.32, 0.3, 260, 520))
        ],
    },
    4: {
        "open": lambda v: [
            seg(0.38, 0, 0, (y := v(0.55, 0.7)), 0.72, y),
            seg(0.52, v(0.05, 0.25), 0.52, 1),
        ],
        "closed": lambda v: [
            seg(0.52, 0, 0, (y := v(0.55, 0.7)), 0.72, y),
            seg(0.52, 0, 0.52, 1),
        ],
        "square": lambda v: [
            seg(0.04, 0, 0.02, (y := v(0.5, 0.65)), 0.72, y),
            seg(0.55, 0.02, 0.55, 1),
        ],
    },
    5: {
        "classic": lambda v: [
            chain(seg(0.08, 0.02, 0.03, 0.45), arc(0.28, 0.7, 0.32, 0.29, 235, 510)),
            seg(0.08, 0.02, v(0.45, 0.7), 0.0),
        ],
        "one stroke": lambda v: [
            chain(
                seg(v(0.45, 0.7), 0.0, 0.08, 0.02, 0.03, 0.45),
                arc(0.28, 0.7, 0.32, 0.29, 235, 510),
            )
        ],
        "big belly": lambda v: [
            chain(seg(0.12, 0.0, 0.08, 0.36), arc(0.3, 0.66, 0.34, 0.33, 240, 505)),
            seg(0.12, 0.0, v(0.45, 0.65), 0.0),
        ],
    },
    6: {
        "curved": lambda v: six(v, lambda x, y: bezier((0.55, 0.0), (0.0, 0.2), (x, y))),
        "straight": lambda v: six(v, lambda x, y: seg(0.45, 0.0, x, y)),
        "bent": lambda v: six(v, lambda x, y: bezier((0.5, 0.0), (0.1, 0.3), (x, y))),
    },
    7: {
        "plain": lambda v: seven(v, seg(0, 0), seg(0.65, 0, 0.25, 1), bar=False),
        "crossbar": lambda v: seven(v, seg(0, 0), seg(0.65, 0, 0.25, 1), bar=True),
        "hook": lambda v: seven(v, seg(0, v(0.08, 0.2), 0, 0), seg(0.65, 0, 0.3, 1), bar=False),
        "hook and crossbar": lambda v: seven(
            v, seg(0, v(0.08, 0.2), 0, 0), seg(0.65, 0, 0.3, 1), bar=True
        ),
        "curved": lambda v: seven(
            v, seg(0, 0), bezier((0.65, 0), (0.32, 0.4), (0.3, 1)), bar=False
        ),
    },
    8: {
        "one stroke": lambda v: [
            chain(
                arc(0.3, 0.25, 0.23, 0.24, 330, 90),
                arc(0.3, 0.74, 0.3, 0.26, 270, 630),
                arc(0.3, 0.25, 0.23, 0.24, 90, -30),
            )
        ],
        "two circles": lambda v: [
            arc(0.3, (r := v(0.14, 0.26)), r, r, 270, 630),
            arc(0.3, 0.74, 0.3, 0.26, 270, 630),
        ],
        "s and back": lambda v: [
            chain(
                arc(0.3, 0.24, 0.25, 0.22, -20, -200),
                bezier((0.06, 0.31), (0.55, 0.45), (0.57, 0.72)),
                arc(0.3, 0.74, 0.27, v(0.2, 0.26), 0, 180),
                seg(0.55, 0.16),
            )
        ],
    },
    9: {
        "straight stem": lambda v: nine(v, lambda x, y: seg(x, y, x - 0.02, 1.0)),
        "curved stem": lambda v: nine(
            v, lambda x, y: bezier((x, y), (x + 0.02, 0.85), (x - v(0.25, 0.45), 1.0))
        ),
        "slanted stem": lambda v: nine(v, lambda x, y: seg(x, y, x - v(0.1, 0.3), 1.0)),
    },
}
"""Every digit's styles, by name."""


def all_styles() -> list[tuple[int, str]]:
    """(digit, style name) for every style, digit by digit."""
    return [(digit, style) for digit, styles in STYLES.items() for style in styles]


# --- one writer's digit --------------------------------------------------------------------------


def hand_strokes(
    digit: int,
    style: str,
    rng: np.random.Generator,
    slant: tuple[float, float] = SLANT,
    tilt: tuple[float, float] = TILT,
) -> Strokes:
    """A digit in this style, with one writer's proportions, slant, width, tilt and wobble
    (units: the style's height is 1)."""
    return in_a_hand(STYLES[digit][style], rng, slant, tilt)


def in_a_hand(
    style: Style,
    rng: np.random.Generator,
    slant: tuple[float, float] = SLANT,
    tilt: tuple[float, float] = TILT,
) -> Strokes:
    """The strokes of `style` (any, not only those of STYLES) as one writer draws them."""
    strokes = [densify(s, 0.02) for s in style(rng.uniform)]
    shear = rng.uniform(*slant)
    width = rng.uniform(*WIDTH)
    angle = np.deg2rad(rng.uniform(*tilt))
    wobble = random_field(rng, amplitude=WOBBLE, wavelength=(0.5, 1.5))
    out = []
    for s in strokes:
        x, y = s[:, 0] * width, s[:, 1]
        x = x + shear * (0.5 - y)
        x, y = x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)
        out.append(wobble(np.stack([x, y], axis=1)))
    return out


def place_on_canvas(
    strokes: Strokes,
    rng: np.random.Generator,
    pen_width: float,
    heights: tuple[float, float] = HEIGHTS,
) -> Strokes:
    """Scale strokes to a random ink height (a fraction of the canvas) and put them anywhere on
    it, in canvas units. The ink, the path plus half a pen around it, stays on the canvas; a
    digit too wide for the canvas at that height is drawn smaller."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = np.maximum(high - low, 1e-6)
    ink_height = rng.uniform(*heights) * GRID
    scale = (ink_height - pen_width) / extent[1]
    scale = min(scale, (0.97 * GRID - pen_width) / extent[0])
    size = extent * scale
    margin = pen_width / 2
    corner = np.array([rng.uniform(margin, GRID - margin - size[k]) for k in (0, 1)])
    return [(s - low) * scale + corner for s in strokes]


class HandDigit(NamedTuple):
    label: int
    style: str
    strokes: Strokes  # canvas units, as the canvas records them
    pen_width: float  # canvas units


def synthesize(count: int, seed: int) -> list[HandDigit]:
    """`count` digits, the ten digits in turn and each digit's styles in turn, every one in a
    different hand; the same seed gives the same digits."""
    return list(synthesized(count, seed))


def synthesized(count: int, seed: int) -> Iterator[HandDigit]:
    """The digits of synthesize(count, seed), one at a time, made as they are asked for."""
    rng = np.random.default_rng(seed)
    styles = {digit: list(names) for digit, names in STYLES.items()}
    for i in range(count):
        label = i % 10
        style = styles[label][(i // 10) % len(styles[label])]
        pen_width = rng.uniform(*PEN_WIDTHS)
        strokes = place_on_canvas(hand_strokes(label, style, rng), rng, pen_width)
        yield HandDigit(label, style, strokes, pen_width)


def synthetic_images(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` synthesized digits as MNIST-style images: (count, 28, 28) uint8 and their labels
    (count,) uint8, like MNIST's own arrays."""
    digits = synthesize(count, seed)
    return render(digits), np.array([d.label for d in digits], np.uint8)


def render(digits: list[HandDigit]) -> np.ndarray:
    """The digits as the network reads them, (n, 28, 28) uint8 like MNIST's images."""
    images = np.zeros((len(digits), 28, 28), np.uint8)
    for i, digit in enumerate(digits):
        images[i] = np.round(network_input(digit.strokes, digit.pen_width) * 255)
    return images


# --- randomness that looks like a hand -----------------------------------------------------------


def densify(points: Points, step: float) -> Points:
    """Points every `step` along the polyline (its corners kept), so that a wobble bends
    straight segments too."""
    if len(points) < 2:
        return points
    a, b = points[:-1], points[1:]
    cuts = np.maximum(1, np.ceil(np.hypot(*(b - a).T) / step)).astype(np.intp)
    # Segment i gives the points a_i + (j / cuts_i)(b_i - a_i) for j = 1 .. cuts_i.
    j = np.arange(cuts.sum()) - np.repeat(np.cumsum(cuts) - cuts, cuts) + 1
    t = (j / np.repeat(cuts, cuts))[:, None]
    return np.concatenate([points[:1], np.repeat(a, cuts, 0) + t * np.repeat(b - a, cuts, 0)])


def random_field(
    rng: np.random.Generator, amplitude: float, wavelength: tuple[float, float]
) -> Callable[[Points], Points]:
    """A smooth random displacement of the plane: a few plane waves in x and in y."""
    waves = 3
    k = rng.uniform(*wavelength, (2, waves))
    direction = rng.uniform(0, 2 * np.pi, (2, waves))
    phase = rng.uniform(0, 2 * np.pi, (2, waves))
    amp = amplitude / np.sqrt(waves) * rng.uniform(0.5, 1.5, (2, waves))

    def move(points: Points) -> Points:
        out = points.copy()
        for axis in (0, 1):
            for w in range(waves):
                u = points @ np.array([np.cos(direction[axis, w]), np.sin(direction[axis, w])])
                out[:, axis] += amp[axis, w] * np.sin(2 * np.pi * u / k[axis, w] + phase[axis, w])
        return out

    return move


# --- training on them ----------------------------------------------------------------------------


CHUNK = 250
"""Digits rendered at a time while a training set is made (a fifth of a second or so): between
two chunks the app shows how far it is, and a pause, a reset or closing the window go through."""


def hands_count(examples: int, share: float) -> int:
    """How many synthesized digits make up `share` of a training set of `examples` MNIST
    digits and them (0.2 of 60,000 + 15,000)."""
    if not 0 <= share < 1:  # also refuses NaN
        raise ValueError(f"the share of synthesized digits must be at least 0 and below 1, "
                         f"not {share}")
    return round(examples * share / (1 - share))


class HandsInTheMaking:
    """`data` with digits in many hands added to its training part, making up `share` of it,
    rendered CHUNK at a time by make_more(); the test part stays MNIST's, so scores stay
    comparable. The last set made is kept: a new run with the same count and seed (the app's
    Reset) gets it at once."""

    def __init__(self, data: Mnist, share: float, seed: int = 0) -> None:
        self.data = data
        self.total = hands_count(len(data.train_labels), share)
        self._key = (self.total, seed)
        self._digits = synthesized(self.total, seed)
        self._images: list[np.ndarray] = []
        self._labels: list[int] = []
        self._made = _last_made.get(self._key)  # (images, labels) once all are made
        self.made = self.total if self._made is not None else 0

    @property
    def finished(self) -> bool:
        return self.made == self.total

    def make_more(self) -> None:
        """Render the next CHUNK digits."""
        digits = list(islice(self._digits, min(CHUNK, self.total - self.made)))
        self._images.append(render(digits))
        self._labels += [d.label for d in digits]
        self.made += len(digits)
        if self.finished:
            self._made = (np.concatenate(self._images), np.array(self._labels, np.uint8))
            _last_made.clear()
            _last_made[self._key] = self._made

    def training_set(self) -> Mnist:
        """`data` with the digits made (all of them: call when finished)."""
        data = self.data
        if self.total == 0:
            return data
        images, labels = self._made
        train_images = np.concatenate([data.train_images, images])
        train_labels = np.concatenate([data.train_labels, labels.astype(data.train_labels.dtype)])
        for array in (train_images, train_labels):
            array.flags.writeable = False  # like load_mnist's: shared across threads
        return Mnist(train_images, train_labels, data.test_images, data.test_labels)


_last_made: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
"""The images and labels of the last complete set, by (count, seed)."""


def with_hands(data: Mnist, share: float, seed: int = 0) -> Mnist:
    """`data` with digits in many hands making up `share` of its training part, made at once."""
    making = HandsInTheMaking(data, share, seed)
    while not making.finished:
        making.make_more()
    return making.training_set()
