"""Names for the runs on one plot, each by the settings in which the runs differ.

    names_of_runs([Settings(batch=60_000)], [[Settings(batch=100)]])
        -> ("batch 60000", ["batch 100"])

A run is the list of settings it trained with, in order: the learning rate and the batch size
may change while it runs, and then its name says so ("batch 100→600").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from digitpad.core.settings import Settings

Run = Sequence[Settings]  # the settings a run trained with, oldest first

# A setting's short name in a legend (others go by their field name).
SHORT = {"l2": "L2", "synthetic": "synthetic share"}
SAME = "same settings"
FIRST = ("batch", "lr")  # named first: the comparison this plot is made for


def words(name: str, value: object) -> tuple[str, str]:
    """A setting as a legend shows it, the name and the value: ('batch', '100'), ('lr', '3'),
    ('hidden', '16,16'), ('', 'relu')."""
    if name == "hidden":
        return name, "-".join(map(str, value)) or "none"  # commas would split the name
    if name == "activation":
        return "", str(value)  # 'relu' says what it is
    if isinstance(value, bool):
        return name, "on" if value else "off"
    if isinstance(value, float):
        return SHORT.get(name, name), f"{value:g}"
    return SHORT.get(name, name), str(value).replace("_", "-")


def describe(run: Run, names: Sequence[str]) -> str:
    """The run's values of the settings `names`; a value changed mid-run reads 'batch 100→600'."""
    parts = []
    for name in names:
        values = [getattr(settings, name) for settings in run]
        changes = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
        label = words(name, changes[0])[0]
        shown = "→".join(words(name, v)[1] for v in changes)
        parts.append(f"{label} {shown}".strip())
    return ", ".join(parts)


def differing(runs: Sequence[Run]) -> list[str]:
    """The settings that are not the same in all of `runs` (nor all along each): batch size and
    learning rate first, then in the order of Settings."""
    everything = [settings for run in runs for settings in run]
    if not everything:
        return []
    differ = {name for settings in everything[1:] for name in everything[0].differences(settings)}
    order = [*FIRST, *(f.name for f in fields(Settings) if f.name not in FIRST)]
    return [name for name in order if name in differ]


def names_of_runs(current: Run, earlier: Sequence[Run]) -> tuple[str, list[str]]:
    """Legend names: each earlier run by the settings in which it differs from the current
    one (SAME if none: new random weights only), the current run by its values of all the
    settings that differ somewhere ('' when there is nothing to compare). Before the current
    run's settings are known, the earlier runs are named by what differs among them."""
    if not current:
        names = differing(earlier)
        return "", [describe(run, names) or SAME for run in earlier]
    earlier_names = [describe(run, differing([current, run])) or SAME for run in earlier]
    current_name = describe(current, differing([current, *earlier])) if earlier else ""
    return current_name, earlier_names
