"""`digitpad train` says what goes wrong as it happens, and a failed run replaces no model."""

import shutil

from digitpad.cli import main
from digitpad.core.network import Network
from tests.cli.conftest import QUICK, assert_one_error_line, json_lines

# Five sigmoid layers under sigmoid outputs and the quadratic cost: the gradient vanishes
# (epoch 1) and the network stays at chance (epoch 2, once it has taken 100 steps).
DEEP = ["--hidden", "16,16,16,16,16", "--lr", "0.05", "--momentum", "0", "--schedule",
        "constant", "--epochs", "3"]
# The example: the video's network at a rate of 100 saturates its sigmoids.
HUGE_RATE = ["--lr", "100", "--epochs", "2"]


def test_each_finding_is_one_warning_after_the_epoch_that_shows_it(mnist_dir, capsys):
    assert main(["train", *DEEP, "--data", str(mnist_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    epochs = [i for i, line in enumerate(lines) if line.startswith("epoch ")]
    warnings = [i for i, line in enumerate(lines) if line.startswith("warning: ")]
    assert [lines[i].split(":")[1].strip() for i in warnings] == [
        "Vanishing gradient in layer 1", "Stuck at chance"]
    assert epochs[0] < warnings[0] < epochs[1] < warnings[1] < epochs[2]
    assert lines[warnings[0]].endswith(
        "Try --activation relu --output softmax --cost cross_entropy --lr 0.1.")
    assert "The likely cause: vanishing gradient in layer 1." in lines[warnings[1]]


def test_json_gives_each_finding_once_as_a_diagnosis_object(mnist_dir, capsys):
    assert main(["train", *DEEP, "--data", str(mnist_dir), "--json"]) == 0
    objects = json_lines(capsys.readouterr().out)
    found = [o for o in objects if "diagnosis" in o]
    assert [(o["diagnosis"], o["layer"], o["epoch"]) for o in found] == [
        ("vanishing_gradient", 1, 1), ("stuck_at_chance", None, 2)]
    for o in found:
        assert o["suggested_settings"] == {"activation": "relu", "output": "softmax",
                                           "cost": "cross_entropy", "lr": 0.1}
        assert o["message"] and o["evidence"] and len(o["steps"]) == 2
    # each comes right after the line of its epoch
    assert objects[objects.index(found[0]) - 1]["epoch"] == 1
    assert objects[objects.index(found[1]) - 1]["epoch"] == 2
    assert "test_accuracy" in objects[-1] and "diagnosis" not in objects[-1]


def test_a_healthy_run_gives_no_warning(mnist_dir, capsys):
    assert main(["train", *QUICK, "--data", str(mnist_dir)]) == 0
    assert "warning" not in capsys.readouterr().out


def test_a_failed_run_does_not_replace_a_saved_model(mnist_dir, trained_model, tmp_path, capsys):
    good = tmp_path / "good.npz"
    shutil.copy(trained_model, good)
    before = good.read_bytes()
    assert main(["train", *HUGE_RATE, "--data", str(mnist_dir), "--save", str(good)]) == 1
    out, err = capsys.readouterr()
    assert "warning: Stuck at chance" in out
    error = assert_one_error_line(err)
    assert error.startswith(f"digitpad: error: {good} was not replaced: this run failed (it is "
                            "stuck at chance, ")
    assert error.endswith("try --lr 2, or add --force to replace it anyway")
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.npz"]  # no temporary left

    # what it says to try works, and then the new model may replace the old one
    args = ["train", "--lr", "2", "--epochs", "10", "--data", str(mnist_dir), "--save", str(good),
            "--json"]
    assert main(args) == 0
    lines = json_lines(capsys.readouterr().out)
    assert lines[-1]["test_accuracy"] > 0.8 and not any("diagnosis" in line for line in lines)
    assert good.read_bytes() != before


def test_force_replaces_it_anyway(mnist_dir, trained_model, tmp_path, capsys):
    good = tmp_path / "good.npz"
    shutil.copy(trained_model, good)
    args = ["train", *HUGE_RATE, "--data", str(mnist_dir), "--save", str(good), "--force"]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"saved to {good}"
    assert Network.load(good).sizes == (784, 16, 16, 10)  # the new network, not the old 784-32-10


def test_a_failed_run_may_still_be_saved_where_there_is_nothing_to_replace(mnist_dir, tmp_path,
                                                                          capsys):
    path = tmp_path / "new.npz"
    assert main(["train", *HUGE_RATE, "--data", str(mnist_dir), "--save", str(path)]) == 0
    assert "warning: Stuck at chance" in capsys.readouterr().out and path.is_file()
