"""Small model files that would cost gigabytes: unused members are never decompressed, the
arrays read are bounded in total before decompressing, and networks larger than digitpad can
show are refused before their weights are read."""

import numpy as np
import pytest

from digitpad.core import ModelFileError, Network
from digitpad.core.digit_model import MAX_HIDDEN_LAYERS, MAX_NEURONS, load_digit_model
from digitpad.core.storage import NpzReader
from tests.hostile_files import model_members, stored_array, write_zip, zeros_array
from tests.memory import peak_memory_of

MB = 10**6


def refused(action, path) -> str:
    with pytest.raises(ModelFileError) as info:
        action(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    return message


def test_unused_members_are_never_decompressed(tmp_path):
    """The issue's file: a model plus eight extra members of 500 MB of zeros (4 MB on disk)."""
    saved = Network((784, 16, 10), seed=3)
    saved.save(tmp_path / "plain.npz")
    members = model_members(tmp_path / "plain.npz")
    for i in range(8):
        members[f"extra{i}.npy"] = zeros_array((500 * MB,), "|u1")
    path = tmp_path / "padded.npz"
    write_zip(path, members)
    assert path.stat().st_size < 5 * MB

    loaded, peak = peak_memory_of(lambda: load_digit_model(path))

    assert peak < 16 * 2**20, f"loading used {peak / 2**20:.0f} MiB"
    for W, W0 in zip(loaded.weights, saved.weights):
        np.testing.assert_array_equal(W, W0)


def test_a_member_larger_than_the_budget_is_refused_before_it_is_decompressed(tmp_path):
    members = model_members(save(tmp_path, Network((2, 3))))
    members["W0.npy"] = zeros_array((600 * MB // 4,))  # 600 MB of float32 zeros, 600 KB on disk
    path = tmp_path / "model.npz"
    write_zip(path, members)

    message, peak = peak_memory_of(lambda: refused(Network.load, path))

    assert "too large" in message
    assert peak < 16 * 2**20


def test_the_arrays_read_are_bounded_in_total(tmp_path):
    path = tmp_path / "arrays.npz"
    write_zip(path, {"a.npy": zeros_array((6 * MB,), "|u1"), "b.npy": zeros_array((6 * MB,), "|u1"),
                     "c.npy": stored_array(np.arange(3))})
    with NpzReader(path, max_bytes=10 * MB) as npz:
        assert npz["a"].size == 6 * MB
        assert npz["a"] is npz["a"]  # read once, counted once
        np.testing.assert_array_equal(npz["c"], [0, 1, 2])

        def read_b() -> None:
            with pytest.raises(ModelFileError, match="too large"):
                npz["b"]  # 6 MB more would pass the 10 MB in all

        _, peak = peak_memory_of(read_b)
        assert peak < 2 * MB  # refused before decompressing


def save(folder, network) -> str:
    path = folder / "saved.npz"
    network.save(path)
    return path


def test_ten_thousand_layers_of_one_neuron_are_refused(tmp_path):
    sizes = (784, *[1] * 9_998, 10)
    members = model_members(save(tmp_path, Network((784, 10))))
    members["sizes.npy"] = stored_array(np.array(sizes))
    del members["W0.npy"], members["b0.npy"]  # the weights would never be read anyway
    path = tmp_path / "deep.npz"
    write_zip(path, members)

    message = refused(load_digit_model, path)

    assert "9998 hidden layers" in message
    assert f"at most {MAX_HIDDEN_LAYERS} hidden layers of {MAX_NEURONS} neurons" in message
    assert len(message) < 300


def test_a_wide_layer_is_refused_before_its_weights_are_read(tmp_path):
    """784-100000-10: 300 KB on disk, 314 MB once read, gigabytes to evaluate."""
    members = model_members(save(tmp_path, Network((784, 3, 10))))
    members["sizes.npy"] = stored_array(np.array([784, 100_000, 10]))
    members["W0.npy"] = zeros_array((784, 100_000))
    members["b0.npy"] = zeros_array((100_000,))
    members["W1.npy"] = zeros_array((100_000, 10))
    path = tmp_path / "wide.npz"
    write_zip(path, members)
    assert path.stat().st_size < 1 * MB

    message, peak = peak_memory_of(lambda: refused(load_digit_model, path))

    assert "784-100000-10" in message and "larger than digitpad can show" in message
    assert peak < 16 * 2**20


@pytest.mark.parametrize("hidden", [(MAX_NEURONS,), (16,) * MAX_HIDDEN_LAYERS, ()],
                         ids=["widest", "deepest", "no hidden layer"])
def test_the_largest_networks_the_panel_builds_still_load(tmp_path, hidden):
    saved = Network((784, *hidden, 10))
    assert load_digit_model(save(tmp_path, saved)).sizes == saved.sizes


@pytest.mark.parametrize("hidden", [(MAX_NEURONS + 1,), (16,) * (MAX_HIDDEN_LAYERS + 1)],
                         ids=["one neuron too many", "one layer too many"])
def test_one_past_the_limits_is_refused(tmp_path, hidden):
    assert "larger than digitpad can show" in refused(
        load_digit_model, save(tmp_path, Network((784, *hidden, 10))))
