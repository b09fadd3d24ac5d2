"""`digitpad eval`: accuracy, cost and the confusion matrix of a saved network."""

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
