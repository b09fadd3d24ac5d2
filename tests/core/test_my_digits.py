"""My digits in SQLite: kept safely, read back checked, shared by two writers, never lost."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from digitpad.core import my_digits
from digitpad.core.errors import DataError
from digitpad.core.my_digits import DB_FILE, MyDigits, NewerStoreError
from digitpad.core.samples import Samples
from tests.conftest import fill_disk


def some_samples(n: int = 5, seed: int = 0) -> Samples:
    rng = np.random.default_rng(seed)
    return Samples(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
                   rng.integers(0, 10, n).astype(np.uint8))


def drawing(seed: int = 0) -> np.ndarray:
    """A 28x28 float image in [0, 1], as preprocess.to_mnist makes them."""
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def raw_rows(folder) -> list[tuple]:
    """Every row as stored, deleted ones too, read without digitpad."""
    with sqlite3.connect(folder / DB_FILE) as db:
        return db.execute("SELECT id, label, image, deleted_at FROM drawings ORDER BY id"
                          ).fetchall()


# ---- keeping and reading ---------------------------------------------------------------------


def test_a_drawing_is_kept_as_uint8_pixels_with_its_label_strokes_and_origin(tmp_path):
    first = drawing(1)
    first[0, :3] = 0.0, 1.0, 0.5
    strokes = [[(1.0, 2.0), (3.25, 4.5), (5.0004, 6.0)], [(10.0, 10.0)]]
    with MyDigits.open(tmp_path / "new folder") as store:  # the folder is created
        kept = store.add(first, 3, strokes)
        store.add(drawing(2), 8)
    with MyDigits.open(tmp_path / "new folder") as store:
        assert store.count() == 2 and store.per_digit() == [0, 0, 0, 1, 0, 0, 0, 0, 1, 0]
        samples = store.samples()
        assert samples.images.dtype == np.uint8 and samples.labels.dtype == np.uint8
        assert samples.labels.tolist() == [3, 8]
        np.testing.assert_array_equal(samples.images[0], np.rint(first * 255).astype(np.uint8))
        assert samples.images[0, 0, :3].tolist() == [0, 255, 128]
        np.testing.assert_array_equal(store.image(kept.id), samples.images[0])
        assert store.strokes(kept.id) == [[(1.0, 2.0), (3.25, 4.5), (5.0, 6.0)], [(10.0, 10.0)]]
        listed = store.drawings()
        assert [(d.label, d.held_out) for d in listed] == [(3, False), (8, False)]
        details = [store.details(d.id) for d in listed]
        assert [(d.source, d.has_strokes) for d in details] == [("drawn", True), ("drawn", False)]
        assert details[0].created_at.endswith("Z") and details[0].created_at[:4].isdigit()
        assert store.strokes(listed[1].id) is None


@pytest.mark.parametrize("image,label", [
    (np.zeros((27, 28)), 3),
    (np.full((28, 28), np.nan), 3),
    (np.zeros((28, 28)), 10),
    (np.zeros((28, 28)), -1),
    (np.zeros((28, 28)), 2.5),
    (np.zeros((28, 28)), True),
], ids=["not 28x28", "NaN pixels", "label 10", "label -1", "label 2.5", "label True"])
def test_impossible_drawings_are_refused_and_nothing_is_written(tmp_path, image, label):
    with MyDigits.open(tmp_path) as store:
        with pytest.raises(ValueError):
            store.add(image, label)
        assert store.count() == 0


def test_every_fifth_drawing_of_each_digit_is_held_out_and_never_trained_on(tmp_path):
    with MyDigits.open(tmp_path) as store:
        for i in range(20):
            store.add(drawing(i), 7)
        for i in range(4):
            store.add(drawing(100 + i), 2)
        store.add_samples(Samples(np.stack([np.full((28, 28), i, np.uint8) for i in range(10)]),
                                  np.full(10, 7, np.uint8)))
        held = [d.held_out for d in store.drawings() if d.label == 7]
        # The 3rd, 8th, 13th... of each digit, whether drawn or imported.
        assert [i for i, h in enumerate(held) if h] == [2, 7, 12, 17, 22, 27]
        assert [d.held_out for d in store.drawings() if d.label == 2] == [0, 0, 1, 0]
        train, held_out = store.split()
        assert len(train.labels) == 24 - 6 + 4 - 1 + 6 - 0 and len(held_out.labels) == 7
        # Together they are every drawing, each once.
        every = {im.tobytes() for im in store.samples().images}
        parts = [im.tobytes() for im in (*train.images, *held_out.images)]
        assert len(parts) == len(set(parts)) == len(every) and set(parts) == every
    with MyDigits.open(tmp_path) as store:  # fixed per drawing: the same after a restart
        assert [d.held_out for d in store.drawings() if d.label == 7] == held


def test_relabel_and_delete_survive_a_restart_and_delete_can_be_undone(tmp_path):
    with MyDigits.open(tmp_path) as store:
        ids = [store.add(drawing(i), i % 3).id for i in range(6)]
        before = store.relabel({ids[0]: 9, ids[1]: 9})
        assert before == {ids[0]: 0, ids[1]: 1}
        store.delete([ids[2], ids[3]])
    with MyDigits.open(tmp_path) as store:
        assert sorted((d.id, d.label) for d in store.drawings()) == [
            (ids[0], 9), (ids[1], 9), (ids[4], 1), (ids[5], 2)]
        assert store.count() == 4
        store.undelete([ids[2]])
        store.relabel(before)
    with MyDigits.open(tmp_path) as store:
        assert sorted((d.id, d.label) for d in store.drawings()) == [
            (ids[0], 0), (ids[1], 1), (ids[2], 2), (ids[4], 1), (ids[5], 2)]
    # A deleted drawing is still in the file, only marked.
    assert [row[3] is not None for row in raw_rows(tmp_path)] == [0, 0, 0, 1, 0, 0]


def test_an_import_is_all_or_nothing_and_adds_nothing_twice(tmp_path):
    incoming = some_samples(12)
    with MyDigits.open(tmp_path) as store:
        assert store.add_samples(incoming) == 12
        assert store.add_samples(incoming) == 0  # a second run of the same import
        more = Samples(np.concatenate([incoming.images, some_samples(3, seed=1).images]),
                       np.concatenate([incoming.labels, some_samples(3, seed=1).labels]))
        assert store.add_samples(more) == 3  # only what is new
        assert store.count() == 15
        np.testing.assert_array_equal(store.samples().images, more.images)
        assert {store.details(d.id).source for d in store.drawings()} == {"imported"}


def test_an_import_beyond_the_limit_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    from digitpad.core import samples

    monkeypatch.setattr(my_digits, "MAX_DRAWINGS", 10)
    monkeypatch.setattr(samples, "MAX_DRAWINGS", 10)
    with MyDigits.open(tmp_path) as store:
        store.add_samples(some_samples(6))
        with pytest.raises(DataError, match="adding 5 drawings, but my digits has room for 4 "
                                            "more .it keeps at most 10,.*nothing was added"):
            store.add_samples(some_samples(5, seed=1))
        assert store.count() == 6


# ---- the old my-digits.npz ----------------------------------------------------------------


def test_the_old_npz_is_migrated_bit_for_bit_once_and_kept(tmp_path):
    old = some_samples(300, seed=4)
    legacy = tmp_path / "my-digits.npz"
    np.savez(legacy, images=old.images, labels=old.labels)  # as digitpad 0.1 wrote it
    original = legacy.read_bytes()
    with MyDigits.open(tmp_path) as store:
        assert store.notices == [f"300 drawings from my-digits.npz were moved into {DB_FILE}; "
                                 "the old file is kept as my-digits.npz.migrated"]
        migrated = store.samples()
        np.testing.assert_array_equal(migrated.images, old.images)
        np.testing.assert_array_equal(migrated.labels, old.labels)
        assert {store.details(d.id).source for d in store.drawings()} == {"migrated"}
    assert not legacy.exists()
    assert (tmp_path / "my-digits.npz.migrated").read_bytes() == original
    with MyDigits.open(tmp_path) as store:  # once only
        assert store.notices == [] and store.count() == 300


def test_a_migration_cut_short_before_the_rename_adds_nothing_twice(tmp_path):
    old = some_samples(20, seed=5)
    np.savez(tmp_path / "my-digits.npz", images=old.images, labels=old.labels)
    MyDigits.open(tmp_path).close()
    # As if the process had died after storing the drawings but before renaming the file:
    os.rename(tmp_path / "my-digits.npz.migrated", tmp_path / "my-digits.npz")
    with MyDigits.open(tmp_path) as store:
        assert store.count() == 20
        assert "0 drawings from my-digits.npz" in store.notices[0]
    assert (tmp_path / "my-digits.npz.migrated").exists()
    assert not (tmp_path / "my-digits.npz").exists()


# ---- damaged, foreign, newer, linked -------------------------------------------------------


def test_a_file_that_is_not_a_database_is_set_aside_and_a_new_one_started(tmp_path):
    path = tmp_path / DB_FILE
    path.write_bytes(b"my drawings, sort of" * 100)
    with MyDigits.open(tmp_path) as store:
        assert len(store.notices) == 1
        notice = store.notices[0]
        assert str(path) in notice and "not an SQLite database" in notice
        aside = [p for p in tmp_path.iterdir() if p.name.startswith(f"{DB_FILE}.damaged-")]
        assert len(aside) == 1 and aside[0].name in notice
        assert aside[0].read_bytes() == b"my drawings, sort of" * 100  # kept, never deleted
        store.add(drawing(), 4)
    with MyDigits.open(tmp_path) as store:  # said once
        assert store.notices == [] and store.count() == 1


def test_a_database_damaged_inside_is_set_aside(tmp_path):
    with MyDigits.open(tmp_path) as store:
        store.add_samples(some_samples(400))
    path = tmp_path / DB_FILE
    data = bytearray(path.read_bytes())
    data[4096 * 3: 4096 * 6] = b"\xff" * (4096 * 3)  # pages in the middle of the table
    path.write_bytes(bytes(data))
    with MyDigits.open(tmp_path) as store:
        assert len(store.notices) == 1 and "damaged" in store.notices[0]
        assert store.count() == 0
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(f"{DB_FILE}.damaged-")]
    assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [
        bytes(data)]


def test_attaching_never_repairs_nor_migrates_it_leaves_that_to_open(tmp_path):
    """A watching thread's connection: it refuses what open() would set aside or move in,
    changing nothing, so that the one who repairs is the one who says so."""
    legacy = tmp_path / "my-digits.npz"
    old = some_samples(20, seed=4)
    np.savez(legacy, images=old.images, labels=old.labels)
    with pytest.raises(DataError, match="no drawings"):
        MyDigits.attach(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-digits.npz"]  # nothing moved in
    path = tmp_path / DB_FILE
    path.write_bytes(b"my drawings, sort of" * 100)
    with pytest.raises(DataError, match="not an SQLite database"):
        MyDigits.attach(tmp_path)
    assert path.read_bytes() == b"my drawings, sort of" * 100  # not set aside
    path.unlink()
    with MyDigits.open(tmp_path) as store:  # open() moves the old file in, and says so
        assert len(store.notices) == 1
        store.add(drawing(), 4)
    with MyDigits.attach(tmp_path) as watcher:
        assert watcher.count() == 21 and watcher.notices == []


def test_a_database_from_a_newer_digitpad_is_refused_and_left_untouched(tmp_path):
    with MyDigits.open(tmp_path) as store:
        store.add(drawing(), 1)
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.execute("PRAGMA user_version = 7")
    before = (tmp_path / DB_FILE).read_bytes()
    with pytest.raises(NewerStoreError, match="newer digitpad .schema version 7; this one "
                                              "knows up to 1.: it is left untouched"):
        MyDigits.open(tmp_path)
    assert (tmp_path / DB_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "damaged" in p.name) == []


def test_someone_elses_database_is_set_aside(tmp_path):
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    with MyDigits.open(tmp_path) as store:
        assert "tables that are not digitpad's" in store.notices[0]
        assert store.count() == 0


@pytest.mark.parametrize("name", [DB_FILE, f"{DB_FILE}-wal"])
def test_a_symbolic_link_in_place_of_the_database_is_refused_and_left_alone(tmp_path, name):
    outside = tmp_path / "outside.txt"
    outside.write_text("someone else's file")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / name).symlink_to(outside)
    with pytest.raises(DataError, match="is a symbolic link: digitpad does not write my digits "
                                        "through a link"):
        MyDigits.open(folder)
    assert outside.read_text() == "someone else's file"
    assert (folder / name).is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_a_data_folder_that_is_a_file_is_named(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(DataError, match=f"the data folder {blocker} is a file, not a folder"):
        MyDigits.open(blocker)
    assert blocker.read_text() == "not a folder"


def test_rows_with_wrong_types_or_sizes_are_left_out_reported_and_kept(tmp_path):
    """A database written by something else, with the right tables but wrong values."""
    with MyDigits.open(tmp_path) as store:
        good = store.add(drawing(1), 5).id
    with sqlite3.connect(tmp_path / DB_FILE) as db:  # the same columns, without the checks
        db.executescript("""
            ALTER TABLE drawings RENAME TO strict_drawings;
            CREATE TABLE drawings (id INTEGER PRIMARY KEY, label, image, strokes, created_at,
                                   source, held_out, deleted_at, digest);
            INSERT INTO drawings SELECT id, label, image, strokes, created_at, source, held_out,
                                        deleted_at, digest FROM strict_drawings;
            DROP TABLE strict_drawings;
        """)
        rows = [("seven", bytes(784)), (12, bytes(784)), (3, bytes(10)), (3, "text" * 196),
                (-1, bytes(784)), (2.5, bytes(784))]
        db.executemany("INSERT INTO drawings (label, image, strokes, created_at, source, held_out, "
                       "digest) VALUES (?, ?, '[[[1, \"x\"]]]', 'now', 'drawn', 0, x'00')", rows)
        db.execute("INSERT INTO drawings (label, image, created_at, source, held_out, digest) "
                   "VALUES (4, ?, 'now', 'drawn', 9, x'00')", (bytes(784),))
    with MyDigits.open(tmp_path) as store:
        # Listed by what the index holds (label, held out); the pixels are checked when read.
        assert [d.id for d in store.drawings()] == [good + 3, good + 4, good]
        samples = store.samples()
        assert samples.labels.tolist() == [5]
        train, held_out = store.split()
        assert len(train.labels) + len(held_out.labels) == 1
        assert store.image(good + 3) is None  # the 10-byte image
        assert store.strokes(good + 1) is None  # strokes that are not numbers
        message = store.damaged_message()
        assert message.startswith(f"7 drawings in {store.path} are damaged (id 2, 3, 4, 5, 6, "
                                  "...) and left out")
    assert len(raw_rows(tmp_path)) == 8  # nothing was removed


# ---- the disk: full, read-only, locked ----------------------------------------------------


def test_a_full_disk_refuses_the_drawing_and_loses_nothing(tiny_disk):
    with MyDigits.open(tiny_disk) as store:
        kept = [store.add(drawing(i), i % 10).id for i in range(20)]
        fill_disk(tiny_disk)
        with pytest.raises(DataError, match="disk is full.*nothing already stored was lost"):
            for i in range(200):  # the file's last free page fills first
                store.add(drawing(100 + i), 1)
        with pytest.raises(DataError, match="disk is full"):
            store.add_samples(some_samples(50))
    (tiny_disk / "filler").unlink()
    with MyDigits.open(tiny_disk) as store:
        ids = [d.id for d in store.drawings()]
        assert set(kept) <= set(ids)
        store.add(drawing(999), 9)  # room again: it works


def test_a_read_only_folder_is_explained_and_nothing_is_lost(tiny_disk):
    with MyDigits.open(tiny_disk) as store:
        store.add_samples(some_samples(8))
    before = (tiny_disk / DB_FILE).read_bytes()
    remount = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True)
    assert remount.returncode == 0, remount.stderr
    try:
        with pytest.raises(DataError) as refused:
            with MyDigits.open(tiny_disk) as store:
                store.add(drawing(), 3)
        message = str(refused.value)
        assert str(tiny_disk / DB_FILE) in message and "cannot" in message
        assert "Traceback" not in message
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    assert (tiny_disk / DB_FILE).read_bytes() == before
    with MyDigits.open(tiny_disk) as store:
        assert store.count() == 8


def test_a_database_locked_by_another_program_is_explained(tmp_path, monkeypatch):
    monkeypatch.setattr(my_digits, "BUSY_TIMEOUT_S", 0.3)
    with MyDigits.open(tmp_path) as store:
        store.add(drawing(), 2)
        other = sqlite3.connect(tmp_path / DB_FILE, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # holds the write lock
        try:
            with pytest.raises(DataError, match=r"locked by another program \(waited 0.3 s\); "
                                                "try again"):
                store.add(drawing(1), 2)
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.add(drawing(1), 2)  # once it is free, it works
        assert store.count() == 2


# ---- processes -------------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    import numpy as np
    from digitpad.core.my_digits import MyDigits
    store = MyDigits.open(sys.argv[1])
    for i in range(int(sys.argv[2])):
        image = np.random.default_rng(int(sys.argv[3]) + i).random((28, 28))
        kept = store.add(image, i % 10, [[(1.0, 1.0), (float(i % 28), 5.0)]])
        print(kept.id, flush=True)  # the drawing is complete: stored and committed
""")


def test_every_drawing_completed_before_a_kill_9_is_there_afterwards(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), "100000", "0"],
                              stdout=subprocess.PIPE, text=True)
    done = []
    try:
        while len(done) < 40:
            done.append(int(writer.stdout.readline()))
    finally:
        writer.kill()  # SIGKILL: no clean-up of any kind
        writer.wait()
    with MyDigits.open(tmp_path) as store:
        stored = {d.id: d for d in store.drawings()}
        assert set(done) <= set(stored)
        for n, drawing_id in enumerate(done):
            expected = np.rint(np.random.default_rng(n).random((28, 28)) * 255).astype(np.uint8)
            np.testing.assert_array_equal(store.image(drawing_id), expected)


def test_the_app_and_two_imports_writing_at_once_lose_nothing(tmp_path):
    """A writer using the app's store API and two `digitpad samples import` processes."""
    data = tmp_path / "data"
    folders = []
    for n in range(2):
        from digitpad.core.samples import export_idx

        folder = tmp_path / f"import-{n}"
        export_idx(some_samples(150 + n, seed=10 + n), folder)
        folders.append(folder)
    env = dict(os.environ, DIGITPAD_DATA_DIR=str(data))
    app = subprocess.Popen([sys.executable, "-c", WRITER, str(data), "60", "1000"],
                           stdout=subprocess.PIPE, text=True, env=env)
    imports = [subprocess.Popen([sys.executable, "-m", "digitpad", "samples", "import",
                                 str(folder), "--json"], stdout=subprocess.PIPE, text=True,
                                env=env) for folder in folders]
    outputs = [p.communicate(timeout=120)[0] for p in imports]
    app.communicate(timeout=120)
    assert app.returncode == 0 and [p.returncode for p in imports] == [0, 0]
    assert sorted(json.loads(out)["added"] for out in outputs) == [150, 151]
    with MyDigits.open(data) as store:
        assert store.count() == 60 + 150 + 151
        assert [store.details(d.id).source for d in store.drawings()].count("drawn") == 60


def test_opening_never_waits_for_a_writer(tmp_path, monkeypatch):
    """The app opens my digits at start: another program writing must not hold it up."""
    import time

    monkeypatch.setattr(my_digits, "BUSY_TIMEOUT_S", 5.0)
    MyDigits.open(tmp_path).close()
    other = sqlite3.connect(tmp_path / DB_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # an import in progress holds the write lock
    try:
        started = time.perf_counter()
        with MyDigits.open(tmp_path, wait_s=0.2) as store:
            assert store.count() == 0  # reading goes on beside a writer (WAL)
            with pytest.raises(DataError, match=r"waited 0.2 s"):
                store.add(drawing(), 1)
        assert time.perf_counter() - started < 4.0  # not the 5 s a write would wait
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_an_old_npz_that_is_a_link_is_read_and_the_link_renamed_not_its_target(tmp_path):
    old = some_samples(7, seed=8)
    elsewhere = tmp_path / "elsewhere.npz"
    np.savez(elsewhere, images=old.images, labels=old.labels)
    before = elsewhere.read_bytes()
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "my-digits.npz").symlink_to(elsewhere)
    with MyDigits.open(folder) as store:
        np.testing.assert_array_equal(store.samples().images, old.images)
    assert (folder / "my-digits.npz.migrated").is_symlink()  # the link itself, renamed
    assert elsewhere.read_bytes() == before and not (folder / "my-digits.npz").exists()
