"""`digitpad samples`: count, export and import the drawings kept in the app ("my digits")."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.idx import read_idx, write_idx
from digitpad.core.my_digits import MyDigits
from digitpad.core.samples import IMAGES_FILE, LABELS_FILE, Samples
from tests.cli.conftest import assert_one_error_line, labelled_test_digits


@pytest.fixture
def store(isolated_data_dir):
    """Where the CLI (and the app) keep my digits in this test."""
    return isolated_data_dir / "digitpad.sqlite"


@pytest.fixture
def kept(store, mnist_dir):
    """My digits holding 13 real handwritten digits: one of each, plus three more 3s."""
    digits = labelled_test_digits(mnist_dir, 1) + [
        (image, 3) for image, label in labelled_test_digits(mnist_dir, 4) if label == 3][1:]
    samples = Samples(np.stack([image for image, _ in digits]),
                      np.array([label for _, label in digits], np.uint8))
    with MyDigits.open(store.parent) as my_digits:
        for image, label in zip(*samples):
            my_digits.add(image, label)
    return samples


def stored(folder) -> Samples:
    with MyDigits.open(folder) as my_digits:
        return my_digits.samples()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["samples", *args])
    out, err = capsys.readouterr()
    return code, out, err


# ---- counting ------------------------------------------------------------------------------


def test_no_drawings_yet(capsys, store):
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"my digits: no drawings yet ({store})"
    assert "press its key" in out
    code, out, _ = run(capsys, "--json")
    assert json.loads(out) == {"count": 0, "per_digit": [0] * 10}
    assert not store.exists()  # looking does not create anything


def test_counts_per_digit(capsys, store, kept):
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"my digits: 13 drawings in {store}"
    assert lines[1].split() == ["digit", *map(str, range(10))]
    assert lines[2].split() == ["drawings", "1", "1", "1", "4", "1", "1", "1", "1", "1", "1"]
    # The third of every five of each digit is held out for measuring.
    assert lines[3].split() == ["held", "out", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0"]
    # Each count sits under its digit.
    assert lines[1].index(" 3") == lines[2].index(" 4") == lines[3].index(" 1")


def test_json(capsys, kept):
    code, out, _ = run(capsys, "--json")
    assert code == 0
    assert out.count("\n") == 1
    assert json.loads(out) == {"count": 13, "per_digit": [1, 1, 1, 4, 1, 1, 1, 1, 1, 1]}


# ---- export --------------------------------------------------------------------------------


def test_export_writes_an_idx_pair_that_reads_back_the_same(capsys, kept, tmp_path):
    folder = tmp_path / "export"
    code, out, err = run(capsys, "export", str(folder))
    assert code == 0 and err == ""
    assert out == (f"exported 13 drawings to {folder / IMAGES_FILE} and {LABELS_FILE}\n")
    assert sorted(p.name for p in folder.iterdir()) == [IMAGES_FILE, LABELS_FILE]
    # Uncompressed standard IDX, as MNIST tools expect, and read back by digitpad's own reader.
    assert (folder / IMAGES_FILE).read_bytes()[:4] == b"\x00\x00\x08\x03"
    assert (folder / LABELS_FILE).read_bytes()[:4] == b"\x00\x00\x08\x01"
    np.testing.assert_array_equal(read_idx(folder / IMAGES_FILE), kept.images)
    np.testing.assert_array_equal(read_idx(folder / LABELS_FILE), kept.labels)


def test_export_png_writes_one_picture_per_drawing(capsys, kept, tmp_path):
    from digitpad.image_io import read_grey

    folder = tmp_path / "export"
    code, out, _ = run(capsys, "export", str(folder), "--png")
    assert code == 0
    assert f"{folder / 'png'}" in out.splitlines()[1]
    pngs = sorted((folder / "png").rglob("*.png"))
    assert len(pngs) == 13
    for index, (image, label) in enumerate(zip(kept.images, kept.labels)):
        png = folder / "png" / str(label) / f"{index:05d}.png"
        assert png in pngs
        shown = np.rint(read_grey(png) * 255).astype(np.uint8)
        np.testing.assert_array_equal(shown, image)  # white ink on black, like MNIST


def test_exported_pngs_read_like_the_drawings_themselves(capsys, kept, tmp_path, trained_model):
    """`digitpad predict` on the PNGs answers what the network answers for the stored pixels."""
    from digitpad.core.mnist import as_inputs
    from digitpad.core.network import Network

    folder = tmp_path / "export"
    assert run(capsys, "export", str(folder), "--png")[0] == 0
    pngs = {int(png.stem): png for png in (folder / "png").rglob("*.png")}
    assert sorted(pngs) == list(range(13))
    paths = [str(pngs[i]) for i in range(13)]
    assert main(["predict", "--model", str(trained_model), *paths]) == 0
    answers = [int(line.split(": ")[1][0]) for line in capsys.readouterr().out.splitlines()]
    direct = Network.load(trained_model).predict(as_inputs(kept.images)).tolist()
    assert sum(a == d for a, d in zip(answers, direct)) >= 12, (answers, direct)


# ---- import --------------------------------------------------------------------------------


def test_export_then_import_round_trips_exactly(capsys, kept, tmp_path, monkeypatch):
    folder = tmp_path / "export"
    assert run(capsys, "export", str(folder), "--png")[0] == 0
    for source in (folder, folder / "png"):  # the IDX pair, and the pictures
        elsewhere = tmp_path / f"elsewhere-{source.name}"
        monkeypatch.setenv("DIGITPAD_DATA_DIR", str(elsewhere))
        code, out, err = run(capsys, "import", str(source))
        assert code == 0 and err == ""
        assert out == (f"added 13 drawings from {source} to my digits (now 13, in "
                       f"{elsewhere / 'digitpad.sqlite'})\n")
        again = stored(elsewhere)
        order = np.lexsort((np.arange(13), kept.labels)) if source.name == "png" else slice(None)
        np.testing.assert_array_equal(again.images, kept.images[order])
        np.testing.assert_array_equal(again.labels, kept.labels[order])


def test_an_import_run_twice_adds_nothing_the_second_time(capsys, store, tmp_path, mnist_dir):
    digits = labelled_test_digits(mnist_dir, 2)
    folder = tmp_path / "from a friend"
    folder.mkdir()
    write_idx(folder / f"{IMAGES_FILE}.gz", np.stack([d for d, _ in digits]), gzip=True)
    write_idx(folder / f"{LABELS_FILE}.gz", np.array([n for _, n in digits], np.uint8), gzip=True)
    code, out, _ = run(capsys, "import", str(folder))
    assert code == 0 and out.startswith("added 20 drawings ")
    code, out, err = run(capsys, "import", str(folder), "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"added": 0, "already_kept": 20, "count": 20, "from": str(folder),
                               "store": str(store)}
    code, out, _ = run(capsys, "import", str(folder))
    assert out == (f"added nothing from {folder}: all its 20 drawings are already in my digits "
                   f"(20, in {store})\n")
    assert stored(store.parent).labels.tolist() == [n for _, n in digits]


def test_import_of_pictures_named_or_foldered_by_their_digit(capsys, store, tmp_path, mnist_dir):
    from digitpad.image_io import write_png

    digits = labelled_test_digits(mnist_dir, 1)
    folder = tmp_path / "pictures"
    (folder / "4").mkdir(parents=True)
    (folder / "notes").mkdir()
    write_png(folder / "4" / "scan.png", digits[4][0])
    write_png(folder / "7-from-anna.png", digits[7][0])
    big = np.kron(255 - digits[2][0], np.ones((4, 4), np.uint8))  # a 112x112 dark-on-light scan
    write_png(folder / "notes" / "2_big.png", big)
    (folder / "README.txt").write_text("not a picture: ignored")
    code, out, err = run(capsys, "import", str(folder))
    assert code == 0 and err == "" and out.startswith("added 3 drawings")
    kept = stored(store.parent)
    assert kept.labels.tolist() == [7, 4, 2]  # a folder's pictures, then its sub-folders'
    np.testing.assert_array_equal(kept.images[0], digits[7][0])  # 28x28: taken as it is
    np.testing.assert_array_equal(kept.images[1], digits[4][0])
    assert kept.images[2].max() == 255 and kept.images[2][:2].max() == 0  # normalized, centred


def test_import_of_an_unlabelled_picture_adds_nothing(capsys, store, kept, tmp_path):
    from digitpad.image_io import write_png

    folder = tmp_path / "pictures"
    folder.mkdir()
    write_png(folder / "3.png", kept.images[3])
    write_png(folder / "seventeen.png", kept.images[7])
    code, out, err = run(capsys, "import", str(folder))
    assert code == 1 and out == ""
    line = assert_one_error_line(err)
    assert f"cannot tell which digit {folder / 'seventeen.png'} is" in line
    assert "nothing was added" in line
    assert len(stored(store.parent).labels) == 13


def test_an_import_of_700000_drawings_is_refused_up_front(capsys, store, kept, tmp_path):
    """Today's limit keeps the collection usable: refused in a moment, before the images."""
    import gzip
    import struct
    import time

    folder = tmp_path / "huge"
    folder.mkdir()
    labels = np.arange(700_000, dtype=np.uint8) % 10
    with gzip.open(folder / f"{LABELS_FILE}.gz", "wb", compresslevel=1) as f:
        f.write(bytes([0, 0, 8, 1]) + struct.pack(">I", 700_000) + labels.tobytes())
    with gzip.open(folder / f"{IMAGES_FILE}.gz", "wb", compresslevel=1) as f:
        f.write(bytes([0, 0, 8, 3]) + struct.pack(">III", 700_000, 28, 28))  # never read
    started = time.perf_counter()
    code, out, err = run(capsys, "import", str(folder))
    assert code == 1 and out == ""
    line = assert_one_error_line(err)
    assert f"{folder} holds 700,000 drawings, but my digits has room for 99,987 more" in line
    assert "nothing was added" in line
    assert time.perf_counter() - started < 30  # generous: not minutes of reading
    assert len(stored(store.parent).labels) == 13


# ---- mistakes ------------------------------------------------------------------------------


def pair(folder, images, labels):
    folder.mkdir(exist_ok=True)
    write_idx(folder / IMAGES_FILE, np.asarray(images, np.uint8))
    write_idx(folder / LABELS_FILE, np.asarray(labels, np.uint8))
    return folder


def wrong_magic(folder):
    pair(folder, np.zeros((2, 28, 28)), [1, 2])
    path = folder / LABELS_FILE
    path.write_bytes(b"\x08\x08" + path.read_bytes()[2:])
    return folder


def without_labels(folder):
    pair(folder, np.zeros((1, 28, 28)), [1])
    (folder / LABELS_FILE).unlink()
    return folder


BAD_IMPORTS = {
    "missing folder": (lambda f: f / "nowhere", "does not exist"),
    "a file, not a folder": (lambda f: pair(f / "p", np.zeros((1, 28, 28)), [1]) / IMAGES_FILE,
                             "is not a folder"),
    "labels file missing": (lambda f: without_labels(f / "p"),
                            f"{LABELS_FILE} (or {LABELS_FILE}.gz) is missing"),
    "wrong magic": (lambda f: wrong_magic(f / "p"), "is not an IDX file"),
    "count mismatch": (lambda f: pair(f / "p", np.zeros((3, 28, 28)), [1, 2]),
                       "holds 3 images but"),
    "label out of range": (lambda f: pair(f / "p", np.zeros((2, 28, 28)), [1, 10]),
                           "label 10 at position 1"),
    "images not 28x28": (lambda f: pair(f / "p", np.zeros((2, 32, 32)), [1, 2]),
                         "does not hold 28x28 images"),
}


@pytest.mark.parametrize("make,message", BAD_IMPORTS.values(), ids=BAD_IMPORTS.keys())
def test_bad_imports_change_nothing(capsys, store, kept, tmp_path, make, message):
    before = store.read_bytes()
    code, out, err = run(capsys, "import", str(make(tmp_path)))
    assert code == 1 and out == ""
    assert message in assert_one_error_line(err)
    assert store.read_bytes() == before
    assert sorted(p.name for p in store.parent.iterdir() if p.name != "settings.ini") == [
        store.name]  # no temporary file left behind


@pytest.mark.parametrize("args", [[], ["--json"], ["export", "EXPORT"], ["import", "IMPORT"]],
                         ids=["count", "json", "export", "import"])
def test_a_damaged_collection_is_set_aside_said_once_and_a_new_one_started(
        capsys, store, tmp_path, args):
    store.parent.mkdir(parents=True)
    store.write_bytes(b"SQLite format 3\x00 my drawings, damaged" * 200)
    pair(tmp_path / "IMPORT", np.zeros((2, 28, 28)), [1, 2])
    args = [str(tmp_path / a) if a.isupper() else a for a in args]
    code, out, err = run(capsys, *args)
    notes = err.splitlines()
    assert len(notes) == (2 if "export" in args else 1), err
    assert notes[0].startswith(f"digitpad: note: my digits in {store} could not be read")
    assert "set aside as digitpad.sqlite.damaged-" in notes[0]
    aside = [p for p in store.parent.iterdir() if ".damaged-" in p.name]
    assert [p.read_bytes() for p in aside] == [b"SQLite format 3\x00 my drawings, damaged" * 200]
    if "export" in args:  # nothing to export from the new collection
        assert code == 1 and "no drawings in my digits yet" in notes[1]
    else:
        assert code == 0
    run(capsys, "--json")
    assert capsys.readouterr().err == ""  # said once


def test_export_with_nothing_kept(capsys, store, tmp_path):
    code, out, err = run(capsys, "export", str(tmp_path / "out"))
    assert code == 1 and out == ""
    assert "no drawings in my digits yet" in assert_one_error_line(err)
    assert not (tmp_path / "out").exists()


def test_export_where_no_folder_can_be(capsys, kept, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    for target in (blocker, blocker / "export"):
        code, out, err = run(capsys, "export", str(target), "--png")
        assert code == 1 and out == ""
        assert str(target) in assert_one_error_line(err)
    assert blocker.read_text() == "x"


def test_pngs_that_cannot_be_written(capsys, kept, tmp_path):
    folder = tmp_path / "export"
    (folder / "png").mkdir(parents=True)
    (folder / "png" / "3").write_text("a file where a folder must go")
    code, out, err = run(capsys, "export", str(folder), "--png")
    assert code == 1
    assert str(folder / "png" / "3") in assert_one_error_line(err)


@pytest.mark.parametrize("args", [["export"], ["import"], ["bogus"], ["export", "a", "b"]])
def test_usage_mistakes_exit_with_2(capsys, args):
    with pytest.raises(SystemExit) as exit_:
        main(["samples", *args])
    assert exit_.value.code == 2
    assert_one_error_line(capsys.readouterr().err)


# ---- the same collection as the app --------------------------------------------------------


def test_without_the_variable_the_cli_uses_the_apps_data_directory(tmp_path, monkeypatch):
    """No DIGITPAD_DATA_DIR: the command (in a process of its own) and the app agree."""
    from digitpad.ui import settings

    monkeypatch.delenv("DIGITPAD_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # where Qt looks on Linux
    expected = tmp_path / "xdg" / "digitpad"
    assert settings.data_dir() == expected
    with MyDigits.open(settings.data_dir()) as my_digits:
        my_digits.add_samples(Samples(np.zeros((2, 28, 28), np.uint8), np.array([4, 5], np.uint8)))
    env = {k: v for k, v in os.environ.items() if k != "DIGITPAD_DATA_DIR"}
    result = subprocess.run([sys.executable, "-m", "digitpad", "samples"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (f"my digits: 2 drawings in "
                                             f"{expected / 'digitpad.sqlite'}")


def test_with_the_variable_the_cli_uses_that_directory(tmp_path):
    env = dict(os.environ, DIGITPAD_DATA_DIR=str(tmp_path / "portable"))
    result = subprocess.run([sys.executable, "-m", "digitpad", "samples", "--json"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout) == {"count": 0, "per_digit": [0] * 10}


# ---- paths that are not UTF-8 (bytes, as Linux allows) --------------------------------------


def test_import_from_a_folder_whose_name_is_not_utf8(tmp_path, kept, store):
    """Printed with an escape on a strict UTF-8 terminal, not a UnicodeEncodeError after the
    drawings were written; running it again adds nothing."""
    from digitpad.core.samples import export_idx

    folder = os.fsencode(tmp_path) + b"/caf\xe9-digits"  # Latin-1, not UTF-8
    export_idx(Samples(kept.images[:5], kept.labels[:5] ^ 1), os.fsdecode(folder))
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict", LC_ALL="C.UTF-8")
    command = [sys.executable.encode(), b"-m", b"digitpad", b"samples", b"import", folder]
    first = subprocess.run(command, env=env, capture_output=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert first.stderr == b""
    assert first.stdout.decode("utf-8") == (
        f"added 5 drawings from {tmp_path}/caf\\xe9-digits to my digits (now 18, in {store})\n")
    again = subprocess.run(command, env=env, capture_output=True, timeout=60)
    assert again.returncode == 0 and b"added nothing" in again.stdout
    assert len(stored(store.parent).labels) == 18


@pytest.mark.parametrize("args", [[], ["export", "EXPORT"], ["import", "IMPORT"]],
                         ids=["count", "export", "import"])
def test_a_data_folder_that_is_a_file_is_named(capsys, tmp_path, monkeypatch, args):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(blocker))
    pair(tmp_path / "IMPORT", np.zeros((2, 28, 28)), [1, 2])
    code, out, err = run(capsys, *[str(tmp_path / a) if a.isupper() else a for a in args])
    assert code == 1 and out == ""
    assert f"DIGITPAD_DATA_DIR names {blocker}, which is not a folder" in \
        assert_one_error_line(err)
    assert blocker.read_text() == "not a folder"


def test_a_symbolic_link_in_place_of_the_database_is_refused(capsys, store, tmp_path):
    outside = tmp_path / "elsewhere.sqlite"
    outside.write_bytes(b"")
    store.parent.mkdir()
    store.symlink_to(outside)
    pair(tmp_path / "IMPORT", np.zeros((2, 28, 28)), [1, 2])
    for args in ([], ["import", str(tmp_path / "IMPORT")]):
        code, out, err = run(capsys, *args)
        assert code == 1 and out == ""
        assert f"{store} is a symbolic link" in assert_one_error_line(err)
    assert outside.read_bytes() == b"" and store.is_symlink()


def test_export_png_into_a_folder_whose_name_is_not_utf8(capsys, kept, tmp_path):
    folder = os.fsdecode(os.fsencode(tmp_path) + b"/export-\xff")
    code, out, err = run(capsys, "export", folder, "--png", "--json")
    assert code == 0 and err == ""
    written = sorted(os.listdir(os.fsencode(folder) + b"/png/3"))
    assert len(written) == 4 and all(name.endswith(b".png") for name in written)
    assert json.loads(out)["png"] == f"{folder}/png"


# ---- synthetic -----------------------------------------------------------------------------


def test_synthetic_writes_digits_in_many_hands_to_look_at(capsys, store, tmp_path):
    from digitpad.core.hands import synthetic_images
    from digitpad.image_io import read_grey

    folder = tmp_path / "hands"
    code, out, err = run(capsys, "synthetic", str(folder), "--count", "30", "--seed", "3", "--png")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == (f"wrote 30 synthesized digits to {folder / IMAGES_FILE} and "
                                   f"{LABELS_FILE}")
    images, labels = synthetic_images(30, seed=3)
    np.testing.assert_array_equal(read_idx(folder / IMAGES_FILE), images)
    np.testing.assert_array_equal(read_idx(folder / LABELS_FILE), labels)
    assert len(list((folder / "png").rglob("*.png"))) == 30
    png = folder / "png" / "7" / "00017.png"
    np.testing.assert_array_equal(np.rint(read_grey(png) * 255).astype(np.uint8), images[17])
    assert not store.exists()  # my digits are left alone
    code, out, _ = run(capsys, "synthetic", str(folder), "--count", "5", "--json")
    assert code == 0 and json.loads(out)["written"] == 5 and json.loads(out)["png"] is None


def test_synthetic_refuses_an_impossible_count(capsys, tmp_path):
    code, out, err = run(capsys, "synthetic", str(tmp_path), "--count", "0")
    assert code == 1 and out == ""
    assert "--count" in assert_one_error_line(err)
