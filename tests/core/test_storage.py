"""storage.check_writable: it says no before training exactly when the save after it would fail."""

import os

import pytest

from digitpad.core import ModelFileError, Network, storage


def test_check_writable_agrees_with_the_real_save_near_the_name_length_limit(tmp_path):
    if not hasattr(os, "pathconf"):
        pytest.skip("no pathconf to ask for the longest file name")
    longest = os.pathconf(tmp_path, "PC_NAME_MAX")
    net = Network((4, 3))
    verdicts = {}
    for length in range(longest - 30, longest + 2):
        path = tmp_path / ("m" * (length - 4) + ".npz")
        try:
            storage.check_writable(path)
            checked = True
        except ModelFileError as e:
            assert "too long" in str(e) and "\n" not in str(e)
            checked = False
        try:
            net.save(path)
            saved = True
        except ModelFileError:
            saved = False
        verdicts[length] = (checked, saved)
    assert all(checked == saved for checked, saved in verdicts.values()), verdicts
    # Both sides of the limit were tried, or the test proves nothing.
    assert {checked for checked, _ in verdicts.values()} == {True, False}
    # The probe leaves nothing behind: only the models that were really saved are there.
    saved_lengths = sorted(len(name) for name in os.listdir(tmp_path))
    assert saved_lengths == [length for length, (_, saved) in verdicts.items() if saved]
