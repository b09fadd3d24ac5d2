"""A small MNIST on disk and a network trained on it, shared by the CLI tests."""

import json

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.idx import write_idx
from digitpad.core.mnist import load_mnist

TRAIN, TEST = 6000, 1000  # real digits: enough for ~90% in a second of training

# A small, quick network; every option spelled out so that a change of preset cannot slow it.
QUICK = ["--preset", "accurate", "--hidden", "32", "--epochs", "2", "--batch", "50",
         "--lr", "0.1", "--no-augment", "--synthetic", "0"]


@pytest.fixture(scope="session")
def mnist_dir(tmp_path_factory):
    """The first 6,000 training and 1,000 test digits of MNIST, as the four standard IDX files.

    Training files gzipped and test files plain, as `--data DIR` accepts both.
    """
    full = load_mnist()
    folder = tmp_path_factory.mktemp("mnist")
    write_idx(folder / "train-images-idx3-ubyte.gz", full.train_images[:TRAIN], gzip=True)
    write_idx(folder / "train-labels-idx1-ubyte.gz", full.train_labels[:TRAIN], gzip=True)
    write_idx(folder / "t10k-images-idx3-ubyte", full.test_images[:TEST])
    write_idx(folder / "t10k-labels-idx1-ubyte", full.test_labels[:TEST])
    return folder


@pytest.fixture(scope="session")
def trained_model(mnist_dir, tmp_path_factory):
    """Path of a 784-32-10 network trained by `digitpad train` on the small MNIST."""
    path = tmp_path_factory.mktemp("model") / "quick.npz"
    code = main(["train", *QUICK, "--data", str(mnist_dir), "--save", str(path), "--json"])
    assert code == 0 and path.is_file()
    return path


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def assert_one_error_line(stderr: str) -> str:
    """stderr holds exactly one `digitpad: error:` line (plus argparse's usage) and no traceback."""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("digitpad: error: ")]
    assert len(errors) == 1, stderr
    others = [line for line in stderr.splitlines()
              if line not in errors and not line.startswith(("usage:", " "))]
    assert others == [], stderr
    return errors[0]


def labelled_test_digits(mnist_dir, count_per_digit: int = 1) -> list[tuple[np.ndarray, int]]:
    """The first test images of every digit, as (28x28 uint8, label)."""
    data = load_mnist(mnist_dir)
    picked = []
    for digit in range(10):
        (where,) = np.nonzero(data.test_labels == digit)
        picked += [(data.test_images[i], digit) for i in where[:count_per_digit]]
    return picked
