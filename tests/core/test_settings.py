"""One settings type: its checks, the hidden layers people type, the presets."""

import math
import subprocess
import sys
from dataclasses import replace

import pytest

from digitpad.core import activations, costs
from digitpad.core.errors import SettingsError
from digitpad.core.presets import PRESETS, SUMMARIES
from digitpad.core.settings import (
    ABOUT,
    ACTIVATIONS,
    COSTS,
    OUTPUTS,
    STEP_SETTINGS,
    Settings,
    format_hidden,
    parse_hidden,
)


def test_video_preset_is_the_network_of_the_video():
    video = PRESETS["video"]
    assert video.sizes == (784, 16, 16, 10)
    assert (video.activation, video.output, video.cost) == ("sigmoid", "sigmoid", "quadratic")
    assert video.batch == 100


def test_accurate_preset_learns_from_distorted_digits():
    accurate = PRESETS["accurate"]
    assert accurate.augment
    assert accurate.output == "softmax" and accurate.cost == "cross_entropy"


def test_every_preset_has_a_summary():
    assert SUMMARIES.keys() == PRESETS.keys()
    assert all(isinstance(p, Settings) for p in PRESETS.values())


@pytest.mark.parametrize("change,message", [
    ({"hidden": (16, 0)}, "every hidden layer needs at least one neuron, not 16,0"),
    ({"hidden": (5000,)}, "a hidden layer has at most 4096 neurons"),
    ({"hidden": (8,) * 7}, "at most 6 hidden layers"),
    ({"activation": "swish"}, "unknown activation 'swish'; choose one of sigmoid, relu, tanh"),
    ({"output": "linear"}, "unknown output"),
    ({"cost": "hinge"}, "unknown cost"),
    ({"schedule": "step"}, "unknown schedule"),
    ({"lr": 0.0}, "the learning rate must be greater than 0 and at most 1e+06, not 0.0"),
    ({"lr": math.inf}, "learning rate"),
    ({"lr": math.nan}, "learning rate"),
    ({"lr": 2e6}, "learning rate"),
    ({"batch": 0}, "the batch size must be at least 1 and at most 60000, not 0"),
    ({"batch": 12.5}, "the batch size must be a whole number, not 12.5"),
    ({"epochs": 0}, "epochs"),
    ({"l2": -0.1}, "L2"),
    ({"l2": math.nan}, "L2"),
    ({"momentum": 1.0}, "the momentum must be at least 0 and below 1, not 1.0"),
    ({"momentum": -0.1}, "momentum"),
])
def test_impossible_settings_are_refused_naming_the_setting(change, message):
    with pytest.raises(SettingsError) as refused:
        replace(PRESETS["video"], **change)
    assert message in str(refused.value)


def test_the_edges_of_each_range_are_allowed():
    edges = Settings(lr=1e6, batch=60_000, l2=100.0, momentum=0.999, hidden=(4096,) * 6)
    assert edges.sizes == (784, *(4096,) * 6, 10)
    assert Settings(lr=1e-9, batch=1, l2=0.0, momentum=0.0, hidden=()).sizes == (784, 10)


def test_no_hidden_layer_is_a_valid_network():
    assert replace(PRESETS["video"], hidden=()).sizes == (784, 10)


def test_a_list_of_sizes_is_kept_as_a_tuple():
    settings = Settings(hidden=[32, 16])
    assert settings.hidden == (32, 16)
    same = Settings(hidden=(32, 16))
    assert settings == same and hash(settings) == hash(same)


@pytest.mark.parametrize("text,sizes", [
    ("16, 16", (16, 16)), ("16,16", (16, 16)), (" 100 ", (100,)), ("32 16", (32, 16)),
    ("", ()), ("none", ()), ("None ", ()),
])
def test_hidden_layers_as_people_type_them(text, sizes):
    assert parse_hidden(text) == sizes
    assert parse_hidden(format_hidden(sizes)) == sizes


@pytest.mark.parametrize("text,message", [
    ("16,,16", "whole numbers separated by commas"),
    ("16,many", "whole numbers separated by commas"),
    ("1.5", "whole numbers separated by commas"),
    ("16, -3", "at least one neuron"),
    ("0", "at least one neuron"),
    ("5000", "at most 4096 neurons"),
    ("1,1,1,1,1,1,1", "at most 6 hidden layers"),
])
def test_hidden_layers_that_cannot_work(text, message):
    with pytest.raises(SettingsError, match=message):
        parse_hidden(text)


def test_step_settings_come_from_the_other_settings_and_the_rest_stays():
    run = PRESETS["accurate"]
    panel = replace(PRESETS["video"], lr=0.01, batch=7, augment=False, train_on="both",
                    mine_repeats=3)
    mixed = run.with_step_settings_of(panel)
    assert (mixed.lr, mixed.batch, mixed.augment) == (0.01, 7, False)
    assert (mixed.train_on, mixed.mine_repeats) == ("both", 3)
    assert mixed.differences(run) == list(STEP_SETTINGS)


def test_a_new_network_has_the_settings_shape():
    network = replace(PRESETS["video"], hidden=(20,), activation="tanh").new_network(seed=3)
    assert network.sizes == (784, 20, 10) and network.activation == "tanh"
    assert network.output == "sigmoid" and network.cost_name == "quadratic"
    assert Settings().with_network_of(network) == replace(
        Settings(), hidden=(20,), activation="tanh", output="sigmoid", cost="quadratic")


def test_the_names_of_the_choices_are_the_cores():
    assert ACTIVATIONS == tuple(activations.ACTIVATIONS)
    assert set(OUTPUTS) == set(costs.OUTPUTS)
    assert set(COSTS) == set(costs.COSTS)


def test_every_setting_says_what_it_is():
    assert list(ABOUT) == [
        "hidden", "activation", "output", "cost", "lr", "batch", "l2", "momentum", "augment",
        "synthetic", "train_on", "mine_repeats", "schedule", "epochs"]
    assert all(about.label and about.help for about in ABOUT.values())


def test_reading_settings_does_not_load_numpy():
    probe = ("import sys\nimport digitpad.core.presets, digitpad.core.settings\n"
             "print('numpy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "False", result.stderr
