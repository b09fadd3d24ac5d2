"""`digitpad gradcheck`: backprop against central differences, one line per layer."""

import re

import pytest

from digitpad.cli import main
from digitpad.core import network as network_module
from tests.cli.conftest import assert_one_error_line

LAYER = re.compile(r"layer (\d) \((\d+) -> (\d+)\): worst relative error (\S+)  \((.+)\)")


def layer_lines(out: str) -> list[re.Match]:
    return [m for m in map(LAYER.fullmatch, out.splitlines()) if m]


def test_video_network_passes_with_one_line_per_layer(capsys):
    assert main(["gradcheck"]) == 0
    out = capsys.readouterr().out
    layers = layer_lines(out)
    assert [(m[1], m[2], m[3]) for m in layers] == [("1", "784", "16"), ("2", "16", "16"),
                                                    ("3", "16", "10")]
    assert all(float(m[4]) < 1e-4 for m in layers)
    # The big first layer is sampled, and says so; the last one is checked in full.
    assert layers[0][5] == "200 of 12560 parameters, sampled"
    assert layers[2][5] == "all 170 parameters"
    assert out.splitlines()[-1].startswith("ok: ")


@pytest.mark.parametrize("settings", [
    ["--activation", "relu", "--output", "softmax", "--cost", "cross_entropy", "--l2", "0.5"],
    ["--activation", "tanh", "--output", "sigmoid", "--cost", "cross_entropy"],
    ["--hidden", "none", "--output", "softmax", "--cost", "quadratic", "--l2", "2"],
])
def test_other_networks_pass(settings, capsys):
    assert main(["gradcheck", "--hidden", "12,8", *settings, "--params", "50"]) == 0
    assert len(layer_lines(capsys.readouterr().out)) >= 1


def test_a_wrong_backprop_is_caught(monkeypatch, capsys):
    """Break σ′ the way a typo would: the check must fail, exit 1, and say where."""
    sigmoid = network_module.ACTIVATIONS["sigmoid"]
    wrong = sigmoid._replace(derivative=lambda a: a * (1.0 - a) * 1.1)
    monkeypatch.setitem(network_module.ACTIVATIONS, "sigmoid", wrong)
    assert main(["gradcheck", "--hidden", "6", "--params", "50"]) == 1
    out, err = capsys.readouterr()
    line = assert_one_error_line(err)
    assert "backprop disagrees with the numerical gradient in layer 1" in line
    assert len(layer_lines(out)) == 2
