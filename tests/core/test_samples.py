"""My digits: the user's own drawings kept safely, exported and imported as standard IDX."""

import gzip
import io
import pathlib
import pickle
import zipfile

import numpy as np
import pytest

from digitpad.core.errors import DataError
from digitpad.core.idx import read_idx, write_idx
from digitpad.core.samples import (
    IMAGES_FILE,
    LABELS_FILE,
    Samples,
    add_sample,
    add_samples,
    export_idx,
    load_samples,
    per_digit,
    read_idx_pair,
    save_samples,
)


def drawing(seed: int = 0) -> np.ndarray:
    """A 28x28 float image in [0, 1], as preprocess.to_mnist makes them."""
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def some_samples(n: int = 5, seed: int = 0) -> Samples:
    rng = np.random.default_rng(seed)
    return Samples(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
                   rng.integers(0, 10, n).astype(np.uint8))


def write_npz(path: pathlib.Path, **arrays) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def refused(path: pathlib.Path, *words: str) -> str:
    """Loading `path` fails with a DataError naming it and the words; adding changes nothing."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(DataError) as loading:
        load_samples(path)
    message = str(loading.value)
    assert str(path) in message and "move it elsewhere" in message
    for word in words:
        assert word in message
    with pytest.raises(DataError, match="nothing was added to my digits"):
        add_sample(path, drawing(), 3)
    if before is not None:
        assert path.read_bytes() == before  # the user's file was not overwritten
    return message


# ---- keeping drawings ----------------------------------------------------------------------


def test_a_missing_file_is_an_empty_collection(tmp_path):
    samples = load_samples(tmp_path / "my-digits.npz")
    assert samples.images.shape == (0, 28, 28) and samples.images.dtype == np.uint8
    assert samples.labels.shape == (0,) and samples.labels.dtype == np.uint8
    assert per_digit(samples.labels) == [0] * 10
    assert not (tmp_path / "my-digits.npz").exists()


def test_drawings_are_kept_as_uint8_pixels_with_their_labels(tmp_path):
    path = tmp_path / "new folder" / "my-digits.npz"  # the folder is created
    first, second = drawing(1), drawing(2)
    first[0, 0], first[0, 1], first[0, 2] = 0.0, 1.0, 0.5
    after_one = add_sample(path, first, 3)
    after_two = add_sample(path, second, 8)

    assert len(after_one.labels) == 1 and len(after_two.labels) == 2
    loaded = load_samples(path)
    assert loaded.images.dtype == np.uint8 and loaded.labels.dtype == np.uint8
    assert loaded.labels.tolist() == [3, 8]
    np.testing.assert_array_equal(loaded.images[0], np.rint(first * 255).astype(np.uint8))
    np.testing.assert_array_equal(loaded.images[1], np.rint(second * 255).astype(np.uint8))
    assert loaded.images[0, 0, :3].tolist() == [0, 255, 128]
    np.testing.assert_array_equal(loaded.images, after_two.images)
    assert per_digit(loaded.labels) == [0, 0, 0, 1, 0, 0, 0, 0, 1, 0]


def test_saving_leaves_no_temporary_files_and_no_pickles(tmp_path):
    path = tmp_path / "my-digits.npz"
    for i in range(3):
        add_sample(path, drawing(i), i)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-digits.npz"]
    with np.load(path, allow_pickle=False) as npz:  # plain arrays: readable without pickle
        assert sorted(npz.files) == ["images", "labels"]


@pytest.mark.parametrize("image,label", [
    (np.zeros((27, 28)), 3),
    (np.full((28, 28), np.nan), 3),
    (np.zeros((28, 28)), 10),
    (np.zeros((28, 28)), -1),
    (np.zeros((28, 28)), 2.5),
], ids=["not 28x28", "NaN pixels", "label 10", "label -1", "label 2.5"])
def test_impossible_drawings_are_refused_and_nothing_is_written(tmp_path, image, label):
    path = tmp_path / "my-digits.npz"
    with pytest.raises(ValueError):
        add_sample(path, image, label)
    assert not path.exists()


def test_a_store_that_cannot_be_written_says_why(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with pytest.raises(DataError, match="cannot save my digits"):
        add_sample(blocker / "my-digits.npz", drawing(), 1)


def test_per_digit_counts_every_digit():
    assert per_digit(np.array([0, 9, 9, 4], np.uint8)) == [1, 0, 0, 0, 1, 0, 0, 0, 0, 2]
    with pytest.raises(ValueError):
        per_digit(np.array([10]))


# ---- a damaged file is explained and never overwritten -------------------------------------


def test_random_bytes(tmp_path):
    path = tmp_path / "my-digits.npz"
    path.write_bytes(np.random.default_rng(0).bytes(3000))
    refused(path, "not an .npz archive")


def test_truncated_file(tmp_path):
    path = tmp_path / "my-digits.npz"
    save_samples(path, some_samples(50))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    refused(path, "truncated")


def test_a_folder_in_its_place(tmp_path):
    path = tmp_path / "my-digits.npz"
    path.mkdir()
    refused(path, "is not a file")


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


def test_import_reads_gzipped_pairs_and_appends(tmp_path):
    store = tmp_path / "my-digits.npz"
    add_sample(store, drawing(), 5)
    incoming = some_samples(4, seed=3)
    folder = tmp_path / "shared"
    folder.mkdir()
    write_idx(folder / f"{IMAGES_FILE}.gz", incoming.images, gzip=True)
    write_idx(folder / f"{LABELS_FILE}.gz", incoming.labels, gzip=True)

    combined = add_samples(store, read_idx_pair(folder))
    assert combined.labels.tolist() == [5, *incoming.labels.tolist()]
    loaded = load_samples(store)
    np.testing.assert_array_equal(loaded.images[1:], incoming.images)
    assert len(loaded.labels) == 5


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


def test_adding_to_a_damaged_store_is_refused_whole(tmp_path):
    store = tmp_path / "my-digits.npz"
    with zipfile.ZipFile(store, "w") as archive:
        archive.writestr("images.npy", b"not an array")
    before = store.read_bytes()
    with pytest.raises(DataError, match="nothing was added"):
        add_samples(store, some_samples(3))
    assert store.read_bytes() == before
