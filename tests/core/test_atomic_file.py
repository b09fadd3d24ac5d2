"""atomic_file.atomic_write: every writer's one way to write; old file or new file, never half."""

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from digitpad.core import ModelFileError, Network
from digitpad.core.atomic_file import atomic_write
from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.idx import write_idx


def save_model(path):
    Network((4, 3)).save(path)


def save_idx(path):
    write_idx(path, np.zeros((2, 28, 28), np.uint8))


def save_png(path):
    from digitpad.image_io import write_png

    write_png(path, np.zeros((28, 28), np.uint8))


WRITERS = {"model": (save_model, ModelFileError), "idx": (save_idx, DataError),
           "png": (save_png, DigitpadError)}


def test_the_new_contents_appear_whole(tmp_path):
    path = tmp_path / "file.bin"
    path.write_bytes(b"old")
    with atomic_write(path) as f:
        f.write(b"new ")
        assert path.read_bytes() == b"old"  # nothing shows before the end
        f.write(b"contents")
    assert path.read_bytes() == b"new contents"
    assert os.listdir(tmp_path) == ["file.bin"]


def test_a_failure_while_writing_keeps_the_old_file_and_leaves_nothing(tmp_path):
    path = tmp_path / "file.bin"
    path.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_write(path) as f:
        f.write(b"half of it")
        raise KeyboardInterrupt  # Ctrl+C, or the CLI's SIGTERM, in the middle of a save
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file.bin"]


def test_the_file_and_then_its_folder_are_synced(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file",
                       (tmp_path / "file.bin").exists()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    with atomic_write(tmp_path / "file.bin") as f:
        f.write(b"data")
    # The data is on disk before the rename, and the rename is on disk after it.
    assert synced == [("file", False), ("folder", True)]


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_every_writer_refuses_to_write_through_a_symbolic_link(writer, tmp_path):
    save, error = writer
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "precious.txt"
    target.write_text("keep me")
    folder = tmp_path / "folder"
    folder.mkdir()
    link = folder / "link"
    link.symlink_to(target)
    with pytest.raises(error, match="symbolic link") as refusal:
        save(link)
    assert str(link) in str(refusal.value) and "\n" not in str(refusal.value)
    assert target.read_text() == "keep me"
    assert link.is_symlink() and os.listdir(folder) == ["link"]


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_every_writer_replaces_a_file_whole(writer, tmp_path):
    save, _ = writer
    path = tmp_path / "out"
    path.write_bytes(b"old")
    save(path)
    assert path.read_bytes() != b"old" and path.stat().st_size > 3
    assert os.listdir(tmp_path) == ["out"]


# ---- a real full disk and a real read-only folder ---------------------------------------------
# A tiny tmpfs, mounted in a private mount namespace (`unshare`) so that the test needs no
# privileges where user namespaces are allowed, and leaves no mount behind in any case.

IN_NAMESPACE = textwrap.dedent("""
    import json, os, subprocess, sys
    import numpy as np
    sys.path.insert(0, {tests_root!r})
    from tests.core.test_atomic_file import WRITERS
    folder, scenario = sys.argv[1], sys.argv[2]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", folder], check=True)
    for name, (save, _) in WRITERS.items():
        save(os.path.join(folder, name))
    before = {{n: open(os.path.join(folder, n), "rb").read() for n in WRITERS}}
    if scenario == "full disk":
        with open(os.path.join(folder, "filler"), "wb", buffering=0) as f:
            try:
                while True:
                    f.write(bytes(512))
            except OSError:
                pass
    else:
        subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
    errors = {{}}
    for name, (save, error) in WRITERS.items():
        try:
            save(os.path.join(folder, name))
        except error as e:
            errors[name] = str(e)
    kept = all(open(os.path.join(folder, n), "rb").read() == before[n] for n in WRITERS)
    print(json.dumps({{"errors": errors, "kept": kept, "files": sorted(os.listdir(folder))}}))
""")


def run_in_tiny_tmpfs(tmp_path, scenario):
    if shutil.which("unshare") is None or not sys.platform.startswith("linux"):
        pytest.skip("needs Linux's unshare to mount a tiny file system")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this system does not allow a private mount namespace")
    tests_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    script = IN_NAMESPACE.format(tests_root=tests_root)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(["unshare", "-rm", sys.executable, "-c", script, str(tmp_path),
                             scenario], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("scenario,reason", [("full disk", "No space left on device"),
                                             ("read-only folder", "Read-only file system")])
def test_a_full_disk_or_a_read_only_folder_loses_nothing(tmp_path, scenario, reason):
    outcome = run_in_tiny_tmpfs(tmp_path, scenario)
    assert set(outcome["errors"]) == set(WRITERS), outcome  # every save said it failed
    for name, message in outcome["errors"].items():
        assert reason in message and name in message and "\n" not in message
    assert outcome["kept"]  # and every old file is intact, byte for byte
    extra = ["filler"] if scenario == "full disk" else []
    assert outcome["files"] == sorted([*WRITERS, *extra])  # no temporary file left behind
