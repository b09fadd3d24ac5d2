"""Fixtures for the main-window tests: a real window on a tiny generated MNIST."""

import pytest


@pytest.fixture
def window(qtbot, small_mnist):
    """The main window, shown, with the small MNIST already handed to the trainer."""
    from tests.ui.window_helpers import opened_window

    win = opened_window(qtbot, small_mnist)
    yield win
    win.close()
