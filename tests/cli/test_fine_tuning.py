"""`digitpad train --with-mine [K]`, `train --model PATH` and `eval --model PATH --mine`: training
on my digits, going on from a saved network, and how well it reads the held-out drawings."""

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.digit_model import load_digit_model, read_digit_model
from digitpad.core.evaluation import evaluate
from digitpad.core.my_digits import DB_FILE, MyDigits
from digitpad.core.settings import Settings
from tests.cli.conftest import QUICK, assert_one_error_line, json_lines
from tests.my_hand import column_digits


@pytest.fixture
def kept(isolated_data_dir):
    """My digits holding 100 drawings of that hand: 80 to train on, 20 held out."""
    with MyDigits.open(isolated_data_dir) as store:
        store.add_samples(column_digits(100))
        return store.split()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_with_mine_trains_on_my_digits_and_measures_the_held_out_ones(
        capsys, mnist_dir, trained_model, kept, tmp_path):
    train, held_out = kept
    saved = tmp_path / "tuned.npz"
    before = evaluate(load_digit_model(trained_model), held_out.images, held_out.labels)
    code, out, err = run(capsys, "train", *QUICK, "--model", str(trained_model),
                         "--with-mine", "5", "--data", str(mnist_dir), "--save", str(saved),
                         "--json")
    assert code == 0 and err == ""
    *epochs, final = json_lines(out)
    assert [e["mine_count"] for e in epochs] == [20, 20] and final["mine_count"] == 20
    tuned = load_digit_model(saved)
    after = evaluate(tuned, held_out.images, held_out.labels)
    assert final["mine_accuracy"] == epochs[-1]["mine_accuracy"] == after.accuracy
    assert before.accuracy < 0.5 and after.accuracy >= 0.9  # it learned my hand
    assert final["test_accuracy"] > 0.8  # and still reads MNIST
    assert read_digit_model(saved).story.my_digits_accuracy == after.accuracy  # its story
    # Going on from it trains on my digits again only when asked to.
    code, out, _ = run(capsys, "train", "--model", str(saved), "--epochs", "1", "--data",
                       str(mnist_dir), "--json")
    assert code == 0 and "mine_count" not in json_lines(out)[0]


def test_model_goes_on_with_the_learning_settings_saved_with_it(capsys, mnist_dir,
                                                                 trained_model):
    code, out, _ = run(capsys, "train", "--model", str(trained_model), "--epochs", "1",
                       "--data", str(mnist_dir))
    assert code == 0
    # QUICK's settings (the accurate preset's with lr 0.1 and batch 50), not the video's 3.
    assert out.splitlines()[1].startswith("  learning rate 0.1 (cosine), batch 50, momentum 0.9")


def test_plain_output_says_what_it_trains_on_and_how_it_reads_column_digits(
        capsys, mnist_dir, kept):
    code, out, _ = run(capsys, "train", *QUICK, "--with-mine", "--data", str(mnist_dir))
    assert code == 0
    lines = out.splitlines()
    k = Settings().mine_repeats
    assert lines[2] == (f"  my digits: 80 drawings to train on, each {k} times per epoch; "
                        "20 held-out drawings to measure your handwriting")
    assert "your handwriting" in lines[3] and lines[3].startswith("epoch 1/2")
    assert lines[-1].startswith("your handwriting ") and lines[-1].endswith(
        "of 20 held-out drawings of my digits")


def test_model_goes_on_from_the_saved_network(capsys, mnist_dir, trained_model, tmp_path):
    saved = tmp_path / "went-on.npz"
    code, out, _ = run(capsys, "train", *QUICK, "--model", str(trained_model), "--lr", "1e-9",
                       "--epochs", "1", "--data", str(mnist_dir), "--save", str(saved))
    assert code == 0
    assert out.splitlines()[0].endswith(f"cost, from {trained_model}")
    original, went_on = load_digit_model(trained_model), load_digit_model(saved)
    for W0, W1 in zip(original.weights, went_on.weights):
        np.testing.assert_allclose(W1, W0, atol=1e-6)  # a tiny step from where it was


def test_the_model_keeps_its_shape(capsys, mnist_dir, trained_model):
    code, _, err = run(capsys, "train", "--model", str(trained_model), "--hidden", "64",
                       "--activation", "tanh", "--data", str(mnist_dir))
    assert code == 1
    assert assert_one_error_line(err) == (
        f"digitpad: error: {trained_model} holds a 784-32-10 relu, softmax output, "
        "cross_entropy cost network, and going on from it keeps that network: leave out "
        "--hidden --activation")


@pytest.mark.parametrize("make, words", [
    (lambda path: None, "does not exist"),
    (lambda path: path.write_bytes(b"not a model"), "not"),
])
def test_an_unusable_model_is_one_error_line(capsys, mnist_dir, tmp_path, make, words):
    path = tmp_path / "model.npz"
    make(path)
    for args in (["train", "--model", str(path), "--data", str(mnist_dir)],
                 ["eval", "--model", str(path), "--mine"]):
        code, out, err = run(capsys, *args)
        assert code == 1 and out == ""
        assert words in assert_one_error_line(err)


def test_with_mine_and_no_drawings_says_how_to_make_some(capsys, mnist_dir, isolated_data_dir):
    code, out, err = run(capsys, "train", *QUICK, "--with-mine", "--data", str(mnist_dir))
    assert code == 1 and out == ""
    line = assert_one_error_line(err)
    assert line.startswith("digitpad: error: there are no drawings in my digits yet")
    assert "press its key" in line
    assert not (isolated_data_dir / DB_FILE).exists()  # looking created nothing


def test_too_few_drawings_to_train_on(capsys, mnist_dir, isolated_data_dir):
    with MyDigits.open(isolated_data_dir) as store:
        store.add_samples(column_digits(8))  # none held out: 8 to train on
    code, out, err = run(capsys, "train", *QUICK, "--with-mine", "--data", str(mnist_dir))
    assert code == 1 and out == ""
    assert "my digits have 8 drawings to train on" in assert_one_error_line(err)


def test_an_impossible_number_of_repeats(capsys, mnist_dir, kept):
    code, _, err = run(capsys, "train", *QUICK, "--with-mine", "0", "--data", str(mnist_dir))
    assert code == 1
    assert assert_one_error_line(err) == (
        "digitpad: error: the repeats of my digits must be at least 1 and at most 1000, not 0")
    with pytest.raises(SystemExit) as usage:
        main(["train", "--with-mine", "two"])
    assert usage.value.code == 2 and "invalid int value: 'two'" in capsys.readouterr().err


def test_eval_mine_scores_the_held_out_part(capsys, trained_model, kept):
    _, held_out = kept
    expected = evaluate(load_digit_model(trained_model), held_out.images, held_out.labels)
    code, out, _ = run(capsys, "eval", "--model", str(trained_model), "--mine", "--json")
    assert code == 0
    (result,) = json_lines(out)
    assert result["mine_accuracy"] == expected.accuracy and result["examples"] == 20
    assert result["confusion"] == expected.confusion.tolist()
    code, out, _ = run(capsys, "eval", "--model", str(trained_model), "--mine")
    right = int(expected.confusion.trace())
    assert out.splitlines()[1] == (
        f"your handwriting: {expected.accuracy:.2%} of the held-out part of my digits right "
        f"({right} of 20), cost {expected.cost:.4f}")


def test_eval_mine_without_drawings_or_without_held_out_ones(
        capsys, trained_model, isolated_data_dir):
    code, out, err = run(capsys, "eval", "--model", str(trained_model), "--mine")
    assert code == 1 and out == ""
    assert "there are no drawings in my digits yet" in assert_one_error_line(err)
    with MyDigits.open(isolated_data_dir) as store:
        store.add_samples(column_digits(20))  # two of each digit: the third would be held out
    code, out, err = run(capsys, "eval", "--model", str(trained_model), "--mine")
    assert code == 1 and out == ""
    assert assert_one_error_line(err).startswith(
        "digitpad: error: none of my 20 drawings is held out yet")
