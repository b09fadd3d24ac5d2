"""Fixtures for the main-window tests: a real window on a tiny generated MNIST."""

import pytest


@pytest.fixture
def window(qtbot, small_mnist):
    """The main window, shown, with the small MNIST already handed to the trainer."""
    from digitpad.app import create_window  # here: the canvas tests must not need the app

    win = create_window(data=small_mnist)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
