import numpy as np
import pytest

from digitpad.core.preprocess import (
    INK_THRESHOLD,
    center_of_mass,
    crop_to_ink,
    resampling_matrix,
    to_mnist,
)

# A "4" in unit coordinates (row, col): three strokes, like a user would draw it.
FOUR = [[(0.0, 0.55), (0.62, 0.0), (0.62, 0.8)], [(0.25, 0.6), (1.0, 0.6)]]


def draw(strokes, canvas=(280, 280), top_left=(0, 0), size=100.0, pen=10.0) -> np.ndarray:
    """Render strokes (unit coordinates) at `size` pixels, anti-aliased, pen `pen` pixels wide."""
    rows, cols = np.mgrid[: canvas[0], : canvas[1]] + 0.5
    distance = np.full(canvas, np.inf)
    for stroke in strokes:
        points = np.array(stroke) * size + np.array(top_left)
        for (r0, c0), (r1, c1) in zip(points[:-1], points[1:]):
            dr, dc = r1 - r0, c1 - c0
            t = ((rows - r0) * dr + (cols - c0) * dc) / (dr * dr + dc * dc)
            t = np.clip(t, 0.0, 1.0)
            distance = np.minimum(distance, np.hypot(rows - r0 - t * dr, cols - c0 - t * dc))
    return np.clip(pen / 2 + 0.5 - distance, 0.0, 1.0)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def height_and_width(image: np.ndarray) -> tuple[float, float]:
    """How many rows and columns the ink covers, counting partly covered ones in part."""
    return float(image.max(axis=1).sum()), float(image.max(axis=0).sum())


@pytest.mark.parametrize(
    "image",
    [np.zeros((28, 28)), np.zeros((300, 200)), np.zeros((0, 0)), np.zeros((5, 0))],
    ids=["28x28", "300x200", "0x0", "5x0"],
)
def test_an_image_without_ink_is_reported_as_empty(image):
    assert to_mnist(image) is None


def test_faint_noise_below_the_threshold_is_paper():
    noise = np.random.default_rng(0).uniform(0, INK_THRESHOLD, (200, 200))
    assert to_mnist(noise) is None


def test_output_is_a_28x28_float32_image_in_0_1_with_full_strokes():
    out = to_mnist(draw(FOUR, top_left=(40, 60)))
    assert out.shape == (28, 28)
    assert out.dtype == np.float32
    assert out.min() >= 0.0
    assert out.max() == pytest.approx(1.0)


def test_values_outside_0_1_are_clipped():
    image = draw(FOUR) * 3.0 - 1.0  # ink up to 2.0, paper down to -1.0
    out = to_mnist(image)
    assert out.min() >= 0.0 and out.max() <= 1.0
    np.testing.assert_allclose(out, to_mnist(np.clip(image, 0, 1)))


def test_rejects_an_image_that_is_not_2d():
    with pytest.raises(ValueError, match="2-D"):
        to_mnist(np.zeros((28, 28, 3)))


def test_the_same_digit_small_in_a_corner_and_large_in_the_middle_looks_the_same():
    small = to_mnist(draw(FOUR, canvas=(300, 300), top_left=(8, 6), size=40, pen=4))
    large = to_mnist(draw(FOUR, canvas=(300, 300), top_left=(40, 50), size=220, pen=22))
    assert correlation(small, large) > 0.97
    assert np.abs(small - large).mean() < 0.03


def test_the_same_digit_at_different_canvas_resolutions_looks_the_same():
    coarse = to_mnist(draw(FOUR, canvas=(28, 28), top_left=(3, 5), size=21, pen=2.5))
    fine = to_mnist(draw(FOUR, canvas=(280, 280), top_left=(30, 50), size=210, pen=25))
    assert correlation(coarse, fine) > 0.9


def test_a_thin_pen_on_a_large_canvas_still_gives_full_strength_strokes():
    # Shrunk 25 times by area averaging, a 1-pixel line alone would come out ~0.05 grey.
    out = to_mnist(draw(FOUR, canvas=(600, 600), top_left=(50, 50), size=500, pen=1))
    assert out.max() == pytest.approx(1.0)
    assert (out > 0.5).sum() >= 20  # a visible stroke, not a few bright dots


def test_the_long_side_fills_20_pixels_and_the_aspect_ratio_is_kept():
    block = np.zeros((300, 300))
    block[50:250, 120:220] = 1.0  # a solid 200 x 100 rectangle
    out = to_mnist(block)
    # Area averaging keeps the ink's area: 20 pixels tall, 10 wide, wherever the edges fall.
    assert out.sum(axis=0).max() == pytest.approx(20.0, abs=1e-6)
    assert out.sum(axis=1).max() == pytest.approx(10.0, abs=1e-6)
    assert out.sum() == pytest.approx(200.0, abs=1e-4)


def test_a_tall_thin_one_stays_tall_and_thin():
    one = draw([[(0.0, 0.0), (1.0, 0.0)]], canvas=(400, 400), top_left=(30, 300), size=300, pen=24)
    height, width = height_and_width(to_mnist(one))
    assert height == pytest.approx(20, abs=0.5)
    assert width < 3


def test_a_tiny_drawing_is_enlarged_to_fill_the_box():
    dot_of_ink = np.zeros((28, 28))
    dot_of_ink[3:8, 20:22] = 1.0  # 5 x 2 pixels
    height, width = height_and_width(to_mnist(dot_of_ink))
    assert height == pytest.approx(20, abs=0.5)
    assert width == pytest.approx(8, abs=0.5)


@pytest.mark.parametrize("top_left", [(0, 0), (150, 20), (60, 200)])
def test_the_centre_of_mass_lands_on_14_14(top_left):
    seven = draw([[(0.0, 0.0), (0.0, 0.6), (1.0, 0.2)]], top_left=top_left, size=70, pen=6)
    out = to_mnist(seven)
    np.testing.assert_allclose(center_of_mass(out), [14.0, 14.0], atol=0.1)


def test_shrinking_averages_areas_rather_than_picking_pixels():
    # A 1-pixel checkerboard shrunk 10 times is an even grey; picking pixels would keep a pattern.
    checkerboard = np.indices((200, 200)).sum(axis=0) % 2 * 1.0
    out = to_mnist(checkerboard)
    inside = out[6:22, 6:22]
    assert inside.std() < 0.01


def test_crop_to_ink_cuts_to_the_ink_and_clears_faint_pixels_inside():
    image = np.zeros((10, 12))
    image[2:5, 3:9] = 0.8
    image[3, 4] = INK_THRESHOLD / 2
    ink = crop_to_ink(image)
    assert ink.shape == (3, 6)
    assert ink[1, 1] == 0.0
    assert crop_to_ink(np.zeros((4, 4))) is None


def test_shrinking_with_the_resampling_matrix_conserves_ink():
    # Every input pixel fully inside the output spreads exactly `scale` of itself over it.
    matrix = resampling_matrix(100, 28, scale=0.2, offset=4.0)
    np.testing.assert_allclose(matrix.sum(axis=0), 0.2)
    np.testing.assert_allclose(matrix[4:24].sum(axis=1), 1.0)


def test_a_scale_of_one_at_a_whole_pixel_offset_is_a_plain_shift():
    matrix = resampling_matrix(20, 28, scale=1.0, offset=3.0)
    np.testing.assert_array_equal(matrix, np.eye(28, 20, k=-3))


@pytest.fixture(scope="module")
def mnist_test_images():
    mnist = pytest.importorskip("digitpad.core.mnist")
    return mnist.load_mnist().test_images[:500].astype(np.float64) / 255


def test_mnist_test_digits_come_out_nearly_unchanged(mnist_test_images):
    correlations = [correlation(digit, to_mnist(digit)) for digit in mnist_test_images]
    assert np.mean(correlations) > 0.95
    assert np.min(correlations) > 0.75
