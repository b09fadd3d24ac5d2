"""Read and write IDX files, the simple binary format MNIST is distributed in.

An IDX file is a 4-byte magic number (0, 0, data type code, number of dimensions), one big-endian
uint32 per dimension, then the values in row-major order. The files may be gzip-compressed.
Nothing in a file is trusted before it is checked: the header is read first and the data must then
be exactly as long as the header says.
"""

import math
import struct
import zlib
from contextlib import nullcontext
from gzip import BadGzipFile, GzipFile
from pathlib import Path

import numpy as np

from digitpad.core.atomic_file import atomic_write
from digitpad.core.errors import DataError
from digitpad.core.paths import open_regular

GZIP_MAGIC = b"\x1f\x8b"
UNSIGNED_BYTE = 0x08  # the only IDX data type MNIST uses
TYPE_NAMES = {0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short", 0x0C: "int",
              0x0D: "float", 0x0E: "double"}
# Far more than any digit data set (MNIST's largest file is 47 MB). A header claiming more is
# corrupt or hostile, and is rejected before a byte of data is read.
MAX_BYTES = 1 << 30
CHUNK = 4 << 20  # read in pieces, so memory grows with the data actually present, not the header


def read_idx(path: str | Path) -> np.ndarray:
    """Return the array stored in the IDX file at `path` (gzipped or not); raise DataError."""
    path = Path(path)
    try:
        with open_regular(path) as file:  # a named pipe would wait forever: refused
            # Trust the bytes, not the name: gzip streams start with 1f 8b, IDX files with 00 00.
            gzipped = file.read(2) == GZIP_MAGIC
            file.seek(0)
            return _read_stream(GzipFile(fileobj=file) if gzipped else file, path.name)
    except FileNotFoundError:
        raise DataError(f"{path} does not exist") from None
    except EOFError:  # gzip's way of saying the compressed stream was cut short
        raise DataError(f"{path.name} is truncated: its gzip stream ends early") from None
    except (BadGzipFile, zlib.error) as error:
        raise DataError(f"{path.name} is not a valid gzip file ({error})") from None
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None


def _read_stream(stream, name: str) -> np.ndarray:
    magic = stream.read(4)
    if len(magic) < 4:
        raise DataError(f"{name} is too short to be an IDX file")
    if magic[:2] != b"\0\0":
        raise DataError(f"{name} is not an IDX file: it starts with {magic.hex(' ')}, not 00 00")
    type_code, ndim = magic[2], magic[3]
    if type_code != UNSIGNED_BYTE:
        type_name = TYPE_NAMES.get(type_code, "unknown")
        raise DataError(f"{name} holds IDX data type 0x{type_code:02x} ({type_name}); only 0x08"
                        " (unsigned byte) is supported")
    if ndim == 0:
        raise DataError(f"{name} has an IDX header with no dimensions")
    header = stream.read(4 * ndim)
    if len(header) < 4 * ndim:
        raise DataError(f"{name} is truncated: its header ends inside the list of dimensions")
    shape = struct.unpack(f">{ndim}I", header)
    size = math.prod(shape)  # one byte per value; Python ints cannot overflow
    if size > MAX_BYTES:
        raise DataError(f"{name} has an impossible header: it claims {'x'.join(map(str, shape))}"
                        f" values ({size} bytes), more than the 1 GiB this reader accepts")

    # Ask for one byte more than the header promises: getting it means trailing data.
    data = bytearray()
    while len(data) <= size:
        piece = stream.read(min(CHUNK, size + 1 - len(data)))
        if not piece:
            break
        data += piece
    if len(data) < size:
        raise DataError(f"{name} is truncated: expected {size} bytes of data, found {len(data)}")
    if len(data) > size:
        raise DataError(f"{name} has data after the {size} bytes its header describes")
    return np.frombuffer(data, dtype=np.uint8, count=size).reshape(shape)


def write_idx(path: str | Path, array: np.ndarray, gzip: bool = False) -> None:
    """Save a uint8 array as an IDX file (gzip-compressed if asked), atomically."""
    path = Path(path)
    array = np.ascontiguousarray(array)
    if array.dtype != np.uint8:
        raise ValueError(f"write_idx stores uint8 arrays, not {array.dtype}")
    if not 1 <= array.ndim <= 255:
        raise ValueError(f"an IDX file holds 1 to 255 dimensions, not {array.ndim}")
    header = bytes([0, 0, UNSIGNED_BYTE, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    try:
        with atomic_write(path) as file:
            # mtime=0 and the plain name keep gzip output reproducible and free of temp names.
            name = path.name.removesuffix(".gz")
            packer = GzipFile(name, "wb", 6, file, mtime=0) if gzip else nullcontext(file)
            with packer as out:
                out.write(header)
                out.write(array.data)
    except OSError as error:
        raise DataError(f"cannot write {path}: {error.strerror or error}") from None
