"""`digitpad predict`: picture files in, digits out, through the MNIST-style preprocessing."""

import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from digitpad.cli import format_percent, main
from digitpad.core.mnist import as_inputs
from digitpad.core.network import Network
from digitpad.image_io import ink_from_grey, read_ink
from tests.cli.conftest import assert_one_error_line, labelled_test_digits

ANSWER = re.compile(r"(?P<path>.+): (?P<digit>\d) \((?P<percent>>?\d+\.\d)%\)")


def save_grey(pixels: np.ndarray, path, scale: int = 1) -> None:
    """Save a uint8 array as a grey picture (format from the file name), enlarged `scale` times."""
    height, width = pixels.shape
    image = QImage(np.ascontiguousarray(pixels).tobytes(), width, height, width,
                   QImage.Format.Format_Grayscale8).copy()
    if scale != 1:
        image = image.scaled(width * scale, height * scale,
                             mode=Qt.TransformationMode.SmoothTransformation)
    assert image.save(str(path))


def drawing(path, draw, background: str = "white") -> None:
    """A 200x200 picture in black ink, drawn with a round 18-pixel pen as with a mouse."""
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("black"), 18, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    draw(painter)
    painter.end()
    assert image.save(str(path))


def predictions(capsys) -> dict[str, tuple[int, float]]:
    answers = {}
    for line in capsys.readouterr().out.splitlines():
        match = ANSWER.fullmatch(line)
        assert match, line
        answers[match["path"]] = (int(match["digit"]), float(match["percent"].lstrip(">")))
    return answers


@pytest.fixture
def confident_digits(mnist_dir, trained_model):
    """For every digit, a test image the model reads right with over 95% as it is stored."""
    net = Network.load(trained_model)
    picked = []
    for image, label in labelled_test_digits(mnist_dir, count_per_digit=30):
        if any(lab == label for _, lab in picked):
            continue
        p = net.forward(as_inputs(image[None]))[0]
        if p.argmax() == label and p[label] > 0.95:
            picked.append((image, label))
    assert [label for _, label in picked] == list(range(10))
    return picked


def test_mnist_digits_as_pictures_are_read_right(confident_digits, trained_model, tmp_path,
                                                 capsys, qapp):
    files = {}
    for image, label in confident_digits:
        # Dark ink on white paper, four times larger, as a scan or a drawing program gives it.
        path = tmp_path / f"digit{label}.png"
        save_grey(255 - image, path, scale=4)
        files[str(path)] = label
    assert main(["predict", "--model", str(trained_model), *files]) == 0
    answers = predictions(capsys)
    assert {path: digit for path, (digit, _) in answers.items()} == files
    assert all(0 < percent <= 100 for _, percent in answers.values())


def test_light_on_dark_and_jpeg_give_the_same_answer(confident_digits, trained_model, tmp_path,
                                                     capsys, qapp):
    image, label = confident_digits[7]
    paths = [tmp_path / "as_mnist.png", tmp_path / "photo.jpg", tmp_path / "inverted.png"]
    save_grey(image, paths[0])  # white ink on black, as MNIST stores it
    save_grey(255 - image, paths[1], scale=3)
    save_grey(255 - image, paths[2])
    assert main(["predict", "--model", str(trained_model), *map(str, paths)]) == 0
    digits = {digit for digit, _ in predictions(capsys).values()}
    assert digits == {label}


def test_drawn_one_and_zero(trained_model, tmp_path, capsys, qapp):
    one, zero = tmp_path / "one.png", tmp_path / "zero.png"
    drawing(one, lambda p: p.drawLine(QPointF(100, 30), QPointF(96, 170)))
    # Transparent paper, as drawing apps often save: it must count as paper, not as black.
    drawing(zero, lambda p: p.drawEllipse(QPointF(100, 100), 45, 65), "transparent")
    assert main(["predict", "--model", str(trained_model), str(one), str(zero)]) == 0
    answers = predictions(capsys)
    assert answers[str(one)][0] == 1
    assert answers[str(zero)][0] == 0


def test_an_empty_picture_is_reported_as_empty(trained_model, tmp_path, capsys, qapp):
    blank = tmp_path / "blank.png"
    drawing(blank, lambda p: None)
    assert main(["predict", "--model", str(trained_model), str(blank)]) == 0
    assert capsys.readouterr().out == f"{blank}: empty (no ink found)\n"


def test_unreadable_pictures_are_errors_and_the_others_still_answered(
        trained_model, tmp_path, capsys, qapp):
    good, bad = tmp_path / "one.png", tmp_path / "bad.png"
    drawing(good, lambda p: p.drawLine(QPointF(100, 30), QPointF(100, 170)))
    bad.write_bytes(b"\x89PNG but not really")
    code = main(["predict", "--model", str(trained_model), str(bad), str(good)])
    out, err = capsys.readouterr()
    assert code == 1
    assert str(bad) in assert_one_error_line(err)
    assert out.startswith(f"{good}: ")


def test_ink_from_grey_finds_the_paper_either_way():
    rng = np.random.default_rng(0)
    ink = (rng.random((30, 20)) > 0.7) * rng.uniform(0.5, 1.0, (30, 20))
    ink[0], ink[-1], ink[:, 0], ink[:, -1] = 0, 0, 0, 0  # paper all round
    np.testing.assert_allclose(ink_from_grey(ink), ink)  # light ink on black paper
    np.testing.assert_allclose(ink_from_grey(1.0 - ink), ink)  # dark ink on white paper
    # Grey paper is paper: 0.8-grey paper with black ink reads as ink on empty paper.
    photo = 0.8 * (1.0 - ink)
    assert ink_from_grey(photo)[0].max() == 0.0
    np.testing.assert_allclose(ink_from_grey(photo), ink, atol=1e-12)


def test_read_ink_of_a_drawing(tmp_path, qapp):
    path = tmp_path / "bar.png"
    drawing(path, lambda p: p.drawLine(QPointF(20, 100), QPointF(180, 100)))
    ink = read_ink(path)
    assert ink.shape == (200, 200)
    assert ink[100, 100] == 1.0 and ink[20, 100] == 0.0


def test_percentages_never_round_up_to_certainty():
    assert format_percent(0.981) == "98.1%"
    assert format_percent(0.9996) == ">99.9%"
    assert format_percent(1.0) == "100.0%"
