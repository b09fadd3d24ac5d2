"""The cost plot's x axis: its tick labels."""

from digitpad.ui.cost_axis import short_count


def test_tick_labels_of_large_counts_stay_short():
    assert [short_count(v) for v in (0, 0.5, 250, 9999, 10_000, 25_000, 1.5e6, 1.8e8)] == [
        "0", "0.5", "250", "9999", "10k", "25k", "1.5M", "180M"]
