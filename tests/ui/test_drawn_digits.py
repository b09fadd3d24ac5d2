"""Digits drawn with real mouse events on the real canvas: the ink, and what a network makes of it.

The strokes come from the drawn-digits benchmark (benchmarks/drawn_digits/templates.json): one
digit of each kind, replayed as a press, mouse moves a few pixels apart and a release.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digitpad.core import Network, as_inputs, load_mnist
from digitpad.core.preprocess import to_mnist
from digitpad.ui.canvas import GRID, Canvas, rasterize
from tests.ui.window_helpers import shown

STROKES = Path(__file__).resolve().parents[2] / "benchmarks" / "drawn_digits" / "templates.json"


@pytest.fixture(scope="module")
def digits() -> list[dict]:
    """The first template digit of each kind 0-9 (grid units, 0..28)."""
    every = json.loads(STROKES.read_text())["digits"]
    return [next(d for d in every if d["label"] == label) for label in range(10)]


@pytest.fixture
def canvas(qtbot):
    return shown(qtbot, Canvas(), 420, 420)


def draw(qtbot, canvas: Canvas, strokes) -> None:
    for stroke in strokes:
        points = [canvas.from_grid(x, y).toPoint() for x, y in stroke]
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0])
        for point in points[1:]:
            qtbot.mouseMove(canvas, point)
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1])


def test_replayed_strokes_give_the_ink_of_the_drawing(qtbot, canvas, digits):
    half_pixel = 0.5 / (canvas.grid_rect().width() / GRID)  # in grid units
    for digit in digits:
        canvas.clear()
        draw(qtbot, canvas, digit["strokes"])

        # Every mouse event became a point, within the rounding to whole screen pixels.
        recorded = canvas.strokes
        assert [len(s) for s in recorded] == [len(s) for s in digit["strokes"]]
        for got, wanted in zip(recorded, digit["strokes"]):
            assert np.abs(np.array(got) - np.array(wanted)).max() <= half_pixel + 1e-6

        # ... so the 28x28 grid is the drawing's, up to that rounding.
        image = canvas.image()
        expected = rasterize([[tuple(p) for p in s] for s in digit["strokes"]])
        assert np.abs(image - expected).mean() < 0.01
        assert image.sum() == pytest.approx(expected.sum(), rel=0.03)
        assert ((image > 0.5) == (expected > 0.5)).mean() > 0.98


def test_what_the_network_sees_is_mnist_shaped(qtbot, canvas, digits):
    for digit in digits:
        canvas.clear()
        draw(qtbot, canvas, digit["strokes"])
        seen = to_mnist(canvas.image(112))
        assert seen.shape == (28, 28) and seen.max() == pytest.approx(1.0)
        rows, cols = np.nonzero(seen > 0.1)
        # The digit fills MNIST's 20x20 box (a pixel of fringe either way) ...
        assert max(np.ptp(rows), np.ptp(cols)) + 1 in range(19, 23)
        # ... and its centre of mass is in the middle, wherever it was drawn on the canvas.
        mass = seen.sum()
        centre = np.array([seen.sum(1) @ np.arange(28), seen.sum(0) @ np.arange(28)]) / mass
        assert np.allclose(centre, 14.0, atol=0.5)


def test_a_network_trained_briefly_on_mnist_reads_most_drawn_digits(qtbot, canvas, digits):
    mnist = load_mnist()
    X, y = as_inputs(mnist.train_images), mnist.train_labels
    network = Network((784, 64, 10), "relu", "softmax", "cross_entropy", seed=0)
    order = np.random.default_rng(0).permutation(len(y))
    for lr in (0.1, 0.02):  # two epochs, two or three seconds: about 96% on MNIST
        for start in range(0, len(y), 100):
            batch = order[start : start + 100]
            network.train_step(X[batch], y[batch], lr=lr, momentum=0.9)
    test_images, test_labels = mnist.test_images[:2000], mnist.test_labels[:2000]
    assert np.mean(network.predict(as_inputs(test_images)) == test_labels) > 0.94

    seen = []
    for digit in digits:
        canvas.clear()
        draw(qtbot, canvas, digit["strokes"])
        seen.append(to_mnist(canvas.image(112)).reshape(784))
    predicted = network.predict(np.array(seen))
    assert np.sum(predicted == np.arange(10)) >= 8, predicted
