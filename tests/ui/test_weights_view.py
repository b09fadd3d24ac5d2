"""The view of what each first-layer neuron looks for: its incoming weights as a 28×28 tile."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QRectF
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from digitpad.core import Network
from digitpad.ui import theme
from digitpad.ui import weights_view as weights_module
from digitpad.ui.weights_view import WeightsView
from tests.ui.palettes import dark_palette
from tests.ui.window_helpers import shown


@pytest.fixture
def view(qtbot):
    return shown(qtbot, WeightsView(), 560, 380)


@pytest.fixture
def calls(monkeypatch):
    """How many times the tiles were computed from a network's weights."""
    made = []
    real = weights_module.neuron_tiles

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(weights_module, "neuron_tiles", counting)
    return made


def colour_at(view: WeightsView, x: float, y: float) -> QColor:
    shown = view.grab().toImage()
    ratio = shown.devicePixelRatio()
    return shown.pixelColor(int(x * ratio), int(y * ratio))


def cell_centre(rect: QRectF, row: int, col: int) -> tuple[float, float]:
    cell = rect.width() / 28
    return rect.left() + (col + 0.5) * cell, rect.top() + (row + 0.5) * cell


def test_object_name(view):
    assert view.objectName() == "weightsView"


def test_one_tile_per_neuron_holding_its_incoming_weights(view):
    net = Network((784, 16, 16, 10), seed=1)
    view.show_network(net)
    assert view.tile_count() == 16
    tiles = view.tiles()
    assert tiles.shape == (16, 28, 28)
    for j in range(16):
        w = net.weights[0][:, j]
        # Neuron j's 784 weights, in pixel order, divided by their largest |w|.
        np.testing.assert_allclose(tiles[j] * np.abs(w).max(), w.reshape(28, 28), rtol=1e-5,
                                   atol=1e-7)
        assert np.abs(tiles[j]).max() == pytest.approx(1.0)


def test_tiles_are_drawn_red_where_the_weight_is_positive_blue_where_negative(view):
    net = Network((784, 16, 10), seed=2)
    W = np.zeros((784, 16), np.float32)
    W[3 * 28 + 5, 7] = 2.0  # neuron 7: pixel (3, 5) excites it ...
    W[20 * 28 + 22, 7] = -1.0  # ... pixel (20, 22) inhibits it
    net.weights[0] = W
    view.show_network(net)
    rect = view.tile_rect(7)
    excite = colour_at(view, *cell_centre(rect, 3, 5))
    inhibit = colour_at(view, *cell_centre(rect, 20, 22))
    zero = colour_at(view, *cell_centre(rect, 14, 14))
    assert excite.red() > excite.blue() + 80
    assert inhibit.blue() > inhibit.red() + 80
    assert zero == view.palette().color(QPalette.ColorRole.Base)
    # -1 is half this tile's largest |w|: a paler blue than full inhibition (its own scale).
    assert inhibit.lightness() > theme.less_color(view.palette()).lightness() + 20


def test_the_grid_fills_the_widget_without_overlaps(view):
    view.show_network(Network((784, 16, 16, 10)))
    rects = [view.tile_rect(j) for j in range(16)]
    assert len({round(r.top()) for r in rects}) == 4  # 4 × 4
    assert len({round(r.left()) for r in rects}) == 4
    inside = QRectF(0, 0, view.width(), view.height())
    assert all(inside.contains(r) for r in rects)
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    assert rects[0].width() >= 70  # large enough to read 28×28 weights at 560×380


def test_a_wide_layer_shows_its_first_64_neurons(view):
    net = Network((784, 512, 10), seed=3)
    view.show_network(net)
    assert view.tile_count() == 64
    tiles = view.tiles()
    w = net.weights[0][:, 63]
    np.testing.assert_allclose(tiles[63] * np.abs(w).max(), w.reshape(28, 28), rtol=1e-5,
                               atol=1e-7)
    assert "64 of 512 neurons" in view.caption_text()
    rects = [view.tile_rect(j) for j in range(64)]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_the_caption_explains_the_colours(view):
    view.show_network(Network((784, 16, 10)))
    caption = view.caption_text()
    assert "784 pixels" in caption and "one neuron of layer 1" in caption
    assert "red pixels excite it" in caption and "blue ones inhibit it" in caption
    assert "own colour scale" in caption


def test_the_same_network_again_is_not_recomputed(view, calls):
    net = Network((784, 16, 10), seed=4)
    view.show_network(net)
    view.show_network(net)
    view.show_network(net)
    assert len(calls) == 1
    view.grab()  # painting does not compute them either
    assert len(calls) == 1


def test_a_new_network_updates_the_tiles(view, calls):
    net = Network((784, 16, 10), seed=4)
    view.show_network(net)
    before = colour_at(view, *cell_centre(view.tile_rect(0), 14, 14))
    trained = net.copy()
    trained.weights[0][:, 0] = 0.0
    trained.weights[0][14 * 28 + 14, 0] = -3.0
    view.show_network(trained)
    assert len(calls) == 2
    assert view.network() is trained
    assert view.tiles()[0][14, 14] == -1.0 and np.count_nonzero(view.tiles()[0]) == 1
    after = colour_at(view, *cell_centre(view.tile_rect(0), 14, 14))
    assert after != before and after.blue() > after.red() + 80


def test_nothing_is_computed_while_hidden(qtbot, calls):
    widget = WeightsView()
    qtbot.addWidget(widget)
    widget.resize(560, 380)
    for seed in range(5):
        widget.show_network(Network((784, 16, 10), seed=seed))
    assert calls == []
    latest = Network((784, 16, 10), seed=9)
    widget.show_network(latest)
    widget.show()
    qtbot.waitExposed(widget)
    assert len(calls) == 1
    w = latest.weights[0][:, 0]
    np.testing.assert_allclose(widget.tiles()[0] * np.abs(w).max(), w.reshape(28, 28),
                               rtol=1e-5, atol=1e-7)


def test_no_network_shows_no_tiles(view):
    view.show_network(Network((784, 16, 10)))
    view.show_network(None)
    assert view.tile_count() == 0 and view.tiles() is None
    assert "once there is a network" in view.caption_text()
    view.grab()


def test_inputs_that_are_not_a_square_image_are_explained(view):
    view.show_network(Network((30, 8, 10)))
    assert view.tile_count() == 0
    assert "30 inputs" in view.caption_text()
    view.grab()


def test_tooltip_names_the_neuron_under_the_mouse(view):
    net = Network((784, 16, 10), seed=5)
    view.show_network(net)
    rect = view.tile_rect(2)
    text = view.tooltip_at(rect.center())
    low, high = net.weights[0][:, 2].min(), net.weights[0][:, 2].max()
    assert text.startswith("Neuron 3 of layer 1")
    assert f"{low:+.2f}" in text and f"{high:+.2f}" in text
    # A real tooltip event shows it.
    pos = rect.center().toPoint()
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, pos, view.mapToGlobal(pos)))
    assert QToolTip.text() == text
    QToolTip.hideText()
    corner = QRectF(view.rect()).bottomRight() - QPoint(2, 2)  # no tile there
    assert "red pixels excite it" in view.tooltip_at(corner)


@pytest.mark.parametrize("dark", [False, True])
def test_painted_in_light_and_dark_palettes(view, dark):
    if dark:
        view.setPalette(dark_palette())
    net = Network((784, 16, 10), seed=6)
    view.show_network(net)
    image = view.grab().toImage()
    assert not image.isNull()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3)
               for y in range(0, image.height(), 3)}
    assert len(colours) > 100  # tiles full of different weights, not a blank widget
    # Zero weights are drawn in the palette's paper colour, so the tiles follow the theme.
    rect = view.tile_rect(0)
    w = net.weights[0][:, 0].reshape(28, 28)
    r, c = np.unravel_index(np.argmin(np.abs(w)), w.shape)
    near_zero = colour_at(view, *cell_centre(rect, r, c))
    base = view.palette().color(QPalette.ColorRole.Base)
    assert abs(near_zero.lightness() - base.lightness()) < 40
    assert (base.lightness() < 100) == dark


def test_a_palette_change_recolours_without_recomputing(view, calls):
    net = Network((784, 16, 10), seed=7)
    net.weights[0][:, 0] = 0.0
    net.weights[0][0, 0] = 1.0
    view.show_network(net)
    light = colour_at(view, *cell_centre(view.tile_rect(0), 14, 14))  # a zero weight
    view.setPalette(dark_palette())
    dark = colour_at(view, *cell_centre(view.tile_rect(0), 14, 14))
    assert dark.lightness() < light.lightness() - 60
    assert len(calls) == 1
