"""A saved session: exact round trips, and every kind of damaged or hostile file refused."""

import io
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.diagnosis import EpochScore, RunHistory
from digitpad.core.model_story import NEW_NETWORK, ModelStory
from digitpad.core.network import Network
from digitpad.core.saved_session import (
    MAX_RUN_SETTINGS,
    MAX_STEPS,
    EarlierTrend,
    RunRecord,
    SavedSession,
    SessionError,
    load_session,
    save_session,
)
from digitpad.core.settings import Settings
from tests.hostile_files import model_members, stored_array, write_zip, zeros_array
from tests.memory import peak_memory_of

ROOT = Path(__file__).resolve().parents[2]  # the repository: the savers import these tests
SETTINGS = Settings(hidden=(16, 8), lr=0.3, batch=20, momentum=0.5, l2=0.01, augment=True)


def trained_session(steps: int = 30) -> SavedSession:
    """A network trained `steps` steps with momentum, and the history those steps made."""
    network = SETTINGS.new_network(seed=2)
    rng = np.random.default_rng(0)
    costs, norms = [], []
    for _ in range(steps):
        X, y = rng.random((20, 784), dtype=np.float32), rng.integers(0, 10, 20)
        stats = network.train_step(X, y, lr=0.3, momentum=0.5)
        costs.append(stats.cost)
        norms.append(stats.grad_norms)
    epochs = [EpochScore(10, 0.25, 2.1), EpochScore(20, 0.5, 1.5), EpochScore(30, 0.625, 1.25)]
    history = RunHistory(np.array(costs, np.float32), np.array(norms, np.float32), epochs, 1)
    confusion = rng.integers(0, 50, (10, 10))
    story = ModelStory(Settings(lr=3.0).with_network_of(network), 5, 3000, 0.9, None)
    my_digits = ((None, 0), (0.5, 8), (0.75, 8))  # my digits measured from the second epoch
    return SavedSession(network, SETTINGS, story, RunRecord(history, confusion, my_digits))


def test_a_session_comes_back_bit_for_bit(tmp_path):
    saved = trained_session()
    save_session(tmp_path / "session.npz", saved)

    session = load_session(tmp_path / "session.npz")

    network = session.network
    assert network.sizes == (784, 16, 8, 10) and network.dtype == np.float32
    for a, b in zip(network.weights + network.biases + network.velocity,
                    saved.network.weights + saved.network.biases + saved.network.velocity):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert session.settings == SETTINGS
    assert session.story == saved.story
    run, before = session.run, saved.run
    assert run.history.costs.tobytes() == before.history.costs.tobytes()
    assert run.history.grad_norms.tobytes() == before.history.grad_norms.tobytes()
    assert run.history.epochs == before.history.epochs
    assert run.history.first_step == 1 and session.steps == 30
    np.testing.assert_array_equal(run.confusion, before.confusion)
    assert run.my_digits == before.my_digits


def test_a_session_with_dropped_steps_and_no_momentum_or_epochs(tmp_path):
    network = Network((784, 10))
    history = RunHistory(np.ones(5, np.float32), np.ones((5, 1), np.float32), [], 1001)
    save_session(tmp_path / "s.npz", SavedSession(network, Settings().with_network_of(network),
                                                  NEW_NETWORK, RunRecord(history)))
    session = load_session(tmp_path / "s.npz")
    assert session.network.velocity is None and session.run.confusion is None
    assert session.run.history.first_step == 1001 and session.steps == 1005
    assert session.run.history.epochs == [] and session.run.my_digits == ()


# ---- damaged and hostile files --------------------------------------------------------------


def members_of(tmp_path):
    save_session(tmp_path / "good.npz", trained_session())
    return model_members(tmp_path / "good.npz")


def refused(path) -> str:
    with pytest.raises(SessionError) as info:
        load_session(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message and "session" in message
    return message


def tampered(tmp_path, **changes):
    members = members_of(tmp_path)
    for name, value in changes.items():
        if value is None:
            del members[f"{name}.npy"]
        else:
            members[f"{name}.npy"] = stored_array(value)
    write_zip(tmp_path / "session.npz", members)
    return tmp_path / "session.npz"


@pytest.mark.parametrize("cut", [0, 10, 1000, -200])
def test_a_truncated_session(tmp_path, cut):
    save_session(tmp_path / "session.npz", trained_session())
    data = (tmp_path / "session.npz").read_bytes()
    (tmp_path / "session.npz").write_bytes(data[:cut])
    refused(tmp_path / "session.npz")


def test_random_bytes_and_a_folder(tmp_path):
    (tmp_path / "session.npz").write_bytes(np.random.default_rng(1).bytes(5000))
    refused(tmp_path / "session.npz")
    (tmp_path / "folder.npz").mkdir()
    refused(tmp_path / "folder.npz")


@pytest.mark.parametrize("changes", [
    {"session_version": np.array(2)},
    {"session_version": np.array(0.5)},
    {"session_version": None},
    {"costs": None},
    {"costs": np.array([1.0, np.nan] * 15, np.float32)},
    {"costs": np.ones(30, np.float64)},
    {"costs": np.ones(29, np.float32)},
    {"grad_norms": -np.ones((30, 3), np.float32)},
    {"grad_norms": np.ones((30, 2), np.float32)},
    {"first_step": np.array(0)},
    {"first_step": np.array("one")},
    {"epoch_steps": np.array([10, 20, 40])},
    {"epoch_steps": np.array([20, 10, 30])},
    {"epoch_steps": np.array([10, 20])},
    {"test_accuracies": np.array([0.1, 1.5, 0.2])},
    {"test_costs": np.array([1, np.nan, 1.0])},
    {"my_digits_accuracies": np.array([np.nan, 0.5])},
    {"my_digits_accuracies": np.array([np.nan, 1.5, 0.5])},
    {"my_digits_counts": np.array([0, 0, 8])},
    {"my_digits_counts": None},
    {"confusion": -np.ones((10, 10), np.int64)},
    {"confusion": np.ones((9, 10), np.int64)},
    {"velocity0": np.ones((784, 3), np.float32)},
    {"velocity5": None},
    {"settings": np.array(json.dumps({"lr": -1}))},
    {"settings": np.array("[" * 50_000 + "]" * 50_000)},
    {"settings": np.array("null")},
    {"settings": np.arange(3)},
    {"story": np.array("{")},
    {"W0": np.ones((784, 3), np.float32)},
    {"sizes": np.array([784, 16, 8, 11])},
], ids=lambda c: "-".join(f"{k}={'missing' if v is None else v.dtype}" for k, v in c.items()))
def test_a_damaged_session_is_refused_with_the_reason(tmp_path, changes):
    refused(tampered(tmp_path, **changes))


def test_a_session_holding_pickles_is_refused_without_unpickling(tmp_path):
    members = members_of(tmp_path)
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    data = buffer.getvalue()
    members["costs.npy"] = members["costs.npy"]._replace(data=data, size=len(data), crc=0)
    import zlib

    members["costs.npy"] = members["costs.npy"]._replace(crc=zlib.crc32(data))
    write_zip(tmp_path / "session.npz", members)
    assert "pickled" in refused(tmp_path / "session.npz")


@pytest.mark.parametrize("name, shape", [("costs", (500_000_000,)),
                                         ("grad_norms", (MAX_STEPS + 1000, 3)),
                                         ("epoch_steps", (200_000_000,)),
                                         ("velocity0", (784, 16_000))])
def test_a_small_file_claiming_a_huge_history_is_refused_before_it_is_read(tmp_path, name,
                                                                           shape):
    members = members_of(tmp_path)
    members[f"{name}.npy"] = zeros_array(shape, "<i8" if name == "epoch_steps" else "<f4")
    write_zip(tmp_path / "session.npz", members)
    assert (tmp_path / "session.npz").stat().st_size < 3_000_000
    _, peak = peak_memory_of(lambda: refused(tmp_path / "session.npz"))
    assert peak < 32 * 2**20, f"refusing it allocated {peak / 2**20:.0f} MiB"


def test_a_full_disk_or_a_symbolic_link_keeps_the_old_session(tmp_path, monkeypatch):
    from digitpad.core.errors import ModelFileError

    path = tmp_path / "session.npz"
    save_session(path, trained_session(10))
    before = path.read_bytes()
    (tmp_path / "elsewhere.npz").write_bytes(b"theirs")
    (tmp_path / "link.npz").symlink_to(tmp_path / "elsewhere.npz")
    with pytest.raises(ModelFileError, match="symbolic link"):
        save_session(tmp_path / "link.npz", trained_session(10))
    assert (tmp_path / "elsewhere.npz").read_bytes() == b"theirs"

    def full(*_, **__):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", full)
    with pytest.raises(ModelFileError, match="No space left"):
        save_session(path, trained_session(20))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.npz", "link.npz",
                                                          "session.npz"]


# ---- earlier runs on the cost plot ------------------------------------------------------------


def with_earlier_runs(session: SavedSession) -> SavedSession:
    steps = np.array([1.5, 3.5, 5.5])
    columns = np.arange(9.0).reshape(3, 3)
    first = EarlierTrend((SETTINGS, replace(SETTINGS, lr=0.1)), steps, columns)
    second = EarlierTrend((Settings(hidden=()),), steps[:2] * 10, columns[:2] + 0.5)
    return replace(session, earlier=(first, second))


def test_earlier_runs_come_back(tmp_path):
    saved = with_earlier_runs(trained_session())
    save_session(tmp_path / "s.npz", saved)
    earlier = load_session(tmp_path / "s.npz").earlier
    assert [t.settings for t in earlier] == [t.settings for t in saved.earlier]
    for trend, before in zip(earlier, saved.earlier, strict=True):
        assert trend.steps.tobytes() == before.steps.tobytes()
        assert trend.columns.tobytes() == before.columns.tobytes()


def test_an_earlier_run_whose_settings_changed_a_thousand_times_comes_back(tmp_path):
    """Every change of the rate mid-run is kept by the cost plot: the file keeps the first and
    the newest MAX_RUN_SETTINGS of them, and reads back what it wrote."""
    changes = tuple(replace(SETTINGS, lr=0.001 * (n + 1)) for n in range(1000))
    trend = EarlierTrend(changes, np.array([1.5, 3.5]), np.arange(6.0).reshape(2, 3))
    save_session(tmp_path / "s.npz", replace(trained_session(), earlier=(trend,)))
    kept = load_session(tmp_path / "s.npz").earlier[0].settings
    assert kept == changes[:1] + changes[-(MAX_RUN_SETTINGS - 1):]


@pytest.mark.parametrize("changes", [
    {"earlier_runs": np.array(9)},
    {"earlier_runs": np.array(3)},
    {"earlier0_steps": np.array([3.5, 1.5, 5.5])},
    {"earlier0_steps": np.array([1.5, np.inf, 5.5])},
    {"earlier1_columns": np.ones((2, 2))},
    {"earlier0_settings": np.array("[]")},
    {"earlier0_settings": np.array(json.dumps([{"hidden": "16"}]))},
    {"earlier0_settings": np.array(json.dumps([{"hidden": [16], "lr": "fast"}]))},
    {"earlier0_settings": np.array(json.dumps([{"hidden": [0]}]))},
    {"earlier1_settings": np.array(json.dumps([[1, 2]]))},
], ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items())[:60])
def test_a_damaged_earlier_run_is_refused(tmp_path, changes):
    save_session(tmp_path / "good.npz", with_earlier_runs(trained_session()))
    members = model_members(tmp_path / "good.npz")
    for name, value in changes.items():
        members[f"{name}.npy"] = stored_array(value)
    write_zip(tmp_path / "session.npz", members)
    refused(tmp_path / "session.npz")


# ---- processes -------------------------------------------------------------------------------

SAVER = textwrap.dedent("""
    import sys
    from tests.core.test_saved_session import trained_session
    from digitpad.core.saved_session import save_session
    session = trained_session(int(sys.argv[2]))
    for n in range(int(sys.argv[3])):
        save_session(sys.argv[1], session)
        print(n, flush=True)  # this save is complete
""")


def saver(path, steps: int, saves: int) -> subprocess.Popen:
    """A process saving a session of `steps` steps to `path`, `saves` times over."""
    return subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(steps), str(saves)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def test_a_kill_9_while_saving_leaves_the_session_saved_before(tmp_path):
    path = tmp_path / "session.npz"
    save_session(path, trained_session(40))
    for saves_before_the_kill in (1, 3, 7):
        writer = saver(path, 30, 1000)
        try:
            for _ in range(saves_before_the_kill):
                writer.stdout.readline()
        finally:
            writer.kill()  # SIGKILL, at some point of the next save: no clean-up of any kind
            writer.wait()
        assert load_session(path).steps == 30  # the last whole save, whole


def test_two_programs_saving_at_once_leave_one_whole_session(tmp_path):
    path = tmp_path / "session.npz"
    writers = [saver(path, steps, 40) for steps in (30, 40)]
    seen = set()
    while any(w.poll() is None for w in writers):  # a reader never meets a half-written file
        if path.exists():
            seen.add(load_session(path).steps)
    for w in writers:
        w.communicate(timeout=120)
        assert w.returncode == 0
    assert load_session(path).steps in (30, 40) and seen and seen <= {30, 40}
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
