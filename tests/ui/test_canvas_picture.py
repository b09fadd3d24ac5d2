"""A picture on the canvas (a test digit): shown as the network sees it, with a caption that goes
when the person draws on it and comes back when those strokes are undone."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digitpad.core.mnist import as_inputs
from digitpad.ui.canvas import FINE, GRID, INK, PAPER, Canvas
from tests.conftest import make_small_mnist
from tests.ui.test_canvas import draw, line, widget_point
from tests.ui.window_helpers import focus, shown

CAPTION = "Test digit 12, labelled 4: the network never trains on it"


@pytest.fixture
def canvas(qtbot):
    return shown(qtbot, Canvas(), 420, 420)


@pytest.fixture
def digit() -> np.ndarray:
    """A test digit of the small stand-in set, as the network sees it."""
    data = make_small_mnist()
    return as_inputs(data.test_images[12:13])[0].reshape(GRID, GRID)


def shown_cell(canvas: Canvas, row: int, col: int) -> int:
    """The grey level painted at the centre of a grid cell."""
    image = canvas.grab().toImage()
    point = widget_point(canvas, col + 0.5, row + 0.5) * image.devicePixelRatio()
    return image.pixelColor(point).red()


def test_a_picture_is_the_image_and_the_networks_input_as_it_is(qtbot, canvas, digit):
    with qtbot.waitSignal(canvas.changed):
        canvas.show_picture(digit, CAPTION)
    assert not canvas.is_empty() and canvas.strokes == []
    np.testing.assert_array_equal(canvas.picture, digit)
    np.testing.assert_array_equal(canvas.image(), digit)
    # Finer, each pixel becomes a block of equal pixels: the same picture, larger.
    np.testing.assert_array_equal(canvas.image(FINE), np.kron(digit, np.ones((4, 4))))
    assert canvas.caption == CAPTION
    # Each cell painted from paper to ink as the picture says: its ink and its paper on screen.
    for row, col in [np.unravel_index(digit.argmax(), digit.shape), (27, 0), (5, 20)]:
        expected = PAPER.red() + digit[row, col] * (INK.red() - PAPER.red())
        assert abs(shown_cell(canvas, row, col) - expected) <= 2


def test_drawing_on_it_adds_ink_drops_the_caption_and_undo_brings_both_back(qtbot, canvas,
                                                                             digit):
    canvas.show_picture(digit, CAPTION)
    draw(qtbot, canvas, line(2, 2, 2, 26))  # a stroke down the left edge, where it has no ink
    assert canvas.picture is None and canvas.caption == ""
    image = canvas.image()
    assert image[14, 2] > 0.5  # the stroke's ink
    assert np.all(image >= digit)  # and the picture's, under it
    focus(qtbot, canvas)
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(canvas.picture, digit)
    assert canvas.caption == CAPTION


def test_clear_removes_the_picture_and_new_strokes_replace_it(qtbot, canvas, digit):
    canvas.show_picture(digit, CAPTION)
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=widget_point(canvas, 14, 14))
    assert canvas.is_empty() and canvas.picture is None and canvas.caption == ""
    assert not canvas.image().any()
    canvas.show_picture(digit, CAPTION)
    canvas.set_strokes([line(14, 4, 14, 24)])  # a drawing of mine put back on the canvas
    assert canvas.picture is None and canvas.image()[:, :8].max() == 0


def test_a_test_digit_is_never_kept_by_its_digit_key(qtbot, canvas, digit):
    canvas.show_picture(digit, CAPTION)
    focus(qtbot, canvas)
    kept = []
    canvas.digit_key_pressed.connect(kept.append)
    qtbot.keyClick(canvas, Qt.Key.Key_4)
    assert kept == []
    assert "not kept in my digits" in canvas.caption
    np.testing.assert_array_equal(canvas.picture, digit)  # still there, untouched


@pytest.mark.parametrize("bad", [np.zeros((20, 20)), np.full((28, 28), np.nan)])
def test_a_picture_that_is_not_28_by_28_finite_values_is_refused(canvas, bad):
    with pytest.raises(ValueError, match="28×28"):
        canvas.show_picture(bad, CAPTION)
    assert canvas.is_empty()
