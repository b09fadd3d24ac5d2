"""Digits from strokes in many hands."""

import numpy as np
import pytest

from digitpad.core.hands import (
    PEN_WIDTHS,
    STYLES,
    all_styles,
    hand_strokes,
    place_on_canvas,
    synthesize,
    synthetic_images,
    with_hands,
)
from digitpad.core.mnist import Mnist
from digitpad.core.rasterizer import GRID, network_input


def test_the_styles_the_issue_names_are_there():
    assert {"stick", "long flag", "flag and base"} <= set(STYLES[1])
    assert {"plain", "crossbar"} <= set(STYLES[7])
    assert {"open", "closed"} <= set(STYLES[4])
    assert {"straight stem", "curved stem"} <= set(STYLES[9])
    assert {"plain", "loop"} <= set(STYLES[2])
    assert sorted(STYLES) == list(range(10))


@pytest.mark.parametrize(("digit", "style"), all_styles())
def test_every_style_renders_inside_the_28x28_after_preprocessing(digit, style):
    rng = np.random.default_rng(digit * 100 + len(style))
    for pen in (*PEN_WIDTHS, 2.3):
        for _ in range(4):
            strokes = place_on_canvas(hand_strokes(digit, style, rng), rng, pen)
            ink = np.concatenate(strokes)
            assert ink.min() >= pen / 2 - 1e-9 and ink.max() <= GRID - pen / 2 + 1e-9
            seen = network_input(strokes, pen)
            assert seen.max() == pytest.approx(1.0)
            # The digit fills MNIST's 20×20 box (21 pixels, placed to a fraction of a pixel),
            # and centring its centre of mass did not push any of it off the field (a 7's
            # heavy top moves it down: in MNIST too, 11% of the 7s touch the edge).
            rows, cols = np.flatnonzero(seen.sum(1) > 1e-3), np.flatnonzero(seen.sum(0) > 1e-3)
            longest = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
            assert longest >= 20, f"{digit} {style}: cut off ({longest} pixels long)"


def test_the_same_seed_gives_the_same_digits_and_another_seed_others():
    first, again, other = synthesize(40, seed=7), synthesize(40, seed=7), synthesize(40, seed=8)
    for a, b in zip(first, again):
        assert (a.label, a.style, a.pen_width) == (b.label, b.style, b.pen_width)
        for s, t in zip(a.strokes, b.strokes):
            np.testing.assert_array_equal(s, t)
    assert not np.allclose(first[0].strokes[0][:3], other[0].strokes[0][:3])


def test_digits_take_turns_and_so_do_their_styles():
    digits = synthesize(10 * 12, seed=1)
    assert [d.label for d in digits[:20]] == list(range(10)) * 2
    for label in range(10):
        seen = {d.style for d in digits if d.label == label}
        assert seen == set(STYLES[label])


def test_synthetic_images_are_mnist_shaped_uint8_with_mnist_like_ink():
    images, labels = synthetic_images(60, seed=2)
    assert images.shape == (60, 28, 28) and images.dtype == np.uint8
    assert labels.dtype == np.uint8 and labels.tolist() == list(range(10)) * 6
    ink = images.reshape(60, -1).sum(axis=1) / 255
    # MNIST digits carry 105 pixels of ink on average (from 40 to 250 for most).
    assert 60 < np.median(ink) < 160 and (ink > 30).all()
    assert (images.reshape(60, -1).max(axis=1) == 255).all()
    first = synthesize(60, seed=2)[13]
    np.testing.assert_array_equal(
        images[13], np.round(network_input(first.strokes, first.pen_width) * 255)
    )


def test_a_long_flag_reaches_left_of_the_stem_and_a_stick_does_not():
    rng = np.random.default_rng(0)
    flag = hand_strokes(1, "long flag", rng, slant=(0, 0), tilt=(0, 0))
    stick = hand_strokes(1, "stick", rng, slant=(0, 0), tilt=(0, 0))
    stem_x = flag[0][-1, 0]  # the stroke ends at the foot of the stem
    assert stem_x - flag[0][:, 0].min() > 0.15
    assert np.ptp(stick[0][:, 0]) < 0.1


def tiny_mnist(n: int = 50) -> Mnist:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    return Mnist(images, labels, images[:10], labels[:10])


def test_with_hands_adds_synthesized_digits_making_up_the_share_of_training():
    data = tiny_mnist(60)
    mixed = with_hands(data, 0.2, seed=4)
    assert len(mixed.train_labels) == 75 and len(mixed.train_images) == 75  # 15 of 75 = 20%
    np.testing.assert_array_equal(mixed.train_images[:60], data.train_images)
    images, labels = synthetic_images(15, seed=4)
    np.testing.assert_array_equal(mixed.train_images[60:], images)
    np.testing.assert_array_equal(mixed.train_labels[60:], labels)
    assert mixed.test_images is data.test_images and mixed.test_labels is data.test_labels
    assert not mixed.train_images.flags.writeable
    assert with_hands(data, 0.0) is data


@pytest.mark.parametrize("share", [-0.1, 1.0, float("nan")])
def test_impossible_shares_are_refused(share):
    with pytest.raises(ValueError, match="share"):
        with_hands(tiny_mnist(), share)
