"""Runs are named in the legend by the settings in which they differ."""

from digitpad.core.settings import Settings
from digitpad.ui.run_names import SAME, names_of_runs

MINI = Settings(batch=100, lr=3.0)
FULL = Settings(batch=60_000, lr=3.0)


def test_each_earlier_run_is_named_by_what_differs_from_the_current_one():
    current, earlier = names_of_runs([FULL], [[MINI], [Settings(batch=60_000, lr=0.5)]])
    assert earlier == ["batch 100", "lr 0.5"]
    assert current == "batch 60000, lr 3"  # every setting that differs somewhere


def test_a_run_that_differs_in_nothing_says_so_and_one_alone_needs_no_name():
    assert names_of_runs([MINI], [[MINI]]) == ("", [SAME])
    assert names_of_runs([MINI], []) == ("", [])


def test_a_setting_changed_mid_run_shows_both_values():
    changed = [MINI, FULL]  # the batch size changed while it ran
    assert names_of_runs([MINI], [changed]) == ("batch 100", ["batch 100→60000"])


def test_the_network_settings_read_as_short_words():
    other = Settings(hidden=(30,), activation="relu", cost="quadratic", augment=True, l2=0.5)
    current, earlier = names_of_runs([Settings()], [[other]])
    assert earlier == ["hidden 30, relu, cost quadratic, L2 0.5, augment on"]
    assert current == "hidden 16-16, sigmoid, cost cross-entropy, L2 0, augment off"


def test_before_the_current_runs_settings_are_known_earlier_runs_differ_among_themselves():
    assert names_of_runs([], [[MINI], [FULL]]) == ("", ["batch 100", "batch 60000"])

