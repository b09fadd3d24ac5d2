import gzip
import struct

import numpy as np
import pytest

from digitpad.core.errors import DataError
from digitpad.core.idx import read_idx, write_idx
from tests.memory import peak_memory_of


def idx_bytes(shape, body: bytes, type_code: int = 0x08) -> bytes:
    """A hand-made IDX file: magic, dimensions, then `body` whatever the header says."""
    return bytes([0, 0, type_code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + body


def write(path, data: bytes, packed: bool = False):
    path.write_bytes(gzip.compress(data) if packed else data)
    return path


def refused(path, message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_idx(path)


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("shape", [(7,), (5, 28, 28), (2, 3, 4, 5), (0, 28, 28)])
def test_round_trip(tmp_path, packed, shape):
    array = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    path = tmp_path / ("data.gz" if packed else "data")
    write_idx(path, array, gzip=packed)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == packed
    loaded = read_idx(path)
    assert loaded.dtype == np.uint8
    assert loaded.shape == shape
    assert np.array_equal(loaded, array)
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_write_idx_produces_the_standard_layout(tmp_path):
    write_idx(tmp_path / "labels", np.array([3, 1, 4], dtype=np.uint8))
    assert (tmp_path / "labels").read_bytes() == b"\0\0\x08\x01\0\0\0\x03\x03\x01\x04"


def test_write_idx_replaces_an_existing_file(tmp_path):
    path = tmp_path / "labels"
    write_idx(path, np.zeros(100, dtype=np.uint8))
    write_idx(path, np.ones(2, dtype=np.uint8))
    assert read_idx(path).tolist() == [1, 1]


def test_write_idx_refuses_non_uint8(tmp_path):
    with pytest.raises(ValueError, match="uint8"):
        write_idx(tmp_path / "x", np.zeros(3, dtype=np.int64))
    assert not list(tmp_path.iterdir())


def test_write_idx_into_a_missing_directory_raises_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot write .*nowhere"):
        write_idx(tmp_path / "nowhere" / "x", np.zeros(3, dtype=np.uint8))


def test_gzip_is_detected_by_content_not_name(tmp_path):
    labels = np.array([1, 2, 3], dtype=np.uint8)
    write_idx(tmp_path / "packed-without-suffix", labels, gzip=True)
    write_idx(tmp_path / "plain.gz", labels, gzip=False)
    assert read_idx(tmp_path / "packed-without-suffix").tolist() == [1, 2, 3]
    assert read_idx(tmp_path / "plain.gz").tolist() == [1, 2, 3]


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="absent-file.* does not exist"):
        read_idx(tmp_path / "absent-file")


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "too short to be an IDX file"),
        (b"PK\x03\x04rest of a zip", "not an IDX file: it starts with 50 4b 03 04"),
        (b"\0\0\x08", "too short to be an IDX file"),
        (idx_bytes((2,), b"\0\0\0\0\0\0\0\0", 0x0D), r"data type 0x0d \(float\).*only 0x08"),
        (idx_bytes((2,), b"\1\2", 0x42), r"data type 0x42 \(unknown\)"),
        (idx_bytes((), b""), "no dimensions"),
        (idx_bytes((3, 28, 28), b"")[:10], "truncated: its header ends"),
        (idx_bytes((3, 28, 28), bytes(1200)), "truncated: expected 2352 bytes of data, found 1200"),
        (idx_bytes((3,), b"\1\2\3\4"), "has data after the 3 bytes its header describes"),
    ],
)
def test_malformed_files(tmp_path, packed, data, message):
    path = write(tmp_path / "bad-file-idx3-ubyte", data, packed)
    with pytest.raises(DataError, match="bad-file-idx3-ubyte") as caught:
        read_idx(path)
    assert caught.match(message)


def test_gzip_stream_cut_midway(tmp_path):
    pixels = np.random.default_rng(1).integers(0, 256, size=50_000, dtype=np.uint8).tobytes()
    packed = gzip.compress(idx_bytes((50_000,), pixels))
    path = tmp_path / "cut-images.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(DataError, match="cut-images.gz is truncated"):
        read_idx(path)


def test_garbage_after_the_gzip_stream(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(idx_bytes((3,), b"\1\2\3")) + b"junk after the gzip member")
    with pytest.raises(DataError, match="labels.gz is not a valid gzip file"):
        read_idx(path)


def test_gzip_checksum_mismatch(tmp_path):
    packed = gzip.compress(idx_bytes((3,), b"\1\2\3"))
    path = tmp_path / "labels.gz"
    path.write_bytes(packed[:-8] + bytes(4) + packed[-4:])  # the trailer's CRC-32 zeroed
    with pytest.raises(DataError, match="labels.gz is not a valid gzip file.*CRC"):
        read_idx(path)


@pytest.mark.parametrize("packed", [False, True])
def test_absurd_header_fails_without_allocating(tmp_path, packed):
    # Four billion 28x28 images (3 TB) announced in a file holding a few bytes.
    header = idx_bytes((4_000_000_000, 28, 28), bytes(100))
    path = write(tmp_path / "huge-idx3-ubyte", header, packed)
    _, peak = peak_memory_of(lambda: refused(path, "huge-idx3-ubyte has an impossible header"))
    assert peak < 1_000_000


def test_large_claim_on_a_small_file_reads_only_what_is_there(tmp_path):
    # Under the size cap (500 MB) but the body is tiny: memory follows the data, not the header.
    path = write(tmp_path / "short.gz", idx_bytes((500_000_000,), bytes(1000)), packed=True)
    _, peak = peak_memory_of(
        lambda: refused(path, "short.gz is truncated: expected 500000000 bytes"))
    assert peak < 20_000_000
