"""The small "what the network sees" view."""

import numpy as np
import pytest

from digitpad.ui.digit_image import DigitImage
from tests.ui.window_helpers import shown


@pytest.fixture
def view(qtbot):
    return shown(qtbot, DigitImage(), 140, 140)


def cell_lightness(view: DigitImage, row: int, col: int) -> int:
    """How light the centre of cell (row, col) is on screen."""
    shown = view.grab().toImage()
    ratio = shown.devicePixelRatio()
    side = min(view.width(), view.height()) - 2
    side -= side % 28
    left, top = (view.width() - side) / 2, (view.height() - side) / 2
    x, y = left + (col + 0.5) * side / 28, top + (row + 0.5) * side / 28
    return shown.pixelColor(int(x * ratio), int(y * ratio)).lightness()


def test_shows_the_ink_of_the_image(view):
    image = np.zeros((28, 28), np.float32)
    image[5:23, 13:15] = 1.0  # a "1"
    image[10, 20] = 0.5
    before = cell_lightness(view, 12, 13)
    view.set_image(image)
    assert before < 40
    assert cell_lightness(view, 12, 13) > 230
    assert 90 < cell_lightness(view, 10, 20) < 170  # half ink is mid grey
    assert cell_lightness(view, 12, 5) < 40
    np.testing.assert_array_equal(view.image(), image)


def test_none_shows_an_empty_grid(view):
    image = np.ones((28, 28), np.float32)
    view.set_image(image)
    assert cell_lightness(view, 14, 14) > 230
    view.set_image(None)
    assert view.image() is None
    assert cell_lightness(view, 14, 14) < 40


def test_keeps_its_own_copy(view):
    image = np.zeros((28, 28), np.float32)
    view.set_image(image)
    image[:] = 1.0
    assert not view.image().any()


def test_rejects_what_is_not_an_image(view):
    with pytest.raises(ValueError):
        view.set_image(np.zeros(784))


def test_is_square_with_a_tooltip(view):
    assert view.hasHeightForWidth() and view.heightForWidth(90) == 90
    assert "20×20" in view.toolTip() and "centre of mass" in view.toolTip()
