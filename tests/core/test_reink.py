"""Re-inking: a digit thinned to its path and drawn again with another pen."""

import numpy as np
import pytest

from digitpad.core.augment import augment
from digitpad.core.reink import draw_path, reink, skeleton
from tests.core.test_augment import NO_CHANGE, digits


def test_a_thick_bar_thins_to_a_line_along_its_middle():
    bar = np.zeros((1, 28, 28), bool)
    bar[0, 12:17, 4:24] = True  # 5 pixels thick, rows 12 to 16
    path = skeleton(bar)[0]
    assert path.sum(axis=0)[8:20].tolist() == [1] * 12  # one pixel per column ...
    assert set(np.flatnonzero(path.any(axis=1))) == {14}  # ... on the middle row
    assert not path[:, :4].any() and not path[:, 24:].any()  # nothing outside the bar


def test_a_ring_keeps_its_hole():
    rows, cols = np.mgrid[:28, :28] - 14.0
    ring = (np.abs(np.hypot(rows, cols) - 8) <= 2)[None]
    path = skeleton(ring)[0]
    assert path.sum() < ring.sum() / 3  # thinned
    assert not path[11:18, 11:18].any()  # the hole is paper
    for line in (path[14, :14], path[14, 14:], path[:14, 14], path[14:, 14]):
        assert line.any()  # and ink all around it


@pytest.mark.parametrize("radius", [0.6, 1.0, 1.5, 2.2])
def test_the_new_pen_draws_a_line_two_radii_wide(radius):
    line = np.zeros((1, 28, 28), bool)
    line[0, 14, 5:23] = True
    drawn = draw_path(line, np.array([radius]))[0]
    assert drawn.sum(axis=0)[8:20] == pytest.approx(2 * radius, abs=0.01)
    assert drawn.max() == 1.0 and drawn.dtype == np.float32


def test_augment_re_inks_the_share_asked_for():
    images = digits(40)
    every = augment(images, np.random.default_rng(0), **{**NO_CHANGE, "reink_share": 1.0})
    every = every.reshape(40, 28, 28)
    finest = reink(images / 255.0, np.full(40, 0.6))
    # Every image is re-inked, each with a pen of its own, at least as wide as the finest,
    # along the same path.
    assert ((finest > 0) <= (every > 0)).all()
    assert (every[finest == 1] == 1).all()
    changed = np.abs(every - images / 255.0).sum(axis=(1, 2))
    assert (changed > 1).mean() > 0.9
    none = augment(images, np.random.default_rng(0), **{**NO_CHANGE, "reink_share": 0.0})
    np.testing.assert_array_equal(none, images.reshape(40, 784) / np.float32(255))
