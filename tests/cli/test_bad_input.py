"""Every mistake a user can make ends in one `digitpad: error:` line, never a traceback."""

import shutil

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.idx import write_idx
from digitpad.core.network import Network
from tests.cli.conftest import QUICK, assert_one_error_line

# Impossible settings: refused before any data is read (--data points nowhere to prove it).
SETTINGS = {
    "batch 0": (["--batch", "0"], "batch size must be at least 1"),
    "negative layer": (["--hidden", "16,-3"], "at least one neuron"),
    "empty layer in the list": (["--hidden", "16,,16"], "hidden layer sizes are whole numbers"),
    "layer of words": (["--hidden", "16,many"], "hidden layer sizes are whole numbers"),
    "too wide a layer": (["--hidden", "5000"], "at most 4096 neurons"),
    "too many layers": (["--hidden", "8,8,8,8,8,8,8"], "at most 6 hidden layers"),
    "zero learning rate": (["--lr", "0"], "learning rate must be greater than 0"),
    "negative learning rate": (["--lr", "-0.5"], "learning rate must be greater than 0"),
    "NaN learning rate": (["--lr", "nan"], "learning rate must be greater than 0"),
    "infinite learning rate": (["--lr", "inf"], "learning rate must be greater than 0"),
    "no epochs": (["--epochs", "0"], "epochs must be at least 1"),
    "negative L2": (["--l2", "-1"], "L2 regularization must be at least 0"),
    "NaN L2": (["--l2", "nan"], "L2 regularization must be at least 0"),
    "momentum 1": (["--momentum", "1"], "momentum must be at least 0 and below 1"),
    "negative seed": (["--seed", "-1"], "seed must be 0 or more"),
}


@pytest.mark.parametrize("options,message", SETTINGS.values(), ids=SETTINGS.keys())
def test_impossible_training_settings(options, message, tmp_path, capsys):
    code = main(["train", *options, "--data", str(tmp_path / "nowhere")])
    out, err = capsys.readouterr()
    assert code == 1
    assert message in assert_one_error_line(err)
    assert out == ""


USAGE = {
    "unknown activation": ["train", "--activation", "swish"],
    "unknown cost": ["train", "--cost", "hinge"],
    "unknown preset": ["train", "--preset", "huge"],
    "learning rate not a number": ["train", "--lr", "fast"],
    "batch not a whole number": ["train", "--batch", "1.5"],
    "unknown command": ["fly"],
    "unknown option": ["eval", "--model", "m.npz", "--colour"],
    "eval without model": ["eval"],
    "predict without images": ["predict", "--model", "m.npz"],
    "--model before a command": ["--model", "m.npz", "train"],
}


@pytest.mark.parametrize("argv", USAGE.values(), ids=USAGE.keys())
def test_malformed_command_lines_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: digitpad")
    assert_one_error_line(err)


def model_files(folder, good_model):
    """Broken model files, by what is wrong with them."""
    good = good_model.read_bytes()
    files = {
        "missing": folder / "missing.npz",
        "random bytes": folder / "random.npz",
        "truncated": folder / "truncated.npz",
        "pickle": folder / "pickle.npz",
        "wrong shapes": folder / "shapes.npz",
        "not finite": folder / "nan.npz",
        "a folder": folder,
        "not a digit model": folder / "xor.npz",
    }
    files["random bytes"].write_bytes(np.random.default_rng(0).bytes(3000))
    files["truncated"].write_bytes(good[: len(good) // 2])
    # An object array is stored pickled inside the .npz: loading it must refuse, not unpickle.
    np.savez(files["pickle"], W0=np.array([{"evil": True}], dtype=object))
    arrays = dict(np.load(good_model))
    np.savez(files["wrong shapes"], **{**arrays, "W0": arrays["W0"][:, :5]})
    nan = arrays["W1"].copy()
    nan[0, 0] = np.nan
    np.savez(files["not finite"], **{**arrays, "W1": nan})
    Network((2, 3, 1), "tanh").save(files["not a digit model"])
    return files


BROKEN_MODELS = ["missing", "random bytes", "truncated", "pickle", "wrong shapes",
                 "not finite", "a folder", "not a digit model"]


@pytest.mark.parametrize("broken", BROKEN_MODELS)
@pytest.mark.parametrize("command", ["eval", "predict"])
def test_broken_model_files(command, broken, trained_model, mnist_dir, tmp_path, capsys, qapp):
    path = model_files(tmp_path, trained_model)[broken]
    image = tmp_path / "digit.png"
    argv = ["eval", "--model", str(path), "--data", str(mnist_dir)] if command == "eval" else \
        ["predict", "--model", str(path), str(image)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 1
    assert str(path) in assert_one_error_line(err)
    assert out == ""


def broken_data(folder, good):
    """A copy of the good MNIST folder, then spoiled in one way per case."""
    cases = {}
    for case in ["missing file", "wrong magic", "truncated", "count mismatch", "label 10",
                 "absurd header", "not a folder"]:
        copy = folder / case.replace(" ", "_")
        shutil.copytree(good, copy)
        cases[case] = copy
    (cases["missing file"] / "t10k-labels-idx1-ubyte").unlink()
    (cases["wrong magic"] / "t10k-images-idx3-ubyte").write_bytes(b"\x12\x34" + b"\0" * 100)
    labels = cases["truncated"] / "t10k-images-idx3-ubyte"
    labels.write_bytes(labels.read_bytes()[:5000])
    write_idx(cases["count mismatch"] / "t10k-labels-idx1-ubyte", np.zeros(999, np.uint8))
    write_idx(cases["label 10"] / "t10k-labels-idx1-ubyte", np.full(1000, 10, np.uint8))
    # A header claiming 4 billion 28x28 images: must fail at once, not try to allocate.
    header = bytes([0, 0, 8, 3]) + (2**32 - 1).to_bytes(4, "big") + bytes([0, 0, 0, 28]) * 2
    (cases["absurd header"] / "t10k-images-idx3-ubyte").write_bytes(header + b"\0" * 100)
    cases["not a folder"] = cases["not a folder"] / "t10k-labels-idx1-ubyte"
    return cases


@pytest.mark.parametrize("case", ["missing file", "wrong magic", "truncated", "count mismatch",
                                  "label 10", "absurd header", "not a folder", "nowhere"])
@pytest.mark.parametrize("command", ["train", "eval"])
def test_bad_data_folders(command, case, mnist_dir, trained_model, tmp_path, capsys):
    folder = tmp_path / "nowhere" if case == "nowhere" else broken_data(tmp_path, mnist_dir)[case]
    argv = ["train", *QUICK] if command == "train" else ["eval", "--model", str(trained_model)]
    code = main([*argv, "--data", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    assert_one_error_line(err)
    assert out == ""


def test_unreadable_image(trained_model, tmp_path, capsys, qapp):
    code = main(["predict", "--model", str(trained_model), str(tmp_path / "nothing.png")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "nothing.png" in assert_one_error_line(err)
