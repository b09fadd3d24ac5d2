"""The training recipes: the video's network as the video has it, and settings that cannot work."""

from dataclasses import replace

import pytest

from digitpad.core.errors import SettingsError
from digitpad.core.presets import PRESETS, check_preset


def test_video_preset_is_the_network_of_the_video():
    video = PRESETS["video"]
    assert video.sizes == (784, 16, 16, 10)
    assert (video.activation, video.output, video.cost) == ("sigmoid", "sigmoid", "quadratic")
    assert video.batch == 100


def test_accurate_preset_learns_from_distorted_digits():
    accurate = PRESETS["accurate"]
    assert accurate.augment
    assert accurate.output == "softmax" and accurate.cost == "cross_entropy"


@pytest.mark.parametrize("name", PRESETS)
def test_presets_are_valid_and_named_after_their_key(name):
    check_preset(PRESETS[name])
    assert PRESETS[name].name == name


@pytest.mark.parametrize("change,message", [
    ({"hidden": (16, 0)}, "at least one neuron"),
    ({"activation": "swish"}, "unknown activation"),
    ({"output": "linear"}, "unknown output"),
    ({"cost": "hinge"}, "unknown cost"),
    ({"schedule": "step"}, "unknown schedule"),
    ({"lr": 0.0}, "learning rate"),
    ({"lr": float("inf")}, "learning rate"),
    ({"lr": float("nan")}, "learning rate"),
    ({"batch": 0}, "batch size"),
    ({"epochs": 0}, "epochs"),
    ({"l2": -0.1}, "L2"),
    ({"momentum": 1.0}, "momentum"),
    ({"momentum": -0.1}, "momentum"),
])
def test_impossible_settings_are_refused(change, message):
    with pytest.raises(SettingsError, match=message):
        check_preset(replace(PRESETS["video"], **change))


def test_no_hidden_layer_is_a_valid_network():
    check_preset(replace(PRESETS["video"], hidden=()))
    assert replace(PRESETS["video"], hidden=()).sizes == (784, 10)
