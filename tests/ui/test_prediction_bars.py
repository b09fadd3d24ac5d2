"""The ten probability bars."""

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette

from digitpad.ui.prediction_bars import PredictionBars
from tests.ui.window_helpers import shown


@pytest.fixture
def bars(qtbot):
    return shown(qtbot, PredictionBars(), 260, 300)


def colour_along_bar(bars: PredictionBars, digit: int, fraction: float) -> QColor:
    """The colour on screen at `fraction` of the way along digit's bar track."""
    rect = bars.bar_rect(digit)
    shown = bars.grab().toImage()
    ratio = shown.devicePixelRatio()
    x = rect.left() + fraction * rect.width()
    return shown.pixelColor(int(x * ratio), int(rect.center().y() * ratio))


def highlight(bars: PredictionBars) -> QColor:
    return bars.palette().color(QPalette.ColorRole.Highlight)


def test_top_bar_grows_in_the_highlight_colour(bars):
    empty_track = colour_along_bar(bars, 3, 0.7)
    assert empty_track != highlight(bars)

    p = np.zeros(10)
    p[3], p[8] = 0.8, 0.2
    bars.set_probabilities(p)
    assert bars.top_digit() == 3
    assert colour_along_bar(bars, 3, 0.7) == highlight(bars)  # inside the 80% bar
    assert colour_along_bar(bars, 3, 0.9) == empty_track  # past its end
    # The runner-up gets a bar too, not highlighted.
    runner_up = colour_along_bar(bars, 8, 0.1)
    assert runner_up != empty_track and runner_up != highlight(bars)
    assert colour_along_bar(bars, 8, 0.3) == empty_track
    assert colour_along_bar(bars, 0, 0.1) == empty_track


def test_none_empties_the_bars(bars):
    bars.set_probabilities(np.full(10, 0.1) + np.eye(10)[6] * 0.5)
    assert colour_along_bar(bars, 6, 0.5) == highlight(bars)
    bars.set_probabilities(None)
    assert bars.probabilities() is None and bars.top_digit() is None
    assert colour_along_bar(bars, 6, 0.5) != highlight(bars)
    assert colour_along_bar(bars, 6, 0.5) == colour_along_bar(bars, 6, 0.05)


def test_the_highlight_follows_the_largest_value(bars):
    bars.set_probabilities([0.05, 0.6, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.0])
    assert colour_along_bar(bars, 1, 0.3) == highlight(bars)
    bars.set_probabilities([0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.55])
    assert colour_along_bar(bars, 9, 0.3) == highlight(bars)
    assert colour_along_bar(bars, 1, 0.3) != highlight(bars)


def test_odd_values_are_clipped_not_fatal(bars):
    bars.set_probabilities([np.nan, 2.0, -1.0, np.inf, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(bars.probabilities(), [0, 1, 0, 1, 0, 0, 0, 0, 0, 0])
    bars.grab()
    with pytest.raises(ValueError):
        bars.set_probabilities(np.zeros(9))


def test_fits_its_rows(bars):
    rects = [bars.bar_rect(d) for d in range(10)]
    assert all(a.bottom() <= b.top() for a, b in zip(rects, rects[1:]))
    assert rects[-1].bottom() <= bars.height() and rects[0].width() > 50
