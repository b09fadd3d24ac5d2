"""Fixtures for the main-window tests: a real window on a tiny generated MNIST."""

import pytest


@pytest.fixture
def window(qtbot, small_mnist):
    """The main window, shown, with the small MNIST already handed to the trainer."""
    from tests.ui.window_helpers import opened_window

    win = opened_window(qtbot, small_mnist)
    yield win
    win.close()


@pytest.fixture(autouse=True)
def status_messages_kept(monkeypatch):
    """Every status bar keeps the messages it was asked to show (window_helpers.last_said):
    shown ones expire after seconds, sooner than a busy machine may reach the assertion."""
    from digitpad.ui.status_bar import StatusBar

    show = StatusBar.showMessage

    def keeping(self, text: str, timeout: int = 0) -> None:
        if not hasattr(self, "said_in_tests"):
            self.said_in_tests = []
        self.said_in_tests.append(text)
        show(self, text, timeout)

    monkeypatch.setattr(StatusBar, "showMessage", keeping)
