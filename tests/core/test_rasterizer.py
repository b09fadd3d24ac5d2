"""The rasterizer shared by the canvas and the synthesized digits."""

import numpy as np
import pytest

from digitpad.core.rasterizer import FINE, GRID, network_input, pen_path, rasterize


def test_a_horizontal_line_inks_the_rows_under_the_pen_and_nothing_else():
    image = rasterize([[(4.0, 14.0), (24.0, 14.0)]], GRID, pen_width=2.0)
    # Away from the round ends every column holds exactly the pen's width of ink, in rows 13
    # and 14 (they span y = 13..15, the pen's band around y = 14).
    middle = image[:, 6:22]
    np.testing.assert_allclose(middle.sum(axis=0), 2.0, atol=1e-5)
    np.testing.assert_allclose(middle[13:15], 1.0, atol=1e-5)
    assert not middle[:13].any() and not middle[15:].any()
    # The round ends reach a pen radius beyond the end points, no further.
    columns = np.flatnonzero(image.sum(axis=0) > 0)
    assert columns[0] == 3 and columns[-1] == 24


def test_an_odd_pen_width_puts_grey_on_both_edges():
    image = rasterize([[(4.0, 14.0), (24.0, 14.0)]], FINE, pen_width=1.5)  # 6 px wide, at 4x
    column = image[:, 56]
    np.testing.assert_allclose(column.sum(), 6.0, atol=1e-4)
    assert np.flatnonzero(column).tolist() == [53, 54, 55, 56, 57, 58]


def test_a_dot_is_a_disc_as_wide_as_the_pen_where_it_was_put():
    image = rasterize([[(10.0, 20.0)]], FINE, pen_width=3.0)
    rows, cols = np.nonzero(image)
    assert image.sum() == pytest.approx(np.pi * (3.0 * 4 / 2) ** 2, rel=0.02)  # π r², r = 6 px
    centre = np.array([(rows + 0.5) @ image[rows, cols], (cols + 0.5) @ image[rows, cols]])
    np.testing.assert_allclose(centre / image.sum() / 4, [20.0, 10.0], atol=0.01)
    assert rows.max() - rows.min() + 1 == 12 and cols.max() - cols.min() + 1 == 12


def test_a_thin_pen_gives_faint_ink_as_wide_as_it_is():
    image = rasterize([[(2.0, 14.0), (26.0, 14.0)]], GRID, pen_width=0.5)
    np.testing.assert_allclose(image[:, 5:23].sum(axis=0), 0.5, atol=1e-4)
    assert image.max() <= 0.5 + 1e-6


def test_coarse_images_are_block_means_of_the_fine_one():
    strokes = [[(5.0, 5.0), (12.0, 20.0), (22.0, 9.0)], [(8.0, 14.0), (20.0, 15.0)]]
    fine = rasterize(strokes, FINE)
    np.testing.assert_allclose(
        rasterize(strokes, GRID), fine.reshape(GRID, 4, GRID, 4).mean(axis=(1, 3)), atol=1e-6
    )


def test_two_strokes_ink_like_each_on_its_own_where_they_do_not_meet():
    a, b = [(4.0, 6.0), (24.0, 6.0)], [(4.0, 20.0), (24.0, 20.0)]
    both = rasterize([a, b])
    np.testing.assert_array_equal(both, np.maximum(rasterize([a]), rasterize([b])))


def test_ink_off_the_canvas_is_cut_off_not_wrapped():
    image = rasterize([[(-5.0, 1.0), (40.0, 1.0)]], GRID, pen_width=2.0)
    assert image[0].sum() == pytest.approx(GRID) and not image[3:].any()


def test_the_pen_curves_through_midpoints_from_the_first_to_the_last_point():
    corner = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)]
    path = pen_path(corner)
    np.testing.assert_allclose(path[0], corner[0])
    np.testing.assert_allclose(path[-1], corner[-1])
    # The corner is rounded by a Bézier from the start to the middle of the second segment,
    # (4, 2): its middle is (3, 0.5); the corner (4, 0) is left out.
    assert np.hypot(*(path - [3.0, 0.5]).T).min() < 0.05
    assert np.hypot(*(path - [4.0, 0.0]).T).min() > 0.5
    # The curve is flattened finely: no step along it longer than a quarter of a unit.
    curve = path[:-1]
    assert np.hypot(*np.diff(curve, axis=0).T).max() <= 0.25 + 1e-9


def test_network_input_is_the_mnist_style_image_of_the_fine_rasterization():
    strokes = [[(14.0, 4.0), (14.0, 24.0)]]
    seen = network_input(strokes)
    assert seen.shape == (28, 28) and seen.max() == pytest.approx(1.0)
    rows = np.flatnonzero(seen.sum(axis=1))
    assert 20 <= len(rows) <= 21  # fitted into MNIST's 20-pixel-high box, placed to a fraction
    assert network_input([]) is None


def test_bad_sizes_and_pens_are_refused():
    with pytest.raises(ValueError, match="size"):
        rasterize([[(1.0, 1.0)]], 0)
    with pytest.raises(ValueError, match="pen"):
        rasterize([[(1.0, 1.0)]], 28, pen_width=0.0)
