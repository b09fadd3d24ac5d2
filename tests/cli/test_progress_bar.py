"""The progress bar of `digitpad train` on a terminal: one line, redrawn in place, 80 columns."""

import io

import pytest

from digitpad.progress_bar import ProgressBar


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # what shutil.get_terminal_size() reports
    return io.StringIO()


def drawn_line(terminal: io.StringIO) -> str:
    """The text the user sees: `\\r` goes back to the line's start, `\\033[K` erases the rest."""
    text = terminal.getvalue()
    assert text.startswith("\r") and text.endswith("\033[K") and "\n" not in text
    return text[1:-3]


def test_shows_epoch_batch_cost_speed_and_eta_on_one_line(terminal):
    ProgressBar(terminal, epochs=10, batch=100).update(2, 31000, 60000, 0.12344, 5210)
    line = drawn_line(terminal)
    # 8 of 9 epochs' examples still to go at 5,210 a second: 98 s
    assert line == ("epoch 2/10 [========         ] batch 310/600  cost 0.1234  5,210 ex/s"
                    "  ETA 1:38")
    assert len(line) <= 79  # the 80th column would wrap the line on some terminals


def test_the_last_smaller_batch_of_an_epoch_counts_as_one(terminal):
    bar = ProgressBar(terminal, epochs=1, batch=64)
    bar.update(1, 6000, 6000, 0.5, 1000)  # 93 batches of 64 and one of 48
    assert " batch 94/94 " in drawn_line(terminal)


def test_batch_of_one_with_hours_to_go_still_fits(terminal):
    ProgressBar(terminal, epochs=30, batch=1).update(12, 6000, 60000, 2.5, 100)
    line = drawn_line(terminal)
    # 18 more epochs and 54,000 examples of this one, at 100 a second: 11,340 s
    assert line.startswith("epoch 12/30 [")
    assert "] batch  6000/60000  cost 2.5000  100 ex/s  ETA 3:09:00" in line
    assert len(line) <= 79


def test_narrow_terminal_drops_the_bar_and_never_wraps(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    terminal = io.StringIO()
    ProgressBar(terminal, epochs=10, batch=100).update(2, 31000, 60000, 0.1234, 5210)
    line = drawn_line(terminal)
    assert line.startswith("epoch 2/10 batch 310/600  cost 0.1234") and "[" not in line
    assert len(line) <= 49


def test_clear_leaves_an_empty_line(terminal):
    bar = ProgressBar(terminal, epochs=1, batch=10)
    bar.update(1, 10, 100, 1.0, 100)
    bar.clear()
    assert terminal.getvalue().endswith("\r\033[K")
