import hashlib

import numpy as np
import pytest

import digitpad
from digitpad.core.errors import DataError
from digitpad.core.idx import write_idx
from digitpad.core.mnist import FILES, Mnist, as_inputs, bundled_mnist_dir, load_mnist

TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_LABEL_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
TRAIN_LABELS_SHA256 = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"


def small_mnist(n_train: int = 30, n_test: int = 10, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, size=n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, size=n_test, dtype=np.uint8),
    }


def write_dataset(directory, arrays, packed=(True, False, True, False)):
    """Write the four standard files, some gzipped and some not (both must be accepted)."""
    for (field, name), pack in zip(FILES.items(), packed):
        write_idx(directory / (f"{name}.gz" if pack else name), arrays[field], gzip=pack)
    return directory


@pytest.mark.parametrize("packed", [(True,) * 4, (False,) * 4, (True, False, True, False)])
def test_loads_a_small_dataset(tmp_path, packed):
    arrays = small_mnist()
    data = load_mnist(write_dataset(tmp_path, arrays, packed))
    assert isinstance(data, Mnist)
    for field, array in arrays.items():
        loaded = getattr(data, field)
        assert loaded.dtype == np.uint8
        assert np.array_equal(loaded, array)
        assert not loaded.flags.writeable  # shared between threads: nobody may change it


def test_accepts_a_string_path(tmp_path):
    write_dataset(tmp_path, small_mnist())
    assert load_mnist(str(tmp_path)).train_images.shape == (30, 28, 28)


def test_missing_directory(tmp_path):
    with pytest.raises(DataError, match="MNIST directory .*no-such-dir does not exist"):
        load_mnist(tmp_path / "no-such-dir")


@pytest.mark.parametrize("name", FILES.values())
def test_missing_file_names_the_file_and_the_directory(tmp_path, name):
    write_dataset(tmp_path, small_mnist(), packed=(True,) * 4)
    (tmp_path / f"{name}.gz").unlink()
    with pytest.raises(DataError, match=f"{name} \\(or {name}.gz\\) is missing from {tmp_path}"):
        load_mnist(tmp_path)


def test_malformed_file_is_named(tmp_path):
    write_dataset(tmp_path, small_mnist(), packed=(False,) * 4)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(b"\0\0\x08\x03\0\0\0\x0a")
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte is truncated"):
        load_mnist(tmp_path)


@pytest.mark.parametrize(
    ("split", "train", "test", "message"),
    [
        ("train", 30, 10, None),  # a control: the unmodified dataset loads
        ("train", 31, 10, "train-images-idx3-ubyte.gz holds 31 images but "
                          "train-labels-idx1-ubyte holds 30 labels"),
        ("test", 30, 9, "t10k-images-idx3-ubyte.gz holds 9 images but "
                        "t10k-labels-idx1-ubyte holds 10 labels"),
    ],
)
def test_image_label_count_mismatch(tmp_path, split, train, test, message):
    arrays = small_mnist()
    images = small_mnist(train, test, seed=1)[f"{split}_images"]
    arrays[f"{split}_images"] = images
    write_dataset(tmp_path, arrays)
    if message is None:
        load_mnist(tmp_path)
    else:
        with pytest.raises(DataError, match=message):
            load_mnist(tmp_path)


@pytest.mark.parametrize("bad_label", [10, 255])
def test_labels_outside_0_to_9(tmp_path, bad_label):
    arrays = small_mnist()
    arrays["test_labels"][7] = bad_label
    write_dataset(tmp_path, arrays)
    with pytest.raises(DataError, match=f"t10k-labels-idx1-ubyte holds label {bad_label} at "
                                        "position 7; labels must be digits 0-9"):
        load_mnist(tmp_path)


@pytest.mark.parametrize(
    ("field", "array", "message"),
    [
        ("train_images", np.zeros((30, 784), np.uint8),
         "train-images-idx3-ubyte.gz does not hold 28x28 images: its header gives shape 30x784"),
        ("train_images", np.zeros((30, 28, 27), np.uint8), "shape 30x28x27"),
        ("test_images", np.zeros((10, 1, 28, 28), np.uint8),
         "t10k-images-idx3-ubyte.gz does not hold 28x28 images"),
        ("train_labels", np.zeros((30, 1), np.uint8),
         "train-labels-idx1-ubyte does not hold a list of labels: its header gives shape 30x1"),
        ("train_images", np.zeros((0, 28, 28), np.uint8),
         "train-images-idx3-ubyte.gz holds no images"),
    ],
)
def test_wrong_shapes(tmp_path, field, array, message):
    arrays = small_mnist()
    arrays[field] = array
    write_dataset(tmp_path, arrays)
    with pytest.raises(DataError, match=message):
        load_mnist(tmp_path)


def test_as_inputs():
    images = np.zeros((3, 28, 28), dtype=np.uint8)
    images[0, 0, 0], images[1, 27, 27], images[2, 14, 3] = 255, 51, 1
    inputs = as_inputs(images)
    assert inputs.shape == (3, 784)
    assert inputs.dtype == np.float32
    assert inputs[0, 0] == 1.0 and inputs[1, 783] == np.float32(0.2)
    assert inputs[2, 14 * 28 + 3] == np.float32(1 / 255)
    assert np.count_nonzero(inputs) == 3
    assert as_inputs(images, dtype=np.float64).dtype == np.float64


def test_as_inputs_refuses_pixels_already_scaled():
    with pytest.raises(TypeError, match="uint8"):
        as_inputs(np.zeros((2, 28, 28), dtype=np.float32))


def test_bundled_dir_prefers_the_copy_inside_an_installed_package(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "digitpad"
    (package / "assets" / "mnist").mkdir(parents=True)
    monkeypatch.setattr(digitpad, "__file__", str(package / "__init__.py"))
    assert bundled_mnist_dir() == package / "assets" / "mnist"


def test_bundled_dir_falls_back_to_the_source_checkout(tmp_path, monkeypatch):
    (tmp_path / "repo" / "digitpad").mkdir(parents=True)
    (tmp_path / "repo" / "assets" / "mnist").mkdir(parents=True)
    monkeypatch.setattr(digitpad, "__file__", str(tmp_path / "repo" / "digitpad" / "__init__.py"))
    assert bundled_mnist_dir() == tmp_path / "repo" / "assets" / "mnist"


def test_bundled_dir_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(digitpad, "__file__", str(tmp_path / "digitpad" / "__init__.py"))
    with pytest.raises(DataError, match="bundled MNIST files are missing"):
        load_mnist()


def test_bundled_copy(tmp_path):
    data = load_mnist()
    assert data.train_images.shape == (60000, 28, 28)
    assert data.test_images.shape == (10000, 28, 28)
    for array in (data.train_images, data.train_labels, data.test_images, data.test_labels):
        assert array.dtype == np.uint8
    assert np.bincount(data.train_labels).tolist() == TRAIN_LABEL_COUNTS
    assert np.bincount(data.test_labels).tolist() == TEST_LABEL_COUNTS
    assert data.train_images.max() == 255 and data.train_images.min() == 0
    # Written back out, the labels are byte-for-byte the original file.
    write_idx(tmp_path / "labels", data.train_labels)
    assert hashlib.sha256((tmp_path / "labels").read_bytes()).hexdigest() == TRAIN_LABELS_SHA256
