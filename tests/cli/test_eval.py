"""`digitpad eval`: accuracy, cost and the confusion matrix of a saved network."""

from pathlib import Path

import numpy as np

from digitpad.cli import main
from digitpad.core.mnist import as_inputs, load_mnist
from digitpad.core.network import Network
from tests.cli.conftest import TEST, json_lines


def test_json_confusion_matrix_counts_every_test_digit(mnist_dir, trained_model, capsys):
    assert main(["eval", "--model", str(trained_model), "--data", str(mnist_dir), "--json"]) == 0
    (result,) = json_lines(capsys.readouterr().out)
    confusion = np.array(result["confusion"])
    assert confusion.shape == (10, 10)
    assert confusion.sum() == result["examples"] == TEST

    # Rows are the true digits, columns what the network answered.
    data = load_mnist(mnist_dir)
    net = Network.load(trained_model)
    assert confusion.sum(axis=1).tolist() == np.bincount(data.test_labels, minlength=10).tolist()
    predicted = net.predict(as_inputs(data.test_images))
    assert confusion.sum(axis=0).tolist() == np.bincount(predicted, minlength=10).tolist()
    assert result["test_accuracy"] == np.trace(confusion) / TEST
    assert result["test_cost"] > 0


def test_readable_report(mnist_dir, trained_model, capsys):
    assert main(["eval", "--model", str(trained_model), "--data", str(mnist_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{trained_model}: 784-32-10 relu, softmax output, cross_entropy cost"
    assert lines[1].startswith("test accuracy ") and f"of {TEST}), cost " in lines[1]
    table = lines[-10:]
    assert lines[-11].split() == [str(d) for d in range(10)]  # the column heading
    for digit, row in enumerate(table):
        cells = row.split()
        assert cells[0] == str(digit) and len(cells) == 11
    # The diagonal holds what was right: the largest count of every row for a decent network.
    for digit, row in enumerate(table):
        counts = [0 if c == "." else int(c) for c in row.split()[1:]]
        assert counts.index(max(counts)) == digit


def test_train_saves_the_story_and_eval_tells_it(mnist_dir, trained_model, capsys):
    """`train --save` writes the settings, epochs and score of the run; `eval` prints them."""
    assert main(["eval", "--model", str(trained_model), "--data", str(mnist_dir), "--json"]) == 0
    story = json_lines(capsys.readouterr().out)[0]["story"]
    settings = story["settings"]
    # QUICK: the accurate preset with --epochs 2 --batch 50 --lr 0.1 --no-augment --synthetic 0
    assert (settings["lr"], settings["batch"], settings["epochs"]) == (0.1, 50, 2)
    assert (settings["momentum"], settings["l2"], settings["augment"]) == (0.9, 0.05, False)
    assert story["epochs"] == 2 and story["steps"] == 2 * 6000 // 50
    assert 0.5 < story["test_accuracy"] <= 1 and story["my_digits_accuracy"] is None
    assert story["saved_at"].endswith("+00:00")

    assert main(["eval", "--model", str(trained_model), "--data", str(mnist_dir)]) == 0
    out = capsys.readouterr().out
    assert "learning settings  learning rate 0.1 (cosine over 2 epochs), batch 50, momentum " \
           "0.9, L2 0.05, augmentation off" in out
    assert "trained            2 epochs (240 steps)" in out
    assert f"test accuracy      {story['test_accuracy']:.2%}" in out


def test_eval_of_a_format_1_file_says_it_has_no_story(mnist_dir, capsys):
    old = Path(__file__).parents[1] / "core" / "old_models" / "format1-784-10-relu-float64.npz"
    assert main(["eval", "--model", str(old), "--data", str(mnist_dir), "--json"]) == 0
    assert json_lines(capsys.readouterr().out)[0]["story"] is None
    assert main(["eval", "--model", str(old), "--data", str(mnist_dir)]) == 0
    assert "its story: not in the file (format 1" in capsys.readouterr().out
