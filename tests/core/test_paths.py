"""core.paths: names that are not UTF-8 shown and opened; only regular files opened, without
waiting on a named pipe, and anything else said in plain words."""

import io
import os
import threading

import numpy as np
import pytest

from digitpad.core.errors import DataError
from digitpad.core.idx import read_idx, write_idx
from digitpad.core.paths import file_problem, open_regular, shown


def test_a_name_that_is_not_utf8_is_shown_with_its_odd_byte_escaped(tmp_path):
    odd = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.png")  # Latin-1, not UTF-8
    text = shown(odd)
    assert text == f"{tmp_path}/caf\\xe9.png"
    text.encode("utf-8")  # printable on a strict UTF-8 terminal: no UnicodeEncodeError
    assert shown(os.fsencode(odd)) == text  # bytes paths alike
    assert shown(tmp_path / "café.png") == f"{tmp_path}/café.png"  # good UTF-8 stays as it is


def test_a_file_whose_name_is_not_utf8_opens(tmp_path):
    odd = os.fsencode(tmp_path) + b"/data-\xff"
    with open(odd, "wb") as f:
        f.write(b"contents")
    with open_regular(os.fsdecode(odd)) as f:
        assert f.read() == b"contents"


def call_with_deadline(action, seconds: float = 30):
    """action()'s result or exception; fails the test, instead of hanging it, if it blocks."""
    outcome = {}

    def run():
        try:
            outcome["value"] = action()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            outcome["error"] = e

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "blocked (a named pipe waits for a writer forever)"
    return outcome


def test_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    outcome = call_with_deadline(lambda: open_regular(fifo))
    assert isinstance(outcome.get("error"), OSError)
    assert outcome["error"].strerror == "it is a named pipe (FIFO), not a file"
    assert outcome["error"].filename == str(fifo)


def test_an_idx_file_that_is_a_named_pipe_is_a_data_error(tmp_path):
    fifo = tmp_path / "t10k-labels-idx1-ubyte"
    os.mkfifo(fifo)
    outcome = call_with_deadline(lambda: read_idx(fifo))
    assert isinstance(outcome.get("error"), DataError)
    assert str(fifo) in str(outcome["error"]) and "named pipe" in str(outcome["error"])


def test_what_each_kind_of_path_is_called(tmp_path):
    (tmp_path / "file").write_bytes(b"x")
    (tmp_path / "folder").mkdir()
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    (tmp_path / "link").symlink_to(tmp_path / "file")
    words = {name: (file_problem(tmp_path / name) or (0, None))[1]
             for name in ["file", "link", "folder", "loop", "dangling", "missing", "file/inside"]}
    assert words == {
        "file": None,
        "link": None,  # a link to a file is a file
        "folder": "it is a folder, not a file",
        "loop": "it is a symbolic link that loops (it leads back to itself)",
        "dangling": f"it is a symbolic link to {tmp_path / 'gone'}, which does not exist",
        "missing": "it does not exist",
        "file/inside": "it does not exist (a part of its path is a file, not a folder)",
    }
    assert file_problem("/dev/null")[1] == "it is a device, not a file"


def test_a_missing_file_is_still_a_file_not_found_error(tmp_path):
    """Callers that catch FileNotFoundError keep working."""
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "missing")
    with pytest.raises(DataError, match="does not exist"):
        read_idx(tmp_path / "missing")


def test_a_regular_idx_file_reads_as_before(tmp_path):
    write_idx(tmp_path / "labels", np.arange(5, dtype=np.uint8))
    np.testing.assert_array_equal(read_idx(tmp_path / "labels"), np.arange(5))
    with open_regular(tmp_path / "labels") as f:
        assert isinstance(f, io.BufferedReader)
