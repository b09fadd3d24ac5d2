"""Model files: exact round trips, and calm refusals of every kind of bad file."""

import io
import os
import pathlib
import pickle
import tempfile
import zipfile

import numpy as np
import pytest

from digitpad.core import DigitpadError, ModelFileError, Network
from tests.memory import peak_memory_of

ACTIVATIONS = ["sigmoid", "relu", "tanh"]
OUTPUTS = ["softmax", "sigmoid"]
COSTS = ["cross_entropy", "quadratic"]


def trained_network(dtype=np.float32, **kwargs):
    net = Network((6, 5, 4, 3), seed=1, dtype=dtype, **kwargs)
    rng = np.random.default_rng(0)
    X, y = rng.random((10, 6)), rng.integers(0, 3, 10)
    for _ in range(3):
        net.train_step(X, y, lr=0.5, momentum=0.5)  # biases no longer zero
    return net


def model_arrays(net):
    """What a saved model holds (format_version, sizes, activation, …, W0, b0, …), as a dict
    we can tamper with."""
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "model.npz"
        net.save(path)
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name].copy() for name in npz.files}
    assert {"format_version", "sizes", "activation", "output", "cost", "W0", "b0"} <= arrays.keys()
    return arrays


def write_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def npy(arr) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=False)
    return buf.getvalue()


def refused(path) -> ModelFileError:
    """Load `path`, expecting a one-line ModelFileError that names the file."""
    with pytest.raises(ModelFileError) as info:
        Network.load(path)
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    assert isinstance(info.value, DigitpadError)
    return info.value


# ---- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_round_trip_is_exact(tmp_path, activation, output, cost, dtype):
    net = trained_network(dtype, activation=activation, output=output, cost=cost)
    path = tmp_path / "model.npz"
    net.save(path)
    loaded = Network.load(path)
    assert loaded.sizes == net.sizes
    assert all(isinstance(s, int) for s in loaded.sizes)
    assert (loaded.activation, loaded.output, loaded.cost_name) == (activation, output, cost)
    assert loaded.dtype == np.dtype(dtype)
    for a, b in zip(loaded.weights + loaded.biases, net.weights + net.biases):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    X = np.random.default_rng(5).random((4, 6))
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))


def test_a_loaded_network_keeps_training(tmp_path):
    net = trained_network()
    net.save(tmp_path / "m.npz")
    loaded = Network.load(str(tmp_path / "m.npz"))  # a str path works too
    rng = np.random.default_rng(0)
    X, y = rng.random((10, 6)), rng.integers(0, 3, 10)
    copy = net.copy()
    a, b = loaded.train_step(X, y, lr=0.5), copy.train_step(X, y, lr=0.5)
    assert a.cost == b.cost
    for p, q in zip(loaded.weights, copy.weights):
        np.testing.assert_array_equal(p, q)


def test_save_overwrites_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "model.npz"
    trained_network().save(path)
    other = Network((6, 2, 3), activation="tanh", seed=9)
    other.save(path)
    assert Network.load(path).sizes == (6, 2, 3)
    assert os.listdir(tmp_path) == ["model.npz"]


def test_saved_file_is_readable_like_any_other_new_file(tmp_path):
    """The temporary file's private 0600 mode must not leak into the saved model."""
    old = os.umask(0o022)
    try:
        trained_network().save(tmp_path / "model.npz")
    finally:
        os.umask(old)
    assert (tmp_path / "model.npz").stat().st_mode & 0o777 == 0o644


# ---- atomic saves -------------------------------------------------------------------------


def test_failed_save_leaves_the_old_file_intact_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    trained_network().save(path)
    original = path.read_bytes()

    def half_written(file, *args, **kwargs):
        file.write(b"PK\x03\x04 half a model")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", half_written)
    with pytest.raises(ModelFileError) as info:
        Network((6, 7, 3)).save(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["model.npz"]


def test_failed_rename_leaves_the_old_file_intact_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    trained_network().save(path)
    original = path.read_bytes()

    def no_rename(src, dst):
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(ModelFileError):
        Network((6, 7, 3)).save(path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["model.npz"]


def test_failed_first_save_creates_nothing(tmp_path, monkeypatch):
    def broken(file, *args, **kwargs):
        file.write(b"PK")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(ModelFileError):
        trained_network().save(tmp_path / "model.npz")
    assert os.listdir(tmp_path) == []


def test_saving_into_a_missing_folder_raises_model_file_error(tmp_path):
    path = tmp_path / "no" / "such" / "folder" / "model.npz"
    with pytest.raises(ModelFileError) as info:
        trained_network().save(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "no").exists()


def test_saving_onto_a_folder_raises_model_file_error(tmp_path):
    (tmp_path / "model.npz").mkdir()
    with pytest.raises(ModelFileError):
        trained_network().save(tmp_path / "model.npz")
    assert os.listdir(tmp_path) == ["model.npz"]
    assert os.listdir(tmp_path / "model.npz") == []


# ---- files that are not models ------------------------------------------------------------


def test_missing_file(tmp_path):
    error = refused(tmp_path / "nothing-here.npz")
    assert "exist" in str(error)


def test_folder_instead_of_file(tmp_path):
    refused(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.npz"
    path.write_bytes(b"")
    refused(path)


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(np.random.default_rng(0).bytes(5000))
    refused(path)


@pytest.mark.parametrize("fraction", [0.5, 0.9, 0.99])
def test_truncated_file(tmp_path, fraction):
    path = tmp_path / "model.npz"
    trained_network().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    refused(path)


def test_corrupted_bytes_inside_a_member(tmp_path):
    path = tmp_path / "model.npz"
    trained_network(np.float64).save(path)
    data = bytearray(path.read_bytes())
    start = data.index(b"W0.npy") + 200  # inside W0's data
    data[start : start + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    refused(path)


class MakesAMarker:
    """Unpickling this runs code: it creates the marker file."""

    def __init__(self, marker):
        self.marker = pathlib.Path(marker)

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def live_payload(marker) -> bytes:
    payload = pickle.dumps(MakesAMarker(marker))
    pickle.loads(payload)  # the payload really runs code when unpickled...
    assert marker.exists()
    marker.unlink()  # ...so the marker's absence below means nothing unpickled it
    return payload


def test_raw_pickle_is_never_unpickled(tmp_path):
    marker = tmp_path / "pickle-ran"
    path = tmp_path / "model.npz"
    path.write_bytes(live_payload(marker))
    refused(path)
    assert not marker.exists()


def test_pickled_object_array_in_npz_is_never_unpickled(tmp_path):
    marker = tmp_path / "pickle-ran"
    live_payload(marker)
    arrays = model_arrays(trained_network())
    evil = np.empty(1, dtype=object)
    evil[0] = MakesAMarker(marker)
    arrays["W0"] = evil
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)  # allow_pickle is on by default when saving
    error = refused(path)
    assert "pickle" in str(error)
    assert not marker.exists()


def test_object_array_npz_is_refused(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, sizes=np.array([6, 3], dtype=object), W0=np.array([None, 1], dtype=object))
    refused(path)


def test_pickle_hidden_as_a_zip_member_is_never_unpickled(tmp_path):
    marker = tmp_path / "pickle-ran"
    members = {f"{k}.npy": npy(v) for k, v in model_arrays(trained_network()).items()}
    members["W0.npy"] = live_payload(marker)  # not an .npy at all
    path = tmp_path / "model.npz"
    write_zip(path, members)
    refused(path)
    assert not marker.exists()


@pytest.mark.parametrize("member", ["sizes", "format_version", "activation", "b1"])
def test_zip_member_that_is_not_an_array(tmp_path, member):
    members = {f"{k}.npy": npy(v) for k, v in model_arrays(trained_network()).items()}
    members[f"{member}.npy"] = b"not an array"
    path = tmp_path / "model.npz"
    write_zip(path, members)
    refused(path)


def test_some_other_zip_file(tmp_path):
    path = tmp_path / "photos.zip"
    write_zip(path, {"readme.txt": b"hello"})
    refused(path)


def test_some_other_npz_file(tmp_path):
    path = tmp_path / "data.npz"
    np.savez(path, x=np.arange(10), y=np.ones((3, 3)))
    refused(path)


# ---- archives of arrays that do not make a network ----------------------------------------


def tampered(tmp_path, **changes):
    arrays = model_arrays(trained_network())
    for name, value in changes.items():
        if value is None:
            del arrays[name]
        else:
            arrays[name] = value
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize(
    "changes",
    [
        {"W1": np.zeros((5, 5), np.float32)},  # should be (5, 4)
        {"W0": np.zeros((5, 6), np.float32)},  # transposed
        {"b2": np.zeros(4, np.float32)},  # should be (3,)
        {"b0": np.zeros((5, 1), np.float32)},
        {"W2": None},  # a layer missing
        {"b1": None},
        {"sizes": np.array([6, 5, 3])},  # one layer fewer than the weights
        {"sizes": np.array([6, 5, 4, 3, 2])},
        {"sizes": np.array([6])},
        {"sizes": np.array([[6, 5], [4, 3]])},
        {"sizes": np.array([6, 0, 4, 3])},
        {"sizes": np.array([6, -5, 4, 3])},
        {"sizes": np.array([6.0, 5.0, 4.0, 3.0])},
        {"sizes": None},
    ],
    ids=lambda c: "-".join(f"{k}={'missing' if v is None else v.shape}" for k, v in c.items()),
)
def test_inconsistent_layers(tmp_path, changes):
    refused(tampered(tmp_path, **changes))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["W0", "W2", "b1"])
def test_non_finite_numbers(tmp_path, where, bad):
    arrays = model_arrays(trained_network())
    arrays[where].flat[1] = bad
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)
    refused(path)


@pytest.mark.parametrize(
    "changes",
    [
        {"activation": np.array("swish")},
        {"output": np.array("linear")},
        {"cost": np.array("hinge")},
        {"activation": None},
        {"format_version": np.array(3)},
        {"format_version": np.array(0)},
        {"format_version": np.array(np.inf)},
        {"format_version": np.array(np.nan)},
        {"format_version": np.array([1, 1])},
        {"format_version": None},
    ],
    ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()),
)
def test_unknown_settings_or_format(tmp_path, changes):
    refused(tampered(tmp_path, **changes))


@pytest.mark.parametrize("dtype", [np.int64, np.float16, np.complex64, np.uint8, "<U3"], ids=str)
def test_wrong_dtype(tmp_path, dtype):
    arrays = model_arrays(trained_network())
    for l in range(3):
        arrays[f"W{l}"] = arrays[f"W{l}"].astype(dtype)
        arrays[f"b{l}"] = arrays[f"b{l}"].astype(dtype)
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)
    error = refused(path)
    assert "float32" in str(error)  # says what a model file should hold


def test_mixed_dtypes(tmp_path):
    arrays = model_arrays(trained_network())
    arrays["W1"] = arrays["W1"].astype(np.float64)
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)
    refused(path)


def test_sizes_claiming_a_billion_neurons_fail_without_allocating(tmp_path):
    path = tampered(tmp_path, sizes=np.array([6, 1_000_000_000, 4, 3]))
    _, peak = peak_memory_of(lambda: refused(path))
    assert peak < 16 * 2**20


def test_array_header_claiming_a_billion_neurons_fails_without_allocating(tmp_path):
    """A tiny file whose W0 header says (1, 10⁹) float32: 4 GB must not be allocated for it."""
    net = Network((1, 3), seed=0)
    members = {f"{k}.npy": npy(v) for k, v in model_arrays(net).items()}
    members["sizes.npy"] = npy(np.array([1, 1_000_000_000]))
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": (1, 1_000_000_000)}
    )
    members["W0.npy"] = header.getvalue() + bytes(64)
    path = tmp_path / "model.npz"
    write_zip(path, members)
    assert path.stat().st_size < 2000
    _, peak = peak_memory_of(lambda: refused(path))
    assert peak < 16 * 2**20, f"loading a {path.stat().st_size}-byte file allocated {peak} bytes"
