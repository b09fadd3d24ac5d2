"""The drawing canvas, driven by real mouse and keyboard events."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from digitpad.core.hands import synthesize, synthetic_images
from digitpad.core.preprocess import to_mnist
from digitpad.core.rasterizer import network_input
from digitpad.ui.canvas import DEFAULT_PEN_WIDTH, FINE, GRID, Canvas, rasterize
from tests.ui.window_helpers import shown


@pytest.fixture
def canvas(qtbot):
    return shown(qtbot, Canvas(), 420, 420)


def widget_point(canvas: Canvas, x: float, y: float) -> QPoint:
    return canvas.from_grid(x, y).toPoint()


def draw(qtbot, canvas: Canvas, points: list[tuple[float, float]]) -> None:
    """Press the left button at the first point (grid units), move through the rest, release.

    QTest remembers the pressed button and sends the moves with it held; the canvas itself keeps
    drawing from press to release without looking at the buttons of each move event.
    """
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=widget_point(canvas, *points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(canvas, widget_point(canvas, x, y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=widget_point(canvas, *points[-1]))


def line(x0: float, y0: float, x1: float, y1: float, n: int = 12) -> list[tuple[float, float]]:
    return [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0.0, 1.0, n)]


def test_starts_empty(canvas):
    assert canvas.is_empty()
    assert canvas.strokes == []
    image = canvas.image()
    assert image.shape == (GRID, GRID) and image.dtype == np.float32
    assert not image.any()


def test_vertical_stroke_puts_ink_in_the_middle_columns(qtbot, canvas):
    with qtbot.waitSignal(canvas.changed):
        draw(qtbot, canvas, line(14, 5, 14, 23))

    image = canvas.image()
    assert not canvas.is_empty()
    assert image.min() >= 0.0 and image.max() <= 1.0
    columns = image.sum(axis=0)
    assert set(np.flatnonzero(columns > 5)) <= {12, 13, 14, 15}
    assert columns[13] > 10 and columns[14] > 10  # the pen runs down the line x = 14
    assert (image[8:20, 13:15] > 0.9).all()  # solid ink along the stroke
    assert not image[:, :10].any() and not image[:, 19:].any()
    assert not image[:3].any() and not image[26:].any()  # nothing beyond the stroke's ends


def test_changed_is_emitted_on_press_and_on_every_move(qtbot, canvas):
    count = []
    canvas.changed.connect(lambda: count.append(1))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=widget_point(canvas, 5, 5))
    assert len(count) == 1
    for i, x in enumerate((8, 11, 14, 17), start=2):
        qtbot.mouseMove(canvas, widget_point(canvas, x, 5))
        assert len(count) == i
        assert canvas.image()[5, int(x)] > 0.5  # the ink is there while the pen is still down
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=widget_point(canvas, 17, 5))
    assert len(canvas.strokes) == 1


def test_moving_without_the_button_does_not_draw(qtbot, canvas):
    draw(qtbot, canvas, line(5, 5, 5, 20))
    before = canvas.strokes
    qtbot.mouseMove(canvas, widget_point(canvas, 20, 20))
    qtbot.mouseMove(canvas, widget_point(canvas, 22, 10))
    assert canvas.strokes == before


def test_a_click_leaves_a_dot(qtbot, canvas):
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=widget_point(canvas, 10.5, 20.5))
    image = canvas.image()
    assert image[20, 10] > 0.9
    assert image.sum() < 8  # a dot as wide as the pen, not a smear
    assert not image[:15].any()


def test_strokes_are_kept_in_grid_units(qtbot, canvas):
    draw(qtbot, canvas, line(4, 24, 24, 4))
    (stroke,) = canvas.strokes
    assert stroke[0] == pytest.approx((4, 24), abs=0.1)
    assert stroke[-1] == pytest.approx((24, 4), abs=0.1)


def test_image_is_the_same_at_any_widget_size(qtbot):
    """The same drawing, at the same place relative to the grid, on a small and a big canvas."""
    # A 2 drawn with a curve, a diagonal and a base line.
    angles = np.linspace(np.pi * 1.05, np.pi * 2.25, 16)
    two = [(14 + 5 * np.cos(a), 10 + 4.5 * np.sin(a)) for a in angles]
    two += [(8.5, 21.5), (12, 21), (19, 21.3)]
    images = []
    for size in ((250, 250), (700, 560)):
        canvas = Canvas()
        qtbot.addWidget(canvas)
        canvas.resize(*size)
        canvas.show()
        draw(qtbot, canvas, two)
        images.append(canvas.image())
    small, big = images
    assert small.sum() > 40
    # Mouse positions are whole pixels, so the small canvas places points to within 1/16 cell.
    assert np.abs(small - big).max() < 0.2
    assert np.abs(small - big).mean() < 0.01


def test_resizing_keeps_the_drawing(qtbot, canvas):
    draw(qtbot, canvas, line(7, 7, 21, 21))
    before = canvas.image()
    canvas.resize(200, 330)
    qtbot.wait(1)
    np.testing.assert_array_equal(canvas.image(), before)
    rect = canvas.grid_rect()
    assert rect.width() == rect.height() <= 200


def test_image_matches_rasterize_and_finer_sizes(qtbot, canvas):
    draw(qtbot, canvas, line(6, 20, 22, 8))
    expected = rasterize(canvas.strokes, GRID, DEFAULT_PEN_WIDTH)
    np.testing.assert_allclose(canvas.image(), expected, atol=1e-6)
    fine = canvas.image(112)
    assert fine.shape == (112, 112)
    np.testing.assert_allclose(fine, rasterize(canvas.strokes, 112, DEFAULT_PEN_WIDTH), atol=1e-6)
    # Each 28×28 pixel is the average of the 4×4 finer pixels it covers.
    coarse = fine.reshape(GRID, 4, GRID, 4).mean(axis=(1, 3))
    np.testing.assert_allclose(canvas.image(), coarse, atol=1e-6)
    # Sizes that do not divide the fine image are rasterized on their own.
    np.testing.assert_allclose(canvas.image(20), rasterize(canvas.strokes, 20, DEFAULT_PEN_WIDTH))


def test_right_click_clears(qtbot, canvas):
    draw(qtbot, canvas, line(14, 5, 14, 23))
    with qtbot.waitSignal(canvas.changed):
        qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=widget_point(canvas, 3, 3))
    assert canvas.is_empty()
    assert not canvas.image().any()


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Escape, Qt.Key.Key_Backspace])
def test_delete_escape_and_backspace_clear(qtbot, canvas, key):
    draw(qtbot, canvas, line(14, 5, 14, 23))
    draw(qtbot, canvas, line(5, 14, 23, 14))
    with qtbot.waitSignal(canvas.changed):
        qtbot.keyClick(canvas, key)
    assert canvas.is_empty()
    assert not canvas.image().any()


def test_clearing_an_empty_canvas_changes_nothing(qtbot, canvas):
    with qtbot.assertNotEmitted(canvas.changed):
        qtbot.keyClick(canvas, Qt.Key.Key_Delete)
        canvas.clear()


def test_ctrl_z_removes_only_the_last_stroke(qtbot, canvas):
    draw(qtbot, canvas, line(8, 5, 8, 23))
    first_only = canvas.image()
    draw(qtbot, canvas, line(20, 5, 20, 23))
    assert canvas.image()[14, 20] > 0.9

    with qtbot.waitSignal(canvas.changed):
        qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes) == 1
    np.testing.assert_array_equal(canvas.image(), first_only)

    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.is_empty()
    with qtbot.assertNotEmitted(canvas.changed):
        qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_digit_keys_emit_their_digit_and_leave_the_drawing(qtbot, canvas):
    draw(qtbot, canvas, line(14, 5, 14, 23))
    before = canvas.strokes
    pressed = []
    canvas.digit_key_pressed.connect(pressed.append)
    for digit in range(10):
        qtbot.keyClick(canvas, str(digit))
    assert pressed == list(range(10))
    assert canvas.strokes == before


def test_ctrl_digit_is_not_a_digit_key(qtbot, canvas):
    with qtbot.assertNotEmitted(canvas.digit_key_pressed):
        qtbot.keyClick(canvas, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)


def test_set_strokes_replays_a_drawing(qtbot, canvas):
    draw(qtbot, canvas, line(6, 6, 22, 22))
    saved, image = canvas.strokes, canvas.image()
    canvas.clear()
    with qtbot.waitSignal(canvas.changed):
        canvas.set_strokes(saved)
    assert canvas.strokes == saved
    np.testing.assert_array_equal(canvas.image(), image)
    with pytest.raises(ValueError):
        canvas.set_strokes([[(1.0, float("nan"))]])


def test_a_wider_pen_gives_more_ink(qtbot, canvas):
    canvas.set_strokes([line(14, 5, 14, 23)])
    thin = canvas.image().sum()
    canvas.pen_width = 2 * DEFAULT_PEN_WIDTH
    assert canvas.image().sum() > 1.6 * thin


def test_screen_shows_white_cells_where_the_ink_is(qtbot, canvas):
    draw(qtbot, canvas, line(14, 5, 14, 23))
    shown = canvas.grab().toImage()
    ratio = shown.devicePixelRatio()

    def brightness(x: float, y: float) -> int:
        p = canvas.from_grid(x, y)
        return shown.pixelColor(int(p.x() * ratio), int(p.y() * ratio)).lightness()

    assert brightness(13.5, 14.5) > 230  # inside an inked cell
    assert brightness(4.5, 14.5) < 40  # bare paper


def test_is_square_and_keyboard_focusable(canvas):
    assert canvas.objectName() == "canvas"
    assert canvas.hasHeightForWidth() and canvas.heightForWidth(300) == 300
    assert canvas.sizeHint().width() == canvas.sizeHint().height()
    assert canvas.focusPolicy() & Qt.FocusPolicy.ClickFocus
    assert "Ctrl+Z" in canvas.toolTip()


def test_canvas_keys_win_over_window_shortcuts_while_it_has_focus(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    canvas = Canvas(window)
    canvas.resize(300, 300)
    fired = []
    for keys in ("Ctrl+Z", "Delete", "5"):
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.activated.connect(lambda keys=keys: fired.append(keys))
    with qtbot.waitActive(window):  # window shortcuts only fire in the active window
        window.show()
        window.activateWindow()
    canvas.setFocus()
    canvas.set_strokes([line(8, 5, 8, 23), line(20, 5, 20, 23)])
    digits = []
    canvas.digit_key_pressed.connect(digits.append)

    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes) == 1
    qtbot.keyClick(canvas, Qt.Key.Key_5)
    assert digits == [5]
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.is_empty()
    assert fired == []

    # The shortcuts do work when the key is not one of the canvas's.
    qtbot.keyClick(canvas, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    QShortcut(QKeySequence("Ctrl+5"), window).activated.connect(lambda: fired.append("Ctrl+5"))
    qtbot.keyClick(canvas, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["Ctrl+5"]


def test_synthesized_digits_and_the_same_strokes_on_the_canvas_give_equal_inputs(qtbot, canvas):
    digits = synthesize(20, seed=5)
    images, _ = synthetic_images(20, seed=5)
    for digit, image in zip(digits, images):
        canvas.pen_width = digit.pen_width
        canvas.set_strokes(digit.strokes)
        seen = to_mnist(canvas.image(FINE))
        np.testing.assert_array_equal(seen, network_input(digit.strokes, digit.pen_width))
        np.testing.assert_array_equal(np.round(seen * 255), image)


def test_strokes_drawn_with_the_mouse_give_the_input_the_synthesizer_would(qtbot, canvas):
    for digit in synthesize(10, seed=6):
        canvas.clear()
        canvas.pen_width = digit.pen_width
        for stroke in digit.strokes:
            draw(qtbot, canvas, [tuple(p) for p in stroke])
        seen = to_mnist(canvas.image(FINE))
        # What the canvas shows the network is the synthesizer's input for what it recorded ...
        np.testing.assert_allclose(seen, network_input(canvas.strokes, digit.pen_width),
                                   atol=1e-6)
        # ... and mouse positions, whole screen pixels, move the strokes very little.
        synthesized = network_input(digit.strokes, digit.pen_width)
        assert np.abs(seen - synthesized).mean() < 0.01
