"""My digits: the person's own labelled drawings, kept in an SQLite database in the data folder.

    store = MyDigits.open(folder)       # folder/digitpad.sqlite, made or migrated as needed
    store.add(image, label, strokes)    # one drawing, one transaction
    train, held_out = store.split()     # Samples (uint8 images, labels): to learn, to measure

Why SQLite (Python's own sqlite3): the app and `digitpad samples import` may write at the same
time. Each drawing is its own transaction in a WAL journal, and a writer waits (busy timeout)
for the other instead of overwriting it, so nothing is lost; a drawing is on disk once add()
returns (synchronous=FULL), whatever happens to the process afterwards.

A row (table `drawings`, schema version SCHEMA_VERSION in PRAGMA user_version):
  id          INTEGER   increasing, never reused
  label       INTEGER   0-9
  held_out    INTEGER   1 if it is kept for measuring and never trained on: every fifth drawing
                        of each digit (the 3rd, 8th, 13th, ...), fixed when it is stored
  source      TEXT      drawn (in the app), imported (digitpad samples import), migrated (from
                        the old my-digits.npz)
  created_at  TEXT      ISO 8601, UTC, e.g. 2026-12-02T16:45:03.512Z
  deleted_at  TEXT      set when it is deleted: nothing is ever really removed, so a delete can
                        always be undone
  digest      BLOB      SHA-256 of the label byte and the image: an import skips the drawings
                        already kept, so running it twice adds nothing the second time
  image       BLOB      the 28×28 picture as the network saw it: 784 uint8 bytes, row by row,
                        0 paper, 255 ink (as in MNIST)
  strokes     TEXT      the pen's path, so the drawing can be drawn again: JSON
                        [[[x, y], ...], ...], one list per stroke, in canvas grid units
                        (0-28), three decimals; NULL for an imported picture

What is read back is checked like any file (label range, image size, strokes), and a row that
fails is left out and reported, never trusted. A file that is not a database is set aside
(renamed, never deleted) and a new one started; a database from a newer digitpad is refused and
left untouched. The old my-digits.npz is copied in once, checked drawing by drawing, and kept
(renamed to my-digits.npz.migrated).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from digitpad.core.errors import DataError
from digitpad.core.paths import aside_name, unused_name
from digitpad.core.samples import (
    DIGITS,
    MAX_DRAWINGS,
    SIZE,
    Samples,
    load_samples,
    samples_problem,
    too_many_message,
)

DB_FILE = "digitpad.sqlite"
LEGACY_FILE = "my-digits.npz"
SCHEMA_VERSION = 1
SOURCES = ("drawn", "imported", "migrated")

HELD_OUT_EVERY = 5
"""One drawing in five of each digit is held out for measuring (20%)."""
HELD_OUT_POSITION = 2
"""...the third of every five, so that three drawings of a digit already give one to measure."""

BUSY_TIMEOUT_S = 10.0
"""How long a writer waits for another one (the app and the CLI) before giving up."""
APP_TIMEOUT_S = 2.0
"""...in the app, whose window waits with it: a drawing not kept in time stays on the canvas."""

MAX_STROKES_CHARS = 1_000_000
"""Strokes longer than this (as JSON) are not kept: the drawing's image still is."""

_SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of the database file
_HEADER = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE drawings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    label      INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    held_out   INTEGER NOT NULL CHECK (held_out IN (0, 1)),
    source     TEXT    NOT NULL CHECK (source IN ('drawn', 'imported', 'migrated')),
    created_at TEXT    NOT NULL,
    deleted_at TEXT,
    digest     BLOB    NOT NULL,
    image      BLOB    NOT NULL CHECK (length(image) = 784),
    strokes    TEXT
) STRICT;
CREATE INDEX drawings_by_label ON drawings (label, id);
CREATE INDEX drawings_alive ON drawings (deleted_at, label, id, held_out);
CREATE INDEX drawings_by_digest ON drawings (digest);
"""
"""Schema version 1. Counting and listing the drawings read the index drawings_alive alone, never
the rows with their pixels and strokes (with 10,000 drawings: a few ms, not a few hundred); the
large columns come last in a row for the same reason."""

MIGRATIONS: dict[int, str] = {0: _SCHEMA}
"""MIGRATIONS[v] takes a database at user_version v to v + 1."""


@dataclass(frozen=True)
class Drawing:
    """One stored drawing, as listed: image(), strokes() and details() fetch the rest."""

    id: int
    label: int
    held_out: bool


@dataclass(frozen=True)
class Details:
    """Where a drawing came from and when, and whether its strokes were kept."""

    source: str
    created_at: str
    has_strokes: bool


class NewerStoreError(DataError):
    """The database was written by a newer digitpad, whose schema this one does not know."""


class MyDigits:
    """The collection of my digits in one SQLite database. Use MyDigits.open(folder)."""

    def __init__(self, path: Path, connection: sqlite3.Connection, wait_s: float) -> None:
        self.path = path
        self._db = connection
        self.wait_s = wait_s  # how long a write waits for another writer
        self.notices: list[str] = []
        """What happened while opening that the person should be told once: a damaged
        database set aside, an old my-digits.npz migrated."""
        self.damaged_ids: set[int] = set()
        """Rows that failed the checks when read: left out of everything, and left alone."""

    # ---- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: str | Path, wait_s: float | None = None) -> MyDigits:
        """The collection in `folder` (created, brought up to date or migrated as needed).

        wait_s: how long a write waits for another program's (BUSY_TIMEOUT_S if None).

        Raises DataError, changing nothing, when it cannot be used: the folder is a file or
        cannot be created, the database is a symbolic link, is locked for too long, or was
        made by a newer digitpad (NewerStoreError).
        """
        folder = Path(folder)
        _check_folder(folder)
        path = folder / DB_FILE
        _check_not_linked(path)
        notices = []
        problem = _unreadable_reason(path)
        if problem is None:
            store = _try_connect(path, wait_s)
            if isinstance(store, str):
                problem = store
        if problem is not None:
            aside = _set_aside(path)
            notices.append(f"my digits in {path} could not be read ({problem}): it was set "
                           f"aside as {aside.name} and a new, empty collection started")
            store = _try_connect(path, wait_s)
            if isinstance(store, str):
                raise DataError(f"cannot start my digits in {path}: {store}")
        store.notices = notices
        store._migrate_legacy(folder / LEGACY_FILE)
        return store

    @classmethod
    def attach(cls, folder: str | Path, wait_s: float | None = None) -> MyDigits:
        """Another connection to the collection in `folder` as it is (a watching thread's):
        nothing is created, migrated or set aside, as open() does and says. DataError,
        changing nothing, if there is none yet or it cannot be used now."""
        path = Path(folder) / DB_FILE
        _check_not_linked(path)
        if not path.is_file():
            raise DataError(f"there are no drawings in {path} yet")
        problem = _unreadable_reason(path)
        store = problem if problem is not None else _try_connect(path, wait_s)
        if isinstance(store, str):
            raise DataError(f"my digits in {path} cannot be read now: {store}")
        store.notices = []
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MyDigits:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- writing ------------------------------------------------------------------------

    def add(self, image: np.ndarray, label: int, strokes: Sequence | None = None,
            source: str = "drawn") -> Drawing:
        """Keep one drawing; it is on disk when this returns.

        image: (28, 28) uint8 0-255, or floats in [0, 1] with ink 1 (what preprocess.to_mnist
        returns), stored as uint8. strokes: the canvas's strokes, lists of (x, y) grid points.
        """
        pixels = as_pixels(image)
        label = _check_label(label)
        if source not in SOURCES:
            raise ValueError(f"a drawing's source is one of {SOURCES}, not {source!r}")
        encoded = encode_strokes(strokes) if strokes else None
        with self._writing("keep the drawing") as db:
            held_out = _held_out(_count_of(db, label))
            created = _now()
            cursor = db.execute(
                "INSERT INTO drawings "
                "(label, image, strokes, created_at, source, held_out, digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (label, pixels.tobytes(), encoded, created, source, int(held_out),
                 _digest(label, pixels.tobytes())))
        return Drawing(cursor.lastrowid, label, held_out)

    def add_samples(self, samples: Samples, source: str = "imported",
                    created_at: str | None = None) -> int:
        """Keep many drawings in one transaction (all or none); return how many were added.

        Drawings already kept (the same label and pixels, not deleted) are skipped, so running
        an import twice adds nothing the second time. Raises DataError, adding nothing, if the
        collection would grow beyond MAX_DRAWINGS.
        """
        problem = samples_problem(samples)
        if problem:
            raise ValueError(f"not a valid collection of drawings: it {problem}")
        if source not in SOURCES:
            raise ValueError(f"a drawing's source is one of {SOURCES}, not {source!r}")
        new = [(label, image.tobytes()) for image, label
               in zip(samples.images, samples.labels.tolist())]
        with self._writing("add the drawings") as db:
            kept = {row[0] for row in db.execute(
                "SELECT digest FROM drawings WHERE deleted_at IS NULL")}
            new = [(label, pixels, digest) for label, pixels in new
                   if (digest := _digest(label, pixels)) not in kept]
            self._check_room(db, len(new))
            counts = dict(db.execute("SELECT label, count(*) FROM drawings GROUP BY label"))
            created = created_at or _now()
            rows = []
            for label, pixels, digest in new:
                n = counts.get(label, 0)
                counts[label] = n + 1
                rows.append((label, pixels, created, source, int(_held_out(n)), digest))
            db.executemany(
                "INSERT INTO drawings (label, image, created_at, source, held_out, digest) "
                "VALUES (?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def delete(self, ids: Iterable[int]) -> None:
        """Delete these drawings: they are only marked, so undelete() brings them back."""
        self._update("delete the drawings", "UPDATE drawings SET deleted_at = ? WHERE id = ?",
                     [(_now(), i) for i in ids])

    def undelete(self, ids: Iterable[int]) -> None:
        """Bring deleted drawings back."""
        self._update("bring the drawings back",
                     "UPDATE drawings SET deleted_at = NULL WHERE id = ?", [(i,) for i in ids])

    def relabel(self, labels: Mapping[int, int]) -> dict[int, int]:
        """Give drawings new labels, {id: label}; return their labels before, for an undo."""
        labels = {int(i): _check_label(v) for i, v in labels.items()}
        with self._writing("change the labels") as db:
            before = {i: v for i, v in self._labels_of(db, labels)}
            db.executemany("UPDATE drawings SET label = ? WHERE id = ?",
                           [(v, i) for i, v in labels.items()])
        return before

    def room(self) -> int:
        """How many more drawings the collection takes (MAX_DRAWINGS in all)."""
        return max(0, MAX_DRAWINGS - self.count())

    # ---- reading ------------------------------------------------------------------------

    def count(self) -> int:
        """How many drawings there are (deleted ones not counted)."""
        return sum(self.per_digit())

    def per_digit(self, held_out_only: bool = False) -> list[int]:
        """How many drawings there are of each digit (held out ones only, if asked): 10 counts."""
        counts = [0] * DIGITS
        for label, n in self._read(
                "SELECT label, count(*) FROM drawings WHERE deleted_at IS NULL "
                f"{'AND held_out = 1' if held_out_only else ''} GROUP BY label"):
            if _is_label(label):
                counts[label] = n
        return counts

    def drawings(self) -> list[Drawing]:
        """Every drawing (not deleted), by digit and then in the order they were kept."""
        result = []
        for drawing_id, label, held_out in self._read(
                "SELECT id, label, held_out FROM drawings WHERE deleted_at IS NULL "
                "ORDER BY label, id"):
            if _is_label(label) and type(held_out) is int and held_out in (0, 1):
                result.append(Drawing(drawing_id, label, bool(held_out)))
            else:
                self.damaged_ids.add(drawing_id)
        return result

    def details(self, drawing_id: int) -> Details | None:
        """Where the drawing came from, when, and whether its strokes were kept; None if there
        is no such (valid) drawing."""
        rows = self._read("SELECT source, created_at, typeof(strokes) = 'text' FROM drawings "
                          "WHERE id = ?", (drawing_id,))
        if not rows:
            return None
        source, created_at, has_strokes = rows[0]
        if source not in SOURCES or not isinstance(created_at, str):
            self.damaged_ids.add(drawing_id)
            return None
        return Details(source, created_at, bool(has_strokes))

    def image(self, drawing_id: int) -> np.ndarray | None:
        """The drawing's 28×28 uint8 image; None if there is no such (valid) drawing."""
        rows = self._read("SELECT image FROM drawings WHERE id = ?", (drawing_id,))
        pixels = _pixels(rows[0][0]) if rows else None
        if rows and pixels is None:
            self.damaged_ids.add(drawing_id)
        return pixels

    def strokes(self, drawing_id: int) -> list[list[tuple[float, float]]] | None:
        """The drawing's strokes as kept, or None (an imported picture, or strokes unusable)."""
        rows = self._read("SELECT strokes FROM drawings WHERE id = ?", (drawing_id,))
        return decode_strokes(rows[0][0]) if rows else None

    def samples(self) -> Samples:
        """All drawings (not deleted) as arrays, in the order they were kept."""
        return self._samples("")

    def split(self) -> tuple[Samples, Samples]:
        """(the drawings to train on, the held-out ones to measure with): never overlapping."""
        return self._samples("AND held_out = 0"), self._samples("AND held_out = 1")

    def data_version(self) -> int:
        """A number that changes whenever another connection (the CLI, another window) has
        committed a change: cheap enough to ask a few times a second."""
        return self._read("PRAGMA data_version")[0][0]

    def damaged_message(self) -> str | None:
        """One sentence about the rows that failed their checks so far, or None."""
        if not self.damaged_ids:
            return None
        ids = sorted(self.damaged_ids)
        shown = ", ".join(map(str, ids[:5])) + (", ..." if len(ids) > 5 else "")
        return (f"{len(ids)} drawing{'s' if len(ids) > 1 else ''} in {self.path} "
                f"{'are' if len(ids) > 1 else 'is'} damaged (id {shown}) and left out; "
                "they are kept in the file as they are")

    # ---- inside -------------------------------------------------------------------------

    def _samples(self, condition: str) -> Samples:
        images, labels = [], []
        for drawing_id, label, blob, held_out in self._read(
                f"SELECT id, label, image, held_out FROM drawings WHERE deleted_at IS NULL "
                f"{condition} ORDER BY id"):
            pixels = _pixels(blob)
            if pixels is None or not _is_label(label) or held_out not in (0, 1):
                self.damaged_ids.add(drawing_id)
                continue
            images.append(pixels)
            labels.append(label)
        if not images:
            return Samples(np.zeros((0, SIZE, SIZE), np.uint8), np.zeros(0, np.uint8))
        return Samples(np.stack(images), np.array(labels, np.uint8))

    def _read(self, sql: str, parameters: Sequence = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as e:
            raise _error(self.path, "read my digits", e, self.wait_s) from None

    @contextlib.contextmanager
    def _writing(self, what: str) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is stored, or none of it (and DataError says why)."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")  # take the write lock now, waiting for other writers
        except sqlite3.Error as e:
            raise _error(self.path, what, e, self.wait_s) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise _error(self.path, what, e, self.wait_s) from None
            raise

    def _update(self, what: str, sql: str, rows: list[tuple]) -> None:
        with self._writing(what) as db:
            db.executemany(sql, rows)

    def _labels_of(self, db: sqlite3.Connection, ids: Iterable[int]) -> Iterator[tuple[int, int]]:
        for i in ids:
            row = db.execute("SELECT label FROM drawings WHERE id = ?", (i,)).fetchone()
            if row is not None and _is_label(row[0]):
                yield i, row[0]

    def _check_room(self, db: sqlite3.Connection, adding: int) -> None:
        (present,) = db.execute(
            "SELECT count(*) FROM drawings WHERE deleted_at IS NULL").fetchone()
        if present + adding > MAX_DRAWINGS:
            raise DataError(too_many_message("adding", adding, max(0, MAX_DRAWINGS - present)))

    def _migrate_legacy(self, legacy: Path) -> None:
        """Copy the drawings of an old my-digits.npz in, once, and keep the file, renamed."""
        if not os.path.lexists(legacy):
            return
        try:
            with open(legacy, "rb"):
                made = datetime.fromtimestamp(legacy.stat().st_mtime, timezone.utc)
        except OSError as e:  # not damaged, only unreadable: leave it for its owner to fix
            self.notices.append(f"cannot read the old my-digits file {legacy} "
                                f"({e.strerror or e}); its drawings are not in {self.path} yet")
            return
        try:
            old = load_samples(legacy)  # checks every drawing: shapes, types, labels
        except DataError as e:
            aside = unused_name(legacy.with_name(f"{legacy.name}.damaged"))
            try:
                os.rename(legacy, aside)
            except OSError as error:
                self.notices.append(f"{e}; it could not be set aside ({error.strerror}), so "
                                    "digitpad leaves it where it is")
                return
            self.notices.append(f"{e}: it was set aside as {aside.name}, and my digits start "
                                f"anew in {self.path.name}")
            return
        # A drawing already here (migrated before, but the file not yet renamed) is skipped.
        added = self.add_samples(old, source="migrated", created_at=_iso(made))
        kept = unused_name(legacy.with_name(legacy.name + ".migrated"))
        try:
            os.rename(legacy, kept)
        except FileNotFoundError:  # another process was quicker
            return
        except OSError as e:
            kept = legacy
            self.notices.append(f"{legacy.name} could not be renamed ({e.strerror}): "
                                "digitpad leaves it as it is")
        self.notices.append(f"{added:,} drawings from {legacy.name} were moved into "
                            f"{self.path.name}; the old file is kept as {kept.name}")


def is_started(folder: str | Path) -> bool:
    """Whether there is anything to open in `folder` (a database, an old my-digits.npz, or a
    problem to report): if not, there are no drawings yet and nothing needs creating."""
    folder = Path(folder)
    return (os.path.lexists(folder / DB_FILE) or os.path.lexists(folder / LEGACY_FILE)
            or (os.path.lexists(folder) and not folder.is_dir()))


# ---- helpers: pixels, labels, strokes ----------------------------------------------------


def as_pixels(image: np.ndarray) -> np.ndarray:
    """A 28×28 drawing as stored: uint8 0-255 (floats in [0, 1] are scaled and rounded)."""
    image = np.asarray(image)
    if image.shape != (SIZE, SIZE):
        raise ValueError(f"a drawing is a {SIZE}x{SIZE} image, not {image.shape}")
    if image.dtype == np.uint8:
        return np.ascontiguousarray(image)
    pixels = image.astype(np.float64)
    if not np.isfinite(pixels).all():
        raise ValueError("a drawing's pixels must be finite numbers")
    return np.rint(np.clip(pixels, 0.0, 1.0) * 255).astype(np.uint8)


def encode_strokes(strokes: Sequence) -> str | None:
    """Strokes as the JSON kept in the database (three decimals); None if unusable."""
    try:
        data = [[[round(float(x), 3), round(float(y), 3)] for x, y in stroke]
                for stroke in strokes]
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for stroke in data for point in stroke for v in point):
        return None
    text = json.dumps(data, separators=(",", ":"))
    return text if len(text) <= MAX_STROKES_CHARS else None


def decode_strokes(text: object) -> list[list[tuple[float, float]]] | None:
    """The strokes kept as JSON, checked (lists of finite [x, y] pairs); None if not usable."""
    if not isinstance(text, str) or len(text) > MAX_STROKES_CHARS:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    strokes = []
    for stroke in data:
        if not isinstance(stroke, list):
            return None
        points = []
        for point in stroke:
            if (not isinstance(point, list) or len(point) != 2
                    or not all(type(v) in (int, float) and math.isfinite(v) for v in point)):
                return None
            points.append((float(point[0]), float(point[1])))
        strokes.append(points)
    return strokes


def _digest(label: int, pixels: bytes) -> bytes:
    """A drawing's fingerprint: the same label and pixels give the same 32 bytes."""
    return hashlib.sha256(bytes([label]) + pixels).digest()


def _check_label(label: object) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) \
            or not 0 <= label < DIGITS:
        raise ValueError(f"a label is a digit 0-9, not {label!r}")
    return int(label)


def _is_label(value: object) -> bool:
    return type(value) is int and 0 <= value < DIGITS


def _pixels(blob: object) -> np.ndarray | None:
    if not isinstance(blob, bytes) or len(blob) != SIZE * SIZE:
        return None
    return np.frombuffer(blob, np.uint8).reshape(SIZE, SIZE)


def _held_out(position: int) -> bool:
    """Whether the drawing that is number `position` (from 0) of its digit is held out."""
    return position % HELD_OUT_EVERY == HELD_OUT_POSITION


def _count_of(db: sqlite3.Connection, label: int) -> int:
    """How many drawings of `label` were ever kept (deleted ones too: positions stay fixed)."""
    return db.execute("SELECT count(*) FROM drawings WHERE label = ?", (label,)).fetchone()[0]


def _now() -> str:
    return _iso(datetime.now(timezone.utc))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# ---- helpers: the database file ---------------------------------------------------------


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise DataError(f"cannot open my digits: the data folder {folder} is a file, "
                        "not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataError(f"cannot open my digits: cannot create the folder {folder}: "
                        f"{e.strerror or e}") from None


def _check_not_linked(path: Path) -> None:
    """Refuse a database (or one of SQLite's side files) that is a link or not a file: SQLite
    would write through it, outside the data folder."""
    for name in (path, *(Path(f"{path}{suffix}") for suffix in _SIDE_FILES)):
        try:
            mode = os.lstat(name).st_mode
        except FileNotFoundError:
            continue
        except OSError as e:
            raise DataError(f"cannot open my digits: {name}: {e.strerror or e}") from None
        if stat.S_ISLNK(mode):
            raise DataError(
                f"{name} is a symbolic link: digitpad does not write my digits through a link, "
                "so as never to change a file outside its data folder; it left the link as it is "
                "(replace it with the file it points to, or move it away)")
        if not stat.S_ISREG(mode):
            raise DataError(f"{name} is not a regular file: digitpad left it as it is (move it "
                            "away to start a new collection)")


def _unreadable_reason(path: Path) -> str | None:
    """Why the file at `path` is not a database (to be set aside), or None."""
    try:
        with open(path, "rb") as f:
            header = f.read(len(_HEADER))
    except FileNotFoundError:
        return None
    except OSError as e:
        raise DataError(f"cannot read my digits in {path}: {e.strerror or e}") from None
    if header and header != _HEADER:
        return "it is not an SQLite database"
    return None


class _Busy(Exception):
    def __init__(self, error: sqlite3.Error) -> None:
        super().__init__(str(error))
        self.error = error


def _try_connect(path: Path, wait_s: float | None) -> MyDigits | str:
    """The store at `path`, ready to use; or, for a damaged database, why it is damaged.

    Raises DataError for problems that are not damage (locked, read-only, a newer schema).
    Some of SQLite's "busy" answers while another program creates the database or switches it
    to WAL come back at once, not after the busy timeout: opening tries again until wait_s
    has passed.
    """
    wait_s = BUSY_TIMEOUT_S if wait_s is None else wait_s
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return _connect_once(path, wait_s)
        except _Busy as busy:
            if time.monotonic() >= deadline:
                raise _error(path, "open my digits", busy.error, wait_s) from None
            time.sleep(0.05)


def _connect_once(path: Path, wait_s: float) -> MyDigits | str:
    try:
        db = sqlite3.connect(path, timeout=wait_s, isolation_level=None)
    except sqlite3.Error as e:
        raise _error(path, "open my digits", e, wait_s) from None
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise NewerStoreError(
                f"my digits in {path} were saved by a newer digitpad (schema version {version}; "
                f"this one knows up to {SCHEMA_VERSION}): it is left untouched; update digitpad "
                "to use it")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")  # a drawing is on disk when add() returns
        _upgrade(db, path)
        (check,) = db.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            db.close()
            return f"the database is damaged: {check}"
        problem = _schema_problem(db)
        if problem:
            db.close()
            return problem
    except DataError:
        db.close()
        raise
    except sqlite3.Error as e:
        db.close()
        if _is_damage(e):
            return f"{e}"
        if _is_busy(e):
            raise _Busy(e) from None
        raise _error(path, "open my digits", e, wait_s) from None
    return MyDigits(path, db, wait_s)


def _schema_problem(db: sqlite3.Connection) -> str | None:
    """Why the tables are not the ones this schema version has (a hostile or foreign file)."""
    try:
        db.execute("SELECT id, label, image, strokes, created_at, source, held_out, deleted_at, "
                   "digest FROM drawings LIMIT 0")
    except sqlite3.OperationalError as e:
        return f"its tables are not digitpad's ({e})"
    return None


def _upgrade(db: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION, one migration per transaction."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return  # up to date: no write lock taken, so opening never waits for a writer
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            (version,) = db.execute("PRAGMA user_version").fetchone()  # another process may
            if version >= SCHEMA_VERSION:  # have migrated while we waited for the lock
                db.execute("COMMIT")
                return
            if version == 0 and db.execute(
                    "SELECT count(*) FROM sqlite_schema").fetchone()[0]:
                raise sqlite3.DatabaseError("it holds tables that are not digitpad's")
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise


def _is_damage(e: sqlite3.Error) -> bool:
    name = getattr(e, "sqlite_errorname", "")
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError)
        and not name)


def _is_busy(e: sqlite3.Error) -> bool:
    return getattr(e, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _error(path: Path, what: str, e: sqlite3.Error, wait_s: float) -> DataError:
    """A sentence for what went wrong in SQLite, naming the file."""
    name = getattr(e, "sqlite_errorname", "")
    if _is_busy(e):
        reason = (f"the database is locked by another program (waited {wait_s:g} s); "
                  "try again in a moment")
    elif name.startswith("SQLITE_FULL"):
        reason = "the disk is full; free some space and try again"
    elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        reason = f"it cannot be written or opened here ({e}); check the folder's permissions"
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        reason = f"the database is damaged ({e}); digitpad will set it aside when it next starts"
    elif name.startswith("SQLITE_IOERR"):
        reason = f"the disk reported an error ({e})"
    else:
        reason = str(e)
    return DataError(f"cannot {what} ({path}): {reason}; nothing already stored was lost")


def _set_aside(path: Path) -> Path:
    """Rename the damaged database (and its side files) out of the way; never delete them."""
    aside = aside_name(path, "damaged")
    try:
        for suffix in _SIDE_FILES:
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.rename(side, Path(f"{aside}{suffix}"))
        os.rename(path, aside)
    except OSError as e:
        raise DataError(f"my digits in {path} are damaged, and could not be set aside: "
                        f"{e.strerror or e}") from None
    return aside
