import functools
import os

import numpy as np
import pytest

from tests.deadlines import DEADLINE_MS

# GUI tests run without a display, on CI and on a developer's machine alike.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_small_mnist(train: int = 600, test: int = 100, seed: int = 0):
    """A tiny, easily learned stand-in for MNIST: digit d is a bright bar on row 4 + 2d."""
    from digitpad.core.mnist import Mnist

    rng = np.random.default_rng(seed)

    def split(n: int):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
        for i, d in enumerate(labels):
            images[i, 4 + 2 * d, 4:24] = 255
        return images, labels

    train_images, train_labels = split(train)
    test_images, test_labels = split(test)
    return Mnist(train_images, train_labels, test_images, test_labels)


@pytest.fixture
def small_mnist():
    return make_small_mnist()


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Keep user data and settings of each test in its own folder, never the person's own.

    For every test, whatever it runs (the app, the command line): one test's drawings or
    settings never reach the next. The platform folders point into the test's folder too, for
    the tests that unset DIGITPAD_DATA_DIR to check where the app looks without it.
    """
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return tmp_path / "userdata"


@pytest.fixture
def qtbot(qtbot):
    """pytest-qt's qtbot, whose waits allow DEADLINE_MS instead of 5 s (see tests/deadlines.py)."""
    for name in ("waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive",
                 "waitCallback"):
        setattr(qtbot, name, functools.partial(getattr(qtbot, name), timeout=DEADLINE_MS))
    return qtbot


@pytest.fixture
def tiny_disk(tmp_path):
    """An empty folder on a file system of its own of 1 MB (a tmpfs), for filling up.

    Mounting needs root (as on CI); elsewhere the tests that need a full disk are skipped.
    """
    import subprocess

    folder = tmp_path / "tiny-disk"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a tiny tmpfs, which needs root to mount")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_disk(folder) -> None:
    """Write a file in `folder` until its file system has no byte left."""
    import errno

    with open(os.path.join(folder, "filler"), "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as e:
            assert e.errno == errno.ENOSPC
        try:
            while True:  # the last few bytes of a partial block
                f.write(b"\0")
        except OSError as e:
            assert e.errno == errno.ENOSPC


class HandsGate:
    """Digits in many hands rendered CHUNK at a time, each chunk only once the test lets it
    through (a semaphore). An interrupt (a reset, a closing window) lets through the chunk a
    worker is making, if any. `rendered` counts the chunks rendered."""

    CHUNK = 25

    def __init__(self) -> None:
        import threading

        self.permits = threading.Semaphore(0)
        self.rendered = 0
        self.in_chunk = False  # a worker is making a chunk (or waiting to)

    def let_through(self, chunks: int = 1) -> None:
        self.permits.release(chunks)


@pytest.fixture
def hands_gate(monkeypatch):
    from digitpad.core import hands, sgd
    from tests.deadlines import DEADLINE_S

    gate = HandsGate()
    monkeypatch.setattr(hands, "CHUNK", HandsGate.CHUNK)
    monkeypatch.setattr(hands, "_last_made", {})  # nothing made before this test
    real_make_more, real_interrupt = hands.HandsInTheMaking.make_more, sgd.SGD.interrupt

    def make_more(self) -> None:
        gate.in_chunk = True
        assert gate.permits.acquire(timeout=DEADLINE_S), "the test never let this chunk through"
        real_make_more(self)
        gate.rendered += 1
        gate.in_chunk = False

    def interrupt(self) -> None:
        real_interrupt(self)
        if gate.in_chunk:
            gate.let_through()

    monkeypatch.setattr(hands.HandsInTheMaking, "make_more", make_more)
    monkeypatch.setattr(sgd.SGD, "interrupt", interrupt)
    yield gate
    gate.let_through(1000)  # a worker still waiting ends its chunk
