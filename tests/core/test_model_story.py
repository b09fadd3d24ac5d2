"""Model files that carry their story (format 2), and the older ones (format 1) still opening."""

import json
import pathlib
from dataclasses import replace
from datetime import datetime, timezone

import numpy as np
import pytest

from digitpad.core import Network
from digitpad.core.digit_model import load_digit_model, read_digit_model, save_digit_model
from digitpad.core.model_story import NEW_NETWORK, UNKNOWN, ModelStory, learning_words
from digitpad.core.presets import PRESETS
from digitpad.core.settings import Settings
from tests.core.test_hostile_model_files import refused as refused_by
from tests.hostile_files import model_members, stored_array, write_zip

OLD_MODELS = pathlib.Path(__file__).parent / "old_models"
ACCURATE = PRESETS["accurate"]


def small_accurate_network() -> Network:
    """A network of the accurate preset's kind, small enough for a test."""
    return replace(ACCURATE, hidden=(32,)).new_network(seed=4)


def story_of(network: Network, **changes) -> ModelStory:
    settings = replace(ACCURATE, hidden=(32,))
    fields = dict(settings=settings, epochs=15, steps=4500, test_accuracy=0.9912,
                  my_digits_accuracy=0.96)
    return ModelStory(**{**fields, **changes})


def with_story(tmp_path, text: str, network: Network | None = None) -> pathlib.Path:
    """A model file whose story member holds exactly `text`."""
    network = network or small_accurate_network()
    path = tmp_path / "model.npz"
    network.save(path, extra={"story": np.array(text)})
    return path


def refused(path) -> str:
    return refused_by(read_digit_model, path)


# ---- format 2 ---------------------------------------------------------------------------------


def test_the_story_and_the_weights_come_back_exactly(tmp_path):
    network = small_accurate_network()
    path = tmp_path / "accurate.npz"
    before = datetime.now(timezone.utc).replace(microsecond=0)  # the file keeps whole seconds
    written = save_digit_model(path, network, story_of(network))
    after = datetime.now(timezone.utc)

    model = read_digit_model(path)

    assert model.story == written
    assert model.story.settings == replace(ACCURATE, hidden=(32,))
    assert model.story.settings.lr == 0.2
    assert (model.story.epochs, model.story.steps) == (15, 4500)
    assert (model.story.test_accuracy, model.story.my_digits_accuracy) == (0.9912, 0.96)
    assert before <= model.story.saved_at <= after  # dated when it was written
    for a, b in zip(model.network.weights + model.network.biases,
                    network.weights + network.biases):
        np.testing.assert_array_equal(a, b)


def test_the_story_is_plain_json_in_the_archive(tmp_path):
    network = small_accurate_network()
    save_digit_model(tmp_path / "m.npz", network, story_of(network, my_digits_accuracy=None))
    with np.load(tmp_path / "m.npz", allow_pickle=False) as npz:
        assert int(npz["format_version"]) == 2
        data = json.loads(str(npz["story"]))
    assert data["settings"]["lr"] == 0.2 and data["settings"]["augment"] is True
    assert "hidden" not in data["settings"]  # the shape is the network's own
    assert data["epochs"] == 15 and data["my_digits_accuracy"] is None


def test_a_network_saved_without_a_story_has_none(tmp_path):
    Network((784, 10)).save(tmp_path / "m.npz")
    assert read_digit_model(tmp_path / "m.npz").story == UNKNOWN


def test_the_stored_settings_take_the_networks_shape(tmp_path):
    """The shape comes from the weights, whatever the story says of it."""
    network = Network((784, 20, 10), activation="tanh", output="sigmoid", cost="quadratic")
    text = json.dumps({"settings": {"lr": 0.05, "hidden": [512, 512], "activation": "relu"}})
    settings = read_digit_model(with_story(tmp_path, text, network)).story.settings
    assert settings == Settings(hidden=(20,), activation="tanh", output="sigmoid",
                                cost="quadratic", lr=0.05)


def test_a_newer_storys_unknown_keys_are_ignored(tmp_path):
    text = json.dumps({"settings": {"lr": 0.1, "warmup": 3}, "epochs": 2, "mood": "fine"})
    story = read_digit_model(with_story(tmp_path, text)).story
    assert story.settings.lr == 0.1 and story.epochs == 2


def test_a_file_from_a_newer_format_is_refused_with_the_reason(tmp_path):
    members = model_members(save_plain(tmp_path))
    members["format_version.npy"] = stored_array(np.array(3))
    write_zip(tmp_path / "new.npz", members)
    assert "newer" in refused(tmp_path / "new.npz")


def save_plain(tmp_path) -> pathlib.Path:
    Network((784, 10)).save(tmp_path / "plain.npz")
    return tmp_path / "plain.npz"


@pytest.mark.parametrize("text", [
    "not json",
    "[" * 100_000 + "]" * 100_000,  # nested deeper than the parser's recursion
    "[1, 2]",
    '"a string"',
    json.dumps({"settings": [0.5]}),
    json.dumps({"settings": {"lr": -1}}),
    json.dumps({"settings": {"lr": "3"}}),
    json.dumps({"settings": {"lr": True}}),
    json.dumps({"settings": {"batch": 2.5}}),
    json.dumps({"settings": {"augment": 1}}),
    json.dumps({"settings": {"schedule": "sometimes"}}),
    '{"settings": {"lr": NaN}}',
    json.dumps({"epochs": -1}),
    json.dumps({"epochs": 2.5}),
    json.dumps({"steps": True}),
    json.dumps({"test_accuracy": 1.5}),
    '{"test_accuracy": NaN}',
    json.dumps({"my_digits_accuracy": "96%"}),
    json.dumps({"saved_at": "yesterday"}),
    json.dumps({"saved_at": 20261207}),
], ids=lambda t: t[:40])
def test_a_damaged_story_is_refused_with_a_reason(tmp_path, text):
    assert "story" in refused(with_story(tmp_path, text))


def test_a_story_that_is_not_text_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    small_accurate_network().save(path, extra={"story": np.arange(3)})
    refused(path)


def test_a_huge_story_is_refused_before_it_is_read(tmp_path):
    members = model_members(save_plain(tmp_path))
    members["story.npy"] = stored_array(np.array("x" * 200_000))
    write_zip(tmp_path / "m.npz", members)
    assert "larger than" in refused(tmp_path / "m.npz")


# ---- format 1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["format1-784-16-16-10-sigmoid-float32.npz",
                                  "format1-784-10-relu-float64.npz"])
def test_format_1_files_made_by_the_old_code_still_load(name):
    path = OLD_MODELS / name
    with np.load(path, allow_pickle=False) as npz:
        assert int(npz["format_version"]) == 1 and "story" not in npz.files
        stored = {k: npz[k] for k in npz.files}

    model = read_digit_model(path)

    assert model.story == UNKNOWN
    assert model.network.sizes == tuple(stored["sizes"])
    assert model.network.activation == str(stored["activation"])
    for l, (W, b) in enumerate(zip(model.network.weights, model.network.biases)):
        assert W.dtype == stored[f"W{l}"].dtype
        np.testing.assert_array_equal(W, stored[f"W{l}"])
        np.testing.assert_array_equal(b, stored[f"b{l}"])
    assert load_digit_model(path).sizes == model.network.sizes


def test_a_format_1_file_saved_again_keeps_its_weights_and_gains_a_story(tmp_path):
    model = read_digit_model(OLD_MODELS / "format1-784-16-16-10-sigmoid-float32.npz")
    settings = Settings().with_network_of(model.network)
    story = model.story.continued(settings, epochs=0, steps=0)
    save_digit_model(tmp_path / "again.npz", model.network, story)
    again = read_digit_model(tmp_path / "again.npz")
    assert again.story.settings == settings and again.story.epochs is None
    for a, b in zip(again.network.weights, model.network.weights):
        np.testing.assert_array_equal(a, b)


# ---- the story going on -----------------------------------------------------------------------


def test_a_continued_story_adds_epochs_and_keeps_only_current_scores():
    settings = Settings(lr=0.1)
    before = story_of(small_accurate_network())
    untouched = before.continued(settings, epochs=0, steps=0)
    assert untouched.test_accuracy == before.test_accuracy and untouched.settings == settings
    stepped = before.continued(settings, epochs=0, steps=3)
    assert (stepped.epochs, stepped.steps, stepped.test_accuracy) == (15, 4503, None)
    trained = before.continued(settings, epochs=2, steps=600, test_accuracy=0.5)
    assert (trained.epochs, trained.steps, trained.test_accuracy) == (17, 5100, 0.5)
    assert NEW_NETWORK.continued(settings, 1, 10).epochs == 1
    assert UNKNOWN.continued(settings, 1, 10).epochs is None


def test_the_story_in_words():
    words = dict(story_of(small_accurate_network()).described())
    assert words["learning settings"] == learning_words(replace(ACCURATE, hidden=(32,)))
    assert "learning rate 0.2 (cosine over 15 epochs)" in words["learning settings"]
    assert words["trained"] == "15 epochs (4,500 steps)"
    assert words["test accuracy"] == "99.12%"
    assert dict(UNKNOWN.described())["learning settings"] == "not known"
