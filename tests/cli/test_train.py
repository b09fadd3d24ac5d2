"""`digitpad train` end to end on a small MNIST: output formats, saving, divergence, Ctrl+C."""

import io

import numpy as np

from digitpad.cli import main
from digitpad.core.network import Network
from tests.cli.conftest import QUICK, assert_one_error_line, json_lines


def test_json_prints_one_object_per_epoch_and_a_final_result(mnist_dir, capsys):
    code = main(["train", *QUICK, "--epochs", "3", "--data", str(mnist_dir), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""  # no progress bar when stderr is not a terminal
    *epochs, final = json_lines(out)
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    for e in epochs:
        assert {"epoch", "cost", "test_accuracy", "seconds"} <= e.keys()
        assert 0 <= e["test_accuracy"] <= 1 and e["seconds"] >= 0
    assert epochs[-1]["cost"] < epochs[0]["cost"]  # it learned
    assert final["test_accuracy"] == epochs[-1]["test_accuracy"]
    assert final["test_accuracy"] > 0.85  # a real network on real digits, not a coin toss


def test_plain_output_has_a_line_per_epoch_and_the_final_accuracy(mnist_dir, capsys):
    assert main(["train", *QUICK, "--data", str(mnist_dir)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "training 784-32-10 relu, softmax output, cross_entropy cost"
    assert [line.split()[:2] for line in lines[2:4]] == [["epoch", "1/2"], ["epoch", "2/2"]]
    assert "test accuracy" in lines[2] and lines[-1].startswith("test accuracy ")
    assert err == ""


def test_options_override_the_preset(mnist_dir, capsys):
    args = ["train", "--preset", "video", "--hidden", "20,12", "--activation", "tanh",
            "--epochs", "1", "--data", str(mnist_dir)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("training 784-20-12-10 tanh, sigmoid output, quadratic cost\n")
    assert "batch 100" in out and "1 epochs" in out


def test_no_hidden_layer_is_allowed(mnist_dir, capsys):
    args = ["train", *QUICK, "--hidden", "none", "--epochs", "1", "--data", str(mnist_dir)]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("training 784-10 ")


def test_progress_bar_on_a_terminal(mnist_dir, capsys, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["train", *QUICK, "--data", str(mnist_dir)]) == 0
    drawn = terminal.getvalue()
    # 6,000 examples in batches of 50: 120 batches an epoch
    for part in ("epoch 1/2", "epoch 2/2", "batch 120/120", "cost ", "ex/s", "ETA "):
        assert part in drawn
    assert drawn.endswith("\r\033[K")  # the bar is cleared, the terminal left clean
    assert "epoch 2/2" in capsys.readouterr().out


def test_saved_model_is_the_trained_network(mnist_dir, tmp_path, capsys):
    path = tmp_path / "m.npz"
    assert main(["train", *QUICK, "--data", str(mnist_dir), "--save", str(path), "--json"]) == 0
    final = json_lines(capsys.readouterr().out)[-1]
    assert final["model"] == str(path)
    net = Network.load(path)
    assert net.sizes == (784, 32, 10) and net.activation == "relu"
    assert main(["eval", "--model", str(path), "--data", str(mnist_dir), "--json"]) == 0
    assert json_lines(capsys.readouterr().out)[0]["test_accuracy"] == final["test_accuracy"]


def test_same_seed_same_network(mnist_dir, tmp_path, capsys):
    paths = [tmp_path / "a.npz", tmp_path / "b.npz", tmp_path / "c.npz"]
    for path, seed in zip(paths, ["1", "1", "2"]):
        args = ["train", *QUICK, "--epochs", "1", "--augment", "--seed", seed]
        assert main([*args, "--data", str(mnist_dir), "--save", str(path)]) == 0
    a, b, c = (Network.load(p).weights[0] for p in paths)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_unwritable_save_path_fails_before_training(mnist_dir, tmp_path, capsys):
    for target in (tmp_path / "no such folder" / "m.npz", tmp_path):
        code = main(["train", *QUICK, "--data", str(mnist_dir), "--save", str(target)])
        out, err = capsys.readouterr()
        assert code == 1
        assert "cannot save to" in assert_one_error_line(err)
        assert out == ""  # not one epoch was trained


def test_save_name_too_long_for_the_temporary_file_fails_before_training(mnist_dir, tmp_path,
                                                                          capsys):
    # 240 characters: a legal name (the limit is 255), but the atomic save's temporary file
    # beside it, ".<name>.<12 hex digits>.tmp", is not.
    path = tmp_path / ("m" * 236 + ".npz")
    code = main(["train", *QUICK, "--data", str(mnist_dir), "--save", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    line = assert_one_error_line(err)
    assert line.startswith(f"digitpad: error: cannot save to {path}: the file name is too long")
    assert out == ""  # not one epoch was trained
    assert list(tmp_path.iterdir()) == []


def test_divergence_stops_and_keeps_the_saved_model(mnist_dir, trained_model, tmp_path, capsys):
    path = tmp_path / "model.npz"
    path.write_bytes(trained_model.read_bytes())
    args = ["train", *QUICK, "--lr", "1e6", "--data", str(mnist_dir), "--save", str(path)]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 1
    line = assert_one_error_line(err)
    assert line.startswith("digitpad: error: training diverged")
    assert line.endswith("try a smaller learning rate")
    assert path.read_bytes() == trained_model.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temporary left


def test_ctrl_c_stops_cleanly_without_saving(mnist_dir, tmp_path, capsys, monkeypatch):
    steps = 0
    real_step = Network.train_step

    def step_then_ctrl_c(self, *args, **kwargs):
        nonlocal steps
        steps += 1
        if steps == 150:  # in the second epoch: 120 batches of 50 make one
            raise KeyboardInterrupt
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(Network, "train_step", step_then_ctrl_c)
    path = tmp_path / "m.npz"
    code = main(["train", *QUICK, "--data", str(mnist_dir), "--save", str(path)])
    out, err = capsys.readouterr()
    assert code == 130
    assert "epoch 1/2" in out and "epoch 2/2" not in out
    assert err == f"digitpad: training interrupted after 1 of 2 epochs; {path} was not written\n"
    assert not path.exists()


def test_synthetic_share_adds_digits_in_many_hands_to_every_epoch(mnist_dir, capsys):
    args = ["train", *QUICK, "--epochs", "1", "--synthetic", "0.25", "--data", str(mnist_dir)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "25% of every epoch synthesized" in out.splitlines()[2]
    assert main([*args[:-4], "--synthetic", "0.9", "--data", str(mnist_dir)]) == 1
    error = assert_one_error_line(capsys.readouterr().err)
    assert "synthesized digits must be at least 0 and at most 0.5, not 0.9" in error
