"""The inspector tabs below the cost plot: gradients, one digit's nudges, weights, test mistakes."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QTabWidget, QWidget

from digitpad.ui import plot_panel
from digitpad.ui.frame import Frame
from digitpad.ui.inspector import InspectorView
from digitpad.ui.inspectors import INSPECTORS
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import draw_seven


def view_menu(window) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")


def test_the_views_of_the_contract_are_tabs_chosen_by_click_or_ctrl_number(qtbot, window):
    tabs = window.findChild(QTabWidget, "inspectorTabs")
    names = ["gradientPlot", "backpropView", "weightsView", "evaluationView", "myDigitsView",
             "networkView"]
    assert [tabs.widget(i).objectName() for i in range(tabs.count())] == names
    assert tabs.currentWidget().objectName() == "gradientPlot"  # the live picture first

    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentWidget() is window.findChild(QWidget, "weightsView")
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert tabs.currentWidget() is window.findChild(QWidget, "backpropView")


def test_the_nudges_tab_follows_the_drawing_and_the_newest_weights(qtbot, window):
    view = window.findChild(QWidget, "backpropView")
    window.inspectors.setCurrentWidget(view)
    assert view.output_wishes() is None  # nothing drawn yet
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(lambda: view.output_wishes() is not None)

    seen = window.prediction.seen.image().reshape(1, -1)
    network = window.trainer.snapshot().network
    target = view.target
    expected = -network.backprop(seen, [target]).deltas[-1][0]
    np.testing.assert_allclose(view.output_wishes(), expected, rtol=1e-4, atol=1e-6)

    window.findChild(QPushButton, "stepButton").click()  # new weights: new wishes
    qtbot.waitUntil(lambda: not np.allclose(view.output_wishes(), expected))

    window.canvas.clear()
    qtbot.waitUntil(lambda: view.output_wishes() is None)


def test_weights_and_test_mistakes_appear_as_training_goes_on(qtbot, window):
    weights = window.findChild(QWidget, "weightsView")
    mistakes = window.findChild(QWidget, "evaluationView")
    window.inspectors.setCurrentWidget(weights)
    qtbot.waitUntil(lambda: weights.tile_count() == 16)  # one square per neuron of layer 1
    first = weights.tiles().copy()

    window.controls.batch_spin.setValue(200)  # 600 training digits: an epoch is 3 steps
    window.trainer.start()
    qtbot.waitUntil(lambda: window.trainer.epoch >= 1)
    window.trainer.pause()
    assert window.trainer.wait_idle(DEADLINE_S)
    qtbot.waitUntil(lambda: not np.allclose(weights.tiles(), first))

    # More epochs may have ended between the last frame that ran and the pause: wait for the
    # view to reach the newest one, not merely for it to show an epoch.
    window.inspectors.setCurrentWidget(mistakes)
    last = window.trainer.snapshot().epochs[-1]
    qtbot.waitUntil(lambda: mistakes.epoch() == last.epoch)
    np.testing.assert_array_equal(mistakes.confusion(), last.confusion)
    assert f"epoch {last.epoch}" in mistakes.title_text()


def test_the_chosen_tab_is_remembered(qtbot, small_mnist):
    from digitpad.app import create_window

    first = create_window(data=small_mnist)
    qtbot.addWidget(first)
    first.inspectors.setCurrentIndex(3)
    first.close()
    second = create_window(data=small_mnist)
    qtbot.addWidget(second)
    assert second.inspectors.currentIndex() == 3
    second.close()


def test_tabs_tooltips_and_the_view_menu_come_from_the_one_list(window):
    tabs = window.findChild(QTabWidget, "inspectorTabs")
    entries = view_menu(window).actions()
    assert tabs.count() == len(entries) == len(INSPECTORS)
    for i, (kind, entry) in enumerate(zip(INSPECTORS, entries)):
        assert isinstance(tabs.widget(i), kind)
        assert tabs.tabText(i) == entry.text() == kind.title
        assert tabs.tabToolTip(i) == entry.statusTip() == kind.tooltip
        assert entry.shortcut() == QKeySequence(f"Ctrl+{i + 1}")
        entry.trigger()
        assert tabs.currentIndex() == i


class DrawingSize(InspectorView):
    """A trivial inspector for the test: how much ink the network sees."""

    title = "Ink"
    tooltip = "How much ink the network sees"
    refresh_hz = 10.0

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("inkView")
        self.frame: Frame | None = None
        self.ink: float | None = None  # worked out when visible

    def show_frame(self, frame: Frame) -> None:
        self.frame = frame
        self.input_changed()

    def refresh(self) -> None:
        self.ink = None if self.frame.seen is None else float(self.frame.seen.sum())


def test_a_view_added_to_the_list_gets_a_tab_a_shortcut_and_frames(qtbot, small_mnist,
                                                                   monkeypatch):
    from digitpad.app import create_window

    monkeypatch.setattr(plot_panel, "INSPECTORS", [*INSPECTORS, DrawingSize])
    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.findChild(QWidget, "inkView")
    tabs = window.findChild(QTabWidget, "inspectorTabs")
    assert tabs.tabText(tabs.count() - 1) == view_menu(window).actions()[-1].text() == "Ink"
    draw_seven(qtbot, window.canvas)
    qtbot.waitUntil(lambda: view.frame is not None and view.frame.seen is not None)
    assert view.ink is None  # hidden: nothing worked out yet
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + len(INSPECTORS)),  # its Ctrl+N: the last one
                   Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.ink is not None)
    assert view.ink == float(window.session.seen_now().sum())
    window.close()


@pytest.mark.parametrize("name", ["backpropView", "networkView"])
def test_while_training_runs_the_views_of_the_drawing_take_every_move_of_the_pen(
        qtbot, window, name):
    view = window.findChild(QWidget, name)
    window.inspectors.setCurrentWidget(view)
    session, canvas = window.session, window.canvas

    def outputs_shown() -> np.ndarray:
        if name == "networkView":
            return view.picture().activations[-1]
        return view.outputs()

    window.trainer.start()
    qtbot.waitUntil(lambda: session.frame.snapshot.is_running)
    left = Qt.MouseButton.LeftButton
    points = [canvas.from_grid(8 + t, 6 + 0.8 * t).toPoint() for t in range(13)]
    qtbot.mousePress(canvas, left, pos=points[0])
    for point in points[1:]:
        before = session.frame
        qtbot.mouseMove(canvas, point)
        # The first frame that has this move: the views show it, not one a few frames later.
        qtbot.waitUntil(lambda b=before: session.frame.seen is not b.seen
                        and not session.pending_drawing)
        frame = session.frame
        assert frame.snapshot.is_running and frame.pen_down
        np.testing.assert_allclose(outputs_shown(), frame.outputs, rtol=1e-5, atol=1e-6)
    # The last piece of a stroke, drawn as the pen is lifted, is shown at once too.
    before = session.frame
    qtbot.mouseRelease(canvas, left, pos=canvas.from_grid(20, 20).toPoint())
    qtbot.waitUntil(lambda: session.frame.seen is not before.seen and not session.pending_drawing)
    assert session.frame.snapshot.is_running and not session.frame.pen_down
    np.testing.assert_allclose(outputs_shown(), session.frame.outputs, rtol=1e-5, atol=1e-6)
    window.trainer.pause()
    assert window.trainer.wait_idle(DEADLINE_S)
