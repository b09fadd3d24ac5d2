"""Labelled drawings as files: the old my-digits.npz, read safely, and the IDX pair."""

import gzip
import io
import pathlib
import pickle

import numpy as np
import pytest

from digitpad.core.errors import DataError
from digitpad.core.idx import read_idx, write_idx
from digitpad.core.my_digits import MyDigits
from digitpad.core.samples import (
    IMAGES_FILE,
    LABELS_FILE,
    Samples,
    export_idx,
    load_samples,
    per_digit,
    read_idx_pair,
)


def some_samples(n: int = 5, seed: int = 0) -> Samples:
    rng = np.random.default_rng(seed)
    return Samples(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
                   rng.integers(0, 10, n).astype(np.uint8))


def write_npz(path: pathlib.Path, **arrays) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def refused(path: pathlib.Path, *words: str) -> str:
    """The old my-digits.npz at `path` is refused with a DataError naming it and the words;
    opening my digits then sets it aside, unchanged, and starts an empty collection."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(DataError) as loading:
        load_samples(path)
    message = str(loading.value)
    assert str(path) in message
    for word in words:
        assert word in message
    with MyDigits.open(path.parent) as store:
        assert store.count() == 0
        assert len(store.notices) == 1 and message in store.notices[0]
        assert "set aside as my-digits.npz.damaged" in store.notices[0]
    aside = path.with_name("my-digits.npz.damaged")
    assert not path.exists() and aside.exists()
    if before is not None:
        assert aside.read_bytes() == before  # the user's file was kept as it was
    return message


def test_a_missing_file_is_an_empty_collection(tmp_path):
    samples = load_samples(tmp_path / "my-digits.npz")
    assert samples.images.shape == (0, 28, 28) and samples.images.dtype == np.uint8
    assert samples.labels.shape == (0,) and samples.labels.dtype == np.uint8
    assert per_digit(samples.labels) == [0] * 10
    assert not (tmp_path / "my-digits.npz").exists()


def test_per_digit_counts_every_digit():
    assert per_digit(np.array([0, 9, 9, 4], np.uint8)) == [1, 0, 0, 0, 1, 0, 0, 0, 0, 2]
    with pytest.raises(ValueError):
        per_digit(np.array([10]))


# ---- a damaged old my-digits.npz is explained and never overwritten -----------------------


def test_random_bytes(tmp_path):
    path = tmp_path / "my-digits.npz"
    path.write_bytes(np.random.default_rng(0).bytes(3000))
    refused(path, "not an .npz archive")


def test_truncated_file(tmp_path):
    path = tmp_path / "my-digits.npz"
    write_npz(path, **some_samples(50)._asdict())
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    refused(path, "truncated")


def test_a_folder_in_its_place(tmp_path):
    path = tmp_path / "my-digits.npz"
    path.mkdir()
    with pytest.raises(DataError, match="is not a file"):
        load_samples(path)
    with MyDigits.open(tmp_path) as store:  # not damaged, only unusable: left where it is
        assert store.count() == 0
        assert store.notices == [f"cannot read the old my-digits file {path} (Is a directory); "
                                 f"its drawings are not in {store.path} yet"]
    assert path.is_dir()


class MakesAMarker:
    """Unpickling this runs code: it creates the marker file."""

    def __init__(self, marker):
        self.marker = pathlib.Path(marker)

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def test_pickled_objects_are_never_unpickled(tmp_path):
    marker = tmp_path / "pickle-ran"
    pickle.loads(pickle.dumps(MakesAMarker(marker)))  # the payload does run code...
    assert marker.exists()
    marker.unlink()
    evil = np.empty(1, dtype=object)
    evil[0] = MakesAMarker(marker)
    path = tmp_path / "my-digits.npz"
    write_npz(path, images=np.zeros((1, 28, 28), np.uint8), labels=evil)
    refused(path, "pickled")
    assert not marker.exists()  # ...but nothing unpickled it


BAD_ARRAYS = {
    "images not 28x28": (dict(images=np.zeros((2, 5, 5), np.uint8),
                              labels=np.zeros(2, np.uint8)), "5x5"),
    "float images": (dict(images=np.zeros((2, 28, 28), np.float32),
                          labels=np.zeros(2, np.uint8)), "float32"),
    "labels out of range": (dict(images=np.zeros((2, 28, 28), np.uint8),
                                 labels=np.array([3, 12], np.uint8)), "label 12"),
    "count mismatch": (dict(images=np.zeros((3, 28, 28), np.uint8),
                            labels=np.zeros(4, np.uint8)), "3 images but 4 labels"),
    "labels missing": (dict(images=np.zeros((3, 28, 28), np.uint8)), "'labels'"),
    "labels not a list": (dict(images=np.zeros((2, 28, 28), np.uint8),
                               labels=np.zeros((2, 1), np.uint8)), "2x1"),
}


@pytest.mark.parametrize("arrays,words", BAD_ARRAYS.values(), ids=BAD_ARRAYS.keys())
def test_malformed_arrays(tmp_path, arrays, words):
    path = tmp_path / "my-digits.npz"
    write_npz(path, **arrays)
    refused(path, words)


# ---- IDX export and import -----------------------------------------------------------------


def test_export_writes_a_standard_uncompressed_idx_pair(tmp_path):
    samples = some_samples(7)
    images_path, labels_path = export_idx(samples, tmp_path / "out" / "deeper")
    assert (images_path.name, labels_path.name) == (IMAGES_FILE, LABELS_FILE)
    # Plain IDX as MNIST tools expect it: magic 00 00 08 ndim, big-endian sizes, then pixels.
    raw = images_path.read_bytes()
    assert raw[:16] == bytes([0, 0, 8, 3, 0, 0, 0, 7, 0, 0, 0, 28, 0, 0, 0, 28])
    assert len(raw) == 16 + 7 * 28 * 28
    assert labels_path.read_bytes() == bytes([0, 0, 8, 1, 0, 0, 0, 7]) + samples.labels.tobytes()
    np.testing.assert_array_equal(read_idx(images_path), samples.images)
    np.testing.assert_array_equal(read_idx(labels_path), samples.labels)

    again = read_idx_pair(images_path.parent)
    np.testing.assert_array_equal(again.images, samples.images)
    np.testing.assert_array_equal(again.labels, samples.labels)


def test_export_to_a_file_is_refused(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(DataError, match="is a file, not a folder"):
        export_idx(some_samples(), target)
    with pytest.raises(DataError, match="cannot export"):
        export_idx(some_samples(), target / "below")


def test_import_reads_gzipped_pairs(tmp_path):
    incoming = some_samples(4, seed=3)
    folder = tmp_path / "shared"
    folder.mkdir()
    write_idx(folder / f"{IMAGES_FILE}.gz", incoming.images, gzip=True)
    write_idx(folder / f"{LABELS_FILE}.gz", incoming.labels, gzip=True)
    loaded = read_idx_pair(folder)
    np.testing.assert_array_equal(loaded.images, incoming.images)
    np.testing.assert_array_equal(loaded.labels, incoming.labels)


def test_a_pair_larger_than_allowed_is_refused_from_its_labels(tmp_path):
    folder = write_pair(tmp_path / "pair", *some_samples(5))
    (folder / IMAGES_FILE).write_bytes(b"not even read")
    with pytest.raises(DataError, match=r"holds 5 drawings, but my digits has room for 4 more"):
        read_idx_pair(folder, at_most=4)


def write_pair(folder: pathlib.Path, images: np.ndarray, labels: np.ndarray) -> pathlib.Path:
    folder.mkdir(exist_ok=True)
    write_idx(folder / IMAGES_FILE, images)
    write_idx(folder / LABELS_FILE, labels)
    return folder


def test_import_from_nowhere(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        read_idx_pair(tmp_path / "nowhere")
    (tmp_path / "a file").write_text("x")
    with pytest.raises(DataError, match="is not a folder"):
        read_idx_pair(tmp_path / "a file")


def test_import_with_a_file_missing(tmp_path):
    folder = tmp_path / "half"
    folder.mkdir()
    write_idx(folder / IMAGES_FILE, some_samples().images)
    with pytest.raises(DataError, match=f"{LABELS_FILE} .or {LABELS_FILE}.gz. is missing"):
        read_idx_pair(folder)


BAD_PAIRS = {
    "count mismatch": ((3, 28, 28), 4, "holds 3 images but"),
    "images not 28x28": ((3, 28, 20), 3, "does not hold 28x28 images"),
    "no images": ((0, 28, 28), 0, "holds no images"),
}


@pytest.mark.parametrize("shape,n_labels,message", BAD_PAIRS.values(), ids=BAD_PAIRS.keys())
def test_import_of_a_malformed_pair(tmp_path, shape, n_labels, message):
    folder = write_pair(tmp_path / "pair", np.zeros(shape, np.uint8), np.zeros(n_labels, np.uint8))
    with pytest.raises(DataError, match=message):
        read_idx_pair(folder)


def test_import_with_labels_out_of_range(tmp_path):
    folder = write_pair(tmp_path / "pair", np.zeros((2, 28, 28), np.uint8),
                        np.array([1, 200], np.uint8))
    with pytest.raises(DataError, match="label 200 at position 1"):
        read_idx_pair(folder)


def test_import_with_wrong_magic_or_truncated_data(tmp_path):
    folder = write_pair(tmp_path / "pair", *some_samples(3))
    images = folder / IMAGES_FILE
    good = images.read_bytes()
    images.write_bytes(b"\x12\x34" + good[2:])
    with pytest.raises(DataError, match="not an IDX file"):
        read_idx_pair(folder)
    images.write_bytes(good[:-10])
    with pytest.raises(DataError, match="truncated"):
        read_idx_pair(folder)
    images.write_bytes(gzip.compress(good)[:-20])
    with pytest.raises(DataError, match="truncated|gzip"):
        read_idx_pair(folder)
