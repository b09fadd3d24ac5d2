"""Test mistakes you can open: a click on a cell of the confusion matrix lists the test digits
behind it, most confidently wrong first, and a click on one puts it on the canvas as the network
sees it; the prediction and the nudges follow it."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListView, QToolButton, QWidget

from digitpad.core.mnist import Mnist, as_inputs
from tests.conftest import make_small_mnist
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import draw_seven


@pytest.fixture
def small_mnist() -> Mnist:
    """The small stand-in MNIST (digit d: a bar on row 4 + 2d), but half the test 4s carry a
    9's bar instead of their own, fainter or brighter: 4s the network will answer 9, some more
    surely than others."""
    data = make_small_mnist()
    images = data.test_images.copy()
    fours = np.flatnonzero(data.test_labels == 4)
    for k, i in enumerate(fours[: len(fours) // 2 + 1]):
        images[i, 12] = images[i, 13]  # its own bar gone
        images[i, 22, 4:24] = 120 + 45 * k
    return Mnist(data.train_images, data.train_labels, images, data.test_labels)


def train_epochs(window, epochs: int) -> None:
    """Exactly `epochs` epochs, a step at a time: the network then is the one that scored the
    test set last."""
    trainer = window.trainer
    batch = trainer.settings.batch
    assert len(trainer.data.train_labels) % batch == 0
    for _ in range(epochs * len(trainer.data.train_labels) // batch):
        trainer.step()
    assert trainer.wait_idle(DEADLINE_S)


def matrix_after(qtbot, window, epochs: int):  # noqa: ANN201 - the EvaluationView
    """The test-mistakes tab, shown, once it shows the matrix of the `epochs`th epoch."""
    view = window.findChild(QWidget, "evaluationView")
    window.inspectors.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.epoch() == epochs)
    return view


def click_cell(qtbot, view, true: int, answer: int) -> None:
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton,
                     pos=view.cell_rect(true, answer).center().toPoint())


def listed(window) -> list[int]:
    return window.findChild(QListView, "testDigitsList").model().indices().tolist()


def test_the_4_answered_9_cell_lists_exactly_those_digits_and_opens_one(qtbot, window):
    data = window.trainer.data
    train_epochs(window, 4)
    view = matrix_after(qtbot, window, 4)

    # What the network that scored epoch 4 answers, digit by digit, worked out here.
    network = window.trainer.network
    outputs = network.forward(as_inputs(data.test_images))
    expected = [i for i in range(len(data.test_labels))
                if data.test_labels[i] == 4 and outputs[i].argmax() == 9]
    expected.sort(key=lambda i: -outputs[i, 9])
    assert len(expected) >= 3, "the test data should give the network 4s it takes for 9s"
    assert view.confusion()[4, 9] == len(expected)

    click_cell(qtbot, view, 4, 9)
    qtbot.waitUntil(lambda: listed(window) == expected)
    assert view.chosen_cell() == (4, 9)
    title = window.findChild(QLabel, "testDigitTitle").text()
    assert title.startswith("4s answered 9 after epoch 4") and f"{len(expected)} test" in title

    # The second digit of the list, clicked: it is the network's input, exactly.
    digits = window.findChild(QListView, "testDigitsList")
    chosen = expected[1]
    row = digits.model().index(1, 0)
    assert str(round(100 * outputs[chosen, 9], 1)) in digits.model().data(row)
    qtbot.mouseClick(digits.viewport(), Qt.MouseButton.LeftButton,
                     pos=digits.visualRect(row).center())
    seen = as_inputs(data.test_images[chosen : chosen + 1])[0].reshape(28, 28)
    np.testing.assert_array_equal(window.canvas.picture, seen)
    assert f"Test digit {chosen}" in window.canvas.caption
    np.testing.assert_array_equal(window.session.seen_now(), seen)
    qtbot.waitUntil(lambda: np.array_equal(window.prediction.seen.image(), seen))
    qtbot.waitUntil(lambda: window.prediction.digit_label.text() == "9")

    # Its nudges: what this test digit wants of the network, for the network's guess.
    nudges = window.findChild(QWidget, "backpropView")
    window.inspectors.setCurrentWidget(nudges)
    qtbot.waitUntil(lambda: nudges.output_wishes() is not None and nudges.target == 9)
    wished = -network.backprop(seen.reshape(1, -1), [9]).deltas[-1][0]
    np.testing.assert_allclose(nudges.output_wishes(), wished, rtol=1e-4, atol=1e-6)

    # Drawing on it: the caption goes, the drawing is the person's own.
    draw_seven(qtbot, window.canvas)
    assert window.canvas.caption == "" and window.canvas.picture is None
    qtbot.waitUntil(lambda: not np.array_equal(window.prediction.seen.image(), seen))


def test_the_list_follows_new_epochs_and_closes_on_reset_or_its_button(qtbot, window):
    data = window.trainer.data
    train_epochs(window, 1)
    view = matrix_after(qtbot, window, 1)
    right = int(np.argmax(np.diag(view.confusion())))  # a digit with digits on the diagonal
    click_cell(qtbot, view, right, right)
    qtbot.waitUntil(lambda: len(listed(window)) == view.confusion()[right, right])
    assert all(data.test_labels[i] == right for i in listed(window))

    train_epochs(window, 1)  # epoch 2: the cell lists that epoch's digits
    matrix_after(qtbot, window, 2)
    answers = window.trainer.network.predict(as_inputs(data.test_images))
    expected = {i for i in range(len(answers)) if answers[i] == right == data.test_labels[i]}
    qtbot.waitUntil(lambda: set(listed(window)) == expected)

    close = window.findChild(QToolButton, "closeTestDigits")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert view.chosen_cell() is None and view.digits.isHidden()

    click_cell(qtbot, view, right, right)
    assert view.digits.isVisible()
    window.reset_network()
    qtbot.waitUntil(lambda: view.digits.isHidden())
    assert view.chosen_cell() is None
