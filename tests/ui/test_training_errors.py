"""A training step that fails for another reason than a diverging cost."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton


def test_a_failed_step_is_explained_and_training_can_go_on(qtbot, window, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    qtbot.waitUntil(lambda: window.trainer.has_data)
    monkeypatch.setattr(window.trainer.network, "train_step", out_of_memory)
    start = window.findChild(QPushButton, "startPauseButton")
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "not enough memory" in window.notice.text.text()
    assert "learning rate" not in window.notice.text.text()  # not a divergence: no such advice
    assert not window.notice.action.isVisible()
    assert start.text() == "Start"

    monkeypatch.undo()
    qtbot.mouseClick(window.findChild(QPushButton, "stepButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.trainer.steps == 1)


def test_what_went_wrong_in_words():
    from digitpad.training.trainer import DIVERGED, OUT_OF_MEMORY, UNEXPECTED, Failure
    from digitpad.ui.training_failure import describe_failure

    diverged = Failure(DIVERGED, 31, "training diverged at learning rate 5 (the cost became "
                                     "inf): try a smaller learning rate")
    assert describe_failure(diverged) == (
        "Training paused: training diverged at learning rate 5 (the cost became inf): try a "
        "smaller learning rate. The last good weights are kept.")
    assert describe_failure(Failure(OUT_OF_MEMORY, 2)) == (
        "Training stopped: there is not enough memory for this network and batch size. "
        "Try smaller ones.")
    assert describe_failure(Failure(UNEXPECTED, 2, "ValueError: bad shape")) == (
        "Training stopped: an unexpected error (ValueError: bad shape).")
