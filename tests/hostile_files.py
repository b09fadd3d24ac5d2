"""Hostile .npz files made small and fast: arrays of zeros that expand to hundreds of megabytes.

A deflate stream of zeros compresses about 1000:1, but making one with zlib takes seconds per
gigabyte. Here one compressed block of 1 MiB of zeros, ended by a full flush (after which the
next block refers to nothing before it), is repeated: 512 MiB of zeros become 530 KB in
milliseconds. The zip archive around them is written by hand for the same reason (zipfile
would compress the zeros itself). The members are honest: their sizes and CRC-32s are true, and
a reader that decompresses them gets the zeros, at the full cost in memory and time.

Used by the tests and by benchmarks/hostile_files.py.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

BLOCK = 1 << 20


class Member(NamedTuple):
    method: int  # 0 stored, 8 deflated
    data: bytes  # as written in the archive
    crc: int
    size: int  # uncompressed


def stored_array(array: np.ndarray) -> Member:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
    data = buffer.getvalue()
    return Member(0, data, zlib.crc32(data), len(data))


@functools.lru_cache(maxsize=8)
def zeros_array(shape: tuple[int, ...], dtype: str = "<f4") -> Member:
    """A deflated .npy member holding zeros of this shape: tiny on disk, huge when read."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": dtype, "fortran_order": False, "shape": shape})
    head = header.getvalue()
    count = int(np.prod(shape)) * np.dtype(dtype).itemsize
    blocks, rest = divmod(count, BLOCK)
    zeros = bytes(BLOCK)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    data = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(zeros[:rest]) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(zeros[:rest], crc)
    return Member(8, data + block * blocks + tail, crc, len(head) + count)


def write_zip(path: str | Path, members: dict[str, Member]) -> None:
    """A plain zip archive (no zip64: every member under 4 GiB) of these members."""
    out, directory = bytearray(), bytearray()
    for name, m in members.items():
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, m.method, 0, 0x21, m.crc, len(m.data), m.size)
        directory += (struct.pack("<IH", 0x02014B50, 20) + fields
                      + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(out)) + encoded)
        out += struct.pack("<I", 0x04034B50) + fields + struct.pack("<HH", len(encoded), 0)
        out += encoded + m.data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                      len(directory), len(out), 0)
    Path(path).write_bytes(bytes(out + directory + end))


def model_members(saved: str | Path) -> dict[str, Member]:
    """The members of the model saved at `saved`, to be written again with others."""
    with np.load(saved, allow_pickle=False) as npz:
        return {f"{name}.npy": stored_array(npz[name]) for name in npz.files}
