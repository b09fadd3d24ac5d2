"""The networks digitpad can use and show: 28×28 digits in, 10 answers out, and no larger than
the training panel builds.

The size limits are the panel's: the app draws one gradient curve (with a legend entry) per
layer and one tile per first-layer neuron, and trains on two cores. A file asking for more, even
a small one (10,000 layers of one neuron, or a 784-100000-10 network that compresses to 300 KB),
is refused before its weights are read, in the app and in the command line alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from digitpad.core import storage
from digitpad.core.errors import ModelFileError, SettingsError
from digitpad.core.model_story import MAX_STORY_BYTES, STORY_MEMBER, UNKNOWN, ModelStory
from digitpad.core.network import Network
from digitpad.core.paths import shown

# 28×28 pixels in, one output per digit; the size limits are the settings' own.
from digitpad.core.settings import INPUTS, MAX_HIDDEN_LAYERS, MAX_NEURONS
from digitpad.core.settings import OUTPUT_NEURONS as OUTPUTS


class DigitModel(NamedTuple):
    network: Network
    story: ModelStory  # UNKNOWN for a format-1 file


def load_digit_model(path: str | Path) -> Network:
    """The network saved at `path`; ModelFileError, naming the file and the reason, if it is
    not one digitpad can use."""
    return read_digit_model(path).network


def read_digit_model(path: str | Path) -> DigitModel:
    """The network saved at `path` and its story (core.model_story); ModelFileError, naming
    the file and the reason, if either is not one digitpad can use."""
    with storage.NpzReader(path) as arrays:
        network = Network.from_arrays(arrays, path, lambda sizes: check_digit_sizes(sizes, path))
        if STORY_MEMBER not in arrays:
            return DigitModel(network, UNKNOWN)
        if arrays.nbytes(STORY_MEMBER) > MAX_STORY_BYTES:
            raise ModelFileError(f"{shown(path)} is not a valid digitpad model: its story is "
                                 f"larger than {MAX_STORY_BYTES // 1024} KB")
        try:
            return DigitModel(network, ModelStory.from_array(arrays[STORY_MEMBER], network))
        except (ValueError, SettingsError) as e:
            raise ModelFileError(f"{shown(path)} is not a valid digitpad model: {e}") from None


def save_digit_model(path: str | Path, network: Network, story: ModelStory) -> ModelStory:
    """Write `network` and its story, dated now, to `path` (atomically); returns the story as
    written. ModelFileError if it cannot be written (the old file, if any, is then unchanged)."""
    story = story.saved_now()
    network.save(path, extra={STORY_MEMBER: story.as_array()})
    return story


def check_digit_sizes(sizes: tuple[int, ...], path: str | Path) -> None:
    """Raise ModelFileError unless a network of these layer sizes is one digitpad can use."""
    hidden = sizes[1:-1]
    if sizes[0] != INPUTS or sizes[-1] != OUTPUTS:
        raise ModelFileError(
            f"{shown(path)} holds a {_shape(sizes)} network, but digitpad needs {INPUTS} inputs "
            f"(28×28 pixels) and {OUTPUTS} outputs (digits 0-9)")
    if len(hidden) > MAX_HIDDEN_LAYERS or max(hidden, default=0) > MAX_NEURONS:
        raise ModelFileError(
            f"{shown(path)} holds a {_shape(sizes)} network, larger than digitpad can show "
            f"(at most {MAX_HIDDEN_LAYERS} hidden layers of {MAX_NEURONS} neurons)")


def _shape(sizes: tuple[int, ...]) -> str:
    if len(sizes) > 8:  # a hostile file may have thousands of layers: keep it one short line
        return f"{'-'.join(map(str, sizes[:3]))}-…-{sizes[-1]} ({len(sizes) - 2} hidden layers)"
    return "-".join(map(str, sizes))
