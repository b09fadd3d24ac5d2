"""`digitpad lr-find`: a learning-rate range test on a copy of a new network, and a proposal."""

from digitpad.cli import main
from digitpad.core.lr_finder import nice_number
from tests.cli.conftest import QUICK, assert_one_error_line, json_lines

NETWORK = QUICK[:4]  # --preset accurate --hidden 32


def test_json_gives_every_rate_tried_and_the_proposal(mnist_dir, capsys):
    args = ["lr-find", *NETWORK, "--batch", "50", "--data", str(mnist_dir), "--json"]
    assert main(args) == 0
    *tried, proposal = json_lines(capsys.readouterr().out)
    rates = [t["lr"] for t in tried]
    assert rates == sorted(rates) and rates[0] == 1e-4
    assert proposal["steps"] == len(tried) < 100  # stopped once the cost blew up
    lowest = min(tried, key=lambda t: t["smoothed_cost"])
    assert proposal["lowest_cost_lr"] == lowest["lr"]
    assert proposal["proposed_lr"] == nice_number(lowest["lr"] / 10)


def test_text_shows_cost_against_rate_and_a_train_command_to_try(mnist_dir, capsys):
    args = ["lr-find", *NETWORK, "--momentum", "0.5", "--data", str(mnist_dir), "--seed", "3"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == ("learning-rate range test: 784-32-10 relu, softmax output, "
                        "cross_entropy cost")
    assert "momentum 0.5" in lines[1]
    assert lines[2].split() == ["rate", "averaged", "cost"]
    proposed = next(line for line in lines if line.startswith("proposed learning rate: "))
    rate = proposed.split()[3]
    assert lines[-1] == (f"try: digitpad train --preset accurate --hidden 32 --momentum 0.5 "
                         f"--data {mnist_dir} --seed 3 --lr {rate}")
    assert err == ""


def test_too_few_steps_is_one_error_line(mnist_dir, capsys):
    assert main(["lr-find", "--steps", "2", "--data", str(mnist_dir)]) == 1
    assert "at least 5 steps" in assert_one_error_line(capsys.readouterr().err)
