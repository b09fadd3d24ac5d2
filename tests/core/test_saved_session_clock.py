"""A saved session keeps the run's examples seen and seconds of training (the cost plot's x
axes), and refuses them when they are not running totals."""

from dataclasses import replace

import numpy as np
import pytest

from digitpad.core.saved_session import SessionError, load_session, save_session
from tests.core.test_saved_session import trained_session


def with_clock(session, examples, seconds):
    return replace(session, history=replace(session.history, examples_seen=examples,
                                            training_seconds=seconds))


def test_the_clock_comes_back_exactly(tmp_path):
    session = trained_session(steps=30)
    examples = 20 * np.arange(1, 31, dtype=np.int64)
    seconds = np.cumsum(np.full(30, 0.003))
    save_session(tmp_path / "s.npz", with_clock(session, examples, seconds))
    history = load_session(tmp_path / "s.npz").history
    np.testing.assert_array_equal(history.examples_seen, examples)
    np.testing.assert_array_equal(history.training_seconds, seconds)


def test_a_session_saved_without_a_clock_loads_without_one(tmp_path):
    save_session(tmp_path / "s.npz", trained_session(steps=30))
    history = load_session(tmp_path / "s.npz").history
    assert history.examples_seen is None and history.training_seconds is None


@pytest.mark.parametrize("examples, seconds", [
    (20 * np.arange(30, 0, -1), np.linspace(0.1, 3, 30)),  # falling
    (20 * np.arange(1, 31), np.full(30, np.nan)),  # not numbers
    (20 * np.arange(1, 30), np.linspace(0.1, 3, 29)),  # one step short
])
def test_a_clock_that_is_not_a_running_total_is_refused(tmp_path, examples, seconds):
    session = with_clock(trained_session(steps=30), examples, seconds)
    save_session(tmp_path / "s.npz", session)
    with pytest.raises(SessionError, match="running totals"):
        load_session(tmp_path / "s.npz")
