"""Hostile files and odd paths on the command line: nothing hangs, nothing balloons, every
refusal is one line naming the file and the reason, and nothing else is touched."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.network import Network
from digitpad.image_io import write_png
from tests.cli.conftest import QUICK, assert_one_error_line, labelled_test_digits
from tests.hostile_files import model_members, stored_array, write_zip, zeros_array

# A strict UTF-8 terminal: print() raises UnicodeEncodeError for a name that is not UTF-8.
STRICT_UTF8 = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "0", "QT_QPA_PLATFORM": "offscreen"}
STRICT_UTF8.pop("PYTHONIOENCODING", None)


def digitpad(*args, timeout: float = 60, env=None) -> subprocess.CompletedProcess:
    """Run `python -m digitpad ARGS` (str or bytes arguments); stdout and stderr as bytes."""
    return subprocess.run([sys.executable, "-m", "digitpad", *args], capture_output=True,
                          timeout=timeout, env=env or STRICT_UTF8)


@pytest.fixture
def seven(mnist_dir, tmp_path):
    """A PNG of a test digit 7."""
    image = next(image for image, label in labelled_test_digits(mnist_dir) if label == 7)
    path = tmp_path / "seven.png"
    write_png(path, image)
    return path


# ---- pictures that are not regular files, and names that are not UTF-8 -----------------------


def test_predict_does_not_wait_on_a_named_pipe_and_goes_on(trained_model, seven, tmp_path):
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    result = digitpad("predict", "--model", str(trained_model), str(fifo), str(seven))
    assert result.returncode == 1
    line = assert_one_error_line(result.stderr.decode())
    assert str(fifo) in line and "named pipe (FIFO)" in line
    assert result.stdout.decode().startswith(f"{seven}: ")  # the next picture was read


def odd_paths(folder, good):
    loop = folder / "loop.png"
    loop.symlink_to(loop)
    dangling = folder / "dangling.png"
    dangling.symlink_to(folder / "gone.png")
    (folder / "album").mkdir()
    return {"folder": (folder / "album", "is a folder, not a file"),
            "symlink loop": (loop, "symbolic link that loops"),
            "dangling link": (dangling, "symbolic link to"),
            "missing": (folder / "nothing.png", "does not exist"),
            "device": ("/dev/zero", "is a device, not a file")}


@pytest.mark.parametrize("case", ["folder", "symlink loop", "dangling link", "missing", "device"])
def test_odd_paths_get_their_own_words(case, trained_model, seven, tmp_path, capsys, qapp):
    path, words = odd_paths(tmp_path, seven)[case]
    code = main(["predict", "--model", str(trained_model), str(path), str(seven)])
    out, err = capsys.readouterr()
    assert code == 1
    line = assert_one_error_line(err)
    assert str(path) in line and words in line
    assert out.startswith(f"{seven}: ")


def test_a_picture_whose_name_is_not_utf8_is_read_and_named(trained_model, seven, tmp_path):
    odd = os.fsencode(tmp_path) + b"/seven-\xff.png"
    os.rename(seven, odd)
    missing = os.fsencode(tmp_path) + b"/gone-\xfe.png"
    result = digitpad(b"predict", b"--model", os.fsencode(trained_model), odd, missing)
    assert result.returncode == 1
    assert result.stdout.decode().startswith(f"{tmp_path}/seven-\\xff.png: 7 (")
    line = assert_one_error_line(result.stderr.decode())
    assert f"{tmp_path}/gone-\\xfe.png" in line and "does not exist" in line


# ---- model files that would cost gigabytes, or that the app could not show ---------------------


def hostile_models(folder, good) -> dict:
    members = model_members(good)
    padded = {**members, **{f"extra{i}.npy": zeros_array((500_000_000,), "|u1") for i in range(8)}}
    deep = {**members, "sizes.npy": stored_array(np.array([784, *[1] * 9_998, 10]))}
    wide = {**members, "sizes.npy": stored_array(np.array([784, 100_000, 10])),
            "W0.npy": zeros_array((784, 100_000)), "b0.npy": zeros_array((100_000,)),
            "W1.npy": zeros_array((100_000, 10))}
    paths = {}
    for name, contents in {"padded": padded, "deep": deep, "wide": wide}.items():
        paths[name] = folder / f"{name}.npz"
        write_zip(paths[name], contents)
    return paths


@pytest.mark.parametrize("command", ["eval", "predict"])
def test_unused_gigabytes_in_a_model_file_are_never_read(command, trained_model, mnist_dir,
                                                         seven, tmp_path, capsys, qapp):
    path = hostile_models(tmp_path, trained_model)["padded"]
    argv = ["eval", "--data", str(mnist_dir)] if command == "eval" else ["predict", str(seven)]
    assert main([argv[0], "--model", str(path), *argv[1:]]) == 0
    assert capsys.readouterr().out  # answered as with the plain model (memory: benchmarks/)


@pytest.mark.parametrize("model", ["deep", "wide"])
@pytest.mark.parametrize("command", ["eval", "predict"])
def test_a_network_too_large_to_show_is_refused_in_one_line(command, model, trained_model,
                                                             mnist_dir, seven, tmp_path, capsys):
    path = hostile_models(tmp_path, trained_model)[model]
    argv = ["eval", "--data", str(mnist_dir)] if command == "eval" else ["predict", str(seven)]
    assert main([argv[0], "--model", str(path), *argv[1:]]) == 1
    out, err = capsys.readouterr()
    line = assert_one_error_line(err)
    assert str(path) in line and "larger than digitpad can show" in line
    assert out == ""


# ---- SIGTERM in the middle of a save (during training: tests/cli/test_entry_points.py) -----


# The real command, with a real SIGTERM arriving in the middle of the save: fsync, the step
# between writing the temporary file and renaming it, sends it.
SIGTERM_DURING_SAVE = textwrap.dedent("""
    import os, signal, sys
    from digitpad.cli import main
    real_fsync = os.fsync
    def fsync_then_sigterm(fd):
        os.fsync = real_fsync
        os.kill(os.getpid(), signal.SIGTERM)
        real_fsync(fd)
    os.fsync = fsync_then_sigterm
    sys.exit(main(sys.argv[1:]))
""")


def test_sigterm_during_the_save_leaves_no_temporary_file(mnist_dir, tmp_path):
    model = tmp_path / "model.npz"
    result = subprocess.run(
        [sys.executable, "-c", SIGTERM_DURING_SAVE, "train", *QUICK, "--epochs", "1",
         "--data", str(mnist_dir), "--save", str(model), "--json"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 128 + signal.SIGTERM
    assert result.stderr == f"digitpad: training interrupted after 1 of 1 epochs; {model} " \
                            "was not written\n"
    assert os.listdir(tmp_path) == []


def test_sigterm_during_a_save_over_an_old_model_keeps_the_old_one(mnist_dir, tmp_path):
    model = tmp_path / "model.npz"
    Network((784, 10)).save(model)
    before = model.read_bytes()
    subprocess.run([sys.executable, "-c", SIGTERM_DURING_SAVE, "train", *QUICK, "--epochs", "1",
                    "--data", str(mnist_dir), "--save", str(model), "--json"],
                   capture_output=True, timeout=120)
    assert model.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]


# ---- the data folder --------------------------------------------------------------------------


def test_a_data_folder_that_is_a_file_is_named_as_the_problem(tmp_path, monkeypatch, capsys):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("my notes")
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(not_a_folder))
    assert main(["samples"]) == 1
    out, err = capsys.readouterr()
    line = assert_one_error_line(err)
    assert f"DIGITPAD_DATA_DIR names {not_a_folder}, which is not a folder" in line
    assert out == ""
    assert not_a_folder.read_text() == "my notes" and os.listdir(tmp_path) == ["notes.txt"]
