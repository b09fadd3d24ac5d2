import numpy as np
import pytest

from digitpad.core.augment import (
    MAX_SHIFT,
    augment,
    change_thickness,
    elastic_field,
    random_affine,
    warp,
)
from digitpad.core.preprocess import center_of_mass

NO_CHANGE = dict(max_rotation=0, max_scale_change=0, max_shear=0, max_shift=0, max_elastic=0,
                 max_stroke_change=0, reink_share=0)


def digits(n: int, seed: int = 0) -> np.ndarray:
    """n different digit-like uint8 images: a ring or a bar of random size, centred at (14, 14)."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[:28, :28] - 14.0
    images = np.zeros((n, 28, 28), np.uint8)
    for i in range(n):
        if i % 2:
            radius = rng.uniform(5, 8)
            ink = np.clip(2.0 - np.abs(np.hypot(rows, cols) - radius), 0, 1)
        else:
            ink = (np.abs(cols) <= rng.uniform(1, 2)) & (np.abs(rows) <= rng.uniform(7, 10))
        images[i] = np.round(ink * 255)
    return images


def test_returns_n_by_784_float32_in_0_1():
    out = augment(digits(50), np.random.default_rng(0))
    assert out.shape == (50, 784)
    assert out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert out.max() > 0.9  # the ink is still there


def test_no_change_gives_the_images_back_from_uint8_or_float_in_either_shape():
    images = digits(30)
    expected = images.reshape(30, 784).astype(np.float32) / np.float32(255)
    from_uint8 = augment(images, np.random.default_rng(0), **NO_CHANGE)
    from_float = augment(expected, np.random.default_rng(0), **NO_CHANGE)
    np.testing.assert_array_equal(from_uint8, expected)
    np.testing.assert_array_equal(from_float, expected)


def test_uint8_and_float_inputs_are_augmented_alike():
    images = digits(20)
    from_uint8 = augment(images, np.random.default_rng(3))
    from_float = augment(images / 255.0, np.random.default_rng(3))
    np.testing.assert_allclose(from_uint8, from_float, atol=1e-5)


def test_the_same_seed_gives_the_same_images_and_another_seed_others():
    images = digits(600)  # more than one chunk
    first = augment(images, np.random.default_rng(7))
    again = augment(images, np.random.default_rng(7))
    other = augment(images, np.random.default_rng(8))
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).mean() > 0.01


def test_every_image_is_changed_differently():
    same_digit = np.repeat(digits(1), 10, axis=0)
    out = augment(same_digit, np.random.default_rng(0))
    assert len(np.unique(out, axis=0)) == 10


def test_augmented_digits_stay_near_the_centre():
    out = augment(digits(300), np.random.default_rng(1)).reshape(-1, 28, 28)
    offsets = np.array([center_of_mass(image) for image in out]) - 14.0
    assert np.abs(offsets).max() <= MAX_SHIFT + 1.0
    assert np.abs(offsets).mean() > 0.3  # they did move


def test_an_empty_batch_gives_an_empty_batch():
    assert augment(np.zeros((0, 28, 28), np.uint8), np.random.default_rng(0)).shape == (0, 784)


def test_warp_with_a_quarter_turn_matrix_is_rot90():
    images = digits(4).astype(np.float32)
    # Output pixel (x, y) reads the input at (27 - y, x).
    quarter_turn = np.array([[0, -1, 27], [1, 0, 0]], np.float32)
    out = warp(images, np.repeat(quarter_turn[None], 4, axis=0))
    np.testing.assert_array_equal(out, np.rot90(images, axes=(1, 2)))


def test_warp_moves_ink_by_a_fractional_shift_and_keeps_all_of_it():
    image = digits(2)[1:].astype(np.float32)
    # Output pixel (x, y) reads the input at (x - 1.5, y + 2.25): the ink moves right and up.
    shift = np.array([[[1, 0, -1.5], [0, 1, 2.25]]], np.float32)
    out = warp(image, shift)
    assert out.sum() == pytest.approx(image.sum(), rel=1e-5)
    moved = center_of_mass(out[0]) - center_of_mass(image[0])  # (row, col)
    np.testing.assert_allclose(moved, [-2.25, 1.5], atol=1e-4)


def test_reads_outside_the_image_are_paper():
    image = np.ones((1, 28, 28), np.float32)
    far_away = np.array([[[1, 0, 100], [0, 1, -50]]], np.float32)
    assert warp(image, far_away).max() == 0.0


def test_change_thickness_grows_a_dot_into_a_square_and_shrinks_it_back():
    dot = np.zeros((1, 28, 28), np.float32)
    dot[0, 10, 12] = 1.0
    square = change_thickness(dot, np.array([1.0], np.float32))
    assert square.sum() == 9.0 and square[0, 9:12, 11:14].min() == 1.0
    np.testing.assert_array_equal(change_thickness(square, np.array([-1.0], np.float32)), dot)


def test_change_thickness_blends_by_the_amount_and_zero_changes_nothing():
    images = digits(3).astype(np.float32) / 255
    amount = np.array([0.0, 0.5, -0.5], np.float32)
    out = change_thickness(images, amount)
    np.testing.assert_array_equal(out[0], images[0])
    assert out[1].sum() > images[1].sum() > out[2].sum()
    full = change_thickness(images[1:2], np.array([1.0], np.float32))
    np.testing.assert_allclose(out[1], (images[1] + full[0]) / 2, atol=1e-6)


def test_an_elastic_bend_moves_the_ink_near_its_knot_and_nothing_far_from_it():
    bends = np.zeros((1, 2, 4, 4))
    bends[0, 0, 0, 0] = 1.0  # the top-left knot reads one pixel further right (x)
    moves = elastic_field(bends).reshape(2, 28, 28)
    assert moves[0, 0, 0] == pytest.approx(1.0) and not moves[1].any()
    assert moves[0, 4, 4] == pytest.approx((1 - 4 / 9) ** 2, abs=0.02)  # fading with distance
    assert not moves[0, 9:, :].any() and not moves[0, :, 9:].any()
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 2:5, 2:5] = 1.0  # a blob near the knot
    image[0, 20:23, 20:23] = 1.0  # and one far from it
    identity = random_affine(1, np.random.default_rng(0), 0, 0, 0, 0)
    bent = warp(image, identity, elastic_field(bends))[0]
    assert bent[20:23, 20:23].sum() == pytest.approx(9.0)  # untouched
    # Near the knot pixels read further right: the blob moved left, by up to a pixel.
    cols = np.arange(28)
    assert (bent[:10, :10].sum(0) @ cols[:10]) / bent[:10, :10].sum() < 3.0 - 0.3


def test_elastic_distortion_alone_bends_but_keeps_the_digit_in_place():
    images = digits(40)
    only_elastic = {**NO_CHANGE, "max_elastic": 1.2}
    out = augment(images, np.random.default_rng(1), **only_elastic).reshape(40, 28, 28)
    before = images / 255.0
    assert np.abs(out - before).mean() > 0.01  # bent
    for a, b in zip(out, before):
        assert np.abs(center_of_mass(a) - center_of_mass(b)).max() < 1.2
        assert a.sum() == pytest.approx(b.sum(), rel=0.3)  # stretched or squeezed a little
